"""Dates: moment.js formats, periods, week starts and the clock."""

from __future__ import annotations

from datetime import date

import pytest

from mdmastery.dates.clock import today
from mdmastery.dates.days import week_start_of
from mdmastery.dates.moment import format_date, name_pattern, parse_date
from mdmastery.dates.periods import period_of, previous


@pytest.mark.parametrize(("fmt", "text", "day"), [
    ("YYYY-MM-DD", "2026-11-20", date(2026, 11, 20)),
    ("DD.MM.YYYY", "20.11.2026", date(2026, 11, 20)),
    ("YYYY-MM-DD dddd", "2026-11-20 Friday", date(2026, 11, 20)),
    ("dddd, MMMM Do YYYY", "Friday, November 20th 2026", date(2026, 11, 20)),
    ("D MMM YY", "3 Feb 28", date(2028, 2, 3)),
    ("[Journal] YYYYMMDD", "Journal 20261120", date(2026, 11, 20)),
    ("YYYY-MM-DD", "2026-02-30", None),
    ("YYYY-MM-DD", "2026-11-20 copy", None),
    ("GGGG-[W]WW", "2026-W47", None),  # names no day
])
def test_moment_parse(fmt: str, text: str, day: date | None) -> None:
    assert parse_date(fmt, text) == day


def test_moment_format_round_trips() -> None:
    day = date(2028, 2, 29)
    for fmt in ("YYYY-MM-DD", "DD.MM.YYYY", "dddd, MMMM Do YYYY", "YYYY/MM/YYYY-MM-DD"):
        assert parse_date(fmt, format_date(fmt, day)) == day


@pytest.mark.parametrize(("fmt", "name", "matches"), [
    ("GGGG-[W]WW", "2023-W23", True),
    ("GGGG-[W]WW", "2023-06", False),
    ("YYYY-MM", "2023-06", True),
    ("YYYY-MM", "2023-W23", False),
    ("YYYY-[Q]Q [Review]", "2023-Q2 Review", True),
    ("YYYY-[Q]Q [Review]", "2023-Q2", False),
    ("YYYY", "2023", True),
    ("MMMM YYYY", "june 2023", True),
])
def test_name_pattern_matches_the_names_of_any_period(fmt: str, name: str,
                                                     matches: bool) -> None:
    assert bool(name_pattern(fmt).match(name)) is matches


@pytest.mark.parametrize(("kind", "day", "label", "start", "end"), [
    ("week", date(2026, 11, 22), "2026-W47", date(2026, 11, 16), date(2026, 11, 22)),
    ("week", date(2027, 1, 1), "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
    ("week", date(2027, 1, 4), "2027-W01", date(2027, 1, 4), date(2027, 1, 10)),
    ("month", date(2028, 2, 10), "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ("quarter", date(2026, 11, 22), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("quarter", date(2026, 2, 1), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("year", date(2026, 5, 5), "2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods(kind: str, day: date, label: str, start: date, end: date) -> None:
    period = period_of(kind, day)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_sunday_weeks_and_previous_period() -> None:
    week = period_of("week", date(2026, 11, 22), week_start=6)
    assert (week.start, week.end) == (date(2026, 11, 22), date(2026, 11, 28))
    assert previous(period_of("month", date(2026, 3, 15))).label == "2026-02"
    assert previous(period_of("week", date(2027, 1, 6))).label == "2026-W53"
    assert period_of("week", date(2026, 11, 20)).as_of(date(2026, 11, 18)) == date(2026, 11, 18)


@pytest.mark.parametrize("week_start", range(7))
def test_week_start_is_the_same_for_periods_and_formats(week_start: int) -> None:
    # (One rule, in dates/days.py: the periods and moment's locale weeks both use it.)
    for number in range(16, 30):
        day = date(2026, 11, number)
        start = week_start_of(day, week_start)
        assert start.weekday() == week_start and 0 <= (day - start).days < 7
        assert period_of("week", day, week_start).start == start
        assert format_date("gggg-ww", start, week_start) == format_date("gggg-ww", day,
                                                                          week_start)


def test_the_clock_reads_mdmastery_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDMASTERY_TODAY", "2026-11-22")
    assert today() == date(2026, 11, 22)
    monkeypatch.setenv("MDMASTERY_TODAY", "22.11.2026")
    with pytest.raises(ValueError, match=r"MDMASTERY_TODAY='22\.11\.2026' is not a date"):
        today()
    monkeypatch.delenv("MDMASTERY_TODAY")
    assert today() == date.today()
