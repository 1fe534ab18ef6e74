"""The model: what mdmastery reads from a vault (frozen dataclasses and named tuples)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any, Literal, NamedTuple, overload

Level = Literal["error", "warning"]
DayState = Literal["done", "missed", "skipped", "empty"]
# What one check-off says about one day; "empty" is the absence of any.
Mark = Literal["done", "missed", "skipped"]

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Problem(NamedTuple):
    """Something in a note that could not be read as intended.

    This and the other small values of a model (Schedule, Milestone, Vision, Item,
    JournalEntry) are named tuples: frozen, compared and ordered field by field, and a
    tuple class is made at import in a tenth of a frozen dataclass's time (every run
    makes them all).
    """

    path: str  # relative to the vault, with '/'
    line: int  # 1-based; 0 when it concerns the whole file
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "level": self.level,
                "message": self.message}


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
    a tuple is built (and read back from the index) about twice as fast.
    """

    text: str
    day: date
    path: str
    line: int


class JournalEntry(NamedTuple):
    """One day's reflection, merged over every journal note of that date.

    A named tuple, as Item: a model holds one a day (built, pickled and read back by the
    thousand), and a tuple is built in a sixth of a frozen dataclass's time.
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


# One journal note as a journal keeps it: (path, day as an ordinal, mood, energy, items),
# items being the note's (section, text, line) of wins, lessons and gratitude. Plain
# tuples, ints and strings: the index pickles and reads back a year of them at C speed (a
# named tuple or a date calls back into Python), and a year's entries are built from them
# only when it is read (Journal.year).
DayNote = tuple[str, int, int | None, int | None, tuple[tuple[str, str, int], ...]]

_new = tuple.__new__


def day_note(path: str, journal: JournalFacts) -> DayNote:
    """Return a journal note as a journal keeps it."""
    return (path, journal.day.toordinal(), journal.mood, journal.energy, journal.items)


def journal_entries(notes: Sequence[DayNote]) -> tuple[JournalEntry, ...]:
    """Merge journal notes, given in day order then path order, into one entry a day.

    The first note of a day with a mood gives the day's mood (energy alike); the items
    keep the notes' order. (extract reports the problems of the notes looked at.)
    """
    entries: list[JournalEntry] = []
    for ordinal, group in groupby(notes, itemgetter(1)):
        day_notes = list(group)
        day = date.fromordinal(ordinal)
        collected: dict[str, list[Item]] = {"wins": [], "lessons": [], "gratitude": []}
        for path, _, _, _, items in day_notes:
            for section, text, line in items:
                # (tuple.__new__: an Item without its Python-level __new__)
                collected[section].append(_new(Item, (text, day, path, line)))
        entries.append(_new(JournalEntry, (
            day, tuple([note[0] for note in day_notes]), *_scales(day_notes),
            tuple(collected["wins"]), tuple(collected["lessons"]),
            tuple(collected["gratitude"]))))
    return tuple(entries)


def _scales(day_notes: Sequence[DayNote]) -> tuple[int | None, int | None]:
    """Return a day's mood and energy: each the first its notes give."""
    return (next((note[2] for note in day_notes if note[2] is not None), None),
            next((note[3] for note in day_notes if note[3] is not None), None))


def _summary(notes: Sequence[DayNote]) -> tuple[int, tuple[tuple[date, int], ...]]:
    """Return how many days the notes (in day order) make and each day's mood, as
    journal_entries finds them, without building the entries."""
    days = 0
    moods: list[tuple[date, int]] = []
    previous = -1
    wanted = False  # the day's mood is still to be found
    for _, ordinal, mood, _, _ in notes:
        if ordinal != previous:
            days += 1
            previous = ordinal
            wanted = True
        if wanted and mood is not None:
            moods.append((date.fromordinal(ordinal), mood))
            wanted = False
    return days, tuple(moods)


class StoredYear(NamedTuple):
    """A year of a journal read back from the index, not unpickled until first needed."""

    read: Callable[[], tuple[DayNote, ...]]  # unpickles the year's notes
    length: int  # how many entries (days) it holds
    moods: tuple[tuple[date, int], ...]  # the (day, mood) of its entries with a mood


