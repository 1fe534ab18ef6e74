"""Notes written into the vault: a generated note (a review) over its earlier version,
answers kept and user edits refused; a new note, never over an existing file."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import WriteError
from .atomic import atomic_write, link_new, read_if_there, temp_copy, umask
from .paths import inside
from .regions import (
    HASH_KEY,
    front_matter,
    generated_hash,
    legacy_hash,
    merge_regions,
    parse,
    stamp,
    stored_hash,
)

_TYPE_REVIEW = re.compile(r"^type:[ \t]*(['\"]?)(?i:review)\1[ \t]*(?:#.*)?\r?$", re.M)


@dataclass(frozen=True, slots=True)
class WriteResult:
    path: Path
    status: str  # created | updated | unchanged | would-create | would-update
    diff: str = ""
    # The files of the vault the note is made of as it stands written (the note, and any
    # picture written with it), whether this write changed them or found them so; none
    # for a dry run. What --commit commits (those equal to HEAD's are left out there).
    files: tuple[Path, ...] = ()


_NOT_A_REVIEW = ("mdmastery never overwrites it, even with --force (rename or move it, or "
                 "set another reviews folder or file name format)")


def _quoted(line: str, limit: int = 60) -> str:
    line = line.strip()
    return f"“{line[:limit - 1]}…”" if len(line) > limit else f"“{line}”"


def where_edited(now: str, would: str, digest: str) -> tuple[int, str]:
    """Return the line where a review's generated part was edited, and how: the line as
    it is and as mdmastery writes it (0 and "" when the two do not differ).

    would is what mdmastery would write over the review now (its answers kept); digest,
    the hash stored when the review was written. Of the places where the two differ, the
    edit is the one whose undoing gives that hash back (the others are figures that
    changed since); when none does (several edits), the first place is named.
    """
    old = now.replace("\r\n", "\n").splitlines(keepends=True)
    new = would.replace("\r\n", "\n").splitlines(keepends=True)
    kept = [n for n, line in enumerate(old) if not line.startswith(f"{HASH_KEY}:")]
    ours = [line for line in new if not line.startswith(f"{HASH_KEY}:")]
    theirs = [old[n] for n in kept]
    changes = [op for op in difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
               .get_opcodes() if op[0] != "equal"]
    if not changes:
        return 0, ""
    chosen = changes[0]
    for change in changes:
        _, i1, i2, j1, j2 = change
        start = kept[i1] if i1 < len(kept) else len(old)
        end = kept[i2 - 1] + 1 if i2 > i1 else start
        if generated_hash("".join(old[:start] + ours[j1:j2] + old[end:])) == digest:
            chosen = change
            break
    tag, i1, _, j1, _ = chosen
    number = (kept[i1] if i1 < len(kept) else len(old)) + 1
    if tag == "replace":
        return number, f"line {number} is now {_quoted(theirs[i1])}, where mdmastery " \
                       f"writes {_quoted(ours[j1])}"
    if tag == "insert":
        return number, f"{_quoted(ours[j1])} was removed before line {number}"
    return number, f"line {number}, {_quoted(theirs[i1])}, was added"


def _old_review(relative: str, data: bytes, force: bool, rendered: str,
                aliases: Mapping[str, str] | None) -> tuple[str, bool]:
    """Return the text of the review found at relative and whether its generated part
    was edited; refuse a file that is no review, and an edited one unless forced (saying
    where it differs from the rendered review, with its answers, that would replace it)."""
    try:
        old = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise WriteError(f"{relative}: refused: not UTF-8 text, so not a review; "
                         f"{_NOT_A_REVIEW}") from None
    digest = stored_hash(old)
    if digest is None and not _TYPE_REVIEW.search(front_matter(old)):
        raise WriteError(f"{relative}: refused: not a review note (no `type: review`, no "
                         f"mdmastery hash); {_NOT_A_REVIEW}")
    if digest is not None and (digest == generated_hash(old) or digest == legacy_hash(old)):
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
    where = ""
    try:
        line, how = where_edited(old, stamp(merge_regions(rendered, old, aliases,
                                                          lenient=True)), digest or "")
        if how:
            where, reason = f":{line}", f"{reason} ({how})"
    except WriteError:
        pass  # (the answers could not be placed: the refusal says no more)
    raise WriteError(f"{relative}{where}: refused: the review {reason}; keep your edits in "
                     "the <!-- mdmastery:begin/end --> regions, or use --force (answers in "
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
    old_bytes = read_if_there(path)
    text = rendered
    if old_bytes is not None:
        old, edited = _old_review(relative, old_bytes, force, rendered, aliases)
        if old.count("\r\n") and old.count("\r\n") == old.count("\n"):
            text = text.replace("\n", "\r\n")  # the user's editor keeps CRLF; so do we
        try:
            text = merge_regions(text, old, aliases, lenient=edited)
        except WriteError as error:
            raise WriteError(f"{relative}: {error}") from None
    text = stamp(text)
    data = text.encode("utf-8")
    if old_bytes == data:
        return WriteResult(shown, "unchanged", files=(shown,))
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
    return WriteResult(shown, "created" if old_bytes is None else "updated", files=(shown,))


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
    with temp_copy(path, text.encode("utf-8"), 0o666 & ~umask(), relative) as temp:
        if not link_new(temp, path):
            return WriteResult(vault / relative, "exists")
    return WriteResult(vault / relative, "created")
