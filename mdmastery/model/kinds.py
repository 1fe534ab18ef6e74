"""Which note is what: a journal note (and its day), a habit, a goal, the vision, a
review; and where the journal note of a day lives."""

from __future__ import annotations

from datetime import date

from ..config import Config, note_path
from ..dates.days import plausible
from ..dates.moment import format_date, parse_date
from ..reading.note import Note
from .parse import as_strings, parse_day

KIND_ALIASES = {
    "journal": "journal", "daily": "journal", "reflection": "journal",
    "habit": "habit", "goal": "goal", "vision": "vision", "values": "vision",
    "review": "review",
}


def note_kind(note: Note, config: Config) -> tuple[str | None, date | None]:
    """Return the note's kind and, for a journal note, its date."""
    meta = note.props
    declared = meta.get("type")
    kind = KIND_ALIASES.get(str(declared).strip().lower()) if declared is not None else None
    if kind is None and declared is None:
        day = journal_date_from_name(note.path, config)
        if day is not None:
            kind = "journal"
        else:
            tags = {t.lstrip("#").lower() for t in as_strings(meta.get("tags"))}
            kind = "goal" if "goal" in tags else "habit" if "habit" in tags else None
    if kind != "journal":
        return kind, None
    return kind, front_matter_day(note, config) or journal_date_from_name(note.path, config)


def front_matter_day(note: Note, config: Config) -> date | None:
    """Return the day of a journal note's `date`, ISO or in a daily-note format."""
    value = note.props.get("date")
    day = parse_day(value)
    if day is None and isinstance(value, str):
        for fmt in config.date_formats:
            day = plausible(parse_date(fmt, value.strip()))
            if day:
                break
    return day


def journal_date_from_name(path: str, config: Config) -> date | None:
    """Return the day a journal file name names, in any of the vault's daily formats."""
    stem = path[:-3] if path.lower().endswith(".md") else path
    name = stem.rsplit("/", 1)[-1]
    for fmt in config.date_formats:
        depth = fmt.count("/")
        candidate = "/".join(stem.split("/")[-(depth + 1):]) if depth else name
        day = plausible(parse_date(fmt, candidate))
        if day is not None:
            return day
    return None


def journal_path(config: Config, day: date) -> str:
    """Return where the journal note of a day lives, per the daily-note settings."""
    return note_path(config.journal_folder,
                     f"{format_date(config.daily_format, day, config.week_start)}.md")
