"""Notes -> the model: which note is what kind, habit check-offs, goals, journal entries."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache, lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from .analytics import links_to
from .config import Config
from .model import (
    WEEKDAY_NAMES,
    DayNote,
    Goal,
    Habit,
    Journal,
    JournalFacts,
    Mark,
    Milestone,
    Model,
    NoteFacts,
    Problem,
    Schedule,
    Vision,
    day_note,
)
from .moment import parse_date
from .notes import Note, nfc, normalize_key

KIND_ALIASES = {
    "journal": "journal", "daily": "journal", "reflection": "journal",
    "habit": "habit", "goal": "goal", "vision": "vision", "values": "vision",
    "review": "review",
}
HABIT_STATUSES = ("active", "paused", "retired")
GOAL_STATUSES = ("active", "paused", "done", "dropped")
# Front matter keys of a journal note that are never habit check-offs.
RESERVED_KEYS = frozenset({"type", "date", "mood", "energy", "tags", "habits", "title",
                           "aliases", "cssclasses", "created", "updated", "modified"})
SCHEDULE_HELP = ("daily, weekdays, weekends, N/week (3/week), a list of weekdays "
                 "([mon, wed, fri]) or every N days")
DONE_WORDS = frozenset({"true", "yes", "y", "done", "x", "1", "✅", "✔", "✔️", "☑", "☑️"})
NOT_DONE_WORDS = frozenset({"false", "no", "n", "0", "❌", "not done"})
SKIP_WORDS = frozenset({"skip", "skipped", "rest", "-"})

SECTIONS = (
    ("wins", re.compile(r"\bwins?\b|\bwent well\b|\bhighlights?\b")),
    ("lessons", re.compile(r"\blessons?\b|\bsetbacks?\b|\blearned\b|\blearnings?\b")),
    ("gratitude", re.compile(r"\bgratitude\b|\bgrateful\b|\bthankful\b")),
)
_MILESTONES = re.compile(r"\bmilestones?\b")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|\.\d+)")
_TASKS_DATE = re.compile(r"\s*(✅|📅|⏳|🛫|➕|❌)\ufe0f?\s*(\d{4}-\d{2}-\d{2})")
_TASKS_NOISE = re.compile(r"\s*(?:🔁[^📅⏳🛫➕✅❌]*|[⏫🔼🔽🔺⏬])")
_DATE_FIELD = re.compile(r"\s*[\[(](completion|due|created|start|scheduled|cancelled)::\s*"
                         r"([^\])]*)[\])]", re.I)


_new = tuple.__new__

# Days outside these are typos (`0026-11-20`) or hostile: the analytics walk day by
# day from a habit's start, and date arithmetic overflows near the year 1.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def plausible(day: date | None) -> date | None:
    """Return the day if it lies in EARLIEST_DAY..LATEST_DAY, else None."""
    return day if day is not None and EARLIEST_DAY <= day <= LATEST_DAY else None


def bad_day(label: str, value: Any, outcome: str = "ignored") -> str:
    """Say why a value that should be a day is not one mdmastery can use."""
    day: date | None = value if isinstance(value, date) else None
    if isinstance(value, datetime):
        day = value.date()
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip().strip("\"'")[:10])
        except ValueError:
            day = None
    if day is not None:
        return (f"{label} {day.isoformat()} is not between {EARLIEST_DAY.year} and "
                f"{LATEST_DAY.year}; {outcome}")
    return f"{label} {link_text(value)[:40]!r} is not a date (YYYY-MM-DD); {outcome}"


def parse_day(value: Any) -> date | None:
    """Return a date from a YAML date, datetime or ISO string, else None."""
    if isinstance(value, datetime):
        return plausible(value.date())
    if isinstance(value, date):
        return plausible(value)
    if isinstance(value, str):
        text = value.strip().strip("\"'")
        try:
            return plausible(date.fromisoformat(text[:10]))
        except ValueError:
            return None
    return None


def parse_number(value: Any) -> float | None:
    """Return a number from an int, float or a string starting with one ("95 min")."""
    kind = type(value)
    if kind is str:
        return _number_in(value)
    if kind in _NOT_NUMBERS or isinstance(value, bool) or \
            not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


# The types of most front matter values that are not numbers (a journal note's `date`,
# `tags`): one lookup settles them.
_NOT_NUMBERS = frozenset({date, datetime, list, dict, type(None)})


@lru_cache(maxsize=4096)
def _number_in(text: str) -> float | None:
    """parse_number of a string, remembered: notes repeat the same few values."""
    match = _NUMBER.match(text.strip())
    if match is not None:
        try:
            return float(match.group(0).replace(",", "."))
        except ValueError:
            return None
    return None


def as_strings(value: Any) -> list[str]:
    """Return a list of strings from a string ("a, b"), a list or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [link_text(v) for v in value if v is not None and link_text(v)]
    return [str(value)]


