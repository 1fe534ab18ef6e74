"""The command line: help, version, vault lookup, exit codes, status and check output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import run, write

from mdmastery import __version__
from mdmastery.cli import cli


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, prefix + name + " "))
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(cli))
def test_every_command_has_help_text(name: str, command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 10, name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts}"


@pytest.mark.parametrize(("name", "command"), all_commands(cli))
def test_every_vault_command_takes_vault(name: str, command: click.Command) -> None:
    if isinstance(command, click.Group) or name in ("init", "cache"):
        return
    assert any("--vault" in getattr(p, "opts", ()) for p in command.params), name


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_usage_error_exits_2(vault: Path) -> None:
    assert run("review", "--vault", str(vault), "--period", "decade").exit_code == 2
    assert run("review", "--vault", str(vault), "--date", "20-11-2026").exit_code == 2
    assert run("review", "--vault", str(vault / "missing")).exit_code == 2


@pytest.mark.parametrize("written", ["20-11-2026", "2026-13-01", "2026-02-30", "2026/11/20",
                                     "20261120", "2026-W47-5", "2026-11-20T10:00", "", "x"])
def test_a_date_option_takes_only_a_real_day(vault: Path, written: str) -> None:
    result = run("review", "--vault", str(vault), "--json", "--date", written)
    assert result.exit_code == 2
    assert f"{written!r} is not a day (YYYY-MM-DD)" in result.output
    result = run("new", "goal", "Run a marathon", "--vault", str(vault), "--deadline", written)
    assert result.exit_code == 2 and "is not a day" in result.output


@pytest.mark.parametrize(("written", "week"), [("2026-11-20", "2026-W47"),
                                               ("2026-1-5", "2026-W02"),
                                               (" 2026-03-01 ", "2026-W09")])
def test_a_date_option_takes_a_day_with_or_without_leading_zeros(
        vault: Path, written: str, week: str) -> None:
    result = run("review", "--vault", str(vault), "--json", "--date", written)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["period"]["label"] == week


def test_vault_found_from_env_and_from_an_ancestor(tmp_path: Path) -> None:
    root = tmp_path / "v"
    write(root, ".obsidian/app.json", "{}")
    write(root, "Habits/Read.md", "---\ntype: habit\n---\n")
    nested = root / "Journal" / "2026"
    nested.mkdir(parents=True)
    env = {**os.environ, "MDMASTERY_TODAY": "2026-11-22"}
    env.pop("MDMASTERY_VAULT", None)
    here = subprocess.run([sys.executable, "-m", "mdmastery", "review", "--json"],
                          cwd=nested, env=env, capture_output=True, text=True, check=True)
    assert json.loads(here.stdout)["habits"][0]["name"] == "Read"
    env["MDMASTERY_VAULT"] = str(root)
    there = subprocess.run([sys.executable, "-m", "mdmastery", "review", "--json"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert json.loads(there.stdout)["habits"][0]["name"] == "Read"


def test_review_reports_problems_on_stderr_and_still_succeeds(vault: Path) -> None:
    write(vault, "Journal/2026-11-20.md", "---\nmood: grand\n---\n")
    result = run("review", "--vault", str(vault), "--json")
    assert result.exit_code == 0
    assert "Journal/2026-11-20.md:2: warning: mood" in result.stderr
    data = json.loads(result.stdout)
    assert data["problems"] == [{"path": "Journal/2026-11-20.md", "line": 2,
                                 "level": "warning", "message": data["problems"][0]["message"]}]


def test_json_has_the_exact_keys_of_the_spec(sample_copy: Path) -> None:
    data = json.loads(run("review", "--vault", str(sample_copy), "--json").stdout)
    assert list(data) == ["period", "habits", "goals", "journal", "areas", "problems"]
    assert list(data["period"]) == ["kind", "label", "start", "end", "as_of"]
    assert list(data["habits"][0]) == [
        "name", "path", "key", "status", "schedule", "due", "done", "skipped", "rate",
        "current_streak", "longest_streak", "strength", "days"]
    assert list(data["goals"][0]) == [
        "title", "path", "status", "area", "focus", "deadline", "progress",
        "progress_at_start", "expected", "at_risk", "overdue", "stale",
        "milestones_done_in_period"]
    assert list(data["journal"]) == ["entries", "mood_avg", "energy_avg", "wins", "lessons",
                                     "gratitude"]
    assert [h["name"] for h in data["habits"]] == sorted(h["name"] for h in data["habits"])
    assert all(set(v) == {"goals", "habits"} for v in data["areas"].values())


def test_status_shows_habits_and_goals(sample_copy: Path) -> None:
    result = run("status", "--vault", str(sample_copy), "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "2026-W47" in result.output
    assert "Meditate" in result.output and "streak 3 (best 10)" in result.output
    assert "Half marathon" in result.output
    as_json = json.loads(run("status", "--vault", str(sample_copy), "--json").stdout)
    assert {"period", "habits", "goals"} <= set(as_json)


def test_check_summary_and_exit_codes(vault: Path) -> None:
    write(vault, "Journal/2026-11-20.md", "---\nmood: 9\n---\n")
    warned = run("check", "--vault", str(vault))
    assert warned.exit_code == 0
    assert warned.output.splitlines()[-1] == "0 errors, 1 warning in 1 note"
    write(vault, "Habits/X.md", "---\ntype: habit\nschedule: fortnightly\n---\n")
    failed = run("check", "--vault", str(vault))
    assert failed.exit_code == 1
    lines = failed.output.splitlines()
    assert lines[0].startswith("Habits/X.md:3: error: unknown schedule 'fortnightly'")
    assert lines[1].startswith("Journal/2026-11-20.md:2: warning:")
    assert lines[-1] == "1 error, 1 warning in 2 notes"
    as_json = json.loads(run("check", "--vault", str(vault), "--format", "json").output)
    assert (as_json["errors"], as_json["warnings"], as_json["notes"]) == (1, 1, 2)


# The console script of the environment running the tests, not whichever `mdmastery` comes
# first on PATH (an older install elsewhere on the machine would pass for it).
SCRIPT = str(Path(sysconfig.get_path("scripts")) / "mdmastery")


def test_console_script_runs() -> None:
    result = subprocess.run([SCRIPT, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "review" in result.stdout


@pytest.mark.parametrize("command", [[sys.executable, "-m", "mdmastery"], [SCRIPT]],
                         ids=["module", "script"])
def test_a_process_says_everything_before_its_quick_exit(command: list[str],
                                                         sample_copy: Path) -> None:
    # __main__.run leaves with os._exit once main() is done: the whole output (the year's JSON
    # is larger than a pipe's buffer) and the exit status must come out as from main().
    env = {**os.environ, "MDMASTERY_TODAY": "2026-11-22"}
    args = ["review", "--vault", str(sample_copy), "--period", "year", "--date",
            "2026-11-20", "--json"]
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 16384
    assert result.stdout == run(*args).stdout
    write(sample_copy, "Habits/X.md", "---\ntype: habit\nschedule: fortnightly\n---\n")
    failed = subprocess.run([*command, "check", "--vault", str(sample_copy)], env=env,
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[-1].startswith("1 error, ")
    usage = subprocess.run([*command, "review", "--period", "decade"], env=env,
                           capture_output=True, text=True)
    assert (usage.returncode, usage.stdout) == (2, "")
    assert "--period" in usage.stderr  # the usage error names the option (in Click's words)


# --- the one exit point (entry.Program) --------------------------------------------------

def test_an_error_the_user_can_act_on_is_one_line_and_exit_1(vault: Path) -> None:
    write(vault, "Reviews/2026-W47.md", "My own note, not a review.\n")
    result = run("review", "--vault", str(vault), "--date", "2026-11-20")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        "Error: Reviews/2026-W47.md: refused: not a review note")
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_of_an_error(vault: Path) -> None:
    from mdmastery.errors import WriteError

    write(vault, "Reviews/2026-W47.md", "My own note, not a review.\n")
    result = run("--debug", "review", "--vault", str(vault), "--date", "2026-11-20")
    assert isinstance(result.exception, WriteError)  # raised, not turned into a message
    assert "refused: not a review note" in str(result.exception)
    process = subprocess.run(
        [sys.executable, "-m", "mdmastery", "--debug", "review", "--vault", str(vault),
         "--date", "2026-11-20"], capture_output=True, text=True,
        env={**os.environ, "MDMASTERY_TODAY": "2026-11-22"})
    assert process.returncode == 1
    assert "Traceback" in process.stderr and "WriteError" in process.stderr


def test_a_system_error_is_one_line_unless_debug(vault: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from mdmastery.load import loader

    def broken(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(vault))

    monkeypatch.setattr(loader, "load_config", broken)
    result = run("check", "--vault", str(vault))
    assert result.exit_code == 1
    assert result.stderr == f"mdmastery: error: [Errno 13] Permission denied: '{vault}'\n"
    assert isinstance(run("--debug", "check", "--vault", str(vault)).exception,
                      PermissionError)


def test_debug_is_an_option_of_the_command_group(vault: Path) -> None:
    assert run("review", "--vault", str(vault), "--debug").exit_code == 2  # not there
    assert "--debug" in run("--help").output
