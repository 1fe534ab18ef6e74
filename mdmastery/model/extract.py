"""One note -> its facts (facts.py): its kind's data (a journal note's day, tasks,
fields, mood, wins...; a habit's, a goal's or the vision's definition) and its own
problems."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ..config import Config
from ..config.obsidian import habit_tracker_block_path
from ..errors import Problems
from ..reading.note import Note
from ..reading.text import normalize_key
from .assemble import assemble
from .definitions import goal_of, habit_entries, habit_of
from .facts import JournalFacts, NoteFacts
from .kinds import front_matter_day, misnamed_journal_note, note_kind
from .model import Model
from .parse import as_strings, bad_day, measure_in, parse_number
from .scales import Reading, read_value
from .values import Vision

# Front matter keys of a journal note that are never habit check-offs.
RESERVED_KEYS = frozenset({"type", "date", "mood", "energy", "tags", "habits", "title",
                           "aliases", "cssclasses", "created", "updated", "modified"})


SECTIONS = (
    ("wins", re.compile(r"\bwins?\b|\bwent well\b|\bhighlights?\b")),
    ("lessons", re.compile(r"\blessons?\b|\bsetbacks?\b|\blearned\b|\blearnings?\b")),
    ("gratitude", re.compile(r"\bgratitude\b|\bgrateful\b|\bthankful\b")),
)


def extract_facts(note: Note, config: Config,
               kind_and_day: tuple[str | None, date | None] | None = None) -> NoteFacts:
    """Return what one note gives the model: its kind's data and its own problems
    (kind_and_day: note_kind's answer, when the caller has it already)."""
    found = Problems()
    found.extend(note.problems)
    journal = habit = goal = vision = None
    entries: list[date] = []
    if_habit = Problems()
    sources = _habit_sources(note, found) if note.trackers else ()
    kind: str | None = None
    if note.readable:
        kind, day = kind_and_day or note_kind(note, config)
        if kind == "journal":
            if day is None:
                found.warn(note.path, note.line_of("date"),
                       "journal note has no date (front matter `date` or a dated file name)")
            else:
                if note.props.get("date") is not None and \
                        front_matter_day(note, config) is None:
                    found.warn(note.path, note.line_of("date"), bad_day(
                        "date", note.props["date"], f"the file name's {day} is used"))
                journal = _journal_facts(note, day)
        elif kind == "habit":
            habit = habit_of(note, config, found)
            entries = habit_entries(note, found)
        elif kind == "tracker":
            habit = habit_of(note, config, if_habit)
            entries = habit_entries(note, if_habit)
        elif kind == "goal":
            goal = goal_of(note, config, found)
        elif kind == "vision":
            vision = Vision(note.path, str(note.props.get("title") or note.stem),
                            tuple(as_strings(note.props.get("values"))))
        elif kind is None and "type" not in note.props:
            misnamed = misnamed_journal_note(note.path, config)
            if misnamed is not None:
                found.warn(note.path, 1, misnamed)
    return NoteFacts(note.path, tuple(found), journal, habit, tuple(entries), goal,
                     vision, kind == "tracker", tuple(if_habit), sources)


def _habit_sources(note: Note, found: Problems) -> tuple[str, ...]:
    """Return the paths the note's ```habittracker blocks name (a block that is not JSON
    is a warning at its line)."""
    sources: list[str] = []
    for line, text in note.trackers:
        path, problem = habit_tracker_block_path(text)
        if problem is not None:
            found.warn(note.path, line, problem)
        elif path is not None:
            sources.append(path)
    return tuple(sources)


def _journal_facts(note: Note, day: date) -> JournalFacts:
    body = note.body
    meta = note.meta
    fields = tuple([(f.key, normalize_key(f.key), f.value, f.line) for f in body.fields])
    props = tuple([(key, normalize_key(key), value, note.line_of(key))
                   for key, value in meta.items() if key not in RESERVED_KEYS])
    listed = note.props.get("habits")
    mood, mood_line = _level(note, "mood")
    energy, energy_line = _level(note, "energy")
    tasks: list[tuple[str, str, int, bool]] = []
    items: list[tuple[str, str, int]] = []
    for item in body.items:
        text, task = item.text, item.task
        if task is not None:
            tasks.append((text, task, item.line, _under_habits(item.sections)))
            if task not in "xX":
                continue
        if text:
            section = _section_of(item.sections)
            if section is not None:
                items.append((section, text, item.line))
    # Every numeric front matter value, then field: what a goal's `track` may name.
    numbers: list[tuple[str, float]] = []
    durations: list[tuple[str, float, int, str]] = []
    for key, value in meta.items():
        if type(value) is str:
            measure = measure_in(value)
            if measure is not None:
                if measure[1]:
                    durations.append((normalize_key(key), measure[0], note.line_of(key),
                                      value))
                else:
                    numbers.append((normalize_key(key), measure[0]))
        else:
            number = parse_number(value)
            if number is not None:
                numbers.append((normalize_key(key), number))
    for _, normal, value, line in fields:  # (inline fields' values are strings)
        measure = measure_in(value)
        if measure is not None:
            if measure[1]:
                durations.append((normal, measure[0], line, value))
            else:
                numbers.append((normal, measure[0]))
    return JournalFacts(
        day, tuple(tasks), fields, props, listed,
        note.line_of("habits") if listed is not None else 1,
        mood, mood_line, energy, energy_line, tuple(items), tuple(numbers), tuple(durations))


def _level(note: Note, name: str) -> tuple[int | Reading | None, int]:
    """Return mood or energy as written (scales.read_value), from front matter or an
    inline field, and its line."""
    props = note.props
    value = props.get(name)
    if value is not None and value != "":
        return read_value(value, name), note.line_of(name)
    for fld in note.body.fields:
        if normalize_key(fld.key) == name:
            return read_value(fld.value, name), fld.line
    return None, 1


_HABITS_HEADING = re.compile(r"\bhabits?\b")


@lru_cache(maxsize=1024)
def _under_habits(sections: tuple[str, ...]) -> bool:
    """Tell whether the innermost heading above an item names habits (`## Habits`,
    `### Daily habits`, `# Habit tracker`): a task there is meant as a check-off."""
    return bool(sections) and _HABITS_HEADING.search(sections[-1]) is not None


def _section_of(sections: tuple[str, ...]) -> str | None:
    """Return the section (wins, lessons, gratitude) of an item under these headings:
    that of the innermost heading that names one."""
    for heading in reversed(sections):
        name = _section_named(heading)
        if name is not None:
            return name
    return None


@lru_cache(maxsize=4096)
def _section_named(heading: str) -> str | None:
    """The section a heading names, if any (remembered: every note has the same few,
    under a title of its own)."""
    for name, pattern in SECTIONS:
        if pattern.search(heading):
            return name
    return None


def build_model(notes: Iterable[Note], config: Config) -> Model:
    """Turn the vault's notes into habits, goals, journal entries and the vision."""
    return assemble([extract_facts(note, config) for note in notes], config)
