"""A habit's figures: due days, done, rate, streaks, strength; and whether today's
journal note lists it."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple, cast

from ..dates.days import week_start_of
from ..dates.periods import Period
from ..model.values import DayState, Habit, Schedule
from .memo import IdentityCache

ALL_WEEKDAYS = frozenset(range(7))


ONE_DAY = timedelta(days=1)


ONE_WEEK = timedelta(days=7)


# Loop Habit Tracker's smoothing for habits with due days: a half-life of 13 due days.
DAY_MULTIPLIER = 0.5 ** (1 / 13)


class HabitStats(NamedTuple):
    """A habit's figures over one period, as of one day."""

    due: int
    done: int
    skipped: int
    rate: float | None  # rounded to 3 decimals
    current_streak: int
    longest_streak: int
    strength: float  # rounded to 3 decimals
    days: dict[date, DayState]  # the period's due days up to as_of -> state


def effective_start(habit: Habit) -> date | None:
    """Return the day a habit starts: started, else its first check-off, else None.

    A check-off is any mark (done, not done or skip): a habit listed as an open task
    has begun, and its misses count (SPEC 2.1 calls every form a check-off).
    """
    if habit.started is not None:
        return habit.started
    return min(habit.marks) if habit.marks else None


def day_state(habit: Habit, day: date) -> DayState:
    """Return what the habit's check-offs say about day."""
    mark = habit.marks.get(day)
    return "empty" if mark is None else mark


def is_due(habit: Habit, day: date) -> bool:
    """Return whether day is a due day of an active habit with a day schedule."""
    if habit.status != "active" or habit.schedule.kind == "quota":
        return False
    start = effective_start(habit)
    if start is None or day < start:
        return False
    return _on_schedule(habit, start, day)


def habit_stats(habit: Habit, period: Period, as_of: date, today: date,
                week_start: int = 0) -> HabitStats:
    """Return a habit's due, done, rate, streaks, strength and day states for a period."""
    if habit.status != "active":
        # Paused and retired habits are owed nothing; only their skips are reported.
        return _idle_stats(_count_skipped_marks(habit, period.start, as_of))
    start = effective_start(habit)
    if habit.schedule.kind == "quota":
        return _quota_stats(habit, start, period, as_of, week_start)
    if start is None:
        return _idle_stats(0)
    return _day_stats(habit, start, period, as_of, today)


def _idle_stats(skipped: int) -> HabitStats:
    return HabitStats(due=0, done=0, skipped=skipped, rate=None, current_streak=0,
                      longest_streak=0, strength=0.0, days={})


def _on_schedule(habit: Habit, start: date, day: date) -> bool:
    schedule = habit.schedule
    if schedule.kind == "interval":
        # An interval below 1 is meaningless; read it as daily rather than dividing by 0.
        return (day - start).days % max(schedule.every, 1) == 0
    return day.weekday() in schedule.weekdays


def scheduled_days(habit: Habit, start: date, last: date) -> Sequence[date]:
    """Return the habit's due-by-schedule days from start to last, skipped ones included."""
    return _scheduled(habit.schedule, start, last)


@lru_cache(maxsize=256)
def _scheduled(schedule: Schedule, start: date, last: date) -> tuple[date, ...]:
    # Built from day ordinals (date.fromordinal(1) is a Monday): a habit's history is
    # thousands of days, and date arithmetic in a loop costs several times more.
    first, end = start.toordinal(), last.toordinal() + 1
    if schedule.kind == "interval":
        return tuple(map(date.fromordinal, range(first, end, max(schedule.every, 1))))
    if schedule.weekdays == ALL_WEEKDAYS:
        return tuple(map(date.fromordinal, range(first, end)))
    ordinals = sorted(ordinal for weekday in schedule.weekdays
                      for ordinal in range(first + (weekday - first + 1) % 7, end, 7))
    return tuple(map(date.fromordinal, ordinals))


def _count_skipped_marks(habit: Habit, first: date, last: date) -> int:
    return sum(1 for day, mark in habit.marks.items()
               if mark == "skipped" and first <= day <= last)


def _runs(flags: Iterable[bool]) -> int:
    """Return the length of the longest run of True."""
    longest = run = 0
    for flag in flags:
        if flag:
            run += 1
            if run > longest:
                longest = run
        else:
            run = 0
    return longest


class _History(NamedTuple):
    """A day-scheduled habit's due days from its start to as_of, and what they add up to."""

    days: Sequence[date]  # every scheduled day, skipped ones included
    states: dict[date, DayState]
    counted: list[date]  # the days that count: not skipped, not pending today
    current_streak: int
    longest_streak: int
    strength: float  # rounded to 3 decimals


_HISTORIES = IdentityCache()


def _history(habit: Habit, start: date, as_of: date, today: date) -> _History:
    days = scheduled_days(habit, start, as_of)
    marks = habit.marks
    # (map and zip walk the thousands of days in C)
    states = cast(dict[date, DayState],
                  dict(zip(days, map(marks.get, days, repeat("empty")), strict=True)))
    # Today is not over: a due day not yet done today is owed nothing until tomorrow.
    pending = (as_of == today and bool(days) and days[-1] == as_of
               and states[as_of] not in ("done", "skipped"))
    # Skipped days are transparent to rate, streaks and strength.
    counted = [day for day in days
               if states[day] != "skipped" and not (pending and day == as_of)]
    done_flags = [states[day] == "done" for day in counted]
    current_streak = 0
    for flag in reversed(done_flags):
        if not flag:
            break
        current_streak += 1
    score = 0.0
    gain = 1.0 * (1 - DAY_MULTIPLIER)  # a done day's share, as the sum below always had it
    for flag in done_flags:
        score = score * DAY_MULTIPLIER + (gain if flag else 0.0)
    return _History(days, states, counted, current_streak, _runs(done_flags),
                    round(score, 3))


