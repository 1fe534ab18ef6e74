"""Create notes: a starter vault (`init`), today's journal note, a new goal or habit.

Nothing here overwrites a file: a note that exists is reported and left alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .analytics.habits import done_this_week, listed_on
from .config import CONFIG_PATH, Config, load_config, note_path
from .config.obsidian import read_plugins
from .config.table import DEFAULT_DAILY_FORMAT
from .dates.moment import format_date
from .dates.periods import DEFAULT_FORMATS, FORMATS_APART, PERIODS
from .errors import MdmasteryError
from .load.loader import load_vault
from .model.kinds import journal_path
from .model.model import Model
from .model.parse import parse_schedule
from .model.values import schedule_forms
from .reading.files import holds_notes
from .reading.text import normalize_key
from .writing.notes import WriteResult, create_note
from .writing.paths import safe_name
from .writing.templates import render


class CreateError(ValueError):
    """A note could not be created from the given options."""


@dataclass(frozen=True, slots=True)
class Created:
    results: tuple[WriteResult, ...]
    samples: bool = False  # the starter vault's vision, goal and habits were written


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


DEFAULT_JOURNAL_FOLDER = "Journal"
DEFAULT_IGNORE = ("Templates/**",)  # where the templates of a vault usually are


def init_vault(root: Path, day: date, sample: bool = False) -> Created:
    """Set up a vault in root (made if need be); existing files are left as they are.

    In a folder that holds no note yet (or with sample), a starter vault: the config, a
    vision, a goal, two habits and today's journal note. In one that holds notes, only
    the config (following the vault's Obsidian daily and periodic note settings) and
    today's journal note, where Obsidian would put it.
    """
    try:
        return _init_vault(root, day, sample)
    except OSError as error:
        raise MdmasteryError(f"{root}: cannot create: {error.strerror or error}") from None


def _init_vault(root: Path, day: date, sample: bool) -> Created:
    root.mkdir(parents=True, exist_ok=True)
    existing = holds_notes(root)
    results = [
        create_note(root, CONFIG_PATH, render(root, "config.toml.j2",
                                              _config_context(root, existing))),
        create_note(root, ".mdmastery/.gitignore", "# mdmastery's disposable cache\ncache/\n"),
    ]
    if sample or not existing:
        results.extend(_samples(root, day))
    loaded = load_vault(root)
    results.append(create_today(root, loaded.model, loaded.config, day))
    return Created(tuple(results), samples=sample or not existing)


def _samples(root: Path, day: date) -> list[WriteResult]:
    """Write the starter vault's vision, goal and habits."""
    config = load_config(root)
    return [
        create_note(root, "Vision.md", render(root, "vision.md.j2", {})),
        create_goal(root, config, "Run a half marathon", day, area="health", focus=True,
                    deadline=day + timedelta(days=180),
                    why="To feel strong and finish what I start",
                    target=21.1, baseline=5, unit="km"),
        create_habit(root, config, "Meditate", day, schedule="daily", area="health"),
        create_habit(root, config, "Run", day, schedule="3/week", area="health",
                     goal="Run a half marathon")]


def _config_context(root: Path, existing: bool) -> dict[str, Any]:
    """What the config file init writes says: the journal folder and daily format from
    Obsidian's settings (left as comments, so that a change there is followed), else
    the folder holding most dated notes; review names apart from the vault's periodic
    notes."""
    obsidian = read_plugins(root)
    daily = obsidian.daily
    journal = daily.folder if daily else _journal_folder(root) if existing else None
    # Review names apart from the periodic notes of each kind the vault's settings name.
    formats = {kind: FORMATS_APART[kind] if kind in obsidian.notes else DEFAULT_FORMATS[kind]
               for kind in PERIODS}
    apart = [kind for kind in PERIODS if formats[kind] != DEFAULT_FORMATS[kind]]
    return {"ignore": obsidian.templates or DEFAULT_IGNORE,
            "ignore_from": bool(obsidian.templates),
            "journal": DEFAULT_JOURNAL_FOLDER if journal is None else journal,
            "daily": daily.format if daily else DEFAULT_DAILY_FORMAT,
            "daily_from": daily.source if daily else None,
            "formats": formats,
            "apart": " and ".join(", ".join(f"{kind}ly" for kind in apart).rsplit(", ", 1)),
            "apart_from": ", ".join(sorted({obsidian.notes[kind].source for kind in apart}))}


def _journal_folder(root: Path) -> str | None:
    """Return the folder holding most of the vault's journal notes, if it has any."""
    folders = Counter(path.rsplit("/", 1)[0] if "/" in path else ""
                      for entry in load_vault(root, use_cache=False).model.journal
                      for path in entry.paths)
    return min(folders, key=lambda folder: (-folders[folder], folder)) if folders else None


def next_steps(created: Created) -> list[str]:
    """Say what to do after init."""
    steps = ["Next:", "  mdmastery today             today's journal note, listing the habits "
             "due"]
    if not created.samples:
        steps += ["  mdmastery new habit NAME    a habit to check off each day",
                  "  mdmastery new goal TITLE    a goal (--deadline YYYY-MM-DD, --target N)"]
    steps.append("  mdmastery review            this week's review (mdmastery watch keeps "
                 "it up to date)")
    return steps
