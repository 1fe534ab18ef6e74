"""The fast path for note bodies: a line scanner for the common Markdown constructs.

markdown-it-py is exact but costs some thirty times as much a note; this scanner finds
the same headings, list items, tasks and inline fields for notes made of plain
paragraphs, ATX headings, fenced and indented code, simple (nested) lists, tables and
block quotes. When a body holds anything it does not handle exactly (HTML, indented code
in lists, setext headings, tables in lists, lazy or unusual list forms), it hands the
whole body to markdown-it-py. tests/reading/test_scanner.py checks the two agree. (The
scanner's main loop, _Scan.scan, is the one function over 100 lines: split into calls a
line, it would cost every line of every note a call; see docs/performance.md.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .body import Body, Field, Heading, ListItem, inline_fields, mask_code
from .markdown import parse_body_markdown_it


class HandOff(Exception):
    """The body holds a construct the scanner does not handle exactly."""


_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"(#{1,6})(?:[ \t]|$)")
_BULLET = re.compile(r"([-*+])([ \t]+|$)")
_ORDERED = re.compile(r"(\d{1,9})([.)])([ \t]+|$)")
_BREAK = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$")
_REFERENCE = re.compile(r"\[[^\]]+\]:")
_ALIGN = re.compile(r":?-+:?\Z")
_DELIMITER_CHARS = frozenset("|-: \t")
# What markdown-it's mdTrim strips: JavaScript's String.trim set, CommonMark's whitespace.
_MD_TRIM = "".join(chr(code) for code in sorted(
    {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000, 0x2028,
     0x2029, *range(0x2000, 0x200B)}))
# markdown-it stops filling short table rows past this many cells (a DoS guard).
_MAX_AUTOCOMPLETED_CELLS = 0x10000


# Headings and list items are built with tuple.__new__, sparing the Python-level __new__
# of a named tuple: a cold run builds them by the hundred thousand (docs/performance.md).
_new = tuple.__new__

# The first characters of a line that may open a block other than a paragraph.
_BLOCK_STARTS = frozenset("`~#>-*+_=<|[0123456789")


def _tab_width(lead: str) -> int:
    """Return the column width of leading blanks holding tabs (tab stops every 4)."""
    width = 0
    for char in lead:
        width = width + 4 - width % 4 if char == "\t" else width + 1
    return width


def _indent(line: str) -> tuple[int, str]:
    """Return the column width of the leading whitespace (tabs to 4) and the rest."""
    stripped = line.lstrip(" \t")
    lead = line[:len(line) - len(stripped)]
    return (_tab_width(lead) if "\t" in lead else len(lead)), stripped


def _continued(line: str, base: int, width: int, text: str) -> str:
    """Return a paragraph's continuation line as markdown-it gives it: indent past base kept."""
    if width <= base:
        return text.rstrip()
    if "\t" in line[:len(line) - len(text)]:
        raise HandOff("tab in a continuation line's indent")
    return line[base:].rstrip()


def _paragraph_mask(text: str) -> str:
    """Mask a paragraph line's code spans; hand off a backtick run left unpaired.

    markdown-it masks a whole paragraph at once, so an unpaired run may pair with one
    on another line. When every run pairs within its line, both give the same result.
    """
    if "`" not in text:
        return text
    masked = mask_code(text)
    if "`" in masked:
        raise HandOff("code span that may run over lines")
    return masked


def _is_break(text: str) -> bool:
    """Tell whether text (no leading blanks) is a thematic break (`***`, `- - -`, `___`)."""
    # A break takes three of its character: counting them first spares list items the
    # regex.
    return text.count(text[0]) >= 3 and _BREAK.match(text) is not None


def _interrupts(text: str) -> bool:
    """Tell whether text (no leading blanks) opens a block that ends a paragraph."""
    first = text[0]
    if first == ">":
        return True
    if first == "#":
        return _ATX.match(text) is not None
    if first in "`~":
        fence = _FENCE.match(text)
        return fence is not None and not (first == "`" and "`" in fence.group(2))
    return first in "-*_" and _is_break(text)


def _starts_block(text: str) -> bool:
    """Tell whether text (no leading blanks) opens a block other than a paragraph."""
    first = text[0]
    if first in "><":
        return True
    if first == "#":
        return _ATX.match(text) is not None
    if first in "`~":
        return _FENCE.match(text) is not None
    if first in "-*+_" and (_BREAK.match(text) or _BULLET.match(text)):
        return True
    if first.isdigit() and _ORDERED.match(text):
        return True
    return first == "[" and _REFERENCE.match(text) is not None