def link_text(value: Any) -> str:
    """Return the text of a value that may be an unquoted wikilink (`[[X]]` reads as [['X']])."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and \
            len(value[0]) == 1:
        return f"[[{value[0][0]}]]"
    return str(value).strip()


def link_target(value: Any) -> str | None:
    """Return the note a wikilink value points to: `[[Goals/X|x]]` -> `Goals/X`."""
    if value is None:
        return None
    text = link_text(value)
    match = re.search(r"\[\[([^\]|#^]+)", text)
    target = match.group(1) if match else text
    return target.strip() or None


def note_kind(note: Note, config: Config) -> tuple[str | None, date | None]:
    """Return the note's kind and, for a journal note, its date."""
    meta = note.props
    declared = meta.get("type")
    kind = KIND_ALIASES.get(str(declared).strip().lower()) if declared is not None else None
    if kind is None and declared is None:
        day = journal_date_from_name(note.path, config)
        if day is not None:
            kind = "journal"
        else:
            tags = {t.lstrip("#").lower() for t in as_strings(meta.get("tags"))}
            kind = "goal" if "goal" in tags else "habit" if "habit" in tags else None
    if kind != "journal":
        return kind, None
    return kind, front_matter_day(note, config) or journal_date_from_name(note.path, config)


def front_matter_day(note: Note, config: Config) -> date | None:
    """Return the day of a journal note's `date`, ISO or in a daily-note format."""
    value = note.props.get("date")
    day = parse_day(value)
    if day is None and isinstance(value, str):
        for fmt in config.date_formats:
            day = plausible(parse_date(fmt, value.strip()))
            if day:
                break
    return day


def journal_date_from_name(path: str, config: Config) -> date | None:
    """Return the day a journal file name names, in any of the vault's daily formats."""
    stem = path[:-3] if path.lower().endswith(".md") else path
    name = stem.rsplit("/", 1)[-1]
    for fmt in config.date_formats:
        depth = fmt.count("/")
        candidate = "/".join(stem.split("/")[-(depth + 1):]) if depth else name
        day = plausible(parse_date(fmt, candidate))
        if day is not None:
            return day
    return None


@dataclass
class _Builder:
    """Mutable state while extracting; turned into the frozen Model at the end."""

    config: Config
    problems: list[Problem] = field(default_factory=list)

    def warn(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, "warning", message))

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, "error", message))


