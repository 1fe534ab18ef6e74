"""Values as notes write them: days, numbers, lists, schedules; and how a value is
shown in a message."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..dates.days import EARLIEST_DAY, LATEST_DAY, WEEKDAY_NAMES, plausible
from .durations import clock_minutes, in_unit, is_time_unit, parse_duration
from .links import link_text
from .values import Schedule

NUMBER = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|\.\d+)")


def bad_day(label: str, value: Any, outcome: str = "ignored") -> str:
    """Say why a value that should be a day is not one mdmastery can use."""
    day: date | None = value if isinstance(value, date) else None
    if isinstance(value, datetime):
        day = value.date()
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip().strip("\"'")[:10])
        except ValueError:
            day = None
    if day is not None:
        return (f"{label} {day.isoformat()} is not between {EARLIEST_DAY.year} and "
                f"{LATEST_DAY.year}; {outcome}")
    if value is None or isinstance(value, bool):  # (as YAML writes them, not 'None')
        return f"{label} {'null' if value is None else str(value).lower()} is not a date " \
               f"(YYYY-MM-DD); {outcome}"
    return f"{label} {link_text(value)[:40]!r} is not a date (YYYY-MM-DD); {outcome}"


def parse_day(value: Any) -> date | None:
    """Return a date from a YAML date, datetime or ISO string, else None."""
    if isinstance(value, datetime):
        return plausible(value.date())
    if isinstance(value, date):
        return plausible(value)
    if isinstance(value, str):
        text = value.strip().strip("\"'")
        try:
            return plausible(date.fromisoformat(text[:10]))
        except ValueError:
            return None
    return None


def parse_number(value: Any) -> float | None:
    """Return a number from an int, float or a string starting with one ("95 min")."""
    kind = type(value)
    if kind is str:
        return _number_in(value)
    if kind in _NOTNUMBERS or isinstance(value, bool) or \
            not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


# The types of most front matter values that are not numbers (a journal note's `date`,
# `tags`): one lookup settles them.
_NOTNUMBERS = frozenset({date, datetime, list, dict, type(None)})


@lru_cache(maxsize=4096)
def _number_in(text: str) -> float | None:
    """parse_number of a string, remembered: notes repeat the same few values."""
    match = NUMBER.match(text.strip())
    if match is not None:
        try:
            return float(match.group(0).replace(",", "."))
        except ValueError:
            return None
    return None


def parse_measure(value: Any) -> tuple[float, bool] | None:
    """Return a number, or a duration's minutes (`1h 30m` -> 90), with whether it is a
    duration (or an h:mm time, `7:30`, that a time unit would take for one); None if it
    is neither."""
    if type(value) is str:
        return measure_in(value)
    number = parse_number(value)
    return None if number is None else (number, False)


@lru_cache(maxsize=4096)
def measure_in(text: str) -> tuple[float, bool] | None:
    """parse_measure of a string, remembered: notes repeat the same few values."""
    minutes = parse_duration(text)
    if minutes is None:
        minutes = clock_minutes(text)
    if minutes is not None:
        return minutes, True
    number = _number_in(text)
    return None if number is None else (number, False)


def in_measure_unit(text: str, minutes: float, unit: str | None,
                    owner: str) -> tuple[float | None, str | None]:
    """Return a duration written as text in a habit's or goal's unit, or why not: the
    unit is no time unit (owner names the habit or goal), or text is an h:mm time."""
    clock = clock_minutes(text) is not None
    if clock and not is_time_unit(unit):
        return _number_in(text), None  # (a number such as 7:30 in another unit, as before)
    if clock:
        hours, rest = divmod(round(minutes), 60)
        return None, f"{text.strip()} is a clock time, not a duration; write " \
                     f"{hours}h {rest}m"
    value = in_unit(minutes, unit)
    if value is None:
        return None, f"{text.strip()} is a duration, but {owner}'s unit is {unit}; ignored"
    return value, None


def as_strings(value: Any) -> list[str]:
    """Return a list of strings from a string ("a, b"), a list or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [link_text(v) for v in value if v is not None and link_text(v)]
    return [str(value)]


def parse_schedule(value: Any) -> Schedule | None:
    """Return the schedule a habit's `schedule` value names, or None if unknown."""
    if value is None:
        return Schedule("days")
    if isinstance(value, list | tuple):
        days = [str(v).strip().lower()[:3] for v in value]
        if days and all(d in WEEKDAY_NAMES for d in days):
            return Schedule("days", frozenset(WEEKDAY_NAMES.index(d) for d in days))
        return None
    text = str(value).strip().lower()
    if text in ("daily", "every day", "everyday"):
        return Schedule("days")
    if text == "weekdays":
        return Schedule("days", frozenset(range(5)))
    if text == "weekends":
        return Schedule("days", frozenset({5, 6}))
    if text == "every other day":
        return Schedule("interval", every=2)
    match = re.fullmatch(r"(\d+)\s*(?:x|times)?\s*(?:/|per|a|an)\s*week", text)
    if match and 1 <= int(match.group(1)) <= 7:
        return Schedule("quota", per_week=int(match.group(1)))
    match = re.fullmatch(r"every\s+(\d+)\s+days?", text)
    if match and int(match.group(1)) >= 1:
        every = int(match.group(1))
        return Schedule("days") if every == 1 else Schedule("interval", every=every)
    parts = [p.strip()[:3] for p in re.split(r"[,\s]+", text.strip("[]")) if p.strip()]
    if parts and all(p in WEEKDAY_NAMES for p in parts):
        return Schedule("days", frozenset(WEEKDAY_NAMES.index(p) for p in parts))
    return None


def shown(value: Any) -> str:
    """Show a value in a message: numbers as written, anything else quoted."""
    text = link_text(value)
    if not isinstance(value, bool) and NUMBER.fullmatch(text):
        return text
    return repr(text)
