"""The vault's settings: each value and where it came from (the defaults, the config file,
Obsidian's daily-note settings)."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from mdmastery.config import CONFIG_PATH, DEFAULTS, load_config, read_settings


def test_a_vault_without_settings_has_the_defaults(vault: Path) -> None:
    settings, problems = read_settings(vault)
    assert problems == ()
    assert set(settings) == set(DEFAULTS._fields) - {"problems"}
    assert all(setting.source == "default" for setting in settings.values())
    assert load_config(vault) == DEFAULTS


def test_each_setting_says_where_it_came_from(vault: Path) -> None:
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Daily/", "format": "DD.MM.YYYY"}')
    write(vault, CONFIG_PATH, 'areas = ["Health", "work"]\nweek_start = "sunday"\n'
                              '[folders]\nreviews = "Weekly/"\n')
    settings, problems = read_settings(vault)
    assert problems == ()
    sources = {name: setting.source for name, setting in settings.items()}
    assert sources == {
        "areas": CONFIG_PATH, "ignore": "default", "week_start": CONFIG_PATH,
        "formats": "default", "max_file_size": "default",
        "daily_format": ".obsidian/daily-notes.json",
        "date_formats": ".obsidian/daily-notes.json",
        "reviews_folder": CONFIG_PATH, "journal_folder": ".obsidian/daily-notes.json",
        "goals_folder": "default", "habits_folder": "default"}
    config = load_config(vault)
    assert (config.areas, config.week_start, config.reviews_folder, config.journal_folder,
            config.daily_format, config.date_formats) == (
        ("health", "work"), 6, "Weekly", "Daily", "DD.MM.YYYY", ("DD.MM.YYYY", "YYYY-MM-DD"))


def test_a_bad_value_is_a_problem_and_the_default_is_used(vault: Path) -> None:
    write(vault, CONFIG_PATH, "areas = 3\nmax_file_size = -1\n[formats]\ndaily = 5\n")
    settings, problems = read_settings(vault)
    assert [(p.line, p.message.split(" ", 1)[0]) for p in problems] == [
        (1, "areas"), (2, "max_file_size"), (4, "formats.daily")]
    assert settings["areas"].value == DEFAULTS.areas
    assert settings["areas"].source == "default"
    assert settings["max_file_size"].value == DEFAULTS.max_file_size
    assert settings["daily_format"].value == DEFAULTS.daily_format