def parse_schedule(value: Any) -> Schedule | None:
    """Return the schedule a habit's `schedule` value names, or None if unknown."""
    if value is None:
        return Schedule("days")
    if isinstance(value, list | tuple):
        days = [str(v).strip().lower()[:3] for v in value]
        if days and all(d in WEEKDAY_NAMES for d in days):
            return Schedule("days", frozenset(WEEKDAY_NAMES.index(d) for d in days))
        return None
    text = str(value).strip().lower()
    if text in ("daily", "every day", "everyday"):
        return Schedule("days")
    if text == "weekdays":
        return Schedule("days", frozenset(range(5)))
    if text == "weekends":
        return Schedule("days", frozenset({5, 6}))
    if text == "every other day":
        return Schedule("interval", every=2)
    match = re.fullmatch(r"(\d+)\s*(?:x|times)?\s*(?:/|per|a|an)\s*week", text)
    if match and 1 <= int(match.group(1)) <= 7:
        return Schedule("quota", per_week=int(match.group(1)))
    match = re.fullmatch(r"every\s+(\d+)\s+days?", text)
    if match and int(match.group(1)) >= 1:
        every = int(match.group(1))
        return Schedule("days") if every == 1 else Schedule("interval", every=every)
    parts = [p.strip()[:3] for p in re.split(r"[,\s]+", text.strip("[]")) if p.strip()]
    if parts and all(p in WEEKDAY_NAMES for p in parts):
        return Schedule("days", frozenset(WEEKDAY_NAMES.index(p) for p in parts))
    return None


def _habit(note: Note, b: _Builder) -> Habit:
    meta = note.props
    name = str(meta.get("name") or meta.get("title") or note.stem).strip()
    key = normalize_key(str(meta.get("key"))) if meta.get("key") else normalize_key(name)
    schedule = parse_schedule(meta.get("schedule"))
    if schedule is None:
        b.error(note.path, note.line_of("schedule"),
                f"unknown schedule {link_text(meta.get('schedule'))!r}; use {SCHEDULE_HELP}")
        schedule = Schedule("days")
    status = str(meta.get("status") or "active").strip().lower()
    if status not in HABIT_STATUSES:
        b.warn(note.path, note.line_of("status"),
               f"unknown habit status {status!r}; use {', '.join(HABIT_STATUSES)}")
        status = "active"
    target = None
    if meta.get("target") is not None:
        target = parse_number(meta.get("target"))
        if target is None:
            b.warn(note.path, note.line_of("target"), "target is not a number; ignored")
    direction = str(meta.get("direction") or "at_least").strip().lower().replace("-", "_")
    if direction not in ("at_least", "at_most"):
        b.warn(note.path, note.line_of("direction"), "direction must be at_least or at_most")
        direction = "at_least"
    started = None
    if meta.get("started") is not None:
        started = parse_day(meta.get("started"))
        if started is None:
            b.warn(note.path, note.line_of("started"), bad_day("started", meta["started"]))
    return Habit(
        name=name, key=key, path=note.path, schedule=schedule, status=status,
        aliases=tuple(nfc(a) for a in as_strings(meta.get("aliases"))),
        target=target, unit=str(meta["unit"]) if meta.get("unit") is not None else None,
        direction="at_most" if direction == "at_most" else "at_least",
        started=started, goal=link_target(meta.get("goal")),
        area=_area(note, b),
    )


class _HabitMatcher:
    """Finds which habit a task text, a field key, a link or a name refers to."""

    def __init__(self, habits: Sequence[Habit]) -> None:
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
        text = nfc(text).strip().lower()
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

    def by_name(self, name: str) -> int | None:
        target = link_target(name) or ""
        if "[[" in name:
            return self.by_link(target)
        found = self.exact.get(nfc(target).lower())
        return found if found is not None else self.keys.get(normalize_key(target))


def value_mark(value: Any, habit: Habit) -> Mark | str | None:
    """Return what a check-off value says: a Mark, None (nothing), or an unknown text."""
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
    number = parse_number(value)
    if number is not None and (not isinstance(value, str) or _NUMBER.fullmatch(text.split()[0])):
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


def _record(marks: dict[date, Mark], sources: dict[date, str], day: date, mark: Mark,
            path: str) -> None:
    old = marks.get(day)
    if old is None or _RANK[mark] > _RANK[old]:
        marks[day] = mark
        sources[day] = path


