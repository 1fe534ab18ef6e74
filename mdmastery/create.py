"""Create notes: a starter vault (`init`), today's journal note, a new goal or habit.

Nothing here overwrites a file: a note that exists is reported and left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .analytics.habits import done_this_week, listed_on
from .config import CONFIG_PATH, Config, load_config, note_path
from .dates.moment import format_date
from .errors import MdmasteryError
from .load.loader import load_vault
from .model.kinds import journal_path
from .model.model import Model
from .model.parse import parse_schedule
from .model.values import schedule_forms
from .reading.text import normalize_key
from .writing.notes import WriteResult, create_note
from .writing.paths import safe_name
from .writing.templates import render


class CreateError(ValueError):
    """A note could not be created from the given options."""


@dataclass(frozen=True, slots=True)
class Created:
    results: tuple[WriteResult, ...]


def due_today(model: Model, day: date, week_start: int) -> list[dict[str, str]]:
    """Return the habits due on day, each with a hint of its target or weekly quota."""
    lines = []
    for habit in model.habits:
        if not listed_on(habit, day, week_start):
            continue
        note = ""
        if habit.schedule.kind == "quota":
            note = f"{done_this_week(habit, day, week_start)} of " \
                   f"{habit.schedule.per_week} this week"
        if habit.target is not None:
            word = "at most" if habit.direction == "at_most" else "target"
            note = f"{word} {habit.target:g}{' ' + habit.unit if habit.unit else ''}"
        lines.append({"name": habit.name, "note": note})
    return lines


def create_today(root: Path, model: Model, config: Config, day: date) -> WriteResult:
    """Create the day's journal note listing the habits due, unless it exists."""
    title = f"{format_date('dddd, MMMM D, YYYY', day)}"
    text = render(root, "journal.md.j2", {
        "day": day.isoformat(), "title": title,
        "habits": due_today(model, day, config.week_start)})
    return create_note(root, journal_path(config, day), text)


def create_goal(root: Path, config: Config, title: str, day: date, *, area: str | None = None,
                deadline: date | None = None, why: str | None = None,
                target: float | None = None, baseline: float | None = None,
                unit: str | None = None, focus: bool = False) -> WriteResult:
    """Create a goal note in the goals folder."""
    name = safe_name(title)
    if deadline is not None and deadline < day:
        raise CreateError(f"deadline {deadline} is before today ({day})")
    text = render(root, "goal.md.j2", {
        "title": title.strip(), "area": area, "focus": focus, "start": day.isoformat(),
        "deadline": deadline.isoformat() if deadline else None, "why": why,
        "target": target, "baseline": baseline, "unit": unit})
    return create_note(root, note_path(config.goals_folder, f"{name}.md"), text)


def create_habit(root: Path, config: Config, title: str, day: date, *,
                 schedule: str = "daily", area: str | None = None,
                 target: float | None = None, unit: str | None = None,
                 goal: str | None = None) -> WriteResult:
    """Create a habit note in the habits folder."""
    if parse_schedule(schedule) is None:
        raise CreateError(f"unknown schedule {schedule!r}; use {schedule_forms('mon,wed,fri')}")
    name = safe_name(title)
    text = render(root, "habit.md.j2", {
        "title": title.strip(), "schedule": schedule, "area": area, "target": target,
        "unit": unit, "goal": goal, "started": day.isoformat(),
        "key": normalize_key(title)})
    return create_note(root, note_path(config.habits_folder, f"{name}.md"), text)


def init_vault(root: Path, day: date) -> Created:
    """Create a starter vault in root (and root, if need be); existing files are left as
    they are."""
    try:
        return _init_vault(root, day)
    except OSError as error:
        raise MdmasteryError(f"{root}: cannot create: {error.strerror or error}") from None


def _init_vault(root: Path, day: date) -> Created:
    root.mkdir(parents=True, exist_ok=True)
    results = [
        create_note(root, CONFIG_PATH, render(root, "config.toml.j2", {})),
        create_note(root, ".mdmastery/.gitignore", "# mdmastery's disposable cache\ncache/\n"),
        create_note(root, "Vision.md", render(root, "vision.md.j2", {})),
    ]
    config = load_config(root)
    results.append(create_goal(
        root, config, "Run a half marathon", day, area="health", focus=True,
        deadline=day + timedelta(days=180), why="To feel strong and finish what I start",
        target=21.1, baseline=5, unit="km"))
    results.append(create_habit(root, config, "Meditate", day, schedule="daily",
                                area="health"))
    results.append(create_habit(root, config, "Run", day, schedule="3/week", area="health",
                                goal="Run a half marathon"))
    loaded = load_vault(root)
    results.append(create_today(root, loaded.model, loaded.config, day))
    return Created(tuple(results))
