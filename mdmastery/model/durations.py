"""Durations written in notes (`1h 30m`, `45 min`, `1hour 15 minutes`), read as minutes.

The units are Dataview's for hours, minutes and seconds, so a value Dataview reads as a
duration is read as one here too. Days, weeks, months and years are left out on purpose:
`streak:: 5 days` or `books:: 2 months` are counts in the notes people write, and reading
them as 7,200 or 87,600 minutes would be wrong far more often than right.
"""

from __future__ import annotations

import re

# Seconds per unit word (compared in lower case); seconds keep `90s` exact.
SECONDS_PER_UNIT: dict[str, int] = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
}

# One part: a number (`1`, `1.5`, `1,5`) and a unit word, then an optional `,` separator.
_PART = re.compile(r"\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*([^\W\d_]+)\s*,?", re.UNICODE)


def parse_duration(text: str) -> float | None:
    """Return the minutes a duration names (`1h 30m` -> 90.0), or None if text is none.

    Text is a duration when it is wholly one or more parts NUMBER UNIT, separated by
    spaces or commas: `1h 30m`, `1h30m`, `45 min`, `1hour 15 minutes`, `1 hour, 30
    minutes`, `1.5h`, `1,5 h`, `90s`. A bare number (`90`) or a number with any other word
    (`30 pages`, `5 km`) is no duration: the caller reads it as a plain number.
    """
    position, seconds, parts = 0, 0.0, 0
    text = text.strip()
    while position < len(text):
        match = _PART.match(text, position)
        if match is None:
            return None
        unit = SECONDS_PER_UNIT.get(match.group(2).lower())
        if unit is None:
            return None
        seconds += float(match.group(1).replace(",", ".")) * unit
        parts += 1
        position = match.end()
    return seconds / 60 if parts else None


def is_time_unit(unit: str | None) -> bool:
    """Tell whether a habit's or goal's `unit` names hours, minutes or seconds."""
    return unit is not None and unit.strip().lower() in SECONDS_PER_UNIT


def in_unit(minutes: float, unit: str | None) -> float | None:
    """Return minutes expressed in unit: hours for `h`, minutes for `min` or no unit.

    None when unit is not a time unit (`km`, `pages`): a duration cannot be compared
    with such a target, and the caller reports the value with its line.
    """
    if unit is None or not unit.strip():
        return minutes
    per_unit = SECONDS_PER_UNIT.get(unit.strip().lower())
    return None if per_unit is None else minutes * 60 / per_unit


_CLOCK = re.compile(r"\s*(\d{1,2}):([0-5]\d)\s*")


def clock_minutes(text: str) -> float | None:
    """Return the minutes of an `h:mm` value (`7:30` -> 450.0), or None.

    Not read as a duration (`7:30` is as often a clock time); a caller expecting a
    duration names it in its warning: "write 7h 30m".
    """
    match = _CLOCK.fullmatch(text)
    return None if match is None else int(match.group(1)) * 60.0 + int(match.group(2))
