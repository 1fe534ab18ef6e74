"""The kinds of value a setting takes: what each is called in messages, how a value is
checked and turned into what the program uses, and how it is shown again."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..dates.days import WEEKDAY_NAMES

T = TypeVar("T")


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Kind(Generic[T]):
    """A kind of value: its name in messages, its check, and how it is read and shown."""

    name: str  # "a list of strings": `areas must be a list of strings, not 3`
    # Return the value as the program uses it, or raise ValueError (the user reads `name`).
    check: Callable[[Any], T]
    # Read it from the text of an environment variable or an option (then checked).
    parse: Callable[[str], Any] = str
    # Return it as one would write it in config.toml (a weekday's number as its name).
    show: Callable[[T], Any] = _same


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    return value


def _folder(value: Any) -> str:
    return _string(value).strip("/")


def _format(value: Any) -> str:
    text = _string(value).strip()
    if not text:
        raise ValueError
    return text


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(value: Any) -> int:
    """Return the weekday's number (0 = Monday); only the first 3 letters count."""
    short = _string(value).strip().lower()[:3]
    if short not in WEEKDAY_NAMES:
        raise ValueError
    return WEEKDAY_NAMES.index(short)


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError
    return tuple(value)


def _names(value: Any) -> tuple[str, ...]:
    """Names compared in lower case (life areas); blank ones dropped."""
    return tuple(name.strip().lower() for name in _strings(value) if name.strip())


def _path(value: Any) -> Path | None:
    """Return a folder as the program uses it: absolute, as Click's --vault gives it."""
    if value is None:  # (the default: found at run time)
        return None
    if not isinstance(value, str | Path) or not str(value):
        raise ValueError
    return Path(value).resolve()


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(_string(value).strip())


def _scale(value: Any) -> tuple[int, int] | None:
    """Return the (lowest, highest) whole numbers of a scale: "1-10", "0 to 9", [1, 10]."""
    low: Any
    high: Any
    if value is None:  # (the default: detected from the notes)
        return None
    if isinstance(value, list | tuple) and len(value) == 2:
        low, high = value
    elif isinstance(value, str) and (match := _SCALE.fullmatch(value)):
        low, high = int(match.group(1)), int(match.group(2))
    else:
        raise ValueError
    if type(low) is not int or type(high) is not int or not 0 <= low < high <= 100:
        raise ValueError
    return low, high


_SCALE = re.compile(r"\s*(\d+)\s*(?:-|–|\.\.|to)\s*(\d+)\s*", re.IGNORECASE)


FOLDER = Kind("a folder, relative to the vault", _folder)
TEXT = Kind("a string", _string)
SCALE = Kind("a scale of whole numbers (\"1-10\", \"0-9\")", _scale,
             show=lambda scale: None if scale is None else f"{scale[0]}-{scale[1]}")
FORMAT = Kind("a date format (moment.js, e.g. \"YYYY-MM-DD\")", _format)
WEEKDAY = Kind("a weekday (monday, sunday, ...)", _weekday, show=_WEEKDAYS.__getitem__)
POSITIVE_INT = Kind("a whole number above 0", _positive_int, parse=int)
STRINGS = Kind("a list of strings", _strings)
NAMES = Kind("a list of names", _names)
PATH = Kind("a folder", _path)
DAY = Kind("a day (YYYY-MM-DD)", _day)


def as_json(value: Any) -> Any:
    """Return a shown value as JSON data: paths as strings, days in ISO form."""
    if isinstance(value, tuple | list):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def as_toml(value: Any) -> str:
    """Return a shown value as a TOML value, as one would write it in config.toml."""
    if value is None:
        return "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(as_json(value), ensure_ascii=False)