def _plain_bullet(text: str) -> str | None:
    """Return the text after the marker of a bullet item in the common form `- text`.

    That form (one space after the marker, then text) is neither a setext underline
    (all `-`) nor, unless the text starts with the marker again, a thematic break.
    Any other line gives None and goes the long way.
    """
    rest = text[2:]
    if rest and text[1] == " " and text[0] in "-*+" and not rest[0].isspace() and \
            (rest[0] != text[0] or _BREAK.match(text) is None):
        return rest
    return None


def _close_items(width: int, columns: list[int]) -> None:
    """Close the open items that an item indented `width` is not nested in."""
    if width >= 4 and columns and width < columns[-1] and \
            width - (columns[-2] if len(columns) > 1 else 0) >= 4:
        # markdown-it's listIndent rule reads it as a paragraph continuation.
        raise HandOff("item indented 4+ past its list but outside the item")
    while columns and width < columns[-1]:
        columns.pop()


def _skip(numbered: Iterator[tuple[int, str]], count: int) -> None:
    """Skip count lines of a scan: the rows of a table or block quote scanned apart."""
    for _ in range(count):
        next(numbered)


def _split_cells(text: str) -> list[str]:
    """Split a table row as markdown-it's escapedSplit does (`\\|` is a literal pipe)."""
    if "\\" not in text:
        cells = text.split("|")
    else:
        cells = []
        current = ""
        last = 0
        escaped = False
        for pos, char in enumerate(text):
            if char == "|":
                if not escaped:
                    cells.append(current + text[last:pos])
                    current = ""
                    last = pos + 1
                else:
                    current += text[last:pos - 1]
                    last = pos
            escaped = char == "\\"
        cells.append(current + text[last:])
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _table_columns(header: str, rule_line: str) -> list[str] | None:
    """Return the header cells when header (no leading blanks) and rule_line open a table."""
    width, rule = _indent(rule_line)
    if width >= 4 or len(rule) < 2 or rule[0] not in "|-:" or rule[1] not in _DELIMITER_CHARS:
        return None
    if rule[0] == "-" and rule[1] in " \t":
        return None
    if not _DELIMITER_CHARS.issuperset(rule):
        return None
    parts = rule.split("|")
    aligns = 0
    for position, part in enumerate(parts):
        part = part.strip(_MD_TRIM)
        if not part:
            if position == 0 or position == len(parts) - 1:
                continue
            return None
        if not _ALIGN.match(part):
            return None
        aligns += 1
    cells = _split_cells(header.strip(_MD_TRIM))
    if not cells or len(cells) != aligns:
        return None
    return cells


