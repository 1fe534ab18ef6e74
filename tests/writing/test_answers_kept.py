"""Never lose a word (issue 17): answers in reviews survive colliding goal names, odd
titles, markers in the user's own text, orphaned answers, a save during the replace,
--force after a broken marker, a review path that is a note, and hostile templates.

Real vaults, real files, the real command; the race runs a real second process.
"""

from __future__ import annotations

import json
import mmap
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmastery.errors import WriteError
from mdmastery.writing.notes import write_generated
from mdmastery.writing.regions import ORPHAN_HEADING, parse, regions

REVIEW = "Reviews/2026-W47.md"
DAY = "2026-11-20"


def review(root: Path, *extra: str) -> tuple[int, str]:
    result = run("review", "--vault", str(root), "--date", DAY, *extra)
    return result.exit_code, result.output


def text_of(root: Path, relative: str = REVIEW) -> str:
    return (root / relative).read_bytes().decode("utf-8")


def goal_note(title: str, focus: bool = True, status: str = "active") -> str:
    return (f"---\ntype: goal\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
            f"status: {status}\nfocus: {'true' if focus else 'false'}\n---\n")


def base_vault(root: Path) -> Path:
    write(root, ".mdmastery/config.toml", "")
    write(root, "Habits/Meditate.md", "---\ntype: habit\nschedule: daily\n---\n")
    write(root, "Journal/2026-11-19.md", "---\nmood: 4\n---\n- [x] Meditate\n")
    return root


def question_regions(text: str) -> dict[str, str]:
    """Map each check-in question's text to the name of the region under it."""
    found = {}
    # (between the two, the line that invites an answer in reading view)
    for match in re.finditer(r"^### (.+)\n(?:\*.*\*\n)?<!-- mdmastery:begin (\S+) -->$",
                             text, re.M):
        found[match.group(1)] = match.group(2)
    return found


def type_answer(root: Path, region: str, answer: str, relative: str = REVIEW) -> None:
    """Type an answer into a region of the written review, as a user would."""
    path = root / relative
    content = path.read_bytes().decode("utf-8")
    found = next(r for r in parse(content).regions if r.name == region)
    path.write_bytes((content[:found.start] + answer + content[found.end:]).encode("utf-8"))


def touch_journal(root: Path, mood: int = 2) -> None:
    """Change a journal note, so the review's generated part changes."""
    write(root, "Journal/2026-11-20.md", f"---\nmood: {mood}\n---\n- [x] Meditate\n")


# --- 1. region names that collided -----------------------------------------------------

LONG = "Learn to play the whole of the Goldberg Variations by heart, slowly"
PAIRS = {
    "punctuation": (("Half Marathon", "Half Marathon"), ("Half-marathon", "Half-marathon")),
    "case twins": (("Run fast", "Run fast"), ("run fast", "run fast")),
    "first 60 alike": ((LONG + " A", "Goldberg A"), (LONG + " B", "Goldberg B")),
    "emoji only": (("🏃", "Running"), ("🚴", "Cycling")),
}


@pytest.mark.parametrize("kind", PAIRS)
def test_goals_whose_titles_made_one_region_name_keep_both_answers(vault: Path,
                                                                   kind: str) -> None:
    base_vault(vault)
    for title, stem in PAIRS[kind]:
        write(vault, f"Goals/{stem}.md", goal_note(title))
    assert review(vault)[0] == 0
    asked = question_regions(text_of(vault))
    goal_regions = [name for question, name in asked.items() if "still my goal" in question]
    assert len(goal_regions) == 2 and len(set(goal_regions)) == 2, asked
    answers = {name: f"\nMy answer for {name} ✍️\n" for name in asked.values()}
    for name, answer in answers.items():
        type_answer(vault, name, answer)
    touch_journal(vault)
    code, output = review(vault)
    assert code == 0, output
    found = regions(text_of(vault))
    for name, answer in answers.items():
        assert found[name] == answer
    assert ORPHAN_HEADING not in text_of(vault)


