"""Mood and energy scales (mdmastery/model/scales.py)."""

from __future__ import annotations

from typing import Any

import pytest

from mdmastery.model.scales import (
    DEFAULT_SCALE,
    ENERGY_EMOJI,
    ENERGY_WORDS,
    MOOD_EMOJI,
    MOOD_WORDS,
    Detection,
    Scale,
    detect_scale,
    parse_scale,
    read_level,
)

TEN = Scale(1, 10)
NINE = Scale(0, 9)


@pytest.mark.parametrize(("setting", "scale"), [
    ("1-5", Scale(1, 5)), ("1-10", TEN), (" 0 - 9 ", NINE), ("0..10", Scale(0, 10)),
    ("1 to 10", TEN), ("1–10", TEN), ([1, 10], TEN), ((0, 9), NINE),
])
def test_scale_settings(setting: Any, scale: Scale) -> None:
    assert parse_scale(setting) == scale


@pytest.mark.parametrize("setting", [
    "10-1", "5-5", "1-1000", "-1-5", "one to ten", "1-10-100", [1], [1, "10"], [True, 5],
    None, 10,
])
def test_bad_scale_settings_are_none(setting: Any) -> None:
    assert parse_scale(setting) is None


def test_five_points_stretched_onto_a_scale_round_half_up() -> None:
    assert [DEFAULT_SCALE.from_five(p) for p in range(1, 6)] == [1, 2, 3, 4, 5]
    assert [TEN.from_five(p) for p in range(1, 6)] == [1, 3, 6, 8, 10]  # 3.25 5.5 7.75
    assert [NINE.from_five(p) for p in range(1, 6)] == [0, 2, 5, 7, 9]  # 2.25 4.5 6.75
    assert [Scale(0, 10).from_five(p) for p in range(1, 6)] == [0, 3, 5, 8, 10]
    assert str(TEN) == "1-10"


@pytest.mark.parametrize(("value", "scale", "expected"), [
    (4, DEFAULT_SCALE, 4),
    ("4", DEFAULT_SCALE, 4),
    (4.0, DEFAULT_SCALE, 4),
    ("4.0", DEFAULT_SCALE, 4),
    (" 7 ", TEN, 7),
    (10, TEN, 10),
    (0, NINE, 0),
    ("7/10", TEN, 7),           # out of the scale's top
    ("4 / 5", DEFAULT_SCALE, 4),
    ("⭐⭐⭐⭐", DEFAULT_SCALE, 4),
    ("⭐️⭐️⭐️", DEFAULT_SCALE, 3),  # with variation selectors
    ("★★★☆☆", DEFAULT_SCALE, 3),
    ("good", DEFAULT_SCALE, 4),
    ("Good", TEN, 8),
    ("GREAT!", TEN, 10),
    ("meh", DEFAULT_SCALE, 3),
    ("so-so", DEFAULT_SCALE, 3),
    ("not  bad", DEFAULT_SCALE, 4),
    ("rad", NINE, 9),
    ("🙂", DEFAULT_SCALE, 4),
    ("😞", TEN, 3),
    ("☹️", DEFAULT_SCALE, 2),
    ("😄 great", DEFAULT_SCALE, 5),  # a word and an emoji that agree
])
def test_mood_values(value: Any, scale: Scale, expected: int) -> None:
    level = read_level(value, scale, "mood")
    assert (level.value, level.problem) == (expected, None)


@pytest.mark.parametrize(("value", "expected"), [
    ("tired", 2), ("exhausted", 1), ("energetic", 4), ("high", 4), ("🪫", 1), ("🔋", 5),
    ("good", 4),
])
def test_energy_words_and_emoji(value: str, expected: int) -> None:
    assert read_level(value, DEFAULT_SCALE, "energy").value == expected


def test_energy_words_are_not_mood_words() -> None:
    level = read_level("tired", DEFAULT_SCALE, "mood")
    assert level.value is None and level.problem is not None


@pytest.mark.parametrize(("value", "scale", "number"), [
    (6, DEFAULT_SCALE, 6),
    ("11", TEN, 11),
    (0, TEN, 0),
    (10, NINE, 10),
    (-1, DEFAULT_SCALE, -1),
])
def test_numbers_off_the_scale_are_problems_that_keep_the_number(
        value: Any, scale: Scale, number: int) -> None:
    level = read_level(value, scale, "mood")
    assert level.value is None
    assert level.number == number  # for detect_scale
    assert level.problem is not None and str(scale) in level.problem


@pytest.mark.parametrize("value", [
    3.5, "3.5", "4/10", "maybe", True, "good bad", "🙂 😞", "🤷", [4], "4 stars",
])
def test_other_values_are_problems(value: Any) -> None:
    level = read_level(value, DEFAULT_SCALE, "mood")
    assert level.value is None and level.number is None
    assert level.problem is not None and level.problem.endswith("; ignored")


def test_a_problem_names_the_kind_and_the_value() -> None:
    problem = read_level("maybe", TEN, "energy").problem
    assert problem is not None
    assert problem.startswith("energy ") and "'maybe'" in problem and "1 to 10" in problem
    assert "out of 10" in (read_level("4/10", DEFAULT_SCALE).problem or "")


@pytest.mark.parametrize("value", [None, "", "   "])
def test_nothing_written_is_neither_value_nor_problem(value: Any) -> None:
    assert read_level(value) == (None, None, None)


def test_word_and_emoji_tables_are_five_point() -> None:
    for table in (MOOD_WORDS, ENERGY_WORDS, MOOD_EMOJI, ENERGY_EMOJI):
        assert set(table.values()) == {1, 2, 3, 4, 5}
    assert all("\ufe0f" not in emoji for emoji in (*MOOD_EMOJI, *ENERGY_EMOJI))


def test_a_one_to_ten_vault_is_detected() -> None:
    values = [7, 8, 6, 9, 3, 5, 10, 4]
    assert detect_scale(values) == Detection(TEN, 8, 5)


def test_a_zero_based_vault_is_detected() -> None:
    assert detect_scale([0, 3, 7, 9, 2, 8]) == Detection(NINE, 6, 4)
    assert detect_scale([0, 10, 5, 7]) == Detection(Scale(0, 10), 4, 3)
    assert detect_scale([0, 0, 3, 4]) == Detection(Scale(0, 5), 4, 2)


def test_values_on_the_default_scale_show_nothing() -> None:
    assert detect_scale([1, 2, 3, 4, 5, 3]) is None
    assert detect_scale([]) is None


def test_a_stray_value_is_a_typo_not_a_scale() -> None:
    assert detect_scale([6, 3]) is None  # one value beyond 1-5
    assert detect_scale([3] * 98 + [7, 8]) is None  # 2 of 100: under 5 %
    assert detect_scale([3] * 38 + [7, 8]) == Detection(TEN, 40, 2)  # 2 of 40: 5 %


def test_values_no_known_scale_holds_show_nothing() -> None:
    assert detect_scale([20, 45, 80]) is None
