"""Figures of the journal: means, trends, and the mood on the days a habit was done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from ..model.journal import Journal
from ..model.values import Habit, JournalEntry
from .habits import day_state, effective_start, scheduled_days
from .memo import IdentityCache
from .numbers import mean, rounded


def mean_of(entries: Sequence[JournalEntry], attribute: str) -> float | None:
    """Return the mean mood or energy of journal entries (3 decimals), None without any."""
    values = [getattr(e, attribute) for e in entries if getattr(e, attribute) is not None]
    return rounded(mean(values))


# A period's mean is compared with the one before only when that holds this many days
# with a value: one day of last month says nothing about last month.
MIN_DAYS_TO_COMPARE = 3


class Comparison(NamedTuple):
    """A period's mean mood (or energy) against the period before."""

    now: float | None
    before: float | None  # None when the period before has too few days to compare
    before_days: int  # days of the period before with a value
    trend: str | None  # up, down, steady; None without both means


def days_with(entries: Sequence[JournalEntry], attribute: str) -> int:
    """Return how many journal entries hold a mood (or energy)."""
    return sum(1 for e in entries if getattr(e, attribute) is not None)


def compare(now: float | None, before_entries: Sequence[JournalEntry], attribute: str,
            span: int = 4) -> Comparison:
    """Compare a period's mean mood (or energy) with the entries of the period before,
    on a scale spanning span points (4 for 1-5)."""
    days = days_with(before_entries, attribute)
    before = mean_of(before_entries, attribute) if days >= MIN_DAYS_TO_COMPARE else None
    return Comparison(now, before, days, trend(now, before, span))


# A mean moved up or down when it moved by this share of the scale's span (0.25 on 1-5).
TREND_SHARE = 0.0625


def trend(now: float | None, before: float | None, span: int = 4) -> str | None:
    """Return up, down or steady: how a mean moved since the period before (by 1/16 of
    the scale's span: 0.25 on 1-5, 0.5625 on 1-10)."""
    if now is None or before is None:
        return None
    step = TREND_SHARE * span - 1e-9  # (float noise must not decide a boundary case)
    if now - before >= step:
        return "up"
    if before - now >= step:
        return "down"
    return "steady"


class MoodByHabit(NamedTuple):
    """The mean mood on a habit's done and not-done due days (SPEC 3.5)."""

    done_mood: float | None  # rounded to 2 decimals
    not_done_mood: float | None
    done_days: int
    not_done_days: int


_MOOD_BY_HABIT = IdentityCache()


def mood_by_habit(habit: Habit, journal: Journal, as_of: date,
                  today: date) -> MoodByHabit | None:
    """Mean mood on done vs not-done due days, over all history up to as_of; None with
    fewer than 5 days of either."""
    # The same for every period as of the same day: a rebuild's reviews share it.
    return _MOOD_BY_HABIT.get((habit, journal), (as_of, today),
                              lambda: _mood_by_habit(habit, journal, as_of, today))


def _mood_by_habit(habit: Habit, journal: Journal, as_of: date,
                   today: date) -> MoodByHabit | None:
    start = effective_start(habit)
    if start is None or habit.status != "active":
        return None
    done: list[int] = []
    not_done: list[int] = []
    # Quota habits may be done any day; the others only count on their due days.
    due = None if habit.schedule.kind == "quota" else \
        set(scheduled_days(habit, start, as_of))
    for day, mood in journal.moods():  # (every day's mood: no year of entries is read)
        if start <= day <= as_of and (due is None or day in due):
            state = day_state(habit, day)
            if state == "done":
                done.append(mood)
            elif state != "skipped" and day != today:  # (today is not over yet)
                not_done.append(mood)
    if len(done) < 5 or len(not_done) < 5:
        return None
    return MoodByHabit(rounded(mean(done), 2), rounded(mean(not_done), 2), len(done),
                       len(not_done))
