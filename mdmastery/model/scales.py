"""Mood and energy on the user's scale: numbers, plus a documented set of words and emoji.

A scale is a range of whole numbers (`1-5`, the default, `1-10`, `0-9`, ...). A number
on it is read as written. Words and emoji name a point of a five-point scale (awful,
bad, okay, good, great: Daylio's five moods), which is stretched onto the user's scale
and rounded half up to a whole number: on 1-10, `good` is 8; on 0-9, `good` is 7.
Stars (`⭐⭐⭐⭐`, `★★★☆☆`) count as the number of filled stars.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ..config.kinds import SCALE


class Scale(NamedTuple):
    """The whole numbers from low to high that a mood or energy value may take (a named
    tuple: the index keeps one in every model, and a warm run defines it)."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"

    def holds(self, value: float) -> bool:
        """Tell whether value lies on the scale."""
        return self.low <= value <= self.high

    def from_five(self, point: int) -> int:
        """Return the whole number of this scale at point (1-5) of a five-point scale."""
        exact = self.low + (point - 1) * (self.high - self.low) / 4
        return math.floor(exact + 0.5)  # half up: 5.5 -> 6, as people round


DEFAULT_SCALE = Scale(1, 5)
# The scales detect_scale chooses from, narrowest first within one-based and zero-based.
KNOWN_SCALES = (Scale(1, 5), Scale(1, 10), Scale(0, 5), Scale(0, 9), Scale(0, 10))
# A detected scale needs this many values beyond the default, and this share of all.
MIN_OUTSIDE = 2
MIN_OUTSIDE_SHARE = 0.05

# Words for a point of a five-point scale (compared case-insensitively, spaces collapsed).
MOOD_WORDS: Mapping[str, int] = {
    **dict.fromkeys(("awful", "terrible", "horrible", "miserable", "dreadful",
                     "very bad"), 1),
    **dict.fromkeys(("bad", "poor", "low", "sad", "down", "rough", "not good",
                     "not great"), 2),
    **dict.fromkeys(("ok", "okay", "meh", "neutral", "fine", "so-so", "so so", "average",
                     "alright", "all right", "mixed"), 3),
    **dict.fromkeys(("good", "happy", "well", "content", "nice", "not bad",
                     "pretty good"), 4),
    **dict.fromkeys(("great", "excellent", "amazing", "awesome", "fantastic", "wonderful",
                     "very good", "rad"), 5),
}
ENERGY_WORDS: Mapping[str, int] = {
    **MOOD_WORDS,
    **dict.fromkeys(("exhausted", "drained", "depleted", "burnt out", "burned out",
                     "very low"), 1),
    **dict.fromkeys(("tired", "sleepy", "sluggish", "low"), 2),
    **dict.fromkeys(("normal", "medium", "steady"), 3),
    **dict.fromkeys(("rested", "energetic", "energized", "energised", "high"), 4),
    **dict.fromkeys(("very high", "full of energy", "buzzing"), 5),
}
# Emoji, without variation selectors (U+FE0F is dropped before the lookup).
MOOD_EMOJI: Mapping[str, int] = {
    **dict.fromkeys("😭😫😩😡😠😖😣", 1),
    **dict.fromkeys("😞😟🙁☹😢😔😕😒", 2),
    **dict.fromkeys(("😐", "😑", "😶", "🫤"), 3),
    **dict.fromkeys("🙂😊😌☺", 4),
    **dict.fromkeys("😄😁😀😃🤩🥳😍😆", 5),
}
ENERGY_EMOJI: Mapping[str, int] = {
    **MOOD_EMOJI,
    **dict.fromkeys(("🪫", "😴"), 1),
    "🥱": 2,
    **dict.fromkeys(("🔋", "⚡"), 5),
}
_WORDS = {"mood": MOOD_WORDS, "energy": ENERGY_WORDS}
_EMOJI = {"mood": MOOD_EMOJI, "energy": ENERGY_EMOJI}

_WHOLE = re.compile(r"[-+]?\d+(?:[.,]0+)?")
_OUT_OF = re.compile(r"([-+]?\d+(?:[.,]0+)?)\s*/\s*(\d+)")
_FILLED_STARS = frozenset("⭐★")
_STARS = _FILLED_STARS | {"☆"}


class Level(NamedTuple):
    """What a mood or energy value says on a scale."""

    value: int | None         # the value on the scale, None when there is none
    problem: str | None       # why the value was not read (without path and line)
    number: int | None = None  # the whole number written, even off the scale (detection)


class Detection(NamedTuple):
    """A scale the data shows, with the evidence for it."""

    scale: Scale
    values: int   # whole numbers seen
    outside: int  # of them beyond the default scale


def parse_scale(value: Any) -> Scale | None:
    """Return the scale a setting names (`"1-10"`, `"0 to 9"`, `[1, 10]`), or None."""
    try:
        found = SCALE.check(value)
    except ValueError:
        return None
    return None if found is None else Scale(*found)


def _whole(text: str) -> int | None:
    return int(float(text.replace(",", "."))) if _WHOLE.fullmatch(text) else None


def _point(text: str, kind: str) -> int | None:
    """Return the five-point value of a word, an emoji, or several agreeing ones."""
    words, emoji = _WORDS[kind], _EMOJI[kind]
    folded = " ".join(text.casefold().split())
    if folded in words:
        return words[folded]
    points = set()
    for token in folded.split():
        point = words.get(token.strip(".!,;")) or emoji.get(token)
        if point is None:
            return None
        points.add(point)
    return points.pop() if len(points) == 1 else None


