"""The lines of TOML keys, on documents written in every style TOML allows (issue 22).

Each generated document is written out by hand here, in a style drawn at random (bare
or quoted keys, dotted keys, basic, literal and multi-line strings holding `=`, `#`,
brackets and key-like lines, multi-line arrays with comments, inline tables, tables and
arrays of tables), recording the line each key is written on; tomllib must read it, and
key_lines must find every key on that line.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmastery.config.keylines import KeyPath, key_lines

# (The documents take ~20 ms each to draw: a third of the fuzz tests' examples.)
EXAMPLES = max(int(os.environ.get("MDMASTERY_FUZZ_EXAMPLES", "300")) // 3, 1)
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=1),
                suppress_health_check=[HealthCheck.too_slow])

PIECES = [*"ab =#[]{}.,'\"\\\n\tü", "key = 1", "[t]", '"""', "'''", "\n[x]\ny = 2"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
KEYS = st.one_of(st.sampled_from(["a", "b-c", "d_e", "1", "week_start"]),
                 st.text(st.sampled_from(list("ab .=#'\"[]ü")), min_size=1, max_size=5))
SCALARS = st.one_of(st.integers(-5, 5), st.booleans(), TEXT)


def values(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return SCALARS
    inner = values(depth - 1)
    return st.one_of(SCALARS, st.lists(inner, max_size=3),
                     st.dictionaries(KEYS, inner, max_size=3))


class Writer:
    """Write a document as TOML, drawing a style for each piece; note each key's line."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.lines: list[str] = []
        self.expected: dict[KeyPath, int] = {}

    def key(self, name: str) -> str:
        bare = name and all(c.isascii() and (c.isalnum() or c in "_-") for c in name)
        if bare and self.draw(st.booleans()):
            return name
        if "'" not in name and self.draw(st.booleans()):
            return f"'{name}'"
        return json.dumps(name, ensure_ascii=False)

    def string(self, text: str, one_line: bool) -> str:
        styles = ["basic", "literal"] if one_line else ["basic", "literal", "multi",
                                                         "multi-literal"]
        style = self.draw(st.sampled_from(styles))
        if style == "literal" and "'" not in text and "\n" not in text:
            return f"'{text}'"
        if style == "multi-literal" and "'''" not in text and not text.endswith("'"):
            return f"'''{text}'''"
        if style == "multi":
            escaped = text.replace("\\", "\\\\").replace('"', '\\"')
            return f'"""{escaped}"""'
        return json.dumps(text, ensure_ascii=False)

    def value(self, value: Any, path: KeyPath, line: int, one_line: bool = False) -> str:
        """Return value as TOML; keys of inline tables are on the line it starts on."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str):
            return self.string(value, one_line)
        if isinstance(value, dict):
            pairs = []
            for name, inner in value.items():
                self.expected[(*path, name)] = line
                inline = self.value(inner, (*path, name), line, one_line=True)
                pairs.append(f"{self.key(name)} = {inline}")
            return "{ " + ", ".join(pairs) + " }"
        # An array of inline tables would put their keys on the array's lines, and a
        # key after an array in an inline table would be on its last line: keep those on
        # one line; others may spread over lines, with comments.
        one_line = one_line or any(isinstance(item, dict) for item in value)
        items = [self.value(item, (*path, index), line, one_line)
                 for index, item in enumerate(value)]
        if not items or one_line or not self.draw(st.booleans()):
            return "[" + ", ".join(items) + "]"
        return "[ # the list\n  " + ",\n  ".join(items) + ",\n]"

    def pair(self, prefix: KeyPath, name: str, value: Any) -> None:
        line = sum(text.count("\n") + 1 for text in self.lines) + 1
        self.expected[(*prefix, name)] = line
        self.lines.append(f"{self.key(name)} = {self.value(value, (*prefix, name), line)}"
                          f"{'  # note' if self.draw(st.booleans()) else ''}")


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[KeyPath, int]]:
    writer = Writer(draw)
    top = draw(st.dictionaries(KEYS, values(2), max_size=4))
    tables = draw(st.dictionaries(KEYS.filter(lambda k: k not in top),
                                  st.dictionaries(KEYS, values(1), max_size=3), max_size=3))
    for name, value in top.items():
        writer.pair((), name, value)
    for name, table in tables.items():
        writer.lines.append("")
        line = sum(text.count("\n") + 1 for text in writer.lines) + 1
        header = f"[{writer.key(name)}]"
        if draw(st.booleans()):
            header = f"[[{writer.key(name)}]]"
            writer.expected[(name, 0)] = line
            prefix: KeyPath = (name, 0)
        else:
            prefix = (name,)
        writer.expected[(name,)] = line
        writer.lines.append(header)
        for inner, value in table.items():
            writer.pair(prefix, inner, value)
    return "\n".join(writer.lines) + "\n", writer.expected


@FUZZ
@given(documents())
def test_every_key_is_found_on_the_line_it_was_written_on(
        document: tuple[str, dict[KeyPath, int]]) -> None:
    text, expected = document
    tomllib.loads(text)  # what was written is TOML
    found = key_lines(text)
    assert {path: found.get(path) for path in expected} == expected


def test_what_it_does_not_expect_is_an_error_not_a_hang() -> None:
    for text in ('a = "no end', 'a = """no end', "a = [1, 2", "a = { b = 1", "[t", "= 1",
                 "a = 1 b = 2", 'a = "x\ny"'):
        with pytest.raises(ValueError, match="line"):
            key_lines(text)
