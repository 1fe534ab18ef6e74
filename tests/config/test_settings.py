"""The table of settings: key lines, config validation, sources and precedence, the
Config made from them, `mdmastery config` (issue 22)."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, run, write

from mdmastery.config import CONFIG_PATH, DEFAULTS, Config, load_config
from mdmastery.config.file import check_config, suggest
from mdmastery.config.keylines import key_lines
from mdmastery.config.obsidian import read_obsidian_settings
from mdmastery.config.resolve import SettingError, read_settings
from mdmastery.config.show import format_settings, reference_markdown
from mdmastery.config.table import BY_KEY, FIELDS, SETTINGS, Source

# --- where keys are -----------------------------------------------------------------

# Line by line (the test names lines by number).
TRICKY = "".join(line + "\n" for line in [
    '# a comment with key = "value" in it',
    'areas = [ # the list goes on',
    '  "health",   # a comment, and a ] in a string: "]"',
    '  "growth",',
    ']',
    '"week\\u005fstart" = "sun"',
    "'max_file_size' = 1_000",
    '[ folders ]  # the header, spaced',
    '  reviews = """',
    'habits = "a line of a multi-line string, not a key"',
    'a quote \\""" inside """',
    "  goals = '''",
    "ignore = 'no key either'",
    "'''",
    'folders2.x = { deep = 1, "dotted.key" = [1, 2] }',
    '[[journal]]',
    'name = "one"',
    '[[journal]]',
    'name = "two"',
    '[formats]',
    'week . month = "a dotted key, spaced"',
    'daily = 1979-05-27 07:32:00',
    'year = "YYYY"',
])


def test_key_lines_of_every_toml_form() -> None:
    tomllib.loads(TRICKY)  # it is valid TOML
    lines = key_lines(TRICKY)
    assert lines[("areas",)] == 2
    assert lines[("week_start",)] == 6
    assert lines[("max_file_size",)] == 7
    assert lines[("folders",)] == 8
    assert lines[("folders", "reviews")] == 9
    assert lines[("folders", "goals")] == 12
    assert ("habits",) not in lines and ("folders", "habits") not in lines
    assert ("ignore",) not in lines and ("folders", "ignore") not in lines
    assert lines[("folders", "folders2", "x", "deep")] == 15
    assert lines[("folders", "folders2", "x", "dotted.key")] == 15
    assert lines[("journal", 0, "name")] == 17
    assert lines[("journal", 1, "name")] == 19
    assert lines[("formats", "week", "month")] == 21
    assert lines[("formats", "daily")] == 22
    assert lines[("formats", "year")] == 23


def test_key_lines_with_windows_line_ends_and_no_final_newline() -> None:
    text = 'areas = ["a"]\r\n\r\n[folders]\r\nreviews = "R"'
    assert key_lines(text) == {("areas",): 1, ("folders",): 3, ("folders", "reviews"): 4}


@pytest.mark.parametrize("made", [None, "", "periodic-notes"])
def test_every_key_of_the_shipped_configs_is_found_on_its_line(
        made: str | None, tmp_path: Path) -> None:
    """The sample vault's config, and those init writes into an empty folder and into a
    vault with Periodic Notes' settings."""
    path = SAMPLE / CONFIG_PATH
    if made is not None:
        vault = tmp_path / "vault"
        if made:
            shutil.copytree(ROOT / "tests/vaults" / made, vault)
        assert run("init", str(vault)).exit_code == 0
        path = vault / CONFIG_PATH
    text = path.read_text(encoding="utf-8")
    lines = key_lines(text)

    def walk(table: dict[str, object], prefix: tuple[str, ...]) -> None:
        for key, value in table.items():
            line = text.splitlines()[lines[(*prefix, key)] - 1]
            assert line.lstrip().startswith((key, f"[{key}]")), (key, line)
            if isinstance(value, dict):
                walk(value, (*prefix, key))

    walk(tomllib.loads(text), ())


# --- checking the config file ------------------------------------------------------------


def messages(text: str) -> list[str]:
    return [str(problem) for problem in check_config(text).problems]


