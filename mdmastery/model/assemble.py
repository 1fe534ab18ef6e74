"""Every note's facts -> the model: check-offs meet their habits, the journal notes of a
day merge, tracked values reach their goals; or the last model updated for a few changed
journal notes, day by day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from itertools import groupby
from operator import itemgetter

from ..config import CONFIG_PATH, Config
from ..config.obsidian import in_habit_source
from ..errors import Problem, Problems
from .checkoffs import HabitMatcher, check_offs, record_mark
from .facts import JournalFacts, NoteFacts
from .journal import DayNote, Journal
from .kinds import namesakes_of, review_name_problems
from .links import links_to
from .model import Model
from .parse import in_measure_unit
from .scales import (
    KINDS,
    Reading,
    Scale,
    ScaleUse,
    detected_note,
    on_scale,
    scale_use,
    whole_number,
)
from .values import Goal, Habit, Mark, Vision

Scales = Mapping[str, ScaleUse]


def day_note(path: str, journal: JournalFacts, scales: Scales) -> DayNote:
    """Return a journal note as a journal keeps it, its mood and energy on the scales."""
    return (path, journal.day.toordinal(), _level(journal.mood, scales["mood"].scale, "mood"),
            _level(journal.energy, scales["energy"].scale, "energy"), journal.items)


def _level(written: int | Reading | None, scale: Scale, kind: str) -> int | None:
    """Return a mood (or energy) as written, on the scale (None when it is off it)."""
    if written is None or (type(written) is int and scale.low <= written <= scale.high):
        return written  # (the common case first)
    return on_scale(written, scale, kind).value


def configured_scale(config: Config, kind: str) -> Scale | None:
    """Return the scale the vault's settings give mood or energy, if any."""
    found = config.mood_scale if kind == "mood" else config.energy_scale
    return None if found is None else Scale(*found)


def _counted(counts: Mapping[str, Counter[int]], journal: JournalFacts,
             sign: int = 1) -> None:
    """Count (sign 1) or uncount (-1) the whole numbers a journal note wrote for mood and
    energy (what a scale is detected from)."""
    mood, energy = journal.mood, journal.energy
    if mood is not None:
        number = mood if type(mood) is int else whole_number(mood)
        if number is not None:
            counts["mood"][number] += sign
    if energy is not None:
        number = energy if type(energy) is int else whole_number(energy)
        if number is not None:
            counts["energy"][number] += sign


def _scales(config: Config, counts: Mapping[str, Counter[int]]) -> dict[str, ScaleUse]:
    return {kind: scale_use(configured_scale(config, kind), counts[kind]) for kind in KINDS}


def _notices(scales: Scales) -> tuple[Problem, ...]:
    """The notes of the scales detected, on the config file, where they may be set."""
    found = [Problem(CONFIG_PATH, 0, "note", text) for kind in KINDS
             if (text := detected_note(kind, scales[kind])) is not None]
    return tuple(found)


def assemble(facts: Iterable[NoteFacts], config: Config) -> Model:
    """Put the notes' facts (in path order) together: check-offs meet their habits,
    journal notes of one day merge, tracked values reach their goals."""
    found = Problems()
    journals: list[tuple[date, NoteFacts, JournalFacts]] = []
    habit_facts: list[NoteFacts] = []
    trackers: list[NoteFacts] = []  # habits only if a Habit Tracker 21 path names them
    tracked_paths: set[str] = set()  # the folders and notes Habit Tracker 21 names
    goals: list[Goal] = []
    vision: Vision | None = None
    count = 0
    paths: list[str] = []
    for one in facts:
        count += 1
        paths.append(one.path)
        found.extend(one.problems)
        tracked_paths.update(one.habit_sources)
        if one.journal is not None:
            journals.append((one.journal.day, one, one.journal))
        elif one.tracker:
            trackers.append(one)
        elif one.habit is not None:
            habit_facts.append(one)
        elif one.goal is not None:
            goals.append(one.goal)
        elif one.vision is not None and vision is None:
            vision = one.vision
    journals.sort(key=lambda triple: (triple[0], triple[1].path))
    tracked_paths.update(folder for folder in (config.habit_tracker_folder,
                                               config.habits_folder) if folder)
    for one in trackers:
        if any(in_habit_source(one.path, source) for source in tracked_paths):
            habit_facts.append(one)
            found.extend(one.if_habit)
    counts: dict[str, Counter[int]] = {kind: Counter() for kind in KINDS}
    for _, _, journal in journals:
        if journal.mood is not None or journal.energy is not None:
            _counted(counts, journal)
    scales = _scales(config, counts)

    habit_facts.sort(key=lambda f: f.path)
    habits = [f.habit for f in habit_facts if f.habit is not None]
    by_key: dict[str, Habit] = {}
    for habit in habits:
        if habit.key in by_key:
            first = by_key[habit.key]
            found.error(habit.path, 1, f"habit key {habit.key!r} is also the key of {first.path}; "
                    "give one of them another `key`")
        else:
            by_key[habit.key] = habit
    matcher = HabitMatcher(habits, config.tasks_global_filter or None)
    marks: list[dict[date, Mark]] = [{} for _ in habits]
    sources: list[dict[date, str]] = [{} for _ in habits]
    for index, one in enumerate(habit_facts):
        for day in one.entries:
            record_mark(marks[index], sources[index], day, "done", one.path)

    for _, one, journal in journals:
        check_offs(one, journal, habits, matcher, marks, sources, found)
    habits = [_with_marks(h, m, s) for h, m, s in zip(habits, marks, sources, strict=True)]

    goals = _with_tracked(sorted(goals, key=lambda g: g.path), journals, found)
    _check_links(habits, goals, found)
    focus = [g for g in goals if g.focus and g.status == "active"]
    if len(focus) > 3:
        for goal in focus[3:]:
            found.warn(goal.path, 1, f"{len(focus)} active focus goals; keep the vital few "
                   "(3 or fewer)")
    day_notes = _day_notes(journals, scales, found)  # (it reports problems too)
    namesakes = namesakes_of(paths)
    found.extend(review_name_problems(namesakes, config))
    problems = sorted(set(found) | set(config.problems))
    return Model(tuple(sorted(habits, key=lambda h: (h.name.lower(), h.path))),
                 tuple(sorted(goals, key=lambda g: (g.title.lower(), g.path))),
                 Journal.of(day_notes), vision, tuple(problems), count, _notices(scales),
                 namesakes, scales)


