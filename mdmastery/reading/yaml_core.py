"""YAML 1.2 core's plain scalars, as both front matter readers resolve them: the flat
fast path (frontmatter.py) and the loader (yaml12.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class FrontMatterError(ValueError):
    """Front matter that cannot be read; line is 1-based within the note."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# YAML 1.2 core's implicit types of plain scalars: (tag, regex, the first characters a
# match can start with), tried in this order. yaml12.Yaml12Loader resolves by them too.
RESOLVERS: tuple[tuple[str, re.Pattern[str], str | tuple[str, ...]], ...] = tuple(
    (f"tag:yaml.org,2002:{tag}", re.compile(rf"^(?:{pattern})$"), first)
    for tag, pattern, first in (
        ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
        ("null", r"~|null|Null|NULL|", ("~", "n", "N", "")),
        # No leading zeros: `012345` is a code, not the number 12345.
        ("int", r"[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
        # A fraction ending in 0 (`3.10`) is a version-like string; numeric fields still
        # accept it, since they parse strings as numbers.
        ("float", r"[-+]?(?:\.[0-9]*[1-9]|(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?)"
                  r"(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
         "-+0123456789."),
        ("timestamp", r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                      r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:"
                      r"[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?",
         "0123456789"),
        ("merge", r"<<", "<"),
    ))


# The conversions of YAML 1.2 core scalars, shared by the fast path and the loader
# (yaml12.py) so both agree; each raises ValueError with the message a user reads.

def yaml_int(text: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        # Also the digit limit of int(): a 5,000-digit "number" is not one.
        raise ValueError(f"{text[:40]!r} is not an integer") from None


def yaml_float(text: str) -> float:
    text = text.lower()
    if text.endswith("inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text[:40]!r} is not a number") from None


def yaml_bool(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise ValueError(f"{text[:40]!r} is not true or false")
    return text.lower() == "true"


SCALAR_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:int": yaml_int,
    "tag:yaml.org,2002:float": yaml_float,
    "tag:yaml.org,2002:bool": yaml_bool,
}
