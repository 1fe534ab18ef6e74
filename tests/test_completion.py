"""Shell completion through Click's completion variables, and in real shells (issue 22).

`_MDMASTERY_COMPLETE=bash_complete COMP_WORDS=... COMP_CWORD=...` is what the scripts
that `_MDMASTERY_COMPLETE=bash_source mdmastery` (zsh_source, fish_source) print ask the
program; the first tests speak that protocol in-process, the last ones source the
printed script into bash, zsh and fish (each skipped where that shell is not installed)
and complete through the installed console script, as a user's shell does.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import write

from mdmastery.cli import cli

SCRIPTS = Path(sysconfig.get_path("scripts"))


def complete(words: str, shell: str = "bash", cword: int | None = None,
             env: dict[str, str] | None = None) -> list[str]:
    """Return what Click answers a shell completing the last word of words."""
    split = words.split(" ")
    environ = {"_MDMASTERY_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(split) - 1 if cword is None else cword), **(env or {})}
    if shell == "fish":  # fish sends the word being completed instead of its index
        environ["COMP_CWORD"] = split[-1]
    result = CliRunner().invoke(cli, [], prog_name="mdmastery", env=environ)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def values(words: str) -> list[str]:
    """The values of a bash completion (lines `type,value`; an empty line for none), as
    the words bash inserts: Click's script reads each line with `read` (one level of
    backslashes taken away), and the shell then reads the word inserted (another)."""
    unescape = functools.partial(re.sub, r"\\(.)", r"\1")
    return [unescape(unescape(line.split(",", 1)[1])) for line in complete(words) if line]


def test_commands() -> None:
    assert values("mdmastery ") == sorted(cli.commands)
    assert values("mdmastery re") == ["review"]
    assert values("mdmastery new ") == ["goal", "habit"]
    assert values("mdmastery cache ") == ["clear"]


def all_options() -> list[tuple[str, click.Option]]:
    found = []

    def walk(group: click.Group, prefix: str) -> None:
        for name, command in sorted(group.commands.items()):
            if isinstance(command, click.Group):
                walk(command, f"{prefix}{name} ")
            else:
                found.extend((f"{prefix}{name}", option) for option in command.params
                             if isinstance(option, click.Option))

    walk(cli, "")
    return found


@pytest.mark.parametrize("command", sorted({name for name, _ in all_options()}))
def test_every_option_of_every_command(command: str) -> None:
    offered = values(f"mdmastery {command} --")
    for name, option in all_options():
        if name == command:
            assert next(o for o in option.opts if o.startswith("--")) in offered, option.opts


@pytest.mark.parametrize(("command", "option"),
                         [(name, option) for name, option in all_options()
                          if isinstance(option.type, click.Choice)],
                         ids=lambda value: getattr(value, "name", value))
def test_every_choice_option_completes_its_choices(command: str, option: click.Option) -> None:
    assert isinstance(option.type, click.Choice)
    assert values(f"mdmastery {command} {option.opts[-1]} ") == list(option.type.choices)


def test_a_choice_completes_from_what_is_typed() -> None:
    assert values("mdmastery review --period m") == ["month"]
    assert values("mdmastery review --period q") == ["quarter"]


def test_a_folder_option_leaves_the_folders_to_the_shell() -> None:
    assert complete("mdmastery review --vault ") == ["dir,"]
    assert complete("mdmastery init ") == ["dir,"]


def test_zsh_and_fish_answers() -> None:
    assert complete("mdmastery review --period ", "zsh") == [
        "plain", "week", "_", "plain", "month", "_", "plain", "quarter", "_",
        "plain", "year", "_"]
    zsh = complete("mdmastery ne", "zsh")
    assert zsh[:2] == ["plain", "new"] and zsh[2].startswith("Create a goal or habit")
    assert complete("mdmastery check --format ", "fish") == ["plain,text", "plain,json"]
    fish = complete("mdmastery re", "fish")
    assert len(fish) == 1 and fish[0].startswith("plain,review\tWrite the review note")


# --- goal and habit names (phase B) ----------------------------------------------------
# The one option taking a goal today is `new habit --goal TITLE`; `--area` takes a life
# area of the config. No command takes a habit name yet: a command that comes to take
# one (a filter of `status`, say) completes habit names the same way.


def names_vault(root: Path) -> Path:
    write(root, ".mdmastery/config.toml", 'areas = ["health", "craft"]\n')
    write(root, "Goals/Run a half marathon.md", "---\ntype: goal\n---\n")
    write(root, "Goals/Learn Spanish.md", "---\ntype: goal\nstatus: paused\n---\n")
    write(root, "Goals/Old goal.md", "---\ntype: goal\nstatus: dropped\n---\n")
    write(root, "Goals/Done goal.md", "---\ntype: goal\nstatus: done\n---\n")
    write(root, "Habits/Meditate.md", "---\ntype: habit\n---\n")
    return root


def test_goal_titles_complete_after_new_habit_goal(vault: Path) -> None:
    names_vault(vault)
    assert values(f"mdmastery new habit Stretch --vault {vault} --goal ") == [
        "Learn Spanish", "Run a half marathon"]
    assert values(f"mdmastery new habit Stretch --vault {vault} --goal r") == [
        "Run a half marathon"]


def test_bash_gets_names_escaped_zsh_and_fish_as_they_are(vault: Path) -> None:
    names_vault(vault)
    line = f"mdmastery new habit Stretch --vault {vault} --goal R"
    assert complete(line) == ["plain,Run\\\\ a\\\\ half\\\\ marathon"]
    assert complete(line, "zsh") == ["plain", "Run a half marathon", "_"]
    assert complete(line, "fish") == ["plain,Run a half marathon"]


def test_goal_titles_complete_in_the_vault_of_the_working_directory(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names_vault(vault)
    monkeypatch.chdir(vault / "Goals")
    assert values("mdmastery new habit Stretch --goal L") == ["Learn Spanish"]


def test_areas_complete_from_the_config(vault: Path) -> None:
    names_vault(vault)
    assert values(f"mdmastery new goal Swim --vault {vault} --area ") == ["craft", "health"]
    assert values(f"mdmastery new habit Swim --vault {vault} --area h") == ["health"]


# --- real shells -------------------------------------------------------------------------


def shell_env() -> dict[str, str]:
    """The environment of a shell that finds this environment's `mdmastery` first."""
    return {**os.environ, "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}"}


