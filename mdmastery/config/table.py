"""The table of settings: every setting is one entry, its key, kind, default, help and the
sources that may set it.

A setting of the vault is one line in the body of `Config` below; that line is all it
takes to add one: the config file's checks, `mdmastery config`, docs/configuration.md's
table and `config.NAME` (typed, as the kind's check returns it) follow from it. The two
settings of a run rather than a vault (`vault`, `today`) are `RUN_KEYS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar, overload

from ..dates.periods import DEFAULT_FORMATS, PERIODS
from ..errors import Problem
from .kinds import (
    DAY,
    FOLDER,
    FORMAT,
    NAMES,
    PATH,
    POSITIVE_INT,
    SCALE,
    STRINGS,
    TEXT,
    WEEKDAY,
    Kind,
)

T = TypeVar("T")


class Source(StrEnum):
    """Where a setting's value came from, lowest precedence first."""

    DEFAULT = "default"
    OBSIDIAN = "Obsidian settings"
    CONFIG = "vault config"
    ENVIRONMENT = "environment"
    COMMAND_LINE = "command line"


class Found(NamedTuple):
    """A value a source gives for a setting (checked), and where exactly it was set."""

    value: Any
    origin: str  # ".mdmastery/config.toml:3", "MDMASTERY_TODAY", "--vault"; "" by default


class Key(Generic[T]):
    """One setting: its key (dotted for a key of a [table]), kind, default and help, and
    the sources that may set it besides the default.

    As an attribute of Config, it is that setting's value on a Config: a Config keeps
    its values in its own __dict__, which Python reads before a descriptor with no
    __set__ (as for functools.cached_property), so `config.areas` costs what a plain
    attribute does and is typed as the kind's value. On the class it is the Key.
    """

    def __init__(self, key: str, kind: Kind[T], default: T, help: str, *,
                 in_file: bool = True, obsidian: str | None = None, env: str | None = None,
                 option: str | None = None, default_text: str | None = None) -> None:
        self.key = key
        self.kind = kind
        self.default = default
        self.help = help
        self.in_file = in_file  # may be set in .mdmastery/config.toml
        self.obsidian = obsidian  # the Obsidian setting that may set it, said in words
        self.env = env  # the environment variable that may set it
        self.option = option  # the command-line option that may set it
        self.default_text = default_text  # for a default only known at run time
        self.field = key  # its attribute of Config (set when Config is defined)

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Key[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object, owner: type | None = None) -> Key[T] | T:
        return self if instance is None else self.default

    def __repr__(self) -> str:
        return f"Key({self.key!r})"

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
DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"
_DAILY_NOTES = "the daily-note settings (core Daily notes or Periodic Notes)"