def test_a_goal_renamed_keeps_its_answer(vault: Path) -> None:
    base_vault(vault)
    write(vault, "Goals/Marathon.md", goal_note("Marathon"))
    review(vault)
    name = question_regions(text_of(vault))["Is “Marathon” still my goal, or did I borrow it? "
                                            "What is the next concrete step?"]
    type_answer(vault, name, "\nTrain on Sundays.\n")
    write(vault, "Goals/Marathon.md", goal_note("Berlin Marathon"))
    code, output = review(vault)
    assert code == 0, output
    assert regions(text_of(vault))[name] == "\nTrain on Sundays.\n"
    assert "Berlin Marathon" in text_of(vault)


def test_an_answer_under_a_name_an_earlier_version_gave_follows_its_goal(vault: Path) -> None:
    """Reviews written before 0.2 named goal regions `goal-<slug of the title>`."""
    base_vault(vault)
    write(vault, "Goals/Half marathon.md", goal_note("Half marathon"))
    write(vault, "Goals/Read.md", goal_note("Read 12 books"))
    write(vault, "Goals/Twin a.md", goal_note("Twin"))
    write(vault, "Goals/Twin b.md", goal_note("twin"))
    review(vault)
    text = text_of(vault)
    asked = question_regions(text)
    # As the earlier version wrote it: the old names (two goals shared one), no answers.
    old_names = {}
    for question, name in asked.items():
        kind = name.split("-", 1)[0]
        if kind not in ("goal", "why", "unstick"):
            continue
        title = re.search(r"“(.+?)”", question)
        assert title is not None
        old_names[name] = f"{kind}-{re.sub(r'[^a-z0-9]+', '-', title.group(1).lower())}"
        text = text.replace(f"mdmastery:begin {name} -->", f"mdmastery:begin {old_names[name]} -->")
        text = text.replace(f"mdmastery:end {name} -->", f"mdmastery:end {old_names[name]} -->")
    from mdmastery.writing.regions import stamp

    body = re.sub(r"^mdmastery: \S+\n", "", text, count=1, flags=re.M)
    (vault / REVIEW).write_text(stamp(body), encoding="utf-8")
    type_answer(vault, "goal-half-marathon", "\nSign up for Lisbon.\n")
    type_answer(vault, "why-read-12-books", "\nBecause stories.\n")
    type_answer(vault, "goal-twin", "\nThe first twin's answer.\n")
    # (the second "goal-twin" region: the user answered it too)
    content = text_of(vault)
    second = content.index("<!-- mdmastery:begin goal-twin -->",
                           content.index("The first twin's answer."))
    at = second + len("<!-- mdmastery:begin goal-twin -->")
    (vault / REVIEW).write_text(content[:at] + "\nThe second twin's answer.\n"
                                + content[content.index("<!-- mdmastery:end goal-twin -->", at):],
                                encoding="utf-8")
    touch_journal(vault)
    code, output = review(vault)
    assert code == 0, output
    found = regions(text_of(vault))
    new = {old: new for new, old in old_names.items()}
    assert found[new["goal-half-marathon"]] == "\nSign up for Lisbon.\n"
    assert found[new["why-read-12-books"]] == "\nBecause stories.\n"
    # The twins' old name is ambiguous: both answers are kept, verbatim, as orphans.
    tail = text_of(vault)[text_of(vault).index(ORPHAN_HEADING):]
    assert "\nThe first twin's answer.\n" in tail and "\nThe second twin's answer.\n" in tail


# --- 2. "İ" ----------------------------------------------------------------------------

def test_a_dotted_capital_i_title_keeps_its_answer_and_needs_no_force(vault: Path) -> None:
    base_vault(vault)
    write(vault, "Goals/İzmir Marathon.md", goal_note("İzmir Marathon"))
    assert review(vault)[0] == 0
    asked = question_regions(text_of(vault))
    name = next(n for q, n in asked.items() if "İzmir" in q and "still my goal" in q)
    assert re.fullmatch(r"goal-izmir-marathon-[0-9a-f]{8}", name)
    type_answer(vault, name, "\nRun along the Kordon.\n")
    touch_journal(vault)
    code, output = review(vault)
    assert code == 0, output
    assert regions(text_of(vault))[name] == "\nRun along the Kordon.\n"
    touch_journal(vault, 3)
    code, output = review(vault, "--force")
    assert code == 0, output
    assert regions(text_of(vault))[name] == "\nRun along the Kordon.\n"


# --- 3. markers inside the user's own text ---------------------------------------------

