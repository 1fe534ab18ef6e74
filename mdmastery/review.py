"""The model + a period -> the review data (SPEC section 7) and what the template shows."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import analytics
from .config import Config
from .model import Goal, Habit, Item, Journal, JournalEntry, Model
from .periods import Period, previous
from .render import render

if TYPE_CHECKING:  # (the writer, and its imports, only when a review is written)
    from .writer import WriteResult

STATE_SYMBOLS = {"done": "✅", "missed": "❌", "skipped": "➖", "empty": "·"}
NOT_DUE = "▫"
PERIOD_WORDS = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}


class Review(NamedTuple):
    """A period's review: the JSON data and the richer context the template renders."""

    period: Period
    data: dict[str, Any]
    context: dict[str, Any]


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _link(path: str, label: str | None = None) -> str:
    """Return an Obsidian wikilink to a vault path, labelled when the label differs."""
    target = path[:-3] if path.lower().endswith(".md") else path
    stem = target.rsplit("/", 1)[-1]
    label = label if label is not None else stem
    return f"[[{target}]]" if label == target else f"[[{target}|{label}]]"


def _habit_row(habit: Habit, stats: analytics.HabitStats) -> dict[str, Any]:
    return {
        "name": habit.name, "path": habit.path, "key": habit.key, "status": habit.status,
        "schedule": habit.schedule.text, "due": stats.due, "done": stats.done,
        "skipped": stats.skipped, "rate": stats.rate,
        "current_streak": stats.current_streak, "longest_streak": stats.longest_streak,
        "strength": stats.strength,
        "days": {day.isoformat(): state for day, state in sorted(stats.days.items())},
    }


def _goal_row(goal: Goal, stats: analytics.GoalStats) -> dict[str, Any]:
    return {
        "title": goal.title, "path": goal.path, "status": goal.status, "area": goal.area,
        "focus": goal.focus,
        "deadline": goal.deadline.isoformat() if goal.deadline else None,
        "progress": stats.progress, "progress_at_start": stats.progress_at_start,
        "expected": stats.expected, "at_risk": stats.at_risk, "overdue": stats.overdue,
        "stale": stats.stale,
        "milestones_done_in_period": [m.text for m in stats.milestones_done_in_period],
    }


def _mean_of(entries: Sequence[JournalEntry], attribute: str) -> float | None:
    values = [getattr(e, attribute) for e in entries if getattr(e, attribute) is not None]
    return _round(analytics.mean(values))


def _trend(now: float | None, before: float | None) -> str | None:
    if now is None or before is None:
        return None
    if now - before >= 0.25:
        return "up"
    if before - now >= 0.25:
        return "down"
    return "steady"


_MOOD_BY_HABIT = analytics.IdentityCache()


def _mood_by_habit(habit: Habit, journal: Journal, as_of: date,
                   today: date) -> dict[str, Any] | None:
    """Mean mood on done vs not-done due days, over all history up to as_of (SPEC 3.5)."""
    # The same for every period as of the same day: a rebuild's reviews share it.
    found = _MOOD_BY_HABIT.get((habit, journal), (as_of, today),
                               lambda: _mood_by_habit_now(habit, journal, as_of, today))
    return dict(found) if found is not None else None


def _mood_by_habit_now(habit: Habit, journal: Journal, as_of: date,
                       today: date) -> dict[str, Any] | None:
    start = analytics.effective_start(habit)
    if start is None or habit.status != "active":
        return None
    done: list[int] = []
    not_done: list[int] = []
    # Quota habits may be done any day; the others only count on their due days.
    due = None if habit.schedule.kind == "quota" else \
        set(analytics.scheduled_days(habit, start, as_of))
    for day, mood in journal.moods():  # (every day's mood: no year of entries is read)
        if start <= day <= as_of and (due is None or day in due):
            state = analytics.day_state(habit, day)
            if state == "done":
                done.append(mood)
            elif state != "skipped" and day != today:  # (today is not over yet)
                not_done.append(mood)
    if len(done) < 5 or len(not_done) < 5:
        return None
    return {"habit": habit.name, "link": _link(habit.path, habit.name),
            "done_mood": _round(analytics.mean(done), 2),
            "not_done_mood": _round(analytics.mean(not_done), 2),
            "done_days": len(done), "not_done_days": len(not_done)}


