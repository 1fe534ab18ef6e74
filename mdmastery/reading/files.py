"""Find a vault's note files (ignore rules, symlink safety) and read their bytes."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import MdmasteryError, Problem

# Folders never read into, besides every hidden one.
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
# Copies a sync service made when two devices changed a note: Syncthing's
# "X.sync-conflict-20261120-101010-ABCDEFG.md", Dropbox's and Nextcloud's
# "X (conflicted copy 2026-11-20).md" and "X (Bob's conflicted copy).md", Dropbox's
# "X (Case Conflict).md". Never read as notes, but the user hears of them: their
# text is not in the note they copy.
_CONFLICT_COPY = re.compile(r"\.sync-conflict-|\([^()]*(?:conflicted copy|case conflict)",
                            re.IGNORECASE)
# iCloud keeps a note not downloaded yet as a hidden stub: "Note.md" -> ".Note.md.icloud".
_ICLOUD_STUB = re.compile(r"\.(.+\.md)\.icloud", re.IGNORECASE)


class NoteFile(NamedTuple):
    """A note found in the vault (a named tuple: a listing makes one per note)."""

    path: str  # relative to the vault, with '/'
    size: int  # -1 (and mtime_ns too) from a listing without stats: see list_notes
    mtime_ns: int


class NoVault(MdmasteryError):
    """No vault was named and none holds the working folder."""


def find_vault(explicit: Path | None, cwd: Path) -> Path:
    """Return the vault root: the explicit path (marked or not), else the nearest
    folder from cwd up holding .mdmastery/ or .obsidian/.

    Without either, raise NoVault: run from a home folder, a command would otherwise
    read (and index) everything there.
    """
    if explicit is not None:
        return explicit
    for folder in (cwd, *cwd.parents):
        if (folder / ".mdmastery").is_dir() or (folder / ".obsidian").is_dir():
            return folder
    raise NoVault(f"no vault here (no .mdmastery/ or .obsidian/ in {cwd} or above); run "
                  "`mdmastery init` to make one, or name it with --vault PATH")


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a gitignore-like glob (`Templates/**`, `*.excalidraw.md`) to a regex."""
    text = pattern.strip()
    # As in .gitignore: a slash at the start or in the middle anchors the pattern to
    # the vault root; one at the end only says "a folder", which changes nothing here.
    anchored = "/" in text.rstrip("/")
    pattern = text.strip("/")
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif pattern[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            parts.append("[^/]")
            index += 1
        else:
            parts.append(re.escape(pattern[index]))
            index += 1
    body = "".join(parts)
    # A pattern without a slash matches a name at any depth.
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(rf"{prefix}{body}(?:/.*)?\Z")


def is_ignored(path: str, patterns: Iterable[str]) -> bool:
    """Tell whether a vault-relative path matches one of the ignore globs."""
    return bool(patterns) and any(_glob_regex(p).match(path) for p in patterns if p.strip())


def is_note_name(name: str) -> bool:
    """Tell whether a file name is a note's (a visible .md file, not a sync leftover)."""
    # Editor leftovers (`x.md~`, `x.md.tmp`, vim's `4913`) already fail the `.md` test.
    lower = name.lower()
    return (lower.endswith(".md") and not name.startswith(".")
            and ("conflict" not in lower or _CONFLICT_COPY.search(name) is None))


def holds_notes(root: Path) -> bool:
    """Tell whether a folder holds a note (a `.md` file outside hidden folders), looking
    no further than the first one."""
    for _, folders, files in os.walk(root):
        folders[:] = [name for name in folders
                      if not name.startswith(".") and name not in SKIPPED_FOLDERS]
        if any(name.lower().endswith(".md") and not name.startswith(".") for name in files):
            return True
    return False


def list_notes(root: Path, ignore: Iterable[str] = (), *,
               stats: bool = True) -> tuple[list[NoteFile], list[Problem]]:
    """List the vault's notes, sorted by path; problems for what was passed over.

    Without stats, a note's size and mtime are -1 (unknown): a run that reads every
    note anyway (no index yet) takes them from the open file (read_note), and spares
    the listing a stat call a note, most of its time. The file type comes from the
    folder listing then, and a note's identity from its inode there.
    """
    listing = _Listing(root, tuple(p for p in ignore if p.strip()), stats)
    stack: list[tuple[str, str]] = [(str(root), "")]
    # Symlinked folders wait until the real tree is walked: a note is then listed
    # under its real path, and a link to a folder already walked adds nothing.
    linked = listing.linked
    while stack or linked:
        if not stack:
            linked.sort(key=lambda item: item[1], reverse=True)
            path, child, real = linked.pop()
            if real not in listing.seen_dirs:
                listing.seen_dirs.add(real)
                stack.append((path, child))
            continue
        folder, rel = stack.pop()
        try:
            # In the file system's order: what is found does not depend on it (see
            # below), and sorting thousands of entries costs more than the listing.
            with os.scandir(folder) as scan:
                entries = list(scan)
        except FileNotFoundError:
            continue
        except OSError as error:
            listing.problems.append(Problem(rel or ".", 0, "error",
                                            f"cannot list folder: {error.strerror or error}"))
            continue
        stack.extend(listing.folder(folder, rel, entries))
    # (Paths are unique, so the tuples sort by path alone.)
    files = sorted(file for _, file in listing.found.values())
    problems = sorted(listing.problems)
    problems.extend(_name_clashes(files))
    return files, problems


class _Listing:
    """What list_notes has found so far."""

    def __init__(self, root: Path, patterns: tuple[str, ...], stats: bool) -> None:
        self.patterns = patterns
        self.stats = stats
        self.problems: list[Problem] = []
        # (device, inode) -> (reached through a symlink, the file), so each note is
        # listed once, under its real path when it has one in the vault.
        self.found: dict[tuple[int, int], tuple[bool, NoteFile]] = {}
        self.real_root = os.path.realpath(root)
        self.seen_dirs = {self.real_root}
        self.linked: list[tuple[str, str, str]] = []  # symlinked folders: (path, child, real)

    def folder(self, folder: str, rel: str,
               entries: list[os.DirEntry[str]]) -> list[tuple[str, str]]:
        """Take the entries of one folder; return its subfolders to walk."""
        patterns, problems, found = self.patterns, self.problems, self.found
        stats, real_root, seen_dirs, linked = self.stats, self.real_root, self.seen_dirs, \
            self.linked
        subfolders: list[tuple[str, str]] = []
        device = -1  # the folder's, for the identity of notes not statted
        for entry in entries:
            name = entry.name
            child = f"{rel}/{name}" if rel else name
            if name.startswith("."):
                stub = _ICLOUD_STUB.fullmatch(name)
                if stub is not None and not is_ignored(child, patterns):
                    problems.append(Problem(child, 0, "warning",
                                            f"iCloud has not downloaded {stub.group(1)} yet; "
                                            "not read"))
                continue
            is_link = False
            info: os.stat_result | None = None  # None: a note listed without its stat
            inode = 0
            try:
                is_link = entry.is_symlink()
                if not is_link:
                    # The file type is known from the listing: folders and files that are
                    # no notes (attachments) cost no stat call.
                    if entry.is_dir(follow_symlinks=False):
                        if name not in SKIPPED_FOLDERS and not is_ignored(child, patterns):
                            real = os.path.realpath(entry.path)
                            if real not in seen_dirs:
                                seen_dirs.add(real)
                                subfolders.append((entry.path, child))
                        continue
                    if not is_note_name(name):
                        _conflict_copy(name, child, patterns, problems)
                        continue
                else:
                    real = os.path.realpath(entry.path)
                    if real != real_root and not real.startswith(real_root + os.sep):
                        problems.append(Problem(child, 0, "warning",
                                                "symlink leads out of the vault; not followed"))
                        continue
                if stats or is_link or not entry.is_file(follow_symlinks=False):
                    info = entry.stat()  # follows a link that stays inside
                else:  # a note's identity from the listing: its folder's device, its inode
                    if device < 0:
                        device = os.stat(folder).st_dev
                    inode = entry.inode()
            except FileNotFoundError:
                if is_link:
                    problems.append(Problem(child, 0, "warning", "broken symlink; skipped"))
                continue
            except OSError as error:
                if is_link and error.errno == errno.ELOOP:
                    problems.append(Problem(child, 0, "warning", "symlink loop; skipped"))
                else:
                    problems.append(Problem(child, 0, "error",
                                            f"cannot read: {error.strerror or error}"))
                continue
            if info is None:
                if patterns and is_ignored(child, patterns):
                    continue
                identity, size, mtime_ns = (device, inode), -1, -1
            else:
                if is_link and stat.S_ISDIR(info.st_mode):
                    if name not in SKIPPED_FOLDERS and not is_ignored(child, patterns):
                        linked.append((entry.path, child, os.path.realpath(entry.path)))
                    continue
                if patterns and is_ignored(child, patterns):
                    continue
                if is_link and not is_note_name(name):
                    _conflict_copy(name, child, patterns, problems)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    problems.append(Problem(child, 0, "warning", "not a regular file; skipped"))
                    continue
                identity = (info.st_dev, info.st_ino)
                size, mtime_ns = info.st_size, info.st_mtime_ns
            # A note reached twice (a link, a hard link) is listed once: under a path
            # that is no link if it has one, else under the first path in sort order.
            known = found.get(identity)
            if known is None or (known[0], known[1].path) > (is_link, child):
                found[identity] = (is_link, NoteFile(child, size, mtime_ns))
        return subfolders


def _conflict_copy(name: str, child: str, patterns: tuple[str, ...],
                   problems: list[Problem]) -> None:
    """Warn about a sync service's conflict copy of a note (see is_note_name)."""
    if name.lower().endswith(".md") and _CONFLICT_COPY.search(name) and \
            not is_ignored(child, patterns):
        problems.append(Problem(child, 0, "warning", "a sync conflict copy; not read (merge "
                                "it into the note and delete it)"))


def _name_clashes(files: Iterable[NoteFile]) -> list[Problem]:
    """Warn about notes whose paths differ only by case or Unicode normalisation."""
    first: dict[str, str] = {}
    problems = []
    for file in files:
        path = file.path
        # (ASCII needs no normalising, and its case folding is lower case.)
        folded = path.lower() if path.isascii() else \
            unicodedata.normalize("NFC", path).casefold()
        if folded in first:
            problems.append(Problem(file.path, 0, "warning",
                                    f"name differs from {first[folded]} only by case or "
                                    "Unicode normalisation; links may reach either"))
        else:
            first[folded] = file.path
    return problems


def _too_big(path: str, size: int | None, max_size: int) -> Problem:
    what = f"file is {size / 1e6:.1f} MB" if size is not None else "file is"
    return Problem(path, 0, "warning", f"{what} over the {max_size / 1e6:g} MB limit; skipped "
                   "(raise max_file_size in .mdmastery/config.toml to read it)")


def read_bytes(root: Path, file: NoteFile, max_size: int) -> bytes | Problem | None:
    """Read a note's bytes; a Problem when it cannot be read, None when it vanished.

    Never reads more than max_size + 1 bytes, whatever the file grew to since it
    was listed, so a huge file costs no memory.
    """
    return read_note(root, file, max_size)[0]


def read_note(root: Path, file: NoteFile,
              max_size: int) -> tuple[bytes | Problem | None, os.stat_result | None]:
    """read_bytes, with the stat of the file read (None when none was read)."""
    if file.size > max_size:
        return _too_big(file.path, file.size, max_size), None
    try:
        # O_NONBLOCK: a FIFO put in the note's place since listing must not block open().
        fd = os.open(os.path.join(root, file.path), os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, None  # deleted since it was listed: nothing to say
    except OSError as error:
        return Problem(file.path, 0, "error", f"cannot read: {error.strerror or error}"), None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Problem(file.path, 0, "warning", "not a regular file; skipped"), None
        if info.st_size > max_size:
            return _too_big(file.path, info.st_size, max_size), None
        chunks = []
        total = 0
        # One read of the size fstat gave, plus a byte: getting exactly that size means
        # the end was reached, and the read of the end is spared (a read that stops
        # short of it, as some network file systems do, reads on).
        wanted = info.st_size + 1
        while total <= max_size:
            chunk = os.read(fd, min(max_size + 1 - total, wanted))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total == info.st_size and len(chunk) < wanted:
                break
            wanted = 1 << 20
        data = b"".join(chunks)
        if len(data) > max_size:
            return _too_big(file.path, None, max_size), None
        return data, info
    except OSError as error:
        return Problem(file.path, 0, "error", f"cannot read: {error.strerror or error}"), None
    finally:
        os.close(fd)
