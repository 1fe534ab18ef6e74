"""Commit exactly the files mdmastery wrote, through the real `git`, and nothing else.

The user's staged and unstaged changes stay as they were: `git commit --only -- PATHS`
commits the working-tree contents of PATHS on top of HEAD from a temporary index, and
leaves every other entry of the real index alone. A new file must be known to the index
before `--only` accepts it, so it is added first (and taken out again if the commit
fails). Pathspecs are literal (`[draft] *.md` names one file, not a glob).

The commit is refused, before anything is changed, while git is in the middle of
something (a merge, a rebase of either kind, `git am`, a cherry-pick, a revert, a
bisect), while another git process holds the index lock, on a detached HEAD, outside a
repository and without an identity from git's configuration. The user's hooks run, as
for any commit they make (their checks are their rules); `MDMASTERY_COMMIT=1` is set in
their environment so that a hook that itself runs `mdmastery --commit` can stop there.
git itself is run through reading/git.py. docs/integrations.md says more.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..reading.git import GitError, GitNotFound, NotARepository, Repository, said

# Set in the environment of the commit (and so of the user's hooks it runs).
HOOK_MARKER = "MDMASTERY_COMMIT"

# What git is in the middle of, by the file it keeps in the git directory meanwhile
# (checked in this order): (file, operation, what the user reads, what they can do).
_CONTINUE = "finish it (git {0} --continue) or abort it (git {0} --abort)"
_IN_PROGRESS = (
    ("rebase-merge", "rebase", "a rebase is in progress", _CONTINUE.format("rebase")),
    ("rebase-apply/applying", "am", "git am is in progress", _CONTINUE.format("am")),
    ("rebase-apply", "rebase", "a rebase is in progress", _CONTINUE.format("rebase")),
    ("MERGE_HEAD", "merge", "a merge is in progress",
     "finish it (git commit) or abort it (git merge --abort)"),
    ("CHERRY_PICK_HEAD", "cherry-pick", "a cherry-pick is in progress",
     _CONTINUE.format("cherry-pick")),
    ("REVERT_HEAD", "revert", "a revert is in progress", _CONTINUE.format("revert")),
    ("sequencer", "cherry-pick", "a cherry-pick or revert of several commits is in "
     "progress", "finish it (--continue) or stop it (--quit, --abort)"),
    ("BISECT_LOG", "bisect", "a bisect is in progress", "end it (git bisect reset)"),
    ("index.lock", "lock", "the index is locked",
     "another git process is running; if none is, remove that file"),
)


class GitCommitError(GitError):
    """The files could not be committed; nothing in the repository was changed.

    (Outside a repository or without git, commit_paths raises reading.git's NotARepository
    or GitNotFound, GitErrors too.)
    """


class RepositoryBusy(GitCommitError):
    """git is in the middle of something: a merge, rebase, ..., a held lock, a detached HEAD.

    `operation` names it: rebase, am, merge, cherry-pick, revert, bisect, lock, detached.
    """

    def __init__(self, message: str, operation: str) -> None:
        super().__init__(message)
        self.operation = operation


class IdentityMissing(GitCommitError):
    """git's configuration names no author (user.name, user.email)."""


class PathNotCommittable(GitCommitError):
    """A path to commit is missing or ignored by git."""


class CommitRefused(GitCommitError):
    """`git commit` itself failed: a hook said no, a signing key was missing, ..."""


@dataclass(frozen=True, slots=True)
class CommitResult:
    """What was committed: the commit's hash and its paths, or None and () if nothing."""

    commit: str | None
    paths: tuple[str, ...]  # relative to the vault, with '/'
    message: str

    def as_json(self) -> dict[str, object] | None:
        """Return it as --json prints it: null when nothing was committed."""
        if self.commit is None:
            return None
        return {"hash": self.commit, "paths": list(self.paths), "message": self.message}

    def line(self) -> str:
        """Return what a command says about it: `committed 1a2b3c4: review: 2026-W47`."""
        return f"committed {(self.commit or '')[:7]}: {self.message}"


def review_message(labels: Iterable[str]) -> str:
    """Return the message of a commit of reviews: `review: 2026-W46, 2026-11`."""
    return "review: " + ", ".join(dict.fromkeys(labels))


def _relative(vault: Path, path: str | Path) -> str:
    """Return a vault path (relative, or absolute inside the vault) relative, with '/'."""
    given = Path(path)
    parts = given.parts
    if given.is_absolute():
        parts = given.parts[len(vault.parts):] if given.is_relative_to(vault) else ()
    if not parts or ".." in parts:
        raise ValueError(f"{path}: not a path inside the vault {vault}")
    return "/".join(parts)


def check_committable(vault: Path, *,
                      environ: Mapping[str, str] | None = None) -> Repository:
    """Check that a commit could be made in the vault's repository now; return it.

    Raises the GitError commit_paths would (no git, no repository, git busy, no
    identity), so that a command can refuse before it writes anything.
    """
    git = _find(vault, environ)
    _check_not_busy(git)
    _check_identity(git)
    return git


