"""Where each key of a TOML text is: tomllib reads values but gives no line numbers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

KeyPath = tuple[str | int, ...]  # an int: the index in an array of tables [[...]]


def key_lines(text: str) -> dict[KeyPath, int]:
    """Return the line (1-based) where each key of a valid TOML text is first given.

    Keys inside [tables], [[arrays of tables]], dotted keys and inline tables get their
    full path; a table's own path maps to its header (or first key) line.
    """
    return _KeyScanner(text).scan()


class _KeyScanner:
    """Walk valid TOML just closely enough to see its keys (values are skipped).

    Whatever it does not expect raises ValueError rather than guess: every loop moves on
    or stops, so no text can make it hang.
    """

    _BARE = re.compile(r"[A-Za-z0-9_-]+")
    _SCALAR = re.compile(r"[^,\]}#\s]+(?: [0-9][^,\]}#\s]*)?")  # (a date may hold a space)

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.newlines = [i for i, char in enumerate(text) if char == "\n"]
        self.lines: dict[KeyPath, int] = {}

    def line(self) -> int:
        return bisect_right(self.newlines, self.at - 1) + 1

    def scan(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        arrays: dict[KeyPath, int] = {}
        while self._skip(newlines=True) < len(self.text):
            line = self.line()
            if self._next("[["):
                path = self._key()
                self._expect("]]")
                arrays[path] = arrays.get(path, -1) + 1
                table = (*path, arrays[path])
                self._record(table, line)
            elif self._next("["):
                table = self._key()
                self._expect("]")
                self._record(table, line)
            else:
                self._pair(table)
            self._skip(newlines=False)
            if self.at < len(self.text):
                self._expect("\n")
        return self.lines

    def _next(self, token: str) -> bool:
        """Step over token if it comes next; say whether it did."""
        if self.text.startswith(token, self.at):
            self.at += len(token)
            return True
        return False

    def _expect(self, token: str) -> None:
        if not self._next(token):
            raise ValueError(f"line {self.line()}: expected {token!r}")

    def _record(self, path: KeyPath, line: int) -> None:
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], line)

    def _skip(self, newlines: bool) -> int:
        """Skip blanks and comments (and newlines if asked); return the position."""
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char in " \t\r" or (newlines and char == "\n"):
                self.at += 1
            elif char == "#":
                end = text.find("\n", self.at)
                self.at = len(text) if end < 0 else end
            else:
                break
        return self.at

    def _key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self._skip(newlines=False)
            if self.text.startswith(("\"", "'"), self.at):
                start = self.at
                self._string()
                parts.append(_toml_string(self.text[start:self.at]))
            else:
                found = self._BARE.match(self.text, self.at)
                if found is None:
                    raise ValueError(f"line {self.line()}: expected a key")
                parts.append(found.group())
                self.at = found.end()
            self._skip(newlines=False)
            if not self._next("."):
                return tuple(parts)

    def _pair(self, table: KeyPath) -> None:
        line = self.line()
        path = (*table, *self._key())
        self._record(path, line)
        self._expect("=")
        self._skip(newlines=False)
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        if self.text.startswith(("\"", "'"), self.at):
            self._string()
        elif self._next("["):
            self._items("]", newlines=True, item=lambda index: self._value((*path, index)))
        elif self._next("{"):
            self._items("}", newlines=False, item=lambda _: self._pair(path))
        else:  # a number, boolean or date
            found = self._SCALAR.match(self.text, self.at)
            if found is None:
                raise ValueError(f"line {self.line()}: expected a value")
            self.at = found.end()

    def _items(self, end: str, newlines: bool, item: Callable[[int], None]) -> None:
        """Read the items of an array or inline table, up to and with its end."""
        index = 0
        while self._skip(newlines) < len(self.text) and not self._next(end):
            item(index)
            index += 1
            self._skip(newlines)
            if not self._next(","):
                self._skip(newlines)
                self._expect(end)
                return
        if self.text[self.at - len(end):self.at] != end:
            raise ValueError(f"line {self.line()}: expected {end!r}")

    def _string(self) -> None:
        text = self.text
        quote = text[self.at]
        escapes = quote == '"'
        closing = quote * 3 if text.startswith(quote * 3, self.at) else quote
        self.at += len(closing)
        while not text.startswith(closing, self.at):
            if self.at >= len(text) or (closing == quote and text[self.at] == "\n"):
                raise ValueError(f"line {self.line()}: a string does not end")
            self.at += 2 if escapes and text[self.at] == "\\" else 1
        self.at += len(closing)
        if len(closing) == 3:
            while self.at < len(text) and text[self.at] == quote and \
                    text.startswith(closing, self.at - 2):  # """ends with a "quote"""""
                self.at += 1


def _toml_string(quoted: str) -> str:
    """Return the text of a quoted TOML key, escapes read as tomllib reads them."""
    import tomllib

    value = tomllib.loads(f"key = {quoted}")["key"]
    assert isinstance(value, str)
    return value
