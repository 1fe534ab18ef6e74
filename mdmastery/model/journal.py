"""The model's journal: one entry a day, kept by year as the journal notes of the year.

A year is held as its notes (DayNote: plain tuples, ints and strings, which the index
pickles and reads back at C speed), or, read back from the index, as a StoredYear whose
notes are unpickled when first needed. A year's entries (merging the notes of a day)
are built when an entry of it is first asked for: a review reads the years of its
period and every day's mood (kept apart), not the whole history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple, overload

from .values import Item, JournalEntry

# One journal note as a journal keeps it: (path, day as an ordinal, mood, energy, items),
# items being the note's (section, text, line) of wins, lessons and gratitude. Plain
# tuples, ints and strings: the index pickles and reads back a year of them at C speed (a
# named tuple or a date calls back into Python), and a year's entries are built from them
# only when it is read (Journal.year).
DayNote = tuple[str, int, int | None, int | None, tuple[tuple[str, str, int], ...]]


def journal_entries(notes: Sequence[DayNote]) -> tuple[JournalEntry, ...]:
    """Merge journal notes, given in day order then path order, into one entry a day.

    The first note of a day with a mood gives the day's mood (energy alike); the items
    keep the notes' order. (assemble.py reports the problems of the notes looked at.)
    """
    entries: list[JournalEntry] = []
    for ordinal, group in groupby(notes, itemgetter(1)):
        day_notes = list(group)
        day = date.fromordinal(ordinal)
        collected: dict[str, list[Item]] = {"wins": [], "lessons": [], "gratitude": []}
        for path, _, _, _, items in day_notes:
            for section, text, line in items:
                collected[section].append(Item(text, day, path, line))
        entries.append(JournalEntry(
            day, tuple([note[0] for note in day_notes]), *_scales(day_notes),
            tuple(collected["wins"]), tuple(collected["lessons"]),
            tuple(collected["gratitude"])))
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
