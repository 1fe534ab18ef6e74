"""Atomic writes: a temp file in the same folder, fsync, then the temp file and the note
trade places (Linux's RENAME_EXCHANGE) and what came out is compared with what was read:
a save that landed meanwhile is put back, never lost. Where no such swap exists, the note
is read again just before an os.replace. A new note is linked into place, never over a
file."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path

from ..errors import WriteError


def umask() -> int:
    """Return the process's umask (the mode a new file gets is 0o666 without it)."""
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
def temp_copy(path: Path, data: bytes, mode: int, label: str) -> Iterator[str]:
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
    import ctypes  # (only when a note is replaced)

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


def link_new(temp: str, path: Path) -> bool:
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
        if link_new(temp, copy):
            return
    raise WriteError(f"{path}: too many conflict copies beside it; nothing was replaced")


def _swap_in(temp: str, path: Path, data: bytes, expect: bytes, label: str) -> None:
    """Put temp in path's place if path still holds expect; never lose what it holds."""
    if not _exchange(temp, path):
        if read_if_there(path) != expect:
            raise _changed(label)
        os.replace(temp, path)  # (a save between the read and here is not seen)
        return
    # temp now holds what path held at the swap: normally expect, dropped on the way out.
    if read_if_there(Path(temp)) == expect:
        return
    # A save landed between the read and the swap: it goes back in place.
    _exchange(temp, path)
    if read_if_there(Path(temp)) != data:
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
        mode = 0o666 & ~umask()
    except OSError as error:
        raise WriteError(f"{label}: cannot write: {error.strerror or error}") from None
    with temp_copy(path, data, mode, label) as temp:
        if expect is None:
            if not link_new(temp, path):
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


def read_if_there(path: Path) -> bytes | None:
    """Return a note's bytes, None if there is none; WriteError for a folder or an error."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise WriteError(f"{path}: refused: it is a folder, not a note") from None
    except OSError as error:
        raise WriteError(f"{path}: cannot read: {error.strerror or error}") from None
