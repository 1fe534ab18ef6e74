"""Write notes back into the vault without ever losing a word the user wrote.

- Atomic: a temp file in the same folder, fsync, then the temp file and the note trade
  places (Linux's RENAME_EXCHANGE) and what came out is compared with what was read: a
  save that landed meanwhile is put back, never lost. Where no such swap exists, the
  note is read again just before an os.replace.
- User-owned regions (`<!-- mdmastery:begin NAME -->` ... `<!-- mdmastery:end NAME -->`,
  each marker a line of its own) are carried over verbatim when a review is
  regenerated. An end marker inside a code block the answer opens does not end it.
  Answers the new text has no region for go under "Orphaned answers": that section,
  from its heading to the end of the file, is the user's, kept as it is.
- Edit detection: a review's front matter holds `mdmastery: <hash>` of its generated
  part (everything outside the regions and the orphaned answers). If the user changed
  that part, the review is left alone unless forced. A file that is no review at all
  (neither the hash nor `type: review`) is never overwritten, forced or not.
- Paths never leave the vault; names made from titles are sanitised.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import stat
import sys
import tempfile
import time
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .errors import MdmasteryError

HASH_KEY = "mdmastery"
# A begin marker starts a line and an end marker ends one, as the template places them,
# so text copied into a review within a line (a win, a title: render.py also breaks up
# `<!-- mdmastery:` in it) never forms one. Any name without spaces is read.
_MARK = "<!-- mdmastery:"
_MARKER_AT = re.compile(r"<!-- mdmastery:(begin|end) (\S+) -->")
_LINE_END = re.compile(r"[ \t]*(?:\r?\n|\r?\Z)")
_FENCE_AT = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_HASH_LINE = re.compile(rf"^{HASH_KEY}: *(\S*)[ \t]*\r?\n", re.M)
_TYPE_REVIEW = re.compile(r"^type:[ \t]*(['\"]?)(?i:review)\1[ \t]*(?:#.*)?\r?$", re.M)
ORPHAN_HEADING = "## Orphaned answers"
ORPHAN_NOTE = ("<!-- Kept from an earlier version of this review; "
               "move or delete them as you like. -->")
# An orphaned answer the user emptied: its markers go, and the section once it is empty.
_EMPTY_REGION = re.compile(r"^<!-- mdmastery:begin (\S+) -->\s*<!-- mdmastery:end \1 -->"
                           r"[ \t]*(?:\r?\n|\Z)", re.M)


class WriteError(MdmasteryError):
    """A write was refused or failed; the message names the file."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    path: Path
    status: str  # created | updated | unchanged | would-create | would-update
    diff: str = ""


# --- paths -----------------------------------------------------------------------

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#^\[\]]')


def safe_name(title: str, max_length: int = 120) -> str:
    """Return a file name made from a title, safe on every OS and in Obsidian links."""
    name = unicodedata.normalize("NFC", title)
    name = _UNSAFE.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip()
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    while len(name.encode("utf-8")) > max_length:
        name = name[:-1]
    name = name.strip(" .")
    if _RESERVED.match(name):
        name = f"{name}_"
    return name or "Untitled"


def inside(vault: Path, relative: str) -> Path:
    """Return vault/relative, refusing any path (or symlink in it) that leads out."""
    if not os.path.isdir(vault):
        # Never recreate a vault that vanished (an unmounted drive) by making folders.
        raise WriteError(f"{vault}: the vault folder is gone; nothing was written")
    root = Path(os.path.realpath(vault))
    target = Path(os.path.realpath(root / relative))
    if target != root and root not in target.parents:
        raise WriteError(f"{relative}: refused: the path leads out of the vault")
    return target


# --- regions and the generated part ------------------------------------------------

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
    at = text.find(_MARK)
    while at >= 0:
        match = _MARKER_AT.match(text, at)
        if match is not None:
            if match.group(1) == "begin":
                if at == 0 or text[at - 1] == "\n":
                    found.append((at, match.end(), True, match.group(2)))
            elif _LINE_END.match(text, match.end()):
                found.append((at, match.end(), False, match.group(2)))
        at = text.find(_MARK, at + 1)
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
    head = _front_matter(text)
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


def _legacy_hash(text: str) -> str:
    """The hash as versions before 0.2 computed it (regions found anywhere in a line, of
    names of word characters): a review they wrote is no edit."""
    text = _without_hash(text).replace("\r\n", "\n")
    orphans = text.find(f"\n{ORPHAN_HEADING}\n")
    if orphans >= 0:
        text = text[:orphans]
    return _digest(_LEGACY_REGION.sub(
        lambda m: f"<!-- mdmastery:begin {m.group(1)} --><!-- mdmastery:end {m.group(1)} -->",
        text.rstrip("\n")))


