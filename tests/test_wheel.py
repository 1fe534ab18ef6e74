"""The wheel a user installs (issue 16): built from this tree, installed into a fresh virtual
environment with nothing but its own dependencies, and run on a temporary vault.

The wheel is built from a copy of the tree that is deleted before the wheel runs, and the
commands run from a folder where the source is not importable, so the templates can only
come from inside the installed wheel. Under scripts/test nothing is downloaded: the build
uses the setuptools of the running environment, and the dependencies come from the wheels
it fetched for requirements.lock (MDMASTERY_WHEELHOUSE); elsewhere the locked versions are
downloaded first, hash-checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import run, snapshot

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
# What a build of the wheel never reads: version control, environments, caches, build
# output, and the folders of tests, benchmarks (which may hold generated vaults) and docs.
NOT_BUILT = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__",
                                   "tests", "benchmarks", "sample-vault", "docs")


def pip(*args: str | Path) -> None:
    """Run the running environment's pip; its output is shown only when it fails."""
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check",
                           *map(str, args)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("MDMASTERY_WHEELHOUSE")
    if given:
        return Path(given)
    folder = tmp_path_factory.mktemp("wheelhouse")
    pip("download", "-q", "--require-hashes", "--no-deps", "-r", LOCK, "-d", folder)
    return folder


class Built(NamedTuple):
    wheel: Path
    templates: list[str]  # the names of the templates in the tree it was built from


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The wheel of this tree, built offline from a copy that is then deleted."""
    source = tmp_path_factory.mktemp("build") / "mdmastery"
    shutil.copytree(ROOT, source, ignore=NOT_BUILT)
    templates = sorted(path.name for path in source.rglob("*.j2"))
    dist = tmp_path_factory.mktemp("dist")
    pip("wheel", "-q", "--no-deps", "--no-index", "--no-build-isolation", "-w", dist, source)
    shutil.rmtree(source)
    (wheel,) = dist.glob("mdmastery-*.whl")
    return Built(wheel, templates)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, built: Built,
              wheelhouse: Path) -> Path:
    """A fresh virtual environment holding the wheel and its dependencies only."""
    env = tmp_path_factory.mktemp("env") / "venv"
    venv.create(env, with_pip=False, symlinks=os.name != "nt")
    pip("--python", env / "bin" / "python", "install", "-q", "--no-index",
        "--find-links", wheelhouse, built.wheel)
    return env


def mdmastery(env: Path, cwd: Path, *args: str, today: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script from cwd, with nothing of the source on its path."""
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "MDMASTERY_", "VIRTUAL_ENV"))}
    environ["MDMASTERY_TODAY"] = today
    return subprocess.run([str(env / "bin" / "mdmastery"), *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=60, check=False)


def test_wheel_holds_the_templates_and_no_tests(built: Built) -> None:
    names = zipfile.ZipFile(built.wheel).namelist()
    assert built.templates, "no template found in the source"
    assert sorted(Path(name).name for name in names if name.endswith(".j2")) == built.templates
    assert not [name for name in names if name.startswith(("tests/", "benchmarks/"))]


def test_installed_wheel_runs_init_today_and_review(installed: Path, built: Built,
                                                    tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # the cwd: no mdmastery/ or templates/ here
    elsewhere.mkdir()
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import mdmastery, sys; print(mdmastery.__file__); print(sys.prefix)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True)
    module, prefix = where.stdout.splitlines()
    assert Path(module).is_relative_to(installed) and Path(prefix) == installed

    version = mdmastery(installed, elsewhere, "--version", today="2026-11-20")
    assert version.returncode == 0, version.stderr
    assert built.wheel.name.split("-")[1] in version.stdout  # the wheel's own version

    # The same commands from the installed wheel and from this tree's code: the same vault.
    steps = [(["init", "vault"], "2026-11-19"),
             (["today", "--vault", "vault"], "2026-11-20"),
             (["review", "--vault", "vault", "--date", "2026-11-20"], "2026-11-22")]
    for args, day in steps:
        done = mdmastery(installed, elsewhere, *args, today=day)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    reference = tmp_path / "reference"
    reference.mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(reference)
        for args, day in steps:
            assert run(*args, today=day).exit_code == 0, args
    finally:
        os.chdir(cwd)
    made = snapshot(elsewhere / "vault")
    assert made == snapshot(reference / "vault")
    assert {"Journal/2026-11-19.md", "Journal/2026-11-20.md", "Reviews/2026-W47.md"} <= set(made)
    assert b"## Wins" in made["Journal/2026-11-20.md"]
