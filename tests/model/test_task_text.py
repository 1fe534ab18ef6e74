"""A task's text without leading tags and emoji (mdmastery/model/task_text.py)."""

from __future__ import annotations

import pytest

from mdmastery.model.task_text import habit_text, without_global_filter


@pytest.mark.parametrize(("text", "expected"), [
    ("#habit Meditate", "Meditate"),
    ("🏃 Run", "Run"),
    ("🏃‍♂️ Run 5 km", "Run 5 km"),             # a ZWJ sequence with a variation selector
    ("#task 🧘 Meditate ✅ 2026-12-22", "Meditate ✅ 2026-12-22"),
    ("#daily/habit #health Floss", "Floss"),
    ("✅ Read 20 pages", "Read 20 pages"),
    ("Meditate", "Meditate"),
    ("Meditate #habit", "Meditate #habit"),      # only leading tags go
    ("C# practice", "C# practice"),
    ("3 km run", "3 km run"),                   # digits are no emoji
    ("— Run", "— Run"),                          # punctuation is no emoji
    ("#habit", "#habit"),                        # nothing but a tag: kept
    ("  🏃  ", "🏃"),
])
def test_habit_text(text: str, expected: str) -> None:
    assert habit_text(text) == expected


def test_the_global_filter_goes_anywhere() -> None:
    assert habit_text("Meditate #task", "#task") == "Meditate"
    assert habit_text("#task Meditate", "#task") == "Meditate"


@pytest.mark.parametrize(("text", "expected"), [
    ("#task Register for the race", "Register for the race"),
    ("Register #task for the race", "Register for the race"),
    ("#task/home Fix the tap", "#task/home Fix the tap"),   # a nested tag stays, as in Tasks
    ("#tasks Fix the tap", "#tasks Fix the tap"),
    ("Register", "Register"),
])
def test_without_global_filter(text: str, expected: str) -> None:
    assert without_global_filter(text, "#task") == expected


def test_no_global_filter_changes_nothing() -> None:
    assert without_global_filter("#task Register", None) == "#task Register"
    assert without_global_filter("#task Register", "") == "#task Register"
