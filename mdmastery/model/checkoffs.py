"""Habit check-offs: which habit a task, a field, a link or a name means, and what a
check-off value says (done, missed, skipped)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import Problems
from ..reading.text import nfc, normalize_key
from .durations import clock_minutes, is_time_unit
from .links import link_target, link_text
from .parse import NUMBER, in_measure_unit, parse_measure, parse_number, shown
from .suggest import did_you_mean, near_miss
from .task_text import habit_text
from .values import Habit, Mark

if TYPE_CHECKING:
    from .facts import JournalFacts, NoteFacts

DONE_WORDS = frozenset({"true", "yes", "y", "done", "x", "1", "✅", "✔", "✔️", "☑", "☑️"})


NOT_DONE_WORDS = frozenset({"false", "no", "n", "0", "❌", "not done"})


SKIP_WORDS = frozenset({"skip", "skipped", "rest", "-"})


class HabitMatcher:
    """Finds which habit a task text, a field key, a link or a name refers to, and the
    habit a near miss was meant for.

    global_filter is the Tasks plugin's (`#task`): it is no part of a habit's name.
    """

    def __init__(self, habits: Sequence[Habit], global_filter: str | None = None) -> None:
        names: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.links: dict[str, int] = {}
        for index, habit in enumerate(habits):
            for name in (habit.name, habit.key, *habit.aliases):
                names.setdefault(nfc(name).lower(), index)
            self.keys.setdefault(habit.key, index)
            path = habit.path[:-3].lower()
            self.links.setdefault(path, index)
            self.links.setdefault(path.rsplit("/", 1)[-1], index)
            self.links.setdefault(nfc(habit.name).lower(), index)
        # Longest first: "read 20 pages" must win over "read".
        self.names = sorted(names.items(), key=lambda item: (-len(item[0]), item[0]))
        self.exact = names
        self.habits = habits
        self.global_filter = global_filter
        # Names a near miss is compared with: the names and aliases as written.
        self.shown = sorted({nfc(n) for h in habits for n in (h.name, *h.aliases)})
        self._hints: dict[tuple[str, bool], str | None] = {}
        self._keys: dict[str, str | None] = {}
        # by_text, by_name and value_mark, remembered for this matcher's run: a vault's
        # check-offs repeat the same few texts, names and values.
        self.text = cache(self.by_text)
        self.name = cache(self.by_name)
        self._marks: dict[tuple[int, type, Any], Mark | str | None] = {}

    def mark(self, index: int, value: Any) -> Mark | str | None:
        """value_mark for the habit at index, remembered for plain values (by type too:
        True, 1 and 1.0 are equal keys but not the same check-off)."""
        key = (index, type(value), value)
        try:
            return self._marks[key]
        except KeyError:
            found = self._marks[key] = value_mark(value, self.habits[index])
            return found
        except TypeError:  # a list or mapping
            return value_mark(value, self.habits[index])

    def by_link(self, target: str) -> int | None:
        target = nfc(target).strip().lower()
        if target.endswith(".md"):
            target = target[:-3]
        found = self.links.get(target)
        return found if found is not None else self.links.get(target.rsplit("/", 1)[-1])

    def by_text(self, text: str) -> int | None:
        text = habit_text(nfc(text), self.global_filter).lower()
        found = self.exact.get(text)
        if found is not None:
            return found
        for name, index in self.names:
            if text.startswith(name) and len(text) > len(name) and \
                    not (text[len(name)].isalnum() or text[len(name)] == "_"):
                return index
        for match in re.finditer(r"\[\[([^\]|#^]+)", text):
            found = self.by_link(match.group(1))
            if found is not None:
                return found
        return None

    def unmatched(self, text: str, under_habits: bool) -> str | None:
        """Say why a task that matches no habit deserves a warning, or None: it is close
        to a habit's name (`Meditat`), or it stands under a habits heading. An empty task
        (`- [ ] `, the placeholder `today` writes when no habit is due) is none."""
        key = (text, under_habits)
        if key not in self._hints:
            name = habit_text(nfc(text), self.global_filter)
            near = near_miss(name, self.shown)
            hint = f"; did you mean {near}?" if near else ""
            self._hints[key] = (
                None if not name.strip()
                else f"{_quoted(text)} under a habits heading matches no habit"
                f"{hint or ' (name a habit note, or give one this alias)'}" if under_habits
                else f"{_quoted(text)} matches no habit{hint}" if near else None)
        return self._hints[key]

    def near_key(self, key: str) -> str | None:
        """Return the habit key a field's key misspells (`meditat` -> `meditate`), if any."""
        if key not in self._keys:
            self._keys[key] = did_you_mean(key, self.keys) if len(key) >= 4 else None
        return self._keys[key]

    def suggest(self, name: str) -> str:
        """Return "; did you mean NAME?" for a name that matches no habit, or ""."""
        near = did_you_mean(name, self.shown)
        return f"; did you mean {near}?" if near else ""

    def by_name(self, name: str) -> int | None:
        target = link_target(name) or ""
        if "[[" in name:
            return self.by_link(target)
        found = self.exact.get(nfc(target).lower())
        return found if found is not None else self.keys.get(normalize_key(target))


