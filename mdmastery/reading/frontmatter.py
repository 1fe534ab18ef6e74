"""Split a note's front matter from its body and read it as YAML 1.2 core.

python-frontmatter is not used for the split: it strips the whole text (a BOM
then hides the metadata), turns non-mapping front matter into `{}`, and its
loader gives YAML 1.1 meanings (`yes` -> True, `10:45` -> 645). We split on the
`---` lines ourselves. Flat front matter (`key: value` lines and lists of plain
words, what nearly every note has) is read here, line by line; anything else goes to
yaml12.py, a loader of our own built on PyYAML's C loader, imported only then. Both
give values by the same YAML 1.2 core rules (yaml_core.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from .yaml_core import RESOLVERS, SCALAR_CONVERTERS, FrontMatterError

__all__ = ["FrontMatterError", "Split", "load", "split"]


# The fast path: most front matter is flat `key: value` lines and lists of plain words,
# for which PyYAML's Python-level constructor costs several times the reading itself.
# It reads that shape line by line, giving values with the loader's own resolvers and
# converters, and declines (None) anything else, so the loader reads it as before.

# Outside YAML's printable set, or a tab, CR, NEL, LS, PS (line breaks to libyaml) or BOM.
# (Spelled as the characters it finds, not the complement of the printable ones: the same
# set, much quicker to compile at import.)
_UNSAFE = re.compile("[\x00-\t\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# A plain key at column 0 with no space before the colon; libyaml refuses a simple key
# longer than 1,024 characters, so long ones are left to it.
# Values are matched greedily up to their last non-space: trailing spaces are not text.
_KEY_LINE = re.compile(r"([A-Za-z0-9_](?:[A-Za-z0-9 _-]{0,126}[A-Za-z0-9_-])?):"
                       r"(?: +([^ ](?:.*[^ ])?))? *")
_ITEM_LINE = re.compile(r"( *)-(?: +([^ ](?:.*[^ ])?))? *")
# The same key line indented: an entry of a mapping under a key (`habits:` then
# `  Meditate: true`, the map of check-offs SPEC 3.3 allows).
_NESTED_LINE = re.compile(r"( +)([A-Za-z0-9_](?:[A-Za-z0-9 _-]{0,126}[A-Za-z0-9_-])?):"
                          r"(?: +([^ ](?:.*[^ ])?))? *")
# A first character that makes a scalar something else than plain text (a `-` before a
# digit or a dot is the sign of a number, the only use of it taken here).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`\\")
_NUMBER_START = frozenset("0123456789.")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain_date(text: str) -> date:
    """Read YYYY-MM-DD as PyYAML's timestamp constructor does; other timestamps decline."""
    if _PLAIN_DATE.fullmatch(text) is None:
        raise ValueError("a timestamp with a time is left to the loader")
    return date(int(text[:4]), int(text[5:7]), int(text[8:]))


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    **SCALAR_CONVERTERS,
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:timestamp": _plain_date,
}


# RESOLVERS by first character, as PyYAML keeps them.
_RESOLVERS_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _regexp, _first in RESOLVERS:
    for _char in _first:
        _RESOLVERS_BY_FIRST.setdefault(_char, []).append((_tag, _regexp))


def _resolve_tag(text: str) -> str | None:
    """Return the tag the implicit resolvers give plain text, None for a string.

    The resolvers are kept by first character; most text starts with none of theirs.
    """
    resolvers = _RESOLVERS_BY_FIRST.get(text[0])
    if resolvers is not None:
        for tag, regexp in resolvers:
            if regexp.match(text):
                return tag
    return None


# A quoted string on one line without escapes (`goal: "[[Run a marathon]]"`); in single
# quotes, `''` is a quote.
_QUOTED = re.compile(r'"[^"\\]*"|\'(?:[^\']|\'\')*\'')


def _scalar(text: str) -> Any:
    """Return the value of a one-line plain or quoted scalar; ValueError when unsure of it.

    A value whose first character is an indicator, holding `: ` (a nested mapping) or
    ` #` (a comment), or ending in `:` is not plain, or not only plain, text.
    """
    first = text[0]
    if first in "\"'" and _QUOTED.fullmatch(text) is not None:
        return text[1:-1] if first == '"' else text[1:-1].replace("''", "'")
    if ((first in _INDICATORS and not (first == "-" and text[1:2] in _NUMBER_START))
            or ": " in text or " #" in text or text.endswith(":")):
        raise ValueError("not a plain scalar")
    tag = _resolve_tag(text)
    if tag is None:
        return text
    convert = _CONVERTERS.get(tag)
    if convert is None:  # `<<`, a merge key where a value should be
        raise ValueError(f"no fast reading for {tag}")
    return convert(text)  # ValueError for 2019-02-30 or a 5,000-digit int: the loader says why


# Characters an entry of a flow list `[a, b]` may not hold here: flow indicators,
# comments and `:` (a `key: value` pair inside the list) go to the loader. Quotes may
# open an entry (`aliases: ["Run, again"]` is split at its comma, and its halves are no
# quoted strings: declined) or stand inside a plain word (`it's`).
_FLOW_UNSAFE = re.compile(r"[\[\]{}#:]")


