"""Helpers for the crafted vaults of tests/vaults/ (modelled on real plugins' files)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from conftest import run

VAULTS = Path(__file__).resolve().parent / "vaults"


def copy_vault(name: str, tmp_path: Path) -> Path:
    """Return a private copy of tests/vaults/NAME."""
    target = tmp_path / name
    shutil.copytree(VAULTS / name, target)
    return target


def hashes(root: Path) -> dict[str, str]:
    """Every file of a tree (but the disposable cache) with the SHA-256 of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".mdmastery/cache" not in p.relative_to(root).as_posix()}


def review_data(root: Path, *args: str, today: str = "2026-12-22") -> dict[str, Any]:
    """Run `review --json` and return its data (asserting it succeeded)."""
    result = run("review", "--vault", str(root), "--json", *args, today=today)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_path(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["path"]: item for item in items}


def problem_lines(data: dict[str, Any]) -> list[str]:
    """The problems of review data as `path:line: level: message`."""
    return [f"{p['path']}:{p['line']}: {p['level']}: {p['message']}" for p in data["problems"]]
