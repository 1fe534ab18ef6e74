"""The snippets of docs/integrations.md, run as written (issue 22).

Each snippet is read from the docs by the `<!-- snippet: NAME -->` comment above it: git
hooks run in real repositories through `git commit`, systemd units go through
`systemd-analyze verify`, completion lines through real shells, all with the console
script of this environment first on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
from conftest import ROOT, write

SCRIPTS = Path(sysconfig.get_path("scripts"))
DOCS = ROOT / "docs/integrations.md"


def snippet(name: str) -> str:
    """The code block under `<!-- snippet: NAME -->` in docs/integrations.md."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(rf"<!-- snippet: {re.escape(name)} -->\n\s*```[a-z]*\n(.*?)\n\s*```",
                      text, re.S)
    assert found is not None, f"no snippet {name} in {DOCS}"
    indent = re.match(r"\s*", found.group(1))
    assert indent is not None
    return "\n".join(line[len(indent.group()):] for line in found.group(1).split("\n")) + "\n"


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    """A user's environment: this mdmastery first on PATH, git with a config of its own."""
    home = tmp_path / "home"
    home.mkdir()
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n"
                      "[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("GIT_", "MDMASTERY_"))}
    environ.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1",
                   GIT_CEILING_DIRECTORIES=str(tmp_path), MDMASTERY_TODAY="2026-11-20",
                   PATH=f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}")
    return environ


def git(repo: Path, environ: dict[str, str], *args: str,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=repo, env=environ, capture_output=True,
                          text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stdout}{done.stderr}")
    return done


def vault_repo(root: Path, environ: dict[str, str]) -> Path:
    write(root, ".mdmastery/config.toml", "")
    write(root, "Habits/Meditate.md", "---\ntype: habit\n---\n")
    write(root, "Journal/2026-11-19.md", "- [x] Meditate\n")
    git(root, environ, "init", "--quiet")
    git(root, environ, "add", "--all")
    git(root, environ, "commit", "--quiet", "--message", "my notes")
    return root


def install_hook(repo: Path, name: str) -> None:
    hook = repo / ".git/hooks" / name
    hook.write_text(snippet(name), encoding="utf-8")
    hook.chmod(0o755)


# --- git hooks ---------------------------------------------------------------------------


def test_pre_commit_hook_refuses_a_commit_while_the_vault_has_errors(
        tmp_path: Path, environ: dict[str, str]) -> None:
    repo = vault_repo(tmp_path / "notes", environ)
    install_hook(repo, "pre-commit")
    write(repo, "broken.md", "---\ntitle: [oops\n---\nbody\n")
    write(repo, "Journal/2026-11-20.md", "- [x] Meditate\n")
    git(repo, environ, "add", "Journal/2026-11-20.md")

    refused = git(repo, environ, "commit", "--quiet", "--message", "today", check=False)
    assert refused.returncode == 1
    assert "broken.md:3: error:" in refused.stderr
    assert "commit refused" in refused.stderr
    assert git(repo, environ, "log", "--format=%s").stdout == "my notes\n"

    write(repo, "broken.md", "---\ntitle: [fixed]\n---\nbody\n")
    git(repo, environ, "commit", "--quiet", "--message", "today")
    assert git(repo, environ, "log", "--format=%s").stdout == "today\nmy notes\n"


def test_post_commit_hook_commits_the_reviews_once(tmp_path: Path,
                                                   environ: dict[str, str]) -> None:
    repo = vault_repo(tmp_path / "notes", environ)
    install_hook(repo, "post-commit")
    write(repo, "Journal/2026-11-20.md", "- [x] Meditate\n")
    write(repo, "draft.md", "staged, not committed\n")
    git(repo, environ, "add", "draft.md", "Journal/2026-11-20.md")
    git(repo, environ, "commit", "--quiet", "--message", "today", "--",
        "Journal/2026-11-20.md")

    subjects = git(repo, environ, "log", "--format=%s").stdout.splitlines()
    assert subjects[1:] == ["today", "my notes"]  # one review commit, no recursion
    assert subjects[0].startswith("review: 2026-W47")
    changed = git(repo, environ, "show", "--name-only", "--format=", "HEAD").stdout.split()
    assert changed and all(path.startswith("Reviews/") for path in changed)
    assert git(repo, environ, "status", "--porcelain").stdout == "A  draft.md\n"


