"""Weekdays, week starts and the days mdmastery can compute with."""

from __future__ import annotations

from datetime import date, timedelta

# As in settings and schedules (`week_start = "sunday"`, `[mon, wed, fri]`); 0 = Monday.
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Days outside these are typos (`0026-11-20`) or hostile: the analytics walk day by
# day from a habit's start, and date arithmetic overflows near the year 1.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def plausible(day: date | None) -> date | None:
    """Return the day if it lies in EARLIEST_DAY..LATEST_DAY, else None."""
    return day if day is not None and EARLIEST_DAY <= day <= LATEST_DAY else None


def week_start_of(day: date, week_start: int = 0) -> date:
    """Return the first day of the week holding day (week_start: 0 = Monday)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)
