"""The vault's settings: `.mdmastery/config.toml`, plus Obsidian's daily-note settings."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .model import WEEKDAY_NAMES, Problem
from .periods import DEFAULT_FORMATS, PERIODS

DEFAULT_AREAS = ("career", "finances", "relationships", "health", "growth", "leisure")
CONFIG_PATH = ".mdmastery/config.toml"
# Notes above this many bytes are skipped unread (a pasted log, a misnamed export).
DEFAULT_MAX_FILE_SIZE = 5_000_000


class Config(NamedTuple):
    """Everything configurable about a vault; the defaults suit a fresh Obsidian vault."""

    areas: tuple[str, ...] = DEFAULT_AREAS
    ignore: tuple[str, ...] = ()
    week_start: int = 0  # 0 = Monday
    reviews_folder: str = "Reviews"
    journal_folder: str = ""
    goals_folder: str = "Goals"
    habits_folder: str = "Habits"
    daily_format: str = "YYYY-MM-DD"
    # Extra daily-note formats seen in the vault's Obsidian settings, tried in order.
    date_formats: tuple[str, ...] = ("YYYY-MM-DD",)
    formats: Mapping[str, str] = MappingProxyType(dict(DEFAULT_FORMATS))  # (read-only)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    problems: tuple[Problem, ...] = ()


def _obsidian_daily(root: Path) -> tuple[str | None, str | None]:
    """Return (format, folder) of the daily notes from Obsidian's own settings, if set."""
    candidates = (
        (root / ".obsidian/plugins/periodic-notes/data.json", ("daily",)),
        (root / ".obsidian/daily-notes.json", ()),
    )
    for path, nesting in candidates:
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
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
                folder.strip("/") if isinstance(folder, str) else None)
    return None, None


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load_config(root: Path) -> Config:
    """Read the vault's config; a bad file or value is a problem, never fatal."""
    problems: list[Problem] = []
    daily_format, daily_folder = _obsidian_daily(root)
    raw: dict[str, Any] = {}
    text = ""
    try:
        text = (root / CONFIG_PATH).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(CONFIG_PATH, 0, "error", f"cannot read config: {error}"))
    else:
        import tomllib  # (only for a vault with a config file: a few ms to import)

        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"line (\d+)", str(error))
            problems.append(Problem(CONFIG_PATH, int(match.group(1)) if match else 1,
                                    "error", f"config is not valid TOML: {error}"))

    def get(key: str, kind: type, default: Any, table: Mapping[str, Any] = raw) -> Any:
        value = table.get(key, default)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            problems.append(Problem(CONFIG_PATH, _line_of(text, key), "error",
                                    f"{key} must be a {kind.__name__}; using the default"))
            return default
        return value

    folders = get("folders", dict, {})
    formats_raw = get("formats", dict, {})
    areas = get("areas", list, list(DEFAULT_AREAS))
    ignore = get("ignore", list, [])
    week_start_name = str(get("week_start", str, "monday")).strip().lower()[:3]
    week_start = 0
    if week_start_name in WEEKDAY_NAMES:
        week_start = WEEKDAY_NAMES.index(week_start_name)
    else:
        problems.append(Problem(CONFIG_PATH, _line_of(text, "week_start"), "error",
                                "week_start must name a weekday (monday, sunday, ...)"))
    formats = dict(DEFAULT_FORMATS)
    for kind in PERIODS:
        value = formats_raw.get(kind)
        if isinstance(value, str) and value.strip():
            formats[kind] = value.strip()
    max_file_size = int(get("max_file_size", int, DEFAULT_MAX_FILE_SIZE))
    if max_file_size <= 0:
        problems.append(Problem(CONFIG_PATH, _line_of(text, "max_file_size"), "error",
                                "max_file_size must be a positive number of bytes; "
                                "using the default"))
        max_file_size = DEFAULT_MAX_FILE_SIZE
    daily = formats_raw.get("daily") or daily_format or "YYYY-MM-DD"
    if not isinstance(daily, str):
        problems.append(Problem(CONFIG_PATH, _line_of(text, "daily"), "error",
                                "formats.daily must be a string (e.g. \"YYYY-MM-DD\"); "
                                "using the default"))
        daily = daily_format or "YYYY-MM-DD"
    date_formats = tuple(dict.fromkeys(f for f in (daily, daily_format, "YYYY-MM-DD") if f))
    return Config(
        areas=tuple(str(a).strip().lower() for a in areas if str(a).strip()),
        ignore=tuple(str(g) for g in ignore),
        week_start=week_start,
        reviews_folder=str(get("reviews", str, "Reviews", folders)).strip("/"),
        journal_folder=str(get("journal", str, daily_folder or "", folders)).strip("/"),
        goals_folder=str(get("goals", str, "Goals", folders)).strip("/"),
        habits_folder=str(get("habits", str, "Habits", folders)).strip("/"),
        daily_format=str(daily),
        date_formats=date_formats,
        formats=MappingProxyType(formats),
        max_file_size=max_file_size,
        problems=tuple(problems),
    )
