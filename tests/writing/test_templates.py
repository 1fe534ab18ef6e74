"""The review template: one partial per section, each overridable alone; a user's own
review.md.j2 still replaces the whole note."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import run, write

from mdmastery.writing.templates import PACKAGED

WEEK = "Reviews/2026-W47.md"


def week_review(vault: Path) -> str:
    shutil.rmtree(vault / "Reviews", ignore_errors=True)
    result = run("review", "--vault", str(vault), "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    return (vault / WEEK).read_text(encoding="utf-8")


def partials() -> list[str]:
    """The partials review.md.j2 includes, in order."""
    main = (PACKAGED / "review.md.j2").read_text(encoding="utf-8")
    return re.findall(r'\{% include "(review/[\w-]+\.md\.j2)" %\}', main)


def without_hash(text: str) -> str:
    return re.sub(r"(?m)^mdmastery: \S+\n", "", text)


def test_every_section_is_a_partial_of_the_packaged_review() -> None:
    names = partials()
    assert names == [f"review/{section}.md.j2" for section in (
        "header", "goals", "habits", "wins", "lessons", "gratitude", "mood", "areas",
        "checkin", "commitments", "notes")]
    assert all((PACKAGED / name).is_file() for name in names)


def test_a_whole_review_template_of_ones_own_replaces_the_note(sample_copy: Path) -> None:
    packaged = week_review(sample_copy)
    # The partials in one file: a user's review.md.j2 as versions before the partials
    # had it, which must keep working and give the very same note.
    whole = "".join((PACKAGED / name).read_text(encoding="utf-8") for name in partials())
    write(sample_copy, ".mdmastery/templates/review.md.j2", whole)
    assert week_review(sample_copy) == packaged
    write(sample_copy, ".mdmastery/templates/review.md.j2", whole.replace(
        "## Gratitude", "## Thanks"))
    assert without_hash(week_review(sample_copy)) == \
        without_hash(packaged).replace("## Gratitude", "## Thanks")


def test_one_partial_of_ones_own_changes_only_its_section(sample_copy: Path) -> None:
    packaged = without_hash(week_review(sample_copy))
    write(sample_copy, ".mdmastery/templates/review/wins.md.j2",
          "## Wins\n{% for w in wins %}\n* {{ w.text }}\n{% endfor %}\n\n")
    custom = without_hash(week_review(sample_copy))
    head, rest = packaged.split("## Wins\n", 1)
    section, tail = rest.split("## Lessons", 1)
    wins = [line[2:line.rindex(" ([[")] for line in section.splitlines()
            if line.startswith("- ")]
    assert len(wins) >= 2
    assert custom == "".join([head, "## Wins\n", *(f"* {win}\n" for win in wins), "\n",
                              "## Lessons", tail])
