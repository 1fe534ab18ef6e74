"""The model: everything mdmastery reads from a vault, ready for the figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import Problem
from .journal import Journal
from .scales import ScaleUse
from .values import Goal, Habit, Vision


def _default_scales() -> dict[str, ScaleUse]:
    return {"mood": ScaleUse(), "energy": ScaleUse()}


@dataclass(frozen=True, slots=True)
class Model:
    """Everything extracted from a vault, ready for analytics."""

    habits: tuple[Habit, ...]
    goals: tuple[Goal, ...]
    journal: Journal  # sorted by day, one per day
    vision: Vision | None
    problems: tuple[Problem, ...]
    note_count: int = 0
    # What `check` says of the vault as a whole besides its problems (level "note": a
    # scale detected).
    notices: tuple[Problem, ...] = ()
    # The file names (stems, case-folded) that more than one note has, each with the
    # paths of those notes: a link by name to one of them is ambiguous in Obsidian.
    namesakes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The scale mood and energy are read on (by kind), and the evidence for it. One
    # place: the review's averages and any chart of them take it from here.
    scales: Mapping[str, ScaleUse] = field(default_factory=_default_scales)