# What a task's box says: done `[x]`, skipped `[-]`, else (`[ ]`, `[>]`...) missed.
_TASK_MARKS: dict[str, Mark] = {"x": "done", "X": "done", "-": "skipped"}


def _check_offs(facts: NoteFacts, journal: JournalFacts, habits: Sequence[Habit],
                matcher: _HabitMatcher, marks: list[dict[date, Mark]],
                sources: list[dict[date, str]], b: _Builder) -> None:
    """Record every habit check-off of one journal note."""
    path, day = facts.path, journal.day

    def record(index: int, value: Any, line: int, key: str, colon: str) -> None:
        mark = matcher.mark(index, value)
        if mark in _RANK:
            _record(marks[index], sources[index], day, mark, path)  # type: ignore[arg-type]
        elif mark is not None:
            b.warn(path, line, f"{key}{colon} {_shown(value)} is not done, not done or "
                   "skip (use true/false, yes/no, done, skip or a number)")

    by_text, keys = matcher.text, matcher.keys
    for text, box in journal.tasks:
        index = by_text(text)
        if index is not None:
            _record(marks[index], sources[index], day, _TASK_MARKS.get(box, "missed"), path)
    for key, normal, value, line in journal.fields:
        index = keys.get(normal)
        if index is not None:
            record(index, value, line, key, "::")
    listed, line = journal.habits, journal.habits_line
    if isinstance(listed, list):
        for name in listed:
            index = matcher.name(link_text(name))
            if index is None:
                b.warn(path, line, f"habits: {link_text(name)!r} matches no habit")
            else:
                _record(marks[index], sources[index], day, "done", path)
    elif isinstance(listed, dict):
        for name, value in listed.items():
            index = matcher.name(str(name))
            if index is None:
                b.warn(path, line, f"habits: {name!r} matches no habit")
            else:
                record(index, value, line, f"habits: {name}", ":")
    elif listed is not None:
        b.warn(path, line, "habits must be a list or a mapping")
    for key, normal, value, line in journal.props:
        index = keys.get(normal)
        if index is not None:
            record(index, value, line, key, ":")


def _scale(note: Note, name: str) -> tuple[int | None, Problem | None]:
    """Return mood or energy (1-5) from front matter or an inline field, or why not."""
    value: Any = None
    line = 1
    props = note.props
    if props.get(name) not in (None, ""):
        value, line = props[name], note.line_of(name)
    else:
        for fld in note.body.fields:
            if normalize_key(fld.key) == name:
                value, line = fld.value, fld.line
                break
    if value is None or value == "":
        return None, None
    if type(value) is int and 1 <= value <= 5:
        return value, None  # the common case, settled as the general one below would
    number = parse_number(value) if not isinstance(value, bool) else None
    if number is None or number != int(number) or not 1 <= number <= 5 or \
            (isinstance(value, str) and not _NUMBER.fullmatch(value.strip())):
        return None, Problem(note.path, line, "warning", f"{name} must be a whole number "
                             f"from 1 to 5, not {_shown(value)}; ignored")
    return int(number), None


def _shown(value: Any) -> str:
    """Show a value in a message: numbers as written, anything else quoted."""
    text = link_text(value)
    if not isinstance(value, bool) and _NUMBER.fullmatch(text):
        return text
    return repr(text)


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


