"""Review periods: week, month, quarter and year, and the day a review is computed as of."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

from .days import week_start_of
from .moment import format_date

PERIODS = ("week", "month", "quarter", "year")

# Periodic Notes' default file names.
DEFAULT_FORMATS: Mapping[str, str] = {
    "week": "GGGG-[W]WW",
    "month": "YYYY-MM",
    "quarter": "YYYY-[Q]Q",
    "year": "YYYY",
}

# Review names that no periodic note named by Periodic Notes' defaults can have
# (`Reviews/2023-W23 Review.md` beside `Journal/Weekly/2023-W23.md`).
FORMATS_APART: Mapping[str, str] = {
    "week": "GGGG-[W]WW [Review]",
    "month": "YYYY-MM [Review]",
    "quarter": "YYYY-[Q]Q [Review]",
    "year": "YYYY [Review]",
}


class Period(NamedTuple):
    """A span of days a review covers, both ends included."""

    kind: str
    start: date
    end: date
    label: str

    def as_of(self, today: date) -> date:
        """Return the day the figures are computed as of: min(end, today)."""
        return min(self.end, today)

    def days(self, until: date | None = None) -> list[date]:
        """Return the period's days, up to until when given."""
        last = self.end if until is None else min(self.end, until)
        count = (last - self.start).days + 1
        return [self.start + timedelta(days=i) for i in range(max(count, 0))]

    def as_dict(self, today: date) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "as_of": self.as_of(today).isoformat()}


def period_of(kind: str, day: date, week_start: int = 0,
              formats: Mapping[str, str] = DEFAULT_FORMATS) -> Period:
    """Return the period of the given kind that holds day."""
    if kind == "week":
        start = week_start_of(day, week_start)
        end = start + timedelta(days=6)
        # Named after its fourth day, as ISO names a Monday-first week after its Thursday.
        named = start + timedelta(days=3)
    elif kind == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        named = start
    elif kind == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        end = (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
        named = start
    elif kind == "year":
        start, end, named = date(day.year, 1, 1), date(day.year, 12, 31), day
    else:
        raise ValueError(f"unknown period {kind!r}; expected one of {', '.join(PERIODS)}")
    fmt = formats.get(kind, DEFAULT_FORMATS[kind])
    return Period(kind, start, end, format_date(fmt, named, week_start))


def previous(period: Period, week_start: int = 0,
             formats: Mapping[str, str] = DEFAULT_FORMATS) -> Period:
    """Return the period of the same kind just before this one."""
    return period_of(period.kind, period.start - timedelta(days=1), week_start, formats)