def test_a_win_holding_markers_cannot_replace_the_notes_answer(vault: Path) -> None:
    base_vault(vault)
    write(vault, "Journal/2026-11-19.md",
          "---\nmood: 4\n---\n- [x] Meditate\n\n## Wins\n"
          "- Finished <!-- mdmastery:begin notes -->x<!-- mdmastery:end notes -->\n")
    assert review(vault)[0] == 0
    type_answer(vault, "notes", "\nMy real notes.\n", )
    touch_journal(vault)
    code, output = review(vault)
    assert code == 0, output
    text = text_of(vault)
    assert regions(text)["notes"] == "\nMy real notes.\n"
    assert text.count("My real notes.") == 1
    # The win is shown (a word joiner breaks up the marker; Obsidian shows it as before).
    assert "- Finished <!--\u2060 mdmastery:begin notes -->x<!--\u2060 mdmastery:end notes -->" \
        " ([[2026-11-19]])" in text


@pytest.mark.parametrize("win", ["<!-- mdmastery:begin notes -->",
                                 "<!-- mdmastery:end went-well -->"])
def test_a_lone_marker_in_a_win_freezes_nothing(vault: Path, win: str) -> None:
    base_vault(vault)
    write(vault, "Journal/2026-11-19.md",
          f"---\nmood: 4\n---\n- [x] Meditate\n\n## Wins\n- Lone {win}\n")
    assert review(vault)[0] == 0
    type_answer(vault, "went-well", "\nA good week.\n")
    type_answer(vault, "notes", "\nnotes\n")
    write(vault, "Journal/2026-11-20.md", "---\nmood: 2\n---\n- [x] Meditate\n\n## Wins\n"
          "- Cooked for friends\n\n## Lessons\n- Sleep first\n\n## Gratitude\n- Rain\n")
    code, output = review(vault)
    assert code == 0, output
    text = text_of(vault)
    for new in ("Cooked for friends", "Sleep first", "Rain", "mood 3.0/5"):
        assert new in text
    found = regions(text)
    assert found["went-well"] == "\nA good week.\n" and found["notes"] == "\nnotes\n"


def test_a_multi_line_value_cannot_form_a_marker_or_the_orphans_heading(vault: Path) -> None:
    base_vault(vault)
    write(vault, "Goals/Odd.md", "---\ntype: goal\ntitle: Odd\nfocus: true\nwhy: |\n"
          "  first\n  <!-- mdmastery:begin notes -->\n  ## Orphaned answers\n---\n")
    write(vault, ".mdmastery/templates/review.md.j2",
          (ROOT / "mdmastery/writing/templates/review.md.j2").read_text(encoding="utf-8")
          + "{% for g in goals %}\n{{ g.why }}\n{% endfor %}\n")
    assert review(vault)[0] == 0
    type_answer(vault, "notes", "\nkept\n")
    touch_journal(vault)
    code, output = review(vault)
    assert code == 0, output
    text = text_of(vault)
    assert parse(text).tail == len(text)  # no orphaned answers section was made up
    assert regions(text)["notes"] == "\nkept\n"


# --- 4. orphaned answers ---------------------------------------------------------------

def orphaned_vault(root: Path) -> tuple[Path, str]:
    """A review whose answer to a goal's question became an orphan (the goal is done)."""
    base_vault(root)
    write(root, "Goals/Piano.md", goal_note("Piano"))
    write(root, "Goals/Spanish.md", goal_note("Spanish"))
    review(root)
    name = next(n for q, n in question_regions(text_of(root)).items()
                if "Piano" in q and "still my goal" in q)
    type_answer(root, name, "\nPractise scales daily.\n")
    write(root, "Goals/Piano.md", goal_note("Piano", status="done"))
    code, output = review(root)
    assert code == 0, output
    tail = text_of(root)[text_of(root).index(ORPHAN_HEADING):]
    assert "\nPractise scales daily.\n" in tail
    return root, name


def test_words_typed_under_orphaned_answers_are_kept(vault: Path) -> None:
    orphaned_vault(vault)
    path = vault / REVIEW
    path.write_text(path.read_text(encoding="utf-8") + "\nMy thoughts on this, outside "
                    "any marker.\n", encoding="utf-8")
    for mood in (1, 5, 3):
        touch_journal(vault, mood)
        code, output = review(vault)
        assert code == 0, output
    text = path.read_text(encoding="utf-8")
    assert "My thoughts on this, outside any marker." in text
    assert "\nPractise scales daily.\n" in text


