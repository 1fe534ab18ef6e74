"""The index's folder, `.mdmastery/cache/`: made when missing (with a `.gitignore` of its
own), never through a symlink leading out of the vault; removed by `cache clear`."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..config import CACHE_FOLDER

INDEX_NAME = "index.sqlite"


class IndexProblem(Exception):
    """The index cannot be used this time; the message says why, in a few words."""


def cache_folder(root: Path) -> Path:
    return root / CACHE_FOLDER


def index_path(root: Path) -> Path:
    return root / CACHE_FOLDER / INDEX_NAME


def prepare_folder(root: Path) -> Path:
    """Create .mdmastery/cache/ if needed; refuse one that leads out of the vault."""
    real_root = os.path.realpath(root)
    for relative in (".mdmastery", CACHE_FOLDER):
        path = root / relative
        if os.path.lexists(path):
            # Checked before anything is created in it: a link may lead out of the vault.
            if os.path.realpath(path) != os.path.join(real_root, *relative.split("/")):
                raise IndexProblem(f"{relative}/ is a link out of the vault")
            if not path.is_dir():
                raise IndexProblem(f"{relative} is not a folder")
            continue
        try:
            path.mkdir()
            if relative == CACHE_FOLDER:
                # The cache is disposable: keep it out of a git-versioned vault.
                (path / ".gitignore").write_text("*\n", encoding="utf-8")
        except OSError as error:
            raise IndexProblem(f"cannot create {relative}/ ({error.strerror or error})") \
                from None
    folder = cache_folder(root)
    for name in (INDEX_NAME, INDEX_NAME + "-wal", INDEX_NAME + "-shm"):
        target = folder / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise IndexProblem(f"{CACHE_FOLDER}/{name} is not a plain file")
    return folder


def remove_index_files(folder: Path) -> None:
    for name in (INDEX_NAME, INDEX_NAME + "-wal", INDEX_NAME + "-shm", INDEX_NAME + "-journal"):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def clear_index(root: Path) -> bool:
    """Remove the vault's cache folder; return whether there was one."""
    folder = cache_folder(root)
    if folder.is_symlink():
        folder.unlink()  # the link only, never what it points to
        return True
    if not folder.exists():
        return False
    shutil.rmtree(folder)
    return True
