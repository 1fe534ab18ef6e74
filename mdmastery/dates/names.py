"""File names that name a day in another format than the vault's (`22-12-2026` where
journal notes are `YYYY-MM-DD`): a near miss the user should hear of, not a silent skip.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from .moment import format_date, parse_date

# Daily-note formats people use, tried in this order. A name matches a format only when
# formatting its day back gives the name again (any case), so weekday names must be the
# day's (`2026-12-22 Tuesday`, not `2026-12-22 Meeting`) and ordinals right (`22nd`).
COMMON_FORMATS = (
    "YYYY-MM-DD", "YYYY-M-D", "DD-MM-YYYY", "D-M-YYYY", "MM-DD-YYYY", "M-D-YYYY",
    "DD.MM.YYYY", "D.M.YYYY", "MM.DD.YYYY", "YYYY.MM.DD", "YYYY_MM_DD", "DD_MM_YYYY",
    "YYYYMMDD", "DD-MM-YY", "DD.MM.YY", "YYYY-MM-DD dddd", "YYYY-MM-DD ddd",
    "dddd, MMMM Do, YYYY", "dddd, MMMM D, YYYY", "MMMM D, YYYY", "MMMM Do, YYYY",
    "D MMMM YYYY", "Do MMMM YYYY", "DD MMM YYYY", "YYYY年MM月DD日", "YYYY年M月D日",
)


class DateName(NamedTuple):
    """A day a file name names, and the format it is written in."""

    day: date
    format: str


def _names_day(stem: str, fmt: str) -> date | None:
    day = parse_date(fmt, stem)
    if day is None or format_date(fmt, day).casefold() != stem.casefold():
        return None
    return day


def other_date_formats(stem: str, expected: Iterable[str]) -> list[DateName]:
    """Return the days a file stem names in common formats other than the expected ones.

    Empty when the stem names a day in an expected format (it is fine) or in none. More
    than one when the name is ambiguous (`03-04-2026`: 3 April or 4 March), one per day,
    each with the first format of COMMON_FORMATS that reads it.
    """
    wanted = tuple(expected)
    if any(_names_day(stem, fmt) for fmt in wanted):
        return []
    found: dict[date, DateName] = {}
    for fmt in COMMON_FORMATS:
        if fmt in wanted:
            continue
        day = _names_day(stem, fmt)
        if day is not None and day not in found:
            found[day] = DateName(day, fmt)
    return list(found.values())
