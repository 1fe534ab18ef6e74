"""The settings a vault's own Obsidian settings give: the daily notes' file name format and
folder, from Periodic Notes when its daily notes are enabled, else from core Daily notes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import Problem
from .paths import OBSIDIAN_DAILY
from .table import BY_KEY, Found

# Where the daily-note settings are in each file of OBSIDIAN_DAILY, and which key of the
# table each of them sets.
_NESTING = (("daily",), ())
_KEYS = (("formats.daily", "format"), ("folders.journal", "folder"))


def read_obsidian_settings(root: Path) -> tuple[dict[str, Found], list[Problem]]:
    """Return the settings Obsidian's own files give, and the problems of odd values."""
    for relative, nesting in zip(OBSIDIAN_DAILY, _NESTING, strict=True):
        try:
            data: Any = json.loads((root / relative).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        for name in nesting:
            data = data.get(name) if isinstance(data, dict) else None
        if not isinstance(data, dict) or (nesting and data.get("enabled") is False):
            continue
        found: dict[str, Found] = {}
        problems: list[Problem] = []
        for key, name in _KEYS:
            value = data.get(name)
            if value is None or (name == "format" and isinstance(value, str)
                                 and not value.strip()):
                continue  # unset in Obsidian: its own default, which is ours
            try:
                found[key] = Found(BY_KEY[key].kind.check(value), relative)
            except ValueError:
                problems.append(Problem(relative, 0, "warning", f"the daily notes' {name} "
                                        f"must be a string, not {json.dumps(value)}; "
                                        "ignored"))
        return found, problems
    return {}, []
