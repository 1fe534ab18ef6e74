"""The fast path for flat front matter gives exactly what the YAML loader gives.

frontmatter.load reads the usual `key: value` lines and lists of plain words line by
line and leaves anything else to Yaml12Loader. A property test writes front matter
from a grammar of ordinary and tricky pieces (YAML 1.1 words, numbers with leading
zeros, bad dates, indicators, comments, quotes, tabs, nesting, duplicate keys) and
checks that a fast result is the loader's, value types included, and that load as a
whole gives the loader's result or its very error. The examples show that the fast path
is taken for typical front matter, so it cannot silently decline everything.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mdmastery.reading.frontmatter import FrontMatterError, _load_flat, _load_yaml, load

KEYS = [
    "date", "tags", "title", "wake-up", "my key", "a  b", "k a - b", "_x", "x_1", "a-", "n",
    "yes", "No", "on", "2019", "0", "true", "True", "FALSE", "null", "Null", "NULL", "1e3",
    "0x1F", "012", "3.10", ".5", "2024-01-05", "<<", "~", "? k", "'q'", '"q"', "-x", "- x",
    "a#b", "a #b", "é", "x ", " x", "a\tb", "k" * 130, "k" * 1100, "[a]", "{a}", "*a", "&a a",
    "!t a", "date:", "---", "...", "%x", "@x", "a,b",
]
SCALARS = [
    "yes", "no", "on", "off", "true", "True", "TRUE", "tRue", "false", "null", "Null", "NULL",
    "nULL", "~", "", "012", "0", "-0", "+0", "00", "0x1F", "0X1F", "0o17", "0b1", "1e3",
    "-1e3", "1E+3", "0e0", "-0e0", "3.10", "3.14", "1.0", ".5", "-.5", "+.5", ".", "-.", "-",
    "+", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "-7", "+3", "1_000", "9" * 30, "9" * 4301,
    "2024-02-30", "2024-02-29", "2023-02-29", "0000-01-01", "2024-13-01", "2024-1-5",
    "2024-01-05T10:00:00", "2024-01-05 10:00:00", "2024-01-05t10:00:00Z", "20240105",
    "05:30", "10:45", "1:2:3", "a: b", "a:b", "a:", "a:  b", "a #b", "a#b", "#x", "'q'",
    '"q"', "it's", 'say "hi"', "[a]", "[a, b]", "[]", "{a}", "{}", "a]", "a}", "a, b", "a,",
    "*a", "&a", "&a x", "!t", "!!str x", "!!int 3", "|", ">", "|-", ">+", "- x", "-x", "--",
    "---", "...", "? k", "?x", ":x", "%x", "@x", "`x`", "\\x", "a\\b", "<<", "<x", "=",
    "x  y", "snow ", "snow\t", "a\tb", "\tx", "é", "😀", "\u3000", "a\u3000", "a\xa0",
    "\ufeffx", "x\ufeff", "\x85", "a\x85b", "\u2028", "x\u200b", "\x00", "\x7f", "a\rb",
    "http://x.y/z", "[[Run]]", "a -b", "a - b", "a |b", "a >b", "a &b", "a *b", "a !b",
    "a %b", "a @b", "a ? b", "a'", 'a"', "Re: hi",
]
words = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._:-]{0,10}", fullmatch=True)
keys = st.sampled_from(KEYS) | st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9 _-]{0,8}",
                                             fullmatch=True)
scalars = st.sampled_from(SCALARS) | words | st.text(max_size=6)
plain_keys = st.sampled_from(["date", "tags", "title", "wake-up", "my key", "mood", "type",
                              "aliases", "outside", "k1", "_"])
plain_scalars = (st.sampled_from(["journal", "yes", "no", "true", "False", "null", "~", "4",
                                  "-7", "0x1F", "3.14", "3.10", ".5", "1e3", "2024-02-29",
                                  "05:30", "snow", "light rain", "é 😀", "a, b", "a]",
                                  "x  y", "Re:hi", "a#b", "-.5", "+3", '"[[Vision]]"',
                                  "'it''s'", '"a: b # c"', "''", r'"say \"hi\""',
                                  "'a' b", '"a" # c', r'"x\ty"', "'a'''"])
                 | words)

# Words that change a flow list `[a, b]` around them.
FLOW_WORDS = ["", " ", "a:b", "a: b", "[a]", "{a}", "a]", "'q'", '"q"', "#c", "a #c", "- a",
              "-", "? a", "&a", "*a", "!t", "|", ">", "%", "@", "`", "a,", "~", "null", "7",
              "2024-02-30", "2024-01-05", "yes", "a b"]
SEPARATORS = [": ", ":", ":  ", ": \t", " : ", "::", ":\t"]
ENDINGS = ["", " ", "  ", "\t", " # c", "#c"]
INDENTS = ["", " ", "  ", "    "]


@st.composite
def key_line(draw: st.DrawFn) -> str:
    return (draw(keys) + draw(st.sampled_from(SEPARATORS)) + draw(scalars)
            + draw(st.sampled_from(ENDINGS)))


@st.composite
def item_line(draw: st.DrawFn) -> str:
    dash = draw(st.sampled_from(["- ", "-  ", "-", "- - ", "-\t"]))
    return draw(st.sampled_from(INDENTS)) + dash + draw(scalars) + draw(st.sampled_from(ENDINGS))


other_lines = st.sampled_from([
    "", "  ", "\t", "# c", "  # c", "---", "...", "%YAML 1.2", "  more", "  k: v", "k:",
    "  - ", "- ", "-", "? k", ": v", "[a, b]", "{a: b}", "\ufeff", "\r", "<<: {a: 1}",
]) | st.builds("  {}".format, scalars)

tricky_document = st.lists(st.one_of(key_line(), key_line(), item_line(), other_lines),
                           max_size=8).map("\n".join)


@st.composite
def flat_entry(draw: st.DrawFn, key: st.SearchStrategy[str],
               value: st.SearchStrategy[str]) -> list[str]:
    """A `key: value` line, or `key:` and the lines of its list or mapping."""
    shape = draw(st.sampled_from(["scalar", "block list", "flow list", "block mapping"]))
    if shape == "scalar":
        return [f"{draw(key)}: {draw(value)}{draw(st.sampled_from(['', ' ']))}"]
    if shape == "flow list":
        comma = draw(st.sampled_from([", ", ",", " , ", ",  "]))
        words = comma.join(draw(st.lists(value | st.sampled_from(FLOW_WORDS), max_size=4)))
        left, right = draw(st.sampled_from([("[", "]"), ("[ ", " ]"), ("[", ",]"),
                                            ("[", ", ]")]))
        return [f"{draw(key)}: {left}{words}{right}"]
    if shape == "block mapping":  # (`habits:` then `  Meditate: true`, ...)
        indents = draw(st.sampled_from([[" "], ["  "], ["    "], ["  ", "   "], ["  ", ""]]))
        entries = draw(st.lists(st.tuples(st.sampled_from(indents), key,
                                          value | st.just("") | st.sampled_from(
                                              ["[a, b]", "[]", "- x"])), max_size=3))
        return [f"{draw(key)}:"] + [f"{indent}{name}: {text}".rstrip(" ")
                                    for indent, name, text in entries]
    indent = draw(st.sampled_from(INDENTS))
    items = draw(st.lists(value | st.just(""), max_size=3))
    return [f"{draw(key)}:"] + [f"{indent}- {item}".rstrip(" ") for item in items]


@st.composite
def flat_document(draw: st.DrawFn) -> str:
    """Flat entries with distinct keys and, now and then, one odd entry or line among them:
    the fast path must notice it."""
    entries = draw(st.lists(flat_entry(plain_keys, plain_scalars), max_size=6,
                            unique_by=lambda lines: lines[0].partition(":")[0]))
    if draw(st.booleans()):
        odd = draw(flat_entry(keys, scalars) | st.lists(
            st.sampled_from(["", "  "]) | other_lines | key_line() | item_line(),
            min_size=1, max_size=1))
        entries.insert(draw(st.integers(0, len(entries))), odd)
    return "\n".join(line for entry in entries for line in entry)


documents = st.builds(str.__add__, tricky_document | flat_document(),
                      st.sampled_from(["", "\n", "\n\n"]))


def typed(value: Any) -> Any:
    """value with the type of everything in it spelled out, in order: `True == 1`,
    `date == datetime` subclasses and `0.0 == -0.0` cannot hide a difference."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def outcome(read: Any, front: str, first_line: int) -> Any:
    try:
        return typed(read(front, first_line))
    except FrontMatterError as error:
        return ("error", error.message, error.line)


