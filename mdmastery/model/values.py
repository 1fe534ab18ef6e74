"""The model's domain values: a vault's habits, goals, journal entries and vision (frozen
dataclasses and named tuples)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple

from ..dates.days import WEEKDAY_NAMES

DayState = Literal["done", "missed", "skipped", "empty"]
# What one check-off says about one day; "empty" is the absence of any.
Mark = Literal["done", "missed", "skipped"]


class Schedule(NamedTuple):
    """When a habit is due.

    kind is "days" (due on the given weekdays, 0 = Monday), "quota" (per_week
    done days in each week) or "interval" (every `every` days from the start).
    """

    kind: Literal["days", "quota", "interval"]
    weekdays: frozenset[int] = frozenset(range(7))
    per_week: int = 0
    every: int = 0

    @property
    def text(self) -> str:
        """Return the canonical spelling, as a user would write it."""
        if self.kind == "quota":
            return f"{self.per_week}/week"
        if self.kind == "interval":
            return "daily" if self.every == 1 else f"every {self.every} days"
        if self.weekdays == frozenset(range(7)):
            return "daily"
        if self.weekdays == frozenset(range(5)):
            return "weekdays"
        if self.weekdays == frozenset({5, 6}):
            return "weekends"
        return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))


def schedule_forms(weekdays: str) -> str:
    """Name the schedules a habit may have, a list of weekdays written as weekdays shows."""
    return (f"daily, weekdays, weekends, N/week (3/week), a list of weekdays ({weekdays}) "
            "or every N days")


DAILY = Schedule("days")


@dataclass(frozen=True, slots=True)
class Habit:
    """A habit defined by a note of type habit, with every check-off found for it."""

    name: str
    key: str
    path: str
    schedule: Schedule = DAILY
    status: str = "active"  # active | paused | retired
    aliases: tuple[str, ...] = ()
    target: float | None = None
    unit: str | None = None
    direction: Literal["at_least", "at_most"] = "at_least"
    started: date | None = None
    goal: str | None = None  # wikilink target of the goal it serves
    area: str | None = None
    # Each day with a check-off, merged over all sources: done beats skipped beats missed.
    marks: Mapping[date, Mark] = field(default_factory=dict)
    # Where each day's deciding check-off came from (journal path), for links.
    sources: Mapping[date, str] = field(default_factory=dict)


class Milestone(NamedTuple):
    """A task line of a goal note."""

    text: str
    line: int
    done: bool
    cancelled: bool = False  # `- [-]`: not counted at all
    completed: date | None = None
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal note: milestones and/or a measurable target."""

    title: str
    path: str
    status: str = "active"  # active | paused | done | dropped
    area: str | None = None
    focus: bool = False
    start: date | None = None
    deadline: date | None = None
    why: str | None = None
    values: tuple[str, ...] = ()
    created: date | None = None  # front matter `created` (templates write it)
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str | None = None
    track: str | None = None
    aggregate: Literal["sum", "last"] = "sum"
    milestones: tuple[Milestone, ...] = ()
    # (day, value) of the tracked inline field in journal notes, sorted by day.
    tracked: tuple[tuple[date, float], ...] = ()
    aliases: tuple[str, ...] = ()


class Item(NamedTuple):
    """A list item collected from a journal section (a win, a lesson, a thanks).

    A named tuple, not a frozen dataclass: a model holds tens of thousands of items, and
    a tuple is built (and read back from the index) faster.
    """

    text: str
    day: date
    path: str
    line: int


class JournalEntry(NamedTuple):
    """One day's reflection, merged over every journal note of that date.

    A named tuple, as Item: a model holds one a day (built, pickled and read back by the
    thousand), and a tuple is built faster than a frozen dataclass.
    """

    day: date
    paths: tuple[str, ...]
    mood: int | None = None
    energy: int | None = None
    wins: tuple[Item, ...] = ()
    lessons: tuple[Item, ...] = ()
    gratitude: tuple[Item, ...] = ()

    @property
    def path(self) -> str:
        return self.paths[0]


class Vision(NamedTuple):
    """The personal vision and values note."""

    path: str
    title: str
    values: tuple[str, ...] = ()
    statement: str | None = None