def test_cron_line_runs_with_crons_environment(tmp_path: Path,
                                               environ: dict[str, str]) -> None:
    home = Path(environ["HOME"])
    vault_repo(home / "notes", environ)
    (home / ".local/bin").mkdir(parents=True)
    (home / ".local/bin/mdmastery").symlink_to(SCRIPTS / "mdmastery")
    command = snippet("cron").split(None, 5)[5]  # after the five time fields
    cron = {"HOME": str(home), "LOGNAME": "ada", "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin",
            **{key: environ[key] for key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM",
                                             "MDMASTERY_TODAY")}}
    done = subprocess.run(["/bin/sh", "-c", command], env=cron, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    log = git(home / "notes", environ, "log", "--format=%s").stdout.splitlines()
    assert log == ["review: 2026-W47", "my notes"]


# --- systemd -----------------------------------------------------------------------------

UNITS = ("mdmastery-watch.service", "mdmastery-review.service", "mdmastery-review.timer")


def user_units(environ: dict[str, str], tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    home = Path(environ["HOME"])
    (home / ".local/bin").mkdir(parents=True, exist_ok=True)
    (home / ".local/bin/mdmastery").symlink_to(SCRIPTS / "mdmastery")
    folder = home / ".config/systemd/user"
    folder.mkdir(parents=True)
    for name in UNITS:
        (folder / name).write_text(snippet(name), encoding="utf-8")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return [str(folder / name) for name in UNITS], {**environ,
                                                    "XDG_RUNTIME_DIR": str(runtime)}


def test_systemd_units_verify(tmp_path: Path, environ: dict[str, str]) -> None:
    units, systemd_env = user_units(environ, tmp_path)
    done = subprocess.run(["systemd-analyze", "--user", "verify", *units], env=systemd_env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_the_timer_fires_on_sunday_evenings(environ: dict[str, str]) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    spec = re.search(r"^OnCalendar=(.*)$", snippet("mdmastery-review.timer"), re.M)
    assert spec is not None
    done = subprocess.run(["systemd-analyze", "calendar", "--iterations=2", spec.group(1)],
                          env=environ, capture_output=True, text=True, check=True)
    elapses = re.findall(r"(?:Next elapse|Iter\. #2): (\w+) \S+ (\d\d:\d\d:\d\d)", done.stdout)
    assert elapses == [("Sun", "21:55:00"), ("Sun", "21:55:00")]


def exec_start(unit: str, home: Path) -> list[str]:
    line = re.search(r"^ExecStart=(.*)$", snippet(unit), re.M)
    assert line is not None
    return line.group(1).replace("%h", str(home)).split()


def test_the_review_service_commits_the_weeks_review(tmp_path: Path,
                                                     environ: dict[str, str]) -> None:
    home = Path(environ["HOME"])
    vault_repo(home / "notes", environ)
    user_units(environ, tmp_path)
    done = subprocess.run(exec_start("mdmastery-review.service", home), env=environ,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    log = git(home / "notes", environ, "log", "--format=%s").stdout.splitlines()
    assert log == ["review: 2026-W47", "my notes"]


def test_the_watch_service_command_stops_cleanly_on_sigterm(
        tmp_path: Path, environ: dict[str, str]) -> None:
    home = Path(environ["HOME"])
    vault_repo(home / "notes", environ)
    user_units(environ, tmp_path)
    review = home / "notes/Reviews/2026-W47.md"
    watch = subprocess.Popen(exec_start("mdmastery-watch.service", home), env=environ,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):  # up to 20 s for the first rebuild on a loaded machine
            if review.exists() or watch.poll() is not None:
                break
            subprocess.run(["sleep", "0.1"], check=True)
        assert review.exists()
        watch.terminate()  # what `systemctl --user stop` sends
        assert watch.wait(timeout=20) == 0
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()


# --- shell completion --------------------------------------------------------------------


def run_shell(command: list[str], script: str, environ: dict[str, str]) -> list[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    done = subprocess.run([*command, script], env=environ, capture_output=True, text=True,
                          check=False, cwd=environ["HOME"])
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.splitlines()


def test_bash_line(environ: dict[str, str]) -> None:
    lines = run_shell(["bash", "--norc", "--noprofile", "-c"],
                      snippet("bash") + "complete -p mdmastery\n", environ)
    assert lines == ["complete -o nosort -F _mdmastery_completion mdmastery"]


def test_zsh_line(environ: dict[str, str]) -> None:
    lines = run_shell(["zsh", "-f", "-c"],
                      "autoload -Uz compinit && compinit -u -D\n" + snippet("zsh")
                      + "print -r -- $_comps[mdmastery]\n", environ)
    assert lines == ["_mdmastery_completion"]


def test_fish_line(environ: dict[str, str]) -> None:
    run_shell(["sh", "-c"], snippet("fish"), environ)
    lines = run_shell(["fish", "-c"], 'complete -C "mdmastery revi"\n',
                      {**environ, "XDG_CONFIG_HOME": environ["HOME"] + "/.config"})
    assert len(lines) == 1 and lines[0].startswith("review\t")


def test_the_obsidian_command_writes_the_review(tmp_path: Path,
                                                environ: dict[str, str]) -> None:
    vault = vault_repo(tmp_path / "My Vault (2026)", environ)
    # What the plugin runs: {{vault_path}} escaped for the shell, in the vault folder.
    escaped = re.sub(r"([^\w/.-])", r"\\\1", str(vault))
    command = snippet("obsidian-review").replace("{{vault_path}}", escaped)
    done = subprocess.run(["/bin/sh", "-c", command], cwd=vault, env=environ,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, "Reviews/2026-W47.md: created\n"), done.stderr
