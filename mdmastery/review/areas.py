"""The review's life areas (and the vault's problems, counted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .figures import Figures


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    data = shown["data"]
    return {
        "areas": data["areas"],
        "empty_areas": [a for a, counts in data["areas"].items()
                        if counts["goals"] == 0 and counts["habits"] == 0],
        "problem_count": len(data["problems"]),
    }