def _milestones(note: Note, b: _Builder) -> tuple[Milestone, ...]:
    has_heading = any(_MILESTONES.search(h.text.lower()) for h in note.body.headings)
    found: list[Milestone] = []
    for item in note.body.items:
        if item.task is None:
            continue
        if has_heading and not any(_MILESTONES.search(s) for s in item.sections):
            continue
        text = item.text
        dates: dict[str, date | None] = {}
        for match in _TASKS_DATE.finditer(text):
            emoji = {"✅": "completion", "📅": "due"}.get(match.group(1))
            if emoji:
                dates[emoji] = parse_day(match.group(2))
                if dates[emoji] is None:
                    b.warn(note.path, item.line, bad_day(match.group(1), match.group(2)))
        for match in _DATE_FIELD.finditer(text):
            key = match.group(1).lower()
            if key in ("completion", "due"):
                dates[key] = parse_day(match.group(2))
                if dates[key] is None:
                    b.warn(note.path, item.line, bad_day(f"[{key}::]", match.group(2)))
        clean = _DATE_FIELD.sub("", _TASKS_DATE.sub("", text))
        clean = _TASKS_NOISE.sub("", clean).strip()
        found.append(Milestone(clean, item.line, done=item.task in "xX",
                               cancelled=item.task == "-",
                               completed=dates.get("completion"), due=dates.get("due")))
    return tuple(found)


def _area(note: Note, b: _Builder) -> str | None:
    """Return a note's life area, warning when it is not one of the configured areas."""
    value = note.props.get("area")
    if not value:
        return None
    area = link_text(value).strip().lower()
    if b.config.areas and area not in b.config.areas:
        b.warn(note.path, note.line_of("area"),
               f"area {area!r} is not a configured area ({', '.join(b.config.areas)}); "
               "fix the spelling or add it to `areas` in .mdmastery/config.toml")
    return area


def _goal(note: Note, b: _Builder) -> Goal:
    meta = note.props
    title = str(meta.get("title") or note.stem).strip()
    status = str(meta.get("status") or "active").strip().lower()
    if status not in GOAL_STATUSES:
        b.warn(note.path, note.line_of("status"),
               f"unknown goal status {status!r}; use {', '.join(GOAL_STATUSES)}")
        status = "active"
    dates: dict[str, date | None] = {}
    for key in ("start", "deadline"):
        dates[key] = parse_day(meta.get(key))
        if meta.get(key) is not None and dates[key] is None:
            b.warn(note.path, note.line_of(key), bad_day(key, meta[key]))
    start, deadline = dates["start"], dates["deadline"]
    if start and deadline and deadline < start:
        b.warn(note.path, note.line_of("deadline"), "deadline is before start")
    numbers: dict[str, float | None] = {}
    for key in ("baseline", "target", "current"):
        numbers[key] = parse_number(meta.get(key))
        if meta.get(key) is not None and numbers[key] is None:
            b.warn(note.path, note.line_of(key), f"{key} is not a number; ignored")
    target = numbers["target"]
    if target is not None and target == (numbers["baseline"] or 0.0):
        b.warn(note.path, note.line_of("target"),
               "target equals the baseline; progress cannot be measured")
    focus = meta.get("focus")
    aggregate = str(meta.get("aggregate") or "sum").strip().lower()
    if aggregate not in ("sum", "last"):
        b.warn(note.path, note.line_of("aggregate"), "aggregate must be sum or last")
        aggregate = "sum"
    return Goal(
        title=title, path=note.path, status=status,
        area=_area(note, b),
        focus=focus is True or str(focus).strip().lower() in ("true", "yes"),
        start=start, deadline=deadline,
        why=str(meta["why"]).strip() if meta.get("why") else None,
        values=tuple(as_strings(meta.get("values"))),
        baseline=numbers["baseline"], target=target, current=numbers["current"],
        unit=str(meta["unit"]) if meta.get("unit") is not None else None,
        track=normalize_key(str(meta["track"])) if meta.get("track") else None,
        aggregate="last" if aggregate == "last" else "sum",
        milestones=_milestones(note, b),
        aliases=tuple(as_strings(meta.get("aliases"))),
    )


def build_model(notes: Iterable[Note], config: Config) -> Model:
    """Turn the vault's notes into habits, goals, journal entries and the vision."""
    return assemble([note_facts(note, config) for note in notes], config)