def update_model(model: Model, old: Mapping[str, NoteFacts | None],
                 new: Mapping[str, NoteFacts | None],
                 day_notes: Callable[[date], Iterable[NoteFacts]],
                 habit_facts: Iterable[NoteFacts], config: Config, *,
                 paths: Callable[[], Iterable[str]]) -> Model | None:
    """Return the model after some journal notes (or notes of no kind) changed, without
    going through every note: only the days those notes were and are on are assembled
    again. None when a habit, goal or vision note is among them (assemble then).

    old and new give each changed path's facts before and after (None: absent);
    day_notes(day) gives the facts of every journal note of that day as they are now;
    habit_facts, those of every habit note; paths, the path of every note (asked for
    only when a note came or went). model must be assemble's result for the notes as
    they were.
    """
    changed = [f for f in (*old.values(), *new.values()) if f is not None]
    if any(f.habit or f.goal or f.vision or f.habit_sources for f in changed):
        return None
    scales = _updated_scales(model, old, new, config)
    if scales is None:
        return None  # another scale: every note's mood and energy is read again
    days = sorted({f.journal.day for f in changed if f.journal is not None})
    found = Problems()
    habits = sorted(model.habits, key=lambda h: h.path)
    matcher = HabitMatcher(habits, config.tasks_global_filter or None)
    known = {h.path for h in model.habits}
    entries = {f.path: set(f.entries) for f in habit_facts
               if f.habit is not None and (not f.tracker or f.path in known)}
    if sorted(entries) != [h.path for h in habits]:
        return None  # the habit notes are not those the model was made from
    marks: list[dict[date, Mark]] = [{} for _ in habits]
    sources: list[dict[date, str]] = [{} for _ in habits]
    touched = set(old) | set(new)  # paths whose problems are found again
    journal: dict[date, list[DayNote]] = {}  # the days assembled again (empty: gone)
    by_key = _tracking(model.goals)
    tracked: dict[str, list[tuple[date, float]]] = {g.path: [] for g in model.goals if g.track}
    for day in days:
        for index, habit in enumerate(habits):
            if day in entries[habit.path]:
                record_mark(marks[index], sources[index], day, "done", habit.path)
        notes = sorted(((f, f.journal) for f in day_notes(day) if f.journal is not None
                        and f.journal.day == day), key=lambda pair: pair[0].path)
        for one, facts in notes:
            touched.add(one.path)
            found.extend(one.problems)
            check_offs(one, facts, habits, matcher, marks, sources, found)
            _track(day, one.path, facts, by_key, tracked, found)
        journal[day] = _day_notes([(day, one, facts) for one, facts in notes], scales,
                                  found)
    # Notes that are not journal notes (any more) keep only their own problems.
    found.extend(p for f in new.values() if f is not None and f.journal is None
                      for p in f.problems)
    gone = set(days)
    updated: list[Habit] = []
    for habit, mark, source in zip(habits, marks, sources, strict=True):
        if mark == {d: habit.marks[d] for d in days if d in habit.marks} and \
                source == {d: habit.sources[d] for d in days if d in habit.sources}:
            updated.append(habit)  # the same object: the index need not store it again
            continue
        updated.append(_with_marks(
            habit, {**{d: m for d, m in habit.marks.items() if d not in gone}, **mark},
            {**{d: p for d, p in habit.sources.items() if d not in gone}, **source}))
    goals = [replace(g, tracked=tuple(sorted(
        [pair for pair in g.tracked if pair[0] not in gone] + tracked[g.path],
        key=lambda pair: pair[0]))) if g.track else g for g in model.goals]
    namesakes = model.namesakes
    if any(old.get(path) is None or new.get(path) is None for path in touched):
        namesakes = namesakes_of(paths())  # a note came or went
    named = set(review_name_problems(model.namesakes, config))
    found.extend(review_name_problems(namesakes, config))
    kept = [p for p in model.problems if p.path not in touched and p not in named]
    count = model.note_count + sum(1 for path in new if new[path] is not None) - \
        sum(1 for path in old if old[path] is not None)
    return Model(tuple(sorted(updated, key=lambda h: (h.name.lower(), h.path))),
                 tuple(goals), model.journal.with_days(journal),
                 model.vision, tuple(sorted(set(kept) | set(found))), count,
                 _notices(scales), namesakes, scales)