def _items(entries: Sequence[JournalEntry], attribute: str) -> list[Item]:
    return [item for entry in entries for item in getattr(entry, attribute)]


def _bar(progress: float | None, width: int = 10) -> str:
    if progress is None:
        return ""
    filled = round(progress * width)
    return "█" * filled + "░" * (width - filled)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def build_review(model: Model, config: Config, period: Period, today: date,
                 for_template: bool = True) -> Review:
    """Compute a period's review as of min(period end, today).

    for_template=False skips what only the rendered note shows (links, trends, the
    mood insight over all history): `--json` and `status` need the data alone.
    """
    as_of = period.as_of(today)
    habit_stats = [(h, analytics.habit_stats(h, period, as_of, today, config.week_start))
                   for h in model.habits]
    goal_stats = [(g, analytics.goal_stats(g, model.habits, period, as_of))
                  for g in model.goals]
    entries = model.journal.between(period.start, as_of)
    wins, lessons, gratitude = (_items(entries, a) for a in ("wins", "lessons", "gratitude"))

    areas: dict[str, dict[str, int]] = {a: {"goals": 0, "habits": 0} for a in config.areas}
    for goal in model.goals:
        if goal.area and goal.status == "active":
            areas.setdefault(goal.area, {"goals": 0, "habits": 0})["goals"] += 1
    for habit in model.habits:
        if habit.area and habit.status == "active":
            areas.setdefault(habit.area, {"goals": 0, "habits": 0})["habits"] += 1

    data: dict[str, Any] = {
        "period": period.as_dict(today),
        "habits": [_habit_row(h, s) for h, s in habit_stats],
        "goals": [_goal_row(g, s) for g, s in goal_stats],
        "journal": {
            "entries": len(entries),
            "mood_avg": _mean_of(entries, "mood"),
            "energy_avg": _mean_of(entries, "energy"),
            "wins": [i.text for i in wins],
            "lessons": [i.text for i in lessons],
            "gratitude": [i.text for i in gratitude],
        },
        "areas": {name: areas[name] for name in sorted(areas)},
        "problems": [p.as_dict() for p in model.problems],
    }
    if not for_template:
        return Review(period, data, {})
    context = _context(model, config, period, today, as_of, habit_stats, goal_stats,
                       entries, (wins, lessons, gratitude), data)
    return Review(period, data, context)


