"""The vault's settings: the defaults, `.mdmastery/config.toml` and Obsidian's daily-note
settings -> Config, each value with the source it came from; and the vault's own paths."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .dates.days import WEEKDAY_NAMES
from .dates.periods import DEFAULT_FORMATS, PERIODS
from .errors import Problem

# The vault's own files and folders (besides the notes).
CONFIG_PATH = ".mdmastery/config.toml"
TEMPLATE_FOLDER = ".mdmastery/templates"  # the user's own templates, over the packaged ones
CACHE_FOLDER = ".mdmastery/cache"  # disposable: the index (load/)
# Obsidian's daily-note settings, the first one found wins: Periodic Notes', the core's.
OBSIDIAN_DAILY = (".obsidian/plugins/periodic-notes/data.json", ".obsidian/daily-notes.json")
# The files whose change alters how the vault is read.
SETTINGS_FILES = frozenset({CONFIG_PATH, *OBSIDIAN_DAILY})

DEFAULT_AREAS = ("career", "finances", "relationships", "health", "growth", "leisure")
# Notes above this many bytes are skipped unread (a pasted log, a misnamed export).
DEFAULT_MAX_FILE_SIZE = 5_000_000
DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"


class Config(NamedTuple):
    """Everything configurable about a vault; the defaults suit a fresh Obsidian vault.

    (Its repr keys the settings the index's facts were found under.)
    """

    areas: tuple[str, ...] = DEFAULT_AREAS
    ignore: tuple[str, ...] = ()
    week_start: int = 0  # 0 = Monday
    reviews_folder: str = "Reviews"
    journal_folder: str = ""
    goals_folder: str = "Goals"
    habits_folder: str = "Habits"
    daily_format: str = DEFAULT_DAILY_FORMAT
    # Extra daily-note formats seen in the vault's Obsidian settings, tried in order.
    date_formats: tuple[str, ...] = (DEFAULT_DAILY_FORMAT,)
    formats: Mapping[str, str] = MappingProxyType(dict(DEFAULT_FORMATS))  # (read-only)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    problems: tuple[Problem, ...] = ()


DEFAULTS = Config()


class Setting(NamedTuple):
    """One value of a Config and where it came from."""

    value: Any
    source: str  # "default", CONFIG_PATH or the Obsidian settings file that gave it


def note_path(folder: str, name: str) -> str:
    """Return the vault path of a note named name in a configured folder ("" is the root)."""
    folder = folder.strip("/")
    return f"{folder}/{name}" if folder else name


def _obsidian_daily(root: Path) -> tuple[str | None, str | None, str]:
    """Return (format, folder) of the daily notes from Obsidian's own settings, if set,
    and the file that set them."""
    for relative, nesting in zip(OBSIDIAN_DAILY, (("daily",), ()), strict=True):
        try:
            data: Any = json.loads((root / relative).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        for key in nesting:
            data = data.get(key) if isinstance(data, dict) else None
        if not isinstance(data, dict):
            continue
        if nesting and data.get("enabled") is False:
            continue
        fmt = data.get("format")
        folder = data.get("folder")
        return (fmt if isinstance(fmt, str) and fmt.strip() else None,
                folder.strip("/") if isinstance(folder, str) else None, relative)
    return None, None, ""


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _read_toml(root: Path, problems: list[Problem]) -> tuple[dict[str, Any], str]:
    """Return the config file's tables and its text ({} and "" without a readable one)."""
    try:
        text = (root / CONFIG_PATH).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(CONFIG_PATH, 0, "error", f"cannot read config: {error}"))
        return {}, ""
    import tomllib  # (only for a vault with a config file)

    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        problems.append(Problem(CONFIG_PATH, int(match.group(1)) if match else 1,
                                "error", f"config is not valid TOML: {error}"))
        return {}, text


def read_settings(root: Path) -> tuple[dict[str, Setting], tuple[Problem, ...]]:
    """Read the vault's settings: each Config field's value and source, and the problems
    of the config file (a bad file or value is a problem, never fatal)."""
    problems: list[Problem] = []
    daily_format, daily_folder, obsidian = _obsidian_daily(root)
    raw, text = _read_toml(root, problems)
    settings: dict[str, Setting] = {}

    def get(key: str, kind: type, default: Any, table: Mapping[str, Any] = raw) -> Any:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            problems.append(Problem(CONFIG_PATH, _line_of(text, key), "error",
                                    f"{key} must be a {kind.__name__}; using the default"))
            return default
        return value

    def put(field: str, value: Any, given: bool, source: str = CONFIG_PATH) -> None:
        settings[field] = Setting(value, source if given else "default")

    folders = get("folders", dict, {})
    formats_raw = get("formats", dict, {})
    areas = get("areas", list, None)
    put("areas", DEFAULTS.areas if areas is None else
        tuple(str(a).strip().lower() for a in areas if str(a).strip()), areas is not None)
    ignore = get("ignore", list, None)
    put("ignore", tuple(str(g) for g in ignore or ()), ignore is not None)
    week_start_name = str(get("week_start", str, "monday")).strip().lower()[:3]
    if week_start_name in WEEKDAY_NAMES:
        put("week_start", WEEKDAY_NAMES.index(week_start_name), "week_start" in raw)
    else:
        problems.append(Problem(CONFIG_PATH, _line_of(text, "week_start"), "error",
                                "week_start must name a weekday (monday, sunday, ...)"))
        put("week_start", DEFAULTS.week_start, False)
    formats = dict(DEFAULTS.formats)
    for kind in PERIODS:
        value = formats_raw.get(kind)
        if isinstance(value, str) and value.strip():
            formats[kind] = value.strip()
    put("formats", MappingProxyType(formats), formats != dict(DEFAULTS.formats))
    max_file_size = get("max_file_size", int, None)
    if max_file_size is not None and max_file_size <= 0:
        problems.append(Problem(CONFIG_PATH, _line_of(text, "max_file_size"), "error",
                                "max_file_size must be a positive number of bytes; "
                                "using the default"))
        max_file_size = None
    put("max_file_size", DEFAULTS.max_file_size if max_file_size is None else max_file_size,
        max_file_size is not None)
    daily = formats_raw.get("daily") or daily_format or DEFAULTS.daily_format
    if not isinstance(daily, str):
        problems.append(Problem(CONFIG_PATH, _line_of(text, "daily"), "error",
                                "formats.daily must be a string (e.g. \"YYYY-MM-DD\"); "
                                "using the default"))
        daily = daily_format or DEFAULTS.daily_format
    source = CONFIG_PATH if daily == formats_raw.get("daily") else \
        obsidian if daily == daily_format else "default"
    settings["daily_format"] = Setting(daily, source)
    settings["date_formats"] = Setting(tuple(dict.fromkeys(
        f for f in (daily, daily_format, DEFAULTS.daily_format) if f)), source)
    for field, key in (("reviews_folder", "reviews"), ("journal_folder", "journal"),
                       ("goals_folder", "goals"), ("habits_folder", "habits")):
        default = getattr(DEFAULTS, field)
        if field == "journal_folder" and daily_folder:
            default = daily_folder
        value = get(key, str, None, folders)
        if value is not None:
            put(field, value.strip("/"), True)
        else:
            put(field, default, field == "journal_folder" and bool(daily_folder), obsidian)
    return settings, tuple(problems)


def load_config(root: Path) -> Config:
    """Read the vault's config; a bad file or value is a problem, never fatal."""
    settings, problems = read_settings(root)
    return Config(**{field: setting.value for field, setting in settings.items()},
                  problems=problems)