def _day_stats(habit: Habit, start: date, period: Period, as_of: date,
               today: date) -> HabitStats:
    history = _HISTORIES.get((habit,), (start, as_of, today),
                             lambda: _history(habit, start, as_of, today))
    states = history.states
    in_period = {day: states[day]
                 for day in history.days[bisect_left(history.days, period.start):]}
    counted_in_period = history.counted[bisect_left(history.counted, period.start):]
    due = len(counted_in_period)
    done = sum(1 for day in counted_in_period if states[day] == "done")
    skipped = sum(1 for state in in_period.values() if state == "skipped")
    return HabitStats(due=due, done=done, skipped=skipped,
                      rate=round(done / due, 3) if due else None,
                      current_streak=history.current_streak,
                      longest_streak=history.longest_streak,
                      strength=history.strength, days=in_period)


def _quota_stats(habit: Habit, start: date | None, period: Period, as_of: date,
                 week_start: int) -> HabitStats:
    skipped = _count_skipped_marks(habit, period.start, as_of)
    per_week = habit.schedule.per_week
    if start is None:
        return _idle_stats(skipped)
    first_day = max(period.start, start)
    count = (as_of - first_day).days + 1
    days = {first_day + timedelta(days=i): day_state(habit, first_day + timedelta(days=i))
            for i in range(max(count, 0))}
    if per_week < 1:
        # A quota of nothing per week is never owed; avoid dividing by it.
        return HabitStats(due=0, done=0, skipped=skipped, rate=None, current_streak=0,
                          longest_streak=0, strength=0.0, days=days)

    done_days = {day for day, mark in habit.marks.items()
                 if mark == "done" and start <= day <= as_of}

    # Weeks are counted from the first whole week on or after the start.
    first_week = week_start_of(start, week_start)
    if first_week < start:
        first_week += ONE_WEEK
    as_of_week = week_start_of(as_of, week_start)
    weeks: list[date] = []
    week = first_week
    while week <= as_of_week:
        weeks.append(week)
        week += ONE_WEEK

    # Counted from each done day (a habit has far fewer than the days of its history).
    done_in_week = dict.fromkeys(weeks, 0)
    for done_day in done_days:
        week = first_week + (done_day - first_week).days // 7 * ONE_WEEK
        if week in done_in_week:
            done_in_week[week] += 1
    met = {week: done_in_week[week] >= per_week for week in weeks}

    last_finished = as_of - timedelta(days=6)  # the last week start whose week is over

    def finished(week: date) -> bool:
        return week <= last_finished

    counted = [week for week in weeks[bisect_left(weeks, period.start - timedelta(days=6)):]
               if week <= last_finished]
    if (weeks and weeks[-1] == as_of_week and not finished(as_of_week)
            and period.start <= as_of <= period.end and met[as_of_week]):
        # The running week is owed nothing yet, but once met it counts.
        counted.append(as_of_week)
    due = per_week * len(counted)
    done = sum(min(done_in_week[week], per_week) for week in counted)

    current_streak = 0
    for week in reversed(weeks):
        if met[week]:
            current_streak += 1
        elif finished(week):
            break
        # An unfinished week not yet met neither counts nor breaks the streak.

    multiplier = 0.5 ** (math.sqrt(per_week / 7) / 13)
    score = 0.0
    window = 0  # done days in the 7 days ending on day
    done_ordinals = {day.toordinal() for day in done_days}  # (ints: no date arithmetic)
    for ordinal in range(start.toordinal(), as_of.toordinal() + 1):
        window += (ordinal in done_ordinals) - (ordinal - 7 in done_ordinals)
        value = 1.0 if window >= per_week else window / per_week  # min(1, ...), inline
        score = score * multiplier + value * (1 - multiplier)

    return HabitStats(due=due, done=done, skipped=skipped,
                      rate=round(done / due, 3) if due else None,
                      current_streak=current_streak,
                      longest_streak=_runs(met[week] for week in weeks),
                      strength=round(score, 3), days=days)


def done_this_week(habit: Habit, day: date, week_start: int) -> int:
    """Return on how many days of day's week, before day, the habit was done."""
    start = week_start_of(day, week_start)
    return sum(1 for offset in range((day - start).days)
               if habit.marks.get(start + timedelta(days=offset)) == "done")


def listed_on(habit: Habit, day: date, week_start: int) -> bool:
    """Tell whether the journal note of day lists the habit as due (a quota habit until
    its quota is met)."""
    if habit.status != "active" or (habit.started is not None and day < habit.started):
        return False
    if habit.schedule.kind == "quota":
        return done_this_week(habit, day, week_start) < habit.schedule.per_week
    if habit.schedule.kind == "days":
        return day.weekday() in habit.schedule.weekdays
    # An interval habit that has not started yet is listed, so it can start today.
    return effective_start(habit) is None or is_due(habit, day)
