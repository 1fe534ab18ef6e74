"""The review's goals: progress bars, what moved, milestones, the habits serving each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model.links import links_to
from .figures import Figures
from .looks import bar, percent, wikilink


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    goals = []
    for goal, stats in figures.goals:
        moved = None
        if stats.progress is not None and stats.progress_at_start is not None:
            moved = round((stats.progress - stats.progress_at_start) * 100)
        upcoming = sorted((m for m in goal.milestones
                           if not m.done and not m.cancelled and m.due is not None),
                          key=lambda m: (m.due or figures.as_of, m.line))[:3]
        linked = [h.name for h in figures.model.habits if h.goal and links_to(h.goal, goal)]
        current = stats.current
        goals.append({
            "title": goal.title, "path": goal.path, "link": wikilink(goal.path, goal.title),
            "status": goal.status,
            "area": goal.area, "focus": goal.focus, "why": goal.why,
            "deadline": goal.deadline.isoformat() if goal.deadline else None,
            "progress": percent(stats.progress), "bar": bar(stats.progress),
            "expected": percent(stats.expected), "moved": moved,
            "at_risk": stats.at_risk, "overdue": stats.overdue, "stale": stats.stale,
            "current": None if current is None else f"{current:g}",
            "target": None if goal.target is None else f"{goal.target:g}",
            "unit": goal.unit or "",
            "milestones_done": [m.text for m in stats.milestones_done_in_period],
            "upcoming": [{"text": m.text, "due": m.due.isoformat() if m.due else ""}
                         for m in upcoming],
            "habits": linked, "active": goal.status == "active",
        })
    return {"goals": goals, "focus_goals": focus_goals(goals)}


def focus_goals(goals: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the active focus goals, or every active goal when none is a focus."""
    active = [g for g in goals if g["active"]]
    return [g for g in active if g["focus"]] or active
