"""Habit and goal notes -> their definitions (a habit without its check-offs, a goal
without its tracked values: assemble.py adds those)."""

from __future__ import annotations

import re
from datetime import date

from ..config import Config
from ..errors import Problems
from ..reading.note import Note
from ..reading.text import nfc, normalize_key
from .links import link_target, link_text
from .parse import (
    as_strings,
    bad_day,
    in_measure_unit,
    parse_day,
    parse_measure,
    parse_number,
    parse_schedule,
)
from .task_text import without_global_filter
from .values import Goal, Habit, Milestone, Schedule, schedule_forms

HABIT_STATUSES = ("active", "paused", "retired")


GOAL_STATUSES = ("active", "paused", "done", "dropped")


_MILESTONES = re.compile(r"\bmilestones?\b")


# A Tasks plugin date: its emoji (done, due, scheduled, start, created, cancelled) and
# the word after it, which should be a YYYY-MM-DD day (a placeholder such as 2023-xx-xx
# is reported, and left out of the milestone's text as the day would be).
_TASKS_DATE = re.compile(r"\s*(✅|📅|⏳|🛫|➕|❌)\ufe0f?[ \t]*([^\s📅⏳🛫➕✅❌🔁⏫🔼🔽🔺⏬]*)")
_LOOSE_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


_TASKS_NOISE = re.compile(r"\s*(?:🔁[^📅⏳🛫➕✅❌]*|[⏫🔼🔽🔺⏬])")


_DATE_FIELD = re.compile(r"\s*[\[(](completion|due|created|start|scheduled|cancelled)::\s*"
                         r"([^\])]*)[\])]", re.I)


def habit_of(note: Note, config: Config, found: Problems) -> Habit:
    """Return the habit a habit note defines (its problems go to found)."""
    meta = note.props
    name = str(meta.get("name") or meta.get("title") or note.stem).strip()
    key = normalize_key(str(meta.get("key"))) if meta.get("key") else normalize_key(name)
    schedule = parse_schedule(meta.get("schedule"))
    if schedule is None:
        found.error(note.path, note.line_of("schedule"),
                    f"unknown schedule {link_text(meta.get('schedule'))!r}; use "
                    f"{schedule_forms('[mon, wed, fri]')}")
        schedule = Schedule("days")
    status = str(meta.get("status") or "active").strip().lower()
    if status not in HABIT_STATUSES:
        found.warn(note.path, note.line_of("status"),
               f"unknown habit status {status!r}; use {', '.join(HABIT_STATUSES)}")
        status = "active"
    target = None
    unit = str(meta["unit"]) if meta.get("unit") is not None else None
    if meta.get("target") is not None:
        measure = parse_measure(meta.get("target"))
        problem = None if measure is not None else "target is not a number; ignored"
        if measure is not None and measure[1]:
            target, problem = in_measure_unit(str(meta["target"]), measure[0], unit,
                                              f"“{name}”")
            problem = problem and f"target {problem}"
        elif measure is not None:
            target = measure[0]
        if problem is not None:
            found.warn(note.path, note.line_of("target"), problem)
    direction = str(meta.get("direction") or "at_least").strip().lower().replace("-", "_")
    if direction not in ("at_least", "at_most"):
        found.warn(note.path, note.line_of("direction"), "direction must be at_least or at_most")
        direction = "at_least"
    started = None
    if meta.get("started") is not None:
        started = parse_day(meta.get("started"))
        if started is None:
            found.warn(note.path, note.line_of("started"), bad_day("started", meta["started"]))
    return Habit(
        name=name, key=key, path=note.path, schedule=schedule, status=status,
        aliases=tuple(nfc(a) for a in as_strings(meta.get("aliases"))),
        target=target, unit=unit,
        direction="at_most" if direction == "at_most" else "at_least",
        started=started, goal=link_target(meta.get("goal")),
        area=_area(note, config, found),
    )


def habit_entries(note: Note, found: Problems) -> list[date]:
    """Return the days of a habit note's own `entries:` list."""
    entries = note.props.get("entries")
    if entries is None:
        return []
    days: list[date] = []
    items = entries if isinstance(entries, list) else [entries]
    lines: list[int] | None = None  # (found for the first bad entry: most have none)
    for index, entry in enumerate(items):
        day = parse_day(entry)
        if day is not None:
            days.append(day)
            continue
        if lines is None:
            lines = note.item_lines("entries") if isinstance(entries, list) else []
            if len(lines) != len(items):
                lines = [note.line_of("entries")] * len(items)  # (a list on one line)
        found.warn(note.path, lines[index], bad_day("entry", entry))
    return days


