"""Unit tests for analytics: due days, rates, streaks, strength and goal figures.

Expected values are worked out by hand in the comments. Calendar used throughout:
2026-03-01 is a Sunday, 2026-03-02 a Monday; 2026-04-01 a Wednesday.
M is the day-schedule multiplier 0.5 ** (1/13) ~ 0.948078.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdmastery.analytics.goals import GoalStats, goal_current, goal_progress, goal_stats
from mdmastery.analytics.habits import (
    DAY_MULTIPLIER,
    HabitStats,
    day_state,
    effective_start,
    habit_stats,
    is_due,
)
from mdmastery.analytics.numbers import mean
from mdmastery.dates.periods import Period, period_of
from mdmastery.model.links import links_to
from mdmastery.model.values import DAILY, Goal, Habit, Mark, Milestone, Schedule

M = 0.5 ** (1 / 13)
WEEKDAYS = Schedule("days", frozenset(range(5)))
WEEKENDS = Schedule("days", frozenset({5, 6}))
MON_WED_FRI = Schedule("days", frozenset({0, 2, 4}))


def d(text: str) -> date:
    return date.fromisoformat(text)


def days_between(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def habit(schedule: Schedule = DAILY, marks: dict[str, Mark] | None = None,
          started: str | None = None, status: str = "active",
          goal: str | None = None) -> Habit:
    return Habit(name="Run", key="run", path="Habits/Run.md", schedule=schedule,
                 status=status, started=None if started is None else d(started),
                 goal=goal, marks={d(day): mark for day, mark in (marks or {}).items()})


def all_done(first: str, last: str) -> dict[str, Mark]:
    return {day.isoformat(): "done" for day in days_between(first, last)}


def quota(per_week: int) -> Schedule:
    return Schedule("quota", per_week=per_week)


def every(n: int) -> Schedule:
    return Schedule("interval", every=n)


def period(kind: str, first: str, last: str) -> Period:
    return Period(kind, d(first), d(last), f"{first}..{last}")


MARCH = period("month", "2026-03-01", "2026-03-31")
APRIL = period("month", "2026-04-01", "2026-04-30")
W10 = period("week", "2026-03-02", "2026-03-08")
W11 = period("week", "2026-03-09", "2026-03-15")
LATER = d("2026-06-01")  # a "today" long after the periods: no pending exemption


# --- effective_start, day_state, is_due ---------------------------------------------


def test_effective_start_prefers_started_then_first_check_off() -> None:
    assert effective_start(habit(started="2026-03-05", marks={"2026-03-01": "done"})) \
        == d("2026-03-05")
    marks: dict[str, Mark] = {"2026-03-02": "skipped", "2026-03-01": "missed",
                              "2026-03-04": "done", "2026-03-03": "done"}
    assert effective_start(habit(marks=marks)) == d("2026-03-01")
    assert effective_start(habit(marks={"2026-03-05": "missed"})) == d("2026-03-05")
    assert effective_start(habit()) is None


def test_day_state_reads_marks_else_empty() -> None:
    h = habit(marks={"2026-03-02": "done", "2026-03-03": "missed", "2026-03-04": "skipped"})
    assert day_state(h, d("2026-03-02")) == "done"
    assert day_state(h, d("2026-03-03")) == "missed"
    assert day_state(h, d("2026-03-04")) == "skipped"
    assert day_state(h, d("2026-03-05")) == "empty"


@pytest.mark.parametrize(("schedule", "due_in_week"), [
    (DAILY, {0, 1, 2, 3, 4, 5, 6}),
    (WEEKDAYS, {0, 1, 2, 3, 4}),
    (WEEKENDS, {5, 6}),
    (MON_WED_FRI, {0, 2, 4}),
])
def test_is_due_day_schedules(schedule: Schedule, due_in_week: set[int]) -> None:
    h = habit(schedule, started="2026-03-02")
    due = {day.weekday() for day in days_between("2026-03-02", "2026-03-08") if is_due(h, day)}
    assert due == due_in_week
    assert not is_due(h, d("2026-03-01"))  # the day before started


def test_is_due_interval_counts_from_the_start() -> None:
    h = habit(every(3), started="2026-03-02")
    due = [day for day in days_between("2026-02-25", "2026-03-12") if is_due(h, day)]
    assert due == [d("2026-03-02"), d("2026-03-05"), d("2026-03-08"), d("2026-03-11")]


def test_is_due_interval_from_first_check_off_when_no_started() -> None:
    h = habit(every(2), marks={"2026-03-03": "done", "2026-03-02": "missed"})
    assert [day for day in days_between("2026-03-01", "2026-03-07") if is_due(h, day)] \
        == [d("2026-03-02"), d("2026-03-04"), d("2026-03-06")]


def test_is_due_is_false_when_paused_retired_quota_or_never_started() -> None:
    monday = d("2026-03-02")
    assert not is_due(habit(started="2026-03-01", status="paused"), monday)
    assert not is_due(habit(started="2026-03-01", status="retired"), monday)
    assert not is_due(habit(quota(3), started="2026-03-01"), monday)
    assert not is_due(habit(), monday)


def test_is_due_ignores_skips_it_is_about_the_schedule() -> None:
    h = habit(started="2026-03-02", marks={"2026-03-03": "skipped"})
    assert is_due(h, d("2026-03-03"))


# --- day schedules ------------------------------------------------------------------


def test_daily_week_with_every_kind_of_day() -> None:
    marks: dict[str, Mark] = {"2026-03-02": "done", "2026-03-03": "done",
                              "2026-03-04": "missed",  # 05 empty
                              "2026-03-06": "done", "2026-03-07": "skipped",
                              "2026-03-08": "done"}
    stats = habit_stats(habit(started="2026-03-02", marks=marks), W10, d("2026-03-08"), LATER)
    # 7 due days minus the skipped 07 -> 6 due; done 02, 03, 06, 08 -> 4; 4/6 = 0.667.
    assert (stats.due, stats.done, stats.skipped, stats.rate) == (6, 4, 1, 0.667)
    # Back from 08: 08 done, 07 skipped (transparent), 06 done, 05 empty -> 2.
    assert stats.current_streak == 2
    # Runs: 02-03 (2) and 06-[07]-08 (2).
    assert stats.longest_streak == 2
    # Updates 1, 1, 0, 0, 1, 1: s2 = 1 - M^2, s4 = (1 - M^2) M^2,
    # s6 = ((1 - M^2) M^3 + (1 - M)) M + (1 - M) ~ 0.18287.
    assert stats.strength == 0.183
    assert stats.strength == round(((1 - M**2) * M**3 + (1 - M)) * M + (1 - M), 3)
    assert stats.days == {d("2026-03-02"): "done", d("2026-03-03"): "done",
                          d("2026-03-04"): "missed", d("2026-03-05"): "empty",
                          d("2026-03-06"): "done", d("2026-03-07"): "skipped",
                          d("2026-03-08"): "done"}
    assert list(stats.days) == sorted(stats.days)


def test_multiplier_is_a_13_day_half_life() -> None:
    assert math.isclose(DAY_MULTIPLIER, M)
    assert math.isclose(DAY_MULTIPLIER ** 13, 0.5)


def test_strength_of_three_done_days_is_one_minus_m_cubed() -> None:
    stats = habit_stats(habit(started="2026-03-02", marks=all_done("2026-03-02", "2026-03-04")),
                        W10, d("2026-03-04"), LATER)
    # s1 = 1 - M, s2 = (1 - M) M + (1 - M) = 1 - M^2, s3 = 1 - M^3 ~ 0.14782.
    assert stats.strength == 0.148 == round(1 - M**3, 3)


def test_weekdays_rest_days_leave_strength_and_streak_unchanged() -> None:
    h = habit(WEEKDAYS, started="2026-03-02", marks=all_done("2026-03-02", "2026-03-06"))
    friday = habit_stats(h, W10, d("2026-03-06"), LATER)
    sunday = habit_stats(h, W10, d("2026-03-08"), LATER)
    # Mon-Fri done, the weekend is not due: 5/5, streak 5, strength 1 - M^5 ~ 0.23402.
    for stats in (friday, sunday):
        assert (stats.due, stats.done, stats.rate) == (5, 5, 1.0)
        assert stats.current_streak == stats.longest_streak == 5
        assert stats.strength == 0.234 == round(1 - M**5, 3)
    assert d("2026-03-07") not in sunday.days
    assert len(sunday.days) == 5
    # The next Monday, not done and in the past, breaks the streak.
    monday = habit_stats(h, W11, d("2026-03-09"), LATER)
    assert (monday.due, monday.done, monday.rate, monday.current_streak) == (1, 0, 0.0, 0)
    assert monday.longest_streak == 5
    assert monday.strength == round((1 - M**5) * M, 3)


def test_skipped_day_is_not_due_and_does_not_break_streak_or_move_strength() -> None:
    marks = all_done("2026-03-02", "2026-03-04")
    marks["2026-03-03"] = "skipped"
    stats = habit_stats(habit(started="2026-03-02", marks=marks), W10, d("2026-03-04"), LATER)
    # Due 02, 04 (03 skipped); both done; streak 2; two updates: 1 - M^2 ~ 0.10115.
    assert (stats.due, stats.done, stats.skipped, stats.rate) == (2, 2, 1, 1.0)
    assert stats.current_streak == stats.longest_streak == 2
    assert stats.strength == 0.101 == round(1 - M**2, 3)
    assert stats.days[d("2026-03-03")] == "skipped"


def test_skip_on_a_rest_day_is_not_counted_for_a_day_schedule() -> None:
    h = habit(WEEKDAYS, started="2026-03-02", marks={"2026-03-07": "skipped"})
    stats = habit_stats(h, W10, d("2026-03-08"), LATER)
    assert stats.skipped == 0
    assert stats.due == 5


def test_weekends_over_a_month() -> None:
    marks: dict[str, Mark] = {"2026-03-01": "done",  # before started: not due
                              "2026-03-07": "done", "2026-03-08": "done",
                              "2026-03-14": "missed", "2026-03-15": "done",
                              "2026-03-10": "done"}  # a Tuesday: not due, ignored
    stats = habit_stats(habit(WEEKENDS, started="2026-03-02", marks=marks),
                        MARCH, d("2026-03-15"), LATER)
    # Due 07, 08, 14, 15; done 07, 08, 15 -> 3/4.
    assert (stats.due, stats.done, stats.rate) == (4, 3, 0.75)
    assert (stats.current_streak, stats.longest_streak) == (1, 2)
    assert sorted(stats.days) == [d("2026-03-07"), d("2026-03-08"), d("2026-03-14"),
                                  d("2026-03-15")]


def test_weekday_list() -> None:
    marks: dict[str, Mark] = {"2026-03-02": "done", "2026-03-04": "done",
                              "2026-03-03": "done"}  # Tuesday: not on the list
    stats = habit_stats(habit(MON_WED_FRI, started="2026-03-02", marks=marks),
                        W10, d("2026-03-08"), LATER)
    # Due Mon 02, Wed 04, Fri 06 (empty): 2/3; back from Fri: not done -> streak 0.
    assert (stats.due, stats.done, stats.rate) == (3, 2, 0.667)
    assert (stats.current_streak, stats.longest_streak) == (0, 2)
    assert list(stats.days) == [d("2026-03-02"), d("2026-03-04"), d("2026-03-06")]


def test_every_n_days_and_streak_across_the_period_boundary() -> None:
    marks: dict[str, Mark] = {day: "done" for day in ("2026-03-02", "2026-03-05",
                                                      "2026-03-08", "2026-03-11",
                                                      "2026-03-14")}
    marks["2026-03-03"] = "missed"  # off-schedule: ignored
    stats = habit_stats(habit(every(3), started="2026-03-02", marks=marks),
                        W11, d("2026-03-15"), LATER)
    # Due 02, 05, 08, 11, 14; in W11 only 11 and 14, both done.
    assert (stats.due, stats.done, stats.rate) == (2, 2, 1.0)
    assert stats.days == {d("2026-03-11"): "done", d("2026-03-14"): "done"}
    # The streak reaches back into the previous week: all 5 due days.
    assert stats.current_streak == stats.longest_streak == 5
    assert stats.strength == 0.234 == round(1 - M**5, 3)


def test_daily_streak_across_period_boundary() -> None:
    h = habit(started="2026-03-05", marks=all_done("2026-03-05", "2026-03-11"))
    stats = habit_stats(h, W11, d("2026-03-11"), LATER)
    # Due in W11 up to Wed: 09, 10, 11; streak 05..11 = 7.
    assert (stats.due, stats.done) == (3, 3)
    assert stats.current_streak == 7


def test_longest_streak_comes_from_all_history() -> None:
    marks = all_done("2026-03-02", "2026-03-06")
    marks.update({"2026-03-07": "missed", "2026-03-08": "done", "2026-03-09": "done"})
    stats = habit_stats(habit(started="2026-03-02", marks=marks), W11, d("2026-03-09"), LATER)
    assert (stats.due, stats.done, stats.rate) == (1, 1, 1.0)
    assert stats.current_streak == 2  # 08, 09
    assert stats.longest_streak == 5  # 02..06, before the period


def test_interval_over_the_leap_day() -> None:
    h = habit(every(2), started="2028-02-27",
              marks={"2028-02-27": "done", "2028-02-29": "done", "2028-03-02": "missed"})
    week = period_of("week", d("2028-02-29"))
    assert (week.start, week.end) == (d("2028-02-28"), d("2028-03-05"))
    stats = habit_stats(h, week, week.end, LATER)
    # Due 27 (previous week), 29, 03-02, 03-04: in the week 29 done, 02 missed, 04 empty.
    assert list(stats.days) == [d("2028-02-29"), d("2028-03-02"), d("2028-03-04")]
    assert (stats.due, stats.done, stats.rate) == (3, 1, 0.333)
    assert (stats.current_streak, stats.longest_streak) == (0, 2)


def test_daily_over_february_of_a_leap_year() -> None:
    february = period_of("month", d("2028-02-10"))
    assert february.end == d("2028-02-29")
    h = habit(started="2028-02-01", marks=all_done("2028-02-01", "2028-02-29"))
    stats = habit_stats(h, february, february.end, LATER)
    assert (stats.due, stats.done, stats.rate) == (29, 29, 1.0)
    assert stats.current_streak == stats.longest_streak == 29
    assert stats.strength == round(1 - M**29, 3) == 0.787


def test_iso_week_53_spans_the_new_year() -> None:
    week = period_of("week", d("2026-12-31"))
    assert (week.start, week.end) == (d("2026-12-28"), d("2027-01-03"))
    assert week.label == "2026-W53"
    h = habit(WEEKENDS, started="2026-12-01",
              marks={"2027-01-02": "done", "2027-01-03": "done", "2026-12-27": "done"})
    stats = habit_stats(h, week, week.end, LATER)
    # Due Sat 01-02, Sun 01-03, both done; the streak reaches Sun 12-27 (Sat 12-26 empty).
    assert (stats.due, stats.done, stats.rate) == (2, 2, 1.0)
    assert stats.current_streak == 3


# --- pending today ------------------------------------------------------------------


def test_today_not_yet_done_is_pending_not_missed() -> None:
    h = habit(started="2026-03-02", marks=all_done("2026-03-02", "2026-03-04"))
    today = d("2026-03-05")
    stats = habit_stats(h, W10, today, today)
    # 05 is pending: out of due, streak and strength; still listed with its real state.
    assert (stats.due, stats.done, stats.rate) == (3, 3, 1.0)
    assert stats.current_streak == 3
    assert stats.strength == round(1 - M**3, 3)
    assert stats.days[today] == "empty"


def test_today_marked_missed_is_still_pending() -> None:
    marks = all_done("2026-03-02", "2026-03-04")
    marks["2026-03-05"] = "missed"
    today = d("2026-03-05")
    stats = habit_stats(habit(started="2026-03-02", marks=marks), W10, today, today)
    assert (stats.due, stats.done, stats.current_streak) == (3, 3, 3)
    assert stats.days[today] == "missed"


def test_past_as_of_has_no_pending_exemption() -> None:
    h = habit(started="2026-03-02", marks=all_done("2026-03-02", "2026-03-04"))
    stats = habit_stats(h, W10, d("2026-03-05"), d("2026-03-06"))
    # 05 is over and not done: 3/4, streak broken, strength (1 - M^3) M ~ 0.14014.
    assert (stats.due, stats.done, stats.rate) == (4, 3, 0.75)
    assert stats.current_streak == 0
    assert stats.longest_streak == 3
    assert stats.strength == 0.14 == round((1 - M**3) * M, 3)


def test_today_done_counts_today() -> None:
    today = d("2026-03-05")
    h = habit(started="2026-03-02", marks=all_done("2026-03-02", "2026-03-05"))
    stats = habit_stats(h, W10, today, today)
    assert (stats.due, stats.done, stats.current_streak) == (4, 4, 4)
    assert stats.strength == round(1 - M**4, 3)


def test_today_skipped_is_not_due() -> None:
    today = d("2026-03-05")
    marks = all_done("2026-03-02", "2026-03-04")
    marks["2026-03-05"] = "skipped"
    stats = habit_stats(habit(started="2026-03-02", marks=marks), W10, today, today)
    assert (stats.due, stats.done, stats.skipped, stats.current_streak) == (3, 3, 1, 3)


def test_today_on_a_rest_day_changes_nothing() -> None:
    h = habit(WEEKDAYS, started="2026-03-02", marks=all_done("2026-03-02", "2026-03-05"))
    saturday = d("2026-03-07")
    stats = habit_stats(h, W10, saturday, saturday)
    # Fri 06 is past and empty: 4/5, streak 0.
    assert (stats.due, stats.done, stats.current_streak) == (5, 4, 0)


# --- start, status, empty ranges ----------------------------------------------------


def test_habit_started_mid_period() -> None:
    h = habit(started="2026-03-10", marks=all_done("2026-03-10", "2026-03-12"))
    stats = habit_stats(h, MARCH, d("2026-03-12"), LATER)
    assert (stats.due, stats.done, stats.rate) == (3, 3, 1.0)
    assert min(stats.days) == d("2026-03-10")


def test_habit_without_started_begins_on_its_first_check_off() -> None:
    # An open task on 03-02 is the first check-off: the habit is due from then on.
    marks: dict[str, Mark] = {"2026-03-02": "missed", "2026-03-03": "done",
                              "2026-03-04": "missed"}
    stats = habit_stats(habit(marks=marks), MARCH, d("2026-03-04"), LATER)
    assert (stats.due, stats.done, stats.rate) == (3, 1, 0.333)
    assert d("2026-03-01") not in stats.days


def test_active_habit_never_checked_off_has_nothing_due() -> None:
    stats = habit_stats(habit(), MARCH, d("2026-03-31"), LATER)
    assert stats == HabitStats(0, 0, 0, None, 0, 0, 0.0, {})


@pytest.mark.parametrize("status", ["paused", "retired"])
def test_paused_and_retired_habits_owe_nothing(status: str) -> None:
    marks = all_done("2026-03-02", "2026-03-04")
    marks.update({"2026-03-05": "skipped", "2026-02-20": "skipped", "2026-03-06": "missed"})
    for schedule in (DAILY, quota(3)):
        h = habit(schedule, started="2026-03-02", marks=marks, status=status)
        stats = habit_stats(h, MARCH, d("2026-03-31"), LATER)
        # Only the skip inside the period is reported.
        assert stats == HabitStats(0, 0, 1, None, 0, 0, 0.0, {})


def test_period_entirely_in_the_future() -> None:
    today = d("2026-03-20")
    h = habit(started="2026-03-02", marks=all_done("2026-03-02", "2026-03-19"))
    stats = habit_stats(h, APRIL, today, today)
    assert (stats.due, stats.done, stats.skipped, stats.rate, stats.days) == (0, 0, 0, None, {})
    # Streaks and strength still describe the history up to as_of; 20 is pending.
    assert stats.current_streak == stats.longest_streak == 18
    assert stats.strength == round(1 - M**18, 3)
    q = habit_stats(habit(quota(2), started="2026-03-02", marks=all_done("2026-03-02",
                                                                        "2026-03-19")),
                    APRIL, today, today)
    assert (q.due, q.done, q.rate, q.days) == (0, 0, None, {})


# --- N/week quotas ------------------------------------------------------------------

QUOTA_MARKS: dict[str, Mark] = {
    # week of 03-02: 4 done (quota 3 met, counts 3)
    "2026-03-02": "done", "2026-03-04": "done", "2026-03-06": "done", "2026-03-07": "done",
    # week of 03-09: 2 done, not met; one skip
    "2026-03-10": "done", "2026-03-12": "done", "2026-03-11": "skipped",
    # weeks of 03-16 and 03-23: 3 done each
    "2026-03-16": "done", "2026-03-17": "done", "2026-03-18": "done",
    "2026-03-23": "done", "2026-03-25": "done", "2026-03-27": "done",
    # week of 03-30 (Mon) .. 04-05 (Sun), straddling the months: 3 done
    "2026-03-30": "done", "2026-03-31": "done", "2026-04-01": "done",
}


def test_quota_over_a_month_ignores_the_unfinished_week_not_yet_met() -> None:
    h = habit(quota(3), started="2026-03-02", marks=QUOTA_MARKS)
    stats = habit_stats(h, MARCH, d("2026-03-31"), LATER)
    # Weeks ending in March: 03-08, 15, 22, 29 -> 4 weeks, due 12.
    # done = 3 + 2 + 3 + 3 = 11; the week of 03-30 has 2 by 03-31, not met, not counted.
    assert (stats.due, stats.done, stats.skipped, stats.rate) == (12, 11, 1, 0.917)
    # Back from the week of 03-30 (unfinished, not met: no break): 23 met, 16 met,
    # 09 not met -> 2. Runs: [02], [16, 23] -> longest 2.
    assert (stats.current_streak, stats.longest_streak) == (2, 2)
    # days: every day from 03-01 on or after started 03-02 up to 03-31.
    assert list(stats.days) == days_between("2026-03-02", "2026-03-31")
    assert stats.days[d("2026-03-11")] == "skipped"
    assert stats.days[d("2026-03-03")] == "empty"


def test_quota_week_straddling_the_month_start_counts_all_its_days() -> None:
    h = habit(quota(3), started="2026-03-02", marks=QUOTA_MARKS)
    stats = habit_stats(h, APRIL, d("2026-04-05"), LATER)
    # The week 03-30..04-05 ends in April; its done days 30, 31, 01 all count: 3/3.
    assert (stats.due, stats.done, stats.rate) == (3, 3, 1.0)
    # Weeks of 03-30, 23, 16 met; 09 not -> 3.
    assert (stats.current_streak, stats.longest_streak) == (3, 3)
    assert list(stats.days) == days_between("2026-04-01", "2026-04-05")


def test_quota_unfinished_week_counts_once_met() -> None:
    marks: dict[str, Mark] = {"2026-03-02": "done", "2026-03-03": "done", "2026-03-09": "done"}
    wednesday = d("2026-03-11")
    before = habit_stats(habit(quota(2), started="2026-03-02", marks=marks),
                         W11, wednesday, wednesday)
    # W11 has 1 of 2 so far: not counted, does not break the streak of W10.
    assert (before.due, before.done, before.rate) == (0, 0, None)
    assert (before.current_streak, before.longest_streak) == (1, 1)

    marks.update({"2026-03-10": "done", "2026-03-11": "done"})
    after = habit_stats(habit(quota(2), started="2026-03-02", marks=marks),
                        W11, wednesday, wednesday)
    # 3 done in W11, counted as min(3, 2) = 2 of 2.
    assert (after.due, after.done, after.rate) == (2, 2, 1.0)
    assert (after.current_streak, after.longest_streak) == (2, 2)


def test_quota_finished_week_not_met_breaks_the_streak() -> None:
    marks: dict[str, Mark] = {"2026-03-02": "done", "2026-03-03": "done", "2026-03-09": "done"}
    sunday = d("2026-03-15")
    stats = habit_stats(habit(quota(2), started="2026-03-02", marks=marks), W11, sunday, sunday)
    # W11 ends on as_of: finished, 1 of 2 -> counted and breaks the streak.
    assert (stats.due, stats.done, stats.rate) == (2, 1, 0.5)
    assert (stats.current_streak, stats.longest_streak) == (0, 1)


def test_quota_counts_from_the_first_whole_week() -> None:
    marks: dict[str, Mark] = {"2026-03-04": "done", "2026-03-10": "done", "2026-03-17": "done"}
    h = habit(quota(1), started="2026-03-04", marks=marks)  # a Wednesday
    stats = habit_stats(h, MARCH, d("2026-03-22"), LATER)
    # First whole Monday week: 03-09. Weeks ending in March up to 22: 03-15, 03-22.
    assert (stats.due, stats.done, stats.rate) == (2, 2, 1.0)
    assert (stats.current_streak, stats.longest_streak) == (2, 2)
    assert min(stats.days) == d("2026-03-04")


def test_quota_with_sunday_weeks() -> None:
    marks: dict[str, Mark] = {"2026-03-04": "done", "2026-03-10": "done", "2026-03-17": "done"}
    h = habit(quota(1), started="2026-03-04", marks=marks)
    # Sunday weeks: first whole one starts 03-08; 08..14 and 15..21 end by 03-22;
    # 22..28 holds as_of, unfinished and empty: not counted.
    stats = habit_stats(h, MARCH, d("2026-03-22"), LATER, week_start=6)
    assert (stats.due, stats.done, stats.current_streak) == (2, 2, 2)
    marks["2026-03-22"] = "done"
    met = habit_stats(habit(quota(1), started="2026-03-04", marks=marks), MARCH,
                      d("2026-03-22"), LATER, week_start=6)
    assert (met.due, met.done, met.current_streak) == (3, 3, 3)


def test_quota_in_iso_week_53() -> None:
    week = period_of("week", d("2027-01-01"))
    marks: dict[str, Mark] = {"2026-12-28": "done", "2026-12-31": "done", "2027-01-02": "done"}
    stats = habit_stats(habit(quota(3), started="2026-12-28", marks=marks), week, week.end,
                        LATER)
    assert (stats.due, stats.done, stats.rate, stats.current_streak) == (3, 3, 1.0, 1)
    assert len(stats.days) == 7


def test_quota_skips_are_skip_marks_in_the_period() -> None:
    marks: dict[str, Mark] = {"2026-03-02": "done", "2026-03-07": "skipped",
                              "2026-03-08": "skipped", "2026-03-09": "skipped"}
    stats = habit_stats(habit(quota(1), started="2026-03-02", marks=marks), W10,
                        d("2026-03-08"), LATER)
    assert stats.skipped == 2


def test_quota_strength_one_per_week_hand_computed() -> None:
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    h = habit(quota(1), started="2026-03-02", marks={"2026-03-02": "done"})
    # Days 02, 03, 04: the 7-day window holds 1 done each day, v = 1: 1 - m^3 ~ 0.05867.
    assert habit_stats(h, W10, d("2026-03-04"), LATER).strength == round(1 - m**3, 3) == 0.059
    # v = 1 for 02..08 (7 days), then 02 leaves the window: v = 0 on 09 and 10.
    # (1 - m^7) m^2 ~ 0.12637.
    assert habit_stats(h, W11, d("2026-03-10"), LATER).strength \
        == round((1 - m**7) * m**2, 3) == 0.126


def test_quota_strength_seven_per_week_uses_partial_values() -> None:
    h = habit(quota(7), started="2026-03-02", marks=all_done("2026-03-02", "2026-03-04"))
    # m = 0.5 ** (1/13) = M; v = 1/7, 2/7, 3/7.
    s1 = (1 / 7) * (1 - M)
    s2 = s1 * M + (2 / 7) * (1 - M)
    s3 = s2 * M + (3 / 7) * (1 - M)
    stats = habit_stats(h, W10, d("2026-03-04"), LATER)
    assert stats.strength == round(s3, 3) == 0.043


def test_quota_strength_has_no_pending_exemption() -> None:
    h = habit(quota(1), started="2026-03-02", marks={"2026-03-02": "done"})
    m = 0.5 ** (math.sqrt(1 / 7) / 13)
    today = d("2026-03-04")
    assert habit_stats(h, W10, today, today).strength == round(1 - m**3, 3)


def test_quota_without_a_start_has_nothing_due() -> None:
    stats = habit_stats(habit(quota(3)), MARCH, d("2026-03-31"), LATER)
    assert stats == HabitStats(0, 0, 0, None, 0, 0, 0.0, {})


def test_quota_of_zero_is_never_owed() -> None:
    stats = habit_stats(habit(quota(0), started="2026-03-02", marks={"2026-03-02": "done"}),
                        W10, d("2026-03-03"), LATER)
    assert (stats.due, stats.done, stats.rate, stats.strength) == (0, 0, None, 0.0)


# --- invariants ---------------------------------------------------------------------

SCHEDULES = st.sampled_from([DAILY, WEEKDAYS, WEEKENDS, MON_WED_FRI, every(1), every(3),
                             quota(1), quota(3), quota(7)])


@settings(max_examples=150, deadline=None)
@given(schedule=SCHEDULES,
       states=st.lists(st.sampled_from(["done", "missed", "skipped", None]),
                       min_size=0, max_size=70),
       started_offset=st.one_of(st.none(), st.integers(0, 40)),
       as_of_offset=st.integers(0, 80),
       today_extra=st.integers(0, 2),
       week_start=st.integers(0, 6))
def test_figures_stay_in_range(schedule: Schedule, states: list[Mark | None],
                               started_offset: int | None, as_of_offset: int,
                               today_extra: int, week_start: int) -> None:
    origin = d("2026-02-01")
    marks = {origin + timedelta(days=i): state for i, state in enumerate(states)
             if state is not None}
    h = Habit(name="h", key="h", path="h.md", schedule=schedule, marks=marks,
              started=None if started_offset is None
              else origin + timedelta(days=started_offset))
    as_of = origin + timedelta(days=as_of_offset)
    p = period_of("month", d("2026-03-15"), week_start)
    stats = habit_stats(h, p, as_of, as_of + timedelta(days=today_extra), week_start)
    assert 0.0 <= stats.strength <= 1.0
    assert 0 <= stats.done <= stats.due
    if stats.due == 0:
        assert stats.rate is None
    else:
        assert stats.rate is not None and 0.0 <= stats.rate <= 1.0
    assert 0 <= stats.current_streak <= stats.longest_streak
    assert all(p.start <= day <= as_of for day in stats.days)


# --- goals: current and progress ----------------------------------------------------

AS_OF = d("2026-03-15")


def goal(**fields: object) -> Goal:
    values: dict[str, object] = {"title": "Run a marathon", "path": "Goals/Health/Marathon.md"}
    values.update(fields)
    return Goal(**values)  # type: ignore[arg-type]


def test_untracked_numeric_goal_uses_current() -> None:
    g = goal(baseline=0.0, target=100.0, current=40.0)
    assert goal_current(g, AS_OF) == 40.0
    assert goal_progress(g, AS_OF) == 0.4
    stats = goal_stats(g, [], W11, AS_OF)
    # No history: progress at start is the same as progress.
    assert (stats.progress, stats.progress_at_start, stats.current) == (0.4, 0.4, 40.0)


@pytest.mark.parametrize(("current", "progress"), [
    (77.0, 0.6),  # (77 - 80) / (75 - 80)
    (80.0, 0.0),
    (82.0, 0.0),  # worse than the baseline: clamped
    (75.0, 1.0),
    (74.0, 1.0),  # past the target: clamped
])
def test_decreasing_target(current: float, progress: float) -> None:
    g = goal(baseline=80.0, target=75.0, current=current)
    assert goal_progress(g, AS_OF) == pytest.approx(progress)


def test_increasing_target_is_clamped() -> None:
    assert goal_progress(goal(baseline=10.0, target=20.0, current=25.0), AS_OF) == 1.0
    assert goal_progress(goal(baseline=10.0, target=20.0, current=5.0), AS_OF) == 0.0


def test_baseline_defaults_to_zero() -> None:
    assert goal_progress(goal(target=10.0, current=5.0), AS_OF) == 0.5


def test_target_equal_to_baseline_is_not_measurable() -> None:
    assert goal_progress(goal(baseline=5.0, target=5.0, current=5.0), AS_OF) is None
    assert goal_progress(goal(target=0.0, current=3.0), AS_OF) is None  # baseline 0


def test_target_without_current_is_not_measurable() -> None:
    g = goal(target=10.0, milestones=(Milestone("a", 5, True),))
    assert goal_current(g, AS_OF) is None
    assert goal_progress(g, AS_OF) is None  # the target wins over milestones


def test_no_target_no_milestones_is_not_measurable() -> None:
    stats = goal_stats(goal(), [], W11, AS_OF)
    assert (stats.progress, stats.progress_at_start, stats.current) == (None, None, None)


TRACKED = ((d("2026-02-28"), 50.0),  # before the goal's start: ignored
           (d("2026-03-02"), 5.0),
           (d("2026-03-10"), 20.0),
           (d("2026-03-20"), 30.0))  # after as_of


def test_tracked_sum_filters_by_start_and_as_of() -> None:
    g = goal(track="km", baseline=10.0, target=110.0, start=d("2026-03-01"), tracked=TRACKED)
    assert goal_current(g, AS_OF) == 35.0  # 10 + 5 + 20
    stats = goal_stats(g, [], W11, AS_OF)
    # (35 - 10) / 100 = 0.25; as of 03-08: 10 + 5 = 15 -> 0.05.
    assert (stats.progress, stats.progress_at_start, stats.current) == (0.25, 0.05, 35.0)


def test_tracked_sum_without_start_or_baseline() -> None:
    g = goal(track="km", target=100.0, tracked=TRACKED)
    assert goal_current(g, AS_OF) == 75.0  # 50 + 5 + 20
    assert goal_current(g, d("2026-02-01")) == 0.0  # nothing tracked yet, baseline 0


def test_tracked_last_takes_the_latest_value_up_to_as_of() -> None:
    tracked = ((d("2026-03-01"), 79.0), (d("2026-03-05"), 78.5), (d("2026-03-05"), 78.0),
               (d("2026-03-20"), 76.0))
    g = goal(track="weight", aggregate="last", baseline=80.0, target=75.0, tracked=tracked)
    assert goal_current(g, AS_OF) == 78.0  # of two values on 03-05, the later one
    assert goal_progress(g, AS_OF) == pytest.approx(0.4)  # (78 - 80) / (75 - 80)
    assert goal_current(g, d("2026-02-20")) == 80.0  # no value yet: the baseline
    stats = goal_stats(g, [], W10, d("2026-03-08"))
    # As of 03-01, the day before the week: 79 -> (79 - 80) / (75 - 80) = 0.2.
    assert (stats.progress, stats.progress_at_start) == (0.4, 0.2)


def test_tracked_last_respects_start_and_may_have_no_value() -> None:
    tracked = ((d("2026-03-01"), 79.0),)
    started = goal(track="weight", aggregate="last", target=75.0, start=d("2026-03-02"),
                   tracked=tracked)
    assert goal_current(started, AS_OF) is None
    assert goal_progress(started, AS_OF) is None


MILESTONES = (
    Milestone("before", 10, True, completed=d("2026-02-20")),
    Milestone("inside", 11, True, completed=d("2026-03-10")),
    Milestone("after", 12, True, completed=d("2026-03-20")),
    Milestone("undated", 13, True),
    Milestone("open", 14, False),
    Milestone("cancelled", 15, False, cancelled=True),
    Milestone("inside too", 16, True, completed=d("2026-03-09")),
)


def test_milestone_progress_by_completion_date() -> None:
    g = goal(milestones=MILESTONES)
    stats = goal_stats(g, [], W11, AS_OF)
    # 6 milestones count (cancelled does not). As of 03-15: before, inside, undated,
    # inside too -> 4/6; as of 03-08: before, undated -> 2/6.
    assert stats.progress == 0.667
    assert stats.progress_at_start == 0.333
    assert stats.current is None
    # In the period, in note order.
    assert [m.text for m in stats.milestones_done_in_period] == ["inside", "inside too"]


def test_milestone_completed_on_period_start_and_as_of_are_in_the_period() -> None:
    ms = (Milestone("first day", 1, True, completed=d("2026-03-09")),
          Milestone("as of", 2, True, completed=AS_OF),
          Milestone("day before", 3, True, completed=d("2026-03-08")))
    stats = goal_stats(goal(milestones=ms), [], W11, AS_OF)
    assert [m.text for m in stats.milestones_done_in_period] == ["first day", "as of"]
    assert (stats.progress, stats.progress_at_start) == (1.0, 0.333)


def test_only_cancelled_milestones_is_not_measurable() -> None:
    g = goal(milestones=(Milestone("x", 1, False, cancelled=True),))
    assert goal_progress(g, AS_OF) is None


def test_progress_is_rounded_current_is_not() -> None:
    g = goal(target=3.0, current=1.0)
    stats = goal_stats(g, [], W11, AS_OF)
    assert stats.progress == 0.333
    assert goal_progress(g, AS_OF) == pytest.approx(1 / 3)
    tracked = goal(track="km", target=1.0, tracked=((d("2026-03-01"), 0.1),
                                                    (d("2026-03-02"), 0.2)))
    assert goal_stats(tracked, [], W11, AS_OF).current == pytest.approx(0.3)


# --- goals: expected, at risk, overdue ------------------------------------------------


def dated(**fields: object) -> Goal:
    # 10 days from start to deadline: expected = elapsed days / 10.
    return goal(start=d("2026-03-01"), deadline=d("2026-03-11"), target=10.0, **fields)


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2026-02-25", 0.0),  # before the start: clamped
    ("2026-03-01", 0.0),
    ("2026-03-04", 0.3),
    ("2026-03-06", 0.5),
    ("2026-03-11", 1.0),
    ("2026-03-20", 1.0),  # past the deadline: clamped
])
def test_expected_is_the_elapsed_fraction(as_of: str, expected: float) -> None:
    assert goal_stats(dated(current=0.0), [], MARCH, d(as_of)).expected == expected


def test_expected_needs_start_before_deadline() -> None:
    same = goal(start=d("2026-03-01"), deadline=d("2026-03-01"))
    assert goal_stats(same, [], MARCH, AS_OF).expected is None
    assert goal_stats(goal(deadline=d("2026-03-31")), [], MARCH, AS_OF).expected is None
    assert goal_stats(goal(start=d("2026-03-01")), [], MARCH, AS_OF).expected is None


def test_expected_is_rounded() -> None:
    g = goal(start=d("2026-03-01"), deadline=d("2026-03-04"))  # 3 days
    assert goal_stats(g, [], MARCH, d("2026-03-02")).expected == 0.333


@pytest.mark.parametrize(("current", "as_of", "at_risk"), [
    (4.0, "2026-03-06", False),  # 0.4 vs 0.5 - 0.10: exactly on the line
    (3.9, "2026-03-06", True),
    (2.0, "2026-03-04", False),  # 0.2 vs 0.3 - 0.10, where float noise would say 0.1999...
    (6.0, "2026-03-08", False),  # 0.6 vs 0.7 - 0.10
    (7.0, "2026-03-09", False),  # 0.7 vs 0.8 - 0.10, which floats make 0.7000000000000001
    (5.0, "2026-03-11", True),   # on the deadline itself
    (0.0, "2026-03-01", False),  # nothing expected yet
])
def test_at_risk_boundaries(current: float, as_of: str, at_risk: bool) -> None:
    stats = goal_stats(dated(current=current), [], MARCH, d(as_of))
    assert stats.at_risk is at_risk
    assert stats.overdue is False


def test_past_deadline_is_overdue_not_at_risk() -> None:
    stats = goal_stats(dated(current=5.0), [], MARCH, d("2026-03-12"))
    assert (stats.at_risk, stats.overdue) == (False, True)
    assert goal_stats(dated(current=10.0), [], MARCH, d("2026-03-12")).overdue is False
    assert goal_stats(dated(current=12.0), [], MARCH, d("2026-03-12")).overdue is False


def test_overdue_when_not_measurable() -> None:
    g = goal(start=d("2026-03-01"), deadline=d("2026-03-11"))
    stats = goal_stats(g, [], MARCH, d("2026-03-12"))
    assert (stats.progress, stats.overdue, stats.at_risk) == (None, True, False)


def test_not_at_risk_when_not_measurable() -> None:
    g = goal(start=d("2026-03-01"), deadline=d("2026-03-11"))
    assert goal_stats(g, [], MARCH, d("2026-03-10")).at_risk is False


def test_no_deadline_is_never_at_risk_or_overdue() -> None:
    stats = goal_stats(goal(start=d("2026-03-01"), target=10.0, current=0.0), [], MARCH,
                       d("2026-03-31"))
    assert (stats.at_risk, stats.overdue) == (False, False)


@pytest.mark.parametrize("status", ["paused", "done", "dropped"])
def test_only_active_goals_are_flagged(status: str) -> None:
    risky = goal_stats(dated(current=0.0, status=status), [], MARCH, d("2026-03-10"))
    late = goal_stats(dated(current=0.0, status=status), [], MARCH, d("2026-03-20"))
    assert (risky.at_risk, late.overdue, late.stale) == (False, False, False)


# --- goals: stale --------------------------------------------------------------------

STALE_AS_OF = d("2026-03-31")  # the window is 03-11 .. 03-31


def old_goal(**fields: object) -> Goal:
    return goal(start=d("2026-01-01"), **fields)


def is_stale(g: Goal, habits: tuple[Habit, ...] = ()) -> bool:
    return goal_stats(g, habits, MARCH, STALE_AS_OF).stale


def test_goal_without_activity_is_stale() -> None:
    assert is_stale(old_goal())
    assert is_stale(goal())  # no start at all


@pytest.mark.parametrize(("day", "stale"), [("2026-03-10", True), ("2026-03-11", False),
                                            ("2026-03-31", False), ("2026-04-01", True)])
def test_milestone_completion_in_the_window(day: str, stale: bool) -> None:
    g = old_goal(milestones=(Milestone("m", 1, True, completed=d(day)),))
    assert is_stale(g) is stale


@pytest.mark.parametrize(("day", "stale"), [("2026-03-10", True), ("2026-03-11", False)])
def test_tracked_value_in_the_window(day: str, stale: bool) -> None:
    assert is_stale(old_goal(track="km", tracked=((d(day), 1.0),))) is stale


@pytest.mark.parametrize(("day", "stale"), [("2026-03-10", True), ("2026-03-11", False)])
def test_goal_starting_inside_the_window_is_too_new(day: str, stale: bool) -> None:
    assert is_stale(goal(start=d(day))) is stale


def test_linked_habit_done_mark_in_the_window() -> None:
    def linked(mark: Mark, day: str = "2026-03-20", link: str = "Marathon") -> Habit:
        return habit(started="2026-01-01", goal=link, marks={day: mark})

    assert not is_stale(old_goal(), (linked("done"),))
    assert is_stale(old_goal(), (linked("missed"),))
    assert is_stale(old_goal(), (linked("skipped"),))
    assert is_stale(old_goal(), (linked("done", day="2026-03-10"),))
    assert is_stale(old_goal(), (linked("done", link="Other goal"),))
    assert is_stale(old_goal(), (habit(started="2026-01-01", marks={"2026-03-20": "done"}),))


@pytest.mark.parametrize(("link", "matches"), [
    ("Run a marathon", True),          # the title
    ("run A MARATHON", True),          # case-insensitive
    ("Marathon", True),                # the file stem
    ("Goals/Health/Marathon", True),   # the path without .md
    ("Goals/Health/Marathon.md", True),
    ("Health/Marathon", True),         # the tail of the path
    ("[[Marathon|my race]]", True),    # a whole wikilink with shown text
    ("Marathon#Plan", True),           # a heading link
    ("alth/Marathon", False),          # not at a folder boundary
    ("Other/Marathon", False),
    ("Marathons", False),
    ("", False),
])
def test_habit_goal_link_matching(link: str, matches: bool) -> None:
    assert links_to(link, goal()) is matches


# --- mean ----------------------------------------------------------------------------


def test_mean() -> None:
    assert mean([]) is None
    assert mean([1.0, 2.0, 4.0]) == pytest.approx(7 / 3)
    assert mean(float(x) for x in (3, 5)) == 4.0


def test_stats_are_frozen() -> None:
    stats = goal_stats(goal(), [], MARCH, AS_OF)
    assert isinstance(stats, GoalStats)
    with pytest.raises(AttributeError):
        stats.progress = 1.0  # type: ignore[misc]
