"""The user's answer regions of a review and the hash of its generated part.

User-owned regions (`<!-- mdmastery:begin NAME -->` ... `<!-- mdmastery:end NAME -->`,
each marker a line of its own) are carried over verbatim when a review is regenerated.
An end marker inside a code block the answer opens does not end it. Answers the new text
has no region for go under "Orphaned answers": that section, from its heading to the end
of the file, is the user's, kept as it is. A review's front matter holds
`mdmastery: <hash>` of its generated part (everything outside the regions and the
orphaned answers): if the user changed that part, the review is left alone unless forced.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

from ..errors import WriteError

HASH_KEY = "mdmastery"


# A begin marker starts a line and an end marker ends one, as the template places them,
# so text copied into a review within a line (a win, a title: templates.py also breaks up
# `<!-- mdmastery:` in it) never forms one. Any name without spaces is read.
MARK = "<!-- mdmastery:"


_MARKER_AT = re.compile(r"<!-- mdmastery:(begin|end) (\S+) -->")


_LINE_END = re.compile(r"[ \t]*(?:\r?\n|\r?\Z)")


_FENCE_AT = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


_HASH_LINE = re.compile(rf"^{HASH_KEY}: *(\S*)[ \t]*\r?\n", re.M)


ORPHAN_HEADING = "## Orphaned answers"


ORPHAN_NOTE = ("<!-- Kept from an earlier version of this review; "
               "move or delete them as you like. -->")


# An orphaned answer the user emptied: its markers go, and the section once it is empty.
_EMPTY_REGION = re.compile(r"^<!-- mdmastery:begin (\S+) -->\s*<!-- mdmastery:end \1 -->"
                           r"[ \t]*(?:\r?\n|\Z)", re.M)


class Region(NamedTuple):
    """An answer region of a review: its text is text[start:end]."""

    name: str
    start: int  # just after the begin marker
    end: int  # the start of the end marker's line, or where an unclosed region stops
    at: int  # where its begin marker starts
    # "": closed. "fence": its end marker was found only inside a code block the answer
    # opens. "open": it has no end marker.
    doubt: str


class Parsed(NamedTuple):
    regions: tuple[Region, ...]
    tail: int  # where the orphaned answers start (the text's length: there are none)


def _opens_fence(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] leaves a fenced code block (``` or ~~~) open."""
    lines = []
    for run in ("```", "~~~"):
        at = text.find(run, start, end)
        while at >= 0:
            line = text.rfind("\n", 0, at) + 1
            match = _FENCE_AT.match(text, line) if line >= start else None
            if match is not None and match.start(1) == at:
                lines.append((line, match.group(1), match.group(2)))
                at = match.end(1)
            else:
                at += 3
            at = text.find(run, at, end)
    fence = ""
    for _, run, rest in sorted(lines):
        if not fence:
            fence = run
        elif run[0] == fence[0] and len(run) >= len(fence) and not rest.strip():
            fence = ""
    return bool(fence)


def _line_starts(text: str, needle: str) -> list[int]:
    """Where needle starts a line of text."""
    found = []
    at = text.find(needle)
    while at >= 0:
        if at == 0 or text[at - 1] == "\n":
            found.append(at)
        at = text.find(needle, at + 1)
    return found


def _markers(text: str) -> list[tuple[int, int, bool, str]]:
    """(start, end, is_begin, name) of the markers: a begin marker that starts a line, an
    end marker that ends one."""
    found = []
    at = text.find(MARK)
    while at >= 0:
        match = _MARKER_AT.match(text, at)
        if match is not None:
            if match.group(1) == "begin":
                if at == 0 or text[at - 1] == "\n":
                    found.append((at, match.end(), True, match.group(2)))
            elif _LINE_END.match(text, match.end()):
                found.append((at, match.end(), False, match.group(2)))
        at = text.find(MARK, at + 1)
    return found


