"""Did you mean ...? The known name closest to a near miss (`Meditat` -> `Meditate`).

Closeness is difflib's similarity ratio of the two texts, compared case-insensitively in
Unicode NFC: 2 x (characters in common, in order) / (length of both). A name is
suggested when the ratio is at least CUTOFF, or when the text and the name share a
start of at least PREFIX_SHARE of the name (and at least MIN_PREFIX characters), which
catches another form of the same word (`Meditation` for `Meditate`). The closest name
wins; ties go to the name that sorts first, so the answer never depends on the order
the names were given in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

CUTOFF = 0.8
PREFIX_SHARE = 0.75
MIN_PREFIX = 5
# Names this short are not suggested from a check-off's text: too many words are one
# letter away from them (`Runs errands` is no misspelt `Run`).
MIN_NEAR_MISS_NAME = 4


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _shared_start(a: str, b: str) -> int:
    """Return how many leading characters a and b share."""
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size


def closeness(text: str, name: str) -> float:
    """Return how close text is to name, from 0 (nothing alike) to 1 (the same)."""
    from difflib import SequenceMatcher  # (only when a name is missed)

    a, b = _fold(text), _fold(name)
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    shared = _shared_start(a, b)
    if shared >= MIN_PREFIX and shared >= PREFIX_SHARE * len(b):
        # Another form of the same word: as close as the cutoff at least.
        ratio = max(ratio, CUTOFF)
    return ratio


def did_you_mean(text: str, names: Iterable[str]) -> str | None:
    """Return the name text most likely misspells, or None if none is close.

    A name equal to text (ignoring case) is no near miss: None.
    """
    folded = _fold(text)
    best: tuple[float, str] | None = None
    for name in sorted(set(names)):
        if _fold(name) == folded:
            return None
        score = closeness(text, name)
        if score >= CUTOFF and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None


def near_miss(text: str, names: Iterable[str]) -> str | None:
    """Return the name a check-off text starts with, misspelt, or None.

    A check-off names its habit first and may go on (`Meditat 20 min`): each name is
    compared with as many leading words of the text as it has words, and with the whole
    text. Names shorter than MIN_NEAR_MISS_NAME are left out. The caller asks only about
    texts that match no name.
    """
    words = text.split()
    best: tuple[float, str] | None = None
    for name in sorted(set(names)):
        if len(_fold(name)) < MIN_NEAR_MISS_NAME:
            continue
        size = len(name.split())
        candidates = {text, " ".join(words[:size])} if size else {text}
        score = max(closeness(candidate, name) for candidate in candidates)
        if score >= CUTOFF and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None
