"""`review --commit` and `watch --once --commit` through the command line, on real git
repositories in temporary folders (issue 22): only the reviews are committed, the user's
staged and unstaged changes stay as they were; a busy or missing repository is refused
with exit 1 before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run, write
from gitrepos import committed_paths, diverge, git, head, new_repo, user_state

pytestmark = pytest.mark.usefixtures("git_home")

WEEK = "Reviews/2026-W47.md"
NOTES = {
    ".mdmastery/config.toml": "",
    "Habits/Meditate.md": "---\ntype: habit\n---\n",
    "Journal/2026-11-19.md": "---\nmood: 4\n---\n- [x] Meditate\n",
    "Goals/Run.md": "---\ntype: goal\n---\n",
}


def notes_repo(root: Path) -> Path:
    return new_repo(root, NOTES)


def review(vault: Path, *options: str) -> tuple[int, str, str]:
    done = run("review", "--vault", str(vault), "--date", "2026-11-20", *options)
    return done.exit_code, done.stdout, done.stderr


def test_review_commit_commits_only_the_review(tmp_path: Path) -> None:
    vault = notes_repo(tmp_path / "notes")
    # The user's work in progress: staged, staged then changed again, unstaged, new.
    write(vault, "Journal/2026-11-20.md", "- [x] Meditate\n")
    git(vault, "add", "Journal/2026-11-20.md")
    write(vault, "Goals/Run.md", "---\ntype: goal\ndeadline: 2027-05-01\n---\n")
    git(vault, "add", "Goals/Run.md")
    write(vault, "Goals/Run.md", "---\ntype: goal\ndeadline: 2027-06-01\n---\n")
    write(vault, "Journal/2026-11-19.md", "---\nmood: 5\n---\n- [x] Meditate\n")
    write(vault, "draft.md", "untracked\n")
    before = user_state(vault, {WEEK}), head(vault)

    code, out, _ = review(vault, "--commit")

    assert code == 0
    commit = head(vault)
    assert out == (f"{WEEK}: created\ncommitted {commit[:7]}: review: 2026-W47\n")
    assert committed_paths(vault) == [WEEK]
    assert git(vault, "log", "-1", "--format=%s%n%P") == f"review: 2026-W47\n{before[1]}\n"
    assert git(vault, "show", f"HEAD:{WEEK}") == (vault / WEEK).read_text(encoding="utf-8")
    assert user_state(vault, {WEEK}) == before[0]
    assert git(vault, "status", "--porcelain", "--", WEEK) == ""

    # Nothing changed since: no commit, nothing said about one.
    code, out, _ = review(vault, "--commit")
    assert (code, out, head(vault)) == (0, f"{WEEK}: unchanged\n", commit)


def test_a_review_written_without_commit_is_committed_by_the_next_commit(
        tmp_path: Path) -> None:
    vault = notes_repo(tmp_path / "notes")
    assert review(vault)[0] == 0
    code, out, _ = review(vault, "--commit", "--quiet")
    assert (code, out) == (0, "")
    assert committed_paths(vault) == [WEEK]


def _merge_in_progress(vault: Path) -> None:
    diverge(vault, "Goals/Run.md")
    assert git(vault, "merge", "other", check=False) != ""
    assert (vault / ".git/MERGE_HEAD").exists()


def _lock(vault: Path) -> None:
    (vault / ".git/index.lock").write_bytes(b"")


@pytest.mark.parametrize(("start", "said"), [
    (_merge_in_progress, "a merge is in progress"), (_lock, "the index is locked")])
def test_review_commit_is_refused_while_git_is_busy_and_writes_nothing(
        tmp_path: Path, start: object, said: str) -> None:
    vault = notes_repo(tmp_path / "notes")
    assert callable(start)
    start(vault)
    before = head(vault), user_state(vault, set()), sorted((vault / ".git").iterdir())

    code, out, err = review(vault, "--commit")

    assert code == 1 and out == ""
    assert said in err and "nothing was committed" in err
    assert not (vault / WEEK).exists()
    assert (head(vault), user_state(vault, set()), sorted((vault / ".git").iterdir())) == \
        before


def test_review_commit_outside_a_repository_is_refused(vault: Path) -> None:
    for relative, text in NOTES.items():
        write(vault, relative, text)
    code, out, err = review(vault, "--commit")
    assert (code, out) == (1, "")
    assert "is not in a git working tree" in err
    assert not (vault / WEEK).exists()


@pytest.mark.parametrize("other", ["--json", "--dry-run"])
def test_commit_with_an_option_that_writes_nothing_is_a_usage_error(
        tmp_path: Path, other: str) -> None:
    vault = notes_repo(tmp_path / "notes")
    code, _, err = review(vault, "--commit", other)
    assert code == 2 and "--commit" in err


def test_watch_once_commit_commits_every_current_review_in_one_commit(
        tmp_path: Path) -> None:
    vault = notes_repo(tmp_path / "My notes")
    write(vault, "Journal/2026-11-20.md", "- [x] Meditate\n")
    git(vault, "add", "Journal/2026-11-20.md")
    before = user_state(vault, set())
    reviews = [WEEK, "Reviews/2026-11.md", "Reviews/2026-Q4.md", "Reviews/2026.md"]

    done = run("watch", "--vault", str(vault), "--once", "--commit", "--json",
               today="2026-11-20")

    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    message = "review: 2026-W47, 2026-11, 2026-Q4, 2026"
    assert data == {"written": reviews, "unchanged": [], "refused": [],
                    "commit": {"hash": head(vault), "paths": reviews, "message": message}}
    assert committed_paths(vault) == sorted(reviews)
    assert git(vault, "log", "-1", "--format=%s") == message + "\n"
    assert user_state(vault, set(reviews)) == before

    again = run("watch", "--vault", str(vault), "--once", "--commit", "--json",
                today="2026-11-20")
    assert json.loads(again.stdout)["commit"] is None


def test_watch_once_commit_is_refused_while_git_is_busy(tmp_path: Path) -> None:
    vault = notes_repo(tmp_path / "notes")
    _lock(vault)
    done = run("watch", "--vault", str(vault), "--once", "--commit", today="2026-11-20")
    assert done.exit_code == 1
    assert "the index is locked" in done.stderr
    assert not (vault / "Reviews").exists()