def parse(text: str, lenient: bool = False) -> Parsed:
    """Find the answer regions and where the orphaned answers start.

    A region ends at the first end marker of its name outside a code block that its
    answer opens (markers of other names in an answer are its text); failing that, at
    the last one. lenient (a forced write over an edited review): a region without an
    end marker, or whose end markers all sit in a code block, runs on to the next begin
    marker of another region, so no word after it is taken for generated text.
    """
    markers = _markers(text)
    headings = [at for at in _line_starts(text, ORPHAN_HEADING)
                if _LINE_END.match(text, at + len(ORPHAN_HEADING))]
    begins = [j for j, marker in enumerate(markers) if marker[2]]
    named: dict[tuple[bool, str], list[int]] = {}  # (is_begin, name) -> marker indices
    for j, marker in enumerate(markers):
        named.setdefault((marker[2], marker[3]), []).append(j)
    regions: list[Region] = []
    pos = 0
    index = 0

    def heading_in(start: int, stop: int) -> int | None:
        return next((h for h in headings if start <= h < stop), None)

    while index < len(markers):
        at, start, is_begin, name = markers[index]
        if headings and heading_in(pos, at) is not None:
            break
        index += 1
        if not is_begin:
            continue  # a stray end marker: the generated part's (the hash sees it)
        same = named[(True, name)]
        again = next((j for j in same[bisect_left(same, index):]), len(markers))
        all_ends = named.get((False, name), [])
        ends = all_ends[bisect_left(all_ends, index):bisect_left(all_ends, again)]
        close = next((j for j in ends if not _opens_fence(text, start, markers[j][0])), None)
        doubt = "" if close is not None else "fence" if ends else "open"
        if close is None and ends and not lenient:
            close = ends[-1]
        if close is not None:
            regions.append(Region(name, start, markers[close][0], at, doubt))
            pos = markers[close][1]
            index = close + 1
            continue
        after = markers[ends[-1]][1] if ends else start
        following = next((j for j in begins[bisect_left(begins, index):]
                          if markers[j][3] != name and markers[j][0] >= after), len(markers))
        stop = markers[following][0] if following < len(markers) else len(text)
        heading = heading_in(start, stop)
        stop = stop if heading is None else heading
        regions.append(Region(name, start, stop, at, doubt))
        pos = stop
        index = following
    tail = heading_in(pos, len(text) + 1)
    return Parsed(tuple(regions), len(text) if tail is None else tail)


def regions(text: str) -> dict[str, str]:
    """Return each region's text, verbatim, by name (the first one wins), those among the
    orphaned answers after the others."""
    found: dict[str, str] = {}
    parsed = parse(text)
    for region in parsed.regions:
        found.setdefault(region.name, text[region.start:region.end])
    orphans = text[parsed.tail:].replace(ORPHAN_HEADING, "", 1)
    for region in parse(orphans).regions:
        found.setdefault(region.name, orphans[region.start:region.end])
    return found


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _without_hash(text: str) -> str:
    head = front_matter(text)
    return _HASH_LINE.sub("", head, count=1) + text[len(head):]


def generated_hash(text: str) -> str:
    """Hash what mdmastery generated: the text outside the regions, without the hash line.

    The orphaned answers at the end are the user's to move or delete, so they are
    left out too.
    """
    text = _without_hash(text).replace("\r\n", "\n")
    parsed = parse(text)
    parts = []
    pos = 0
    for region in parsed.regions:
        parts.append(text[pos:region.start])
        pos = region.end
    parts.append(text[pos:parsed.tail])
    return _digest("".join(parts).rstrip("\n"))


_LEGACY_REGION = re.compile(
    r"<!-- mdmastery:begin ([\w.-]+) -->(.*?)<!-- mdmastery:end \1 -->", re.S)


def legacy_hash(text: str) -> str:
    """The hash as versions before 0.2 computed it (regions found anywhere in a line, of
    names of word characters): a review they wrote is no edit."""
    text = _without_hash(text).replace("\r\n", "\n")
    orphans = text.find(f"\n{ORPHAN_HEADING}\n")
    if orphans >= 0:
        text = text[:orphans]
    return _digest(_LEGACY_REGION.sub(
        lambda m: f"<!-- mdmastery:begin {m.group(1)} --><!-- mdmastery:end {m.group(1)} -->",
        text.rstrip("\n")))


