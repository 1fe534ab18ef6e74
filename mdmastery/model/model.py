"""The model: everything mdmastery reads from a vault, ready for the figures."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from .journal import Journal
from .values import Goal, Habit, Vision


@dataclass(frozen=True, slots=True)
class Model:
    """Everything extracted from a vault, ready for analytics."""

    habits: tuple[Habit, ...]
    goals: tuple[Goal, ...]
    journal: Journal  # sorted by day, one per day
    vision: Vision | None
    problems: tuple[Problem, ...]
    note_count: int = 0
