"""The facts of one note: what it gives the model on its own, found without looking at
any other note (model/extract.py finds them; the index keeps them; assemble.py puts them
together)."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from ..errors import Problem
from .scales import Reading
from .values import Goal, Habit, Vision


# The facts of a note are named tuples, not frozen dataclasses: one or two per note of a
# cold run (built, pickled, unpickled), and a tuple class is quicker to build and to
# define at import than a dataclass.
class JournalFacts(NamedTuple):
    """What one journal note holds for the model, before it meets the habits and goals."""

    day: date
    # (text, box, line, under a habits heading) of each task
    tasks: tuple[tuple[str, str, int, bool], ...] = ()
    # Inline fields, then front matter keys that may be check-offs:
    # (key as written, normalised key, value, line).
    fields: tuple[tuple[str, str, Any, int], ...] = ()
    props: tuple[tuple[str, str, Any, int], ...] = ()
    habits: Any = None  # the `habits:` value as written
    habits_line: int = 1
    # Mood and energy as written (scales.read_value: a whole number as an int), read on
    # the vault's scale once every note is known; the line, for a problem.
    mood: int | Reading | None = None
    mood_line: int = 1
    energy: int | Reading | None = None
    energy_line: int = 1
    items: tuple[tuple[str, str, int], ...] = ()  # (section, text, line) of wins, lessons...
    # (normalised key, number) of every numeric key and field, for goals' `track`.
    numbers: tuple[tuple[str, float], ...] = ()
    # (normalised key, minutes, line, text) of every duration (`1h 30m`) or h:mm value:
    # what it is in a goal's unit is known only once the goal is.
    durations: tuple[tuple[str, float, int, str], ...] = ()


class NoteFacts(NamedTuple):
    """Everything one note gives the model, found without looking at any other note.

    The model is assembled from these (assemble.py); the index keeps them, so a
    changed note costs its own parse and an assembly, not a parse of the vault.
    """

    path: str
    problems: tuple[Problem, ...] = ()
    journal: JournalFacts | None = None
    habit: Habit | None = None  # without check-offs
    entries: tuple[date, ...] = ()  # a habit note's own `entries:` days
    goal: Goal | None = None  # without tracked values
    vision: Vision | None = None
    # A note of no type with `entries:` is a habit only when a Habit Tracker 21 path
    # names it (tracker): its habit, and its own problems (if_habit), count only then.
    tracker: bool = False
    if_habit: tuple[Problem, ...] = ()
    # The paths the note's ```habittracker blocks name (folders or notes of habits).
    habit_sources: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Tell whether the note gives the model nothing but being counted."""
        return not (self.problems or self.journal or self.habit or self.goal or self.vision
                    or self.habit_sources)