def test_unknown_keys_are_warnings_with_a_suggestion_at_their_line() -> None:
    text = ('week-start = "sunday"\n'
            "reviews = \"Weekly\"\n"
            "colour = \"red\"\n"
            "[folders]\n"
            "reveiws = \"R\"\n"
            "[folder]\n"
            "habits = \"H\"\n"
            "[formats]\n"
            "weekly = \"GGGG-[W]WW\"\n")
    assert messages(text) == [
        f"{CONFIG_PATH}:1: warning: unknown key week-start; did you mean week_start? "
        "(ignored)",
        f"{CONFIG_PATH}:2: warning: unknown key reviews; did you mean folders.reviews? "
        "(ignored)",
        f"{CONFIG_PATH}:3: warning: unknown key colour (ignored)",
        f"{CONFIG_PATH}:5: warning: unknown key folders.reveiws; did you mean "
        "folders.reviews? (ignored)",
        f"{CONFIG_PATH}:7: warning: unknown key folder.habits; did you mean "
        "folders.habits? (ignored)",
        f"{CONFIG_PATH}:9: warning: unknown key formats.weekly; did you mean formats.week? "
        "(ignored)",
    ]
    assert check_config(text).values == {}


@pytest.mark.parametrize(("unknown", "meant"), [
    ("Week_Start", "week_start"), ("week start", "week_start"), ("area", "areas"),
    ("ignores", "ignore"), ("max_size", "max_file_size"), ("daily", "formats.daily"),
    ("folders.daily", "formats.daily"), ("folder", "folders"), ("format", "formats"),
    ("formats.quater", "formats.quarter"), ("folders.goal", "folders.goals"),
    ("mood_scale", None), ("x", None)])
def test_suggestions(unknown: str, meant: str | None) -> None:
    known = (*(key for key in BY_KEY if BY_KEY[key].in_file), "folders", "formats")
    assert suggest(unknown, known) == meant


def test_wrong_kinds_are_errors_at_their_line_and_the_value_is_not_used() -> None:
    text = ('areas = "health"\n'
            "ignore = [\"Templates/**\",\n  3]\n"
            "week_start = \"someday\"\n"
            "max_file_size = true\n"
            "folders = \"Reviews\"\n"
            "[formats]\n"
            "daily = \"  \"\n"
            "week = 7\n"
            "month = \"YYYY-MM\"\n")
    checked = check_config(text)
    assert [str(problem) for problem in checked.problems] == [
        f'{CONFIG_PATH}:1: error: areas must be a list of names, not "health"; ignored',
        f'{CONFIG_PATH}:2: error: ignore must be a list of strings, not ["Templates/**", 3]; '
        "ignored",
        f"{CONFIG_PATH}:4: error: week_start must be a weekday (monday, sunday, ...), not "
        '"someday"; ignored',
        f"{CONFIG_PATH}:5: error: max_file_size must be a whole number above 0, not true; "
        "ignored",
        f"{CONFIG_PATH}:6: error: folders must be a table ([folders] with reviews, journal, "
        'goals, habits, habit_tracker), not "Reviews"; ignored',
        f'{CONFIG_PATH}:8: error: formats.daily must be a date format (moment.js, e.g. '
        '"YYYY-MM-DD"), not "  "; ignored',
        f"{CONFIG_PATH}:9: error: formats.week must be a date format (moment.js, e.g. "
        '"YYYY-MM-DD"), not 7; ignored',
    ]
    assert checked.values == {"formats.month": ("YYYY-MM", f"{CONFIG_PATH}:10")}


def test_keys_only_the_environment_or_command_line_may_set() -> None:
    assert messages('vault = "/elsewhere"\ntoday = 2026-01-01\n') == [
        f"{CONFIG_PATH}:1: warning: vault cannot be set in the config file; use --vault or "
        "MDMASTERY_VAULT (ignored)",
        f"{CONFIG_PATH}:2: warning: today cannot be set in the config file; use "
        "MDMASTERY_TODAY (ignored)"]


def test_invalid_toml_is_one_error_at_its_line() -> None:
    checked = check_config('areas = ["health"]\n\nweek_start = "sun\n')
    assert [(p.path, p.line, p.level) for p in checked.problems] == [(CONFIG_PATH, 3, "error")]
    assert checked.values == {}


def test_values_are_normalised_as_the_program_uses_them() -> None:
    checked = check_config('areas = [" Health ", "", "GROWTH"]\nweek_start = "Sun"\n'
                           '[folders]\nreviews = "/Reviews/Weekly/"\n')
    assert {key: found.value for key, found in checked.values.items()} == {
        "areas": ("health", "growth"), "week_start": 6,
        "folders.reviews": "Reviews/Weekly"}


# --- Obsidian's settings ---------------------------------------------------------------


