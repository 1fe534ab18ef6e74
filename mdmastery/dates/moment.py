"""Moment.js date formats, as Obsidian's Daily Notes and Periodic Notes settings use them.

Only the tokens that make sense in a file name are supported: years, quarters,
months, days, weekdays, week numbers and `[literal]` text.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from .days import week_start_of

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Longest first, so that "MMMM" wins over "MM" and "M".
TOKENS = ("YYYY", "GGGG", "gggg", "MMMM", "MMM", "dddd", "ddd", "YY", "MM", "DD", "Do",
          "WW", "ww", "M", "D", "Q", "W", "w", "E", "e", "d")
_TOKEN_RE = re.compile(r"\[[^\]]*\]|" + "|".join(TOKENS))


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _locale_week(day: date, week_start: int) -> tuple[int, int]:
    """Return (week-year, week) for weeks starting on week_start holding 1 January."""
    start = week_start_of(day, week_start)
    # The week belongs to the year of its last day when it holds 1 January of that year.
    end = start + timedelta(days=6)
    year = end.year if end.year != start.year else start.year
    first = date(year, 1, 1)
    first_start = week_start_of(first, week_start)
    return year, (start - first_start).days // 7 + 1


def format_date(fmt: str, day: date, week_start: int = 0) -> str:
    """Format day with a moment.js format string."""
    iso_year, iso_week, _ = day.isocalendar()
    loc_year, loc_week = _locale_week(day, week_start)

    def token(match: re.Match[str]) -> str:
        tok = match.group(0)
        if tok.startswith("["):
            return tok[1:-1]
        values = {
            "YYYY": f"{day.year:04d}", "YY": f"{day.year % 100:02d}",
            "GGGG": f"{iso_year:04d}", "gggg": f"{loc_year:04d}",
            "MMMM": MONTHS[day.month - 1], "MMM": MONTHS[day.month - 1][:3],
            "MM": f"{day.month:02d}", "M": str(day.month),
            "DD": f"{day.day:02d}", "D": str(day.day), "Do": _ordinal(day.day),
            "dddd": WEEKDAYS[day.weekday()], "ddd": WEEKDAYS[day.weekday()][:3],
            "d": str((day.weekday() + 1) % 7), "E": str(day.weekday() + 1),
            "e": str((day.weekday() - week_start) % 7),
            "WW": f"{iso_week:02d}", "W": str(iso_week),
            "ww": f"{loc_week:02d}", "w": str(loc_week),
            "Q": str((day.month - 1) // 3 + 1),
        }
        return values[tok]

    return _TOKEN_RE.sub(token, fmt)


_PATTERNS = {
    "YYYY": r"(?P<year>\d{4})", "GGGG": r"\d{4}", "gggg": r"\d{4}",
    "YY": r"(?P<year2>\d{2})",
    "MMMM": r"(?P<monthname>[A-Za-z]+)", "MMM": r"(?P<monthabbr>[A-Za-z]{3})",
    "MM": r"(?P<month>\d{2})", "M": r"(?P<month>\d{1,2})",
    "DD": r"(?P<day>\d{2})", "D": r"(?P<day>\d{1,2})",
    "Do": r"(?P<day>\d{1,2})(?:st|nd|rd|th)",
    "dddd": r"[A-Za-z]+", "ddd": r"[A-Za-z]{3}", "d": r"\d", "E": r"\d", "e": r"\d",
    "WW": r"\d{2}", "W": r"\d{1,2}", "ww": r"\d{2}", "w": r"\d{1,2}", "Q": r"\d",
}


@lru_cache(maxsize=64)
def date_pattern(fmt: str) -> re.Pattern[str] | None:
    """Return a regex matching file names made with fmt, or None if it names no day."""
    parts: list[str] = []
    seen: set[str] = set()
    pos = 0
    for match in _TOKEN_RE.finditer(fmt):
        parts.append(re.escape(fmt[pos:match.start()]))
        tok = match.group(0)
        if tok.startswith("["):
            parts.append(re.escape(tok[1:-1]))
        else:
            pattern = _PATTERNS[tok]
            group = re.search(r"\?P<(\w+)>", pattern)
            if group and group.group(1) in seen:
                # A second token for the same field: match it, do not capture it.
                pattern = re.sub(r"\?P<\w+>", "", pattern)
            elif group:
                seen.add(group.group(1))
            parts.append(pattern)
        pos = match.end()
    parts.append(re.escape(fmt[pos:]))
    has_year = bool(seen & {"year", "year2"})
    has_month = bool(seen & {"month", "monthname", "monthabbr"})
    if not (has_year and has_month and "day" in seen):
        return None
    return re.compile("".join(parts) + r"\Z", re.IGNORECASE)


@lru_cache(maxsize=16)
def name_pattern(fmt: str) -> re.Pattern[str]:
    """Return a regex matching every name fmt makes, of a day or of a week, month, ..."""
    parts: list[str] = []
    pos = 0
    for match in _TOKEN_RE.finditer(fmt):
        tok = match.group(0)
        parts.append(re.escape(fmt[pos:match.start()]))
        parts.append(re.escape(tok[1:-1]) if tok.startswith("[")
                     else re.sub(r"\?P<\w+>", "?:", _PATTERNS[tok]))
        pos = match.end()
    parts.append(re.escape(fmt[pos:]))
    return re.compile("".join(parts) + r"\Z", re.IGNORECASE)


def parse_date(fmt: str, text: str) -> date | None:
    """Return the day that text names in format fmt, or None."""
    pattern = date_pattern(fmt)
    if pattern is None:
        return None
    match = pattern.match(text)
    if match is None:
        return None
    groups = match.groupdict()
    try:
        year = int(groups["year"]) if groups.get("year") else 2000 + int(groups["year2"])
        if groups.get("month"):
            month = int(groups["month"])
        else:
            name = (groups.get("monthname") or groups.get("monthabbr") or "").lower()
            month = next(i + 1 for i, m in enumerate(MONTHS)
                         if m.lower() == name or m[:3].lower() == name)
        return date(year, month, int(groups["day"]))
    except (ValueError, StopIteration):
        return None
