"""The command-line side of the index: --no-cache, --jobs, `cache clear`, the progress bar."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import run, write

from mdmastery.cli import cli
from mdmastery.load import loader as load_module
from mdmastery.load.folder import index_path
from mdmastery.report import Reporter

LOADING_COMMANDS = [["review", "--json", "--date", "2026-11-20"], ["status", "--json"],
                    ["check"], ["today"]]


@pytest.mark.parametrize("command", LOADING_COMMANDS, ids=lambda c: c[0])
def test_commands_that_load_the_vault_take_no_cache_and_jobs(vault: Path,
                                                             command: list[str]) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    result = run(*command, "--vault", str(vault), "--no-cache", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert not (vault / ".mdmastery" / "cache").exists()
    result = run(*command, "--vault", str(vault), "-j", "1")
    assert result.exit_code == 0, result.output
    assert index_path(vault).is_file()


def test_jobs_must_be_positive(vault: Path) -> None:
    result = run("review", "--vault", str(vault), "--json", "--jobs", "0")
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_no_cache_and_cached_runs_print_the_same(sample_copy: Path) -> None:
    args = ("review", "--vault", str(sample_copy), "--date", "2026-11-20", "--json")
    uncached = run(*args, "--no-cache")
    cold = run(*args)
    warm = run(*args, "--jobs", "1")
    assert uncached.exit_code == cold.exit_code == warm.exit_code == 0
    assert json.loads(uncached.stdout) == json.loads(cold.stdout) == json.loads(warm.stdout)
    assert uncached.stderr == cold.stderr == warm.stderr


def test_cache_clear(vault: Path) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    assert run("check", "--vault", str(vault)).exit_code == 0
    assert index_path(vault).is_file()
    cleared = run("cache", "clear", "--vault", str(vault))
    assert cleared.exit_code == 0
    assert cleared.output == "removed .mdmastery/cache/\n"
    assert not (vault / ".mdmastery" / "cache").exists()
    assert (vault / "Habits" / "Run.md").is_file()
    again = run("cache", "clear", "--vault", str(vault))
    assert again.exit_code == 0 and again.output == "no .mdmastery/cache/ to remove\n"


def test_no_progress_bar_when_stderr_is_not_a_terminal(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Even when every note counts as "many", CliRunner's stderr is no terminal.
    monkeypatch.setattr(load_module, "PROGRESS_MIN", 1)
    result = run("review", "--vault", str(sample_copy), "--date", "2026-11-20", "--json")
    assert result.exit_code == 0
    assert "reading notes" not in result.stderr


def test_every_new_command_has_help() -> None:
    cache = cli.commands["cache"]
    assert cache.help
    for command in cache.commands.values():  # type: ignore[attr-defined]
        assert command.help
    for name in ("review", "status", "check", "today"):
        options = {opt for param in cli.commands[name].params for opt in param.opts}
        assert {"--no-cache", "--jobs"} <= options, name
        helps = {param.name: param.help for param in cli.commands[name].params}  # type: ignore[attr-defined]
        assert helps["no_cache"] and helps["jobs"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_clears_itself(
        monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    draw = Reporter().progress()
    assert draw is not None
    draw(0, 4000)
    draw(2000, 4000)
    assert "2,000/4,000" in terminal.getvalue()
    draw(4000, 4000)
    assert terminal.getvalue().endswith("\r")  # the line is blanked out when done