class Config:
    """Everything configurable about a vault; the defaults suit a fresh Obsidian vault.

    Made by load_config (config/resolve.py); `Config(week_start=6)` gives the defaults
    but those named. Frozen. (Its repr keys the settings the index's facts were found
    under, and the model the index keeps.)
    """

    # The settings, in the order `mdmastery config` and the docs list them.
    areas = Key("areas", NAMES, DEFAULT_AREAS,
                "Life areas; reviews name those with no active goal or habit.")
    ignore = Key("ignore", STRINGS, (),
                 "Globs of notes and folders never read, relative to the vault.")
    week_start = Key("week_start", WEEKDAY, 0,
                     "The first day of the week (only the first 3 letters count).")
    max_file_size = Key("max_file_size", POSITIVE_INT, DEFAULT_MAX_FILE_SIZE,
                        "Notes larger than this many bytes are skipped with a warning.")
    reviews_folder = Key("folders.reviews", FOLDER, "Reviews",
                         "Where review notes are written.")
    journal_folder = Key("folders.journal", FOLDER, "",
                         "Where `today` creates the day's note (\"\": the vault's top "
                         "folder).", obsidian=f"folder of {_DAILY_NOTES}")
    goals_folder = Key("folders.goals", FOLDER, "Goals", "Where `new goal` creates notes.")
    habits_folder = Key("folders.habits", FOLDER, "Habits",
                        "Where `new habit` creates notes; a note there with `entries:` "
                        "and no type is a habit (Habit Tracker 21's).")
    habit_tracker_folder = Key(
        "folders.habit_tracker", FOLDER, "",
        "The folder (or note) of Habit Tracker 21's habits: each note there without a "
        "type is a habit (\"\": none; its habittracker code blocks name more).",
        obsidian="path of Habit Tracker 21's settings")
    daily_format = Key("formats.daily", FORMAT, DEFAULT_DAILY_FORMAT,
                       "The file name of journal notes.", obsidian=f"format of {_DAILY_NOTES}")
    week_format = Key("formats.week", FORMAT, DEFAULT_FORMATS["week"],
                      "The file name of weekly reviews.")
    month_format = Key("formats.month", FORMAT, DEFAULT_FORMATS["month"],
                       "The file name of monthly reviews.")
    quarter_format = Key("formats.quarter", FORMAT, DEFAULT_FORMATS["quarter"],
                         "The file name of quarterly reviews.")
    year_format = Key("formats.year", FORMAT, DEFAULT_FORMATS["year"],
                      "The file name of yearly reviews.")
    mood_scale = Key("scales.mood", SCALE, None,
                     "The whole numbers moods are written on (\"1-10\"; words and emoji "
                     "are stretched onto it).",
                     default_text="detected from the notes: 1-5 unless they show another")
    energy_scale = Key("scales.energy", SCALE, None,
                       "The whole numbers energy is written on (\"1-10\").",
                       default_text="detected from the notes: 1-5 unless they show another")
    tasks_global_filter = Key(
        "tasks.global_filter", TEXT, "",
        "The Tasks plugin's global filter (#task): no part of a habit's name or a "
        "milestone's text (\"\": none).",
        obsidian="global filter of the Tasks plugin's settings")

    # Not settings: what the settings give, made with the Config.
    formats: Mapping[str, str]  # each period kind's review name format (read-only)
    date_formats: tuple[str, ...]  # the daily-note formats recognised, in order
    problems: tuple[Problem, ...]  # of the config file and Obsidian's settings

    def __init__(self, *, date_formats: tuple[str, ...] | None = None,
                 problems: Iterable[Problem] = (), **values: Any) -> None:
        unknown = values.keys() - FIELDS.keys()
        if unknown:
            raise TypeError(f"Config has no setting {', '.join(sorted(unknown))}")
        state = self.__dict__
        state.update(values)
        state["formats"] = MappingProxyType({kind: getattr(self, f"{kind}_format")
                                             for kind in PERIODS})
        state["date_formats"] = date_formats or tuple(dict.fromkeys(
            (self.daily_format, DEFAULT_DAILY_FORMAT)))
        state["problems"] = tuple(problems)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Config is frozen: {name} cannot be set")

    def _state(self) -> tuple[Any, ...]:
        return (*(getattr(self, field) for field in FIELDS), self.date_formats,
                self.problems)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and self._state() == other._state()

    def __hash__(self) -> int:
        return hash(self._state())

    def __repr__(self) -> str:
        shown = [f"{field}={getattr(self, field)!r}" for field in FIELDS]
        shown += [f"date_formats={self.date_formats!r}", f"problems={self.problems!r}"]
        return f"Config({', '.join(shown)})"


# Config's settings by attribute, in the table's order.
FIELDS: Mapping[str, Key[Any]] = {
    value.field: value for value in vars(Config).values() if isinstance(value, Key)}

# The settings of a run: chosen outside the vault, never in its config file.
VAULT = Key("vault", PATH, None, "The vault folder.", in_file=False, env="MDMASTERY_VAULT",
            option="--vault", default_text="the nearest folder up from the working "
            "directory holding .mdmastery/ or .obsidian/, else the working directory")
TODAY = Key("today", DAY, None, "The day taken as today (for reproducible runs).",
            in_file=False, env="MDMASTERY_TODAY", default_text="the system clock's date")
RUN_KEYS: tuple[Key[Any], ...] = (VAULT, TODAY)

# Every setting, in the order `mdmastery config` and the docs list them.
SETTINGS: tuple[Key[Any], ...] = (*RUN_KEYS, *FIELDS.values())
BY_KEY: Mapping[str, Key[Any]] = {setting.key: setting for setting in SETTINGS}
# The [tables] of the config file: the first part of each dotted key.
TABLES = tuple(dict.fromkeys(key.split(".")[0] for key in BY_KEY if "." in key))

DEFAULTS = Config()
