"""Bytes -> Note: front matter, headings, list items, tasks, inline fields.

Every element keeps the 1-based line of the note it came from, so problems can
name `path:line`. Bodies are parsed by markdown-it-py (CommonMark), which knows
code blocks, block quotes and nested lists exactly; see `scanner.py` for the fast
path that handles the common notes without it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType
from typing import Any, NamedTuple

from . import frontmatter
from .model import Problem

# Git's conflict markers: exactly seven, at the start of a line.
_MERGE_MARKER = re.compile(r"^(?:<{7}|>{7})(?:[ \t].*)?$", re.M)


# The elements of a body are named tuples, not frozen dataclasses: a note has dozens and
# a tuple is built three times faster.
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


@dataclass(frozen=True, slots=True)
class Note:
    """One Markdown file as read: metadata, body elements and what went wrong."""

    path: str  # relative to the vault, with '/'
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    body: Body = EMPTY_BODY
    problems: tuple[Problem, ...] = ()
    readable: bool = True  # False when the file could not be read as a note at all
    # The front matter keyed by Dataview's normalised names (`Mood` -> `mood`); a key
    # written exactly in normalised form wins over one that only normalises to it.
    # Found once: the facts of a note ask for it a dozen times. Read-only for callers.
    props: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        meta = self.meta
        odd = _unnormalised(tuple(meta))
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


@lru_cache(maxsize=1024)
def _unnormalised(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Return the keys that are not in Dataview's normalised form (notes share key sets)."""
    return tuple(k for k in keys if normalize_key(k) != k)


@lru_cache(maxsize=8192)
def normalize_key(name: str) -> str:
    """Return Dataview's normalised form of a key: `Make Progress` -> `make-progress`."""
    name = name.replace("**", "").replace("__", "")
    kept = "".join(ch for ch in name if ch.isalnum() or ch in " \t-_")
    return re.sub(r"\s+", "-", kept.strip()).lower()


# --- inline text: fields --------------------------------------------------------

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


# --- markdown-it path ------------------------------------------------------------

_TASK = re.compile(r"\[(.)\](?:[ \t]+|$)")
_md: Any = None


def _markdown() -> Any:
    global _md
    if _md is None:
        from markdown_it import MarkdownIt  # imported lazily: ~60 ms

        _md = MarkdownIt("commonmark", {"html": True}).enable("table")
    return _md


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


# --- bytes -> Note ---------------------------------------------------------------

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


@lru_cache(maxsize=1)
def _scanner() -> ModuleType:
    """The scanner (the fast path, falling back to markdown-it), imported on first use: it
    imports this module. Found once: an import statement costs a note some µs."""
    from . import scanner

    return scanner


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
    # (The substring test first: the regex costs some 10 µs a note, the test nothing.)
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
    if wants_body is not None:
        head = Note(path, meta, meta_lines, EMPTY_BODY, tuple(problems))
        if not wants_body(head):
            return head
    try:
        body = _scanner().parse_body(parts.body, parts.body_line)
    except RecursionError:
        # Hostile nesting (thousands of `>` or list levels) can exhaust a recursive
        # parser; markdown-it caps its nesting, so it reads what the other could not.
        try:
            body = parse_body_markdown_it(parts.body, parts.body_line)
        except RecursionError:
            body = EMPTY_BODY
            problems.append(Problem(path, parts.body_line, "error",
                                    "the note nests too deeply to be read; body skipped"))
    return Note(path, meta, meta_lines, body, tuple(problems))


def nfc(text: str) -> str:
    """Return text in Unicode NFC, so `é` typed two ways compares equal."""
    return unicodedata.normalize("NFC", text)