def test_an_orphaned_answer_whose_markers_were_removed_is_kept(vault: Path) -> None:
    _, name = orphaned_vault(vault)
    path = vault / REVIEW
    text = path.read_text(encoding="utf-8")
    text = text.replace(f"<!-- mdmastery:begin {name} -->", "").replace(
        f"<!-- mdmastery:end {name} -->", "")
    path.write_text(text, encoding="utf-8")
    touch_journal(vault, 5)
    code, output = review(vault)
    assert code == 0, output
    assert "\nPractise scales daily.\n" in path.read_text(encoding="utf-8")
    code, output = review(vault, "--force")
    assert code == 0, output
    assert "\nPractise scales daily.\n" in path.read_text(encoding="utf-8")


def test_an_emptied_orphan_and_then_the_section_go(vault: Path) -> None:
    orphaned_vault(vault)
    path = vault / REVIEW
    path.write_text(path.read_text(encoding="utf-8").replace("\nPractise scales daily.\n",
                                                             "\n"), encoding="utf-8")
    touch_journal(vault, 5)
    code, output = review(vault)
    assert code == 0, output
    assert ORPHAN_HEADING not in text_of(vault)


def test_words_typed_outside_the_regions_are_refused_not_deleted(vault: Path) -> None:
    base_vault(vault)
    review(vault)
    path = vault / REVIEW
    edited = path.read_text(encoding="utf-8").replace(
        "## Notes\n", "## Notes\nAn answer whose markers I removed.\n")
    path.write_text(edited, encoding="utf-8")
    touch_journal(vault)
    code, output = review(vault)
    assert code == 1 and "edited outside its answer regions" in output
    assert path.read_text(encoding="utf-8") == edited


# --- also: --force after a broken end marker; a review path that is a note ----------

def test_force_after_a_missing_end_marker_keeps_every_word(vault: Path) -> None:
    base_vault(vault)
    review(vault)
    type_answer(vault, "went-well", "\nFirst line.\nSecond line, the end marker below "
                                    "deleted by accident.\n")
    path = vault / REVIEW
    edited = path.read_text(encoding="utf-8").replace("<!-- mdmastery:end went-well -->\n", "")
    path.write_text(edited, encoding="utf-8")
    touch_journal(vault)
    code, output = review(vault)
    assert code == 1
    line = edited[:edited.index("<!-- mdmastery:begin went-well")].count("\n") + 1
    assert f"{REVIEW}:{line}: refused: the answer region 'went-well' has no end marker" \
        in output
    assert path.read_text(encoding="utf-8") == edited
    code, output = review(vault, "--force")
    assert code == 0, output
    answer = regions(path.read_text(encoding="utf-8"))["went-well"]
    assert "First line.\nSecond line, the end marker below deleted by accident.\n" in answer
    # and the next run is content: nothing refused, the answer stays
    touch_journal(vault, 4)
    assert review(vault) == (0, f"{REVIEW}: updated\n")
    assert regions(path.read_text(encoding="utf-8"))["went-well"] == answer


FENCED = ("\nHow the markers look:\n```html\n<!-- mdmastery:end notes -->\n```\n"
          "And more words after the code.\n")


def test_an_end_marker_in_a_code_block_of_the_answer_does_not_end_it(vault: Path) -> None:
    base_vault(vault)
    review(vault)
    type_answer(vault, "notes", FENCED)
    touch_journal(vault)
    code, output = review(vault)
    assert code == 0, output
    assert regions(text_of(vault))["notes"] == FENCED
    code, output = review(vault, "--force")
    assert code == 0, output
    assert regions(text_of(vault))["notes"] == FENCED