def _context(model: Model, config: Config, period: Period, today: date, as_of: date,
             habit_stats: Sequence[tuple[Habit, analytics.HabitStats]],
             goal_stats: Sequence[tuple[Goal, analytics.GoalStats]],
             entries: Sequence[JournalEntry], items: tuple[list[Item], ...],
             data: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows beyond the JSON data: links, bars, trends, questions."""
    before = previous(period, config.week_start, config.formats)
    before_entries = model.journal.between(before.start, before.end)
    mood_avg = data["journal"]["mood_avg"]
    energy_avg = data["journal"]["energy_avg"]
    word = PERIOD_WORDS[period.kind]
    habits = []
    for habit, stats in habit_stats:
        heatmap = ""
        if period.kind in ("week", "month"):  # a day a character is too wide beyond that
            heatmap = "".join(STATE_SYMBOLS[stats.days[day]] if day in stats.days else NOT_DUE
                              for day in period.days(as_of))
        habits.append({"name": habit.name, "link": _link(habit.path, habit.name),
                       "schedule": habit.schedule.text, "status": habit.status,
                       "due": stats.due, "done": stats.done, "rate": _pct(stats.rate),
                       "current_streak": stats.current_streak,
                       "longest_streak": stats.longest_streak,
                       "strength": f"{stats.strength:.2f}", "heatmap": heatmap,
                       "unit": habit.unit, "target": habit.target,
                       "active": habit.status == "active"})
    goals = []
    for goal, goal_stat in goal_stats:
        moved = None
        if goal_stat.progress is not None and goal_stat.progress_at_start is not None:
            moved = round((goal_stat.progress - goal_stat.progress_at_start) * 100)
        upcoming = sorted((m for m in goal.milestones
                           if not m.done and not m.cancelled and m.due is not None),
                          key=lambda m: (m.due or as_of, m.line))[:3]
        linked = [h.name for h in model.habits if h.goal and analytics.links_to(h.goal, goal)]
        current = goal_stat.current
        goals.append({
            "title": goal.title, "path": goal.path, "link": _link(goal.path, goal.title),
            "status": goal.status,
            "area": goal.area, "focus": goal.focus, "why": goal.why,
            "deadline": goal.deadline.isoformat() if goal.deadline else None,
            "progress": _pct(goal_stat.progress), "bar": _bar(goal_stat.progress),
            "expected": _pct(goal_stat.expected), "moved": moved,
            "at_risk": goal_stat.at_risk, "overdue": goal_stat.overdue, "stale": goal_stat.stale,
            "current": None if current is None else f"{current:g}",
            "target": None if goal.target is None else f"{goal.target:g}",
            "unit": goal.unit or "",
            "milestones_done": [m.text for m in goal_stat.milestones_done_in_period],
            "upcoming": [{"text": m.text, "due": m.due.isoformat() if m.due else ""}
                         for m in upcoming],
            "habits": linked, "active": goal.status == "active",
        })
    active_goals = [g for g in goals if g["active"]]
    focus_goals = [g for g in active_goals if g["focus"]] or active_goals

    def journal_items(found: list[Item]) -> list[dict[str, str]]:
        return [{"text": i.text, "day": i.day.isoformat(),
                 "link": _link(i.path, i.day.isoformat())} for i in found]

    mood_before = _mean_of(before_entries, "mood")
    energy_before = _mean_of(before_entries, "energy")
    series = [{"day": e.day.isoformat(), "weekday": e.day.strftime("%a"),
               "mood": e.mood, "energy": e.energy, "link": _link(e.path, e.day.isoformat())}
              for e in entries if e.mood is not None or e.energy is not None]
    correlations = [c for h, _ in habit_stats
                    if (c := _mood_by_habit(h, model.journal, as_of, today)) is not None]
    empty_areas = [a for a, counts in data["areas"].items()
                   if counts["goals"] == 0 and counts["habits"] == 0]
    questions = _questions(word, focus_goals, goals)
    days_in = (as_of - period.start).days + 1
    return {
        "data": data,
        "period": data["period"], "word": word,
        "title": _title(period),
        "previous_label": before.label,
        "complete": as_of >= period.end,
        "days_covered": max(days_in, 0),
        "habits": habits, "goals": goals, "focus_goals": focus_goals,
        "wins": journal_items(items[0]), "lessons": journal_items(items[1]),
        "gratitude": journal_items(items[2]),
        "entries": len(entries),
        "mood": {"avg": mood_avg, "before": mood_before, "trend": _trend(mood_avg, mood_before),
                 "series": series},
        "energy": {"avg": energy_avg, "before": energy_before,
                   "trend": _trend(energy_avg, energy_before)},
        "correlations": correlations,
        "areas": data["areas"], "empty_areas": empty_areas,
        "vision": None if model.vision is None else {
            "link": _link(model.vision.path, model.vision.title),
            "values": list(model.vision.values)},
        "questions": questions,
        "problem_count": len(data["problems"]),
        "next_start": (period.end + timedelta(days=1)).isoformat(),
    }


def _title(period: Period) -> str:
    if period.kind == "week":
        return f"Week {period.label}: {period.start:%b} {period.start.day} – " \
               f"{period.end:%b} {period.end.day}, {period.end.year}"
    if period.kind == "month":
        return f"{period.start:%B %Y}"
    if period.kind == "quarter":
        return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"
    return f"{period.start.year}"


def slug(text: str, limit: int = 40) -> str:
    """Return a region-name fragment for a text: ASCII letters and digits in lower case,
    each other run of characters a `-` ("İzmir" -> "izmir"; "" for emoji alone)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in plain.casefold())
    return "-".join(part for part in out.split("-") if part)[:limit].strip("-")


