"""Every setting in one table: its type, default, help, and who may set it.

A setting's value comes from the first of these that sets it, highest first: the command
line, the environment, the vault's `.mdmastery/config.toml`, Obsidian's own settings, the
default. Which of them may set which key is part of the table. `load_settings` reads the
config file (every problem reported with its line) and Obsidian's settings, and returns
each key's effective value with the source it came from, as `mdmastery config` shows it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from .dates.days import WEEKDAY_NAMES
from .dates.periods import DEFAULT_FORMATS, PERIODS
from .errors import MdmasteryError, Problem
from .tomlkeys import KeyPath, key_lines

CONFIG_PATH = ".mdmastery/config.toml"


class Source(StrEnum):
    """Where a setting's value came from, lowest precedence first."""

    DEFAULT = "default"
    OBSIDIAN = "Obsidian settings"
    CONFIG = "vault config"
    ENVIRONMENT = "environment"
    COMMAND_LINE = "command line"


class SettingError(MdmasteryError):
    """A setting given in the environment or on the command line has no valid value."""


# --- the kinds of value ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of value: what it is called in messages, how it is checked and read."""

    name: str  # "a string", "a list of strings", ...
    # Return the value as the program uses it, or raise ValueError (the user sees `name`).
    check: Callable[[Any], Any]
    # Read it from the text of an environment variable or option.
    parse: Callable[[str], Any] = str


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


def _weekday(value: Any) -> str:
    """Return the weekday's full name; only the first 3 letters count, in any case."""
    short = _string(value).strip().lower()[:3]
    if short not in WEEKDAY_NAMES:
        raise ValueError
    return _WEEKDAYS[WEEKDAY_NAMES.index(short)]


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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


def _path(value: Any) -> Path:
    if not isinstance(value, str | Path) or not str(value):
        raise ValueError
    return Path(value)


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(_string(value).strip())


FOLDER = Kind("a folder, relative to the vault", _folder)
FORMAT = Kind("a date format (moment.js, e.g. \"YYYY-MM-DD\")", _format)
WEEKDAY = Kind("a weekday (monday, sunday, ...)", _weekday)
POSITIVE_INT = Kind("a whole number above 0", _positive_int, parse=int)
STRINGS = Kind("a list of strings", _strings)
NAMES = Kind("a list of names", _names)
PATH = Kind("a folder", _path, parse=Path)
DAY = Kind("a day (YYYY-MM-DD)", _day, parse=_day)


def as_json(value: Any) -> Any:
    """Return a setting's value as JSON data: paths as strings, days in ISO form."""
    if isinstance(value, tuple | list):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def as_toml(value: Any) -> str:
    """Return a setting's value as a TOML value, as one would write it in config.toml."""
    if value is None:
        return "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(as_json(value), ensure_ascii=False)


# --- the table -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its key (dotted for a key of a [table]), kind, default and help."""

    key: str
    kind: Kind
    default: Any
    help: str
    in_file: bool = True  # may be set in .mdmastery/config.toml
    obsidian: str | None = None  # the Obsidian setting that may set it
    env: str | None = None  # the environment variable that may set it
    option: str | None = None  # the command-line option that may set it
    default_text: str | None = None  # for a default only known at run time

    @property
    def sources(self) -> tuple[Source, ...]:
        """Return the sources that may set it, highest precedence first."""
        allowed = {Source.DEFAULT: True, Source.OBSIDIAN: self.obsidian is not None,
                   Source.CONFIG: self.in_file, Source.ENVIRONMENT: self.env is not None,
                   Source.COMMAND_LINE: self.option is not None}
        return tuple(source for source in reversed(Source) if allowed[source])


DEFAULT_AREAS = ("career", "finances", "relationships", "health", "growth", "leisure")
# Notes above this many bytes are skipped unread (a pasted log, a misnamed export).
DEFAULT_MAX_FILE_SIZE = 5_000_000
_DAILY_NOTES = "the daily-note settings (core Daily notes or Periodic Notes)"