def test_force_after_the_only_end_marker_is_in_a_code_block_keeps_every_word(
        vault: Path) -> None:
    base_vault(vault)
    review(vault)
    type_answer(vault, "went-well", FENCED.replace("notes", "went-well"))
    path = vault / REVIEW
    text = path.read_text(encoding="utf-8")
    real = text.rindex("<!-- mdmastery:end went-well -->\n")
    path.write_text(text[:real] + text[real + len("<!-- mdmastery:end went-well -->\n"):],
                    encoding="utf-8")
    touch_journal(vault)
    code, output = review(vault)
    assert code == 1 and "is inside a code block" in output
    code, output = review(vault, "--force")
    assert code == 0, output
    assert FENCED.replace("notes", "went-well") in regions(path.read_text(encoding="utf-8"))[
        "went-well"]


def test_a_review_path_that_is_a_note_is_never_overwritten_even_forced(vault: Path) -> None:
    base_vault(vault)
    write(vault, ".mdmastery/config.toml", '[folders]\nreviews = ""\n[formats]\n'
                                           'week = "[Vision]"\n')
    vision = "---\ntype: vision\nvalues: [health]\n---\n# My vision\n\nLive by the sea.\n"
    write(vault, "Vision.md", vision)
    for extra in ((), ("--force",)):
        code, output = review(vault, *extra)
        assert code == 1 and "Vision.md: refused: not a review note" in output
        assert (vault / "Vision.md").read_text(encoding="utf-8") == vision
    # A review the user took the hash line out of is still a review: --force may write it.
    write(vault, ".mdmastery/config.toml", "")
    review(vault)
    path = vault / REVIEW
    path.write_text(re.sub(r"^mdmastery: \S+\n", "", path.read_text(encoding="utf-8"),
                           flags=re.M), encoding="utf-8")
    assert review(vault)[0] == 1
    assert review(vault, "--force")[0] == 0


# --- 6. templates only from inside the vault -------------------------------------------

@pytest.mark.parametrize("how", ["file", "folder"])
def test_a_template_symlinked_out_of_the_vault_is_refused(tmp_path: Path, vault: Path,
                                                          how: str) -> None:
    base_vault(vault)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "footer.j2").write_text("-----BEGIN OPENSSH PRIVATE KEY----- secret\n")
    custom = (ROOT / "mdmastery/writing/templates/review.md.j2").read_text(encoding="utf-8") + \
        "{% include 'footer.j2' %}"
    if how == "file":
        write(vault, ".mdmastery/templates/review.md.j2", custom)
        (vault / ".mdmastery/templates/footer.j2").symlink_to(outside / "footer.j2")
    else:
        (outside / "review.md.j2").write_text(custom)
        (vault / ".mdmastery/templates").symlink_to(outside)
    code, output = review(vault)
    assert code == 1
    assert "refused: the template leads out of the vault" in output
    assert not (vault / REVIEW).exists()
    assert not any("OPENSSH" in p.read_text(errors="replace")
                   for p in vault.rglob("*.md") if p.is_file())


def test_a_template_symlinked_inside_the_vault_is_used(vault: Path) -> None:
    base_vault(vault)
    write(vault, "Templates/footer.j2", "Written with care.\n")
    write(vault, ".mdmastery/templates/review.md.j2",
          (ROOT / "mdmastery/writing/templates/review.md.j2").read_text(encoding="utf-8")
          + "{% include 'footer.j2' %}")
    (vault / ".mdmastery/templates/footer.j2").symlink_to(vault / "Templates/footer.j2")
    code, output = review(vault)
    assert code == 0, output
    assert text_of(vault).endswith("Written with care.\n")


# --- 5. a save during the replace ------------------------------------------------------

SAVER = r"""
import mmap, os, sys, time
path, flag_path = sys.argv[1], sys.argv[2]
with open(flag_path, "r+b") as handle:
    flag = mmap.mmap(handle.fileno(), 1)
for line in sys.stdin:
    delay, how, answer = line.split(" ", 2)
    answer = answer.rstrip("\n").encode()
    content = open(path, "rb").read()  # the editor's buffer, loaded before
    begin = b"<!-- mdmastery:begin a -->"
    at = content.index(begin) + len(begin)
    saved = content[:at] + b"\n" + answer + content[at:]
    temp = path + ".saving"
    if how == "rename":
        with open(temp, "wb") as handle:
            handle.write(saved)
    print("ready", flush=True)
    while flag[0] == 0:  # spin: no wake-up delay
        pass
    until = time.perf_counter() + float(delay)
    while time.perf_counter() < until:
        pass
    if how == "rename":
        os.replace(temp, path)
    else:  # as Obsidian (Node's writeFile) saves: open truncating, write
        with open(path, "wb") as handle:
            handle.write(saved)
    flag[0] = 0
    print("saved", flush=True)
"""


