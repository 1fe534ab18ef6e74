"""update_model (a few journal notes changed) gives exactly what assemble gives, or says
it cannot (None) when the mood or energy scale detected changed.

The model a watch or a warm run keeps is updated day by day when only journal notes (or
notes of no kind) change; a property test compares it with the model assembled from
every note, over random edits: notes added, changed, moved to another day, emptied,
turned into plain notes and removed, with problems, merged days, goal tracking and a
habit's own entries on the days touched.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmastery.config import Config, load_config
from mdmastery.model.assemble import assemble, update_model
from mdmastery.model.extract import extract_facts as note_facts
from mdmastery.model.facts import NoteFacts
from mdmastery.reading.note import parse_note

CONFIG: Config = load_config(Path("/nonexistent"))
FIXED = {
    "Habits/Meditate.md": "---\ntype: habit\naliases: [sit]\n---\n",
    "Habits/Run.md": "---\ntype: habit\ntarget: 5\nunit: km\nentries: [2026-11-02]\n---\n",
    "Habits/Floss.md": "---\ntype: habit\nentries: [2026-11-01, 2026-11-03]\n---\n",
    "Goals/Marathon.md": "---\ntype: goal\ntarget: 100\ntrack: km\n---\n",
    "Vision.md": "---\ntype: vision\nvalues: [health]\n---\n",
}
PATHS = ["Journal/2026-11-01.md", "Journal/2026-11-02.md", "Journal/2026-11-03.md",
         "Journal/2025-12-31.md", "Journal/extra a.md", "Journal/extra b.md",
         "Notes/plain.md"]
LINES = ["- [x] Meditate\n", "- [ ] Floss\n", "- [-] Run\n", "run:: 7 km\n", "run:: maybe\n",
         "km:: 12\n", "mood:: 4\n", "mood:: 9\n", "energy:: 2\n", "## Wins\n- Shipped it\n",
         "## Lessons\n- Sleep early\n", "- [x] [[Run]]\n", "- [x] sit for 10 min\n"]
FRONT = ["", "---\nmood: 3\n---\n", "---\ndate: 2026-11-02\n---\n",
         "---\ndate: 2026-11-03\nhabits: [Meditate, Nope]\n---\n",
         "---\nrun: 3\nkm: 4\n---\n", "---\ntype: journal\n---\n", "---\nmood: [oops\n---\n",
         "---\ndate: 2027-01-01\n---\n"]  # (days in three years: the journal is kept by year)

note_text = st.builds(lambda front, lines: front + "".join(lines),
                      st.sampled_from(FRONT), st.lists(st.sampled_from(LINES), max_size=5))
vault_state = st.dictionaries(st.sampled_from(PATHS), note_text)


def facts_of(state: dict[str, str]) -> dict[str, NoteFacts]:
    texts = {**FIXED, **state}
    return {path: note_facts(parse_note(path, texts[path].encode()), CONFIG)
            for path in sorted(texts)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vault_state, st.lists(st.tuples(st.sampled_from(PATHS), st.none() | note_text),
                             min_size=1, max_size=3))
def test_update_model_is_assemble(before: dict[str, str],
                                  edits: list[tuple[str, str | None]]) -> None:
    after = dict(before)
    for path, text in edits:
        if text is None:
            after.pop(path, None)
        else:
            after[path] = text
    old_facts, new_facts = facts_of(before), facts_of(after)
    model = assemble(old_facts.values(), CONFIG)
    changed = {path for path, _ in edits}
    updated = update_model(
        model, {path: old_facts.get(path) for path in changed},
        {path: new_facts.get(path) for path in changed},
        lambda day: [f for f in new_facts.values()
                     if f.journal is not None and f.journal.day == day],
        [f for f in new_facts.values() if f.habit is not None], CONFIG,
        paths=lambda: list(new_facts))
    assembled = assemble(new_facts.values(), CONFIG)
    if updated is None:
        # Only when a scale changed: every note's mood (or energy) must be read again.
        assert {k: u.scale for k, u in assembled.scales.items()} != \
            {k: u.scale for k, u in model.scales.items()}
        return
    assert updated == assembled
    assert {year: updated.journal.year(year) for year in updated.journal.parts()} == \
        {year: assembled.journal.year(year) for year in assembled.journal.parts()}
    # The notes each year keeps (what the index stores of it), in the same order, and
    # the moods and lengths found without building the entries.
    assert updated.journal.parts() == assembled.journal.parts()
    assert updated.journal.moods() == assembled.journal.moods() == \
        [(e.day, e.mood) for e in assembled.journal if e.mood is not None]
    assert len(updated.journal) == len(list(updated.journal))


def test_a_changed_habit_note_needs_a_full_assembly() -> None:
    old = facts_of({})
    new = facts_of({})
    new["Habits/Run.md"] = note_facts(parse_note("Habits/Run.md", b"---\ntype: habit\n---\n"),
                                      CONFIG)
    model = assemble(old.values(), CONFIG)
    assert update_model(model, {"Habits/Run.md": old["Habits/Run.md"]},
                        {"Habits/Run.md": new["Habits/Run.md"]}, lambda day: [],
                        [f for f in new.values() if f.habit], CONFIG,
                        paths=lambda: list(new)) is None
    assert model.journal == () and date(2026, 11, 2) in model.habits[-1].marks
