"""The review's goals: progress bars, what moved, milestones, the habits serving each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from ..analytics.goals import GoalStats, milestones_done
from ..model.links import links_to
from ..model.values import Goal
from .figures import Figures
from .looks import amount, bar, percent, wikilink

# Overdue milestones a goal lists by name; more are counted.
OVERDUE_SHOWN = 3


def progress_amount(goal: Goal, stats: GoalStats, period_start: date, as_of: date) -> str:
    """Say where a goal's progress started this period and where it is: `1500 → 1800 of
    6000 EUR`, `1800 of 6000 EUR` when it did not move, `1 → 2 of 5 milestones`; "" when
    it is not measurable."""
    if stats.progress is None:
        return ""
    if goal.target is not None:
        if stats.current is None:
            return ""
        start, now, target = stats.current_at_start, stats.current, goal.target
        baseline = goal.baseline or 0.0
        word = "of" if target >= baseline else "toward"
        unit = f" {goal.unit}" if goal.unit else ""
        ends = f"{amount(target)}{unit}"
    else:
        counted = sum(1 for m in goal.milestones if not m.cancelled)
        now = float(milestones_done(goal, as_of))
        start = float(milestones_done(goal, period_start - timedelta(days=1)))
        word, ends = "of", f"{counted} {'milestone' if counted == 1 else 'milestones'}"
    moved = start is not None and amount(start) != amount(now)
    return f"{amount(start) + ' → ' if moved and start is not None else ''}" \
           f"{amount(now)} {word} {ends}"


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    goals = []
    for goal, stats in figures.goals:
        moved = None
        if stats.progress is not None and stats.progress_at_start is not None:
            moved = round((stats.progress - stats.progress_at_start) * 100)
        overdue = stats.overdue_milestones
        upcoming = sorted((m for m in goal.milestones if not m.done and not m.cancelled
                           and m.due is not None and m not in overdue),
                          key=lambda m: (m.due or figures.as_of, m.line))[:3]
        linked = [h.name for h in figures.model.habits if h.goal and links_to(h.goal, goal)]
        current = stats.current
        goals.append({
            "title": goal.title, "path": goal.path, "link": wikilink(goal.path, goal.title),
            "status": goal.status,
            "area": goal.area, "focus": goal.focus, "why": goal.why,
            "deadline": goal.deadline.isoformat() if goal.deadline else None,
            "progress": percent(stats.progress), "bar": bar(stats.progress),
            "amount": progress_amount(goal, stats, figures.period.start, figures.as_of),
            "expected": percent(stats.expected), "moved": moved,
            "at_risk": stats.at_risk, "overdue": stats.overdue, "stale": stats.stale,
            "current": None if current is None else f"{current:g}",
            "target": None if goal.target is None else f"{goal.target:g}",
            "unit": goal.unit or "",
            "milestones_done": [m.text for m in stats.milestones_done_in_period],
            "upcoming": [{"text": m.text, "due": m.due.isoformat() if m.due else ""}
                         for m in upcoming],
            "overdue_milestones": [{"text": m.text, "due": m.due.isoformat() if m.due else ""}
                                   for m in overdue[:OVERDUE_SHOWN]],
            "more_overdue": max(len(overdue) - OVERDUE_SHOWN, 0),
            "habits": linked, "active": goal.status == "active",
        })
    return {"goals": goals, "focus_goals": focus_goals(goals)}


def focus_goals(goals: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the active focus goals, or every active goal when none is a focus."""
    active = [g for g in goals if g["active"]]
    return [g for g in active if g["focus"]] or active
