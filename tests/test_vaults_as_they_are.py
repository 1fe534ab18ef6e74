"""Issue 20: read the vaults people already have, through the command line.

Each vault under tests/vaults/ is modelled on the files the real plugins write (Obsidian's
Daily Notes, Periodic Notes 0.x and 1.x, Habit Tracker 21, Tasks); docs/vault-format.md
("Vaults as they are") says what mdmastery reads from each.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run, write
from vault_copies import by_path, copy_vault, hashes, problem_lines, review_data

# --- Obsidian's settings at first run ----------------------------------------------


@pytest.mark.parametrize(("name", "journal_note"), [
    ("obsidian-daily", "Daily/22.12.2026.md"),          # core Daily Notes
    ("periodic-notes", "Journal/Daily/2026-12-22.md"),  # Periodic Notes 0.x
    ("periodic-notes-1x", "Days/22-12-2026.md"),        # Periodic Notes 1.x
])
def test_init_in_an_obsidian_vault_adopts_its_daily_notes_and_adds_no_samples(
        tmp_path: Path, name: str, journal_note: str) -> None:
    vault = copy_vault(name, tmp_path)
    before = hashes(vault)
    result = run("init", str(vault), today="2026-12-22")
    assert result.exit_code == 0, result.output
    after = hashes(vault)
    # Not a word of the user's files changed.
    assert {path: after.get(path) for path in before} == before
    # Only mdmastery's own files, and the journal note where Obsidian would put it.
    own = {".mdmastery/config.toml", ".mdmastery/.gitignore", journal_note}
    assert set(after) - set(before) <= own
    assert ".mdmastery/config.toml" in after
    # The next step is named.
    assert re.search(r"mdmastery (today|review|new)", result.output)
    # Today's note goes where Obsidian's own daily notes go.
    today = run("today", "--vault", str(vault), today="2026-12-22")
    assert today.exit_code == 0, today.output
    assert set(hashes(vault)) - set(before) == own


def test_init_leaves_the_template_obsidian_names_unread(tmp_path: Path) -> None:
    """A daily template's `{{date}}` is no YAML: read as a note, it was an error of
    `check` on the vault init had just set up."""
    vault = copy_vault("obsidian-daily", tmp_path)
    write(vault, ".obsidian/daily-notes.json",
          '{"folder": "Daily", "format": "DD.MM.YYYY", "template": "Meta/Templates/Daily"}')
    write(vault, "Meta/Templates/Daily.md", "---\ndate: {{date}}\n---\n## Habits\n- [ ] \n")
    assert run("init", str(vault), today="2026-12-22").exit_code == 0
    assert 'ignore = ["Meta/Templates/**"]' in (vault / ".mdmastery/config.toml").read_text()
    check = run("check", "--vault", str(vault), today="2026-12-22")
    assert check.exit_code == 0 and "Meta/Templates" not in check.output, check.output


def test_init_with_the_sample_flag_adds_samples_to_a_folder_with_notes(
        tmp_path: Path) -> None:
    vault = copy_vault("obsidian-daily", tmp_path)
    before = hashes(vault)
    result = run("init", "--sample", str(vault), today="2026-12-22")
    assert result.exit_code == 0, result.output
    after = hashes(vault)
    assert {path: after.get(path) for path in before} == before
    assert any(path.startswith("Goals/") for path in set(after) - set(before))
    assert not (vault / "Journal").exists()


def test_init_in_a_plain_folder_of_notes_finds_its_journal_folder(tmp_path: Path) -> None:
    """No Obsidian settings: the journal folder is the one holding most dated notes."""
    write(tmp_path, "Diary/2026-12-20.md", "mood:: 3\n")
    write(tmp_path, "Diary/2026-12-21.md", "mood:: 4\n")
    write(tmp_path, "2026-12-19.md", "mood:: 4\n")
    write(tmp_path, "Ideas.md", "# Ideas\n")
    before = hashes(tmp_path)
    result = run("init", str(tmp_path), today="2026-12-22")
    assert result.exit_code == 0, result.output
    assert 'journal = "Diary"' in (tmp_path / ".mdmastery/config.toml").read_text()
    assert set(hashes(tmp_path)) - set(before) == {
        ".mdmastery/config.toml", ".mdmastery/.gitignore", "Diary/2026-12-22.md"}


def test_init_names_reviews_apart_from_periodic_notes(tmp_path: Path) -> None:
    vault = copy_vault("periodic-notes", tmp_path)
    assert run("init", str(vault), today="2023-06-07").exit_code == 0
    result = run("review", "--vault", str(vault), "--date", "2023-06-07", today="2023-06-07")
    assert result.stdout.strip() == "Reviews/2023-W23 Review.md: created"
    check = run("check", "--vault", str(vault), today="2023-06-07")
    assert check.exit_code == 0 and ": warning:" not in check.output, check.output


def test_init_in_an_empty_folder_still_makes_a_starter_vault(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "new"), today="2026-12-22")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new/.mdmastery/config.toml").is_file()
    assert any((tmp_path / "new/Goals").glob("*.md"))


def test_notes_in_obsidians_daily_format_are_journal_notes(tmp_path: Path) -> None:
    vault = copy_vault("obsidian-daily", tmp_path)
    data = review_data(vault, "--date", "2026-12-18")
    assert data["journal"]["entries"] == 2
    assert data["journal"]["mood_avg"] == 3.5


# --- outside a vault ------------------------------------------------------------------


@pytest.mark.parametrize("command", [["review"], ["status"], ["check"], ["today"],
                                     ["watch", "--once"]])
def test_no_vault_found_and_none_named_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  command: list[str]) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    write(home, "Documents/letter.md", "Dear Sam,\n")
    before = hashes(home)
    monkeypatch.chdir(home)
    result = run(*command, today="2026-12-22")
    assert result.exit_code == 1, result.output
    assert "init" in result.output and "--vault" in result.output
    assert hashes(home) == before
    assert not (home / ".mdmastery").exists()


def test_a_named_folder_is_a_vault_even_without_markers(tmp_path: Path) -> None:
    write(tmp_path, "2026-12-22.md", "mood:: 4\n")
    data = review_data(tmp_path)
    assert data["journal"]["entries"] == 1


# --- Periodic Notes ---------------------------------------------------------------------


def test_periodic_notes_1x_daily_notes_are_journal_notes(tmp_path: Path) -> None:
    vault = copy_vault("periodic-notes-1x", tmp_path)
    before = hashes(vault)
    data = review_data(vault, "--date", "2023-06-06", today="2023-06-06")
    assert data["journal"]["entries"] == 2
    assert data["journal"]["mood_avg"] == 3.0
    meditate = data["habits"][0]
    assert meditate["days"] == {"2023-06-05": "done", "2023-06-06": "missed"}
    assert hashes(vault) == before


def test_periodic_notes_0x_daily_notes_are_journal_notes(tmp_path: Path) -> None:
    vault = copy_vault("periodic-notes", tmp_path)
    data = review_data(vault, "--date", "2023-06-07", today="2023-06-07")
    assert data["journal"]["entries"] == 3


@pytest.mark.parametrize("period", ["week", "month"])
def test_review_names_do_not_collide_with_periodic_notes_unsaid(tmp_path: Path,
                                                                period: str) -> None:
    """Reviews/2023-W23.md beside Journal/Weekly/2023-W23.md makes [[2023-W23]]
    ambiguous in Obsidian: either the review gets a name no periodic note has, or
    `check` says so, naming both notes."""
    vault = copy_vault("periodic-notes", tmp_path)
    result = run("review", "--vault", str(vault), "--period", period, "--date",
                 "2023-06-07", today="2023-06-07")
    assert result.exit_code == 0, result.output
    written = result.stdout.split(":")[0].strip()
    stem = Path(written).stem
    others = [p.relative_to(vault).as_posix() for p in vault.rglob(f"{stem}.md")
              if p.relative_to(vault).as_posix() != written]
    if others:
        check = run("check", "--vault", str(vault), today="2023-06-07")
        warnings = [line for line in check.output.splitlines() if ": warning:" in line]
        # ... and names the setting of that kind of review.
        assert any(written in line and others[0] in line and f"[formats] {period} = " in line
                   for line in warnings), check.output


# --- Habit Tracker 21 -------------------------------------------------------------------


def test_habit_tracker_21_habits_are_read_from_its_folder(tmp_path: Path) -> None:
    vault = copy_vault("habit-tracker-21", tmp_path)
    before = hashes(vault)
    data = review_data(vault)
    habits = by_path(data["habits"])
    # The notes of the block's folder, not of its subfolders (as the plugin shows them).
    assert set(habits) == {"Habits Tracker/Meditation.md", "Habits Tracker/Water Intake.md"}
    assert habits["Habits Tracker/Meditation.md"]["done"] == 2  # Mon 21 and Tue 22
    assert habits["Habits Tracker/Meditation.md"]["days"] == {
        "2026-12-21": "done", "2026-12-22": "done"}
    assert habits["Habits Tracker/Water Intake.md"]["done"] == 2
    assert run("check", "--vault", str(vault), today="2026-12-22").exit_code == 0
    assert hashes(vault) == before  # no `type: habit` added, nothing written


def test_habit_tracker_21_default_path_names_the_habit_folder(tmp_path: Path) -> None:
    vault = copy_vault("habit-tracker-21", tmp_path)
    (vault / "Dashboard.md").write_text("# Dashboard\n\n```habittracker\n{}\n```\n")
    write(vault, ".obsidian/plugins/habit-tracker-21/data.json",
          '{"path": "Habits Tracker", "daysToShow": 21}')
    data = review_data(vault)
    assert set(by_path(data["habits"])) == {"Habits Tracker/Meditation.md",
                                           "Habits Tracker/Water Intake.md"}


def test_a_configured_habits_folder_reads_notes_without_a_type(tmp_path: Path) -> None:
    vault = copy_vault("habit-tracker-21", tmp_path)
    (vault / "Dashboard.md").unlink()
    write(vault, ".mdmastery/config.toml", '[folders]\nhabits = "Habits Tracker"\n')
    data = review_data(vault)
    assert "Habits Tracker/Meditation.md" in by_path(data["habits"])


def test_bad_habit_tracker_entries_are_warned_at_their_own_line(tmp_path: Path) -> None:
    vault = copy_vault("habit-tracker-21", tmp_path)
    data = review_data(vault)
    lines = [line for line in problem_lines(data) if "Water Intake.md" in line]
    assert [line.split(": ")[0] for line in lines] == [
        "Habits Tracker/Water Intake.md:5", "Habits Tracker/Water Intake.md:6"]
    assert all(": warning:" in line for line in lines)
    assert "None" not in lines[0]  # a null entry is shown as YAML writes it


def test_entry_warnings_of_a_habit_note_are_at_the_items_line(tmp_path: Path) -> None:
    write(tmp_path, "Habits/Floss.md", "---\ntype: habit\nentries:\n  - 2026-12-21\n"
          "  - not-a-date\n  - ~\n---\n")
    data = review_data(tmp_path)
    assert [(p["line"], "None" in p["message"]) for p in data["problems"]] == [
        (5, False), (6, False)]


# --- tags and emoji before a habit's name -----------------------------------------------


def test_tagged_and_emoji_check_offs_match_their_habit(tmp_path: Path) -> None:
    vault = copy_vault("tags-and-emoji", tmp_path)
    data = review_data(vault)
    habits = {h["name"]: h for h in data["habits"]}
    both = {"2026-12-21": "done", "2026-12-22": "done"}
    assert habits["Meditate"]["days"] == both  # `#habit Meditate`, `#task Meditate`
    assert habits["Run"]["days"] == both       # `🏃 Run`, `#task 🏃‍♀️ Run 5 km`


def test_milestones_show_text_without_the_tasks_global_filter(tmp_path: Path) -> None:
    vault = copy_vault("tags-and-emoji", tmp_path)
    data = review_data(vault)
    assert data["goals"][0]["milestones_done_in_period"] == ["Register for the race"]
    result = run("review", "--vault", str(vault), today="2026-12-22")
    assert result.exit_code == 0, result.output
    text = (vault / "Reviews/2026-W52.md").read_text()
    assert "Register for the race" in text and "#task" not in text


# --- mood and energy on other scales ----------------------------------------------------


def test_a_one_to_ten_mood_scale_is_detected(tmp_path: Path) -> None:
    vault = copy_vault("mood-1-10", tmp_path)
    data = review_data(vault, "--date", "2026-12-20")
    assert data["journal"]["mood_avg"] == 6.6  # (7 + 8 + 6 + 9 + 3) / 5, all of them
    assert not [p for p in data["problems"] if "mood" in p["message"]]
    check = run("check", "--vault", str(vault), today="2026-12-22")
    assert check.exit_code == 0, check.output
    assert any("mood" in line and "1-10" in line for line in check.output.splitlines())


def test_energy_words_and_emoji_are_read(tmp_path: Path) -> None:
    """tired 2, good 4, 🔋 5, energetic 4, 😴 1 on the default 1-5 scale: 3.2."""
    vault = copy_vault("mood-1-10", tmp_path)
    data = review_data(vault, "--date", "2026-12-20")
    assert data["journal"]["energy_avg"] == 3.2
    assert not [p for p in data["problems"] if "energy" in p["message"]]


def test_the_review_shows_averages_on_the_users_scale(tmp_path: Path) -> None:
    vault = copy_vault("mood-1-10", tmp_path)
    result = run("review", "--vault", str(vault), "--date", "2026-12-20", today="2026-12-22")
    assert result.exit_code == 0, result.output
    text = (vault / "Reviews/2026-W51.md").read_text()
    assert "mood 6.6/10" in text
    assert "energy 3.2/5" in text


def test_a_configured_scale(tmp_path: Path) -> None:
    write(tmp_path, ".mdmastery/config.toml", '[scales]\nmood = "1-10"\nenergy = "0-9"\n')
    write(tmp_path, "Journal/2026-12-21.md", "---\nmood: 10\nenergy: 0\n---\n")
    write(tmp_path, "Journal/2026-12-22.md", "---\nmood: good\nenergy: 10\n---\n")
    data = review_data(tmp_path)
    assert data["journal"]["mood_avg"] == 9.0   # 10, and good = 8 on 1-10
    assert data["journal"]["energy_avg"] == 0.0  # 10 is off the 0-9 scale
    assert [(p["path"], p["line"], p["level"]) for p in data["problems"]] == [
        ("Journal/2026-12-22.md", 3, "warning")]


# --- durations --------------------------------------------------------------------------


def test_durations_as_habit_targets_and_values(tmp_path: Path) -> None:
    vault = copy_vault("durations", tmp_path)
    data = review_data(vault, "--date", "2026-12-16", today="2026-12-16")
    days = {h["name"]: h["days"] for h in data["habits"]}
    # target 1h 30m: 1h 45m done, 45 min and 1hour 15 minutes short of it.
    assert days["Deep work"] == {"2026-12-14": "done", "2026-12-15": "missed",
                                 "2026-12-16": "missed"}
    # target 20 (min): 1hour 15 minutes, 15 min, 20m.
    assert days["Meditate"] == {"2026-12-14": "done", "2026-12-15": "missed",
                                "2026-12-16": "done"}
    # target 7.5 (h): 7h 45m, 7h, 8 hours.
    assert days["Sleep"] == {"2026-12-14": "done", "2026-12-15": "missed",
                             "2026-12-16": "done"}
    assert data["problems"] == []


def test_durations_as_tracked_goal_values(tmp_path: Path) -> None:
    """practice:: 240 and practice:: 1h 15m sum to 315 minutes of 600: 0.525."""
    vault = copy_vault("durations", tmp_path)
    data = review_data(vault, "--date", "2026-12-16", today="2026-12-16")
    assert data["goals"][0]["progress"] == 0.525


def test_a_duration_a_unit_cannot_take_and_a_clock_time_are_warnings(tmp_path: Path) -> None:
    """Read the same way in habits and goals: a duration against a unit that is no time
    unit, and an h:mm value where a duration is meant, are warnings at their line."""
    vault = copy_vault("durations", tmp_path)
    write(vault, "Habits/Run.md", "---\ntype: habit\ntarget: 5\nunit: km\n"
          "started: 2026-12-14\n---\n")
    write(vault, "Journal/2026-12-16.md", "deep-work:: 1hour 15 minutes\nmeditate:: 20m\n"
          "sleep:: 7:30\nrun:: 45 min\npractice:: 1:15\n")
    data = review_data(vault, "--date", "2026-12-16", today="2026-12-16")
    assert problem_lines(data) == [
        "Journal/2026-12-16.md:3: warning: sleep:: 7:30 is a clock time, not a duration; "
        "write 7h 30m",
        "Journal/2026-12-16.md:4: warning: run:: 45 min is a duration, but “Run”'s unit is "
        "km; ignored",
        "Journal/2026-12-16.md:5: warning: practice:: 1:15 is a clock time, not a "
        "duration; write 1h 15m"]
    days = {h["name"]: h["days"] for h in data["habits"]}
    assert days["Sleep"]["2026-12-16"] == "empty" and days["Run"]["2026-12-16"] == "empty"
    assert data["goals"][0]["progress"] == 0.525  # 240 + 75 of 600: the 1:15 not counted
