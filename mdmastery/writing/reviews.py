"""A period's review note: built, rendered through the review template and written, with
the user's answers kept. `mdmastery review` and the watch both write through here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..config import Config
from ..dates.periods import Period
from ..model.model import Model
from ..review.build import Review, build_review, review_path
from ..review.checkin import region_aliases
from .notes import WriteResult, write_generated
from .templates import render


def render_review(root: Path, review: Review) -> str:
    """Render a review through the vault's (or the packaged) review template."""
    return render(root, "review.md.j2", review.context)


def write_review(root: Path, model: Model, config: Config, period: Period, today: date,
                 force: bool = False, dry_run: bool = False) -> WriteResult:
    """Compute, render and write one period's review note."""
    review = build_review(model, config, period, today)
    return write_generated(root, review_path(config, period), render_review(root, review),
                           force=force, dry_run=dry_run,
                           aliases=region_aliases(review.context))
