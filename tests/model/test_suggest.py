"""Did you mean ...? (mdmastery/model/suggest.py)."""

from __future__ import annotations

import pytest

from mdmastery.model.suggest import CUTOFF, closeness, did_you_mean, near_miss

HABITS = ["Meditate", "Read 20 pages", "Floss", "Run", "Stretch", "Journaling in Spanish"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Meditat", "Meditate"),          # a letter dropped
    ("meditaet", "Meditate"),         # two swapped, any case
    ("Medtiate", "Meditate"),
    ("Meditation", "Meditate"),       # another form of the word (shared start)
    ("Red 20 pages", "Read 20 pages"),
    ("Flos", "Floss"),
    ("Strech", "Stretch"),
    ("Rnu", None),                    # short names need more than a shared letter
    ("Call mom", None),
    ("Journal", None),
    ("Meditate", None),               # the name itself is no near miss
    ("MEDITATE", None),
    ("", None),
])
def test_did_you_mean(text: str, expected: str | None) -> None:
    assert did_you_mean(text, HABITS) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Meditat", "Meditate"),
    ("Meditat 20 min", "Meditate"),     # the leading words are compared with the name
    ("Red 20 pages of Dune", "Read 20 pages"),
    ("Stretching before bed", "Stretch"),
    ("Runs errands", None),             # `Run` is too short to be guessed from a word
    ("Buy milk", None),
    ("Call the bank", None),
    ("Read email", None),
])
def test_near_miss_of_a_check_off(text: str, expected: str | None) -> None:
    assert near_miss(text, HABITS) == expected


def test_the_answer_does_not_depend_on_the_order_of_the_names() -> None:
    # Equally close to both: the name that sorts first wins, whatever the order given.
    names = ["Making", "Baking"]
    assert closeness("Xaking", "Making") == closeness("Xaking", "Baking")
    assert did_you_mean("Xaking", names) == did_you_mean("Xaking", list(reversed(names)))
    assert did_you_mean("Xaking", names) == "Baking"


def test_the_closest_name_wins() -> None:
    assert did_you_mean("Readd 20 pages", ["Read 20 pages", "Read 2 pages"]) == "Read 20 pages"


def test_closeness_is_a_ratio() -> None:
    assert closeness("Meditate", "meditate") == 1.0
    assert closeness("", "Meditate") == 0.0
    assert 0.9 < closeness("Meditat", "Meditate") < 1.0
    assert closeness("Call mom", "Call family") < CUTOFF