def commit_paths(vault: Path, paths: Sequence[str | Path],
                 message: str | Callable[[tuple[str, ...]], str], *,
                 run_hooks: bool = True,
                 environ: Mapping[str, str] | None = None) -> CommitResult:
    """Commit the current contents of paths (files of the vault) and nothing else.

    Paths are relative to the vault (or absolute inside it). Those whose contents equal
    HEAD's are left out; when none is left, nothing happens and the result's commit is
    None. message may be a function of the vault paths committed. Raises a GitError
    (nothing changed) when the commit cannot be made: a GitCommitError, or reading.git's
    NotARepository or GitNotFound.
    """
    relative = list(dict.fromkeys(_relative(vault, path) for path in paths))
    for path in relative:
        if not os.path.lexists(vault / path):
            raise PathNotCommittable(f"{path}: no such file; nothing was committed")
    git = _find(vault, environ)
    # Paths from the top of the working tree: the vault may be one of its folders.
    in_repo = {git.from_top(path): path for path in relative}

    changed, tracked = _changed(git, list(in_repo))
    committed_paths = tuple(in_repo[path] for path in changed)
    text = message if isinstance(message, str) else message(committed_paths)
    if not changed:
        return CommitResult(None, (), text)
    _check_not_busy(git)
    _check_identity(git)

    untracked = [path for path in changed if path not in tracked]
    if untracked:
        ignored = git.paths("ls-files", "-z", "--others", "--ignored", "--exclude-standard",
                            "--", *untracked)
        if ignored:
            names = ", ".join(in_repo[path] for path in sorted(ignored))
            raise PathNotCommittable(f"{names}: ignored by git (.gitignore); nothing was "
                                     "committed")
        added = git.run("add", "--", *untracked, writes=True)
        if added.returncode != 0:
            raise CommitRefused(f"git add failed, nothing was committed: {said(added)}")
    verify = () if run_hooks else ("--no-verify",)
    committed = git.run("commit", "--quiet", "--only", *verify, "--message", text,
                        "--", *changed, writes=True, extra_env={HOOK_MARKER: "1"})
    if committed.returncode != 0:
        if untracked:  # untracked again, as they were
            git.run("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *untracked,
                    writes=True)
        raise CommitRefused(f"git commit failed, nothing was committed: {said(committed)}")
    head = git.run("rev-parse", "--verify", "HEAD")
    return CommitResult(os.fsdecode(head.stdout).strip(), committed_paths, text)


def find_repository(vault: Path, *,
                    environ: Mapping[str, str] | None = None) -> Repository:
    """Return the repository holding the vault, or raise the GitError commit_paths would."""
    return _find(vault, environ)


def _find(vault: Path, environ: Mapping[str, str] | None) -> Repository:
    try:
        return Repository.find(vault, git_paths=[marker[0] for marker in _IN_PROGRESS],
                               environ=environ)
    except GitNotFound as error:
        raise GitNotFound(f"{error}: install it to commit reviews, or leave out "
                          "--commit") from None
    except NotARepository as error:
        raise NotARepository(f"{error}; nothing was committed") from None


def _changed(git: Repository, paths: list[str]) -> tuple[list[str], set[str]]:
    """Return those paths (from the top) whose contents differ from HEAD, and the tracked."""
    if not paths:  # (git would take no pathspec for the whole tree)
        return [], set()
    tracked = set(git.paths("ls-files", "-z", "--cached", "--", *paths))
    if git.run("rev-parse", "--quiet", "--verify", "HEAD^{commit}").returncode != 0:
        return paths, tracked  # no commit yet: every file is new
    differ = set(git.paths("diff", "--name-only", "-z", "--no-renames", "--no-ext-diff",
                           "HEAD", "--", *paths))
    return [path for path in paths if path in differ or path not in tracked], tracked


def _check_not_busy(git: Repository) -> None:
    for marker, operation, what, advice in _IN_PROGRESS:
        path = git.git_paths[marker]
        if path.exists():
            raise RepositoryBusy(f"{what} ({path}): {advice}; nothing was committed",
                                 operation)
    if git.run("symbolic-ref", "--quiet", "HEAD").returncode != 0:
        raise RepositoryBusy("HEAD is detached (no branch is checked out), so a commit "
                             "would belong to no branch: check out a branch; nothing was "
                             "committed", "detached")


def _check_identity(git: Repository) -> None:
    # useConfigOnly: an identity git would guess from the user and host names
    # (root@localhost) is not one to sign an unattended commit with.
    for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        if git.run("-c", "user.useConfigOnly=true", "var", who).returncode != 0:
            raise IdentityMissing(
                "git does not know who you are, so nothing was committed: run "
                "git config --global user.name \"Your Name\" and "
                "git config --global user.email you@example.com")
