"""The fast path for note bodies: a line scanner for the common Markdown constructs.

markdown-it-py is exact but costs ~600 us a note; this scanner finds the same
headings, list items, tasks, inline fields and wikilinks in ~20 us for notes made
of plain paragraphs, ATX headings, fenced code and simple (nested) lists. When a
body holds anything it does not handle exactly (block quotes and callouts, HTML,
indented code, setext headings, tables, lazy or unusual list forms), it hands the
whole body to markdown-it-py. tests/test_scanner.py checks the two agree.
"""

from __future__ import annotations

import re

from .notes import (
    Body,
    Field,
    Heading,
    Link,
    ListItem,
    inline_elements,
    mask_code,
    parse_body_markdown_it,
)


class HandOff(Exception):
    """The body holds a construct the scanner does not handle exactly."""


_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BULLET = re.compile(r"([-*+])([ \t]+|$)")
_ORDERED = re.compile(r"(\d{1,9})([.)])([ \t]+|$)")
_BREAK = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TASK = re.compile(r"\[(.)\](?:[ \t]+|$)")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$")
_RISKY_START = ("<", ">")
_REFERENCE = re.compile(r"\[[^\]]+\]:")


def _indent(line: str) -> tuple[int, str]:
    """Return the column width of the leading whitespace (tabs to 4) and the rest."""
    stripped = line.lstrip(" \t")
    lead = line[:len(line) - len(stripped)]
    if "\t" not in lead:
        return len(lead), stripped
    width = 0
    for char in lead:
        width = width + 4 - width % 4 if char == "\t" else width + 1
    return width, stripped


def scan_body(body: str, first_line: int = 1) -> Body:
    """Scan a body line by line; raises HandOff when markdown-it must decide."""
    headings: list[Heading] = []
    items: list[ListItem] = []
    fields: list[Field] = []
    links: list[Link] = []
    stack: list[tuple[int, str]] = []
    fence: str | None = None  # the open fence's marker
    fence_indent = 0
    # What the previous line was: "blank", "para" (paragraph text), "item", "other".
    previous = "blank"
    # Content columns of the open list items, innermost last.
    columns: list[int] = []
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        width, text = _indent(line)
        if fence is not None:
            if width - fence_indent < 4 and text.startswith(fence[0] * len(fence)) and \
                    not text.lstrip(fence[0]).strip():
                fence = None
                previous = "other"
            continue
        if not text:
            previous = "blank"
            continue
        # Leave list context on a line that is not indented into the innermost item.
        while columns and width < columns[-1] and previous == "blank":
            columns.pop()
        base = columns[-1] if columns else 0
        relative = width - base
        if relative >= 4:
            if previous == "blank" or previous == "item":
                raise HandOff("indented code")
            # A lazy continuation line of a paragraph.
            inline_elements(number, mask_code(text.rstrip()), fields, links)
            continue
        if text.startswith(_RISKY_START) or ("|" in text and _TABLE_RULE.match(text)) or \
                (text.startswith("[") and _REFERENCE.match(text)):
            raise HandOff("block quote, HTML, reference or table")
        if columns and width < columns[-1] and previous != "blank" and \
                (text[0] in "#`~" or _BREAK.match(text)):
            # A heading, fence or rule that is not indented into the item ends the list.
            if width >= columns[0]:
                raise HandOff("block inside a list item")
            columns.clear()
        fence_match = _FENCE.match(text)
        if fence_match is not None:
            if fence_match.group(1)[0] == "`" and "`" in fence_match.group(2):
                raise HandOff("backticks in a fence info string")
            fence = fence_match.group(1)
            fence_indent = width
            previous = "other"
            continue
        if previous == "para" and _SETEXT.match(text):
            raise HandOff("setext heading")
        atx = _ATX.match(text)
        if atx is not None:
            if columns:
                if width < columns[0]:
                    columns.clear()
                else:
                    raise HandOff("heading inside a list")
            level = len(atx.group(1))
            title = (atx.group(2) or "").strip()
            headings.append(Heading(number, level, title))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title.lower()))
            inline_elements(number, mask_code(title), fields, links)
            previous = "other"
            continue
        if _BREAK.match(text):
            if previous == "para" and text.startswith("-"):
                raise HandOff("setext heading")
            columns.clear()
            previous = "other"
            continue
        marker = _BULLET.match(text) or _ORDERED.match(text)
        if marker is not None:
            rest = text[marker.end():]
            if not rest.strip():
                raise HandOff("empty list item")
            if previous == "para" and not columns and marker.re is _ORDERED and \
                    marker.group(1) != "1":
                raise HandOff("ordered item interrupting a paragraph")
            gap = len(marker.group(marker.lastindex or 0).expandtabs(4))
            if "\t" in marker.group(0) or gap > 4:
                raise HandOff("unusual list item spacing")
            # New item: it closes open items it is not nested in.
            while columns and width < columns[-1]:
                columns.pop()
            columns.append(width + marker.end())
            task = None
            task_match = _TASK.match(rest)
            raw = rest.rstrip()
            if task_match is not None:
                task = task_match.group(1)
                raw = rest[task_match.end():].rstrip()
            masked = mask_code(rest.rstrip())
            if task_match is not None:
                masked = masked[task_match.end():]
            items.append(ListItem(number, raw.strip(), task, tuple(n for _, n in stack)))
            inline_elements(number, masked, fields, links)
            previous = "item"
            continue
        if columns and previous == "blank" and width < columns[-1]:
            columns.clear()
        stripped = text.rstrip()
        if "`" in stripped and stripped.count("`") % 2:
            # A code span may run over lines; only markdown-it pairs those up exactly.
            raise HandOff("code span across lines")
        inline_elements(number, mask_code(stripped), fields, links)
        previous = "para"
    return Body(tuple(headings), tuple(items), tuple(fields), tuple(links))


def parse_body(body: str, first_line: int = 1) -> Body:
    """Parse a body: the scanner when it can, markdown-it-py when it must."""
    try:
        return scan_body(body, first_line)
    except HandOff:
        return parse_body_markdown_it(body, first_line)