def front_matter(text: str) -> str:
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[:end + 1] if end > 0 else text


def stored_hash(text: str) -> str | None:
    """Return the hash a review's front matter holds, if any."""
    match = _HASH_LINE.search(front_matter(text))
    return match.group(1) if match else None


def stamp(text: str) -> str:
    """Add the generated-part hash as the last front matter line."""
    digest = generated_hash(text)
    newline = "\r\n" if text.startswith("---\r\n") else "\n"
    end = text.find(f"{newline}---", 3)
    if not text.startswith("---") or end < 0:
        return f"---{newline}{HASH_KEY}: {digest}{newline}---{newline}{text}"
    return f"{text[:end]}{newline}{HASH_KEY}: {digest}{text[end:]}"


def _tidy_orphans(tail: str) -> str:
    """The orphaned answers as the user left them, less emptied regions; "" when no word
    is left but the heading and the note."""
    tail = _EMPTY_REGION.sub("", tail)
    rest = tail.replace(ORPHAN_HEADING, "", 1).replace(ORPHAN_NOTE, "", 1)
    return tail if rest.strip() else ""


def merge_regions(new: str, old: str, aliases: Mapping[str, str] | None = None,
                  lenient: bool = False) -> str:
    """Fill the new text's regions with the old text's answers and keep the orphaned
    answers; every other answer goes under them.

    aliases maps a region's name to the name an earlier version gave it: an answer under
    that name follows, unless two regions now claim it. Raises WriteError if the result
    would not read back with every answer in its place.
    """
    aliases = aliases or {}
    found = parse(old, lenient)
    answers: dict[str, list[int]] = {}  # name -> indices into found.regions, in order
    for number, region in enumerate(found.regions):
        answers.setdefault(region.name, []).append(number)
    target = parse(new)
    names = {region.name for region in target.regions}
    claims = Counter(aliases[name] for name in names if name in aliases and name not in answers)
    used: set[int] = set()
    parts: list[str] = []
    placed: list[str] = []
    pos = 0
    for region in target.regions:
        parts.append(new[pos:region.start])
        pos = region.end
        source = region.name if region.name in answers else aliases.get(region.name, "")
        waiting = [n for n in answers.get(source, ()) if n not in used]
        if source != region.name and (claims[source] != 1 or source in names
                                      or len(answers.get(source, ())) != 1):
            waiting = []
        if waiting:
            used.add(waiting[0])
            chosen = found.regions[waiting[0]]
            body = old[chosen.start:chosen.end]
        else:
            body = new[region.start:region.end]
        parts.append(body)
        placed.append(body)
    parts.append(new[pos:target.tail])
    merged = "".join(parts)
    newline = "\r\n" if "\r\n" in new else "\n"
    orphans = [f"<!-- mdmastery:begin {region.name} -->{old[region.start:region.end]}"
               f"<!-- mdmastery:end {region.name} -->"
               for number, region in enumerate(found.regions) if number not in used
               and old[region.start:region.end].strip() not in ("", ORPHAN_NOTE)]
    tail = _tidy_orphans(old[found.tail:])
    if orphans:
        tail = (tail.rstrip("\r\n") if tail else f"{ORPHAN_HEADING}{newline}{ORPHAN_NOTE}")
        tail = newline.join([tail, *orphans]) + newline
    if tail:
        merged = merged.rstrip("\r\n") + newline + newline + tail
    check = parse(merged)
    if [merged[r.start:r.end] for r in check.regions] != placed or \
            merged[check.tail:] != tail or any(r.doubt == "open" for r in check.regions):
        raise WriteError("refused: an answer holds a line that would read as a region "
                         "marker or as the orphaned answers' heading; nothing was written")
    return merged