class Reading(NamedTuple):
    """What a mood or energy value says before the scale is known (a whole number alone
    is a plain int: read_value's common answer, kept in every journal note's facts)."""

    number: int | None = None  # a whole number written (7 of "7/10")
    point: int | None = None   # a word's or emoji's point on a five-point scale
    out_of: int | None = None  # the N of "7/N"
    shown: str = ""  # the value as a message shows it


def read_value(value: Any, kind: str = "mood") -> int | Reading | None:
    """Read what a mood (kind "mood") or energy ("energy") value says, whatever the scale:
    a whole number (7, "7", 7.0, stars) as an int, anything else as a Reading (neither
    number nor point: unreadable); None when nothing is written."""
    if type(value) is int:
        return value  # the common case
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return Reading(shown=_shown(value))
    text = unicodedata.normalize("NFC", value).replace("\ufe0f", "").strip()
    number = _whole(text)
    if number is not None:
        return number
    out_of = _OUT_OF.fullmatch(text)
    if out_of is not None:
        return Reading(_whole(out_of.group(1)), out_of=int(out_of.group(2)), shown=text)
    if set(text) <= _STARS and set(text) & _FILLED_STARS:
        return sum(1 for char in text if char in _FILLED_STARS)
    return Reading(point=_point(text, kind), shown=_shown(value))


def whole_number(written: int | Reading | None) -> int | None:
    """Return the whole number a value was written as (for detect_scale), if any: a
    number, or the 7 of "7/10"."""
    if written is None or type(written) is int:
        return written
    assert isinstance(written, Reading)
    return written.number


def on_scale(written: int | Reading | None, scale: Scale = DEFAULT_SCALE,
             kind: str = "mood") -> Level:
    """Return what a value read by read_value says on scale."""
    if written is None:
        return Level(None, None)
    if isinstance(written, Reading):
        if written.point is not None:
            return Level(scale.from_five(written.point), None)
        if written.out_of is not None and written.out_of != scale.high:
            return Level(None, f"{kind} {written.shown} is written out of "
                         f"{written.out_of}, but the {kind} scale is {scale}; ignored", None)
        if written.number is None:
            return Level(None, f"{kind} must be a whole number from {scale.low} to "
                         f"{scale.high}, a word such as good or an emoji such as 🙂, "
                         f"not {written.shown}; ignored")
        number = written.number
    else:
        number = written
    if not scale.holds(number):
        return Level(None, f"{kind} {number} is outside the {kind} scale {scale}; ignored",
                     number)
    return Level(number, None, number)


def read_level(value: Any, scale: Scale = DEFAULT_SCALE, kind: str = "mood") -> Level:
    """Read a mood (kind "mood") or energy ("energy") value on scale."""
    return on_scale(read_value(value, kind), scale, kind)


def _shown(value: Any) -> str:
    """Show a value in a message: text quoted, booleans as YAML writes them."""
    if isinstance(value, str):
        return repr(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def detect_scale(numbers: Iterable[int] | Mapping[int, int],
                 default: Scale = DEFAULT_SCALE) -> Detection | None:
    """Return the scale whole numbers written in notes show, when it is not the default
    (numbers: each number, or how many notes wrote each).

    The data shows another scale when at least MIN_OUTSIDE values, and MIN_OUTSIDE_SHARE
    of all, lie beyond the default: a stray 6 among a year of 1-5 values is a typo, not a
    scale. The scale is the narrowest of KNOWN_SCALES holding every value, zero-based
    when a 0 was written, else one-based; None when none holds them.
    """
    counts = numbers if isinstance(numbers, Mapping) else Counter(numbers)
    total = sum(counts.values())
    outside = sum(n for value, n in counts.items() if not default.holds(value))
    if outside < MIN_OUTSIDE or outside < MIN_OUTSIDE_SHARE * total:
        return None
    low, high = min(counts), max(counts)
    base = 0 if low == 0 else 1
    for scale in KNOWN_SCALES:
        if scale.low == base and scale.holds(low) and scale.holds(high):
            return Detection(scale, total, outside)
    return None


KINDS = ("mood", "energy")


class ScaleUse(NamedTuple):
    """The scale a vault's moods (or energies) are read on, and the evidence for it."""

    scale: Scale = DEFAULT_SCALE
    source: str = "default"  # default | config | detected
    # How many journal notes wrote each whole number, in number order.
    counts: tuple[tuple[int, int], ...] = ()


def scale_use(configured: Scale | None, counts: Mapping[int, int]) -> ScaleUse:
    """Return the scale to read values on: the configured one, else the one the whole
    numbers written show, else the default."""
    evidence = tuple(sorted((value, n) for value, n in counts.items() if n))
    if configured is not None:
        return ScaleUse(configured, "config", evidence)
    detected = detect_scale(dict(evidence))
    if detected is None:
        return ScaleUse(DEFAULT_SCALE, "default", evidence)
    return ScaleUse(detected.scale, "detected", evidence)


def detected_note(kind: str, use: ScaleUse) -> str | None:
    """Say what was detected of a kind's scale (`check` shows it as a note), if anything."""
    if use.source != "detected":
        return None
    values = [value for value, _ in use.counts]
    notes = sum(n for _, n in use.counts)
    return (f"{kind} values {min(values)} to {max(values)} in {notes:,} journal "
            f"{'note' if notes == 1 else 'notes'}: read on a {use.scale} scale; set "
            f"[scales] {kind} = \"{use.scale}\" here to say so")
