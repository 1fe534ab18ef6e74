"""Where mdmastery may write: paths that never leave the vault, and file names made
from titles."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..errors import WriteError

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