class _Scan:
    """The elements found so far; quotes are scanned into the same lists.

    inline_fields finds nothing in text without `::` (and masking code spans only
    removes characters), so the hot paths test for it before calling it: the call costs
    more than the test, and most lines hold none.
    """

    __slots__ = ("fields", "headings", "items", "levels", "sections")

    def __init__(self) -> None:
        self.headings: list[Heading] = []
        self.items: list[ListItem] = []
        self.fields: list[Field] = []
        self.levels: list[int] = []  # the levels of the open headings, outermost first
        # The lower-case names of the open headings, one per level: a tuple, kept ready
        # since every list item takes it as it is.
        self.sections: tuple[str, ...] = ()

    def cells(self, number: int, cells: list[str], count: int) -> None:
        """Collect the fields of a table row's first `count` cells."""
        for cell in cells[:count]:
            cell = cell.strip(_MD_TRIM)
            if cell:
                inline_fields(number, mask_code(cell), self.fields)

    def table(self, lines: list[str], start: int, first_line: int,
              header: list[str]) -> int:
        """Scan a table from its header line; return the index of the line after it."""
        count = len(header)
        # Splitting cells and unescaping `\\|` cannot make `::` appear.
        header_line = lines[start]
        if "::" in header_line:
            self.cells(first_line + start, header, count)
        autocompleted = 0
        for index in range(start + 2, len(lines)):
            line = lines[index]
            width, text = (0, line) if line[:1] == "|" else _indent(line)
            row = text.strip(_MD_TRIM)
            if not row:
                return index
            if width >= 4 or text[0] != "|":
                # An indented code block, a block that ends the table, or a row without a
                # leading pipe: rare enough to leave to markdown-it.
                raise HandOff("table followed by something other than a row")
            if "\\" in row or "::" in row:
                cells = _split_cells(row)
                found = len(cells)
                self.cells(first_line + index, cells, count)
            else:
                # Without escapes, the cells are what lies between the pipes: the row
                # opens with one, and one at its end closes the last cell.
                found = row.count("|") - row.endswith("|")
            autocompleted += count - found
            if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
                raise HandOff("huge table")
        return len(lines)

    def quote(self, lines: list[str], start: int, first_line: int) -> int:
        """Scan a block quote (or callout) from its first line; return the line after it."""
        content: list[str] = []
        index = start
        while index < len(lines):
            line = lines[index]
            text = line.lstrip(" ")
            if len(line) - len(text) >= 4 or not text.startswith(">"):
                break
            text = text[1:]
            if text.startswith(" "):
                text = text[1:]
            if "\t" in line[:len(line) - len(text.lstrip(" \t"))]:
                raise HandOff("tab in a block quote's indentation")
            content.append(text)
            index += 1
        if index < len(lines) and lines[index].strip(" \t"):
            # A lazy continuation line or a block right after the quote: markdown-it decides.
            raise HandOff("block quote not followed by a blank line")
        self.scan(content, first_line + start)
        return index

    def heading(self, number: int, level: int, after: str) -> None:
        """Take an ATX heading; after is its line after the opening `#`s."""
        title = after.strip(_MD_TRIM)
        if title.endswith("#"):
            # Cut a closing sequence (`## Title ##`) as markdown-it does.
            title = after.rstrip(" \t")
            unclosed = title.rstrip("#")
            if unclosed and unclosed[-1] in " \t":
                title = unclosed
            title = title.strip(_MD_TRIM)
        self.headings.append(_new(Heading, (number, level, title)))
        levels = self.levels
        while levels and levels[-1] >= level:
            levels.pop()
        # (Concatenating builds the tuple faster than unpacking into a new one.)
        self.sections = self.sections[:len(levels)] + (title.lower(),)  # noqa: RUF005
        levels.append(level)
        if "::" in title:
            inline_fields(number, mask_code(title), self.fields)

    def scan(self, lines: list[str], first_line: int) -> None:
        """Scan lines (of the body, or of a block quote's content)."""
        fields = self.fields
        fence: str | None = None  # the open fence's marker
        fence_block = 0  # the indent of the block holding the fence (a list item's column)
        # What the previous line was: "blank", "para" (paragraph text), "item", "other".
        previous = "blank"
        # Content columns of the open list items, innermost last.
        columns: list[int] = []
        code = False  # in an indented code block (outside lists): nothing to take
        count = len(lines)
        numbered = enumerate(lines, first_line)
        for number, line in numbered:
            if not line:  # the most common line of all
                # (In a fenced block too: there, previous is not read before the fence
                # closes and sets it.)
                previous = "blank"
                continue
            first = line[0]
            if first not in " \t":  # most lines start at the margin
                if first <= " " or (first >= "\x85" and first.isspace()):
                    raise HandOff("a line starting with unusual whitespace")
                code = False  # (a line at the margin ends an indented code block)
                text = line
                width = 0
                if fence is None and "|" not in text:
                    # Shortcuts for the lines at the margin that make up most notes, each
                    # doing what the general path below does for them. (With a `|` the
                    # line may open a table.) A line they do not settle goes on to the
                    # general path.
                    if first not in _BLOCK_STARTS:
                        # Prose: it ends the open list items unless it continues an item's
                        # paragraph lazily.
                        if columns and previous != "para" and previous != "item":
                            columns.clear()
                        if "::" in text or "`" in text:
                            stripped = text.rstrip()
                            inline_fields(number, _paragraph_mask(stripped), fields)
                        previous = "para"
                        continue
                    if first == "#":
                        # What _ATX matches, without the regex.
                        after = text.lstrip("#")
                        level = len(text) - len(after)
                        if level <= 6 and (not after or after[0] in " \t"):
                            # A heading at the margin ends every open list item.
                            columns.clear()
                            self.heading(number, level, after)
                            previous = "other"
                            continue
                    elif first in "-*+":
                        rest = _plain_bullet(text)
                        if rest is not None:
                            self.open_item(number, rest, 0, 2, columns)
                            previous = "item"
                            continue
            else:
                text = line.lstrip(" \t")
                if not text:  # a line of blanks
                    previous = "blank"
                    continue
                width = len(line) - len(text)
                lead = line[:width]
                if "\t" in lead:
                    width = _tab_width(lead)
                first = text[0]
                if first <= " " or (first >= "\x85" and first.isspace()):
                    raise HandOff("a line starting with unusual whitespace")
                if code:
                    if width >= 4:
                        continue  # the block goes on (previous is "other" or "blank")
                    code = False
            if fence is not None:
                if width >= fence_block:
                    if width - fence_block < 4 and text.startswith(fence) and \
                            not text.lstrip(fence[0]).strip(" \t"):
                        fence = None
                        previous = "other"
                    continue
                # A line outdented from the list item holding the fence closes both.
                fence = None
                previous = "other"
            listed = bool(columns)
            # Leave list context on a line that is not indented into the innermost item
            # (unless it continues the item's paragraph lazily).
            while columns and width < columns[-1] and previous != "para" and \
                    previous != "item":
                columns.pop()
            base = columns[-1] if columns else 0
            index = number - first_line
            if width - base >= 4:
                if previous != "para":
                    if listed:
                        raise HandOff("indented code in or after a list")
                    # An indented code block (it cannot interrupt a paragraph): its
                    # lines, and the blank lines between them, hold nothing to take.
                    code = True
                    previous = "other"
                    continue
                # A continuation line of a paragraph.
                inline_fields(number, _paragraph_mask(_continued(line, base, width, text)),
                              fields)
                continue
            if "|" not in text:
                if first in "-*+":
                    # The common nested item, as in the shortcut above, now that the
                    # checks for leaving the open items and for indented code are done.
                    # (A `|` might make it a table rule, `- |`, even on the last line.)
                    after_marker = _plain_bullet(text)
                    if after_marker is not None:
                        self.open_item(number, after_marker, width, width + 2, columns)
                        previous = "item"
                        continue
            elif index + 1 < count:
                if columns and _TABLE_RULE.match(lines[index + 1].strip()):
                    raise HandOff("table inside a list")
                header = _table_columns(text, lines[index + 1])
                if header is not None:
                    if columns:
                        raise HandOff("table inside a list")
                    _skip(numbered, self.table(lines, index, first_line, header) - index - 1)
                    previous = "other"
                    continue
            # Most lines are prose: only these first characters can open another block.
            if first in _BLOCK_STARTS:
                if columns and width < columns[-1] and _interrupts(text):
                    # (previous is "para" or "item": other lines closed such items above.)
                    # The block ends the item's paragraph and, not being indented into the
                    # item, the item; markdown-it decides where it then belongs.
                    if width >= columns[0]:
                        raise HandOff("block inside a list item")
                    columns.clear()
                    if width >= 4:
                        raise HandOff("indented code after a list")
                if first == ">":
                    if columns:
                        raise HandOff("block quote inside a list item")
                    _skip(numbered, self.quote(lines, index, first_line) - index - 1)
                    previous = "other"
                    continue
                if first == "<" or ("|" in text and _TABLE_RULE.match(text)) or \
                        (first == "[" and _REFERENCE.match(text)):
                    raise HandOff("HTML, reference or table rule")
                fence_match = _FENCE.match(text) if first in "`~" else None
                if fence_match is not None:
                    if first == "`" and "`" in fence_match.group(2):
                        raise HandOff("backticks in a fence info string")
                    fence = fence_match.group(1)
                    fence_block = columns[-1] if columns else 0
                    previous = "other"
                    continue
                # (An underline is no lazy line: one outdented from the open item is not.)
                if (previous == "para" or previous == "item") and first in "=-" and \
                        (not columns or width >= columns[-1]) and _SETEXT.match(text):
                    raise HandOff("setext heading")
                atx = _ATX.match(text) if first == "#" else None
                if atx is not None:
                    level = len(atx.group(1))
                    self.heading(number, level, text[level:])
                    previous = "other"
                    continue
                if first in "-*_" and _is_break(text):
                    if previous == "para" and first == "-":
                        raise HandOff("setext heading")
                    # A rule inside a list item leaves the item open.
                    previous = "other"
                    continue
                marker = _BULLET.match(text) if first in "-*+" else \
                    _ORDERED.match(text) if first in "0123456789" else None
                if marker is not None:
                    if self.item(lines, index, number, text, width, marker, previous,
                                 columns):
                        previous = "item"
                    else:  # an empty item: no paragraph of its own to continue
                        previous = "other"
                    continue
            stripped = text.rstrip()
            if previous == "para" or previous == "item":
                # markdown-it keeps a continuation line's indent beyond the block's.
                stripped = _continued(line, base, width, stripped)
            inline_fields(number, _paragraph_mask(stripped) if "`" in stripped else stripped,
                          fields)
            previous = "para"

    def item(self, lines: list[str], index: int, number: int, text: str, width: int,
             marker: re.Match[str], previous: str, columns: list[int]) -> bool:
        """Take the first line of a list item; update the open items' columns. Return
        False for an empty item (see empty_item)."""
        rest = text[marker.end():]
        if not rest:
            self.empty_item(lines, index, width, previous, columns)
            return False
        if not rest.strip():
            raise HandOff("list item of unusual whitespace")
        if marker.re is _ORDERED and marker.group(1) != "1" and \
                (previous == "para" or previous == "item") and \
                width >= (columns[-1] if columns else 0):
            raise HandOff("ordered item interrupting a paragraph")
        gap = marker.group(marker.lastindex or 0)
        if "\t" in gap or len(gap) > 4:
            raise HandOff("unusual list item spacing")
        if "|" in rest and index + 1 < len(lines) and \
                _TABLE_RULE.match(lines[index + 1].strip()):
            raise HandOff("table inside a list item")
        self.open_item(number, rest, width, width + marker.end(), columns)
        return True

    def empty_item(self, lines: list[str], index: int, width: int, previous: str,
                   columns: list[int]) -> None:
        """Take an empty list item (`- ` or `1.` alone, as daily-note templates leave
        them): it holds nothing, and markdown-it lists nothing for it.

        Taken when nothing can belong to it: the next line that is not blank is not
        indented past its marker. An empty item cannot interrupt a paragraph, and one
        right under an item's first line may be a setext underline: markdown-it decides.
        """
        if previous == "para" or (previous == "item" and width >= columns[-1]):
            raise HandOff("empty list item after a paragraph")
        for after in range(index + 1, len(lines)):
            indent, rest = _indent(lines[after])
            if rest:
                if indent > width:
                    raise HandOff("empty list item with content below it")
                break
        _close_items(width, columns)  # (and opens none)

    def open_item(self, number: int, rest: str, width: int, column: int,
                  columns: list[int]) -> None:
        """Open a list item indented `width` whose text, rest, starts at `column`.

        rest holds text and starts with no space or tab; it holds no `|` that could
        start a table.
        """
        _close_items(width, columns)
        lead = rest[0]
        # (A task box `[x] ` is no link reference definition: that needs `]:`.)
        if lead in _BLOCK_STARTS and (lead != "[" or "]:" in rest) and _starts_block(rest):
            raise HandOff("list item opening with a block")
        columns.append(column)
        task = None
        box = 0  # where the text after the task box starts
        if lead == "[" and rest[2:3] == "]":
            # A task box: `[x]` (any one character inside), then blanks or nothing.
            after = rest[3:]
            spaced = after.lstrip(" \t")
            if not after or len(spaced) < len(after):
                task = rest[1]
                box = len(rest) - len(spaced)
            elif not after.strip(_MD_TRIM):
                # `[ ]` and a no-break space: markdown-it trims a paragraph's end, so the
                # box is a task's if the item has no other line.
                raise HandOff("task box followed by unusual whitespace")
        self.items.append(_new(ListItem, (number, rest[box:].strip(), task, self.sections)))
        if "`" in rest or "::" in rest:
            # (A backtick anywhere, even in the box, may make the item hand off.)
            masked = _paragraph_mask(rest.rstrip())[box:]
            if "::" in masked:
                inline_fields(number, masked, self.fields)


def scan_body(body: str, first_line: int = 1) -> Body:
    """Scan a body line by line; raises HandOff when markdown-it must decide.

    A line whose indent holds whitespace other than spaces and tabs (a no-break space
    pasted from the web) is markdown-it's: it trims some of it from a paragraph's start,
    the scanner not. Each line's first character after spaces and tabs is tested as it
    is scanned (a control character too), rather than with a regex over the body.
    """
    found = _Scan()
    found.scan(body.split("\n"), first_line)
    return Body(tuple(found.headings), tuple(found.items), tuple(found.fields))


def parse_body(body: str, first_line: int = 1) -> Body:
    """Parse a body: the scanner when it can, markdown-it-py when it must."""
    try:
        return scan_body(body, first_line)
    except HandOff:
        return parse_body_markdown_it(body, first_line)