def _quoted(text: str, limit: int = 60) -> str:
    text = text.strip()
    return f"\"{text[:limit - 1]}…\"" if len(text) > limit else f"\"{text}\""


def is_check_off_word(value: Any) -> bool:
    """Tell whether a value reads as a check-off (`true`, `done`, `skip`, ✅...)."""
    if isinstance(value, bool):
        return True
    text = str(value).strip().lower() if isinstance(value, str | int) else ""
    return text in DONE_WORDS or text in NOT_DONE_WORDS or text in SKIP_WORDS


class Unread(str):
    """Why a check-off value was not read, said as it is (a duration in a habit whose
    unit is no time unit, an h:mm time)."""


def value_mark(value: Any, habit: Habit) -> Mark | str | None:
    """Return what a check-off value says: a Mark, None (nothing), an unknown text, or
    why it was not read (Unread)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "done" if value else "missed"
    if isinstance(value, list | dict):
        return str(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if text in SKIP_WORDS:
        return "skipped"
    number: float | None = None
    if not isinstance(value, str):
        number = parse_number(value)
    elif NUMBER.fullmatch(text.split()[0]):
        number = parse_number(value)  # a number, maybe with a word (`20 pages`)
    if isinstance(value, str):
        measure = parse_measure(value)
        if measure is not None and measure[1] and \
                (clock_minutes(value) is None or is_time_unit(habit.unit)):
            # A duration (`1h 30m`, `45 min`; `7:30` for a time unit), in the habit's unit.
            number, problem = in_measure_unit(value, measure[0], habit.unit,
                                              f"“{habit.name}”")
            if problem is not None:
                return Unread(problem)
    if number is not None:
        if habit.target is None:
            return "done" if number > 0 else "missed"
        if habit.direction == "at_most":
            return "done" if number <= habit.target else "missed"
        return "done" if number >= habit.target else "missed"
    if text in DONE_WORDS:
        return "done"
    if text in NOT_DONE_WORDS:
        return "missed"
    return text


_RANK = {"missed": 0, "skipped": 1, "done": 2}


def record_mark(marks: dict[date, Mark], sources: dict[date, str], day: date, mark: Mark,
            path: str) -> None:
    old = marks.get(day)
    if old is None or _RANK[mark] > _RANK[old]:
        marks[day] = mark
        sources[day] = path


# What a task's box says: done `[x]`, skipped `[-]`, else (`[ ]`, `[>]`...) missed.
_TASK_MARKS: dict[str, Mark] = {"x": "done", "X": "done", "-": "skipped"}


def check_offs(facts: NoteFacts, journal: JournalFacts, habits: Sequence[Habit],
                matcher: HabitMatcher, marks: list[dict[date, Mark]],
                sources: list[dict[date, str]], found: Problems) -> None:
    """Record every habit check-off of one journal note."""
    path, day = facts.path, journal.day

    def record(index: int, value: Any, line: int, key: str, colon: str) -> None:
        mark = matcher.mark(index, value)
        if mark in _RANK:
            record_mark(marks[index], sources[index], day, mark, path)  # type: ignore[arg-type]
        elif isinstance(mark, Unread):
            found.warn(path, line, f"{key}{colon} {mark}")
        elif mark is not None:
            found.warn(path, line, f"{key}{colon} {shown(value)} is not a check-off value "
                   "(use true/false, yes/no, done, skip or a number)")

    by_text, keys = matcher.text, matcher.keys
    for text, box, line, under_habits in journal.tasks:
        index = by_text(text)
        if index is not None:
            record_mark(marks[index], sources[index], day, _TASK_MARKS.get(box, "missed"), path)
        else:
            hint = matcher.unmatched(text, under_habits)
            if hint is not None:
                found.warn(path, line, hint)
    for key, normal, value, line in journal.fields:
        index = keys.get(normal)
        if index is not None:
            record(index, value, line, key, "::")
        elif is_check_off_word(value):
            near = matcher.near_key(normal)
            if near is not None:
                found.warn(path, line, f"{key}:: {shown(value)} matches no habit's key; "
                                       f"did you mean {near}::?")
    listed, line = journal.habits, journal.habits_line
    if isinstance(listed, list):
        for name in listed:
            index = matcher.name(link_text(name))
            if index is None:
                found.warn(path, line, f"habits: {link_text(name)!r} matches no habit"
                                       f"{matcher.suggest(link_text(name))}")
            else:
                record_mark(marks[index], sources[index], day, "done", path)
    elif isinstance(listed, dict):
        for name, value in listed.items():
            index = matcher.name(str(name))
            if index is None:
                found.warn(path, line, f"habits: {name!r} matches no habit"
                                       f"{matcher.suggest(str(name))}")
            else:
                record(index, value, line, f"habits: {name}", ":")
    elif listed is not None:
        found.warn(path, line, "habits must be a list or a mapping")
    for key, normal, value, line in journal.props:
        index = keys.get(normal)
        if index is not None:
            record(index, value, line, key, ":")
