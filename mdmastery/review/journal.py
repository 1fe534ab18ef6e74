"""The review's journal: wins, lessons, gratitude, mood and energy against the period
before, and the mood on the days each habit was done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..analytics.journal import compare, mood_by_habit
from ..dates.moment import format_date
from ..dates.periods import previous
from ..model.values import Item
from .figures import Figures
from .looks import note_link, wikilink


def _items(found: Sequence[Item], namesakes: Mapping[str, tuple[str, ...]]
           ) -> list[dict[str, str]]:
    return [{"text": i.text, "day": i.day.isoformat(), "link": note_link(i.path, namesakes)}
            for i in found]


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    model, config = figures.model, figures.config
    before = previous(figures.period, config.week_start, config.formats)
    before_entries = model.journal.between(before.start, before.end)
    scales = {kind: model.scales[kind].scale for kind in ("mood", "energy")}
    mood = compare(shown["data"]["journal"]["mood_avg"], before_entries, "mood",
                   scales["mood"].high - scales["mood"].low)
    energy = compare(shown["data"]["journal"]["energy_avg"], before_entries, "energy",
                     scales["energy"].high - scales["energy"].low)
    series = [{"day": e.day.isoformat(), "weekday": format_date("ddd", e.day),
               "mood": e.mood, "energy": e.energy,
               "link": note_link(e.path, model.namesakes)}
              for e in figures.entries if e.mood is not None or e.energy is not None]
    correlations = []
    for habit, _ in figures.habits:
        found = mood_by_habit(habit, model.journal, figures.as_of, figures.today)
        if found is not None:
            correlations.append({"habit": habit.name, "link": wikilink(habit.path, habit.name),
                                 **found._asdict()})
    return {
        "wins": _items(figures.wins, model.namesakes),
        "lessons": _items(figures.lessons, model.namesakes),
        "gratitude": _items(figures.gratitude, model.namesakes),
        "mood": {"avg": mood.now, "before": mood.before, "before_days": mood.before_days,
                 "trend": mood.trend, "series": series, "top": scales["mood"].high},
        "energy": {"avg": energy.now, "before": energy.before,
                   "before_days": energy.before_days, "trend": energy.trend,
                   "top": scales["energy"].high},
        "correlations": correlations,
    }
