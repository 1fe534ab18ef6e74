"""A period's review: its figures as of min(period end, today), its data and, for the
note, its template context; and where its note lives."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from ..config import Config, note_path
from ..dates.periods import Period
from ..model.model import Model
from .data import review_data
from .figures import figures_of


class Review(NamedTuple):
    """A period's review: the JSON data and the richer context the template renders."""

    period: Period
    data: dict[str, Any]
    context: dict[str, Any]


def build_review(model: Model, config: Config, period: Period, today: date,
                 for_template: bool = True) -> Review:
    """Compute a period's review as of min(period end, today).

    for_template=False skips what only the rendered note shows (links, trends, the
    mood insight over all history): `--json` and `status` need the data alone.
    """
    figures = figures_of(model, config, period, today)
    data = review_data(figures)
    if not for_template:
        return Review(period, data, {})
    from .context import review_context  # (its sections: only for a note)

    return Review(period, data, review_context(figures, data))


def review_path(config: Config, period: Period) -> str:
    """Return the vault-relative path of a period's review note."""
    return note_path(config.reviews_folder, f"{period.label}.md")