class Journal(Sequence[JournalEntry]):
    """A model's journal: one entry a day, sorted by day, kept by year.

    Each year is held as its notes (DayNote), in day order then path order, or, read back
    from the index, as a StoredYear not unpickled until the year is read. A year's entries
    are built when an entry of it is first asked for: a review reads the years of its
    period and every day's mood (kept apart), not the whole history. Equal to any journal
    or sequence holding the same entries.
    """

    __slots__ = ("_entries", "_moods", "_notes", "_parts", "_summaries")

    def __init__(self,
                 parts: Mapping[int, tuple[DayNote, ...] | StoredYear] | None = None) -> None:
        # year -> its notes or a StoredYear, in year order
        self._parts = dict(sorted((parts or {}).items()))
        self._notes: dict[int, tuple[DayNote, ...]] = {}  # the stored years read so far
        self._entries: dict[int, tuple[JournalEntry, ...]] = {}  # the years built so far
        self._summaries: dict[int, tuple[int, tuple[tuple[date, int], ...]]] = {}
        self._moods: list[tuple[date, int]] | None = None

    @classmethod
    def of(cls, notes: Iterable[DayNote]) -> Journal:
        """Return the journal of notes given in day order, then path order."""
        by_year: dict[int, list[DayNote]] = {}
        year_end = 0  # the ordinal of the first day after the year of the last note
        current: list[DayNote] = []
        for note in notes:
            if note[1] >= year_end:
                year = date.fromordinal(note[1]).year
                year_end = date(year + 1, 1, 1).toordinal() if year < date.max.year \
                    else date.max.toordinal() + 1
                current = by_year.setdefault(year, [])
            current.append(note)
        return cls({year: tuple(found) for year, found in by_year.items()})

    def parts(self) -> dict[int, tuple[DayNote, ...] | StoredYear]:
        """Return each year as it is held (the same objects, read or not)."""
        return dict(self._parts)

    def notes(self, year: int) -> tuple[DayNote, ...]:
        """Return the notes of one year (reading it if it is stored)."""
        part = self._parts.get(year)
        if not isinstance(part, StoredYear):
            return part or ()
        found = self._notes.get(year)
        if found is None:
            found = self._notes[year] = part.read()
        return found

    def year(self, year: int) -> tuple[JournalEntry, ...]:
        """Return the entries of one year (reading it if it is stored)."""
        found = self._entries.get(year)
        if found is None:
            if year not in self._parts:
                return ()
            found = self._entries[year] = journal_entries(self.notes(year))
        return found

    def between(self, start: date, end: date) -> list[JournalEntry]:
        """Return the entries from start to end, reading only the years they fall in."""
        found: list[JournalEntry] = []
        for year in range(start.year, end.year + 1):
            if year in self._parts:
                found.extend(e for e in self.year(year) if start <= e.day <= end)
        return found

    def summary(self, year: int) -> tuple[int, tuple[tuple[date, int], ...]]:
        """Return a year's length and the (day, mood) of its entries with a mood, without
        reading a stored year (the index keeps both beside it)."""
        part = self._parts[year]
        if isinstance(part, StoredYear):
            return part.length, part.moods
        found = self._summaries.get(year)
        if found is None:
            found = self._summaries[year] = _summary(part)
        return found

    def moods(self) -> list[tuple[date, int]]:
        """Return the (day, mood) of every entry with a mood, in day order."""
        if self._moods is None:
            self._moods = [pair for year in self._parts for pair in self.summary(year)[1]]
        return self._moods

    def with_days(self, days: Mapping[date, Sequence[DayNote]]) -> Journal:
        """Return the journal with the notes of some days replaced (none: the day is
        gone); the other years are shared as they are, read or not."""
        parts = dict(self._parts)
        for year in {day.year for day in days}:
            replaced = {day.toordinal() for day in days if day.year == year}
            kept = [note for note in self.notes(year) if note[1] not in replaced]
            kept.extend(note for day, notes in days.items() if day.year == year
                        for note in notes)
            if kept:
                parts[year] = tuple(sorted(kept, key=lambda note: (note[1], note[0])))
            else:
                parts.pop(year, None)
        journal = Journal(parts)
        shared = {year for year, part in parts.items() if part is self._parts.get(year)}
        # (What is known of a shared year holds for it in both.)
        journal._notes.update((y, notes) for y, notes in self._notes.items() if y in shared)
        journal._entries.update((y, found) for y, found in self._entries.items()
                                if y in shared)
        journal._summaries.update((y, found) for y, found in self._summaries.items()
                                  if y in shared)
        return journal

    def __iter__(self) -> Iterator[JournalEntry]:
        for year in self._parts:
            yield from self.year(year)

    def __len__(self) -> int:
        return sum(self.summary(year)[0] for year in self._parts)

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[JournalEntry, ...]: ...

    def __getitem__(self, index: int | slice) -> JournalEntry | tuple[JournalEntry, ...]:
        return tuple(self)[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Journal({tuple(self)!r})"


class Vision(NamedTuple):
    """The personal vision and values note."""

    path: str
    title: str
    values: tuple[str, ...] = ()
    statement: str | None = None


@dataclass(frozen=True, slots=True)
class Model:
    """Everything extracted from a vault, ready for analytics."""

    habits: tuple[Habit, ...]
    goals: tuple[Goal, ...]
    journal: Journal  # sorted by day, one per day
    vision: Vision | None
    problems: tuple[Problem, ...]
    note_count: int = 0


# The facts of a note are named tuples, not frozen dataclasses: one or two per note of a
# cold run (built, pickled, unpickled), and a tuple class is defined at import in a tenth
# of a dataclass's time.
class JournalFacts(NamedTuple):
    """What one journal note holds for the model, before it meets the habits and goals."""

    day: date
    tasks: tuple[tuple[str, str], ...] = ()  # (text, box) of each task
    # Inline fields, then front matter keys that may be check-offs:
    # (key as written, normalised key, value, line).
    fields: tuple[tuple[str, str, Any, int], ...] = ()
    props: tuple[tuple[str, str, Any, int], ...] = ()
    habits: Any = None  # the `habits:` value as written
    habits_line: int = 1
    mood: int | None = None
    mood_problem: Problem | None = None  # reported only if this note's mood is used
    energy: int | None = None
    energy_problem: Problem | None = None
    items: tuple[tuple[str, str, int], ...] = ()  # (section, text, line) of wins, lessons...
    # (normalised key, number) of every numeric key and field, for goals' `track`.
    numbers: tuple[tuple[str, float], ...] = ()


class NoteFacts(NamedTuple):
    """Everything one note gives the model, found without looking at any other note.

    The model is assembled from these (extract.assemble); the index keeps them, so a
    changed note costs its own parse and an assembly, not a parse of the vault.
    """

    path: str
    problems: tuple[Problem, ...] = ()
    journal: JournalFacts | None = None
    habit: Habit | None = None  # without check-offs
    entries: tuple[date, ...] = ()  # a habit note's own `entries:` days
    goal: Goal | None = None  # without tracked values
    vision: Vision | None = None

    @property
    def empty(self) -> bool:
        """Tell whether the note gives the model nothing but being counted."""
        return not (self.problems or self.journal or self.habit or self.goal or self.vision)