def _front_matter(text: str) -> str:
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[:end + 1] if end > 0 else text


def stored_hash(text: str) -> str | None:
    """Return the hash a review's front matter holds, if any."""
    match = _HASH_LINE.search(_front_matter(text))
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


# --- files ------------------------------------------------------------------------

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# A temp file of ours: `.NAME.mdmastery-XXXXXXXX.tmp` (`.NAME.XXXXXXXX.tmp` before 0.2).
_TEMP_MARK = "mdmastery-"
# A temp file older than this is a killed run's, never a running write's.
STALE_TEMP_S = 60.0


def remove_stale_temps(folder: Path, name: str | None = None) -> None:
    """Remove the temp files a killed run left in folder: only ours (of the note name,
    or of any note), only those older than STALE_TEMP_S."""
    note = re.escape(name) if name is not None else r".+\.md"
    pattern = re.compile(rf"\.{note}\.(?:{_TEMP_MARK})?[a-z0-9_]{{8}}\.tmp")
    prefix = f".{name}." if name is not None else "."
    cutoff = time.time() - STALE_TEMP_S
    with suppress(OSError), os.scandir(folder) as scan:
        for entry in scan:
            if entry.name.startswith(prefix) and pattern.fullmatch(entry.name):
                with suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                        os.unlink(entry.path)


@contextmanager
def _temp_copy(path: Path, data: bytes, mode: int, label: str) -> Iterator[str]:
    """Write data to a synced temp file beside path, with mode, and give its name to put
    it in place; afterwards no temp file is left, and the folder is synced. An OSError
    on the way is a WriteError naming label."""
    remove_stale_temps(path.parent, path.name)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_TEMP_MARK}",
                                    suffix=".tmp")
    except OSError as error:
        raise WriteError(f"{label}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        yield temp
    except OSError as error:
        raise WriteError(f"{label}: cannot write: {error.strerror or error}") from None
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)
    _fsync_folder(path.parent)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    """Linux's renameat2 (glibc 2.28+), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # (~3 ms, only when a note is replaced)

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


def _exchange(first: str | Path, second: str | Path) -> bool:
    """Trade the places of two files atomically; False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # a file system without the swap (FAT, some network drives)
    raise OSError(code, os.strerror(code), os.fsdecode(second))


def _changed(label: str) -> WriteError:
    return WriteError(f"{label}: changed by another program while mdmastery was writing it; "
                      "that version is kept and nothing was replaced (run again)")


def _link_new(temp: str, path: Path) -> bool:
    """Put temp at path if nothing is there; False if something is (never replaced)."""
    try:
        os.link(temp, path)  # a hard link never replaces an existing file, unlike a rename
        return True
    except FileExistsError:
        return False
    except OSError:
        if os.path.lexists(path):  # no hard links here (FAT, some network drives)
            return False
        os.replace(temp, path)
        return True


def _keep_copy(temp: str, path: Path) -> None:
    """Keep temp beside path as a conflict copy, which `check` and the watch report."""
    for number in range(1, 100):
        more = f" {number}" if number > 1 else ""
        copy = path.with_name(f"{path.stem} (mdmastery conflicted copy{more}){path.suffix}")
        if _link_new(temp, copy):
            return
    raise WriteError(f"{path}: too many conflict copies beside it; nothing was replaced")


def _swap_in(temp: str, path: Path, data: bytes, expect: bytes, label: str) -> None:
    """Put temp in path's place if path still holds expect; never lose what it holds."""
    if not _exchange(temp, path):
        if _read(path) != expect:
            raise _changed(label)
        os.replace(temp, path)  # (a save between the read and here is not seen)
        return
    # temp now holds what path held at the swap: normally expect, dropped on the way out.
    if _read(Path(temp)) == expect:
        return
    # A save landed between the read and the swap: it goes back in place.
    _exchange(temp, path)
    if _read(Path(temp)) != data:
        # And another one, on our version, since: the newest stays in place, the one
        # before it is kept beside it.
        _exchange(temp, path)
        _keep_copy(temp, path)
    raise _changed(label)


