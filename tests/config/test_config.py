"""The vault's settings read by load_config: each value and where it came from (the
defaults, the config file, Obsidian's daily-note settings)."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from mdmastery.config import CONFIG_PATH, DEFAULTS, load_config, read_settings


def test_each_setting_says_where_it_came_from(vault: Path) -> None:
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Daily/", "format": "DD.MM.YYYY"}')
    write(vault, CONFIG_PATH, 'areas = ["Health", "work"]\nweek_start = "sunday"\n'
                              '[folders]\nreviews = "Weekly/"\n')
    settings = read_settings(vault)
    assert settings.problems == ()
    assert {entry.setting.key: entry.where() for entry in settings} == {
        "areas": f"vault config ({CONFIG_PATH}:1)", "ignore": "default",
        "week_start": f"vault config ({CONFIG_PATH}:2)", "max_file_size": "default",
        "folders.reviews": f"vault config ({CONFIG_PATH}:4)",
        "folders.journal": "Obsidian settings (.obsidian/daily-notes.json)",
        "folders.goals": "default", "folders.habits": "default",
        "formats.daily": "Obsidian settings (.obsidian/daily-notes.json)",
        "formats.week": "default", "formats.month": "default", "formats.quarter": "default",
        "formats.year": "default", "folders.habit_tracker": "default",
        "scales.mood": "default", "scales.energy": "default", "tasks.global_filter": "default"}
    config = load_config(vault)
    assert (config.areas, config.week_start, config.reviews_folder, config.journal_folder,
            config.daily_format, config.date_formats) == (
        ("health", "work"), 6, "Weekly", "Daily", "DD.MM.YYYY", ("DD.MM.YYYY", "YYYY-MM-DD"))


def test_a_bad_value_is_a_problem_and_the_default_is_used(vault: Path) -> None:
    write(vault, CONFIG_PATH, "areas = 3\nmax_file_size = -1\n[formats]\ndaily = 5\n")
    settings = read_settings(vault)
    assert [(p.line, p.message.split(" ", 1)[0]) for p in settings.problems] == [
        (1, "areas"), (2, "max_file_size"), (4, "formats.daily")]
    assert settings.effective["areas"].value == DEFAULTS.areas
    assert settings.effective["areas"].where() == "default"
    assert settings["max_file_size"] == DEFAULTS.max_file_size
    assert settings["formats.daily"] == DEFAULTS.daily_format
    assert load_config(vault).problems == settings.problems
