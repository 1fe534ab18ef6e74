"""Write-back never loses a word: regions, edit detection, atomic files, paths, errors."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from conftest import run, snapshot, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmastery.writing import atomic
from mdmastery.writing.notes import write_generated
from mdmastery.writing.paths import safe_name
from mdmastery.writing.regions import (
    ORPHAN_HEADING,
    generated_hash,
    merge_regions,
    regions,
    stamp,
    stored_hash,
)

REVIEW = "Reviews/2026-W47.md"
TEMPLATES = Path(__file__).resolve().parents[2] / "mdmastery" / "writing" / "templates"
ANSWER = (
    "\nI kept my promise 💪 — mostly.\r\n"
    "```python\nprint('<!-- not a marker -->')\n```\n"
    "<!-- my own comment -->\n\t  trailing spaces  \n"
)


def make_vault(root: Path) -> Path:
    write(root, ".mdmastery/config.toml", "")
    write(root, "Habits/Meditate.md", "---\ntype: habit\nschedule: daily\n---\n")
    write(root, "Journal/2026-11-20.md", "---\nmood: 4\n---\n- [x] Meditate\n")
    return root


def review(root: Path, *extra: str) -> tuple[int, str]:
    result = run("review", "--vault", str(root), "--date", "2026-11-20", *extra)
    return result.exit_code, result.output


def answer(root: Path, region: str, text: str) -> None:
    """Type an answer into a region of the written review, as a user would."""
    path = root / REVIEW
    content = path.read_bytes().decode("utf-8")
    begin = f"<!-- mdmastery:begin {region} -->"
    end = f"<!-- mdmastery:end {region} -->"
    start = content.index(begin) + len(begin)
    stop = content.index(end)
    path.write_bytes((content[:start] + text + content[stop:]).encode("utf-8"))


# --- regions ---------------------------------------------------------------------------

def test_region_text_is_kept_verbatim_on_regeneration(vault: Path) -> None:
    make_vault(vault)
    assert review(vault)[0] == 0
    answer(vault, "went-well", ANSWER)
    write(vault, "Journal/2026-11-21.md", "---\nmood: 2\n---\n- [x] Meditate\n")
    code, output = review(vault)
    assert code == 0 and "updated" in output
    text = (vault / REVIEW).read_bytes().decode("utf-8")
    assert regions(text)["went-well"] == ANSWER
    assert "| 2 / 2 |" in text  # the generated part did change


def test_region_dropped_by_a_new_template_is_kept_as_orphan(vault: Path) -> None:
    make_vault(vault)
    review(vault)
    answer(vault, "differently", "\nSleep before midnight.\n")
    answer(vault, "notes", "\nkeep me too\n")
    # The user's own template no longer asks "differently" and has a new region: one
    # partial of the packaged template overridden, the check-in.
    template = TEMPLATES / "review" / "checkin.md.j2"
    custom = template.read_text(encoding="utf-8").replace(
        "## Check-in", "## Check-in\n<!-- mdmastery:begin energy -->\n"
                       "<!-- mdmastery:end energy -->").replace(
        "{% for q in questions %}", "{% for q in questions if q.region != 'differently' %}")
    write(vault, ".mdmastery/templates/review/checkin.md.j2", custom)
    code, output = review(vault, "--force")
    assert code == 0, output
    text = (vault / REVIEW).read_text(encoding="utf-8")
    found = regions(text)
    assert found["differently"] == "\nSleep before midnight.\n"
    assert found["notes"] == "\nkeep me too\n"
    assert "energy" in found
    assert text.index(ORPHAN_HEADING) < text.index("mdmastery:begin differently")
    # Regenerating again keeps the orphan exactly once, and changes nothing.
    mtime = (vault / REVIEW).stat().st_mtime_ns
    assert "unchanged" in review(vault)[1]
    assert (vault / REVIEW).stat().st_mtime_ns == mtime
    assert (vault / REVIEW).read_text(encoding="utf-8").count("begin differently") == 1
    # Deleting the orphaned answers, as the note invites, is not an edit of the review.
    path = vault / REVIEW
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index(ORPHAN_HEADING)], encoding="utf-8")
    code, output = review(vault)
    assert code == 0, output
    assert "Sleep before midnight" not in path.read_text(encoding="utf-8")


def test_empty_orphans_are_not_kept() -> None:
    merged = merge_regions("a\n", "<!-- mdmastery:begin gone -->\n\n<!-- mdmastery:end gone -->\n")
    assert ORPHAN_HEADING not in merged


region_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200).filter(
    lambda t: "<!-- mdmastery:end" not in t)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=region_text, second=region_text)
def test_any_region_text_survives_regeneration(tmp_path: Path, first: str,
                                               second: str) -> None:
    root = tmp_path / "v"
    rendered = ("---\ntype: review\n---\n# R\n<!-- mdmastery:begin a -->\n"
                "<!-- mdmastery:end a -->\nmiddle\n<!-- mdmastery:begin b -->x"
                "<!-- mdmastery:end b -->\n")
    root.mkdir(exist_ok=True)
    target = root / "Reviews" / "r.md"
    if target.exists():
        target.unlink()
    write_generated(root, "Reviews/r.md", rendered)
    content = target.read_bytes().decode("utf-8")
    content = content.replace("<!-- mdmastery:begin a -->\n<!-- mdmastery:end a -->",
                              f"<!-- mdmastery:begin a -->{first}<!-- mdmastery:end a -->")
    content = content.replace("<!-- mdmastery:begin b -->x<!-- mdmastery:end b -->",
                              f"<!-- mdmastery:begin b -->{second}<!-- mdmastery:end b -->")
    target.write_bytes(content.encode("utf-8"))
    result = write_generated(root, "Reviews/r.md", rendered.replace("middle", "changed"))
    assert result.status == "updated"
    found = regions(target.read_bytes().decode("utf-8"))
    assert found["a"] == first
    assert found["b"] == second


# --- edit detection ----------------------------------------------------------------------

def test_edited_generated_part_is_refused_then_forced(vault: Path) -> None:
    make_vault(vault)
    review(vault)
    answer(vault, "notes", "\nmy note\n")
    path = vault / REVIEW
    edited = path.read_text(encoding="utf-8").replace("## Wins", "## Wins (edited by me)")
    path.write_text(edited, encoding="utf-8")
    code, output = review(vault)
    assert code == 1
    assert REVIEW in output and "edited" in output
    assert len(output.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == edited
    code, output = review(vault, "--force")
    assert code == 0, output
    text = path.read_text(encoding="utf-8")
    assert "(edited by me)" not in text
    assert regions(text)["notes"] == "\nmy note\n"


def test_a_foreign_file_at_the_review_path_is_refused(vault: Path) -> None:
    make_vault(vault)
    write(vault, REVIEW, "my own weekly notes\n")
    code, output = review(vault)
    assert code == 1 and "not a review note" in output
    assert (vault / REVIEW).read_text() == "my own weekly notes\n"
    code, output = review(vault, "--force")  # a note that is no review: never, even forced
    assert code == 1 and "even with --force" in output
    assert (vault / REVIEW).read_text() == "my own weekly notes\n"


def test_deleted_review_is_written_again(vault: Path) -> None:
    make_vault(vault)
    review(vault)
    first = (vault / REVIEW).read_bytes()
    (vault / REVIEW).unlink()
    code, output = review(vault)
    assert code == 0 and "created" in output
    assert (vault / REVIEW).read_bytes() == first


def test_identical_content_is_never_rewritten(vault: Path) -> None:
    make_vault(vault)
    review(vault)
    path = vault / REVIEW
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    code, output = review(vault)
    assert code == 0 and "unchanged" in output
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_crlf_review_keeps_its_line_endings_and_is_not_taken_for_an_edit(vault: Path) -> None:
    make_vault(vault)
    review(vault)
    path = vault / REVIEW
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # git autocrlf did this
    answer(vault, "notes", "\r\nwritten on Windows\r\n")
    write(vault, "Journal/2026-11-21.md", "- [x] Meditate\n")
    code, output = review(vault)
    assert code == 0, output
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")
    assert regions(data.decode())["notes"] == "\r\nwritten on Windows\r\n"


def test_hash_ignores_regions_and_itself() -> None:
    text = "---\na: 1\n---\nbody\n<!-- mdmastery:begin x -->old<!-- mdmastery:end x -->\n"
    stamped = stamp(text)
    assert stored_hash(stamped) == generated_hash(text)
    assert generated_hash(stamped.replace("old", "new words")) == generated_hash(stamped)
    assert generated_hash(stamped.replace("body", "bodY")) != generated_hash(stamped)


# --- atomic files ------------------------------------------------------------------------

def test_failed_replace_leaves_old_file_whole_and_no_temp(vault: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    make_vault(vault)
    review(vault)
    before = snapshot(vault)
    write(vault, "Journal/2026-11-21.md", "- [x] Meditate\n")
    before["Journal/2026-11-21.md"] = (vault / "Journal/2026-11-21.md").read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, "replace", crash)
    monkeypatch.setattr(atomic, "_exchange", crash)
    code, output = review(vault)
    assert code == 1
    assert REVIEW in output and "Input/output error" in output
    assert snapshot(vault) == before
    assert not [p for p in (vault / "Reviews").iterdir() if p.name.endswith(".tmp")]


def test_full_disk_is_a_message_and_no_temp(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_vault(vault)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    code, output = review(vault)
    assert code == 1
    assert "No space left on device" in output and REVIEW in output
    assert len(output.strip().splitlines()) == 1
    assert not (vault / REVIEW).exists()
    assert list((vault / "Reviews").iterdir()) == []


def test_file_mode_is_kept(vault: Path) -> None:
    make_vault(vault)
    review(vault)
    path = vault / REVIEW
    path.chmod(0o640)
    write(vault, "Journal/2026-11-21.md", "- [x] Meditate\n")
    assert "updated" in review(vault)[1]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_concurrent_edit_between_read_and_replace_is_not_lost(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_vault(vault)
    review(vault)
    path = vault / REVIEW
    real_chmod = os.chmod

    def editor_saves_meanwhile(target: str, mode: int) -> None:
        path.write_text(path.read_text(encoding="utf-8") + "typed just now\n",
                        encoding="utf-8")
        real_chmod(target, mode)

    write(vault, "Journal/2026-11-21.md", "- [x] Meditate\n")
    monkeypatch.setattr(atomic.os, "chmod", editor_saves_meanwhile)
    code, output = review(vault)
    assert code == 1 and "changed by another program" in output
    assert path.read_text(encoding="utf-8").endswith("typed just now\n")
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_review_that_is_a_folder_is_refused(vault: Path) -> None:
    make_vault(vault)
    (vault / REVIEW).mkdir(parents=True)
    code, output = review(vault)
    assert code == 1 and "folder" in output and REVIEW in output


def test_permission_denied_is_a_message(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_vault(vault)

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    # As root, chmod cannot deny anything; refuse the temp file as a read-only folder would.
    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    code, output = review(vault)
    assert code == 1 and "Permission denied" in output and REVIEW in output
    assert "Traceback" not in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_a_message(vault: Path) -> None:
    make_vault(vault)
    (vault / "Reviews").mkdir()
    (vault / "Reviews").chmod(0o555)
    try:
        code, output = review(vault)
    finally:
        (vault / "Reviews").chmod(0o755)
    assert code == 1 and "Permission denied" in output


# --- symlinks and paths ------------------------------------------------------------------

def test_review_symlink_inside_the_vault_is_written_through(vault: Path) -> None:
    make_vault(vault)
    write(vault, "Archive/w47.md", "")
    (vault / "Archive/w47.md").unlink()
    (vault / "Reviews").mkdir()
    os.symlink("../Archive/w47.md", vault / REVIEW)
    code, output = review(vault)
    assert code == 0, output
    assert (vault / REVIEW).is_symlink()
    assert "type: review" in (vault / "Archive/w47.md").read_text(encoding="utf-8")


def test_review_symlink_out_of_the_vault_is_refused(vault: Path, tmp_path: Path) -> None:
    make_vault(vault)
    outside = tmp_path / "outside.md"
    (vault / "Reviews").mkdir()
    os.symlink(outside, vault / REVIEW)
    code, output = review(vault)
    assert code == 1 and "out of the vault" in output
    assert not outside.exists()


def test_reviews_folder_outside_the_vault_is_refused(vault: Path, tmp_path: Path) -> None:
    make_vault(vault)
    write(vault, ".mdmastery/config.toml", '[folders]\nreviews = "../escaped"\n')
    code, output = review(vault)
    assert code == 1 and "out of the vault" in output
    assert not (tmp_path / "escaped").exists()


def test_symlinked_reviews_folder_leading_out_is_refused(vault: Path, tmp_path: Path) -> None:
    make_vault(vault)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", vault / "Reviews")
    code, output = review(vault)
    assert code == 1 and "out of the vault" in output
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize(("title", "expected"), [
    ("../../etc/passwd", "etc passwd"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a b c d e f g h i j"),
    ("CON", "CON_"),
    ("lpt1.txt", "lpt1.txt_"),
    ("trailing dots...  ", "trailing dots"),
    ("tab\there\x00nul\x1b", "tab here nul"),
    ("[[link]] #tag ^block", "link tag block"),
    ("..", "Untitled"),
    ("", "Untitled"),
    ("Ünïcödé ok", "Ünïcödé ok"),
])
def test_safe_name(title: str, expected: str) -> None:
    assert safe_name(title) == expected


def test_safe_name_limits_length() -> None:
    assert len(safe_name("é" * 400).encode("utf-8")) <= 120


def test_new_note_title_cannot_traverse(vault: Path, tmp_path: Path) -> None:
    result = run("new", "goal", "../../../escape", "--vault", str(vault))
    assert result.exit_code == 0, result.output
    assert (vault / "Goals" / "escape.md").is_file()
    assert not (tmp_path / "escape.md").exists()


# --- dry run -----------------------------------------------------------------------------

def test_dry_run_prints_a_diff_and_writes_nothing(vault: Path) -> None:
    make_vault(vault)
    before = snapshot(vault)
    code, output = review(vault, "--dry-run")
    assert code == 0
    assert output.startswith(f"--- a/{REVIEW}\n+++ b/{REVIEW}\n")
    assert "+type: review" in output
    assert snapshot(vault) == before
    review(vault)
    write(vault, "Journal/2026-11-21.md", "- [x] Meditate\n")
    code, output = review(vault, "--dry-run")
    assert "-| [[Habits/Meditate\\|Meditate]] | daily | 1 / 2 |" in output
    assert "+| [[Habits/Meditate\\|Meditate]] | daily | 2 / 2 |" in output


# --- vault templates ---------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}",
])
def test_sandbox_escape_is_a_clear_error(vault: Path, body: str) -> None:
    make_vault(vault)
    write(vault, ".mdmastery/templates/review.md.j2", f"line one\n{body}\n")
    code, output = review(vault)
    assert code == 1, output
    assert "review.md.j2:2: error:" in output
    assert "Traceback" not in output
    assert not (vault / "Reviews").exists()
    assert not (vault / "pwned").exists() and not Path("pwned").exists()


def test_template_typo_names_template_and_line(vault: Path) -> None:
    make_vault(vault)
    write(vault, ".mdmastery/templates/review.md.j2", "a\nb\n{{ perod.label }}\n")
    code, output = review(vault)
    assert code == 1
    assert "review.md.j2:3: error:" in output and "perod" in output
    assert not (vault / "Reviews").exists()


def test_template_syntax_error_names_template_and_line(vault: Path) -> None:
    make_vault(vault)
    write(vault, ".mdmastery/templates/review.md.j2", "a\n{% if x %}\n")
    code, output = review(vault)
    assert code == 1
    assert "review.md.j2:" in output and "syntax" in output


def test_vault_template_overrides_the_packaged_one(vault: Path) -> None:
    make_vault(vault)
    write(vault, ".mdmastery/templates/review.md.j2",
          "---\ntype: review\n---\nMy own: {{ period.label }} {{ habits | length }}\n")
    assert review(vault)[0] == 0
    assert "My own: 2026-W47 1" in (vault / REVIEW).read_text(encoding="utf-8")


# --- note creation -----------------------------------------------------------------------

def test_init_creates_a_starter_vault_and_twice_is_harmless(tmp_path: Path) -> None:
    root = tmp_path / "new-vault"
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    for name in (".mdmastery/config.toml", ".mdmastery/.gitignore", "Vision.md",
                 "Goals/Run a half marathon.md", "Habits/Meditate.md", "Habits/Run.md",
                 "Journal/2026-11-22.md"):
        assert (root / name).is_file(), name
    assert "cache/" in (root / ".mdmastery/.gitignore").read_text()
    assert "# " in (root / ".mdmastery/config.toml").read_text()
    (root / "Vision.md").write_text("mine\n")
    before = snapshot(root)
    again = run("init", str(root))
    assert again.exit_code == 0
    assert "exists, left as it is" in again.output
    assert snapshot(root) == before
    check = run("check", "--vault", str(root))
    assert check.exit_code == 0, check.output
    assert "0 errors" in check.output


def test_today_lists_the_habits_due_and_leaves_an_existing_note(vault: Path) -> None:
    write(vault, "Habits/Meditate.md", "---\ntype: habit\nschedule: daily\n---\n")
    write(vault, "Habits/Gym.md", "---\ntype: habit\nschedule: [mon, wed]\n---\n")
    write(vault, "Habits/Run.md", "---\ntype: habit\nschedule: 3/week\n---\n")
    write(vault, "Habits/Old.md", "---\ntype: habit\nstatus: paused\n---\n")
    write(vault, "Habits/Deep work.md",
          "---\ntype: habit\nschedule: weekdays\ntarget: 90\nunit: min\n---\n")
    result = run("today", "--vault", str(vault), today="2026-11-18")  # a Wednesday
    assert result.exit_code == 0, result.output
    note = vault / "2026-11-18.md"
    text = note.read_text(encoding="utf-8")
    assert "- [ ] Meditate\n" in text and "- [ ] Gym\n" in text
    assert "- [ ] Run (0 of 3 this week)" in text
    assert "- [ ] Deep work (target 90 min)" in text
    assert "Old" not in text
    for prompt in ("mood:", "energy:", "## Wins", "## Lessons", "## Gratitude"):
        assert prompt in text
    note.write_text(text + "my words\n", encoding="utf-8")
    again = run("today", "--vault", str(vault), today="2026-11-18")
    assert again.exit_code == 0 and "exists" in again.output
    assert note.read_text(encoding="utf-8").endswith("my words\n")
    thursday = run("today", "--vault", str(vault), today="2026-11-19")
    assert "Gym" not in (vault / "2026-11-19.md").read_text(encoding="utf-8")
    assert thursday.exit_code == 0


def test_today_follows_the_daily_note_settings(vault: Path) -> None:
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Daily", "format": "DD.MM.YYYY"}')
    result = run("today", "--vault", str(vault), today="2026-11-18")
    assert result.exit_code == 0, result.output
    assert (vault / "Daily" / "18.11.2026.md").is_file()
    listed = run("review", "--vault", str(vault), "--json")
    assert '"entries": 1' in listed.output


def test_new_goal_and_habit(vault: Path) -> None:
    result = run("new", "goal", "Learn Spanish: B2", "--vault", str(vault), "--area",
                 "growth", "--deadline", "2027-06-30", "--why", "Talk with my in-laws",
                 "--focus")
    assert result.exit_code == 0, result.output
    goal = vault / "Goals" / "Learn Spanish B2.md"
    text = goal.read_text(encoding="utf-8")
    assert 'title: "Learn Spanish: B2"' in text and "deadline: 2027-06-30" in text
    result = run("new", "habit", "Duolingo", "--vault", str(vault), "--schedule", "weekdays",
                 "--goal", "Learn Spanish: B2", "--area", "growth")
    assert result.exit_code == 0, result.output
    data = run("review", "--vault", str(vault), "--json").output
    assert '"title": "Learn Spanish: B2"' in data and '"schedule": "weekdays"' in data
    assert "matches no goal" not in data
    again = run("new", "goal", "Learn Spanish: B2", "--vault", str(vault))
    assert again.exit_code == 1 and "exists" in again.output
    assert goal.read_text(encoding="utf-8") == text
    bad = run("new", "habit", "X", "--vault", str(vault), "--schedule", "fortnightly")
    assert bad.exit_code == 2 and "fortnightly" in bad.output
