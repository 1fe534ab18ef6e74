"""File names in another date format than the vault's (mdmastery/dates/names.py)."""

from __future__ import annotations

from datetime import date

import pytest

from mdmastery.dates.names import COMMON_FORMATS, DateName, other_date_formats

ISO = ("YYYY-MM-DD",)


@pytest.mark.parametrize(("stem", "expected"), [
    ("22-12-2026", [DateName(date(2026, 12, 22), "DD-MM-YYYY")]),
    ("12-22-2026", [DateName(date(2026, 12, 22), "MM-DD-YYYY")]),
    ("2023-7-1", [DateName(date(2023, 7, 1), "YYYY-M-D")]),
    ("22.12.2026", [DateName(date(2026, 12, 22), "DD.MM.YYYY")]),
    ("20261222", [DateName(date(2026, 12, 22), "YYYYMMDD")]),
    ("2026_12_22", [DateName(date(2026, 12, 22), "YYYY_MM_DD")]),
    ("2026-12-22 Tuesday", [DateName(date(2026, 12, 22), "YYYY-MM-DD dddd")]),
    ("Tuesday, December 22nd, 2026", [DateName(date(2026, 12, 22), "dddd, MMMM Do, YYYY")]),
    ("December 22, 2026", [DateName(date(2026, 12, 22), "MMMM D, YYYY")]),
    ("2026年12月22日", [DateName(date(2026, 12, 22), "YYYY年MM月DD日")]),
    # Ambiguous: both days, each once.
    ("03-04-2026", [DateName(date(2026, 4, 3), "DD-MM-YYYY"),
                    DateName(date(2026, 3, 4), "MM-DD-YYYY")]),
])
def test_a_day_in_another_format(stem: str, expected: list[DateName]) -> None:
    assert other_date_formats(stem, ISO) == expected


@pytest.mark.parametrize("stem", [
    "2026-12-22",              # the expected format
    "2026-12-22 Meeting",      # a weekday that is no weekday
    "2026-12-22 Monday",       # the wrong weekday
    "December 22th, 2026",     # a wrong ordinal
    "31-02-2026",              # no such day
    "2026-W51",                # a week, not a day
    "Project plan",
    "12-2026 budget",
])
def test_no_day_in_another_format(stem: str) -> None:
    assert other_date_formats(stem, ISO) == []


def test_the_vaults_own_format_is_no_near_miss() -> None:
    assert other_date_formats("22.12.2026", ("DD.MM.YYYY", "YYYY-MM-DD")) == []
    assert other_date_formats("2026-12-22", ("DD.MM.YYYY",)) == [
        DateName(date(2026, 12, 22), "YYYY-MM-DD")]


def test_the_formats_are_distinct() -> None:
    assert len(set(COMMON_FORMATS)) == len(COMMON_FORMATS)
