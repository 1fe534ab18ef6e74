"""Reading a real vault into the model: kinds, dates, check-offs, goals, journal."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from mdmastery.config import load_config
from mdmastery.load.loader import load_vault
from mdmastery.model.extract import build_model
from mdmastery.model.model import Model
from mdmastery.model.parse import parse_number, parse_schedule
from mdmastery.model.values import Habit, Schedule
from mdmastery.reading import note as note_module
from mdmastery.reading.note import parse_note


def model_of(root: Path) -> Model:
    return load_vault(root).model


def habit(model: Model, name: str) -> Habit:
    return next(h for h in model.habits if h.name == name)


def marks(model: Model, name: str) -> dict[str, str]:
    return {d.isoformat(): m for d, m in habit(model, name).marks.items()}


HABITS = {
    "Habits/Meditate.md": "---\ntype: habit\naliases: [sit, meditation]\n---\n",
    "Habits/Read 20 pages.md": "---\ntype: habit\n---\n",
    "Habits/Read.md": "---\ntype: habit\n---\n",
    "Habits/Deep work.md": "---\ntype: habit\nschedule: weekdays\ntarget: 90\nunit: min\n---\n",
    "Habits/Screen time.md": "---\ntype: habit\ntarget: 60\ndirection: at_most\n---\n",
    "Habits/Floss.md": "---\ntype: habit\nentries: [2026-11-01, 2026-11-03]\n---\n",
}


@pytest.fixture
def habits_vault(vault: Path) -> Path:
    for path, text in HABITS.items():
        write(vault, path, text)
    return vault


def test_task_check_offs_in_every_list_style(habits_vault: Path) -> None:
    write(habits_vault, "Journal/2026-11-02.md", "- [x] Meditate 20 min\n")
    write(habits_vault, "Journal/2026-11-03.md", "* [X] meditate\n")
    write(habits_vault, "Journal/2026-11-04.md", "+ [ ] Meditate\n")
    write(habits_vault, "Journal/2026-11-05.md", "1. [-] Meditate\n")
    write(habits_vault, "Journal/2026-11-06.md", "- [x] sit quietly\n")
    write(habits_vault, "Journal/2026-11-07.md", "- [x] [[Meditate|morning sit]]\n")
    write(habits_vault, "Journal/2026-11-08.md", "- [x] did it: [[Habits/Meditate]]\n")
    write(habits_vault, "Journal/2026-11-09.md", "- [x] Meditated\n")  # no word boundary
    write(habits_vault, "Journal/2026-11-10.md", "> [!todo]\n> - [x] Meditate\n")
    write(habits_vault, "Journal/2026-11-11.md", "```\n- [x] Meditate\n```\n")
    assert marks(model_of(habits_vault), "Meditate") == {
        "2026-11-02": "done", "2026-11-03": "done", "2026-11-04": "missed",
        "2026-11-05": "skipped", "2026-11-06": "done", "2026-11-07": "done",
        "2026-11-08": "done", "2026-11-10": "done"}


def test_longest_name_wins(habits_vault: Path) -> None:
    write(habits_vault, "Journal/2026-11-02.md", "- [x] Read 20 pages of Dune\n")
    model = model_of(habits_vault)
    assert marks(model, "Read 20 pages") == {"2026-11-02": "done"}
    assert marks(model, "Read") == {}


@pytest.mark.parametrize(("line", "expected"), [
    ("meditate:: true", "done"), ("meditate:: yes", "done"), ("meditate:: done", "done"),
    ("meditate:: x", "done"), ("meditate:: 1", "done"), ("meditate:: ✅", "done"),
    ("meditate:: false", "missed"), ("meditate:: no", "missed"), ("meditate:: 0", "missed"),
    ("meditate:: skip", "skipped"), ("Meditate:: TRUE", "done"),
    ("Today [meditate:: true] was calm", "done"), ("Today (meditate:: skip).", "skipped"),
    ("- meditate:: yes", "done"), ("**Meditate**:: yes", "done"),
    ("meditate:: 15", "done"),
])
def test_inline_field_check_offs(habits_vault: Path, line: str, expected: str) -> None:
    write(habits_vault, "Journal/2026-11-02.md", f"# Day\n\n{line}\n")
    assert marks(model_of(habits_vault), "Meditate") == {"2026-11-02": expected}


def test_inline_field_in_code_is_ignored(habits_vault: Path) -> None:
    write(habits_vault, "Journal/2026-11-02.md", "`meditate:: true`\n\n    meditate:: true\n")
    assert marks(model_of(habits_vault), "Meditate") == {}


def test_numeric_targets(habits_vault: Path) -> None:
    write(habits_vault, "Journal/2026-11-02.md", "deep-work:: 95\nscreen-time:: 45 min\n")
    write(habits_vault, "Journal/2026-11-03.md", "deep-work:: 75 min\nscreen-time:: 90\n")
    write(habits_vault, "Journal/2026-11-04.md", "[Deep work:: 90]\n")
    model = model_of(habits_vault)
    assert marks(model, "Deep work") == {"2026-11-02": "done", "2026-11-03": "missed",
                                         "2026-11-04": "done"}
    assert marks(model, "Screen time") == {"2026-11-02": "done", "2026-11-03": "missed"}


def test_front_matter_check_offs(habits_vault: Path) -> None:
    write(habits_vault, "Journal/2026-11-02.md", "---\nhabits: [Meditate, \"[[Read]]\"]\n---\n")
    write(habits_vault, "Journal/2026-11-03.md",
          "---\nhabits:\n  meditate: false\n  Read: yes\n---\n")
    write(habits_vault, "Journal/2026-11-04.md", "---\nmeditate: true\ndeep-work: 120\n---\n")
    model = model_of(habits_vault)
    assert marks(model, "Meditate") == {"2026-11-02": "done", "2026-11-03": "missed",
                                        "2026-11-04": "done"}
    assert marks(model, "Read") == {"2026-11-02": "done", "2026-11-03": "done"}
    assert marks(model, "Deep work") == {"2026-11-04": "done"}


def test_equal_values_of_other_types_or_habits_are_read_apart(habits_vault: Path) -> None:
    """Check-off answers are remembered across notes: True and 1 (equal, but one done
    and one short of a target) and one number for two habits must not share one."""
    write(habits_vault, "Journal/2026-11-02.md", "---\nhabits:\n  Deep work: true\n---\n")
    write(habits_vault, "Journal/2026-11-03.md", "---\nhabits:\n  Deep work: 1\n---\n")
    write(habits_vault, "Journal/2026-11-04.md", "---\nhabits:\n  Deep work: 1.0\n---\n")
    write(habits_vault, "Journal/2026-11-05.md", "deep-work:: 95\nscreen-time:: 95\n")
    write(habits_vault, "Journal/2026-11-06.md", "screen-time:: 95\ndeep-work:: 95\n")
    model = model_of(habits_vault)
    assert marks(model, "Deep work") == {"2026-11-02": "done", "2026-11-03": "missed",
                                         "2026-11-04": "missed", "2026-11-05": "done",
                                         "2026-11-06": "done"}
    assert marks(model, "Screen time") == {"2026-11-05": "missed", "2026-11-06": "missed"}


def test_habit_tracker_entries(habits_vault: Path) -> None:
    assert marks(model_of(habits_vault), "Floss") == {"2026-11-01": "done",
                                                      "2026-11-03": "done"}


def test_done_beats_skip_beats_missed_on_one_day(habits_vault: Path) -> None:
    write(habits_vault, "Journal/2026-11-02.md", "- [ ] Meditate\n- [x] Meditate\n")
    write(habits_vault, "Journal/2026-11-03.md", "- [ ] Meditate\nmeditate:: skip\n")
    assert marks(model_of(habits_vault), "Meditate") == {"2026-11-02": "done",
                                                         "2026-11-03": "skipped"}


def test_check_offs_outside_journal_notes_do_not_count(habits_vault: Path) -> None:
    write(habits_vault, "Notes/Plan.md", "- [x] Meditate\nmeditate:: true\n")
    assert marks(model_of(habits_vault), "Meditate") == {}


@pytest.mark.parametrize(("value", "expected"), [
    (None, Schedule("days")), ("daily", Schedule("days")),
    ("weekdays", Schedule("days", frozenset(range(5)))),
    ("weekends", Schedule("days", frozenset({5, 6}))),
    ("3/week", Schedule("quota", per_week=3)), ("2 per week", Schedule("quota", per_week=2)),
    (["mon", "Wed", "friday"], Schedule("days", frozenset({0, 2, 4}))),
    ("mon, wed, fri", Schedule("days", frozenset({0, 2, 4}))),
    ("every 2 days", Schedule("interval", every=2)), ("every 1 day", Schedule("days")),
    ("fortnightly", None), ("8/week", None), (["mon", "someday"], None),
])
def test_schedules(value: object, expected: Schedule | None) -> None:
    assert parse_schedule(value) == expected


def test_habit_defaults_and_dataview_key(vault: Path) -> None:
    write(vault, "Habits/Make Progress!.md", "---\ntags: [habit]\n---\n")
    model = model_of(vault)
    assert [(h.name, h.key, h.schedule.text, h.status) for h in model.habits] == [
        ("Make Progress!", "make-progress", "daily", "active")]


def test_journal_dates_from_front_matter_name_and_daily_format(vault: Path) -> None:
    write(vault, ".obsidian/daily-notes.json", '{"format": "DD.MM.YYYY", "folder": "Daily"}')
    write(vault, "Daily/03.11.2026.md", "mood:: 3\n")
    write(vault, "2026-11-04.md", "mood:: 4\n")
    write(vault, "Notes/anything.md", "---\ntype: daily\ndate: 2026-11-05\nmood: 5\n---\n")
    write(vault, "Notes/plain.md", "mood:: 1\n")  # an ordinary note: not read as journal
    model = model_of(vault)
    assert [(e.day.isoformat(), e.mood) for e in model.journal] == [
        ("2026-11-03", 3), ("2026-11-04", 4), ("2026-11-05", 5)]


def test_periodic_notes_settings_with_folders_in_the_format(vault: Path) -> None:
    write(vault, ".obsidian/plugins/periodic-notes/data.json",
          '{"daily": {"enabled": true, "format": "YYYY/MM/YYYY-MM-DD dddd", '
          '"folder": "Journal"}}')
    write(vault, "Journal/2026/11/2026-11-04 Wednesday.md", "mood:: 2\n")
    config = load_config(vault)
    assert config.daily_format == "YYYY/MM/YYYY-MM-DD dddd"
    assert config.journal_folder == "Journal"
    assert [e.day for e in model_of(vault).journal] == [date(2026, 11, 4)]


def test_journal_sections_and_merging(vault: Path) -> None:
    write(vault, "2026-11-02.md", (
        "---\nmood: 4\n---\n# Monday\n## Wins 🎉\n- Shipped it\n- [x] Called mum\n- [ ] nope\n"
        "### Small ones\n- Made bread\n## What I learned\n- Sleep matters\n"
        "## Setbacks\n- Missed the bus\n## Grateful for\n- Sunshine\n## Other\n- not a win\n"))
    write(vault, "Archive/second.md", "---\ntype: journal\ndate: 2026-11-02\nenergy: 2\n---\n"
                                      "## Wins\n- Second note win\n")
    model = model_of(vault)
    (entry,) = model.journal
    assert (entry.mood, entry.energy) == (4, 2)
    assert [i.text for i in entry.wins] == ["Shipped it", "Called mum", "Made bread",
                                            "Second note win"]
    assert [i.text for i in entry.lessons] == ["Sleep matters", "Missed the bus"]
    assert [i.text for i in entry.gratitude] == ["Sunshine"]
    assert any("2 journal notes for 2026-11-02" in p.message for p in model.problems)


def test_goal_milestones_dates_and_tracking(vault: Path) -> None:
    write(vault, "Goals/Read.md", (
        "---\ntype: goal\nfocus: yes\nstart: 2026-01-01\ndeadline: 2026-12-31\n---\n"
        "- [x] not a milestone (no heading rule applies below)\n"
        "## Milestones\n"
        "- [x] Book one ✅ 2026-03-01\n"
        "- [x] Book two [completion:: 2026-11-03] [due:: 2026-11-30]\n"
        "- [ ] Book three 📅 2026-12-01 ⏫\n"
        "- [-] Cancelled book\n"
        "## Notes\n- [ ] not a milestone\n"))
    write(vault, "Goals/Run.md", "---\ntype: goal\ntrack: km\naggregate: sum\nbaseline: 10\n"
                                 "target: 110\nstart: 2026-11-02\n---\n")
    write(vault, "Journal/2026-11-01.md", "km:: 50\n")  # before start: not counted
    write(vault, "Journal/2026-11-02.md", "km:: 5.5\n")
    write(vault, "Journal/2026-11-03.md", "---\nkm: 4.5\n---\n")
    model = model_of(vault)
    read = next(g for g in model.goals if g.title == "Read")
    assert read.focus is True
    assert [(m.text, m.done, m.cancelled, m.completed, m.due) for m in read.milestones] == [
        ("Book one", True, False, date(2026, 3, 1), None),
        ("Book two", True, False, date(2026, 11, 3), date(2026, 11, 30)),
        ("Book three", False, False, None, date(2026, 12, 1)),
        ("Cancelled book", False, True, None, None)]
    run = next(g for g in model.goals if g.title == "Run")
    assert run.tracked == ((date(2026, 11, 1), 50.0), (date(2026, 11, 2), 5.5),
                           (date(2026, 11, 3), 4.5))


def test_vision_and_unquoted_links(vault: Path) -> None:
    write(vault, "Vision.md", "---\ntype: values\nvalues: [calm, craft]\n---\n")
    write(vault, "Habits/Run.md", "---\ntype: habit\ngoal: [[Marathon]]\n---\n")
    write(vault, "Goals/Marathon.md", "---\ntype: goal\n---\n")
    model = model_of(vault)
    assert model.vision is not None and model.vision.values == ("calm", "craft")
    assert model.habits[0].goal == "Marathon"
    assert not [p for p in model.problems if "matches no goal" in p.message]


def test_empty_front_matter_mood_falls_back_to_the_inline_field(vault: Path) -> None:
    # The `today` template leaves `mood:` empty in front matter; the user types mood:: 4.
    write(vault, "2026-11-02.md", "---\nmood: \nenergy:\n---\nmood:: 4\nenergy:: 2\n")
    (entry,) = model_of(vault).journal
    assert (entry.mood, entry.energy) == (4, 2)


def test_front_matter_keys_in_any_case_or_spacing(vault: Path) -> None:
    write(vault, "Habits/Stretch.md", "---\nType: habit\nSchedule: weekdays\nName: Stretch\n---\n")
    write(vault, "Goals/Save.md", "---\nTYPE: goal\nDead Line: 2027-01-01\nDeadline: 2027-02-01\n"
                                  "Target: 10\nCurrent: 5\n---\n")
    write(vault, "2026-11-02.md", "---\nMood: 3\nEnergy: 4\n---\n")
    model = model_of(vault)
    assert [(h.name, h.schedule.text) for h in model.habits] == [("Stretch", "weekdays")]
    (goal,) = model.goals
    assert (goal.deadline, goal.target, goal.current) == (date(2027, 2, 1), 10.0, 5.0)
    assert (model.journal[0].mood, model.journal[0].energy) == (3, 4)


def test_milestone_dates_in_round_brackets(vault: Path) -> None:
    write(vault, "Goals/G.md", "---\ntype: goal\n---\n- [x] One (completion:: 2026-11-03)\n"
                               "- [ ] Two (due:: 2026-12-01)\n")
    (goal,) = model_of(vault).goals
    assert [(m.text, m.completed, m.due) for m in goal.milestones] == [
        ("One", date(2026, 11, 3), None), ("Two", None, date(2026, 12, 1))]


def test_unknown_area_and_unknown_check_off_values_are_warned(habits_vault: Path) -> None:
    write(habits_vault, "Goals/G.md", "---\ntype: goal\narea: heath\n---\n")
    write(habits_vault, "Journal/2026-11-02.md",
          "---\nhabits:\n  Meditate: maybe\nread: perhaps\n---\n")
    problems = [str(p) for p in model_of(habits_vault).problems]
    assert any(p.startswith("Goals/G.md:3: warning: area 'heath' is not a configured area")
               for p in problems)
    assert any(p.startswith("Journal/2026-11-02.md:2: warning: habits: Meditate: 'maybe'")
               for p in problems)
    assert any(p.startswith("Journal/2026-11-02.md:4: warning: read: 'perhaps'")
               for p in problems)


def test_only_notes_of_a_kind_have_their_bodies_parsed(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = {
        "Journal/2026-11-20.md": "mood:: 4\n\n## Wins\n\n- [x] Run\n- Shipped\n",
        "Habits/Run.md": "---\ntype: habit\n---\n# Run\n",
        "Goals/Ship.md": "---\ntags: [goal]\n---\n- [x] Draft\n- [ ] Print\n",
        "Ideas/plain.md": "# An idea\n\n- [x] Run\nmood:: 1\n",  # no kind: gives nothing
        "Ideas/broken.md": "---\nmood: [oops\n---\n- [x] Run\n",  # no kind, a problem
    }
    for path, text in notes.items():
        write(vault, path, text)
    parsed: list[str] = []
    real = note_module.parse_body

    def parse_body(body: str, first_line: int = 1) -> Any:
        parsed.append(body)
        return real(body, first_line)

    monkeypatch.setattr(note_module, "parse_body", parse_body)
    model = load_vault(vault, use_cache=False, jobs=1).model
    assert sorted(parsed) == sorted(
        [notes["Journal/2026-11-20.md"], "# Run\n", "- [x] Draft\n- [ ] Print\n"])
    config = load_config(vault)
    whole = build_model([parse_note(path, (vault / path).read_bytes())
                         for path in sorted(notes)], config)  # every body parsed
    assert model == whole
    assert [p.path for p in model.problems] == ["Ideas/broken.md"]


@pytest.mark.parametrize(("value", "number"), [
    (3, 3.0), (-2, -2.0), (2.5, 2.5), (float("inf"), None), (float("nan"), None),
    (True, None), (False, None), (date(2026, 11, 2), None),
    (datetime(2026, 11, 2, 7, 30), None), ([1, 2], None), ({"a": 1}, None), (None, None),
    ("95 min", 95.0), ("1,5", 1.5), ("about 3", None), ("", None)])
def test_parse_number_takes_numbers_and_strings_starting_with_one(value: Any,
                                                                  number: float | None) -> None:
    assert parse_number(value) == number


@pytest.mark.parametrize(("written", "mood", "warned"), [
    ("3", 3, False), ("5", 5, False), ("3.0", 3, False), ("\"4\"", 4, False),
    ("6", None, True), ("0", None, True), ("true", None, True), ("2.5", None, True)])
def test_mood_in_front_matter_is_a_whole_number_on_the_scale(
        vault: Path, written: str, mood: int | None, warned: bool) -> None:
    write(vault, "2026-11-02.md", f"---\nmood: {written}\n---\nA day.\n")
    model = model_of(vault)
    (entry,) = model.journal
    assert entry.mood == mood
    assert any(p.message.startswith("mood ") and p.message.endswith("; ignored")
               for p in model.problems) == warned


@pytest.mark.parametrize(("first", "second", "mood", "warned"), [
    ("4", "99", 4, []),  # the first note gives the mood: the second's is not read
    ("99", "3", 3, ["Journal/a/2026-11-02.md"]),  # the first's fails: the second's is read
    ("", "99", None, ["Journal/b/2026-11-02.md"]),
    ("99", "99", None, ["Journal/a/2026-11-02.md", "Journal/b/2026-11-02.md"])])
def test_a_merged_day_takes_the_first_mood_and_reports_the_moods_it_read(
        vault: Path, first: str, second: str, mood: int | None, warned: list[str]) -> None:
    for folder, value in (("a", first), ("b", second)):
        write(vault, f"Journal/{folder}/2026-11-02.md",
              (f"---\nmood: {value}\n---\n" if value else "") + f"## Wins\n- From {folder}\n")
    model = model_of(vault)
    (entry,) = model.journal
    assert (entry.mood, [item.text for item in entry.wins]) == (mood, ["From a", "From b"])
    assert model.journal.moods() == ([(date(2026, 11, 2), mood)] if mood else [])
    assert [p.path for p in model.problems if p.message.startswith("mood 99 is outside")] == \
        warned
