"""Real git repositories in temporary folders, for the tests that run git.

`git_home` gives git a configuration of the test's own (identity, branch name) and
nothing of the machine's; use it with `pytestmark = pytest.mark.usefixtures("git_home")`
or as an argument. Commit dates are fixed by GIT_AUTHOR_DATE and GIT_COMMITTER_DATE.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import write

# A git hook's repository variables, and the identity that would override the config's.
_UNSET = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
          "EMAIL", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "MDMASTERY_COMMIT")


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git that reads only a config of this test's own; return that config file."""
    home = tmp_path / "home"
    home.mkdir()
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n"
                      "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
                      encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in _UNSET:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-22T20:00:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-22T20:00:00+01:00")
    return config


def git(folder: Path, *args: str, check: bool = True) -> str:
    """Run git in folder; return its stdout (an AssertionError if it fails and check)."""
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                          check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout


def new_repo(root: Path, files: dict[str, str]) -> Path:
    """Make a repository in root holding files, committed (none: no commit yet)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "--quiet")
    for relative, text in files.items():
        write(root, relative, text)
    if files:
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "--message", "start")
    return root


def diverge(repo: Path, path: str) -> None:
    """Make branches main (checked out) and other change the same line of path: merging
    one into the other conflicts."""
    git(repo, "checkout", "--quiet", "-b", "other")
    write(repo, path, "other\n")
    git(repo, "commit", "--quiet", "--all", "--message", "other")
    git(repo, "checkout", "--quiet", "main")
    write(repo, path, "main\n")
    git(repo, "commit", "--quiet", "--all", "--message", "main")


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def committed_paths(repo: Path, commit: str = "HEAD") -> list[str]:
    """The paths a commit changed against its parent (or added, for a first commit)."""
    names = git(repo, "show", "-z", "--name-only", "--no-renames", "--format=", commit)
    return sorted(name for name in names.split("\0") if name)


def user_state(repo: Path, ours: set[str]) -> tuple[list[str], str, str]:
    """What git says about every path but ours: status, staged diff, unstaged diff."""
    entries = git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0")
    status = [entry for entry in entries if entry and entry[3:] not in ours]
    excluded = [f":(exclude,literal){path}" for path in sorted(ours)]
    staged = git(repo, "diff", "--cached", "--binary", "--", ".", *excluded)
    unstaged = git(repo, "diff", "--binary", "--", ".", *excluded)
    return status, staged, unstaged
