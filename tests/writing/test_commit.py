"""Committing reviews: real git repositories in temporary folders (issue 22).

Each test builds a repository with the real `git`, puts the user's own changes in it
(staged, unstaged, untracked), commits review paths through mdmastery.writing.commit and
checks that the commit holds exactly those paths and that everything else git knows
about the user's files is as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write
from gitrepos import committed_paths, diverge, git, head, new_repo, user_state

from mdmastery.writing.commit import (
    HOOK_MARKER,
    CommitRefused,
    GitNotFound,
    IdentityMissing,
    NotARepository,
    PathNotCommittable,
    RepositoryBusy,
    commit_paths,
    review_message,
)

MESSAGE = "review: 2026-W46"
# A name a glob would read as "one of d, r, a, f, t, then ' 2026-W46 ü.md'"; the user's
# own `d 2026-W46 ü.md` beside it must not be swept into the commit.
DRAFT = "Reviews/[draft] 2026-W46 ü.md"
DECOY = "Reviews/d 2026-W46 ü.md"

pytestmark = pytest.mark.usefixtures("git_home")


@pytest.mark.parametrize("vault_folder", ["", "notes/My Vault ü"])
def test_commits_only_the_reviews_and_leaves_the_users_changes_as_they_were(
        tmp_path: Path, vault_folder: str) -> None:
    repo = tmp_path / "repo"
    prefix = f"{vault_folder}/" if vault_folder else ""
    new_repo(repo, {
        "outside.md": "not in the vault\n",
        f"{prefix}Journal/2026-11-16.md": "mood:: 3\n",
        f"{prefix}Goals/Run.md": "---\ntype: goal\n---\n",
        f"{prefix}old.md": "to be deleted\n",
        f"{prefix}Reviews/2026-W45.md": "last week\n",
    })
    vault = repo / vault_folder
    # The user's own work in progress, in every state git knows.
    write(vault, "Journal/2026-11-16.md", "mood:: 4\n")
    git(vault, "add", "Journal/2026-11-16.md")
    write(vault, "Journal/2026-11-16.md", "mood:: 4\nenergy:: 2\n")  # staged, then more
    write(vault, "Journal/2026-11-17.md", "new, staged\n")
    git(vault, "add", "Journal/2026-11-17.md")
    git(vault, "rm", "--quiet", "old.md")
    write(vault, "Goals/Run.md", "---\ntype: goal\ncurrent: 5\n---\n")  # unstaged
    write(repo, "outside.md", "changed outside the vault, staged\n")
    git(repo, "add", "outside.md")
    write(vault, "scratch.md", "untracked\n")
    write(vault, DECOY, "the user's own file beside the review\n")
    # What mdmastery wrote: last week's review again, this week's and its picture.
    write(vault, "Reviews/2026-W45.md", "last week, answered\n")
    write(vault, DRAFT, "this week\n")
    write(vault, "Reviews/assets/2026-W46 mood.svg", "<svg/>\n")
    reviews = ["Reviews/2026-W45.md", DRAFT, "Reviews/assets/2026-W46 mood.svg"]
    ours = {prefix + path for path in reviews}
    before = user_state(repo, ours)
    parent = head(repo)

    result = commit_paths(vault, [vault / reviews[0], *reviews[1:]], MESSAGE)

    assert result.commit == head(repo)
    assert result.paths == tuple(reviews)
    assert git(repo, "rev-parse", "HEAD~1").strip() == parent
    assert committed_paths(repo) == sorted(ours)
    assert git(repo, "log", "-1", "--format=%s%n%an <%ae>").splitlines() == [
        MESSAGE, "Ada Lovelace <ada@example.com>"]
    for path in ours:
        assert git(repo, "show", f"HEAD:{path}") == (repo / path).read_text(encoding="utf-8")
    assert user_state(repo, ours) == before
    # The reviews are now clean: committed, and the index agrees with the commit.
    assert git(repo, "status", "--porcelain", "--", *[f":(literal){p}" for p in ours]) == ""


def test_nothing_changed_means_no_commit_and_no_error(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"Reviews/2026-W46.md": "committed\n"})
    write(vault, "journal.md", "the user's, staged\n")
    git(vault, "add", "journal.md")
    start = head(vault)

    assert commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE).commit is None
    assert commit_paths(vault, [], MESSAGE).commit is None
    assert head(vault) == start
    assert git(vault, "status", "--porcelain") == "A  journal.md\n"


def test_a_review_written_earlier_without_commit_is_committed_now(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    write(vault, "Reviews/2026-W46.md", "written by an earlier run\n")

    first = commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)
    again = commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)

    assert first.commit is not None and first.paths == ("Reviews/2026-W46.md",)
    assert again.commit is None and again.paths == ()


def test_only_the_paths_that_changed_are_in_the_commit(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"Reviews/2026-11.md": "month\n"})
    write(vault, "Reviews/2026-W46.md", "week\n")

    result = commit_paths(vault, ["Reviews/2026-W46.md", "Reviews/2026-11.md"],
                          review_message(["2026-W46", "2026-11", "2026-W46"]))

    assert result.paths == ("Reviews/2026-W46.md",)
    assert committed_paths(vault) == ["Reviews/2026-W46.md"]
    assert git(vault, "log", "-1", "--format=%s") == "review: 2026-W46, 2026-11\n"


def test_first_commit_of_a_repository_leaves_the_users_staged_files(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {})
    write(vault, "journal.md", "staged by the user\n")
    git(vault, "add", "journal.md")
    write(vault, "Reviews/2026-W46.md", "week\n")

    result = commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)

    assert result.commit == head(vault)
    assert committed_paths(vault) == ["Reviews/2026-W46.md"]
    assert git(vault, "status", "--porcelain") == "A  journal.md\n"


# --- refusals: git is in the middle of something -------------------------------------


def _diverged(tmp_path: Path) -> Path:
    """A repository whose branches main and other changed the same line of note.md."""
    vault = new_repo(tmp_path / "vault", {"note.md": "base\n"})
    diverge(vault, "note.md")
    return vault


def _merge(vault: Path) -> None:
    git(vault, "merge", "other", check=False)


def _rebase(vault: Path) -> None:
    git(vault, "checkout", "--quiet", "other")
    git(vault, "rebase", "main", check=False)


def _rebase_apply(vault: Path) -> None:
    git(vault, "checkout", "--quiet", "other")
    git(vault, "rebase", "--apply", "main", check=False)


def _cherry_pick(vault: Path) -> None:
    git(vault, "cherry-pick", "other", check=False)


def _revert(vault: Path) -> None:
    write(vault, "note.md", "later\n")
    git(vault, "commit", "--quiet", "--all", "--message", "later")
    git(vault, "revert", "--no-edit", "HEAD~1", check=False)


def _bisect(vault: Path) -> None:
    git(vault, "bisect", "start", "main", "main~1")


def _lock(vault: Path) -> None:
    (vault / ".git/index.lock").write_bytes(b"")


def _detached(vault: Path) -> None:
    git(vault, "checkout", "--quiet", "--detach", "main~1")


@pytest.mark.parametrize(("operation", "start"), [
    ("merge", _merge), ("rebase", _rebase), ("rebase", _rebase_apply),
    ("cherry-pick", _cherry_pick), ("revert", _revert), ("bisect", _bisect),
    ("lock", _lock), ("detached", _detached)])
def test_refuses_while_git_is_in_the_middle_of_something(tmp_path: Path, operation: str,
                                                         start: object) -> None:
    vault = _diverged(tmp_path)
    assert callable(start)
    start(vault)
    write(vault, "Reviews/2026-W46.md", "week\n")
    before = head(vault), user_state(vault, set()), sorted(os.listdir(vault / ".git"))

    with pytest.raises(RepositoryBusy) as refused:
        commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)

    assert refused.value.operation == operation
    assert (head(vault), user_state(vault, set()), sorted(os.listdir(vault / ".git"))) == before


def test_refuses_with_the_lock_of_a_linked_worktree_whose_git_is_a_file(
        tmp_path: Path) -> None:
    main = new_repo(tmp_path / "main", {"note.md": "x\n"})
    linked = tmp_path / "linked"
    git(main, "worktree", "add", "--quiet", "-b", "side", str(linked))
    assert (linked / ".git").is_file()
    write(linked, "Reviews/2026-W46.md", "week\n")
    (main / ".git/index.lock").write_bytes(b"")  # the main worktree's lock: not ours

    result = commit_paths(linked, ["Reviews/2026-W46.md"], MESSAGE)
    assert result.commit == head(linked) != head(main)

    write(linked, "Reviews/2026-W46.md", "week, again\n")
    own_lock = Path(git(linked, "rev-parse", "--path-format=absolute", "--git-path",
                        "index.lock").strip())
    own_lock.write_bytes(b"")
    with pytest.raises(RepositoryBusy) as refused:
        commit_paths(linked, ["Reviews/2026-W46.md"], MESSAGE)
    assert refused.value.operation == "lock"


# --- refusals: no repository, no git, no identity, a hook says no ----------------------


def test_refuses_outside_a_repository(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write(vault, "Reviews/2026-W46.md", "week\n")
    with pytest.raises(NotARepository):
        commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)
    assert not (vault / ".git").exists()


def test_refuses_without_git(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    write(vault, "Reviews/2026-W46.md", "week\n")
    empty = tmp_path / "bin"
    empty.mkdir()
    with pytest.raises(GitNotFound):
        commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE,
                     environ={**os.environ, "PATH": str(empty)})


def test_refuses_without_an_identity_and_leaves_the_index(tmp_path: Path,
                                                          git_home: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    git_home.write_text("", encoding="utf-8")
    write(vault, "Reviews/2026-W46.md", "week\n")
    start = head(vault)
    with pytest.raises(IdentityMissing):
        commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)
    assert head(vault) == start
    assert git(vault, "status", "--porcelain") == "?? Reviews/\n"


def test_a_failing_hook_refuses_and_the_new_review_is_untracked_again(
        tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    hook = vault / ".git/hooks/pre-commit"
    hook.write_text(f'#!/bin/sh\necho "${HOOK_MARKER}" > .git/marker\n'
                    'echo "no reviews on Sundays" >&2\nexit 1\n', encoding="utf-8")
    hook.chmod(0o755)
    write(vault, "note.md", "staged\n")
    git(vault, "add", "note.md")
    write(vault, "Reviews/2026-W46.md", "week\n")
    before = user_state(vault, set()), head(vault)

    with pytest.raises(CommitRefused, match="no reviews on Sundays"):
        commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)

    assert (user_state(vault, set()), head(vault)) == before
    assert (vault / ".git/marker").read_text(encoding="utf-8") == "1\n"
    skipped = commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE, run_hooks=False)
    assert skipped.commit == head(vault)
    assert git(vault, "status", "--porcelain") == "M  note.md\n"


def test_an_ignored_or_missing_review_is_refused(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {".gitignore": "Reviews/\n"})
    write(vault, "Reviews/2026-W46.md", "week\n")
    with pytest.raises(PathNotCommittable):
        commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE)
    with pytest.raises(PathNotCommittable):
        commit_paths(vault, ["Reviews/2026-W47.md"], MESSAGE)
    assert git(vault, "status", "--porcelain", "--ignored") == "!! Reviews/\n"
    with pytest.raises(ValueError, match="not a path inside the vault"):
        commit_paths(vault, ["../elsewhere.md"], MESSAGE)
    with pytest.raises(ValueError, match="not a path inside the vault"):
        commit_paths(vault, [tmp_path / "elsewhere.md"], MESSAGE)


def test_a_hook_of_another_repository_does_not_redirect_the_commit(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    other = new_repo(tmp_path / "other", {"other.md": "y\n"})
    write(vault, "Reviews/2026-W46.md", "week\n")
    other_head = head(other)
    # What git sets for the hooks of `other` (say, its post-commit running mdmastery).
    environ = {**os.environ, "GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other),
               "GIT_INDEX_FILE": str(other / ".git/index"), "GIT_PREFIX": ""}

    result = commit_paths(vault, ["Reviews/2026-W46.md"], MESSAGE, environ=environ)

    assert result.commit == head(vault)
    assert head(other) == other_head