def rendered(number: int, filler: str) -> str:
    return (f"---\ntype: review\n---\n# Review {number}\n\n<!-- mdmastery:begin a -->\n"
            f"<!-- mdmastery:end a -->\n\n<!-- mdmastery:begin big -->\n{filler}"
            f"<!-- mdmastery:end big -->\n")


@pytest.mark.parametrize("size", ["normal", "1 MB"])
def test_a_save_during_the_replace_is_never_lost(vault: Path, size: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process saves the review (in place as Obsidian does, or by a rename as
    most other editors do) at a random moment of the last steps of mdmastery's write:
    after the temp file is synced, while mdmastery checks and puts it in place."""
    filler = "a line of the user's long answer\n" * (32_000 if size == "1 MB" else 1)
    relative = "Reviews/r.md"
    write_generated(vault, relative, rendered(0, ""))
    path = vault / relative
    path.write_bytes(path.read_bytes().replace(
        b"<!-- mdmastery:begin big -->\n", b"<!-- mdmastery:begin big -->\n" +
        filler.encode()))
    flag_path = vault / ".flag"
    flag_path.write_bytes(b"\0")
    synced: list[float] = []
    flags: list[mmap.mmap] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # tells the saver when the temp file is synced
        real_fsync(fd)
        if not synced and not os.path.isdir(f"/proc/self/fd/{fd}"):
            synced.append(time.perf_counter())
            for flag in flags:
                flag[0] = 1

    monkeypatch.setattr(os, "fsync", fsync)
    tails = []
    for number in range(1, 6):
        synced.clear()
        write_generated(vault, relative, rendered(number, ""))
        tails.append(time.perf_counter() - synced[0])
    window = sorted(tails)[2]  # from the sync of the temp file to the end of the write
    saver = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(flag_path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert saver.stdin is not None and saver.stdout is not None
    with flag_path.open("r+b") as handle:
        flags.append(mmap.mmap(handle.fileno(), 1))
    chance = random.Random(17)
    lost = []
    try:
        for number in range(6, 106):
            answer = f"saved during race {number}"
            # (most near the start: the check and the swap come right after the sync)
            delay = window * 1.5 * chance.random() ** 3
            how = "inplace" if number % 2 else "rename"
            saver.stdin.write(f"{delay:.6f} {how} {answer}\n")
            assert saver.stdout.readline() == "ready\n"
            synced.clear()
            outcome = "written"
            try:
                write_generated(vault, relative, rendered(number, ""))
            except WriteError as error:
                outcome = str(error)  # it saw the save land: refused, the save is kept
            assert saver.stdout.readline() == "saved\n"
            final = path.read_bytes().decode("utf-8")
            if answer not in final:
                lost.append((number, how, f"{delay * 1000:.2f} ms", final[:80], outcome,
                             sorted(p.name for p in path.parent.iterdir())))
            assert filler in final
            assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    finally:
        saver.stdin.close()
        saver.wait(10)
    assert not lost, (f"saves lost: {len(lost)} of 100 (window ~{window * 1000:.2f} ms): "
                      f"{lost}")


def test_two_saves_during_one_replace_are_both_kept(vault: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A save lands before the swap, and another before it is undone: the newest stays in
    place, the other is kept beside it as a conflict copy (which `check` reports)."""
    from mdmastery.writing import atomic

    relative = "Reviews/r.md"
    write_generated(vault, relative, rendered(0, ""))
    path = vault / relative
    original = path.read_text(encoding="utf-8")
    saves = [original.replace("# Review 0", "# Review 0, first save"),
             original.replace("# Review 0", "# Review 0, second save")]
    real_exchange = atomic._exchange
    calls = []

    def exchange(first: str | Path, second: str | Path) -> bool:
        if len(calls) < 2:  # an editor saves (temp file, rename) just before
            temp = path.with_name("editor.tmp")
            temp.write_text(saves[len(calls)], encoding="utf-8")
            os.replace(temp, path)
        calls.append(first)
        return real_exchange(first, second)

    monkeypatch.setattr(atomic, "_exchange", exchange)
    with pytest.raises(WriteError, match="changed by another program"):
        write_generated(vault, relative, rendered(1, ""))
    assert path.read_text(encoding="utf-8") == saves[1]
    copy = path.with_name("r (mdmastery conflicted copy).md")
    assert copy.read_text(encoding="utf-8") == saves[0]
    assert sorted(p.name for p in path.parent.iterdir()) == [copy.name, "r.md"]
    result = run("check", "--vault", str(vault))
    assert "a sync conflict copy" in result.output


# --- the property: any titles, any answers ---------------------------------------------

MARKERISH = ["<!-- mdmastery:begin notes -->", "<!-- mdmastery:end notes -->",
             "## Orphaned answers", "```", "\r\n", "İ", "ß", "🏃", "\u0301", "\n"]
title_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
            max_size=30),
    st.sampled_from(["İzmir Marathon", "izmir marathon", "Run fast", "run fast", "🏃", "🏃🏃",
                     "🚴", "Half Marathon", "Half-marathon", LONG + " A", LONG + " B",
                     "<!-- mdmastery:end notes -->", "## Orphaned answers"]),
).filter(lambda t: t.strip() and t.strip() == t)
answer_text = st.lists(st.one_of(st.sampled_from(MARKERISH),
                                 st.text(st.characters(blacklist_categories=("Cs",)),
                                         max_size=20)),
                       min_size=1, max_size=6).map("".join).map(lambda t: f"\n{t}\n").filter(
    # (a marker line typed into an answer is an edit of the markers: see the tests above)
    lambda t: not re.search(r"^<!-- mdmastery:begin |<!-- mdmastery:end \S+ -->[ \t]*\r?$",
                            t, re.M))


