"""Obsidian's and its plugins' settings, as real vaults hold them (mdmastery/obsidian.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, write

from mdmastery.config.obsidian import (
    CALENDAR,
    DAILY_NOTES,
    PERIODIC_NOTES,
    NoteSetting,
    habit_tracker_block_path,
    in_habit_source,
    read_plugins,
)


def settings(root: Path, files: dict[str, Any]) -> Path:
    for path, data in files.items():
        write(root, path, data if isinstance(data, str) else json.dumps(data, indent=2))
    return root


def test_core_daily_notes(tmp_path: Path) -> None:
    root = settings(tmp_path, {DAILY_NOTES: {
        "folder": "Daily/", "format": "DD.MM.YYYY", "template": "Templates/Daily",
        "autorun": False}})
    found = read_plugins(root)
    assert found.daily == NoteSetting("DD.MM.YYYY", "Daily", "Templates/Daily", DAILY_NOTES)
    assert list(found.notes) == ["day"]
    assert found.problems == ()


def test_core_daily_notes_with_nothing_set_are_obsidians_defaults(tmp_path: Path) -> None:
    root = settings(tmp_path, {DAILY_NOTES: {"folder": "", "format": ""}})
    assert read_plugins(root).daily == NoteSetting("YYYY-MM-DD", "", "",
                                                             DAILY_NOTES)


def test_no_obsidian_settings(tmp_path: Path) -> None:
    found = read_plugins(tmp_path)
    assert (found.daily, dict(found.notes), found.tasks_global_filter,
            found.habit_tracker_path, found.problems) == (None, {}, None, None, ())


LEGACY = {  # Periodic Notes 0.x, as its settings tab saves it
    "showGettingStartedBanner": False,
    "hasMigratedDailyNoteSettings": True,
    "hasMigratedWeeklyNoteSettings": True,
    "daily": {"format": "YYYY-MM-DD", "template": "Templates/Daily", "folder": "Journal/Daily",
              "enabled": True},
    "weekly": {"format": "", "template": "Templates/Weekly", "folder": "/Journal/Weekly/",
               "enabled": True},
    "monthly": {"format": "YYYY-MM", "template": "", "folder": "Journal/Monthly",
                "enabled": False},
    "quarterly": {"format": "YYYY-[Q]Q", "template": "", "folder": ""},
    "yearly": {"format": "", "template": "", "folder": ""},
}


def test_periodic_notes_0x(tmp_path: Path) -> None:
    root = settings(tmp_path, {PERIODIC_NOTES: LEGACY,
                               DAILY_NOTES: {"folder": "Old", "format": "DD.MM.YYYY"}})
    notes = read_plugins(root).notes
    assert dict(notes) == {
        "day": NoteSetting("YYYY-MM-DD", "Journal/Daily", "Templates/Daily", PERIODIC_NOTES),
        # An empty format is the plugin's default (locale weeks); the folder is trimmed.
        "week": NoteSetting("gggg-[W]ww", "Journal/Weekly", "Templates/Weekly",
                            PERIODIC_NOTES),
        # monthly is disabled; quarterly was never toggled but has a format: in use;
        # yearly was never toggled nor set: not in use.
        "quarter": NoteSetting("YYYY-[Q]Q", "", "", PERIODIC_NOTES),
    }


CALENDAR_SETS = {  # Periodic Notes 1.x
    "showGettingStartedBanner": False,
    "activeCalendarSet": "Work",
    "calendarSets": [
        {"id": "Default", "ctime": "2023-01-01T10:00:00+01:00",
         "day": {"enabled": True, "format": "YYYY", "folder": "home"}},
        {"id": "Work", "ctime": "2023-02-01T10:00:00+01:00",
         "day": {"enabled": True, "format": "DD-MM-YYYY", "folder": "/Days/",
                 "openAtStartup": False, "templatePath": "Templates/Day.md"},
         "week": {"enabled": True, "format": "", "folder": "Weeks"},
         "month": {"enabled": False, "format": "YYYY-MM", "folder": "Months"},
         "quarter": {"enabled": True, "format": "YYYY-[Q]Q", "folder": "Quarters"}},
    ],
}


def test_periodic_notes_1x_uses_the_active_calendar_set(tmp_path: Path) -> None:
    root = settings(tmp_path, {PERIODIC_NOTES: CALENDAR_SETS})
    notes = read_plugins(root).notes
    assert dict(notes) == {
        "day": NoteSetting("DD-MM-YYYY", "Days", "Templates/Day.md", PERIODIC_NOTES),
        "week": NoteSetting("gggg-[W]ww", "Weeks", "", PERIODIC_NOTES),
        "quarter": NoteSetting("YYYY-[Q]Q", "Quarters", "", PERIODIC_NOTES),
    }


def test_periodic_notes_1x_without_an_active_set_uses_the_first(tmp_path: Path) -> None:
    data = {**CALENDAR_SETS, "activeCalendarSet": "Gone"}
    root = settings(tmp_path, {PERIODIC_NOTES: data})
    assert read_plugins(root).notes["day"].format == "YYYY"


def test_periodic_daily_notes_disabled_leave_the_core_plugins(tmp_path: Path) -> None:
    legacy = {**LEGACY, "daily": {**LEGACY["daily"], "enabled": False}}
    root = settings(tmp_path, {PERIODIC_NOTES: legacy,
                               DAILY_NOTES: {"folder": "Daily", "format": "DD.MM.YYYY"}})
    found = read_plugins(root)
    assert found.daily == NoteSetting("DD.MM.YYYY", "Daily", "", DAILY_NOTES)
    assert "week" in found.notes


def test_a_disabled_plugins_settings_are_not_used(tmp_path: Path) -> None:
    root = settings(tmp_path, {
        ".obsidian/community-plugins.json": ["calendar", "dataview"],
        PERIODIC_NOTES: LEGACY,
        ".obsidian/plugins/obsidian-tasks-plugin/data.json": {"globalFilter": "#task"},
        DAILY_NOTES: {"folder": "Daily", "format": "DD.MM.YYYY"}})
    found = read_plugins(root)
    assert list(found.notes) == ["day"]
    assert found.daily is not None and found.daily.source == DAILY_NOTES
    assert found.tasks_global_filter is None


def test_calendar_plugins_weekly_notes(tmp_path: Path) -> None:
    root = settings(tmp_path, {CALENDAR: {
        "shouldConfirmBeforeCreate": True, "weekStart": "sunday", "wordsPerDot": 250,
        "showWeeklyNote": True, "weeklyNoteFormat": "YYYY-[W]WW",
        "weeklyNoteTemplate": "", "weeklyNoteFolder": "Weekly"}})
    found = read_plugins(root)
    assert found.notes["week"] == NoteSetting("YYYY-[W]WW", "Weekly", "", CALENDAR)
    assert found.week_start == 6


def test_calendar_without_week_numbers_names_no_weekly_notes(tmp_path: Path) -> None:
    root = settings(tmp_path, {CALENDAR: {"showWeeklyNote": False, "weekStart": "locale",
                                          "weeklyNoteFormat": "YYYY-[W]WW"}})
    found = read_plugins(root)
    assert "week" not in found.notes and found.week_start is None


def test_periodic_notes_weekly_notes_win_over_calendars(tmp_path: Path) -> None:
    root = settings(tmp_path, {PERIODIC_NOTES: LEGACY, CALENDAR: {
        "showWeeklyNote": True, "weeklyNoteFormat": "YYYY-[W]WW"}})
    assert read_plugins(root).notes["week"].source == PERIODIC_NOTES


def test_tasks_global_filter_and_habit_tracker_path(tmp_path: Path) -> None:
    root = settings(tmp_path, {
        ".obsidian/community-plugins.json": ["obsidian-tasks-plugin", "habit-tracker-21"],
        ".obsidian/plugins/obsidian-tasks-plugin/data.json": {
            "globalFilter": " #task ", "removeGlobalFilter": False, "setCreatedDate": False},
        ".obsidian/plugins/habit-tracker-21/data.json": {
            "path": "Habits Tracker/", "daysToShow": 21, "debug": False}})
    found = read_plugins(root)
    assert (found.tasks_global_filter, found.habit_tracker_path) == ("#task",
                                                                    "Habits Tracker")


def test_where_the_templates_are(tmp_path: Path) -> None:
    """The core Templates plugin's folder, Templater's (enabled), and the folder of each
    template the note settings name; a template at the top is ignored alone."""
    root = settings(tmp_path, {
        ".obsidian/community-plugins.json": ["periodic-notes", "templater-obsidian"],
        ".obsidian/templates.json": {"folder": "Meta/Templates/"},
        ".obsidian/plugins/templater-obsidian/data.json": {"templates_folder": "Templater"},
        PERIODIC_NOTES: {**LEGACY, "monthly": {"format": "", "template": "Month template",
                                               "folder": "", "enabled": True}}})
    assert read_plugins(root).templates == ("Meta/Templates/**", "Templater/**",
                                            "Templates/**", "Month template.md")


def test_a_disabled_templaters_folder_is_not_used(tmp_path: Path) -> None:
    root = settings(tmp_path, {
        ".obsidian/community-plugins.json": [],
        ".obsidian/plugins/templater-obsidian/data.json": {"templates_folder": "Templater"}})
    assert read_plugins(root).templates == ()


@pytest.mark.parametrize(("text", "line"), [
    ('{\n  "folder": "Daily",\n  "format": "DD.MM.YYYY",\n}\n', 4),  # a trailing comma
    ('["Daily"]', 1),
])
def test_broken_settings_are_a_warning_with_the_line(tmp_path: Path, text: str,
                                                     line: int) -> None:
    root = settings(tmp_path, {DAILY_NOTES: text})
    found = read_plugins(root)
    assert found.daily is None
    assert [(p.path, p.line, p.level) for p in found.problems] == [
        (DAILY_NOTES, line, "warning")]


def test_an_empty_settings_file_is_no_problem(tmp_path: Path) -> None:
    root = settings(tmp_path, {DAILY_NOTES: "", PERIODIC_NOTES: "\n"})
    found = read_plugins(root)
    assert (found.daily, found.problems) == (None, ())


def test_a_bom_is_allowed_and_nothing_is_written(tmp_path: Path) -> None:
    root = settings(tmp_path, {})
    write(root, DAILY_NOTES, b'\xef\xbb\xbf{"folder": "Daily", "format": "DD.MM.YYYY"}')
    before = snapshot(root)
    assert read_plugins(root).daily is not None
    assert snapshot(root) == before


@pytest.mark.parametrize(("block", "expected"), [
    ('{\n\t"path": "Habits/"\n}', ("Habits", None)),
    ('{"path": "habits", "daysToShow": 21, "debug": true}', ("habits", None)),
    ('{"path": "single-habits/minimal-habit.md"}', ("single-habits/minimal-habit.md", None)),
    ('{"daysToShow": 7}', (None, None)),  # the plugin's default path then
])
def test_habittracker_blocks(block: str, expected: tuple[str | None, str | None]) -> None:
    assert habit_tracker_block_path(block) == expected


@pytest.mark.parametrize("block", ["{path: 'Habits'}", "", '["Habits"]'])
def test_a_bad_habittracker_block_is_a_problem(block: str) -> None:
    path, problem = habit_tracker_block_path(block)
    assert path is None and problem is not None and "habittracker" in problem


@pytest.mark.parametrize(("note", "source", "expected"), [
    ("Habits/Meditate.md", "Habits", True),
    ("Habits/Meditate.md", "Habits/", True),
    ("Habits/Old/Meditate.md", "Habits", False),   # subfolders are not read by the plugin
    ("HabitsX/Meditate.md", "Habits", False),
    ("Meditate.md", "Habits", False),
    ("single/minimal.md", "single/minimal.md", True),
    ("single/minimal.md", "single/minimal", True),
    ("single/other.md", "single/minimal", False),
    ("Meditate.md", "", False),
])
def test_notes_of_a_habit_tracker_path(note: str, source: str, expected: bool) -> None:
    assert in_habit_source(note, source) is expected
