"""Bytes -> Note: the text decoded, front matter read, the body parsed.

Every element keeps the 1-based line of the note it came from, so problems can name
`path:line`. Bodies go through the line scanner (scanner.py), which hands what it does
not handle exactly to markdown-it-py (markdown.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from . import frontmatter
from .body import EMPTY_BODY, Body
from .markdown import fenced_blocks, parse_body_markdown_it
from .scanner import parse_body
from .text import normalize_key, unnormalised

# Git's conflict markers: exactly seven, at the start of a line.
_MERGE_MARKER = re.compile(r"^(?:<{7}|>{7})(?:[ \t].*)?$", re.M)


@dataclass(frozen=True, slots=True)
class Note:
    """One Markdown file as read: metadata, body elements and what went wrong."""

    path: str  # relative to the vault, with '/'
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    body: Body = EMPTY_BODY
    problems: tuple[Problem, ...] = ()
    readable: bool = True  # False when the file could not be read as a note at all
    front: str = ""  # the front matter's text (its first line is the note's line 2)
    # The (line, text) of each ```habittracker code block (Habit Tracker 21's dashboard).
    trackers: tuple[tuple[int, str], ...] = ()
    # The front matter keyed by Dataview's normalised names (`Mood` -> `mood`); a key
    # written exactly in normalised form wins over one that only normalises to it.
    # Found once: the facts of a note ask for it a dozen times. Read-only for callers.
    props: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        meta = self.meta
        odd = unnormalised(tuple(meta))
        props = meta  # the common case
        if odd:
            props = {normalize_key(k): meta[k] for k in odd}
            props.update((k, v) for k, v in meta.items() if k not in odd)
        object.__setattr__(self, "props", props)

    @property
    def stem(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    def line_of(self, key: str) -> int:
        """Return the line of a front matter key (exact or normalised), or 1 without one."""
        line = self.meta_lines.get(key)
        if line is None:
            line = next((n for k, n in self.meta_lines.items() if normalize_key(k) == key), 1)
        return line

    def item_lines(self, key: str) -> list[int]:
        """Return the line of each item of a front matter list written one item a line
        (`- 2026-12-21`) under a top-level key; [] for a list on the key's own line
        (`[a, b]`) or any other form: its items are on the key's line."""
        start = self.line_of(key) - 2  # (the front matter's first line is line 2)
        rows = self.front.split("\n")
        if not 0 <= start < len(rows):
            return []
        after = rows[start].split(":", 1)[-1].strip()
        if after and not after.startswith("#"):
            return []  # (a value on the key's own line)
        found: list[int] = []
        indent: int | None = None
        for number, row in enumerate(rows[start + 1:], start + 3):
            stripped = row.lstrip(" ")
            if not stripped.strip() or stripped.startswith("#"):
                continue
            width = len(row) - len(stripped)
            if not stripped.startswith("-") or (stripped[1:2] not in ("", " ")):
                if width == 0 or indent is None or width <= indent:
                    break
                continue  # (an item's continuation)
            if indent is None:
                indent = width
            if width == indent:
                found.append(number)
            elif width < indent:
                break
        return found


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _wide_encoding(data: bytes) -> str | None:
    """Name the UTF-16/32 encoding of text saved that way (Windows Notepad), else None.

    Such text is full of NUL bytes, yet it is a note in the wrong encoding, not a
    binary file: the user should hear so. Without a BOM, text is taken as UTF-16
    when every other byte is NUL and the rest decodes.
    """
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    evens, odds = data[0::2], data[1::2]
    for codec, high, low in (("utf-16-le", odds, evens), ("utf-16-be", evens, odds)):
        if not high.strip(b"\x00") and low.strip(b"\x00"):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return "UTF-16"
    return None


def decode(path: str, data: bytes) -> tuple[str | None, Problem | None]:
    """Decode a note's bytes as UTF-8 (BOM allowed) with LF line endings."""
    encoding = _wide_encoding(data)
    if encoding is not None:
        return None, Problem(path, 1, "error",
                             f"the note is {encoding}, not UTF-8; save it as UTF-8")
    if b"\x00" in data:
        return None, Problem(path, 0, "warning", "not a text file (NUL bytes); skipped")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, Problem(path, line, "error",
                             f"not valid UTF-8 (byte 0x{data[error.start]:02x}); "
                             "save the note as UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def parse_note(path: str, data: bytes,
               wants_body: Callable[[Note], bool] | None = None) -> Note:
    """Read one note's bytes; never raises for bad content.

    wants_body, when given, is shown the note without its body (front matter, path,
    problems so far) and says whether its body is to be parsed: a note that can give the
    model nothing from its body (a plain note of no kind) is spared most of the work.
    """
    text, problem = decode(path, data)
    if text is None:
        return Note(path, problems=(problem,) if problem else (), readable=False)
    # (The substring test first: it spares most notes the regex.)
    conflict = _MERGE_MARKER.search(text) if "<<<<<<<" in text or ">>>>>>>" in text \
        else None
    if conflict is not None:
        line = text.count("\n", 0, conflict.start()) + 1
        return Note(path, problems=(Problem(path, line, "error",
                                            f"unresolved merge conflict at line {line}"),),
                    readable=False)
    problems: list[Problem] = []
    parts = frontmatter.split(text)
    if parts.warning:
        problems.append(Problem(path, 1, "warning", parts.warning))
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    if parts.front is not None:
        try:
            meta, meta_lines = frontmatter.load(parts.front, first_line=2)
        except frontmatter.FrontMatterError as error:
            problems.append(Problem(path, error.line, "error", error.message))
    front = parts.front or ""
    # (The substring test first: only a Habit Tracker 21 dashboard holds the word.)
    trackers = fenced_blocks(parts.body, "habittracker", parts.body_line) \
        if "habittracker" in parts.body else ()
    if wants_body is not None:
        head = Note(path, meta, meta_lines, EMPTY_BODY, tuple(problems), front=front,
                    trackers=trackers)
        if not wants_body(head):
            return head
    try:
        body = parse_body(parts.body, parts.body_line)
    except RecursionError:
        # Hostile nesting (thousands of `>` or list levels) can exhaust a recursive
        # parser; markdown-it caps its nesting, so it reads what the other could not.
        try:
            body = parse_body_markdown_it(parts.body, parts.body_line)
        except RecursionError:
            body = EMPTY_BODY
            problems.append(Problem(path, parts.body_line, "error",
                                    "the note nests too deeply to be read; body skipped"))
    return Note(path, meta, meta_lines, body, tuple(problems), front=front,
                trackers=trackers)