SETTINGS: tuple[Setting, ...] = (
    Setting("vault", PATH, None, "The vault folder.", in_file=False, env="MDMASTERY_VAULT",
            option="--vault", default_text="the nearest folder up from the working "
            "directory holding .mdmastery/ or .obsidian/, else the working directory"),
    Setting("today", DAY, None, "The day taken as today (for reproducible runs).",
            in_file=False, env="MDMASTERY_TODAY", default_text="the system clock's date"),
    Setting("areas", NAMES, DEFAULT_AREAS, "Life areas; reviews name those with no "
            "active goal or habit."),
    Setting("ignore", STRINGS, (), "Globs of notes and folders never read, relative to "
            "the vault."),
    Setting("week_start", WEEKDAY, "monday", "The first day of the week (only the first "
            "3 letters count)."),
    Setting("max_file_size", POSITIVE_INT, DEFAULT_MAX_FILE_SIZE, "Notes larger than this "
            "many bytes are skipped with a warning."),
    Setting("folders.reviews", FOLDER, "Reviews", "Where review notes are written."),
    Setting("folders.journal", FOLDER, "", "Where `today` creates the day's note (\"\": "
            "the vault's top folder).", obsidian=f"folder of {_DAILY_NOTES}"),
    Setting("folders.goals", FOLDER, "Goals", "Where `new goal` creates notes."),
    Setting("folders.habits", FOLDER, "Habits", "Where `new habit` creates notes."),
    Setting("formats.daily", FORMAT, "YYYY-MM-DD", "The file name of journal notes.",
            obsidian=f"format of {_DAILY_NOTES}"),
    *(Setting(f"formats.{kind}", FORMAT, DEFAULT_FORMATS[kind],
              f"The file name of {kind}ly reviews.") for kind in PERIODS),
)
BY_KEY: Mapping[str, Setting] = {setting.key: setting for setting in SETTINGS}
# The [tables] of the config file: the first part of each dotted key.
TABLES = tuple(dict.fromkeys(key.split(".")[0] for key in BY_KEY if "." in key))


# --- the config file -------------------------------------------------------------------