def test_periodic_notes_settings_come_before_the_core_daily_notes(tmp_path: Path) -> None:
    write(tmp_path, ".obsidian/daily-notes.json", '{"format": "DD.MM.YYYY", "folder": "D"}')
    write(tmp_path, ".obsidian/plugins/periodic-notes/data.json",
          '{"daily": {"enabled": true, "format": "YYYY/MM/DD", "folder": "Journal/"}}')
    found, problems = read_obsidian_settings(tmp_path)
    assert found == {
        "formats.daily": ("YYYY/MM/DD", ".obsidian/plugins/periodic-notes/data.json"),
        "folders.journal": ("Journal", ".obsidian/plugins/periodic-notes/data.json")}
    assert problems == []

    write(tmp_path, ".obsidian/plugins/periodic-notes/data.json",
          '{"daily": {"enabled": false, "format": "YYYY/MM/DD"}}')
    found, _ = read_obsidian_settings(tmp_path)
    assert found == {"formats.daily": ("DD.MM.YYYY", ".obsidian/daily-notes.json"),
                     "folders.journal": ("D", ".obsidian/daily-notes.json")}


def test_a_bad_obsidian_setting_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, ".obsidian/daily-notes.json", '{"format": "", "folder": 3}')
    found, problems = read_obsidian_settings(tmp_path)
    assert found == {}
    assert [str(p) for p in problems] == [
        ".obsidian/daily-notes.json:0: warning: the daily notes' folder must be a string, "
        "not 3; ignored"]


# --- sources and precedence -------------------------------------------------------------


def five_source_vault(root: Path) -> Path:
    """A vault where each of the five sources sets something, and some set the same key."""
    write(root, CONFIG_PATH, '# settings\nweek_start = "sunday"\n\n[folders]\n'
                             'journal = 3\nreviews = "Weekly"\n[formats]\nweek = "YYYY-[W]ww"\n')
    write(root, ".obsidian/daily-notes.json",
          '{"format": "DD.MM.YYYY", "folder": "Daily"}')
    return root


def test_each_setting_comes_from_the_highest_source_that_sets_it(tmp_path: Path) -> None:
    vault = five_source_vault(tmp_path / "vault")
    settings = read_settings(
        vault, environ={"MDMASTERY_TODAY": "2026-11-20", "MDMASTERY_VAULT": "/elsewhere"},
        command_line={"vault": vault}, today=date(2026, 11, 22))

    where = {entry.setting.key: (entry.shown(), entry.where()) for entry in settings}
    assert where == {
        "vault": (vault, "command line (--vault)"),
        "today": (date(2026, 11, 20), "environment (MDMASTERY_TODAY)"),
        "areas": (("career", "finances", "relationships", "health", "growth", "leisure"),
                  "default"),
        "ignore": ((), "default"),
        "week_start": ("sunday", f"vault config ({CONFIG_PATH}:2)"),
        "max_file_size": (5_000_000, "default"),
        "folders.reviews": ("Weekly", f"vault config ({CONFIG_PATH}:6)"),
        # journal = 3 in the file is an error: the next source sets it.
        "folders.journal": ("Daily", "Obsidian settings (.obsidian/daily-notes.json)"),
        "folders.goals": ("Goals", "default"),
        "folders.habits": ("Habits", "default"),
        "formats.daily": ("DD.MM.YYYY", "Obsidian settings (.obsidian/daily-notes.json)"),
        "formats.week": ("YYYY-[W]ww", f"vault config ({CONFIG_PATH}:8)"),
        "formats.month": ("YYYY-MM", "default"),
        "formats.quarter": ("YYYY-[Q]Q", "default"),
        "formats.year": ("YYYY", "default"),
        "folders.habit_tracker": ("", "default"),
        "scales.mood": (None, "default"), "scales.energy": (None, "default"),
        "tasks.global_filter": ("", "default"),
    }
    assert [str(p) for p in settings.problems] == [
        f"{CONFIG_PATH}:5: error: folders.journal must be a folder, relative to the vault, "
        "not 3; ignored"]
    assert settings.effective["vault"].shadowed == (
        (Source.ENVIRONMENT, (Path("/elsewhere"), "MDMASTERY_VAULT")),
        (Source.DEFAULT, (vault, "")))
    assert settings["today"] == date(2026, 11, 20)
    assert settings.as_json()[:2] == [
        {"key": "vault", "value": str(vault), "source": "command line", "origin": "--vault"},
        {"key": "today", "value": "2026-11-20", "source": "environment",
         "origin": "MDMASTERY_TODAY"}]
    json.dumps(settings.as_json())  # all of it is JSON data


