"""How figures look in a review note and in the terminal: day states, bars, percents,
wikilinks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class Look(NamedTuple):
    """How one day state is shown."""

    note: str  # in a review note's heatmap
    terminal: str  # in `mdmastery status`
    color: str | None  # of the terminal symbol, when the terminal shows colours
    name: str  # in the note's legend


DAY_STATES = {
    "done": Look("✅", "✓", "green", "done"),
    "missed": Look("❌", "✗", "red", "missed"),
    "skipped": Look("➖", "–", "yellow", "skipped"),
    "empty": Look("·", "·", None, "no entry"),
}
NOT_DUE = Look("▫", " ", None, "not due")
# The heatmap's legend: "✅ done · ❌ missed · ➖ skipped · · no entry · ▫ not due."
LEGEND = " · ".join(f"{look.note} {look.name}" for look in (*DAY_STATES.values(), NOT_DUE)) + "."


def wikilink(path: str, label: str | None = None) -> str:
    """Return an Obsidian wikilink to a vault path, labelled when the label differs."""
    target = path[:-3] if path.lower().endswith(".md") else path
    stem = target.rsplit("/", 1)[-1]
    label = label if label is not None else stem
    return f"[[{target}]]" if label == target else f"[[{target}|{label}]]"


def note_link(path: str, namesakes: Mapping[str, tuple[str, ...]]) -> str:
    """Return a link to a note by its name, `[[2026-11-20]]`, which a plain editor shows
    as the day; by its path, `[[Journal/2026-11-20|2026-11-20]]`, only when another note
    has that name (any case: Obsidian would resolve the name to either)."""
    target = path[:-3] if path.lower().endswith(".md") else path
    stem = target.rsplit("/", 1)[-1]
    return wikilink(path, stem) if stem.casefold() in namesakes else f"[[{stem}]]"


def bar(progress: float | None, width: int = 10) -> str:
    """Return a progress bar of block characters ("" without progress)."""
    if progress is None:
        return ""
    filled = round(progress * width)
    return "█" * filled + "░" * (width - filled)


def amount(value: float) -> str:
    """Return a goal's value as a person writes it: 1800, 21.1, 0.3 (at most 2 decimals)."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(value: float | None) -> str:
    """Return a share as a whole percent ("–" without one)."""
    return "–" if value is None else f"{round(value * 100)}%"