def goal_of(note: Note, config: Config, found: Problems) -> Goal:
    """Return the goal a goal note defines (its problems go to found)."""
    meta = note.props
    title = str(meta.get("title") or note.stem).strip()
    status = str(meta.get("status") or "active").strip().lower()
    if status not in GOAL_STATUSES:
        found.warn(note.path, note.line_of("status"),
               f"unknown goal status {status!r}; use {', '.join(GOAL_STATUSES)}")
        status = "active"
    dates: dict[str, date | None] = {}
    for key in ("start", "deadline", "created"):
        dates[key] = parse_day(meta.get(key))
        if meta.get(key) is not None and dates[key] is None:
            found.warn(note.path, note.line_of(key), bad_day(key, meta[key]))
    start, deadline = dates["start"], dates["deadline"]
    if start and deadline and deadline < start:
        found.warn(note.path, note.line_of("deadline"), "deadline is before start")
    numbers: dict[str, float | None] = {}
    for key in ("baseline", "target", "current"):
        numbers[key] = parse_number(meta.get(key))
        if meta.get(key) is not None and numbers[key] is None:
            found.warn(note.path, note.line_of(key), f"{key} is not a number; ignored")
    target = numbers["target"]
    if target is not None and target == (numbers["baseline"] or 0.0):
        found.warn(note.path, note.line_of("target"),
               "target equals the baseline; progress cannot be measured")
    focus = meta.get("focus")
    aggregate = str(meta.get("aggregate") or "sum").strip().lower()
    if aggregate not in ("sum", "last"):
        found.warn(note.path, note.line_of("aggregate"), "aggregate must be sum or last")
        aggregate = "sum"
    return Goal(
        title=title, path=note.path, status=status,
        area=_area(note, config, found),
        focus=focus is True or str(focus).strip().lower() in ("true", "yes"),
        start=start, deadline=deadline,
        why=str(meta["why"]).strip() if meta.get("why") else None,
        values=tuple(as_strings(meta.get("values"))), created=dates["created"],
        baseline=numbers["baseline"], target=target, current=numbers["current"],
        unit=str(meta["unit"]) if meta.get("unit") is not None else None,
        track=normalize_key(str(meta["track"])) if meta.get("track") else None,
        aggregate="last" if aggregate == "last" else "sum",
        milestones=_milestones(note, config, found),
        aliases=tuple(as_strings(meta.get("aliases"))),
    )


def _milestones(note: Note, config: Config, found: Problems) -> tuple[Milestone, ...]:
    has_heading = any(_MILESTONES.search(h.text.lower()) for h in note.body.headings)
    milestones: list[Milestone] = []
    for item in note.body.items:
        if item.task is None:
            continue
        if has_heading and not any(_MILESTONES.search(s) for s in item.sections):
            continue
        text = item.text
        dates: dict[str, date | None] = {}
        for match in _TASKS_DATE.finditer(text):
            day = parse_day(match.group(2)) if len(match.group(2)) == 10 else None
            if day is None:
                found.warn(note.path, item.line, bad_day(
                    match.group(1), match.group(2), _day_hint(match.group(2))))
            key = {"✅": "completion", "📅": "due"}.get(match.group(1))
            if key:
                dates[key] = day
        for match in _DATE_FIELD.finditer(text):
            key = match.group(1).lower()
            if key in ("completion", "due"):
                dates[key] = parse_day(match.group(2))
                if dates[key] is None:
                    found.warn(note.path, item.line, bad_day(f"[{key}::]", match.group(2)))
        clean = _DATE_FIELD.sub("", _TASKS_DATE.sub("", text))
        clean = without_global_filter(_TASKS_NOISE.sub("", clean).strip(),
                                      config.tasks_global_filter or None)
        milestones.append(Milestone(clean, item.line, done=item.task in "xX",
                                    cancelled=item.task == "-",
                                    completed=dates.get("completion"),
                                    due=dates.get("due")))
    return tuple(milestones)


def _day_hint(text: str) -> str:
    """The outcome of a Tasks date that is no day, with the day it may mean."""
    loose = _LOOSE_DAY.fullmatch(text)
    if loose is not None:
        try:
            meant = date(*map(int, loose.groups()))
        except ValueError:
            return "ignored"
        return f"ignored (did you mean {meant.isoformat()}?)"
    return "ignored"


def _area(note: Note, config: Config, found: Problems) -> str | None:
    """Return a note's life area, warning when it is not one of the configured areas."""
    value = note.props.get("area")
    if not value:
        return None
    area = link_text(value).strip().lower()
    if config.areas and area not in config.areas:
        found.warn(note.path, note.line_of("area"),
               f"area {area!r} is not a configured area ({', '.join(config.areas)}); "
               "fix the spelling or add it to `areas` in .mdmastery/config.toml")
    return area
