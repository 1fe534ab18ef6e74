"""Which note is what: a journal note (and its day), a habit, a goal, the vision, a
review; where the journal note of a day lives; and which notes share a name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from ..config import Config, note_path
from ..dates.days import plausible
from ..dates.moment import format_date, name_pattern, parse_date
from ..dates.names import other_date_formats
from ..dates.periods import FORMATS_APART, PERIODS
from ..errors import Problem
from ..reading.note import Note
from .parse import as_strings, parse_day

KIND_ALIASES = {
    "journal": "journal", "daily": "journal", "reflection": "journal",
    "habit": "habit", "goal": "goal", "vision": "vision", "values": "vision",
    "review": "review",
}


def note_kind(note: Note, config: Config) -> tuple[str | None, date | None]:
    """Return the note's kind and, for a journal note, its date. "tracker" is a note
    of no type with `entries:`, or in Habit Tracker 21's folder: a habit when a Habit
    Tracker 21 path names it (assemble.py)."""
    meta = note.props
    declared = meta.get("type")
    kind = KIND_ALIASES.get(str(declared).strip().lower()) if declared is not None else None
    if kind is None and declared is None:
        day = journal_date_from_name(note.path, config)
        if day is not None:
            kind = "journal"
        else:
            tags = {t.lstrip("#").lower() for t in as_strings(meta.get("tags"))}
            kind = "goal" if "goal" in tags else "habit" if "habit" in tags else \
                "tracker" if "entries" in meta or _in_tracker_folder(note.path, config) \
                else None
    if kind != "journal":
        return kind, None
    return kind, front_matter_day(note, config) or journal_date_from_name(note.path, config)


def _in_tracker_folder(path: str, config: Config) -> bool:
    """Tell whether a note lies directly in Habit Tracker 21's folder (or is its note)."""
    folder = config.habit_tracker_folder
    if not folder:
        return False
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    return parent == folder or path in (folder, f"{folder}.md")


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


def misnamed_journal_note(path: str, config: Config) -> str | None:
    """Say why a note of no kind in the journal folder looks like a journal note named in
    another date format (`22-12-2026.md` where notes are `YYYY-MM-DD`), or None.

    Only notes in the journal folder or below it (at the root, only the root's own
    notes, when the journal folder is the root) are looked at: `Projects/12-2026
    budget.md` is no journal note.
    """
    folder = config.journal_folder.strip("/")
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    if not (parent == folder or (folder and parent.startswith(f"{folder}/"))):
        return None
    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    if sum(char.isdigit() for char in stem) < 4:
        return None  # (no day is named without a year)
    found = other_date_formats(stem, config.date_formats)
    if not found:
        return None
    named = " or ".join(f"{one.day.isoformat()} written {one.format}" for one in found)
    expected = format_date(config.daily_format, found[0].day, config.week_start)
    return (f"the name is {named}, but journal notes are named {config.daily_format} "
            f"({expected}.md); it is not read as a journal note")


def journal_path(config: Config, day: date) -> str:
    """Return where the journal note of a day lives, per the daily-note settings."""
    return note_path(config.journal_folder,
                     f"{format_date(config.daily_format, day, config.week_start)}.md")


def name_of(path: str) -> str:
    """Return the name Obsidian resolves a link to a note by: its stem, case-folded."""
    name = path.rsplit("/", 1)[-1]
    return (name[:-3] if name.lower().endswith(".md") else name).casefold()


def namesakes_of(paths: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Return the names more than one note has, each with the paths of those notes."""
    by_name: dict[str, list[str]] = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1]  # (name_of, inline: every note of the vault)
        if name[-3:].lower() == ".md":
            name = name[:-3]
        by_name.setdefault(name.casefold(), []).append(path)
    return {name: tuple(sorted(found)) for name, found in sorted(by_name.items())
            if len(found) > 1}


def review_name_problems(namesakes: Mapping[str, tuple[str, ...]],
                         config: Config) -> list[Problem]:
    """Warn of each note in the reviews folder whose name another note has too:
    `[[2023-W23]]` is then ambiguous in Obsidian (a Periodic Notes weekly note beside a
    weekly review)."""
    folder = config.reviews_folder.strip("/")
    found: list[Problem] = []
    if not folder:
        return found  # (reviews at the root are not told from the other notes there)
    for paths in namesakes.values():
        reviews = [p for p in paths if p.startswith(f"{folder}/")]
        others = [p for p in paths if p not in reviews]
        if not others:
            continue
        for review in reviews:
            stem = review.rsplit("/", 1)[-1][:-3]
            kind = next((kind for kind in PERIODS
                         if name_pattern(config.formats[kind]).match(stem)), "week")
            found.append(Problem(
                review, 1, "warning",
                f"{others[0]} has the same name: [[{stem}]] is ambiguous in Obsidian; name "
                f"reviews apart in .mdmastery/config.toml, e.g. [formats] {kind} = "
                f"\"{FORMATS_APART[kind]}\""))
    return found
