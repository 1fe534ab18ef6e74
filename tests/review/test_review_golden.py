"""The rendered weekly review of sample-vault/ is a golden file; reruns change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run, snapshot

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
