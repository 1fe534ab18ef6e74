"""The figures of one period's review, computed once for its data and its sections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from ..analytics.goals import GoalStats, goal_stats
from ..analytics.habits import HabitStats, habit_stats
from ..config import Config
from ..dates.periods import Period
from ..model.model import Model
from ..model.values import Goal, Habit, Item, JournalEntry


class Figures(NamedTuple):
    """A period's figures as of min(period end, today)."""

    model: Model
    config: Config
    period: Period
    today: date
    as_of: date
    habits: list[tuple[Habit, HabitStats]]
    goals: list[tuple[Goal, GoalStats]]
    entries: list[JournalEntry]  # the period's journal entries up to as_of
    wins: list[Item]
    lessons: list[Item]
    gratitude: list[Item]


def _items(entries: Sequence[JournalEntry], attribute: str) -> list[Item]:
    return [item for entry in entries for item in getattr(entry, attribute)]


def figures_of(model: Model, config: Config, period: Period, today: date) -> Figures:
    """Compute a period's figures as of min(period end, today)."""
    as_of = period.as_of(today)
    habits = [(h, habit_stats(h, period, as_of, today, config.week_start))
              for h in model.habits]
    goals = [(g, goal_stats(g, model.habits, period, as_of)) for g in model.goals]
    entries = model.journal.between(period.start, as_of)
    return Figures(model, config, period, today, as_of, habits, goals, entries,
                   _items(entries, "wins"), _items(entries, "lessons"),
                   _items(entries, "gratitude"))
