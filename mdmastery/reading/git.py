"""The one way mdmastery runs `git`: find the repository that holds the vault, run git in
it with a clean environment, and turn what goes wrong into MdmasteryErrors.

- **Which repository.** Always the one holding the vault, found by `git rev-parse` from
  the vault's folder (the vault may be a folder of the working tree, a linked worktree or
  a submodule). The repository variables a calling git hook sets (`GIT_DIR`,
  `GIT_INDEX_FILE`, `GIT_WORK_TREE`, ...: git's `rev-parse --local-env-vars`) are not
  passed on, so a hook of another repository cannot point git elsewhere.
- **Reads take no lock.** A read (`writes=False`, the default) runs with
  `GIT_OPTIONAL_LOCKS=0`: git then never refreshes the index on its own, which would
  take `index.lock` and could make the user's own git command fail meanwhile.
- **Pathspecs are literal** (`--literal-pathspecs`): `[draft] 2026-W46.md` names one
  file, never a glob; paths are printed unquoted (`core.quotePath=false`).

Reading history (reading it as it was) and writing commits (writing/commit.py) both go
through `Repository`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import MdmasteryError

# git's `rev-parse --local-env-vars`: each ties git to one repository.
REPOSITORY_VARIABLES = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT", "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE",
    "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE",
    "GIT_COMMON_DIR",
)
# Options of every git command run (before the command's name).
_OPTIONS = ("--literal-pathspecs", "-c", "core.quotePath=false")


class GitError(MdmasteryError):
    """A git command failed or could not be run; the message says what git said."""


class GitNotFound(GitError):
    """The git command is not installed (or not on PATH)."""


class NotARepository(GitError):
    """The vault is not inside a git working tree."""


def clean_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment (os.environ by default) without git's repository variables."""
    clean = dict(os.environ if environ is None else environ)
    for name in REPOSITORY_VARIABLES:
        clean.pop(name, None)
    return clean


def said(done: subprocess.CompletedProcess[bytes]) -> str:
    """Return what a git command printed on failure (stderr, else stdout), stripped."""
    text = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()
    return text or f"exit status {done.returncode}"


@dataclass(frozen=True, slots=True)
class Repository:
    """The git repository holding a vault, and the way to run git in it."""

    executable: str  # the git program
    top: Path  # the top of the working tree
    prefix: str  # the vault's folder from the top, with '/' ('' when the vault is the top)
    environ: Mapping[str, str]  # without the repository variables
    # Files of the git directory asked for by find (git_paths), as `rev-parse --git-path`
    # resolves them (a linked worktree keeps some in its own folder, some in the common).
    git_paths: Mapping[str, Path]

    @classmethod
    def find(cls, vault: Path, *, git_paths: Sequence[str] = (),
             environ: Mapping[str, str] | None = None) -> Repository:
        """Return the repository whose working tree holds the vault folder.

        git_paths names files of the git directory to resolve as well (MERGE_HEAD,
        index.lock, ...), in the same git call. Raises GitNotFound without git and
        NotARepository when the vault is not in a working tree.
        """
        clean = clean_environment(environ)
        executable = shutil.which("git", path=clean.get("PATH", os.defpath))
        if executable is None:
            raise GitNotFound("git is not installed (no `git` on PATH)")
        probe = _run(executable, vault, clean, ("rev-parse", "--show-toplevel",
                                                "--show-prefix",
                                                *(arg for name in git_paths
                                                  for arg in ("--git-path", name))))
        if probe.returncode != 0:
            raise NotARepository(f"{vault} is not in a git working tree (git: {said(probe)})")
        top, prefix, *resolved = os.fsdecode(probe.stdout).split("\n")[:2 + len(git_paths)]
        # (--git-path prints paths relative to the folder git ran in: the vault)
        return cls(executable, Path(top), prefix, clean,
                   {name: Path(os.path.normpath(vault / path))
                    for name, path in zip(git_paths, resolved, strict=True)})

    def run(self, *args: str, writes: bool = False,
            extra_env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run git with args at the top of the working tree; return what it did.

        writes says the command changes the repository (add, commit): only then may git
        take its optional locks. extra_env is added to the environment (the hooks a
        commit runs see it).
        """
        environ = dict(self.environ)
        if not writes:
            environ["GIT_OPTIONAL_LOCKS"] = "0"
        environ.update(extra_env or {})
        return _run(self.executable, self.top, environ, args)

    def output(self, *args: str) -> bytes:
        """Run a read-only git command; return its stdout, or raise GitError if it fails."""
        done = self.run(*args)
        if done.returncode != 0:
            raise GitError(f"git {args[0]} failed: {said(done)}")
        return done.stdout

    def paths(self, *args: str) -> list[str]:
        """Run a read-only command printing NUL-separated paths (-z); return them."""
        return [os.fsdecode(path) for path in self.output(*args).split(b"\0") if path]

    def from_top(self, vault_path: str) -> str:
        """Return a vault path (relative, with '/') as a path from the top of the tree."""
        return self.prefix + vault_path

    def in_vault(self, top_path: str) -> str | None:
        """Return a path from the top as a vault path, or None if it is outside the vault."""
        if not top_path.startswith(self.prefix):
            return None
        return top_path[len(self.prefix):]


def _run(executable: str, folder: Path, environ: Mapping[str, str],
         args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([executable, *_OPTIONS, *args], cwd=folder, env=environ,
                          stdin=subprocess.DEVNULL, capture_output=True, check=False)
