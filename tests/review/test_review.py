"""The review's figures, hand-computed on small vaults (the full note: test_review_golden)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import write

from mdmastery.config import load_config
from mdmastery.dates.periods import period_of
from mdmastery.load.loader import load_vault
from mdmastery.review.build import build_review


@pytest.mark.parametrize("schedule", ["daily", "3/week"])  # (a quota: any day may count)
@pytest.mark.parametrize(("today_box", "done", "not_done"), [
    ("x", (5.0, 6), (2.29, 7)),  # today done: counted
    (" ", (5.0, 5), (2.29, 7))])  # today not done: not over yet, left out
def test_mood_by_habit_counts_due_days_done_and_not_done(
        vault: Path, schedule: str, today_box: str, done: tuple[float, int],
        not_done: tuple[float, int]) -> None:
    """Hand-computed: done days (mood 5), missed and empty due days (2 and 3), a skip and
    a day before the habit started left out (mood 1)."""
    write(vault, "Habits/Run.md",
          f"---\ntype: habit\nstarted: 2026-11-01\nschedule: {schedule}\n---\n")
    days = {"2026-10-30": ("x", 1), "2026-11-13": ("-", 1), "2026-11-14": (today_box, 5)}
    days.update({f"2026-11-{n:02d}": ("x", 5) for n in range(1, 6)})
    days.update({f"2026-11-{n:02d}": (" ", 2) for n in range(6, 11)})
    days.update({f"2026-11-{n:02d}": (None, 3) for n in (11, 12)})
    for day, (box, mood) in days.items():
        write(vault, f"Journal/{day}.md", f"---\nmood: {mood}\n---\n" +
              (f"- [{box}] Run\n" if box else "Rest.\n"))
    config = load_config(vault)
    week = period_of("week", date(2026, 11, 14), config.week_start, config.formats)
    review = build_review(load_vault(vault).model, config, week, date(2026, 11, 14))
    (found,) = review.context["correlations"]
    assert (found["done_mood"], found["done_days"]) == done
    assert (found["not_done_mood"], found["not_done_days"]) == not_done