def _value(text: str) -> Any:
    """Return the value of a key's one-line text: a plain scalar or a flow list of plain
    words or quoted strings (`tags: [journal, sick]`, `aliases: ["Run 10k"]`, as Obsidian
    users write them); ValueError else."""
    if not text.startswith("[") or not text.endswith("]"):
        return _scalar(text)
    inner = text[1:-1]
    if _FLOW_UNSAFE.search(inner) is not None:
        raise ValueError("not a flow list of plain words")
    if not inner.strip(" "):
        return []
    words = [word.strip(" ") for word in inner.split(",")]
    if len(words) > 1 and not words[-1]:
        words.pop()  # `[a, b,]`: YAML allows a trailing comma
    if not all(words):
        raise ValueError("an empty entry in a flow list")
    return [_scalar(word) for word in words]


@lru_cache(maxsize=4096)
def _key_line(line: str) -> tuple[str, Any, bool] | None:
    """Read a `key: value` or `key:` line: its key, its value and whether it has none (a
    block may follow); None for another line, ValueError when unsure of it. Remembered:
    notes repeat the same lines (`tags: [journal]`, `mood: 3`). The values are immutable
    but for a flow list's list, which the caller copies."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        return None
    key, value = match.groups()
    if _resolve_tag(key) is not None:
        raise ValueError("not a plain key")  # `true:`, `1:`: the loader decides
    return key, None if value is None else _value(value), value is None


def _load_flat(front: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]] | None:
    """Read flat front matter as load does, or return None for anything else.

    Taken: `key: value` and `key:` lines at column 0, each key once, a flow list of plain
    words as a value, and under an empty key either a block list of plain scalars
    (`- item`) or a mapping of plain keys to such values (`  name: value`), its lines
    all at one indent; blank lines anywhere. Comments, quotes, flow mappings, deeper
    nesting, tags, anchors, multi-line scalars and keys that are not plain text (`true:`,
    `1:`) are left to the loader.
    """
    if _UNSAFE.search(front) is not None:
        return None
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    open_key: str | None = None  # the last key, while it has no value but a block may follow
    block: list[Any] | dict[str, Any] | None = None  # the block under open_key, once begun
    indent = 0
    try:
        for index, line in enumerate(front.split("\n")):
            found = _key_line(line)
            if found is not None:
                key, value, empty = found
                if key in data:
                    return None  # a duplicate is an error the loader words
                lines[key] = first_line + index
                data[key] = value.copy() if type(value) is list else value
                open_key = key if empty else None
                block = None
                continue
            if open_key is None:
                if line.strip(" "):
                    return None
                continue  # a blank line
            match = _ITEM_LINE.fullmatch(line)
            if match is not None:
                spaces, value = match.groups()
                if block is None:
                    block = data[open_key] = []
                    indent = len(spaces)
                elif not isinstance(block, list) or len(spaces) != indent:
                    return None
                block.append(None if value is None else _scalar(value))
                continue
            match = _NESTED_LINE.fullmatch(line)
            if match is not None:
                spaces, key, value = match.groups()
                if block is None:
                    block = data[open_key] = {}
                    indent = len(spaces)
                elif not isinstance(block, dict) or len(spaces) != indent:
                    return None
                if key in block or _resolve_tag(key) is not None:
                    return None
                block[key] = None if value is None else _value(value)
                continue
            if line.strip(" "):
                return None
    except ValueError:
        return None
    return data, lines


class Split(NamedTuple):
    """A note's text cut into front matter and body (a named tuple: one a note)."""

    front: str | None  # the YAML text between the fences, None when there is none
    body: str
    body_line: int  # the 1-based line of the note where the body starts
    warning: str | None = None  # why the opening fence was not taken as front matter


_FENCE = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split(text: str) -> Split:
    """Cut text (LF line endings, no BOM) into front matter and body."""
    if text.startswith("+++") and text[3:4] in ("\n", " ", "\t", ""):
        end = re.search(r"^\+\+\+[ \t]*$", text[3:], re.M)
        if end is not None:
            rest = text[3 + end.end():]
            rest = rest[1:] if rest.startswith("\n") else rest
            line = text.count("\n", 0, len(text) - len(rest)) + 1
            return Split(None, rest, line, "TOML front matter (+++) is not read; skipped")
    if not _FENCE.match(text):
        return Split(None, text, 1)
    start = text.index("\n") + 1
    close = _CLOSE.search(text, start)
    if close is None:
        return Split(None, text, 1, "front matter has no closing '---'; read as body")
    front = text[start:close.start()]
    after = close.end()
    if text.startswith("\n", after):
        after += 1
    return Split(front, text[after:], text.count("\n", 0, after) + 1)


def load(front: str, first_line: int = 2) -> tuple[dict[str, Any], dict[str, int]]:
    """Read front matter YAML into a mapping and the line of each top-level key.

    first_line is the note's line number of the YAML's first line. Raises
    FrontMatterError with a line number for anything that is not a readable mapping.
    Flat front matter, the usual kind, is read by a fast path giving the same result.
    """
    flat = _load_flat(front, first_line)
    return flat if flat is not None else _load_yaml(front, first_line)


def _load_yaml(front: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Read any front matter with the YAML loader, as load does without its fast path."""
    from .yaml12 import load_yaml  # (PyYAML, imported only for front matter that needs it)

    return load_yaml(front, first_line)


