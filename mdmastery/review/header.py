"""The review's header: its title, the period, how far in it is, the vision, the summary
line."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from ..dates.moment import format_date
from ..dates.periods import Period, previous
from .figures import Figures
from .looks import wikilink

PERIOD_WORDS = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def title(period: Period) -> str:
    """Return a review's title: "Week 2026-W47: Nov 16 – Nov 22, 2026", "November 2026"..."""
    if period.kind == "week":
        return f"Week {period.label}: {format_date('MMM D', period.start)} – " \
               f"{format_date('MMM D, YYYY', period.end)}"
    if period.kind == "month":
        return format_date("MMMM YYYY", period.start)
    if period.kind == "quarter":
        return format_date("[Q]Q YYYY", period.start)
    return f"{period.start.year}"


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    period, config, vision = figures.period, figures.config, figures.model.vision
    data = shown["data"]
    days_in = (figures.as_of - period.start).days + 1
    return {
        "period": data["period"], "word": PERIOD_WORDS[period.kind],
        "title": title(period),
        "previous_label": previous(period, config.week_start, config.formats).label,
        "complete": figures.as_of >= period.end,
        "days_covered": max(days_in, 0),
        "entries": len(figures.entries),
        "vision": None if vision is None else {
            "link": wikilink(vision.path, vision.title), "values": list(vision.values)},
        "next_start": (period.end + timedelta(days=1)).isoformat(),
    }
