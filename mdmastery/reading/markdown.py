"""Bodies parsed by markdown-it-py (CommonMark), which knows code blocks, block quotes
and nested lists exactly: what the scanner hands off (scanner.py). markdown-it-py is
imported when a body first needs it (it is slow to import)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .body import Body, Field, Heading, ListItem, inline_fields, mask_code

_TASK = re.compile(r"\[(.)\](?:[ \t]+|$)")
@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt  # (imported when a body first needs it)

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def fenced_blocks(body: str, info: str, first_line: int = 1) -> tuple[tuple[int, str], ...]:
    """Return the (line of the opening fence, text) of each fenced code block of a body
    whose info string is info (```habittracker), as CommonMark finds them."""
    return tuple((first_line + token.map[0], token.content)
                 for token in _markdown().parse(body)
                 if token.type == "fence" and token.info.strip().split(" ")[0] == info
                 and token.map is not None)


def parse_body_markdown_it(body: str, first_line: int = 1) -> Body:
    """Parse a body with markdown-it-py; first_line is the note line of its first line."""
    tokens = _markdown().parse(body)
    headings: list[Heading] = []
    items: list[ListItem] = []
    fields: list[Field] = []
    stack: list[tuple[int, str]] = []  # open headings: (level, lower-case text)
    item_start: int | None = None  # set right after list_item_open
    last_map: list[int] = [0, 1]
    for index, token in enumerate(tokens):
        if token.map is not None:
            last_map = token.map
        if token.type == "list_item_open":
            item_start = index
            continue
        if token.type == "heading_open":
            inline = tokens[index + 1]
            level = int(token.tag[1])
            text = inline.content.strip()
            headings.append(Heading(first_line + last_map[0], level, text))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text.lower()))
            continue
        if token.type != "inline":
            if token.type != "paragraph_open":
                item_start = None
            continue
        content = mask_code(token.content)
        base = first_line + last_map[0]
        first_of_item = item_start is not None and index == item_start + 2
        item_start = None
        for offset, text in enumerate(content.split("\n")):
            line = base + offset
            if offset == 0 and first_of_item:
                task = None
                raw = token.content.split("\n", 1)[0]
                # Match the box on the raw text: masked code is blank and would be eaten.
                match = _TASK.match(raw)
                if match is not None:
                    task = match.group(1)
                    text = text[match.end():]
                    raw = raw[match.end():]
                items.append(ListItem(line, raw.strip(), task,
                                      tuple(name for _, name in stack)))
            inline_fields(line, text, fields)
    return Body(tuple(headings), tuple(items), tuple(fields))