def note_facts(note: Note, config: Config,
               kind_and_day: tuple[str | None, date | None] | None = None) -> NoteFacts:
    """Return what one note gives the model: its kind's data and its own problems
    (kind_and_day: note_kind's answer, when the caller has it already)."""
    b = _Builder(config)
    b.problems.extend(note.problems)
    journal = habit = goal = vision = None
    entries: list[date] = []
    if note.readable:
        kind, day = kind_and_day or note_kind(note, config)
        if kind == "journal":
            if day is None:
                b.warn(note.path, note.line_of("date"),
                       "journal note has no date (front matter `date` or a dated file name)")
            else:
                if note.props.get("date") is not None and \
                        front_matter_day(note, config) is None:
                    b.warn(note.path, note.line_of("date"), bad_day(
                        "date", note.props["date"], f"the file name's {day} is used"))
                journal = _journal_facts(note, day)
        elif kind == "habit":
            habit = _habit(note, b)
            entries = _entries(note, b)
        elif kind == "goal":
            goal = _goal(note, b)
        elif kind == "vision":
            vision = Vision(note.path, str(note.props.get("title") or note.stem),
                            tuple(as_strings(note.props.get("values"))))
    return NoteFacts(note.path, tuple(b.problems), journal, habit, tuple(entries), goal,
                     vision)


def _entries(note: Note, b: _Builder) -> list[date]:
    """Return the days of a habit note's own `entries:` list."""
    entries = note.props.get("entries")
    if entries is None:
        return []
    days: list[date] = []
    for entry in entries if isinstance(entries, list) else [entries]:
        day = parse_day(entry)
        if day is None:
            b.warn(note.path, note.line_of("entries"), bad_day("entry", entry))
        else:
            days.append(day)
    return days


def _journal_facts(note: Note, day: date) -> JournalFacts:
    body = note.body
    meta = note.meta
    fields = tuple([(f.key, normalize_key(f.key), f.value, f.line) for f in body.fields])
    props = tuple([(key, normalize_key(key), value, note.line_of(key))
                   for key, value in meta.items() if key not in RESERVED_KEYS])
    listed = note.props.get("habits")
    mood, mood_problem = _scale(note, "mood")
    energy, energy_problem = _scale(note, "energy")
    tasks: list[tuple[str, str]] = []
    items: list[tuple[str, str, int]] = []
    for item in body.items:
        text, task = item.text, item.task
        if task is not None:
            tasks.append((text, task))
            if task not in "xX":
                continue
        if text:
            section = _section_of(item.sections)
            if section is not None:
                items.append((section, text, item.line))
    # Every numeric front matter value, then field: what a goal's `track` may name.
    numbers: list[tuple[str, float]] = []
    for key, value in meta.items():
        number = parse_number(value)
        if number is not None:
            numbers.append((normalize_key(key), number))
    for _, normal, value, _ in fields:
        number = parse_number(value)
        if number is not None:
            numbers.append((normal, number))
    # (tuple.__new__: every field given, the named tuple's Python-level __new__ is spared)
    return _new(JournalFacts, (
        day, tuple(tasks), fields, props, listed,
        note.line_of("habits") if listed is not None else 1,
        mood, mood_problem, energy, energy_problem, tuple(items), tuple(numbers)))


