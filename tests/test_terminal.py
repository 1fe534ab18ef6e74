"""Terminal habits (issue 22): --json on every command that reports, --quiet, colours only
on a terminal and never with NO_COLOR."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sysconfig
from pathlib import Path

import click
import pytest
from conftest import run, write
from test_cli import all_commands

from mdmastery.cli import cli
from mdmastery.errors import Problem
from mdmastery.report import Reporter

SCRIPTS = Path(sysconfig.get_path("scripts"))
BROKEN = "---\ntitle: [oops\n---\nbody\n"
PROBLEM_LINE = "broken.md:3: error: "
# Commands whose --quiet would leave nothing to show: what they print is what was asked.
WITHOUT_QUIET = {"status", "config"}


def leaf_commands() -> list[tuple[str, click.Command]]:
    return [(name, command) for name, command in all_commands(cli)
            if not isinstance(command, click.Group)]


def options_of(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", ())}


@pytest.mark.parametrize(("name", "command"), leaf_commands())
def test_every_command_has_json_and_quiet_unless_it_is_all_it_prints(
        name: str, command: click.Command) -> None:
    assert "--json" in options_of(command), name
    assert ({"-q", "--quiet"} <= options_of(command)) == (name not in WITHOUT_QUIET), name


def a_vault(root: Path) -> Path:
    write(root, ".mdmastery/config.toml", "")
    write(root, "Habits/Meditate.md", "---\ntype: habit\n---\n")
    write(root, "Goals/Run.md", "---\ntype: goal\n---\n")
    write(root, "Journal/2026-11-20.md", "- [x] Meditate\n")
    write(root, "broken.md", BROKEN)
    return root


def commands(vault: Path) -> dict[str, list[str]]:
    """A run of each command that reports, on the vault (init in a new folder beside)."""
    at = ["--vault", str(vault)]
    return {
        "review": ["review", *at, "--date", "2026-11-20"],
        "status": ["status", *at],
        "check": ["check", *at],
        "config": ["config", *at],
        "init": ["init", str(vault.parent / f"new {vault.name}")],
        "today": ["today", *at],
        "new goal": ["new", "goal", "Swim", *at],
        "new habit": ["new", "habit", "Stretch", *at],
        "cache clear": ["cache", "clear", *at],
        "watch": ["watch", *at, "--once"],
    }


# Each command's JSON: its top keys (a list for config), and its exit status (check finds
# the broken note's error).
JSON_OUTPUT: dict[str, tuple[object, int]] = {
    "review": ({"period", "habits", "goals", "journal", "areas", "problems"}, 0),
    "status": ({"period", "habits", "goals", "journal"}, 0),
    "check": ({"problems", "errors", "warnings", "notes", "notices"}, 1),
    "config": (list, 0),
    "init": ({"created"}, 0),
    "today": ({"created"}, 0),
    "new goal": ({"created"}, 0),
    "new habit": ({"created"}, 0),
    "cache clear": ({"removed"}, 0),
    "watch": ({"written", "unchanged", "refused", "commit"}, 0),
}


@pytest.mark.parametrize("name", sorted(JSON_OUTPUT))
def test_json_is_one_document_on_stdout(vault: Path, name: str) -> None:
    a_vault(vault)
    shape, code = JSON_OUTPUT[name]
    result = run(*commands(vault)[name], "--json")
    assert result.exit_code == code, result.output
    data = json.loads(result.stdout)  # one document, nothing else
    assert (type(data) if shape is list else set(data)) == shape
    assert all(line.startswith(PROBLEM_LINE) for line in result.stderr.splitlines())


def test_json_of_created_notes_and_of_cache_clear(vault: Path) -> None:
    a_vault(vault)
    created = json.loads(run("new", "goal", "Swim far", "--vault", str(vault), "--json").stdout)
    assert created == {"created": [{"path": "Goals/Swim far.md", "status": "created"}]}
    again = run("new", "goal", "Swim far", "--vault", str(vault), "--json")
    assert again.exit_code == 1
    assert json.loads(again.stdout) == {
        "created": [{"path": "Goals/Swim far.md", "status": "exists"}]}
    run("check", "--vault", str(vault))  # (makes the index)
    assert json.loads(run("cache", "clear", "--vault", str(vault), "--json").stdout) == {
        "removed": True}
    assert json.loads(run("cache", "clear", "--vault", str(vault), "--json").stdout) == {
        "removed": False}


@pytest.mark.parametrize("name", sorted(set(JSON_OUTPUT) - WITHOUT_QUIET))
def test_quiet_prints_nothing_but_problems(tmp_path: Path, name: str) -> None:
    loud = run(*commands(a_vault(tmp_path / "loud"))[name])
    quiet = run(*commands(a_vault(tmp_path / "quiet"))[name], "--quiet")
    assert loud.stdout != ""
    assert quiet.exit_code == loud.exit_code
    if name == "check":  # the problems are what check is asked for: only the summary goes
        assert quiet.stdout == "".join(line + "\n" for line in loud.stdout.splitlines()[:-1])
        assert PROBLEM_LINE in quiet.stdout
    else:
        assert quiet.stdout == ""
    assert quiet.stderr == loud.stderr.replace("/loud", "/quiet")
    reports_problems = name in ("review", "watch")  # (check: on stdout)
    assert (PROBLEM_LINE in quiet.stderr) is reports_problems


# --- colours -------------------------------------------------------------------------


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


PROBLEM = Problem("Goals/Run.md", 3, "error", "deadline is not a date")
# What check notices about the vault (a detected scale) is listed with the problems.
NOTICE = Problem(".mdmastery/config.toml", 0, "note", "mood values 3 to 10: read on 1-10")


@pytest.mark.parametrize(("stream", "no_color", "colored"), [
    (Terminal, None, True), (Terminal, "1", False), (Terminal, "", True),
    (io.StringIO, None, False)])
def test_colours_only_on_a_terminal_and_never_with_no_color(
        monkeypatch: pytest.MonkeyPatch, stream: type[io.StringIO], no_color: str | None,
        colored: bool) -> None:
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    out, err = stream(), stream()
    report = Reporter(out, err)
    report.problems([PROBLEM, NOTICE])
    report.listing([PROBLEM, NOTICE])
    assert report.colors() is colored
    for written in (out.getvalue(), err.getvalue()):
        assert ("\x1b[" in written) is colored
        assert click.unstyle(written) == f"{PROBLEM}\n{NOTICE}\n"  # the same words


def in_a_terminal(args: list[str], environ: dict[str, str]) -> str:
    """Run the console script with stdout and stderr on a pseudo-terminal; return both."""
    main, child = pty.openpty()
    try:
        done = subprocess.run([str(SCRIPTS / "mdmastery"), *args], stdout=child,
                              stderr=child, stdin=subprocess.DEVNULL, env=environ,
                              timeout=60, check=False)
        os.close(child)
        child = -1
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # (the terminal is closed: all is read)
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert done.returncode == 1
        return b"".join(chunks).decode("utf-8")
    finally:
        os.close(main)
        if child >= 0:
            os.close(child)


def test_check_in_a_terminal_colours_the_level_unless_no_color(vault: Path) -> None:
    write(vault, "broken.md", BROKEN)
    environ = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    shown = in_a_terminal(["check", "--vault", str(vault), "--no-cache"], environ)
    assert "broken.md:3: \x1b[" in shown
    plain = in_a_terminal(["check", "--vault", str(vault), "--no-cache"],
                          {**environ, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and PROBLEM_LINE in plain
