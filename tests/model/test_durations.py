"""Durations as notes write them, read as minutes (mdmastery/model/durations.py)."""

from __future__ import annotations

import pytest

from mdmastery.model.durations import clock_minutes, in_unit, is_time_unit, parse_duration


@pytest.mark.parametrize(("text", "minutes"), [
    ("1h 30m", 90),
    ("1h30m", 90),
    ("45 min", 45),
    ("45min", 45),
    ("1hour 15 minutes", 75),
    ("1 hour, 30 minutes", 90),
    ("2 hrs", 120),
    ("1.5h", 90),
    ("1,5 h", 90),
    (".5 hours", 30),
    ("90s", 1.5),
    ("1 H 5 MIN", 65),
    ("  20 mins  ", 20),
    ("1h 2h", 180),  # parts add up, as in Dataview
    ("0 min", 0),
])
def test_durations_are_read_as_minutes(text: str, minutes: float) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", [
    "90",           # a bare number: the caller reads it as a number
    "30 pages",     # a count with its unit
    "5 km",
    "2 days",       # days and longer are counts in notes, not durations
    "1 week",
    "1h 30",        # a trailing number without its unit
    "1, 5h",        # a comma then a space separates parts: `1` has no unit
    "h",
    "",
    "   ",
    "-1h",
    "1h and 30m",
    "10:45",        # a clock time (or h:mm): ambiguous, not read as a duration
])
def test_other_text_is_no_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(("unit", "expected"), [
    (None, 90.0), ("", 90.0), ("min", 90.0), ("minutes", 90.0), ("Minutes", 90.0),
    ("h", 1.5), ("hours", 1.5), ("hr", 1.5), ("s", 5400.0), ("seconds", 5400.0),
])
def test_minutes_are_expressed_in_a_time_unit(unit: str | None, expected: float) -> None:
    assert in_unit(90, unit) == expected


@pytest.mark.parametrize("unit", ["km", "pages", "EUR", "days"])
def test_a_duration_has_no_value_in_another_unit(unit: str) -> None:
    assert in_unit(90, unit) is None
    assert not is_time_unit(unit)


def test_time_units() -> None:
    assert all(is_time_unit(u) for u in ("h", "min", "m", "minutes", " hours ", "sec"))
    assert not is_time_unit(None)


@pytest.mark.parametrize(("text", "minutes"), [("7:30", 450), ("0:45", 45), (" 10:05 ", 605)])
def test_clock_values_are_told_apart(text: str, minutes: float) -> None:
    assert clock_minutes(text) == minutes
    assert parse_duration(text) is None


@pytest.mark.parametrize("text", ["7:3", "7:60", "7h 30m", "123:00", "7:30 pm"])
def test_other_text_is_no_clock_value(text: str) -> None:
    assert clock_minutes(text) is None
