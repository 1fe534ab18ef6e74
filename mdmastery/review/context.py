"""What a review note's template shows: the review's data and, section by section, the
links, bars, trends and questions around it.

Each section of the note has a builder: section(figures, shown) returns the values its
part of the template reads; shown is the context the builders before it made (the
check-in asks about the goals the goals' section shows). A new section, or a new insight
in one, is a builder here and a partial in writing/templates/review/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import areas, checkin, goals, habits, header, journal
from .figures import Figures

Section = Callable[[Figures, Mapping[str, Any]], dict[str, Any]]

# In the order they build: a builder may read what those before it made.
SECTIONS: tuple[Section, ...] = (header.section, goals.section, habits.section,
                                 journal.section, areas.section, checkin.section)


def review_context(figures: Figures, data: dict[str, Any]) -> dict[str, Any]:
    """Return everything the review template shows: the data, then each section's values."""
    context: dict[str, Any] = {"data": data}
    for section in SECTIONS:
        context.update(section(figures, context))
    return context
