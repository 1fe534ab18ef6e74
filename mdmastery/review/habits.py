"""The review's habits: rates, streaks, strength and, for a week or a month, a heatmap."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .figures import Figures
from .looks import DAY_STATES, LEGEND, NOT_DUE, percent, wikilink


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    period = figures.period
    habits = []
    for habit, stats in figures.habits:
        heatmap = ""
        if period.kind in ("week", "month"):  # a day a character is too wide beyond that
            heatmap = "".join(DAY_STATES[stats.days[day]].note if day in stats.days
                              else NOT_DUE.note for day in period.days(figures.as_of))
        habits.append({"name": habit.name, "link": wikilink(habit.path, habit.name),
                       "schedule": habit.schedule.text, "status": habit.status,
                       "due": stats.due, "done": stats.done, "rate": percent(stats.rate),
                       "current_streak": stats.current_streak,
                       "longest_streak": stats.longest_streak,
                       "strength": f"{stats.strength:.2f}", "heatmap": heatmap,
                       "unit": habit.unit, "target": habit.target,
                       "active": habit.status == "active"})
    return {"habits": habits, "heatmap_legend": LEGEND}
