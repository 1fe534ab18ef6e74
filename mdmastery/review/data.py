"""A review's data: the JSON of SPEC section 7 (`review --json`, `status --json`)."""

from __future__ import annotations

from typing import Any

from ..analytics.goals import GoalStats
from ..analytics.habits import HabitStats
from ..analytics.journal import mean_of
from ..model.values import Goal, Habit
from .figures import Figures


def _habit_row(habit: Habit, stats: HabitStats) -> dict[str, Any]:
    return {
        "name": habit.name, "path": habit.path, "key": habit.key, "status": habit.status,
        "schedule": habit.schedule.text, "due": stats.due, "done": stats.done,
        "skipped": stats.skipped, "rate": stats.rate,
        "current_streak": stats.current_streak, "longest_streak": stats.longest_streak,
        "strength": stats.strength,
        "days": {day.isoformat(): state for day, state in sorted(stats.days.items())},
    }


def _goal_row(goal: Goal, stats: GoalStats) -> dict[str, Any]:
    return {
        "title": goal.title, "path": goal.path, "status": goal.status, "area": goal.area,
        "focus": goal.focus,
        "deadline": goal.deadline.isoformat() if goal.deadline else None,
        "progress": stats.progress, "progress_at_start": stats.progress_at_start,
        "expected": stats.expected, "at_risk": stats.at_risk, "overdue": stats.overdue,
        "stale": stats.stale,
        "milestones_done_in_period": [m.text for m in stats.milestones_done_in_period],
    }


def _areas(figures: Figures) -> dict[str, dict[str, int]]:
    """Count the active goals and habits of each life area, configured ones first."""
    model = figures.model
    areas: dict[str, dict[str, int]] = {a: {"goals": 0, "habits": 0}
                                        for a in figures.config.areas}
    for goal in model.goals:
        if goal.area and goal.status == "active":
            areas.setdefault(goal.area, {"goals": 0, "habits": 0})["goals"] += 1
    for habit in model.habits:
        if habit.area and habit.status == "active":
            areas.setdefault(habit.area, {"goals": 0, "habits": 0})["habits"] += 1
    return {name: areas[name] for name in sorted(areas)}


def review_data(figures: Figures) -> dict[str, Any]:
    """Return the review's data as SPEC 7 gives it."""
    entries = figures.entries
    return {
        "period": figures.period.as_dict(figures.today),
        "habits": [_habit_row(h, s) for h, s in figures.habits],
        "goals": [_goal_row(g, s) for g, s in figures.goals],
        "journal": {
            "entries": len(entries),
            "mood_avg": mean_of(entries, "mood"),
            "energy_avg": mean_of(entries, "energy"),
            "wins": [i.text for i in figures.wins],
            "lessons": [i.text for i in figures.lessons],
            "gratitude": [i.text for i in figures.gratitude],
        },
        "areas": _areas(figures),
        "problems": [p.as_dict() for p in figures.model.problems],
    }