class Found(NamedTuple):
    """A value some source gives for a setting, and where exactly (file:line, variable)."""

    value: Any
    origin: str


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The settings a config file gives (checked), and the problems found in it."""

    values: Mapping[str, Found] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def suggest(unknown: str, known: tuple[str, ...]) -> str | None:
    """Return the known key a mistyped one most likely means, or None.

    The same spelling with `-` or a space for `_` or in another case wins; then a key
    whose last part is the same (`reviews` -> `folders.reviews`); then the closest
    spelling of the whole key or of its last part. Ties go to the first in the table.
    """
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
    if isinstance(value, dict):
        return "a table"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


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
    in_file = tuple(key for key, setting in BY_KEY.items() if setting.in_file)
    values: dict[str, Found] = {}
    problems: list[Problem] = []

    def where(key_path: KeyPath) -> int:
        return lines.get(key_path, 0)

    def unknown(key_path: tuple[str, ...], value: Any) -> None:
        if isinstance(value, dict) and value:
            for name, inner in value.items():
                unknown((*key_path, name), inner)
            return
        key = ".".join(key_path)
        setting = BY_KEY.get(key)
        if setting is not None:  # known, but not for this file
            ways = " or ".join(way for way in (setting.option, setting.env) if way)
            message = f"{key} cannot be set in the config file; use {ways}"
        else:
            guess = suggest(key, (*in_file, *TABLES))
            message = f"unknown key {key}" + (f"; did you mean {guess}?" if guess else "")
        problems.append(Problem(path, where(key_path), "warning", message + " (ignored)"))

    def known(setting: Setting, key_path: tuple[str, ...], value: Any) -> None:
        try:
            checked = setting.kind.check(value)
        except ValueError:
            problems.append(Problem(path, where(key_path), "error",
                                    f"{setting.key} must be {setting.kind.name}, not "
                                    f"{_shown(value)}; ignored"))
            return
        values[setting.key] = Found(checked, f"{path}:{where(key_path)}")

    for name, value in document.items():
        if name in TABLES:
            if not isinstance(value, dict):
                keys = ", ".join(k.split(".", 1)[1] for k in in_file if k.startswith(name + "."))
                problems.append(Problem(path, where((name,)), "error",
                                        f"{name} must be a table ([{name}] with {keys}), "
                                        f"not {_shown(value)}; ignored"))
                continue
            for inner, inner_value in value.items():
                setting = BY_KEY.get(f"{name}.{inner}")
                if setting is None:
                    unknown((name, inner), inner_value)
                else:
                    known(setting, (name, inner), inner_value)
        elif name in BY_KEY and BY_KEY[name].in_file:
            known(BY_KEY[name], (name,), value)
        else:
            unknown((name,), value)
    return ConfigFile(values, tuple(sorted(problems, key=lambda p: (p.line, p.message))))


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


# --- Obsidian's settings ---------------------------------------------------------------


_OBSIDIAN_DAILY = (
    # (file, where the daily-note settings are in it): Periodic Notes first, then core
    # Daily notes, as Obsidian itself prefers a plugin that replaces the core one.
    (".obsidian/plugins/periodic-notes/data.json", ("daily",)),
    (".obsidian/daily-notes.json", ()),
)


def read_obsidian_settings(root: Path) -> tuple[dict[str, Found], list[Problem]]:
    """Return the settings Obsidian's own files give (daily-note format and folder)."""
    for relative, nesting in _OBSIDIAN_DAILY:
        try:
            data: Any = json.loads((root / relative).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        for key in nesting:
            data = data.get(key) if isinstance(data, dict) else None
        if not isinstance(data, dict) or (nesting and data.get("enabled") is False):
            continue
        found: dict[str, Found] = {}
        problems: list[Problem] = []
        for key, name in (("formats.daily", "format"), ("folders.journal", "folder")):
            value = data.get(name)
            if value is None or (key == "formats.daily" and isinstance(value, str)
                                 and not value.strip()):
                continue  # unset in Obsidian: its own default, which is ours
            try:
                found[key] = Found(BY_KEY[key].kind.check(value), relative)
            except ValueError:
                problems.append(Problem(relative, 0, "warning", f"the daily notes' {name} "
                                        f"must be a string, not {_shown(value)}; ignored"))
        return found, problems
    return {}, []


# --- the effective settings ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Effective:
    """A setting's value in effect, its source, and where exactly it was set."""

    setting: Setting
    value: Any
    source: Source
    origin: str  # ".mdmastery/config.toml:3", "MDMASTERY_TODAY", "--vault"; "" for default
    # What lower sources said, highest first (a format Obsidian names still matters).
    shadowed: tuple[tuple[Source, Found], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"key": self.setting.key, "value": as_json(self.value),
                "source": str(self.source), "origin": self.origin}

    def where(self) -> str:
        """Return the source as the user reads it: `vault config (.mdmastery/config.toml:3)`."""
        return f"{self.source} ({self.origin})" if self.origin else str(self.source)


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting in effect, in the table's order, and the problems met reading them."""

    effective: Mapping[str, Effective]
    problems: tuple[Problem, ...] = ()

    def __getitem__(self, key: str) -> Any:
        return self.effective[key].value

    def __iter__(self) -> Iterator[Effective]:
        return iter(self.effective.values())

    def as_json(self) -> list[dict[str, Any]]:
        return [entry.as_json() for entry in self]


def resolve(*, config: Mapping[str, Found], obsidian: Mapping[str, Found],
            environ: Mapping[str, str], command_line: Mapping[str, Any],
            defaults: Mapping[str, Any] | None = None) -> dict[str, Effective]:
    """Return each setting's effective value: the highest source that sets it.

    config and obsidian hold checked values (check_config, read_obsidian_settings);
    an environment variable or option is checked here (SettingError when it is bad). An
    empty environment variable counts as unset, as Click reads one. defaults replace the
    table's for defaults known only at run time (the vault found, today).
    """
    chosen: dict[str, Effective] = {}
    for setting in SETTINGS:
        candidates: list[tuple[Source, Found]] = []
        for source in setting.sources:
            found = _found(setting, source, config, obsidian, environ, command_line)
            if found is not None:
                candidates.append((source, found))
        default = (defaults or {}).get(setting.key, setting.default)
        candidates.append((Source.DEFAULT, Found(default, "")))
        (source, found), *shadowed = candidates
        chosen[setting.key] = Effective(setting, found.value, source, found.origin,
                                        tuple(shadowed))
    return chosen


def _found(setting: Setting, source: Source, config: Mapping[str, Found],
           obsidian: Mapping[str, Found], environ: Mapping[str, str],
           command_line: Mapping[str, Any]) -> Found | None:
    if source is Source.CONFIG:
        return config.get(setting.key)
    if source is Source.OBSIDIAN:
        return obsidian.get(setting.key)
    if source is Source.ENVIRONMENT and setting.env and environ.get(setting.env, "").strip():
        text = environ[setting.env].strip()
        try:
            return Found(setting.kind.check(setting.kind.parse(text)), setting.env)
        except ValueError:
            raise SettingError(f"{setting.env}={text!r} is not {setting.kind.name}") \
                from None
    if source is Source.COMMAND_LINE and setting.option and \
            command_line.get(setting.key) is not None:
        value = command_line[setting.key]
        try:
            return Found(setting.kind.check(value), setting.option)
        except ValueError:
            raise SettingError(f"{setting.option} {value!r} is not {setting.kind.name}") \
                from None
    return None


def load_settings(root: Path, *, environ: Mapping[str, str], command_line: Mapping[str, Any],
                  today: date) -> Settings:
    """Read the vault's config file and Obsidian's settings; return what is in effect.

    command_line holds only what the user gave (for --vault: not what Click took from
    MDMASTERY_VAULT or found); root and today are the defaults found at run time.
    """
    config = read_config_file(root)
    obsidian, obsidian_problems = read_obsidian_settings(root)
    effective = resolve(config=config.values, obsidian=obsidian, environ=environ,
                        command_line=command_line, defaults={"vault": root, "today": today})
    return Settings(effective, (*config.problems, *obsidian_problems))


def format_settings(settings: Settings) -> str:
    """Return the settings as `mdmastery config` prints them: TOML, each with its source.

    `folders.reviews = "Weekly"  # vault config (.mdmastery/config.toml:6)`: the lines
    of file settings could be pasted into config.toml as they are.
    """
    pairs = [(f"{entry.setting.key} = {as_toml(entry.value)}", entry.where())
             for entry in settings]
    width = min(max(len(pair) for pair, _ in pairs), 48)
    return "".join(f"{pair:<{width}}  # {where}\n" for pair, where in pairs)


def reference_markdown() -> str:
    """Return the table of settings as Markdown, for docs/configuration.md."""
    rows = ["| key | kind | default | may be set by (highest first) | meaning |",
            "|---|---|---|---|---|"]
    for setting in SETTINGS:
        default = setting.default_text or f"`{as_toml(setting.default)}`"
        ways = {Source.COMMAND_LINE: f"`{setting.option}`",
                Source.ENVIRONMENT: f"`{setting.env}`", Source.CONFIG: "config file",
                Source.OBSIDIAN: f"Obsidian: {setting.obsidian}", Source.DEFAULT: "default"}
        rows.append(f"| `{setting.key}` | {setting.kind.name} | {default} | "
                    f"{', '.join(ways[source] for source in setting.sources)} | "
                    f"{setting.help} |")
    return "\n".join(rows) + "\n"