def test_the_config_file_comes_before_obsidian_which_is_still_known(tmp_path: Path) -> None:
    vault = five_source_vault(tmp_path / "vault")
    write(vault, CONFIG_PATH, '[formats]\ndaily = "YYYY-MM-DD ddd"\n')
    settings = read_settings(vault, environ={}, command_line={}, today=date(2026, 11, 22))
    daily = settings.effective["formats.daily"]
    assert (daily.value, daily.source) == ("YYYY-MM-DD ddd", Source.CONFIG)
    assert daily.shadowed[0] == (Source.OBSIDIAN,
                                 ("DD.MM.YYYY", ".obsidian/daily-notes.json"))
    assert settings.effective["vault"].where() == "default"
    assert settings["today"] == date(2026, 11, 22)


@pytest.mark.parametrize("blank", ["", "  "])
def test_an_empty_environment_variable_is_unset(tmp_path: Path, blank: str) -> None:
    settings = read_settings(tmp_path, environ={"MDMASTERY_TODAY": blank},
                             command_line={}, today=date(2026, 11, 22))
    assert settings.effective["today"].source is Source.DEFAULT


def test_a_bad_environment_value_is_an_error_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="MDMASTERY_TODAY='2026-13-01'"):
        read_settings(tmp_path, environ={"MDMASTERY_TODAY": "2026-13-01"}, command_line={},
                      today=date(2026, 11, 22))


def test_every_setting_has_help_and_a_default_or_says_how_it_is_found() -> None:
    for setting in SETTINGS:
        assert setting.help.endswith(".") and len(setting.help) > 15, setting.key
        assert setting.default is not None or setting.default_text, setting.key
        assert setting.sources[-1] is Source.DEFAULT, setting.key
        if setting.default is not None:  # shown as one writes it, it reads back the same
            shown = setting.kind.show(setting.default)
            assert setting.kind.check(shown) == setting.default, setting.key


# --- the Config made from the table ---------------------------------------------------


def test_a_vault_without_settings_has_the_defaults(vault: Path) -> None:
    settings = read_settings(vault)
    assert settings.problems == ()
    assert [entry.setting for entry in settings] == list(FIELDS.values())
    assert all(entry.source is Source.DEFAULT for entry in settings)
    assert load_config(vault) == DEFAULTS == Config()
    assert {field: getattr(DEFAULTS, field) for field in FIELDS} == {
        field: key.default for field, key in FIELDS.items()}
    assert dict(DEFAULTS.formats) == {"week": "GGGG-[W]WW", "month": "YYYY-MM",
                                      "quarter": "YYYY-[Q]Q", "year": "YYYY"}
    assert DEFAULTS.date_formats == ("YYYY-MM-DD",)


@pytest.mark.parametrize("config_text", [
    "",
    'areas = ["Health", "growth"]\nignore = ["Templates/**"]\nweek_start = "Sun"\n'
    "max_file_size = 1000\n[folders]\nreviews = \"R/\"\njournal = \"J\"\ngoals = \"G\"\n"
    'habits = "H"\n[formats]\ndaily = "DD.MM.YYYY"\nweek = "YYYY-[W]ww"\nmonth = "MM-YYYY"\n'
    'quarter = "[Q]Q-YYYY"\nyear = "[Y]YYYY"\n'])
def test_the_config_holds_each_settings_value(tmp_path: Path, config_text: str) -> None:
    write(tmp_path, CONFIG_PATH, config_text)
    write(tmp_path, ".obsidian/plugins/periodic-notes/data.json",
          '{"daily": {"format": "YYYY/MM/DD", "folder": "Days"}}')
    settings = read_settings(tmp_path)
    config = load_config(tmp_path)
    assert settings.problems == () and config.problems == ()
    assert {field: getattr(config, field) for field in FIELDS} == {
        field: settings[key.key] for field, key in FIELDS.items()}
    assert dict(config.formats) == {kind: settings[f"formats.{kind}"]
                                    for kind in ("week", "month", "quarter", "year")}
    # Journal notes named in Obsidian's format (or the default) are recognised too.
    assert config.date_formats == tuple(dict.fromkeys(
        (settings["formats.daily"], "YYYY/MM/DD", "YYYY-MM-DD")))