def assemble(facts: Iterable[NoteFacts], config: Config) -> Model:
    """Put the notes' facts (in path order) together: check-offs meet their habits,
    journal notes of one day merge, tracked values reach their goals."""
    b = _Builder(config)
    journals: list[tuple[date, NoteFacts, JournalFacts]] = []
    habit_facts: list[NoteFacts] = []
    goals: list[Goal] = []
    vision: Vision | None = None
    count = 0
    for one in facts:
        count += 1
        b.problems.extend(one.problems)
        if one.journal is not None:
            journals.append((one.journal.day, one, one.journal))
        elif one.habit is not None:
            habit_facts.append(one)
        elif one.goal is not None:
            goals.append(one.goal)
        elif one.vision is not None and vision is None:
            vision = one.vision
    journals.sort(key=lambda triple: (triple[0], triple[1].path))

    habit_facts.sort(key=lambda f: f.path)
    habits = [f.habit for f in habit_facts if f.habit is not None]
    by_key: dict[str, Habit] = {}
    for habit in habits:
        if habit.key in by_key:
            first = by_key[habit.key]
            b.error(habit.path, 1, f"habit key {habit.key!r} is also the key of {first.path}; "
                    "give one of them another `key`")
        else:
            by_key[habit.key] = habit
    matcher = _HabitMatcher(habits)
    marks: list[dict[date, Mark]] = [{} for _ in habits]
    sources: list[dict[date, str]] = [{} for _ in habits]
    for index, one in enumerate(habit_facts):
        for day in one.entries:
            _record(marks[index], sources[index], day, "done", one.path)

    for _, one, journal in journals:
        _check_offs(one, journal, habits, matcher, marks, sources, b)
    habits = [_with_marks(h, m, s) for h, m, s in zip(habits, marks, sources, strict=True)]

    goals = _with_tracked(sorted(goals, key=lambda g: g.path), journals)
    _check_links(habits, goals, b)
    focus = [g for g in goals if g.focus and g.status == "active"]
    if len(focus) > 3:
        for goal in focus[3:]:
            b.warn(goal.path, 1, f"{len(focus)} active focus goals; keep the vital few "
                   "(3 or fewer)")
    day_notes = _day_notes(journals, b)  # (it reports problems too)
    problems = sorted(set(b.problems) | set(config.problems))
    return Model(tuple(sorted(habits, key=lambda h: (h.name.lower(), h.path))),
                 tuple(sorted(goals, key=lambda g: (g.title.lower(), g.path))),
                 Journal.of(day_notes), vision, tuple(problems), count)


def update_model(model: Model, old: Mapping[str, NoteFacts | None],
                 new: Mapping[str, NoteFacts | None],
                 day_notes: Callable[[date], Iterable[NoteFacts]],
                 habit_facts: Iterable[NoteFacts], config: Config) -> Model | None:
    """Return the model after some journal notes (or notes of no kind) changed, without
    going through every note: only the days those notes were and are on are assembled
    again. None when a habit, goal or vision note is among them (assemble then).

    old and new give each changed path's facts before and after (None: absent);
    day_notes(day) gives the facts of every journal note of that day as they are now;
    habit_facts, those of every habit note. model must be assemble's result for the
    notes as they were.
    """
    changed = [f for f in (*old.values(), *new.values()) if f is not None]
    if any(f.habit or f.goal or f.vision for f in changed):
        return None
    days = sorted({f.journal.day for f in changed if f.journal is not None})
    b = _Builder(config)
    habits = sorted(model.habits, key=lambda h: h.path)
    matcher = _HabitMatcher(habits)
    entries = {f.path: set(f.entries) for f in habit_facts if f.habit is not None}
    if sorted(entries) != [h.path for h in habits]:
        return None  # the habit notes are not those the model was made from
    marks: list[dict[date, Mark]] = [{} for _ in habits]
    sources: list[dict[date, str]] = [{} for _ in habits]
    touched = set(old) | set(new)  # paths whose problems are found again
    journal: dict[date, list[DayNote]] = {}  # the days assembled again (empty: gone)
    tracked: dict[str, list[tuple[date, float]]] = {
        g.track: [] for g in model.goals if g.track}
    for day in days:
        for index, habit in enumerate(habits):
            if day in entries[habit.path]:
                _record(marks[index], sources[index], day, "done", habit.path)
        notes = sorted(((f, f.journal) for f in day_notes(day) if f.journal is not None
                        and f.journal.day == day), key=lambda pair: pair[0].path)
        for one, facts in notes:
            touched.add(one.path)
            b.problems.extend(one.problems)
            _check_offs(one, facts, habits, matcher, marks, sources, b)
            for key, number in facts.numbers:
                if key in tracked:
                    tracked[key].append((day, number))
        journal[day] = _day_notes([(day, one, facts) for one, facts in notes], b)
    # Notes that are not journal notes (any more) keep only their own problems.
    b.problems.extend(p for f in new.values() if f is not None and f.journal is None
                      for p in f.problems)
    gone = set(days)
    updated: list[Habit] = []
    for habit, mark, source in zip(habits, marks, sources, strict=True):
        if mark == {d: habit.marks[d] for d in days if d in habit.marks} and \
                source == {d: habit.sources[d] for d in days if d in habit.sources}:
            updated.append(habit)  # the same object: the index need not store it again
            continue
        updated.append(_with_marks(
            habit, {**{d: m for d, m in habit.marks.items() if d not in gone}, **mark},
            {**{d: p for d, p in habit.sources.items() if d not in gone}, **source}))
    goals = [replace(g, tracked=tuple(sorted(
        [pair for pair in g.tracked if pair[0] not in gone] + tracked[g.track],
        key=lambda pair: pair[0]))) if g.track else g for g in model.goals]
    kept = [p for p in model.problems if p.path not in touched]
    count = model.note_count + sum(1 for path in new if new[path] is not None) - \
        sum(1 for path in old if old[path] is not None)
    return Model(tuple(sorted(updated, key=lambda h: (h.name.lower(), h.path))),
                 tuple(goals), model.journal.with_days(journal),
                 model.vision, tuple(sorted(set(kept) | set(b.problems))), count)