def atomic_write(path: Path, data: bytes, expect: bytes | None = None) -> None:
    """Replace path with data atomically, keeping its mode.

    expect is the content the file had when it was read (None: it did not exist). If
    another program wrote it since, its version stays and WriteError is raised.
    """
    label = str(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as error:
        raise WriteError(f"{label}: cannot write: {error.strerror or error}") from None
    with _temp_copy(path, data, mode, label) as temp:
        if expect is None:
            if not _link_new(temp, path):
                raise _changed(label)
        else:
            try:
                _swap_in(temp, path, data, expect, label)
            except FileNotFoundError:
                raise WriteError(f"{label}: removed by another program while mdmastery was "
                                 "writing it; nothing was written (run again)") from None


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every OS (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise WriteError(f"{path}: refused: it is a folder, not a note") from None
    except OSError as error:
        raise WriteError(f"{path}: cannot read: {error.strerror or error}") from None


_NOT_A_REVIEW = ("mdmastery never overwrites it, even with --force (rename or move it, or "
                 "set another reviews folder or file name format)")


def _old_review(relative: str, data: bytes, force: bool) -> tuple[str, bool]:
    """Return the text of the review found at relative and whether its generated part
    was edited; refuse a file that is no review, and an edited one unless forced."""
    try:
        old = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise WriteError(f"{relative}: refused: not UTF-8 text, so not a review; "
                         f"{_NOT_A_REVIEW}") from None
    digest = stored_hash(old)
    if digest is None and not _TYPE_REVIEW.search(_front_matter(old)):
        raise WriteError(f"{relative}: refused: not a review note (no `type: review`, no "
                         f"mdmastery hash); {_NOT_A_REVIEW}")
    if digest is not None and (digest == generated_hash(old) or digest == _legacy_hash(old)):
        return old, False
    if force:
        return old, True
    doubt = next((r for r in parse(old).regions if r.doubt), None)
    kept = "(the text up to the next question is kept as the answer)"
    line = old.count("\n", 0, doubt.at) + 1 if doubt is not None else 0
    if doubt is not None and doubt.doubt == "open":
        raise WriteError(f"{relative}:{line}: refused: the answer region "
                         f"'{doubt.name}' has no end marker "
                         f"(<!-- mdmastery:end {doubt.name} -->); put it back after your "
                         f"answer, or use --force {kept}")
    if doubt is not None:
        raise WriteError(f"{relative}:{line}: refused: the end marker of the answer "
                         f"region '{doubt.name}' is inside a code block of the answer; "
                         f"close the block before it, or use --force {kept}")
    reason = ("has no mdmastery hash (not written by mdmastery)" if digest is None
              else "was edited outside its answer regions")
    raise WriteError(f"{relative}: refused: the review {reason}; keep your edits in the "
                     "<!-- mdmastery:begin/end --> regions, or use --force (answers in "
                     "regions and the orphaned answers are kept)")


def write_generated(vault: Path, relative: str, rendered: str, force: bool = False,
                    dry_run: bool = False, aliases: Mapping[str, str] | None = None
                    ) -> WriteResult:
    """Write a generated note (a review), keeping regions and refusing over user edits.

    aliases: see merge_regions."""
    try:
        return _write_generated(vault, relative, rendered, force, dry_run, aliases)
    except OSError as error:  # e.g. a name too long for the file system
        raise WriteError(f"{relative}: cannot write: {error.strerror or error}") from None


def _write_generated(vault: Path, relative: str, rendered: str, force: bool, dry_run: bool,
                     aliases: Mapping[str, str] | None) -> WriteResult:
    path = inside(vault, relative)
    shown = vault / relative
    if path.is_dir():
        raise WriteError(f"{relative}: refused: it is a folder, not a note")
    old_bytes = _read(path)
    text = rendered
    if old_bytes is not None:
        old, edited = _old_review(relative, old_bytes, force)
        if old.count("\r\n") and old.count("\r\n") == old.count("\n"):
            text = text.replace("\n", "\r\n")  # the user's editor keeps CRLF; so do we
        try:
            text = merge_regions(text, old, aliases, lenient=edited)
        except WriteError as error:
            raise WriteError(f"{relative}: {error}") from None
    text = stamp(text)
    data = text.encode("utf-8")
    if old_bytes == data:
        return WriteResult(shown, "unchanged")
    if dry_run:
        before = (old_bytes or b"").decode("utf-8", errors="replace")
        diff = "".join(difflib.unified_diff(
            before.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"a/{relative}", tofile=f"b/{relative}"))
        return WriteResult(shown, "would-create" if old_bytes is None else "would-update",
                           diff)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"{relative}: cannot create folder: {error.strerror or error}") \
            from None
    inside(vault, relative)  # a folder created by someone else must not lead out either
    atomic_write(path, data, old_bytes)
    return WriteResult(shown, "created" if old_bytes is None else "updated")


def create_note(vault: Path, relative: str, text: str) -> WriteResult:
    """Create a new note; never overwrites an existing file, even one created meanwhile."""
    path = inside(vault, relative)
    if os.path.lexists(vault / relative):
        return WriteResult(vault / relative, "exists")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"{relative}: cannot create folder: {error.strerror or error}") \
            from None
    inside(vault, relative)  # a folder created meanwhile must not lead out either
    with _temp_copy(path, text.encode("utf-8"), 0o666 & ~_umask(), relative) as temp:
        if not _link_new(temp, path):
            return WriteResult(vault / relative, "exists")
    return WriteResult(vault / relative, "created")