def test_a_config_is_frozen_compared_by_value_and_names_every_setting() -> None:
    sunday = Config(week_start=6, reviews_folder="Weekly")
    assert sunday == Config(reviews_folder="Weekly", week_start=6) != DEFAULTS
    assert (sunday.week_start, sunday.areas) == (6, DEFAULTS.areas)
    with pytest.raises(AttributeError):
        sunday.week_start = 0  # type: ignore[misc]
    with pytest.raises(TypeError, match="no setting week_starts"):
        Config(week_starts=6)
    # The index keys what it keeps by the repr: every setting must be in it.
    assert all(f"{field}=" in repr(sunday) for field in FIELDS)
    assert "week_start=6" in repr(sunday) and "problems=()" in repr(sunday)


# --- the docs show the table ------------------------------------------------------------


def test_docs_configuration_holds_the_table() -> None:
    docs = (ROOT / "docs/configuration.md").read_text(encoding="utf-8")
    begin, end = "<!-- settings table: begin -->\n", "<!-- settings table: end -->"
    assert docs[docs.index(begin) + len(begin):docs.index(end)] == reference_markdown(), (
        "regenerate the table: python -c 'from mdmastery.config.show import "
        "reference_markdown as r; print(r(), end=\"\")'")


# --- the command line (phase B) ---------------------------------------------------------


def test_config_command_shows_each_source(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    vault = five_source_vault(tmp_path / "vault")
    monkeypatch.setenv("MDMASTERY_VAULT", "/elsewhere")
    result = run("config", "--vault", str(vault), "--json", today="2026-11-20")
    assert result.exit_code == 0, result.output
    entries = {entry["key"]: entry for entry in json.loads(result.stdout)}
    assert {key: (entry["source"], entry["origin"]) for key, entry in entries.items()
            if key in ("vault", "today", "areas", "folders.reviews", "formats.daily")} == {
        "vault": ("command line", "--vault"),
        "today": ("environment", "MDMASTERY_TODAY"),
        "areas": ("default", ""),
        "folders.reviews": ("vault config", f"{CONFIG_PATH}:6"),
        "formats.daily": ("Obsidian settings", ".obsidian/daily-notes.json")}
    assert result.stderr == (f"{CONFIG_PATH}:5: error: folders.journal must be a folder, "
                             "relative to the vault, not 3; ignored\n")
    text = run("config", "--vault", str(vault), today="2026-11-20")
    assert text.exit_code == 0
    lines = {line.split(" = ")[0]: line for line in text.stdout.splitlines()}
    assert re.fullmatch(r'folders\.reviews = "Weekly" +# vault config '
                        rf"\({re.escape(CONFIG_PATH)}:6\)", lines["folders.reviews"])
    assert lines["today"].startswith("today = 2026-11-20 ")
    assert lines["today"].endswith("# environment (MDMASTERY_TODAY)")


def test_check_reports_an_unknown_config_key_with_a_suggestion(vault: Path) -> None:
    write(vault, CONFIG_PATH, "[folders]\nreveiws = \"R\"\n")
    result = run("check", "--vault", str(vault))
    assert (f"{CONFIG_PATH}:2: warning: unknown key folders.reveiws; did you mean "
            "folders.reviews? (ignored)") in result.stdout


def test_the_settings_as_text_are_toml_with_their_sources(tmp_path: Path) -> None:
    vault = five_source_vault(tmp_path)
    settings = read_settings(vault, environ={"MDMASTERY_TODAY": "2026-11-20"},
                             command_line={}, today=date(2026, 11, 22))
    lines = format_settings(settings).splitlines()
    pairs = [[part.strip() for part in line.split("  # ")] for line in lines]
    assert len(lines) == len(SETTINGS)
    assert pairs[1] == ["today = 2026-11-20", "environment (MDMASTERY_TODAY)"]
    assert pairs[6] == ['folders.reviews = "Weekly"', f"vault config ({CONFIG_PATH}:6)"]
    assert pairs[7] == ['folders.journal = "Daily"',
                        "Obsidian settings (.obsidian/daily-notes.json)"]
    assert pairs[2][0].startswith('areas = ["career", "finances", "relationships", ')
    # The sources line up (but after a long value).
    assert len({line.index("  # ") for line, pair in zip(lines, pairs, strict=True)
                if len(pair[0]) < 48}) == 1
    file_lines = "\n".join(line for line in lines if "vault config" in line) + "\n"
    assert tomllib.loads(file_lines) == {
        "week_start": "sunday", "folders": {"reviews": "Weekly"},
        "formats": {"week": "YYYY-[W]ww"}}
