"""The terminal view of `mdmastery status`: goals, habits and streaks at a glance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import click

from .looks import DAY_STATES, NOT_DUE


def _symbol(state: str | None, color: bool) -> str:
    look = NOT_DUE if state is None else DAY_STATES[state]
    if color and look.color:
        return click.style(look.terminal, fg=look.color)
    return look.terminal


def _pct(value: float | None) -> str:
    return "  –" if value is None else f"{round(value * 100):3d}%"


def format_status(data: dict[str, Any], color: bool = False) -> str:
    """Return the week's habits and goals as aligned terminal lines."""
    period = data["period"]
    lines = [f"{period['label']}  {period['start']} – {period['end']} "
             f"(as of {period['as_of']})", ""]
    start = date.fromisoformat(period["start"])
    week_days = [(start + timedelta(days=i)).isoformat() for i in range(7)]
    habits = [h for h in data["habits"] if h["status"] == "active"]
    if habits:
        width = max(len(h["name"]) for h in habits)
        lines.append("Habits")
        for habit in habits:
            days = "".join(_symbol(habit["days"].get(day), color) for day in week_days)
            lines.append(f"  {habit['name']:<{width}}  {days:<7}  "
                         f"{habit['done']}/{habit['due']} {_pct(habit['rate'])}  "
                         f"streak {habit['current_streak']} (best {habit['longest_streak']})"
                         f"  strength {habit['strength']:.2f}")
        lines.append("")
    goals = [g for g in data["goals"] if g["status"] == "active"]
    if goals:
        width = max(len(g["title"]) for g in goals)
        lines.append("Goals")
        for goal in goals:
            flags = [name for name in ("at_risk", "overdue", "stale") if goal[name]]
            flag = f"  [{', '.join(f.replace('_', ' ') for f in flags)}]" if flags else ""
            star = "*" if goal["focus"] else " "
            lines.append(f" {star}{goal['title']:<{width}}  {_pct(goal['progress'])}"
                         f"  expected {_pct(goal['expected'])}{flag}")
        lines.append("")
    journal = data["journal"]
    mood = journal["mood_avg"]
    entries = journal["entries"]
    lines.append(f"Journal: {entries} {'entry' if entries == 1 else 'entries'}"
                 + (f", mood {mood}" if mood is not None else ""))
    return "\n".join(lines)
