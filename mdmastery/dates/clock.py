"""Today: the one place mdmastery reads the clock."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """Return today, or the day MDMASTERY_TODAY names (for reproducible runs and tests).

    Raises ValueError, its message for the user, when MDMASTERY_TODAY is no day.
    """
    pinned = os.environ.get("MDMASTERY_TODAY", "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ValueError(f"MDMASTERY_TODAY={pinned!r} is not a date (YYYY-MM-DD)") \
                from None
    return date.today()