def _with_marks(habit: Habit, marks: dict[date, Mark], sources: dict[date, str]) -> Habit:
    return replace(habit, marks=dict(sorted(marks.items())),
                   sources=dict(sorted(sources.items())))


def _day_notes(journals: Sequence[tuple[date, NoteFacts, JournalFacts]],
               b: _Builder) -> list[DayNote]:
    """Return journal notes, given in day order then path order, as a journal keeps
    them. Warn of each day of several notes (they are merged), and report the mood and
    energy problems of the notes looked at: the first note of a day with a mood gives it
    (see model.journal_entries), so a bad mood after it is not read, nor reported."""
    notes: list[DayNote] = []
    for day, group in groupby(journals, itemgetter(0)):
        day_journals = list(group)
        if len(day_journals) > 1:
            names = ", ".join(one.path for _, one, _ in day_journals)
            b.warn(day_journals[1][1].path, 1, f"{len(day_journals)} journal notes for "
                   f"{day} ({names}); merged")
        mood = energy = None
        for _, one, journal in day_journals:
            notes.append(day_note(one.path, journal))
            if mood is None:
                mood = journal.mood
                if journal.mood_problem is not None:
                    b.problems.append(journal.mood_problem)
            if energy is None:
                energy = journal.energy
                if journal.energy_problem is not None:
                    b.problems.append(journal.energy_problem)
    return notes


def _with_tracked(goals: Sequence[Goal],
                  journals: Sequence[tuple[date, NoteFacts, JournalFacts]]) -> list[Goal]:
    """Feed each goal's `track` field from the journal notes (front matter or inline)."""
    keys = {g.track for g in goals if g.track}
    if not keys:
        return list(goals)
    values: dict[str, list[tuple[date, float]]] = {key: [] for key in keys}
    for day, _, journal in journals:
        for key, number in journal.numbers:
            if key in keys:
                values[key].append((day, number))
    return [replace(g, tracked=tuple(values[g.track])) if g.track else g for g in goals]


def _check_links(habits: Sequence[Habit], goals: Sequence[Goal], b: _Builder) -> None:
    for habit in habits:
        if habit.goal and not any(links_to(habit.goal, g) for g in goals):
            b.warn(habit.path, 1, f"goal [[{habit.goal}]] matches no goal note")
