"""Fuzz the reader: any bytes, any YAML-ish text, always a Note, never an exception.

hypothesis' deadline is the time bound: an example slower than it fails the test. It is
far above what an example takes (under 40 ms), so only a blowup (exponential work on some
input) trips it, not a busy machine: hypothesis does not forgive a one-off slow example,
it reports the test as flaky.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmastery.config import Config
from mdmastery.dates.periods import period_of
from mdmastery.errors import Problem
from mdmastery.model.extract import build_model
from mdmastery.reading.frontmatter import FrontMatterError, load
from mdmastery.reading.note import Note, parse_note
from mdmastery.review.build import build_review

# MDMASTERY_FUZZ_EXAMPLES=20000 runs a long hunt; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("MDMASTERY_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=1),
                suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML and Markdown that reach the loader's and the parser's corners.
YAML_PIECES = [
    "---", "...", "+++", "\n", "\r\n", "\r", "\t", " ", "  ", ": ", ":", "- ", "? ", ",",
    "[", "]", "{", "}", "[[", "]]", "&a ", "*a", "&b ", "*b", "<<: ",
    "!!python/object/apply:os.system ",
    "!!python/name:os.system", "!!binary ", "!!set ", "!!map ", "!!omap ", "!!seq ", "!!str ",
    "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!custom ", "!<tag:x> ",
    "%YAML 1.1\n", "%TAG ! tag:x:\n", "|", ">", "|-", "#", "'", '"', "\\", "%", "@", "`",
    "type", "habit", "goal", "journal", "title", "date", "mood", "schedule", "target",
    "baseline", "start", "deadline", "habits", "entries", "tags", "aliases", "key", "goal",
    "yes", "no", "on", "off", "true", "null", "~", "012345", "3.10", "10:45", ".inf",
    "-.inf", ".nan", "0x1F", "0o17", "1e400", "9" * 30, "2026-11-20", "2026-02-30",
    "2026-11-20T10:00:00", "2026-11-20 25:61:61 +99:00", "fortnightly", "3/week",
    "[mon, wed]", "every 2 days", "é", "\u200b", "\ufeff", "😀", "\x00", "\x7f",
    "<<<<<<< HEAD", ">>>>>>> x", "=======",
]
MARKDOWN_PIECES = [
    "# Wins", "## Habits", "### Milestones", "- ", "* ", "+ ", "1. ", "- [x] ", "- [ ] ",
    "- [-] ", "> ", "> [!note]", "```", "~~~", "    ", "`", "``", "mood:: ", "[mood:: 4]",
    "(energy:: 9)", "[[Meditate]]", "[[Habits/Run|run]]", "![[img.png]]", "✅ 2026-11-20",
    "📅 2026-02-30", "[completion:: 2026-11-20]", "<div>", "|a|b|\n|-|-|", "***", "___",
    "Meditate", "Run 5 km", "pages:: 12", "\n", "\n\n", "\t", " ", "[", "]", "(", ")", "::",
]


def yamlish(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=8)),
                    max_size=60).map("".join)


def assert_note(note: Note, path: str) -> None:
    assert isinstance(note, Note)
    assert note.path == path
    assert isinstance(note.meta, dict)
    for problem in note.problems:
        assert isinstance(problem, Problem)
        assert problem.path == path
        assert problem.level in ("error", "warning")
        assert isinstance(problem.line, int) and problem.line >= 0
        assert problem.message
    json.dumps([p.as_dict() for p in note.problems])


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes_give_a_note(data: bytes) -> None:
    assert_note(parse_note("fuzz.md", data), "fuzz.md")


@FUZZ
@given(st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf---\r\n", b"+++\n"]),
       st.binary(max_size=2000), st.sampled_from([b"", b"\n---\n", b"\n...\n", b"\n+++\n"]),
       st.binary(max_size=500))
def test_any_bytes_between_fences_give_a_note(head: bytes, front: bytes, fence: bytes,
                                              body: bytes) -> None:
    assert_note(parse_note("fuzz.md", head + front + fence + body), "fuzz.md")


@FUZZ
@given(yamlish(YAML_PIECES), yamlish(MARKDOWN_PIECES),
       st.sampled_from(["\n", "\r\n"]))
def test_yamlish_front_matter_gives_a_note(front: str, body: str, newline: str) -> None:
    text = f"---\n{front}\n---\n{body}".replace("\n", newline)
    assert_note(parse_note("fuzz.md", text.encode("utf-8", "surrogatepass")), "fuzz.md")


@FUZZ
@given(yamlish(YAML_PIECES))
def test_front_matter_loader_returns_a_mapping_or_raises_its_own_error(front: str) -> None:
    try:
        meta, lines = load(front, first_line=2)
    except FrontMatterError as error:
        assert error.line >= 2
        assert error.message
    else:
        assert isinstance(meta, dict) and all(isinstance(k, str) for k in meta)
        assert all(line >= 2 for line in lines.values())


# Front matter values of every shape YAML can give, for the fields the model reads.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["3/week", "every 0 days", "every 3 days", "weekdays", "mon, fri",
                     "[[Goal]]", "at_most", "last", "sum", "paused", "done", "skip", "x",
                     "2026-11-20", "2026-02-30", "12 pages", "-3", "1e999"]),
    # Near the period, where the analytics do work (a day of year 1 is refused).
    st.dates(date(2026, 1, 1), date(2027, 1, 1)) | st.sampled_from([date(1, 1, 1),
                                                                    date(9999, 12, 31)]),
    st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=6)
FIELDS = ["type", "date", "mood", "energy", "habits", "tags", "name", "title", "key",
          "aliases", "schedule", "target", "unit", "direction", "started", "status", "goal",
          "area", "entries", "focus", "start", "deadline", "why", "values", "baseline",
          "current", "track", "aggregate", "meditate", "pages"]
KINDS = st.sampled_from(["habit", "goal", "journal", "vision", "review", "daily", None])


@st.composite
def fuzzed_notes(draw: st.DrawFn) -> list[Note]:
    notes = []
    for index in range(draw(st.integers(1, 4))):
        meta = draw(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6))
        kind = draw(KINDS)
        if kind is not None:
            meta["type"] = kind
        name = draw(st.sampled_from(["2026-11-20", "2026-11-21", "Meditate", "Goal", "x"]))
        body = draw(yamlish(MARKDOWN_PIECES))
        base = parse_note(f"n{index}/{name}.md", body.encode("utf-8", "surrogatepass"))
        notes.append(Note(base.path, meta, {k: 2 for k in meta}, base.body))
    return notes


# Drawing whole notes is most of the cost here: fewer, richer examples.
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
@given(fuzzed_notes())
def test_any_front_matter_values_give_a_model_and_a_review(notes: list[Note]) -> None:
    config = Config()
    model = build_model(notes, config)
    assert all(isinstance(p, Problem) for p in model.problems)
    week = period_of("week", date(2026, 11, 20))
    data = build_review(model, config, week, date(2026, 11, 22)).data
    json.dumps(data, allow_nan=False)