# FAST_EXAMPLES=50000 runs a long hunt; the default keeps the suite fast.
@settings(max_examples=int(os.environ.get("FAST_EXAMPLES", "1000")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.integers(min_value=1, max_value=4))
def test_fast_path_gives_what_the_loader_gives(front: str, first_line: int) -> None:
    expected = outcome(_load_yaml, front, first_line)
    fast = _load_flat(front, first_line)
    event("fast path" if fast is not None else "loader")
    if fast is not None:
        assert typed(fast) == expected
    assert outcome(load, front, first_line) == expected


@pytest.mark.parametrize("piece", sorted(set(SCALARS + KEYS)))
def test_each_tricky_piece_in_flat_front_matter(piece: str) -> None:
    """Every piece of the grammar as a value, a list item and a key of flat front matter
    (the property test draws a given piece among flat lines only now and then)."""
    for front in (f"a: 1\nk: {piece}\nz: 2\n", f"k: {piece}  \n", f"k:\n  - {piece}\n  - b\n",
                  f"k:\n- a\n- {piece}\nz:\n", f"{piece}: 1\nz: 2\n", f"{piece}:\n  - a\n",
                  f"k:\n  a: {piece}\n  b: 2\n", f"k:\n  {piece}: 1\nz: 2\n"):
        expected = outcome(_load_yaml, front, 3)
        fast = _load_flat(front, 3)
        if fast is not None:
            assert typed(fast) == expected, front
        assert outcome(load, front, 3) == expected, front


EXAMPLE = "date: 2019-02-10\ntags:\n  - journal\nwake-up: 05:30\noutside: yes\nweather: snow\n"
TWELVE_KEYS = (
    "title: Weekly review of the garden\ndate: 2024-03-11\ntype: journal\nmood: 4\n"
    "energy: 7\nsleep: 7.5\ntags:\n  - journal\n  - garden\n  - weekly\naliases:\n"
    "  - week 11\nwake-up: 06:15\noutside: true\nweather: light rain\ndone: false\n")


def test_typical_front_matter_takes_the_fast_path() -> None:
    fast = _load_flat(EXAMPLE, 2)
    assert fast is not None
    assert typed(fast) == typed((
        {"date": date(2019, 2, 10), "tags": ["journal"], "wake-up": "05:30",
         "outside": "yes", "weather": "snow"},
        {"date": 2, "tags": 3, "wake-up": 5, "outside": 6, "weather": 7}))
    assert typed(fast) == typed(_load_yaml(EXAMPLE, 2))


def test_twelve_keys_with_numbers_bools_and_lists_take_the_fast_path() -> None:
    fast = _load_flat(TWELVE_KEYS, 5)
    assert fast is not None
    meta, lines = fast
    assert meta["mood"] == 4 and type(meta["mood"]) is int
    assert meta["sleep"] == 7.5 and meta["outside"] is True and meta["done"] is False
    assert meta["tags"] == ["journal", "garden", "weekly"]
    assert lines["aliases"] == 15 and lines["done"] == 20
    assert typed(fast) == typed(_load_yaml(TWELVE_KEYS, 5))


@pytest.mark.parametrize("front", [
    "", "\n", "  \n\n",
    "tags:\n- a\n-\n- 3\nnext:\n",  # a list at column 0, an empty item, an empty key
    "a: 1\n\nb:\n\n  - x\n   \n  - y\n\n",  # blank lines between entries and items
    "title: Re:hi, [draft] a#b it's {x}\nn: -0x1\nv: 0o17\nf: -.INF\nz: ~\nk a - b: 012\n",
    # flow lists of plain words, as Obsidian users write tags
    "tags: [journal, sick]\ne: []\nf: [ a b , 7,true ,~, 2024-01-05,]\ng: [ ]\n",
    # quoted strings without escapes, as Obsidian writes links in properties
    "goal: \"[[Run a marathon]]\"\nwhy: 'it''s: #1'\nq: \"\"\nl:\n  - \"[[A]]\"\n  - '7'\n",
    # quoted entries of a flow list, as Obsidian writes aliases
    "aliases: [\"Run 10k\", 'it''s', \"\", x, it's, a\"b]\ntags: ['7', \"true\"]\n",
    # a map of check-offs under `habits:` (SPEC 3.3), blank lines and empty values in it
    "habits:\n  Meditate: true\n  Read: false\n  Strength training: 5 km\nmood: 3\n",
    "h:\n    a:\n    b: [x, y]\n\n    c: ~\n    d: 07:00\nz: 1\n",
])
def test_flat_shapes_take_the_fast_path(front: str) -> None:
    fast = _load_flat(front, 2)
    assert fast is not None
    assert typed(fast) == typed(_load_yaml(front, 2))


@pytest.mark.parametrize("front", [
    "a: 1\na: 2\n",  # duplicate key: the loader's error
    "date: 2019-02-30\n",  # invalid date: the loader's error
    "when: 2019-02-10 10:00:00\n",  # a datetime
    "x: .nan\n",  # float('.nan') fails: the loader's error
    "true: 1\n", "1: a\n", "null: a\n",  # keys that are not text
    "# comment\na: 1\n", "a: 1 # comment\n",
    r'a: "q\n"' + "\n", "a: 'q' x\n", 'a: "q" # c\n', "a: {b: 1}\n", "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  text\n", "a: >\n  text\n",
    "a: b\n  continued\n", "a:\n  - - x\n", "a:\n  - x\n - y\n",
    # a mapping under a key: deeper, uneven, mixed with a list, keys not text, duplicates
    "a:\n  b:\n    - x\n", "a:\n  b:\n    c: 1\n", "a:\n  b: 1\n   c: 2\n",
    "a:\n  b: 1\n c: 2\n", "a:\n  - x\n  b: 1\n", "a:\n  b: 1\n  - x\n", "a:\n  true: 1\n",
    "a:\n  1: x\n", "a:\n  b: 1\n  b: 2\n", "a:\n  b: {c: 1}\n", "a:\n  b: 1 # c\n",
    "a: 1\n  b: 2\n", "a:\n  b : 1\n", "a:\n  b: c: d\n",
    "a: Re: hi\n", "a: b:\n", "a:\tb\n", "a: b\r\n", "\ufeffa: 1\n", "  a: 1\n",
    "a: 1\n- x\n", "---\na: 1\n", "a: <<\n", "a: -\n", "a: - x\n",
    "a: [x, [y]]\n", "a: [x: 1]\n", "a: [x, , y]\n", "a: [,]\n", "a: [x\n",
    # quoted entries a comma splits, with text after them, unclosed, escaped, with a `#`
    "a: [\"x, y\"]\n", "a: ['x, y']\n", "a: [\"x\" y]\n", "a: ['x]\n", "a: [\"x\\\"y\"]\n",
    "a: [\"#x\"]\n", "a: [\"x: y\"]\n",
    "a: [x #c]\n", "a: [- x]\n", "a: [2019-02-30]\n",
])
def test_anything_else_is_left_to_the_loader(front: str) -> None:
    assert _load_flat(front, 2) is None
    assert outcome(load, front, 2) == outcome(_load_yaml, front, 2)


def test_a_remembered_line_gives_each_note_its_own_list() -> None:
    # Lines are read once and remembered; a flow list is the one mutable value.
    first, _ = load("tags: [journal, sick]\nmood: 3")
    first["tags"].append("changed")
    second, lines = load("tags: [journal, sick]\nmood: 3")
    assert second == {"tags": ["journal", "sick"], "mood": 3}
    assert lines == {"tags": 2, "mood": 3}
    # A remembered line is still one key: twice is the loader's error, as before.
    assert _load_flat("mood: 3\nmood: 4", 2) is None
    with pytest.raises(FrontMatterError, match="duplicate key 'mood'"):
        load("mood: 3\nmood: 4")
