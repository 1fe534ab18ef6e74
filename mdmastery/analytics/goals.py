"""A goal's figures: progress, expected progress, risk, staleness."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from ..dates.periods import Period
from ..model.links import links_to
from ..model.values import Goal, Habit, Milestone
from .numbers import clamp, rounded

ONE_DAY = timedelta(days=1)
STALE_DAYS = 21


RISK_MARGIN = 0.10


# Keeps float noise (0.3 - 0.1 == 0.19999999999999998) from deciding a boundary case.
_EPSILON = 1e-9


class GoalStats(NamedTuple):
    """A goal's figures over one period, as of one day."""

    progress: float | None  # rounded to 3 decimals, as the next two
    progress_at_start: float | None
    expected: float | None
    at_risk: bool
    overdue: bool
    stale: bool
    milestones_done_in_period: tuple[Milestone, ...]
    current: float | None  # unrounded
    current_at_start: float | None  # as of the day before the period starts
    overdue_milestones: tuple[Milestone, ...]  # open, due before the as-of day


def goal_current(goal: Goal, as_of: date) -> float | None:
    """Return a numeric goal's current value as of a day."""
    if not goal.track:
        return goal.current
    values = [(day, value) for day, value in goal.tracked
              if (goal.start is None or day >= goal.start) and day <= as_of]
    if goal.aggregate == "last":
        if values:
            # Stable sort: of two values on one day, the later one in the notes wins.
            return sorted(values, key=lambda item: item[0])[-1][1]
        return goal.baseline
    return (goal.baseline or 0.0) + math.fsum(value for _, value in values)


def goal_progress(goal: Goal, as_of: date) -> float | None:
    """Return a goal's progress in [0, 1] as of a day, unrounded; None if not measurable."""
    if goal.target is not None:
        current = goal_current(goal, as_of)
        baseline = goal.baseline if goal.baseline is not None else 0.0
        if current is None or goal.target == baseline:
            return None
        # Dividing by a signed span makes decreasing targets (80 kg -> 75 kg) work too.
        return clamp((current - baseline) / (goal.target - baseline))
    counted = sum(1 for m in goal.milestones if not m.cancelled)
    if not counted:
        return None
    return milestones_done(goal, as_of) / counted


def milestones_done(goal: Goal, as_of: date) -> int:
    """Return how many of a goal's milestones were done by a day (cancelled ones aside)."""
    # A done milestone without a completion date has always been done, as far as we know.
    return sum(1 for m in goal.milestones if m.done and not m.cancelled
               and (m.completed is None or m.completed <= as_of))


def goal_stats(goal: Goal, habits: Sequence[Habit], period: Period,
               as_of: date) -> GoalStats:
    """Return a goal's progress, expectation and flags for a period."""
    progress = goal_progress(goal, as_of)
    # An untracked numeric goal has no history; goal_progress then ignores the day, so
    # progress_at_start equals progress, as intended.
    progress_at_start = goal_progress(goal, period.start - ONE_DAY)
    expected = _expected(goal, as_of)
    active = goal.status == "active"
    at_risk = (active and goal.deadline is not None and as_of <= goal.deadline
               and progress is not None and expected is not None
               and progress < expected - RISK_MARGIN - _EPSILON)
    overdue = (active and goal.deadline is not None and as_of > goal.deadline
               and (progress is None or progress < 1))
    in_period = tuple(m for m in goal.milestones
                      if m.done and not m.cancelled and m.completed is not None
                      and period.start <= m.completed <= as_of)
    return GoalStats(progress=rounded(progress), progress_at_start=rounded(progress_at_start),
                     expected=rounded(expected), at_risk=at_risk, overdue=overdue,
                     stale=active and _is_stale(goal, habits, as_of),
                     milestones_done_in_period=in_period,
                     current=goal_current(goal, as_of),
                     current_at_start=goal_current(goal, period.start - ONE_DAY),
                     overdue_milestones=overdue_milestones(goal, as_of))


def overdue_milestones(goal: Goal, as_of: date) -> tuple[Milestone, ...]:
    """Return a goal's open milestones due before the as-of day, the most overdue first."""
    if goal.status != "active":
        return ()
    return tuple(sorted((m for m in goal.milestones if not m.done and not m.cancelled
                         and m.due is not None and m.due < as_of),
                        key=lambda m: (m.due, m.line)))


def beginning(goal: Goal) -> date | None:
    """Return the day a goal began: the later of its `start` and its note's `created`.

    A goal planned to start weeks ago but written down today began today: nothing could
    have moved before.
    """
    known = [day for day in (goal.start, goal.created) if day is not None]
    return max(known) if known else None


def _expected(goal: Goal, as_of: date) -> float | None:
    if goal.start is None or goal.deadline is None or goal.deadline <= goal.start:
        return None
    return clamp((as_of - goal.start).days / (goal.deadline - goal.start).days)


def _is_stale(goal: Goal, habits: Sequence[Habit], as_of: date) -> bool:
    first = as_of - timedelta(days=STALE_DAYS - 1)
    began = beginning(goal)
    if began is not None and began >= first:
        return False  # too new to have gone quiet
    if any(m.done and m.completed is not None and first <= m.completed <= as_of
           for m in goal.milestones):
        return False
    if any(first <= day <= as_of for day, _ in goal.tracked):
        return False
    return not any(
        mark == "done" and first <= day <= as_of
        for habit in habits if habit.goal is not None and links_to(habit.goal, goal)
        for day, mark in habit.marks.items())
