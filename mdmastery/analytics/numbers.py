"""Small numeric helpers of the figures."""

from __future__ import annotations

import math
from collections.abc import Iterable


def mean(values: Iterable[float]) -> float | None:
    """Return the arithmetic mean, or None for no values."""
    items = list(values)
    return math.fsum(items) / len(items) if items else None


def clamp(value: float) -> float:
    """Return value within [0, 1]."""
    return min(1.0, max(0.0, value))


def rounded(value: float | None, digits: int = 3) -> float | None:
    """Return value rounded (3 decimals, as figures are given), None as None."""
    return None if value is None else round(value, digits)
