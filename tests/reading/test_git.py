"""The git runner: which repository, what environment, which locks (real git, temp folders)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write
from gitrepos import git, new_repo

from mdmastery.errors import MdmasteryError
from mdmastery.reading.git import GitError, GitNotFound, NotARepository, Repository

pytestmark = pytest.mark.usefixtures("git_home")


def test_finds_the_repository_of_a_vault_in_one_of_its_folders(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", {"notes/My Vault ü/Goals/Run.md": "goal\n",
                                        "outside.md": "x\n"})
    found = Repository.find(repo / "notes/My Vault ü" / "Goals")
    assert found.top == repo.resolve()
    assert found.prefix == "notes/My Vault ü/Goals/"
    vault = Repository.find(repo / "notes/My Vault ü")
    assert vault.from_top("Goals/Run.md") == "notes/My Vault ü/Goals/Run.md"
    assert vault.in_vault("notes/My Vault ü/Goals/Run.md") == "Goals/Run.md"
    assert vault.in_vault("outside.md") is None
    # Paths are printed as they are, not quoted.
    assert vault.paths("ls-files", "-z", "--", "notes") == ["notes/My Vault ü/Goals/Run.md"]
    assert Repository.find(repo).prefix == ""


def test_a_hooks_repository_variables_do_not_lead_git_elsewhere(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    other = new_repo(tmp_path / "other", {"other.md": "y\n"})
    # What git sets for a hook of `other` that runs mdmastery on the vault.
    hooked = {**os.environ, "GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other),
              "GIT_INDEX_FILE": str(other / ".git/index"), "GIT_PREFIX": ""}

    found = Repository.find(vault, environ=hooked)

    assert found.top == vault.resolve()
    assert "GIT_DIR" not in found.environ and "GIT_INDEX_FILE" not in found.environ
    assert found.paths("ls-files", "-z") == ["note.md"]
    assert Path(found.output("rev-parse", "--absolute-git-dir").decode().strip()) == \
        (vault / ".git").resolve()


def test_a_read_never_takes_the_index_lock_a_write_may(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"note.md": "x\n"})
    index = vault / ".git/index"
    found = Repository.find(vault)

    def touched_status(writes: bool) -> bool:
        """Touch note.md (same bytes, new time); say whether `git status` rewrote the index."""
        os.utime(vault / "note.md", (1_700_000_000, 1_700_000_000 + writes))
        before = index.read_bytes()
        assert found.run("status", "--porcelain", writes=writes).stdout == b""
        return index.read_bytes() != before

    # A plain `git status` refreshes the index's times, taking index.lock to do so: not
    # while mdmastery reads (the user's own git could fail on the lock meanwhile).
    assert touched_status(writes=False) is False
    assert touched_status(writes=True) is True


def test_pathspecs_are_literal(tmp_path: Path) -> None:
    vault = new_repo(tmp_path / "vault", {"a.md": "x\n", "[ab].md": "y\n"})
    assert Repository.find(vault).paths("ls-files", "-z", "--", "[ab].md") == ["[ab].md"]


def test_git_paths_are_those_of_the_worktree_git_uses(tmp_path: Path) -> None:
    main = new_repo(tmp_path / "main", {"note.md": "x\n"})
    linked = tmp_path / "linked"
    git(main, "worktree", "add", "--quiet", "-b", "side", str(linked))
    found = Repository.find(linked, git_paths=["index.lock", "MERGE_HEAD"])
    own = Path(git(linked, "rev-parse", "--path-format=absolute", "--git-path",
                   "index.lock").strip())
    assert found.git_paths["index.lock"] == own != main / ".git/index.lock"
    assert found.git_paths["MERGE_HEAD"].parent == own.parent


def test_outside_a_repository_without_git_and_on_failure_errors_are_mdmastery_errors(
        tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write(vault, "note.md", "x\n")
    with pytest.raises(NotARepository, match="is not in a git working tree"):
        Repository.find(vault)
    empty = tmp_path / "bin"
    empty.mkdir()
    with pytest.raises(GitNotFound, match="git is not installed"):
        Repository.find(vault, environ={**os.environ, "PATH": str(empty)})
    new_repo(vault, {"note.md": "x\n"})
    with pytest.raises(GitError, match=r"git show failed: .*missing\.md") as failed:
        Repository.find(vault).output("show", "HEAD:missing.md")
    assert isinstance(failed.value, MdmasteryError)