def goal_file(title: str, taken: set[str]) -> str:
    from mdmastery.writing.paths import safe_name

    stem = safe_name(title)
    while stem in taken:
        stem += " 2"
    taken.add(stem)
    return f"Goals/{stem}.md"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(goals=st.lists(title_text, min_size=1, max_size=4),
       habits=st.lists(title_text, max_size=3), data=st.data())
def test_every_answer_survives_regeneration_force_and_a_rename(
        tmp_path_factory: pytest.TempPathFactory, goals: list[str], habits: list[str],
        data: st.DataObject) -> None:
    root = base_vault(tmp_path_factory.mktemp("vault"))
    taken: set[str] = set()
    files = [goal_file(title, taken) for title in goals]
    for title, relative in zip(goals, files, strict=True):
        write(root, relative, goal_note(title))
    for number, name in enumerate(habits):
        quoted = json.dumps(name, ensure_ascii=False)
        write(root, f"Habits/h{number}.md", f"---\ntype: habit\nname: {quoted}\n"
                                            "schedule: daily\n---\n")
    code, output = review(root)
    assert code == 0, output
    names = list(parse(text_of(root)).regions)
    assert len({r.name for r in names}) == len(names)  # every region has its own name
    answers = {r.name: data.draw(answer_text, label=r.name) for r in names}
    for name, answer in answers.items():
        type_answer(root, name, answer)

    def every_answer_kept() -> None:
        text = text_of(root)
        found = regions(text)
        tail = text[parse(text).tail:]
        for name, answer in answers.items():
            if answer.strip():  # (a blank answer is no word to keep)
                assert found.get(name) == answer or answer in tail, (name, answer)

    touch_journal(root, 1)
    code, output = review(root)
    assert code == 0, output
    every_answer_kept()
    touch_journal(root, 2)
    code, output = review(root, "--force")
    assert code == 0, output
    every_answer_kept()
    # A rename: a new title in the note, and a note moved to another name.
    renamed = data.draw(st.integers(0, len(goals) - 1), label="renamed")
    write(root, files[renamed], goal_note(goals[renamed] + " (renamed)"))
    moved = data.draw(st.integers(0, len(goals) - 1), label="moved")
    os.rename(root / files[moved], root / f"Goals/moved {moved}.md")
    touch_journal(root, 3)
    code, output = review(root)
    assert code == 0, output
    every_answer_kept()
    code, output = review(root, "--force")
    assert code == 0, output
    every_answer_kept()