def _updated_scales(model: Model, old: Mapping[str, NoteFacts | None],
                    new: Mapping[str, NoteFacts | None], config: Config) -> Scales | None:
    """Return the scales after some journal notes changed, or None when they are no
    longer those the model read its journal on."""
    counts = {kind: Counter(dict(model.scales[kind].counts)) for kind in KINDS}
    for facts, sign in [*((f, -1) for f in old.values()), *((f, 1) for f in new.values())]:
        if facts is not None and facts.journal is not None:
            _counted(counts, facts.journal, sign)
    scales = _scales(config, counts)
    if any(scales[kind].scale != model.scales[kind].scale for kind in KINDS):
        return None
    return scales


def _with_marks(habit: Habit, marks: dict[date, Mark], sources: dict[date, str]) -> Habit:
    return replace(habit, marks=dict(sorted(marks.items())),
                   sources=dict(sorted(sources.items())))


def _day_notes(journals: Sequence[tuple[date, NoteFacts, JournalFacts]], scales: Scales,
               found: Problems) -> list[DayNote]:
    """Return journal notes, given in day order then path order, as a journal keeps
    them. Warn of each day of several notes (they are merged), and report the mood and
    energy problems of the notes looked at: the first note of a day with a mood gives it
    (see model.journal_entries), so a bad mood after it is not read, nor reported."""
    notes: list[DayNote] = []
    for day, group in groupby(journals, itemgetter(0)):
        day_journals = list(group)
        if len(day_journals) > 1:
            names = ", ".join(one.path for _, one, _ in day_journals)
            found.warn(day_journals[1][1].path, 1, f"{len(day_journals)} journal notes for "
                   f"{day} ({names}); merged")
        mood = energy = None
        for _, one, journal in day_journals:
            note = day_note(one.path, journal, scales)
            notes.append(note)
            if mood is None:
                mood = note[2]
                if mood is None and journal.mood is not None:
                    found.warn(one.path, journal.mood_line, _problem(journal.mood, scales,
                                                                     "mood"))
            if energy is None:
                energy = note[3]
                if energy is None and journal.energy is not None:
                    found.warn(one.path, journal.energy_line, _problem(
                        journal.energy, scales, "energy"))
    return notes


def _problem(written: int | Reading, scales: Scales, kind: str) -> str:
    return on_scale(written, scales[kind].scale, kind).problem or ""


def _with_tracked(goals: Sequence[Goal],
                  journals: Sequence[tuple[date, NoteFacts, JournalFacts]],
                  found: Problems) -> list[Goal]:
    """Feed each goal's `track` field from the journal notes (front matter or inline)."""
    by_key = _tracking(goals)
    if not by_key:
        return list(goals)
    values: dict[str, list[tuple[date, float]]] = {g.path: [] for g in goals if g.track}
    for day, one, journal in journals:
        _track(day, one.path, journal, by_key, values, found)
    return [replace(g, tracked=tuple(values[g.path])) if g.track else g for g in goals]


def _tracking(goals: Iterable[Goal]) -> dict[str, list[Goal]]:
    """Return the goals that track each key."""
    by_key: dict[str, list[Goal]] = {}
    for goal in goals:
        if goal.track:
            by_key.setdefault(goal.track, []).append(goal)
    return by_key


def _track(day: date, path: str, journal: JournalFacts, by_key: Mapping[str, list[Goal]],
           values: dict[str, list[tuple[date, float]]], found: Problems) -> None:
    """Add one journal note's values of tracked keys to each goal's (by goal path):
    numbers as written, durations in the goal's unit."""
    for key, number in journal.numbers:
        for goal in by_key.get(key, ()):
            values[goal.path].append((day, number))
    for key, minutes, line, text in journal.durations:
        for goal in by_key.get(key, ()):
            value, problem = in_measure_unit(text, minutes, goal.unit, f"“{goal.title}”")
            if problem is not None:
                found.warn(path, line, f"{key}:: {problem}")
            elif value is not None:
                values[goal.path].append((day, value))


def _check_links(habits: Sequence[Habit], goals: Sequence[Goal], found: Problems) -> None:
    for habit in habits:
        if habit.goal and not any(links_to(habit.goal, g) for g in goals):
            found.warn(habit.path, 1, f"goal [[{habit.goal}]] matches no goal note")
