"""The rendered weekly review of sample-vault/ is a golden file; reruns change nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, run, snapshot, write

from mdmastery.config import load_config
from mdmastery.load import load_vault
from mdmastery.periods import period_of
from mdmastery.review import build_review

GOLDEN = ROOT / "tests" / "golden" / "sample-2026-W47.md"
# The reviews kept in sample-vault/Reviews, as (period, a day in it).
KEPT = [("week", "2026-11-20"), ("week", "2026-11-13"), ("month", "2026-10-15")]


def test_weekly_review_matches_golden_file(sample_copy: Path) -> None:
    shutil.rmtree(sample_copy / "Reviews")
    result = run("review", "--vault", str(sample_copy), "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Reviews/2026-W47.md: created"
    written = (sample_copy / "Reviews" / "2026-W47.md").read_bytes()
    assert written == GOLDEN.read_bytes(), (
        "the rendered review changed; if on purpose, regenerate tests/golden/ and "
        "sample-vault/Reviews/ (see docs/development.md)")


def test_same_review_on_a_later_day_is_byte_identical(sample_copy: Path) -> None:
    shutil.rmtree(sample_copy / "Reviews")
    run("review", "--vault", str(sample_copy), "--date", "2026-11-20", today="2027-03-01")
    assert (sample_copy / "Reviews" / "2026-W47.md").read_bytes() == GOLDEN.read_bytes()


def test_kept_sample_reviews_are_up_to_date_and_reruns_change_nothing(
        sample_copy: Path) -> None:
    before = snapshot(sample_copy)
    for _ in range(2):
        for period, day in KEPT:
            result = run("review", "--vault", str(sample_copy), "--period", period,
                         "--date", day)
            assert result.exit_code == 0, result.output
            assert result.stdout.strip().endswith(": unchanged"), result.output
    assert snapshot(sample_copy) == before


def test_every_period_twice_is_byte_identical_and_touches_only_reviews(
        sample_copy: Path) -> None:
    before = snapshot(sample_copy)
    outputs = []
    for _ in range(2):
        for period in ("week", "month", "quarter", "year"):
            result = run("review", "--vault", str(sample_copy), "--period", period,
                         "--date", "2026-11-20")
            assert result.exit_code == 0, result.output
        outputs.append(snapshot(sample_copy))
    assert outputs[0] == outputs[1]
    changed = {p for p in outputs[1] if before.get(p) != outputs[1][p]}
    assert changed == {"Reviews/2026-11.md", "Reviews/2026-Q4.md", "Reviews/2026.md"}
    assert set(before) <= set(outputs[1])


def test_json_output_is_deterministic(sample_copy: Path) -> None:
    first = run("review", "--vault", str(sample_copy), "--json", "--period", "month")
    second = run("review", "--vault", str(sample_copy), "--json", "--period", "month")
    assert first.exit_code == 0
    assert first.stdout == second.stdout


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
