"""The fast line scanner agrees with markdown-it-py, or hands the body over.

`scan_body` must either raise HandOff or return exactly what
`parse_body_markdown_it` returns. Hypothesis builds markdown-ish bodies from
fragments chosen to sit on the edges of both parsers; the sample vault and a
generated vault check the same on real-looking notes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mdmastery.reading import frontmatter
from mdmastery.reading.files import list_notes, read_bytes
from mdmastery.reading.markdown import parse_body_markdown_it
from mdmastery.reading.note import decode
from mdmastery.reading.scanner import HandOff, parse_body, scan_body

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "sample-vault"
GENERATOR = ROOT / "benchmarks" / "generate_vault.py"

WORDS = st.sampled_from(["Meditate", "run", "read 20 pages", "x", "café", "Deep work",
                         "a*b*", "_u_", "2026-11-20", "✅ 2026-11-03", "📅 2026-12-01",
                         "#tag", "\\|", "|", "::", "a::b", "<b>", "&amp;", "\\", "*", "~"])
INDENTS = st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "     ", "\t", " \t",
                           "\t\t", "      ", "        ", "\xa0", " \u3000", "\u2003 "])
BOXES = st.sampled_from([" ", "x", "X", "-", "/", ">", "?", "", "  ", "xx"])
BULLETS = st.sampled_from(["-", "*", "+", "1.", "2.", "1)", "10.", "-\t"])
KEYS = st.sampled_from(["mood", "energy", "Meditate", "read-20-pages", "Deep Work",
                        "**Bold**", "pages", "due", "completion", "a b"])
TARGETS = st.sampled_from(["Meditate", "Habits/Run", "Goals/Ship it", "2026-11-20", ""])


def _text() -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=0, max_size=4).map(" ".join)


@st.composite
def inline(draw: st.DrawFn) -> str:
    """Inline text: words, fields in three forms, wikilinks, code spans."""
    parts = draw(st.lists(st.one_of(
        _text(),
        st.builds(lambda k, v: f"{k}:: {v}", KEYS, _text()),
        st.builds(lambda k, v: f"[{k}:: {v}]", KEYS, _text()),
        st.builds(lambda k, v: f"({k}:: {v})", KEYS, _text()),
        st.builds(lambda t: f"[[{t}]]", TARGETS),
        st.builds(lambda t, a: f"[[{t}|{a}]]", TARGETS, _text()),
        st.builds(lambda t: f"[[{t}#Heading]]", TARGETS),
        st.builds(lambda t: f"![[{t}]]", TARGETS),
        st.builds(lambda t: f"`{t}`", _text()),
        st.builds(lambda t: f"``{t}``", _text()),
        st.just("`"),
    ), min_size=1, max_size=4))
    return " ".join(parts)


@st.composite
def line(draw: st.DrawFn) -> str:
    """One line of a note body (or a small block of lines)."""
    indent = draw(INDENTS)
    kind = draw(st.sampled_from([
        "heading", "task", "item", "fence", "field", "text", "quote", "callout", "table",
        "html", "setext", "blank", "blank", "rule", "reference", "closing_fence",
    ]))
    if kind == "heading":
        level = draw(st.integers(1, 7))
        closing = draw(st.sampled_from(["", " #", " ##", "#"]))
        space = draw(st.sampled_from([" ", "  ", "\t", ""]))
        return f"{indent}{'#' * level}{space}{draw(inline())}{closing}"
    if kind == "task":
        box = draw(BOXES)
        gap = draw(st.sampled_from([" ", "  ", "", "\t"]))
        return f"{indent}{draw(BULLETS)} [{box}]{gap}{draw(inline())}"
    if kind == "item":
        gap = draw(st.sampled_from([" ", " ", "  ", "     ", "\t", ""]))
        rest = draw(st.one_of(inline(), st.sampled_from(
            ["", "> quoted", "# heading", "```", "- nested", "1. nested", "---", "<div>",
             "| a | b |"])))
        return f"{indent}{draw(BULLETS)}{gap}{rest}"
    if kind == "fence":
        marker = draw(st.sampled_from(["```", "~~~", "````", "``", "~~~~"]))
        info = draw(st.sampled_from(["", "python", "dataview", "a`b", " tasks"]))
        inner = draw(st.lists(st.sampled_from(
            ["- [x] Meditate", "mood:: 5", "# not a heading", "[[Fake]]", "```", "~~~",
             "", "   ```", "    ```"]), max_size=4))
        closing = draw(st.sampled_from([marker, "", marker + "`", "  " + marker]))
        return "\n".join([f"{indent}{marker}{info}", *inner, closing])
    if kind == "closing_fence":
        return f"{indent}{draw(st.sampled_from(['```', '~~~', '````']))}"
    if kind == "field":
        return f"{indent}{draw(KEYS)}:: {draw(inline())}"
    if kind == "text":
        return f"{indent}{draw(inline())}"
    if kind == "quote":
        marker = draw(st.sampled_from(["> ", ">", ">  ", "> > ", ">\t", "  > "]))
        content = draw(st.one_of(inline(), st.sampled_from(
            ["- [ ] task in quote", "- [x] Meditate", "# Wins", "```", "", "mood:: 3",
             "| a | b |", "|---|---|", "    code", "1. first"])))
        return f"{indent}{marker}{content}"
    if kind == "callout":
        kind_name = draw(st.sampled_from(["note", "tip", "warning", "info"]))
        body = draw(st.lists(st.one_of(inline(), st.sampled_from(
            ["- [x] Meditate", "- [ ] Run", "", "mood:: 4", "## Gratitude", "  - nested"])),
            max_size=3))
        return "\n".join([f"{indent}> [!{kind_name}] {draw(_text())}",
                          *(f"> {b}" if b else ">" for b in body)])
    if kind == "table":
        columns = draw(st.integers(1, 4))
        header = " | ".join(draw(st.lists(_text(), min_size=columns, max_size=columns)))
        rule = draw(st.sampled_from(["|", ""])) + "|".join(
            draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:", " --- ", "-"]),
                          min_size=columns, max_size=columns))) + draw(
            st.sampled_from(["|", ""]))
        rows = draw(st.lists(st.lists(inline(), min_size=0, max_size=columns + 1),
                             max_size=3))
        lead = draw(st.sampled_from(["| ", "", "|"]))
        return "\n".join([f"{indent}{lead}{header} |", f"{indent}{rule}",
                          *(f"{indent}| {' | '.join(r)} |" for r in rows)])
    if kind == "html":
        return f"{indent}{draw(st.sampled_from(['<div>', '<!-- c -->', '</div>', '<br>']))}"
    if kind == "setext":
        return f"{indent}{draw(st.sampled_from(['===', '---', '-', '=', '- - -']))}"
    if kind == "rule":
        return f"{indent}{draw(st.sampled_from(['***', '___', '* * *', '-----']))}"
    if kind == "reference":
        return f"{indent}[{draw(_text())}]: http://example.com"
    return ""


BODIES = st.lists(line(), max_size=14).map("\n".join)


def assert_agrees(body: str, first_line: int = 1) -> bool:
    """Check scan_body against markdown-it; return whether the fast path was taken."""
    try:
        fast = scan_body(body, first_line)
    except HandOff:
        return False
    assert fast == parse_body_markdown_it(body, first_line), body
    return True


@settings(max_examples=int(os.environ.get("SCANNER_EXAMPLES", "800")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(BODIES, st.integers(1, 40))
@example("| a | b |\n|---|---|\n| [[x\\|y]] | mood:: 3 |", 1)
@example("> [!tip] Remember\n> - [x] Meditate\n> mood:: 4\n\nafter", 3)
@example("- item\n> quote", 1)
@example("para\n| a |\n|---|\n| b", 1)
def test_scanner_agrees_with_markdown_it(body: str, first_line: int) -> None:
    assert_agrees(body, first_line)


def test_markdown_it_path_keeps_a_code_span_after_the_task_box() -> None:
    body = "- [ ] `Meditate` daily"
    assert parse_body_markdown_it(body).items[0].text == "`Meditate` daily"


COMMON = [
    # (body, whether the scanner must handle it without markdown-it)
    ("# Day\n\n- [x] Meditate 20 min\n- [ ] Run\n\nmood:: 4\n", True),
    ("## Habits\n| Date | Habit | Done |\n|---|---|---|\n| 2026-01-01 | Run | yes |\n", True),
    ("> [!note] Remember\n> - [x] Meditate\n> energy:: 3\n\nText [[Habits/Run|run]].\n", True),
    ("> A quote\n> — someone\n", True),
    ("```\n- [x] not a task\n```\n\n1. one\n   - [x] two\n", True),
    ("## Gratitude\n1. \n2. \n3. \n\n## Wins\n- \n", True),
    ("Setext\n===\n", False),
    ("<div>\n- [x] html\n</div>\n", False),
    ("    indented code\n", True),
    ("## Snippet\n\nKept as code:\n\n    - [x] Meditate\n    run:: true\n\n## Journal\n", True),
]


@pytest.mark.parametrize(("body", "fast"), COMMON)
def test_common_constructs_take_the_fast_path(body: str, fast: bool) -> None:
    assert assert_agrees(body) is fast
    assert parse_body(body) == parse_body_markdown_it(body)


# Edge cases of the scanner"s shortcuts for common lines, which the strategy above rarely
# builds, and whether the scanner must take them without markdown-it.
EDGES = [
    # `-`, `*`, `+` lines with three markers: thematic breaks, or items
    ("- - -", True), ("* * *", True), ("- - x", False), ("- -- x", True), ("-- -", True),
    ("- -x", True), ("* - *", False), ("- * -", False), ("+ + +", False),
    ("-\t-\t-", True), ("- ** *", False), ("* *x*", True), ("- -\n- - -", False),
    ("para\n- - -", False), ("para\n* * *", True),
    ("- a\n- - -", True), ("- a\n* * *", True), ("- a\n  - - -", True),
    ("- a\n  - -x -", True),
    # bullets with one space after the marker (the shortcut) and their neighbours
    ("- x", True), ("-  x", True), ("-\tx", False), ("- \tx", False), ("- \xa0x", True),
    ("-", False), ("- ", False), ("- a\n-", False), ("para\n- ", False),
    ("- a\n\t- b\n\t\t- c", True), ("- a\n  - b\n - c", True), ("1. a\n   - b\n- c", True),
    # a `|` in a list item, also on the last line
    ("- a\n  - |", False), ("- |", False), ("- a\n- |", False), ("- a | b\n|---|---|", True),
    ("  - x|y", True), ("- a\n  - --|", True),
    # task boxes
    ("- [x]", True), ("- [x] ", True), ("- [x]\ty", True), ("- [x]\xa0y", True),
    ("- []] y", True), ("- [x]  [[a]] k:: v", True),
    ("- [`] y", False), ("- [x] `a`", True), ("- [x] ` y", False),
    ("- [x] `k:: v` [[b]]", True),
    ("- [x]y", True), ("- []", True), ("- [] y", True), ("- [xy] z", True), ("- [\t] y", True),
    ("- [é] y", True), ("- [x]\t \ty", True), ("- [ ]  ", True), ("- [[x]] y", True),
    ("- [x] [y] z", True), ("- [ ]\xa0", False), ("- [x]]", True), ("* [-] y", True),
    ("1. [x] y", True), ("- a\n  - [>] b", True),
    # headings at the margin
    ("#", True), ("# ", True), ("#\tx", True), ("#tag", True), ("####### x", True),
    ("###### x", True), ("# x #", True), ("# x#", True), ("# #", True),
    ("#  x  ##  ", True), ("# x \\#", True), ("# x #\xa0", True), ("# x\xa0#", True),
    ("# [[a]] k:: v", True), ("# `[[a]]`", True),
    ("- a\n# h\n- b", True), ("para\n# h", True), ("# a\n## b\n- x\n# c\n- y", True),
    ("### a\n# b\n- x", True),
    # tables: escaped pipes, short and long rows
    ("| a | b |\n|---|---|\n|", True), ("| a | b |\n|---|---|\n| x", True),
    ("| a | b |\n|---|---|\n| x | y | z |", True),
    ("| a | b |\n|---|---|\n| [[x\\|y]] | k:: v |", True), ("| a |\n|---|\n|\\|| y", True),
    ("| a |\n|---|\n  | b |\n    | c |", False),
    ("| [[a]] | k:: v |\n|---|---|\n| b | c |", True),
    # blank lines, and lines of blanks, in fences and lists
    ("```\n   \n- [x] no\n```\n- [x] yes", True), ("- a\n  ```\n  \n   \n  ```\n- b", True),
    ("- a\n   \n  b", True),
    ("- a\n\t\n\tb", True), ("```\n\n# no\n\n```\n# yes", True),
    # empty list items, as daily-note templates leave them: nothing to list
    ("## Wins\n- \n\n## Lessons\n-\n", True), ("# G\n1. \n2. \n3.\n", True),
    ("- a\n- \n- [x] b", True), ("- a\n* \n- b", True), ("- a\n  - b\n- \n  - c", False),
    ("- a\n\n  - \n  - b", True), ("- \n  x", False), ("-\n\n  x", False),
    ("para\n- ", False), ("para\n* ", False), ("para\n1.", False), ("- a\n  - ", False),
    ("- a\n  *", False), ("-\n---", True), ("-\n===", True), ("- \xa0", False),
    ("- [ ] ", True), ("1) \n\n   k:: v", False), ("+\t\n\n\tx", False),
    # indented code blocks: nothing in them counts; they cannot interrupt a paragraph
    ("    - [x] a\n\n\tk:: v\n  \n        # h\n- [x] b", True), ("# h\n    k:: v", True),
    ("    a\n   - [x] b", True), ("    a\n  ===", True), ("    a\n---", True),
    ("para\n    k:: v", True), ("```\n```\n    k:: v", True), ("> q\n\n    k:: v", True),
    ("> a\n>     - [x] b", True), ("- a\n\n    k:: v", True), ("- a\n\n      k:: v", False),
    ("1.   a\n\n    k:: v", False), ("- a\n# h\n    k:: v", True), ("***\n    k:: v", True),
    ("    a\n| b |\n|---|", True),
    # a block quote or table followed by more lines (the lines scanned apart are skipped)
    ("> a\n> - [x] b\n\n- [ ] c", True), ("| a |\n|---|\n| b |\n\n- [x] c\n# d", True),
    # lines starting with whitespace other than spaces and tabs (pasted no-break spaces)
    ("\xa0k:: v", False), ("\xa0\n[[a]] x", False), ("- a\n\u3000- b", False),
    ("a\xa0k:: v", True), (" \u3000- mood:: x", False), ("\x0bk:: v", False),
    ("a\n\x0c- b", False), ("\x1f# x", False),
    ("café\n\u3000- [x] b", False), ("> a\n>\xa0k:: v", False), ("```\n\u2003x\n```", False),
    ("| a |\n|---|\n\xa0| b |", False), ("- a\n  \xa0- b", False), ("café — ok:: 1", True),
]


@pytest.mark.parametrize(("body", "fast"), EDGES)
def test_edge_cases_of_the_shortcuts_agree_with_markdown_it(body: str, fast: bool) -> None:
    taken = assert_agrees(body)
    if fast:  # (a body handed off today may be taken later)
        assert taken
    assert_agrees(body + "\n\nafter")


@pytest.mark.parametrize(("row", "rows", "fast"), [
    ("|x|", 1, True), ("|x|", 2, False), ("|x", 2, False), ("|x|y|", 2, True),
    ("|x\\|y|", 2, False), ("|x|y", 2, True),
])
def test_huge_tables_go_to_markdown_it(row: str, rows: int, fast: bool) -> None:
    # markdown-it stops filling in short rows past 65536 cells: with 32770 columns, two
    # rows of one cell are past it, two of two cells just not.
    body = "|" + "a|" * 32770 + "\n|" + "-|" * 32770 + "\n" + (row + "\n") * rows
    try:
        scan_body(body)
    except HandOff:
        assert not fast
    else:
        assert fast


def _bodies(root: Path) -> list[tuple[str, str, int]]:
    files, _ = list_notes(root)
    bodies = []
    for file in files:
        data = read_bytes(root, file, 5_000_000)
        assert isinstance(data, bytes)
        text, _problem = decode(file.path, data)
        if text is None:
            continue
        parts = frontmatter.split(text)
        bodies.append((file.path, parts.body, parts.body_line))
    return bodies


def test_every_sample_vault_note_parses_the_same_both_ways() -> None:
    bodies = _bodies(SAMPLE)
    assert len(bodies) > 50
    for path, body, first_line in bodies:
        assert parse_body(body, first_line) == parse_body_markdown_it(body, first_line), path


@pytest.fixture(scope="module")
def generated_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GENERATOR.exists():
        pytest.skip("benchmarks/generate_vault.py is missing")
    root = tmp_path_factory.mktemp("generated") / "vault"
    subprocess.run([sys.executable, str(GENERATOR), str(root), "--notes", "1000"],
                   check=True, capture_output=True)
    return root


def test_every_generated_note_parses_the_same_both_ways(generated_vault: Path) -> None:
    bodies = _bodies(generated_vault)
    assert len(bodies) >= 1000
    fast = 0
    for path, body, first_line in bodies:
        fast += assert_agrees(body, first_line)
        assert parse_body(body, first_line) == parse_body_markdown_it(body, first_line), path
    # Every generated note takes the fast path, its indented code and empty list items
    # too: a cold run of a generated vault never imports markdown-it (~20 ms a process).
    assert fast == len(bodies), len(bodies) - fast
