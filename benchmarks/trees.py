"""Run the mdmastery of a git revision, or of this checkout, as a command.

Comparing two versions of the code (their outputs, their speed) needs each version's
package to be the one imported, with the same dependencies. The virtual environment of
scripts/test installs this checkout editable, through a finder that would hand the
package of another tree this checkout's subpackages and templates; so a version's
commands run with `python -S -P` (no site, so no .pth file and no finder; no current
folder first in the path) and a PYTHONPATH of the version's tree, then the environment's
site-packages for the dependencies. Every version runs the same way, so their timings
compare too.

    before = Version.of("main")     # a revision, exported to a temporary folder
    after = Version.of(None)        # this checkout as it is
    subprocess.run(before.argv("review", "--json"), env=before.env(today="2026-11-22"))
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def python() -> str:
    """Return the interpreter with the dependencies: scripts/test's .venv when there is
    one, else the running one."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


@cache
def site_packages(interpreter: str) -> tuple[str, ...]:
    """Return the folders an interpreter finds its installed packages in."""
    if Path(interpreter).absolute() == Path(sys.executable).absolute():
        paths = [sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]
    else:
        paths = subprocess.run(
            [interpreter, "-c", "import sysconfig; print(sysconfig.get_path('purelib')); "
             "print(sysconfig.get_path('platlib'))"],
            capture_output=True, text=True, check=True).stdout.split()
    return tuple(dict.fromkeys(paths))


def export(revision: str) -> tuple[Path, str]:
    """Export a revision's files into a temporary folder (removed at exit); return it and
    the short commit."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--short",
                             f"{revision}^{{commit}}"], capture_output=True, text=True,
                            check=True).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix=f"mdmastery-{commit}-"))
    atexit.register(shutil.rmtree, folder, True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit],
                       stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(folder, filter="data")
    return folder, commit


def checkout_label() -> str:
    """Name this checkout: its commit, and whether the code has uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--",
                                "mdmastery", "templates", "pyproject.toml"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty else "")


@dataclass(frozen=True)
class Version:
    """One version of mdmastery: the tree its package is in, and a label for reports."""

    tree: Path
    label: str
    interpreter: str

    @classmethod
    def of(cls, revision: str | None, interpreter: str | None = None) -> Version:
        """Return a git revision's version (None: this checkout as it is; a folder holding
        a tree: that tree), checked to run."""
        interpreter = interpreter or python()
        if revision is None:
            version = cls(REPO, checkout_label(), interpreter)
        elif (Path(revision) / "mdmastery").is_dir():  # a folder holding a tree
            version = cls(Path(revision).resolve(), revision, interpreter)
        else:
            tree, commit = export(revision)
            version = cls(tree, commit, interpreter)
        version.check()
        return version

    def argv(self, *args: str) -> list[str]:
        """Return the command line of `mdmastery ARGS` (run it with env())."""
        return [self.interpreter, "-S", "-P", "-m", "mdmastery", *args]

    def env(self, today: str | None = None) -> dict[str, str]:
        """Return the environment of a command: this version's package first, then the
        dependencies; MDMASTERY_TODAY pinned to today, no other MDMASTERY_* variable of
        the caller's; bytecode caching on, as in a normal install."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("MDMASTERY_") and key not in
               ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONHOME", "PYTHONSTARTUP")}
        env["PYTHONPATH"] = os.pathsep.join([str(self.tree),
                                             *site_packages(self.interpreter)])
        if today is not None:
            env["MDMASTERY_TODAY"] = today
        return env

    def check(self) -> None:
        """Exit with a message unless this version's commands import its own package."""
        probe = subprocess.run(
            [self.interpreter, "-S", "-P", "-c", "import mdmastery; print(mdmastery.__file__)"],
            env=self.env(), capture_output=True, text=True)
        found = probe.stdout.strip()
        expected = (self.tree / "mdmastery" / "__init__.py").resolve()
        if probe.returncode != 0 or Path(found).resolve() != expected:
            raise SystemExit(f"cannot run the mdmastery of {self.tree} (imported "
                             f"{found or 'nothing'})\n{probe.stderr}")