def _legacy_slug(text: str) -> str:
    """The slug of region names before 0.2 (an answer under such a name follows)."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)[:60] or "goal"


def region_name(kind: str, path: str) -> str:
    """Return the name of a goal's question region: the kind, the note's file name as a
    slug, and 8 hex digits of its path, so two goals never share one (case twins, titles
    alike in their first characters, emoji-only names) and a new title keeps it."""
    import hashlib  # (only for a rendered review: `--json` needs no OpenSSL)

    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    key = hashlib.sha256(os.fsencode(path)).hexdigest()[:8]
    fragment = slug(stem)
    return f"{kind}-{fragment}-{key}" if fragment else f"{kind}-{key}"


def _questions(word: str, focus_goals: Sequence[dict[str, Any]],
               goals: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Return the check-in questions, each with the name of its user-owned region (and,
    for a goal's, the name versions before 0.2 gave it: `legacy`)."""
    questions = [
        {"region": "went-well", "text": f"What went well this {word}, and why?"},
        {"region": "differently", "text": f"What will I do differently next {word}?"},
    ]

    def ask(kind: str, goal: dict[str, Any], text: str) -> None:
        name = region_name(kind, goal["path"])
        taken = {q["region"] for q in questions}
        unique = name
        number = 1
        while unique in taken:  # (8 hex digits of two paths alike: never seen, but safe)
            number += 1
            unique = f"{name}-{number}"
        questions.append({"region": unique, "text": text,
                          "legacy": f"{kind}-{_legacy_slug(goal['title'])}"})

    for goal in focus_goals:
        ask("goal", goal, f"Is “{goal['title']}” still my goal, or did I borrow it? "
                          "What is the next concrete step?")
    for goal in goals:
        if not goal["active"]:
            continue
        if not goal["why"]:
            ask("why", goal, f"Why does “{goal['title']}” matter to me? "
                             "(It has no `why:` yet.)")
        if goal["at_risk"] or goal["overdue"] or goal["stale"]:
            state = ("is overdue" if goal["overdue"] else
                     "is behind schedule" if goal["at_risk"] else "has not moved in 21 days")
            ask("unstick", goal, f"“{goal['title']}” {state}: recommit, change the plan, "
                                 "or let it go?")
    return questions


def region_aliases(review: Review) -> dict[str, str]:
    """Map each question region of a review to the name versions before 0.2 gave it."""
    return {q["region"]: q["legacy"] for q in review.context.get("questions", ())
            if "legacy" in q}


def review_path(config: Config, period: Period) -> str:
    """Return the vault-relative path of a period's review note."""
    folder = config.reviews_folder.strip("/")
    return f"{folder}/{period.label}.md" if folder else f"{period.label}.md"


def render_review(root: Path, review: Review) -> str:
    """Render a review through the vault's (or the packaged) review template."""
    return render(root, "review.md.j2", review.context)


def write_review(root: Path, model: Model, config: Config, period: Period, today: date,
                 force: bool = False, dry_run: bool = False) -> WriteResult:
    """Compute, render and write one period's review note."""
    from .writer import write_generated

    review = build_review(model, config, period, today)
    return write_generated(root, review_path(config, period), render_review(root, review),
                           force=force, dry_run=dry_run, aliases=region_aliases(review))
