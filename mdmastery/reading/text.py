"""How note text is compared: Dataview's normalised keys, Unicode NFC."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1024)
def unnormalised(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Return the keys that are not in Dataview's normalised form (notes share key sets)."""
    return tuple(k for k in keys if normalize_key(k) != k)


@lru_cache(maxsize=8192)
def normalize_key(name: str) -> str:
    """Return Dataview's normalised form of a key: `Make Progress` -> `make-progress`."""
    name = name.replace("**", "").replace("__", "")
    kept = "".join(ch for ch in name if ch.isalnum() or ch in " \t-_")
    return re.sub(r"\s+", "-", kept.strip()).lower()


def nfc(text: str) -> str:
    """Return text in Unicode NFC, so `é` typed two ways compares equal."""
    return unicodedata.normalize("NFC", text)
