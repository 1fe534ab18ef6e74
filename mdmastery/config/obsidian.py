"""What a vault's Obsidian settings say, read and never written: the settings of the table
they may set (read_obsidian_settings), and the plugins' notes, for init (read_plugins).

- Daily notes: the Periodic Notes plugin's `day` settings when that plugin and its daily
  notes are enabled, else the core Daily Notes plugin's `.obsidian/daily-notes.json`.
- Weekly, monthly, quarterly and yearly notes: Periodic Notes (for weekly notes, else the
  Calendar plugin's weekly note settings when it shows week numbers).
- The Tasks plugin's global filter (`#task`), and Habit Tracker 21's default habit path.
- Where the templates are (the core Templates plugin's and Templater's folders, and the
  templates the daily and periodic note settings name), for init to leave them unread.

Periodic Notes has two layouts: 0.x keeps `daily`, `weekly`, ... objects at the top
(`format`, `folder`, `template`, `enabled`); 1.x keeps them in `calendarSets` (the one whose
`id` is `activeCalendarSet`) under `day`, `week`, ... (`templatePath` for the template).
An empty format is the plugin's default. A plugin left out of
`.obsidian/community-plugins.json` is disabled and its settings are not used (without that
list, settings found are used). A settings file that is not a JSON object is a warning.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..dates.days import WEEKDAY_NAMES
from ..errors import Problem
from .paths import (
    CALENDAR,
    COMMUNITY_PLUGINS,
    DAILY_NOTES,
    HABIT_TRACKER,
    PERIODIC_NOTES,
    TASKS,
    TEMPLATER,
    TEMPLATES,
)
from .table import BY_KEY, Found

KINDS = ("day", "week", "month", "quarter", "year")
# Periodic Notes' (and Daily Notes', Calendar's) format when the setting is empty.
DEFAULT_FORMATS: Mapping[str, str] = MappingProxyType({
    "day": "YYYY-MM-DD", "week": "gggg-[W]ww", "month": "YYYY-MM", "quarter": "YYYY-[Q]Q",
    "year": "YYYY"})
_LEGACY_KEYS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
                "year": "yearly"}


@dataclass(frozen=True, slots=True)
class NoteSetting:
    """Where a plugin creates the notes of one kind of period, and how it names them."""

    format: str    # moment.js
    folder: str    # relative to the vault, without leading or trailing '/'; "" = the root
    template: str  # the template note's path as the plugin has it; "" = none
    source: str    # the settings file it came from
    # The plugin's own values of format and folder (None: unset), checked by the table.
    raw: tuple[Any, Any] = field(default=(None, None), compare=False)


@dataclass(frozen=True, slots=True)
class ObsidianSettings:
    """The settings of Obsidian and its plugins that mdmastery uses."""

    notes: Mapping[str, NoteSetting] = field(
        default_factory=lambda: MappingProxyType({}))  # by kind: day, week, ...
    week_start: int | None = None        # 0 = Monday, from the Calendar plugin
    tasks_global_filter: str | None = None
    habit_tracker_path: str | None = None  # Habit Tracker 21's default path
    templates: tuple[str, ...] = ()  # ignore globs of the templates' folders and notes
    problems: tuple[Problem, ...] = ()

    @property
    def daily(self) -> NoteSetting | None:
        """The daily-note settings, if any."""
        return self.notes.get("day")


def _folder(value: Any) -> str:
    return value.strip().strip("/").strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Reader:
    """Reads settings files, keeping the problems they have."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        plugins = self.json(COMMUNITY_PLUGINS, list)
        self.enabled: set[str] | None = (
            {p for p in plugins if isinstance(p, str)} if plugins is not None else None)

    def json(self, path: str, kind: type = dict) -> Any:
        """Return the JSON value of a settings file, or None if absent or unusable."""
        try:
            text = (self.root / path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(Problem(path, 1, "warning", f"cannot read Obsidian's "
                                         f"settings: {error}; they are not used"))
            return None
        if not text.strip():
            return None  # Obsidian writes empty files for plugins never set up
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self.problems.append(Problem(path, error.lineno, "warning",
                                         f"not valid JSON ({error.msg}); these Obsidian "
                                         "settings are not used"))
            return None
        if not isinstance(data, kind):
            self.problems.append(Problem(path, 1, "warning", "expected a JSON "
                                         f"{'object' if kind is dict else 'list'}; these "
                                         "Obsidian settings are not used"))
            return None
        return data

    def plugin(self, plugin_id: str, path: str) -> dict[str, Any] | None:
        """Return a community plugin's settings, if it is enabled and has them."""
        if self.enabled is not None and plugin_id not in self.enabled:
            return None
        data: dict[str, Any] | None = self.json(path)
        return data


def _periodic_notes(data: dict[str, Any]) -> dict[str, NoteSetting]:
    """Return the enabled kinds of a Periodic Notes settings object (either layout)."""
    found: dict[str, NoteSetting] = {}
    sets = data.get("calendarSets")
    if isinstance(sets, list):
        sets = [s for s in sets if isinstance(s, dict)]
        active = data.get("activeCalendarSet")
        chosen = next((s for s in sets if s.get("id") == active), sets[0] if sets else {})
        for kind in KINDS:
            config = chosen.get(kind)
            if isinstance(config, dict) and config.get("enabled") is True:
                found[kind] = NoteSetting(_text(config.get("format")) or DEFAULT_FORMATS[kind],
                                          _folder(config.get("folder")),
                                          _text(config.get("templatePath")), PERIODIC_NOTES,
                                          (config.get("format"), config.get("folder")))
        return found
    for kind in KINDS:
        config = data.get(_LEGACY_KEYS[kind])
        if not isinstance(config, dict):
            continue
        fmt, folder = _text(config.get("format")), _folder(config.get("folder"))
        # 0.x writes `enabled` once it is toggled; before that, a format or folder the
        # user typed says the kind is in use.
        enabled = config.get("enabled")
        if enabled is True or (enabled is None and (fmt or folder)):
            found[kind] = NoteSetting(fmt or DEFAULT_FORMATS[kind], folder,
                                      _text(config.get("template")), PERIODIC_NOTES,
                                      (config.get("format"), config.get("folder")))
    return found


def read_plugins(root: Path) -> ObsidianSettings:
    """Read the Obsidian settings of the vault at root."""
    reader = _Reader(root)
    notes: dict[str, NoteSetting] = {}
    periodic = reader.plugin("periodic-notes", PERIODIC_NOTES)
    if periodic is not None:
        notes.update(_periodic_notes(periodic))
    if "day" not in notes:
        daily = reader.json(DAILY_NOTES)
        if daily is not None:
            notes["day"] = NoteSetting(_text(daily.get("format")) or DEFAULT_FORMATS["day"],
                                       _folder(daily.get("folder")),
                                       _text(daily.get("template")), DAILY_NOTES,
                                       (daily.get("format"), daily.get("folder")))
    week_start = None
    calendar = reader.plugin("calendar", CALENDAR)
    if calendar is not None:
        if "week" not in notes and calendar.get("showWeeklyNote") is True:
            notes["week"] = NoteSetting(
                _text(calendar.get("weeklyNoteFormat")) or DEFAULT_FORMATS["week"],
                _folder(calendar.get("weeklyNoteFolder")),
                _text(calendar.get("weeklyNoteTemplate")), CALENDAR)
        start = _text(calendar.get("weekStart")).lower()[:3]
        week_start = WEEKDAY_NAMES.index(start) if start in WEEKDAY_NAMES else None
    tasks = reader.plugin("obsidian-tasks-plugin", TASKS) or {}
    habits = reader.plugin("habit-tracker-21", HABIT_TRACKER) or {}
    folders = [_folder((reader.json(TEMPLATES) or {}).get("folder")),
               _folder((reader.plugin("templater-obsidian", TEMPLATER) or {})
                       .get("templates_folder"))]
    return ObsidianSettings(
        notes=MappingProxyType({kind: notes[kind] for kind in KINDS if kind in notes}),
        week_start=week_start,
        tasks_global_filter=_text(tasks.get("globalFilter")) or None,
        habit_tracker_path=_folder(habits.get("path")) or None,
        templates=_template_globs(folders, [note.template for note in notes.values()]),
        problems=tuple(reader.problems),
    )


def _template_globs(folders: list[str], templates: list[str]) -> tuple[str, ...]:
    """Return ignore globs for the templates' folders, and for each template the daily
    and periodic note settings name (its folder; itself when it is at the top)."""
    globs = [f"{folder}/**" for folder in folders if folder]
    for template in map(_folder, templates):
        if "/" in template:
            globs.append(f"{template.rsplit('/', 1)[0]}/**")
        elif template:
            globs.append(template if template.lower().endswith(".md") else f"{template}.md")
    return tuple(dict.fromkeys(globs))


# The settings of the table each daily-note setting sets.
_DAILY_KEYS = (("formats.daily", "format"), ("folders.journal", "folder"))


def read_obsidian_settings(root: Path) -> tuple[dict[str, Found], list[Problem]]:
    """Return the settings of the table that Obsidian's own files give (each checked by
    its kind, with the file it came from), and the problems of odd values."""
    plugins = read_plugins(root)
    found: dict[str, Found] = {}
    problems = list(plugins.problems)
    daily = plugins.daily
    if daily is not None:
        for (key, name), value in zip(_DAILY_KEYS, daily.raw, strict=True):
            if value is None or (name == "format" and isinstance(value, str)
                                 and not value.strip()):
                continue  # unset in Obsidian: its own default, which is ours
            try:
                found[key] = Found(BY_KEY[key].kind.check(value), daily.source)
            except ValueError:
                problems.append(Problem(daily.source, 0, "warning", f"the daily notes' {name} "
                                        f"must be a string, not {json.dumps(value)}; "
                                        "ignored"))
    if plugins.tasks_global_filter:
        found["tasks.global_filter"] = Found(plugins.tasks_global_filter, TASKS)
    if plugins.habit_tracker_path:
        found["folders.habit_tracker"] = Found(plugins.habit_tracker_path, HABIT_TRACKER)
    return found, problems


def habit_tracker_block_path(source: str) -> tuple[str | None, str | None]:
    """Return (path, problem) of a `habittracker` code block's JSON text.

    Habit Tracker 21 reads its block with JSON.parse; `path` names a folder (its notes,
    not those of subfolders, are habits) or one habit note (with or without `.md`).
    """
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        return None, f"habittracker block is not valid JSON ({error.msg}); its habits " \
                     "are not read"
    if not isinstance(data, dict):
        return None, "habittracker block must be a JSON object with a \"path\"; its " \
                     "habits are not read"
    path = _folder(data.get("path"))
    return (path, None) if path else (None, None)


def in_habit_source(note_path: str, source: str) -> bool:
    """Tell whether a note is a habit of a Habit Tracker 21 path (folder or note)."""
    source = _folder(source)
    if not source:
        return False
    if note_path in (source, f"{source}.md"):
        return True
    folder = note_path.rsplit("/", 1)[0] if "/" in note_path else ""
    return folder == source and note_path.lower().endswith(".md")
