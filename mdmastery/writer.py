"""Write notes back into the vault without ever losing a word the user wrote.

- Atomic: a temp file in the same folder, fsync, os.replace, fsync of the folder.
- User-owned regions (`<!-- mdmastery:begin NAME -->` ... `<!-- mdmastery:end NAME -->`)
  are carried over verbatim when a review is regenerated; regions the template no
  longer has are kept under "Orphaned answers".
- Edit detection: a review's front matter holds `mdmastery: <hash>` of its generated
  part (everything outside the regions). If the user changed that part, the review
  is left alone unless forced.
- Lost updates: the file is hashed when read and again just before the replace.
- Paths never leave the vault; names made from titles are sanitised.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import MdmasteryError

HASH_KEY = "mdmastery"
REGION = re.compile(r"<!-- mdmastery:begin ([\w.-]+) -->(.*?)<!-- mdmastery:end \1 -->",
                    re.S)
_HASH_LINE = re.compile(rf"^{HASH_KEY}: *(\S*)[ \t]*\r?\n", re.M)
ORPHAN_HEADING = "## Orphaned answers"
ORPHAN_NOTE = ("<!-- Kept from an earlier version of this review; "
               "move or delete them as you like. -->")


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

def regions(text: str) -> dict[str, str]:
    """Return each user-owned region's text, verbatim, by name (first one wins)."""
    found: dict[str, str] = {}
    for match in REGION.finditer(text):
        found.setdefault(match.group(1), match.group(2))
    return found


def _empty_regions(text: str) -> str:
    return REGION.sub(lambda m: f"<!-- mdmastery:begin {m.group(1)} -->"
                                f"<!-- mdmastery:end {m.group(1)} -->", text)


def generated_hash(text: str) -> str:
    """Hash what mdmastery generated: the text outside the regions, without the hash line.

    The orphaned answers at the end are the user's to move or delete, so they are
    left out too.
    """
    text = _HASH_LINE.sub("", text, count=1).replace("\r\n", "\n")
    orphans = text.find(f"\n{ORPHAN_HEADING}\n")
    if orphans >= 0:
        text = text[:orphans]
    text = text.rstrip("\n")
    digest = hashlib.sha256(_empty_regions(text).encode("utf-8")).hexdigest()
    return digest[:16]


def stored_hash(text: str) -> str | None:
    """Return the hash a review's front matter holds, if any."""
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    match = _HASH_LINE.search(text, 0, end + 1 if end > 0 else len(text))
    return match.group(1) if match else None


def stamp(text: str) -> str:
    """Add the generated-part hash as the last front matter line."""
    digest = generated_hash(text)
    newline = "\r\n" if text.startswith("---\r\n") else "\n"
    end = text.find(f"{newline}---", 3)
    if not text.startswith("---") or end < 0:
        return f"---{newline}{HASH_KEY}: {digest}{newline}---{newline}{text}"
    return f"{text[:end]}{newline}{HASH_KEY}: {digest}{text[end:]}"


def merge_regions(new: str, old_regions: dict[str, str]) -> str:
    """Fill the new text's regions with the old text; keep the orphaned ones at the end."""
    used: set[str] = set()

    def keep(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in old_regions and name not in used:
            used.add(name)
            return (f"<!-- mdmastery:begin {name} -->{old_regions[name]}"
                    f"<!-- mdmastery:end {name} -->")
        return match.group(0)

    merged = REGION.sub(keep, new)
    orphans = [(name, body) for name, body in old_regions.items()
               if name not in used and body.strip() and body.strip() != ORPHAN_NOTE]
    if orphans:
        newline = "\r\n" if "\r\n" in new else "\n"
        parts = [merged.rstrip("\r\n"), "", ORPHAN_HEADING, ORPHAN_NOTE]
        parts += [f"<!-- mdmastery:begin {n} -->{b}<!-- mdmastery:end {n} -->"
                  for n, b in orphans]
        merged = newline.join(parts) + newline
    return merged


# --- files ------------------------------------------------------------------------

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _temp_copy(path: Path, data: bytes, mode: int, label: str) -> Iterator[str]:
    """Write data to a synced temp file beside path, with mode, and give its name to put
    it in place; afterwards no temp file is left, and the folder is synced. An OSError
    on the way is a WriteError naming label."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
        if os.path.exists(temp):
            os.unlink(temp)
    _fsync_folder(path.parent)


def atomic_write(path: Path, data: bytes, expect: bytes | None = None,
                 check: Callable[[], bytes | None] | None = None) -> None:
    """Replace path with data atomically, keeping its mode.

    expect is the content the file had when it was read (None: it did not exist);
    check re-reads it just before the replace, so a concurrent edit is never lost.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
    with _temp_copy(path, data, mode, str(path)) as temp:
        if check is not None and check() != expect:
            raise WriteError(f"{path}: changed by another program while mdmastery was "
                             "writing it; nothing was replaced (run again)")
        os.replace(temp, path)


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


def write_generated(vault: Path, relative: str, rendered: str, force: bool = False,
                    dry_run: bool = False) -> WriteResult:
    """Write a generated note (a review), keeping regions and refusing over user edits."""
    path = inside(vault, relative)
    shown = vault / relative
    if path.is_dir():
        raise WriteError(f"{relative}: refused: it is a folder, not a note")
    old_bytes = _read(path)
    text = rendered
    if old_bytes is not None:
        try:
            old = old_bytes.decode("utf-8")
        except UnicodeDecodeError:
            if not force:
                raise WriteError(f"{relative}: refused: not UTF-8 text, so not written by "
                                 "mdmastery; use --force to replace it") from None
            old = old_bytes.decode("utf-8", errors="replace")
        old = old.removeprefix("\ufeff")
        digest = stored_hash(old)
        if not force and digest != generated_hash(old):
            reason = ("has no mdmastery hash (not written by mdmastery)" if digest is None
                      else "was edited outside its answer regions")
            raise WriteError(f"{relative}: refused: the review {reason}; keep your edits "
                             "in the <!-- mdmastery:begin/end --> regions, or use --force "
                             "(answers in regions are kept)")
        if old.count("\r\n") and old.count("\r\n") == old.count("\n"):
            text = text.replace("\n", "\r\n")  # the user's editor keeps CRLF; so do we
        text = merge_regions(text, regions(old))
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
    atomic_write(path, data, old_bytes, check=lambda: _read(path))
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
        try:
            # A hard link never replaces an existing file, unlike a rename.
            os.link(temp, path)
        except FileExistsError:
            return WriteResult(vault / relative, "exists")
        except OSError:
            if os.path.lexists(path):  # no hard links here (FAT, some network drives)
                return WriteResult(vault / relative, "exists")
            os.replace(temp, path)
    return WriteResult(vault / relative, "created")
