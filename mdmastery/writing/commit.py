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
docs/integrations.md says more.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import MdmasteryError

# Set in the environment of the commit (and so of the user's hooks it runs).
HOOK_MARKER = "MDMASTERY_COMMIT"

# git's `rev-parse --local-env-vars`: they tie git to one repository (a hook's GIT_DIR,
# GIT_INDEX_FILE, ...). The repository is the one holding the vault, whoever runs us.
_REPOSITORY_VARIABLES = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT", "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE",
    "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE",
    "GIT_COMMON_DIR",
)

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


class GitCommitError(MdmasteryError):
    """The files could not be committed; nothing in the repository was changed."""


class GitNotFound(GitCommitError):
    """The git command is not installed (or not on PATH)."""


class NotARepository(GitCommitError):
    """The vault is not inside a git working tree."""


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


def review_message(labels: Iterable[str]) -> str:
    """Return the message of a commit of reviews: `review: 2026-W46, 2026-11`."""
    return "review: " + ", ".join(dict.fromkeys(labels))


@dataclass(frozen=True, slots=True)
class _Git:
    """The git command, run in one folder with a cleaned environment."""

    executable: str
    folder: Path
    environ: Mapping[str, str]

    def run(self, *args: str, writes: bool = False,
            extra_env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        environ = dict(self.environ)
        if not writes:  # a status-like read must not take the index lock from the user's git
            environ["GIT_OPTIONAL_LOCKS"] = "0"
        environ.update(extra_env or {})
        return subprocess.run([self.executable, "--literal-pathspecs", *args],
                              cwd=self.folder, env=environ, stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)

    def paths(self, *args: str) -> list[str]:
        """Run a command printing NUL-separated paths (-z); return them."""
        done = self.run(*args)
        if done.returncode != 0:
            raise GitCommitError(f"git {args[0]} failed: {_said(done)}")
        return [os.fsdecode(path) for path in done.stdout.split(b"\0") if path]


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """Return what a git command printed, on one line if it is one line."""
    text = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    return text or f"exit status {done.returncode}"


def _relative(vault: Path, path: str | Path) -> str:
    """Return a vault path (relative, or absolute inside the vault) relative, with '/'."""
    given = Path(path)
    parts = given.parts
    if given.is_absolute():
        parts = given.parts[len(vault.parts):] if given.is_relative_to(vault) else ()
    if not parts or ".." in parts:
        raise ValueError(f"{path}: not a path inside the vault {vault}")
    return "/".join(parts)


def commit_paths(vault: Path, paths: Sequence[str | Path], message: str, *,
                 run_hooks: bool = True,
                 environ: Mapping[str, str] | None = None) -> CommitResult:
    """Commit the current contents of paths (files of the vault) and nothing else.

    Paths are relative to the vault (or absolute inside it). Those whose contents equal
    HEAD's are left out; when none is left, nothing happens and the result's commit is
    None. Raises a GitCommitError (nothing changed) when the commit cannot be made.
    """
    base = dict(os.environ if environ is None else environ)
    for name in _REPOSITORY_VARIABLES:
        base.pop(name, None)
    executable = shutil.which("git", path=base.get("PATH", os.defpath))
    if executable is None:
        raise GitNotFound("git is not installed (no `git` on PATH): install it to commit "
                          "reviews, or leave out --commit")
    relative = list(dict.fromkeys(_relative(vault, path) for path in paths))
    for path in relative:
        if not os.path.lexists(vault / path):
            raise PathNotCommittable(f"{path}: no such file; nothing was committed")

    probe = _Git(executable, vault, base).run(
        "rev-parse", "--show-toplevel", "--show-prefix",
        *(arg for marker in _IN_PROGRESS for arg in ("--git-path", marker[0])))
    if probe.returncode != 0:
        raise NotARepository(f"{vault} is not in a git working tree, so nothing can be "
                             f"committed (git: {_said(probe)})")
    top, prefix, *git_paths = os.fsdecode(probe.stdout).split("\n")[:2 + len(_IN_PROGRESS)]
    git = _Git(executable, Path(top), base)
    # Paths from the top of the working tree: the vault may be one of its folders.
    in_repo = {prefix + path: path for path in relative}

    changed, tracked = _changed(git, list(in_repo))
    if not changed:
        return CommitResult(None, (), message)
    _check_not_busy(git, [Path(os.path.normpath(vault / path)) for path in git_paths])
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
            raise CommitRefused(f"git add failed, nothing was committed: {_said(added)}")
    verify = () if run_hooks else ("--no-verify",)
    committed = git.run("commit", "--quiet", "--only", *verify, "--message", message,
                        "--", *changed, writes=True, extra_env={HOOK_MARKER: "1"})
    if committed.returncode != 0:
        if untracked:  # untracked again, as they were
            git.run("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *untracked,
                    writes=True)
        raise CommitRefused(f"git commit failed, nothing was committed: {_said(committed)}")
    head = git.run("rev-parse", "--verify", "HEAD")
    return CommitResult(os.fsdecode(head.stdout).strip(),
                        tuple(in_repo[path] for path in changed), message)


def _changed(git: _Git, paths: list[str]) -> tuple[list[str], set[str]]:
    """Return those paths (from the top) whose contents differ from HEAD, and the tracked."""
    if not paths:  # (git would take no pathspec for the whole tree)
        return [], set()
    tracked = set(git.paths("ls-files", "-z", "--cached", "--", *paths))
    if git.run("rev-parse", "--quiet", "--verify", "HEAD^{commit}").returncode != 0:
        return paths, tracked  # no commit yet: every file is new
    differ = set(git.paths("diff", "--name-only", "-z", "--no-renames", "--no-ext-diff",
                           "HEAD", "--", *paths))
    return [path for path in paths if path in differ or path not in tracked], tracked


def _check_not_busy(git: _Git, marker_files: list[Path]) -> None:
    for path, (_, operation, what, advice) in zip(marker_files, _IN_PROGRESS, strict=True):
        if path.exists():
            raise RepositoryBusy(f"{what} ({path}): {advice}; nothing was committed",
                                 operation)
    if git.run("symbolic-ref", "--quiet", "HEAD").returncode != 0:
        raise RepositoryBusy("HEAD is detached (no branch is checked out), so a commit "
                             "would belong to no branch: check out a branch; nothing was "
                             "committed", "detached")


def _check_identity(git: _Git) -> None:
    # useConfigOnly: an identity git would guess from the user and host names
    # (root@localhost) is not one to sign an unattended commit with.
    for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        if git.run("-c", "user.useConfigOnly=true", "var", who).returncode != 0:
            raise IdentityMissing(
                "git does not know who you are, so nothing was committed: run "
                "git config --global user.name \"Your Name\" and "
                "git config --global user.email you@example.com")
