"""Bytes -> Note: front matter, body elements, normalised keys."""

from __future__ import annotations

from datetime import date

import pytest

from mdmastery.reading.markdown import parse_body_markdown_it
from mdmastery.reading.note import parse_note
from mdmastery.reading.text import normalize_key

NOTE = (
    "---\n"
    "type: journal\n"
    "clock-in: 10:45\n"
    "outside: yes\n"
    "zip: 012345\n"
    "version: 3.10\n"
    "ratio: 2.5\n"
    "count: 7\n"
    "day: 2026-11-20\n"
    "empty:\n"
    "---\n"
    "# Title [[Linked]]\n"
    "\n"
    "- [x] Task one [field:: value]\n"
    "\t- [ ] nested (other:: 2)\n"
    "Make Progress:: 3\n"
)


@pytest.mark.parametrize("data", [
    NOTE.encode(), b"\xef\xbb\xbf" + NOTE.encode(), NOTE.replace("\n", "\r\n").encode(),
])
def test_front_matter_yaml_1_2_and_lines(data: bytes) -> None:
    note = parse_note("n.md", data)
    assert note.problems == ()
    assert note.meta == {"type": "journal", "clock-in": "10:45", "outside": "yes",
                         "zip": "012345", "version": "3.10", "ratio": 2.5, "count": 7,
                         "day": date(2026, 11, 20), "empty": None}
    assert note.line_of("clock-in") == 3
    body = note.body
    assert [(h.line, h.text) for h in body.headings] == [(12, "Title [[Linked]]")]
    assert [(i.line, i.task, i.text) for i in body.items] == [
        (14, "x", "Task one [field:: value]"), (15, " ", "nested (other:: 2)")]
    assert [(f.line, f.key, f.value) for f in body.fields] == [
        (14, "field", "value"), (15, "other", "2"), (16, "Make Progress", "3")]


def test_fast_path_and_markdown_it_agree_on_a_typical_note() -> None:
    text = NOTE.split("---\n", 2)[2]
    fast = parse_note("n.md", NOTE.encode()).body
    assert fast == parse_body_markdown_it(text, 12)


def test_constructs_markdown_it_must_decide() -> None:
    body = ("> [!note] Callout\n> - [x] in a callout\n\n    - [x] indented code\n\n"
            "<div>\n- [x] html\n</div>\n\nSetext\n---\n- [x] after\n")
    note = parse_note("n.md", body.encode())
    assert [(i.line, i.text) for i in note.body.items] == [(2, "in a callout"),
                                                           (12, "after")]
    assert [(h.line, h.level, h.text) for h in note.body.headings] == [(10, 2, "Setext")]


@pytest.mark.parametrize(("name", "key"), [
    ("Make Progress", "make-progress"), ("Read 20 pages", "read-20-pages"),
    ("**Bold** Key!", "bold-key"), ("  spaced   out ", "spaced-out"), ("Ünï", "ünï"),
])
def test_dataview_normalised_key(name: str, key: str) -> None:
    assert normalize_key(name) == key