def source_script(shell: str) -> str:
    done = subprocess.run([str(SCRIPTS / "mdmastery")], capture_output=True, text=True,
                          env={**shell_env(), "_MDMASTERY_COMPLETE": f"{shell}_source"},
                          check=True)
    return done.stdout


def in_shell(shell: str, script: str, tmp_path: Path, before: str = "") -> list[str]:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    source = tmp_path / f"completion.{shell}"
    source.write_text(source_script(shell), encoding="utf-8")
    command = {"bash": ["bash", "--norc", "--noprofile", "-c"], "zsh": ["zsh", "-f", "-c"],
               "fish": ["fish", "--no-config", "-c"]}[shell]
    done = subprocess.run([*command, f"{before}\nsource {source}\n{script}"],
                          capture_output=True,
                          text=True, env=shell_env(), cwd=tmp_path, check=False)
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout.splitlines()


BASH = """
complete_line() {{ COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
  _mdmastery_completion mdmastery; printf '%s\\n' "${{COMPREPLY[@]}}"; }}
complete -p mdmastery
{}
"""


def test_bash(tmp_path: Path) -> None:
    lines = in_shell("bash", BASH.format("complete_line mdmastery re\n"
                                         "complete_line mdmastery review --period ''\n"),
                     tmp_path)
    assert lines == ["complete -o nosort -F _mdmastery_completion mdmastery",
                     "review", "week", "month", "quarter", "year"]


# zsh completes inside its line editor only: its completion builtins are stood in for
# by functions that print what they are given.
ZSH = """
compdef() { print -r -- "compdef $*"; }
_describe() { print -rl -- "${(@P)3}"; }
compadd() { print -rl -- "${(@P)${@[-1]}}"; }
_path_files() { print -r -- "_path_files $*"; }
"""


def test_zsh(tmp_path: Path) -> None:
    script = ("words=(mdmastery review --period ''); CURRENT=4; _mdmastery_completion\n"
              "words=(mdmastery cac); CURRENT=2; _mdmastery_completion\n"
              "words=(mdmastery review --vault ''); CURRENT=4; _mdmastery_completion\n")
    compdef, *lines = in_shell("zsh", script, tmp_path, before=ZSH)
    assert compdef == "compdef _mdmastery_completion mdmastery"
    assert lines[:4] == ["week", "month", "quarter", "year"]
    assert lines[4].startswith("cache:Manage the index of notes")  # (help shortened)
    assert lines[5:] == ["_path_files -/"]


def test_fish(tmp_path: Path) -> None:
    lines = in_shell("fish", 'complete -C "mdmastery re"\n'
                             'complete -C "mdmastery review --period "\n', tmp_path)
    assert lines[0].startswith("review\tWrite the review note")
    assert lines[1:] == ["month", "quarter", "week", "year"]  # (fish sorts them)


def test_bash_inserts_a_goal_title_with_spaces_as_one_word(tmp_path: Path) -> None:
    vault = names_vault(tmp_path / "vault")
    lines = in_shell("bash", BASH.format(
        f"complete_line mdmastery new habit Stretch --vault {vault} --goal Ru\n"
        'eval "set -- $(complete_line mdmastery new habit Stretch --vault '
        f'{vault} --goal Ru)"; echo "$# $1"\n'), tmp_path)
    assert lines[-1] == "1 Run a half marathon"
