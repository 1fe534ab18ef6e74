"""The elements of a note's body the model reads: headings, list items (tasks among them)
and Dataview inline fields, each with its line; and how inline fields are found in a
line of text. The parsers (scanner.py, markdown.py) make them."""

from __future__ import annotations

import re
from typing import NamedTuple


# The elements of a body are named tuples, not frozen dataclasses: a note has dozens and
# a tuple is built faster (docs/performance.md).
class Heading(NamedTuple):
    line: int
    level: int
    text: str


class ListItem(NamedTuple):
    """The first line of a list item; task is its box character (' ', 'x', '-', ...)."""

    line: int
    text: str
    task: str | None
    sections: tuple[str, ...]  # the headings above it, outermost first, lower case


class Field(NamedTuple):
    """A Dataview inline field `key:: value` (full line, `[key:: value]` or `(key:: value)`)."""

    line: int
    key: str
    value: str


class Body(NamedTuple):
    """The elements of a note's body the model reads (a named tuple, as its elements:
    one or two a note)."""

    headings: tuple[Heading, ...] = ()
    items: tuple[ListItem, ...] = ()
    fields: tuple[Field, ...] = ()


EMPTY_BODY = Body()  # (a note's body before it is parsed, or one that holds nothing)


_BACKTICKS = re.compile(r"`+")
_NOT_NEWLINE = re.compile(r"[^\n]")
_FULL_LINE_FIELD = re.compile(
    r"^(?:\*\*|__)?(?P<key>[^\s\[\]()*_:`>#][^\[\]()*:`]*?)(?:\*\*|__)?::[ \t]*(?P<value>.*?)\s*$")
_BRACKET_KEY = re.compile(r"[\[(](?P<key>[^\s\[\]()*:`][^\[\]()*:`]*?)::")


def mask_code(text: str) -> str:
    """Blank out inline code spans, keeping offsets and newlines.

    As in CommonMark, a run of N backticks opens a span that the next run of exactly
    N closes; a run without such a closer is literal text. Each length keeps a
    pointer into the runs of that length, so the work is linear: a regex trying
    every opener against the rest of the text took minutes on a 100 KB line of
    backtick runs of growing length.
    """
    if "`" not in text:
        return text
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    next_of_length = dict.fromkeys(by_length, 0)
    pieces: list[str] = []
    done = 0  # text[:done] is already in pieces
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        position = next_of_length[end - start]
        while position < len(same) and same[position] <= index:
            position += 1
        next_of_length[end - start] = position
        if position == len(same):
            index += 1  # no closer: literal backticks
            continue
        closer = same[position]
        close_end = runs[closer][1]
        pieces.append(text[done:start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[start:close_end]))
        done = close_end
        index = closer + 1
    pieces.append(text[done:])
    return "".join(pieces)


_BRACKET_CHARS = {"[": re.compile(r"[\[\]]"), "(": re.compile(r"[()]")}


def _closers(text: str, opener: str) -> dict[int, int]:
    """Map each opening bracket of one kind to the index of its closing one."""
    stack: list[int] = []
    closers: dict[int, int] = {}
    for match in _BRACKET_CHARS[opener].finditer(text):
        if match.group() == opener:
            stack.append(match.start())
        elif stack:
            closers[stack.pop()] = match.start()
    return closers


def _bracket_fields(text: str) -> list[tuple[str, str]]:
    """Find `[key:: value]` and `(key:: value)`, values may hold nested brackets.

    The brackets are paired in one pass beforehand: scanning ahead from each
    opener for its closer took minutes on a long line of unclosed `[a::`.
    """
    found: list[tuple[str, str]] = []
    closers: dict[str, dict[int, int]] = {}
    pos = 0
    while True:
        match = _BRACKET_KEY.search(text, pos)
        if match is None:
            return found
        opener = text[match.start()]
        if opener not in closers:
            closers[opener] = _closers(text, opener)
        close = closers[opener].get(match.start())
        if close is None:
            pos = match.end()
            continue
        found.append((match.group("key").strip(), text[match.end():close].strip()))
        pos = close + 1


def inline_fields(line: int, text: str, fields: list[Field]) -> None:
    """Collect the inline fields of one line of text (code already masked)."""
    if "::" in text:
        brackets = _bracket_fields(text)
        for key, value in brackets:
            fields.append(Field(line, key, value))
        if not brackets:
            match = _FULL_LINE_FIELD.match(text)
            if match is not None:
                fields.append(Field(line, match.group("key").strip(), match.group("value")))
