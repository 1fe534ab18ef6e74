"""Shared fixtures: real temp vaults built from real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from mdmastery.cli import cli

# Fixtures of real git repositories (git_home), for the tests that run git.
pytest_plugins = ["gitrepos"]

# CI must not fail on a new random example nobody can reproduce: search deterministically
# there; developers' runs keep exploring (and remember failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-vault"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An empty vault folder marked as one."""
    root = tmp_path / "vault"
    (root / ".mdmastery").mkdir(parents=True)
    return root


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of sample-vault/ (without its cache)."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("cache"))
    return target


def run(*args: str, today: str = "2026-11-22") -> Result:
    """Run the CLI in-process with today pinned."""
    return CliRunner().invoke(cli, list(args), env={"MDMASTERY_TODAY": today})


def write(root: Path, relative: str, data: str | bytes) -> Path:
    """Write a file of the vault: text as UTF-8, bytes exactly as given."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a tree (but the disposable cache) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(root).parts}
