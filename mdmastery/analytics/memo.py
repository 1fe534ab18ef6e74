"""Results remembered for one rebuild's reviews (they ask for the same figures)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class IdentityCache:
    """Remembers results computed from unhashable frozen inputs (habits hold dicts) by
    their identity, keeping them alive while remembered: the reviews of one rebuild ask
    for the same habit's whole history as of the same day."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self.entries: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}

    def get(self, objects: tuple[Any, ...], values: tuple[Any, ...],
            compute: Callable[[], T]) -> T:
        key = (*map(id, objects), *values)
        hit = self.entries.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], objects, strict=True)):
            result: T = hit[1]
            return result
        computed = compute()
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (objects, computed)
        return computed
