"""Bytes -> Note, moment.js formats and periods."""

from __future__ import annotations

from datetime import date

import pytest

from mdmastery.dates.moment import format_date, parse_date
from mdmastery.dates.periods import period_of, previous
from mdmastery.reading.markdown import parse_body_markdown_it
from mdmastery.reading.note import parse_note
from mdmastery.reading.text import normalize_key

NOTE = (
    "---\n"
    "type: journal\n"
    "clock-in: 10:45\n"
    "outside: yes\n"
    "zip: 012345\n"
    "version: 3.10\n"
    "ratio: 2.5\n"
    "count: 7\n"
    "day: 2026-11-20\n"
    "empty:\n"
    "---\n"
    "# Title [[Linked]]\n"
    "\n"
    "- [x] Task one [field:: value]\n"
    "\t- [ ] nested (other:: 2)\n"
    "Make Progress:: 3\n"
)


@pytest.mark.parametrize("data", [
    NOTE.encode(), b"\xef\xbb\xbf" + NOTE.encode(), NOTE.replace("\n", "\r\n").encode(),
])
def test_front_matter_yaml_1_2_and_lines(data: bytes) -> None:
    note = parse_note("n.md", data)
    assert note.problems == ()
    assert note.meta == {"type": "journal", "clock-in": "10:45", "outside": "yes",
                         "zip": "012345", "version": "3.10", "ratio": 2.5, "count": 7,
                         "day": date(2026, 11, 20), "empty": None}
    assert note.line_of("clock-in") == 3
    body = note.body
    assert [(h.line, h.text) for h in body.headings] == [(12, "Title [[Linked]]")]
    assert [(i.line, i.task, i.text) for i in body.items] == [
        (14, "x", "Task one [field:: value]"), (15, " ", "nested (other:: 2)")]
    assert [(f.line, f.key, f.value) for f in body.fields] == [
        (14, "field", "value"), (15, "other", "2"), (16, "Make Progress", "3")]


def test_fast_path_and_markdown_it_agree_on_a_typical_note() -> None:
    text = NOTE.split("---\n", 2)[2]
    fast = parse_note("n.md", NOTE.encode()).body
    assert fast == parse_body_markdown_it(text, 12)


def test_constructs_markdown_it_must_decide() -> None:
    body = ("> [!note] Callout\n> - [x] in a callout\n\n    - [x] indented code\n\n"
            "<div>\n- [x] html\n</div>\n\nSetext\n---\n- [x] after\n")
    note = parse_note("n.md", body.encode())
    assert [(i.line, i.text) for i in note.body.items] == [(2, "in a callout"),
                                                           (12, "after")]
    assert [(h.line, h.level, h.text) for h in note.body.headings] == [(10, 2, "Setext")]


@pytest.mark.parametrize(("name", "key"), [
    ("Make Progress", "make-progress"), ("Read 20 pages", "read-20-pages"),
    ("**Bold** Key!", "bold-key"), ("  spaced   out ", "spaced-out"), ("Ünï", "ünï"),
])
def test_dataview_normalised_key(name: str, key: str) -> None:
    assert normalize_key(name) == key


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
