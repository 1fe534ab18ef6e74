"""The vault's `.mdmastery/config.toml`, checked against the table of settings: the values
it gives, and a problem at its line for each mistake (an unknown key, with the key it most
likely means; a value of the wrong kind; a key only the environment or the command line
may set). The run goes on without what is wrong."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Level, Problem
from .keylines import KeyPath, key_lines
from .kinds import as_json
from .paths import CONFIG_PATH
from .table import BY_KEY, TABLES, Found


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The settings a config file gives (checked), and the problems found in it."""

    values: Mapping[str, Found] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def read_config_file(root: Path) -> ConfigFile:
    """Read and check the vault's config file; a missing file gives nothing, no problem."""
    try:
        text = (root / CONFIG_PATH).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ConfigFile()
    except (OSError, UnicodeDecodeError) as error:
        return ConfigFile({}, (Problem(CONFIG_PATH, 0, "error",
                                       f"cannot read config: {error}"),))
    return check_config(text)


def check_config(text: str, path: str = CONFIG_PATH) -> ConfigFile:
    """Read a config file's text: the settings it gives, and a problem for each mistake.

    Invalid TOML is an error and gives no settings. A key of the wrong kind is an error
    (and that source is skipped for it); an unknown key, or one only the environment or
    command line may set, is a warning with a suggestion.
    """
    import tomllib  # (only for a vault with a config file: a few ms to import)

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)  # (Python 3.14 on; before, in the text)
        if line is None:
            match = re.search(r"line (\d+)", str(error))
            line = int(match.group(1)) if match else 1
        return ConfigFile({}, (Problem(path, line, "error",
                                       f"config is not valid TOML: {error}"),))
    try:
        lines = key_lines(text)
    except ValueError:  # a form of TOML the scanner does not know: line 0, "the file"
        lines = {}
    checker = _Checker(path, lines)
    for name, value in document.items():
        checker.top(name, value)
    return ConfigFile(checker.values, tuple(sorted(checker.problems,
                                                   key=lambda p: (p.line, p.message))))


class _Checker:
    """Check a config file's keys one by one, keeping the values and the problems."""

    def __init__(self, path: str, lines: Mapping[KeyPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.values: dict[str, Found] = {}
        self.problems: list[Problem] = []

    def top(self, name: str, value: Any) -> None:
        """Check a key at the top of the file (a [table] is checked key by key)."""
        if name in TABLES:
            if not isinstance(value, dict):
                inner = ", ".join(key.split(".", 1)[1] for key in _IN_FILE
                                  if key.startswith(name + "."))
                self.problem((name,), "error", f"{name} must be a table ([{name}] with "
                                               f"{inner}), not {_shown(value)}; ignored")
                return
            for key, inner_value in value.items():
                self.one((name, key), inner_value)
        else:
            self.one((name,), value)

    def one(self, key_path: tuple[str, ...], value: Any) -> None:
        setting = BY_KEY.get(".".join(key_path))
        if setting is None or not setting.in_file:
            self.unknown(key_path, value)
            return
        try:
            checked = setting.kind.check(value)
        except ValueError:
            self.problem(key_path, "error", f"{setting.key} must be {setting.kind.name}, "
                                            f"not {_shown(value)}; ignored")
            return
        self.values[setting.key] = Found(checked, f"{self.path}:{self.line(key_path)}")

    def unknown(self, key_path: tuple[str, ...], value: Any) -> None:
        if isinstance(value, dict) and value:  # say which key of the table, by its line
            for name, inner in value.items():
                self.unknown((*key_path, name), inner)
            return
        key = ".".join(key_path)
        setting = BY_KEY.get(key)
        if setting is not None:  # known, but not for this file
            ways = " or ".join(way for way in (setting.option, setting.env) if way)
            message = f"{key} cannot be set in the config file; use {ways}"
        else:
            guess = suggest(key, (*_IN_FILE, *TABLES))
            message = f"unknown key {key}" + (f"; did you mean {guess}?" if guess else "")
        self.problem(key_path, "warning", message + " (ignored)")

    def line(self, key_path: KeyPath) -> int:
        return self.lines.get(key_path, 0)

    def problem(self, key_path: KeyPath, level: Level, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key_path), level, message))


_IN_FILE = tuple(key for key, setting in BY_KEY.items() if setting.in_file)


def suggest(unknown: str, known: tuple[str, ...]) -> str | None:
    """Return the known key a mistyped one most likely means, or None.

    The same spelling with `-` or a space for `_` or in another case wins; then a key
    whose last part is the same (`reviews` -> `folders.reviews`); then the closest
    spelling of the whole key or of its last part. Ties go to the first in the table.
    """
    import difflib  # (only for a config file with a mistake)

    normal = re.sub(r"[-\s]", "_", unknown.lower())
    last = normal.rsplit(".", 1)[-1]
    if normal in known:
        return normal
    for key in known:
        if key.rsplit(".", 1)[-1] == last:
            return key
    best, best_score = None, 0.75
    for key in known:
        score = max(difflib.SequenceMatcher(None, normal, key).ratio(),
                    difflib.SequenceMatcher(None, last, key.rsplit(".", 1)[-1]).ratio())
        if score > best_score:
            best, best_score = key, score
    return best


def _shown(value: Any) -> str:
    """Return a wrong value as the message shows it: short, as JSON would write it."""
    import json

    if isinstance(value, dict):
        return "a table"
    text = json.dumps(as_json(value), ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."

