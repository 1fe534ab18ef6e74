"""Hostile and broken vaults (issue 4): a clear message for each, nothing lost, nothing hangs.

Each case of the issue has a test here, with the outcome the issue asks for. They use
real temp vaults with real files (FIFOs, sockets, symlinks, sparse 50 MB files) and run
the CLI in-process, or call the reader functions directly. The last tests put every case
into one vault and check that its good notes still give the right review.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import write

from mdmastery.cli import cli
from mdmastery.config import load_config
from mdmastery.errors import Problem
from mdmastery.model.extract import build_model
from mdmastery.model.links import link_text
from mdmastery.reading import files as vault_module
from mdmastery.reading.files import list_notes, read_bytes
from mdmastery.reading.note import Note, parse_note

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-22"  # a Sunday: the week 2026-W47 runs 11-16 .. 11-22


# --- helpers ---------------------------------------------------------------------

@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An empty vault folder marked as one."""
    root = tmp_path / "vault"
    (root / ".mdmastery").mkdir(parents=True)
    return root


put = write  # the shared helper writes bytes exactly as given


def run(*args: str) -> Result:
    """Run the CLI in-process with today pinned."""
    return CliRunner().invoke(cli, list(args), env={"MDMASTERY_TODAY": TODAY})


def check(root: Path) -> Result:
    return run("check", "--vault", str(root))


def check_json(root: Path) -> dict[str, Any]:
    result = run("check", "--vault", str(root), "--format", "json")
    assert result.exit_code in (0, 1), (result.output, result.exception)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def problems(root: Path) -> list[Problem]:
    """Every problem `check` reports for the vault."""
    return [Problem(**p) for p in check_json(root)["problems"]]


def problems_of(root: Path, path: str) -> list[Problem]:
    return [p for p in problems(root) if p.path == path]


def only_problem(root: Path, path: str) -> Problem:
    found = problems_of(root, path)
    assert len(found) == 1, found
    return found[0]


def review(root: Path, *extra: str) -> dict[str, Any]:
    result = run("review", "--vault", str(root), "--json", "--date", "2026-11-20", *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def parse(data: bytes | str, path: str = "note.md") -> Note:
    return parse_note(path, data.encode("utf-8") if isinstance(data, str) else data)


def tree_hashes(root: Path) -> dict[str, str]:
    """Hash every file under root but the disposable cache, never following links or
    opening FIFOs (a non-regular file is recorded by its type)."""
    hashes: dict[str, str] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        if os.path.relpath(folder, root) == ".mdmastery":
            dirs[:] = [name for name in dirs if name != "cache"]
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if not stat.S_ISREG(info.st_mode):
                hashes[relative] = f"mode {stat.S_IFMT(info.st_mode):o}"
                continue
            digest = hashlib.sha256()
            with open(path, "rb") as file:
                for block in iter(lambda f=file: f.read(1 << 20), b""):
                    digest.update(block)
            hashes[relative] = digest.hexdigest()
    return hashes


@pytest.fixture
def unix_socket(vault: Path) -> Iterator[Path]:
    """A Unix socket named like a note: bound, so it exists on disk, never listened on."""
    path = vault / "socket.md"
    # AF_UNIX paths are limited to ~108 bytes: bind from inside the folder.
    cwd = os.getcwd()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.chdir(vault)
        server.bind("socket.md")
    finally:
        os.chdir(cwd)
    yield path
    server.close()


# --- encoding and bytes ----------------------------------------------------------

def test_utf8_bom_is_read_normally(vault: Path) -> None:
    note = parse(b"\xef\xbb\xbf---\ntype: goal\ntitle: Bom\n---\n# Milestones\n- [x] one\n")
    assert note.meta == {"type": "goal", "title": "Bom"}
    assert note.problems == ()
    assert [(i.line, i.text) for i in note.body.items] == [(6, "one")]
    put(vault, "Goals/Bom.md", b"\xef\xbb\xbf---\ntype: goal\n---\n- [x] one\n- [ ] two\n")
    goal = review(vault)["goals"][0]
    assert (goal["title"], goal["progress"]) == ("Bom", 0.5)


def test_crlf_line_endings_keep_line_numbers(vault: Path) -> None:
    put(vault, "2026-11-20.md",
        b"---\r\ntype: journal\r\nenergy: 4\r\nmood: 9\r\n---\r\n# Wins\r\n- shipped\r\n")
    assert [str(p) for p in problems(vault)] == [
        "2026-11-20.md:4: warning: mood 9 is outside the mood scale 1-5; ignored"]
    journal = review(vault)["journal"]
    assert journal["energy_avg"] == 4
    assert journal["mood_avg"] is None
    assert [w if isinstance(w, str) else w["text"] for w in journal["wins"]] == ["shipped"]


def test_mixed_line_endings_keep_line_numbers() -> None:
    # CRLF, LF and a lone CR (old Mac) in one note: each ends one line.
    note = parse(b"---\r\ntitle: x\n---\r\n# Wins\r- a\n- [x] b\r\n\r\ntext:: [[Link]]\n")
    assert note.meta == {"title": "x"}
    assert [(h.line, h.text) for h in note.body.headings] == [(4, "Wins")]
    assert [(i.line, i.text, i.task) for i in note.body.items] == [
        (5, "a", None), (6, "b", "x")]
    assert [(f.line, f.key, f.value) for f in note.body.fields] == [(8, "text", "[[Link]]")]


def test_latin1_bytes_are_an_error_with_line_and_other_notes_go_on(vault: Path) -> None:
    put(vault, "latin1.md", "---\ntitle: x\n---\nfine\ncaf\xe9\n".encode("latin-1"))
    put(vault, "Goals/Good.md", "---\ntype: goal\n---\n- [x] café\n")
    assert [str(p) for p in problems(vault)] == [
        "latin1.md:5: error: not valid UTF-8 (byte 0xe9); save the note as UTF-8"]
    assert [g["title"] for g in review(vault)["goals"]] == ["Good"]


@pytest.mark.parametrize("data", [
    "---\ntitle: x\n---\nhi\n".encode("utf-16"),  # with a BOM, as Notepad saves it
    "---\ntitle: x\n---\nhi\n".encode("utf-16-le"),
    "---\ntitle: x\n---\nhi\n".encode("utf-16-be"),
    "---\ntitle: x\n---\nhi\n".encode("utf-32"),
], ids=["utf16-bom", "utf16-le", "utf16-be", "utf32"])
def test_utf16_is_an_error_with_line_and_other_notes_go_on(vault: Path, data: bytes) -> None:
    put(vault, "wide.md", data)
    put(vault, "Goals/Good.md", "---\ntype: goal\n---\n")
    found = only_problem(vault, "wide.md")
    assert (found.line, found.level) == (1, "error")
    assert "not UTF-8; save it as UTF-8" in found.message
    assert [g["title"] for g in review(vault)["goals"]] == ["Good"]


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06",
    b"---\ntype: goal\n---\nlooks like text\x00but is not\n",
], ids=["png", "nul-byte"])
def test_binary_files_are_skipped(vault: Path, data: bytes) -> None:
    put(vault, "Goals/binary.md", data)
    assert [str(p) for p in problems(vault)] == [
        "Goals/binary.md:0: warning: not a text file (NUL bytes); skipped"]
    assert review(vault)["goals"] == []


def test_empty_file_is_a_note_without_metadata(vault: Path) -> None:
    note = parse(b"")
    assert (note.meta, note.problems, note.readable) == ({}, (), True)
    assert note.body.items == ()
    put(vault, "empty.md", b"")
    result = check(vault)
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 1 note\n"


def test_file_over_the_configured_size_cap_is_skipped(vault: Path) -> None:
    put(vault, ".mdmastery/config.toml", "max_file_size = 1000\n")
    put(vault, "Goals/big.md", "---\ntype: goal\n---\n" + "x" * 2000)
    put(vault, "Goals/small.md", "---\ntype: goal\n---\n" + "x" * 900)
    found = only_problem(vault, "Goals/big.md")
    assert (found.line, found.level) == (0, "warning")
    assert "over the 0.001 MB limit; skipped" in found.message
    assert "max_file_size" in found.message
    assert [g["title"] for g in review(vault)["goals"]] == ["small"]


@pytest.mark.parametrize("value", ["0", "-5", '"big"'])
def test_bad_max_file_size_is_a_config_error(vault: Path, value: str) -> None:
    put(vault, ".mdmastery/config.toml", f"week_start = 'monday'\nmax_file_size = {value}\n")
    config = load_config(vault)
    assert config.max_file_size == 5_000_000
    assert [(p.path, p.line, p.level) for p in config.problems] == [
        (".mdmastery/config.toml", 2, "error")]


def test_daily_format_that_is_not_a_string_is_a_config_error(vault: Path) -> None:
    put(vault, ".mdmastery/config.toml", "[formats]\ndaily = 5\n")
    config = load_config(vault)
    assert config.daily_format == "YYYY-MM-DD"
    assert [(p.line, p.level) for p in config.problems] == [(2, "error")]
    assert check(vault).exit_code == 1


@pytest.mark.parametrize("glob", ["Templates/", "Templates", "/Templates", "Templates/**"])
def test_ignore_globs_in_gitignore_spellings(vault: Path, glob: str) -> None:
    put(vault, ".mdmastery/config.toml", f"ignore = [{glob!r}]\n")
    put(vault, "Templates/Goal.md", "---\ntype: goal\n---\n")
    put(vault, "Goals/Real.md", "---\ntype: goal\n---\n")
    files, _ = list_notes(vault, load_config(vault).ignore)
    assert [f.path for f in files] == ["Goals/Real.md"]


def test_file_over_the_default_cap_is_skipped_without_reading_it(vault: Path) -> None:
    put(vault, "Goals/small.md", "---\ntype: goal\n---\n")
    huge = vault / "Goals/huge.md"
    with open(huge, "wb") as file:
        file.write(b"---\ntype: goal\n---\n")
        file.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        result = check(vault)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 0, result.output
    assert "Goals/huge.md:0: warning: file is 50.0 MB over the 5 MB limit; skipped" \
        in result.stdout
    assert peak < 10_000_000, f"peak {peak:,} bytes for a 50 MB file"


def test_file_grown_since_listing_is_not_read_past_the_cap(vault: Path) -> None:
    path = put(vault, "grew.md", "small\n")
    files, _ = list_notes(vault)
    with open(path, "r+b") as file:
        file.truncate(50_000_000)
    tracemalloc.start()
    try:
        found = read_bytes(vault, files[0], 1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(found, Problem)
    assert (found.path, found.level) == ("grew.md", "warning")
    assert "over the 1 MB limit" in found.message
    assert peak < 3_000_000


@pytest.mark.parametrize("size", [0, 1, 4095, 1_048_575, 1_048_576, 2_500_001])
@pytest.mark.parametrize("largest_read", [None, 1000])
def test_notes_are_read_whole_in_any_number_of_reads(
        vault: Path, monkeypatch: pytest.MonkeyPatch, size: int, largest_read: int | None,
) -> None:
    data = bytes(ord("a") + n % 26 for n in range(size))
    (vault / "n.md").write_bytes(data)
    files, _ = list_notes(vault)
    if largest_read is not None:  # as a network file system may: short reads before the end
        real = os.read
        monkeypatch.setattr(vault_module.os, "read",
                            lambda fd, n: real(fd, min(n, largest_read)))
    assert read_bytes(vault, files[0], 5_000_000) == data
    with open(vault / "n.md", "ab") as file:  # grown since the listing
        file.write(b"!\n")
    assert read_bytes(vault, files[0], 5_000_000) == data + b"!\n"


# --- front matter ----------------------------------------------------------------

def test_front_matter_without_closing_fence_is_body_with_a_warning(vault: Path) -> None:
    note = parse("---\ntype: goal\n- [x] milestone\n")
    assert note.meta == {}
    assert [(p.line, p.level) for p in note.problems] == [(1, "warning")]
    assert "no closing '---'" in note.problems[0].message
    assert [(i.line, i.text) for i in note.body.items] == [(3, "milestone")]
    put(vault, "open.md", "---\ntype: goal\n- [x] milestone\n")
    assert [str(p) for p in problems(vault)] == [
        "open.md:1: warning: front matter has no closing '---'; read as body"]
    assert review(vault)["goals"] == []


def test_rule_later_in_the_body_is_not_front_matter() -> None:
    note = parse("# Title\n\nSome text\n\n---\ntype: goal\n---\n- [x] item\n")
    assert (note.meta, note.problems) == ({}, ())
    assert [(i.line, i.text) for i in note.body.items] == [(8, "item")]


@pytest.mark.parametrize(("front", "what"), [
    ("- a\n- b\n", "not a list"),
    ("just words\n", "not the text 'just words'"),
    ("42\n", "not the value 42"),
])
def test_front_matter_that_is_not_a_mapping_is_an_error(front: str, what: str) -> None:
    note = parse(f"---\n{front}---\nbody\n")
    assert note.meta == {}
    assert [(p.line, p.level) for p in note.problems] == [(2, "error")]
    assert "must be a mapping" in note.problems[0].message
    assert what in note.problems[0].message


@pytest.mark.parametrize(("path", "text", "line", "says"), [
    pytest.param("tabs.md", "---\ntype: goal\ntags:\n\t- a\n---\n", 4, "tab",
                 id="tab indentation"),
    pytest.param("mail.md", "---\ntype: goal\ntitle: Re: hi\n---\n", 3, "must be quoted",
                 id="unquoted colon in a value"),
    pytest.param("dup.md", "---\ntitle: a\ntype: goal\ntitle: b\n---\n", 4,
                 "duplicate key 'title'", id="duplicate key, named"),
    pytest.param("Journal/2026-11-20.md", "---\ndate: 2026-02-30\nmood: 4\n---\n", 2,
                 "invalid date '2026-02-30'", id="impossible date, not a crash"),
])
def test_bad_front_matter_is_one_error_with_its_line(vault: Path, path: str, text: str,
                                                     line: int, says: str) -> None:
    put(vault, path, text)
    found = only_problem(vault, path)
    assert (found.line, found.level) == (line, "error")
    assert says in found.message


def test_yaml_12_core_keeps_words_codes_versions_and_times_as_strings() -> None:
    note = parse("---\na: yes\nb: no\nc: on\nd: off\nzip: 012345\nversion: 3.10\n"
                 "clock-in: 10:45\nn: 7\nx: 1.5\nok: true\nday: 2026-11-20\n---\n")
    assert note.problems == ()
    meta = {k: v for k, v in note.meta.items() if k != "day"}
    assert meta == {"a": "yes", "b": "no", "c": "on", "d": "off", "zip": "012345",
                    "version": "3.10", "clock-in": "10:45", "n": 7, "x": 1.5, "ok": True}
    assert str(note.meta["day"]) == "2026-11-20"


def test_unquoted_wikilink_in_front_matter_is_a_link(vault: Path) -> None:
    note = parse("---\nup: [[Parent]]\n---\n")
    assert note.problems == ()
    assert link_text(note.meta["up"]) == "[[Parent]]"
    # A habit's `goal: [[...]]` unquoted still reaches its goal: no warning.
    put(vault, "Goals/Parent.md", "---\ntype: goal\n---\n")
    put(vault, "Habits/Child.md", "---\ntype: habit\ngoal: [[Parent]]\n---\n")
    assert problems(vault) == []


def test_python_tags_are_an_error_and_nothing_is_executed(vault: Path,
                                                          tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    put(vault, "evil.md", "---\ntype: goal\n"
        f"x: !!python/object/apply:os.system ['touch {marker}']\n---\n")
    put(vault, "evil2.md", "---\n"
        f"y: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path "
        f"['{marker}']]\n---\n")
    put(vault, "evil3.md", "---\nz: !!python/name:os.system\n---\n")
    found = problems(vault)
    assert [(p.path, p.line, p.level) for p in found] == [
        ("evil.md", 3, "error"), ("evil2.md", 2, "error"), ("evil3.md", 2, "error")]
    assert all("refused" in p.message for p in found)
    review(vault)
    assert not marker.exists()


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
              for a, b in zip("abcdefgh", "bcdefghi", strict=True)))


def test_alias_bomb_is_an_error_within_100_ms() -> None:
    text = f"---\n{BILLION_LAUGHS}---\n"
    assert len(text) < 1100  # the 1 KB of the issue: 9**9 values when expanded
    # The best of three: a busy machine may stall one of them (a parse takes ~1 ms).
    elapsed = []
    for _ in range(3):
        start = time.perf_counter()
        note = parse(text)
        elapsed.append(time.perf_counter() - start)
        assert [(p.line, p.level) for p in note.problems] == [(2, "error")]
        assert "too many values" in note.problems[0].message
    assert min(elapsed) < 0.1


def test_small_alias_fan_out_is_bounded_when_used(vault: Path) -> None:
    # 9**4 = 6,561 values through shared aliases: under the limit, so it is read; the
    # model must not blow it up (the aliases of a habit are a flat list of strings).
    put(vault, "Habits/Laughs.md", "---\ntype: habit\n"
        + BILLION_LAUGHS.split("e:")[0] + "aliases: *d\n---\n")
    elapsed = []
    for _ in range(2):  # the best of two cold runs (see above)
        shutil.rmtree(vault / ".mdmastery" / "cache", ignore_errors=True)
        start = time.perf_counter()
        data = review(vault)
        elapsed.append(time.perf_counter() - start)
        assert [h["name"] for h in data["habits"]] == ["Laughs"]
    assert min(elapsed) < 2


def test_recursive_alias_is_an_error() -> None:
    note = parse("---\na: &a [*a]\n---\n")
    assert [(p.line, p.level) for p in note.problems] == [(2, "error")]
    assert "refers to itself" in note.problems[0].message


NESTINGS = {  # each shape of nesting, n levels deep, and the line where it nests
    "brackets": (lambda n: "a: " + "[" * n + "]" * n + "\n", 3),
    "braces": (lambda n: "a: " + "{b: " * n + "}" * n + "\n", 3),
    "block-sequences": (lambda n: "a:\n" + "- " * n + "x\n", 4),
    "explicit-keys": (lambda n: "? " * n + "x\n", 3),
}


@pytest.mark.parametrize("shape", NESTINGS)
def test_nesting_past_64_levels_is_our_error_with_its_line(shape: str) -> None:
    nest, line = NESTINGS[shape]
    note = parse(f"---\ntitle: x\n{nest(100)}---\n")
    assert [(p.line, p.level, p.message) for p in note.problems] == [
        (line, "error", "front matter nests deeper than 64 levels")]


def test_nesting_of_64_levels_is_read() -> None:
    # The front matter's own mapping is the first level.
    note = parse("---\na: " + "[" * 63 + "]" * 63 + "\n---\n")
    assert note.problems == ()
    value, depth = note.meta["a"], 0
    while value:
        value, depth = value[0], depth + 1
    assert (value, depth) == ([], 62)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("shape", NESTINGS)
@pytest.mark.parametrize("levels", [10_000, 100_000])
def test_deep_nesting_is_an_error_not_a_crash(shape: str, levels: int) -> None:
    # libyaml's composer recurses in C and crashes the interpreter at some 50,000 levels,
    # so this must be refused before composing. Our guard or the YAML library (PyYAML
    # 6.0.4 stops at 1,000 brackets itself) may be the one that refuses it: either way
    # it is one error of ours, on the line where the nesting is, and the process lives.
    nest, line = NESTINGS[shape]
    note = parse(f"---\ntitle: x\n{nest(levels)}---\n")
    assert note.meta == {}
    assert [(p.line, p.level) for p in note.problems] == [(line, "error")]
    assert note.problems[0].message.startswith("front matter "), note.problems[0]


def test_merge_markers_are_an_error_with_line(vault: Path) -> None:
    put(vault, "Goals/merged.md", "---\ntype: goal\n---\n- [x] one\n<<<<<<< HEAD\n"
        "- [x] two\n=======\n- [ ] two\n>>>>>>> theirs\n")
    assert [str(p) for p in problems(vault)] == [
        "Goals/merged.md:5: error: unresolved merge conflict at line 5"]
    assert review(vault)["goals"] == []


def test_toml_front_matter_is_skipped_with_a_message() -> None:
    note = parse("+++\ntitle = 'x'\ntype = 'goal'\n+++\n- [x] done\n")
    assert note.meta == {}
    assert [(p.line, p.level, p.message) for p in note.problems] == [
        (1, "warning", "TOML front matter (+++) is not read; skipped")]
    assert [(i.line, i.text) for i in note.body.items] == [(5, "done")]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("body", [
    "> " * 20_000 + "deep\n",  # nested block quotes
    "".join("  " * depth + "- x\n" for depth in range(3_000)),  # nested lists
], ids=["block-quotes", "lists"])
def test_deeply_nested_body_is_read_not_a_crash(body: str) -> None:
    note = parse(f"---\ntype: goal\n---\n{body}")
    assert note.meta == {"type": "goal"}
    assert all(p.level == "error" for p in note.problems)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("line", [
    # Backtick runs of growing length, none closed: a regex tried each opener against
    # the rest of the line, for minutes.
    "".join("`" * length + "a" for length in range(1, 1_400)),
    "[a:: " * 200_000,  # inline fields never closed: rescanned to the end each time
    "(a:: " * 200_000,
    "x ``a`" * 20_000,
], ids=["backtick-runs", "open-bracket-fields", "open-paren-fields", "backticks"])
def test_pathological_lines_are_read_in_linear_time(line: str) -> None:
    note = parse(f"---\ntype: goal\n---\n{line}\n- [x] after\n")
    assert note.problems == ()
    assert [(i.line, i.text) for i in note.body.items] == [(5, "after")]


def test_journal_date_far_from_now_warns_and_the_file_name_is_used(vault: Path) -> None:
    put(vault, "Journal/2026-11-20.md", "---\ndate: 0026-11-20\nmood: 4\n---\n")
    put(vault, "Journal/2026-11-19.md", "---\ndate: someday\nmood: 2\n---\n")
    assert [str(p) for p in problems(vault)] == [
        "Journal/2026-11-19.md:2: warning: date 'someday' is not a date (YYYY-MM-DD); "
        "the file name's 2026-11-19 is used",
        "Journal/2026-11-20.md:2: warning: date 0026-11-20 is not between 1900 and 2999; "
        "the file name's 2026-11-20 is used"]
    assert review(vault)["journal"]["mood_avg"] == 3


def test_habit_started_in_the_year_1_is_refused_not_overflowed(vault: Path) -> None:
    put(vault, "Habits/Old.md", "---\ntype: habit\nschedule: 3/week\nstarted: 0001-01-01\n"
        "entries: [0001-01-02, 2026-11-17]\n---\n")
    assert [str(p) for p in problems(vault)] == [
        "Habits/Old.md:4: warning: started 0001-01-01 is not between 1900 and 2999; ignored",
        "Habits/Old.md:5: warning: entry 0001-01-02 is not between 1900 and 2999; ignored"]
    habit = review(vault)["habits"][0]
    assert habit["name"] == "Old"


# --- the filesystem --------------------------------------------------------------

# A listing with or without stats (a cold run lists without: see list_notes) finds the
# same notes and says the same.
STATS = pytest.mark.parametrize("stats", [True, False])


@STATS
def test_symlink_loops_list_each_note_once(vault: Path, stats: bool) -> None:
    put(vault, "Journal/2026-11-20.md", "---\nmood: 4\n---\n")
    put(vault, "Notes/idea.md", "idea\n")
    os.symlink("..", vault / "Journal/up")  # Journal/up/Journal/up/...
    os.symlink(".", vault / "self")
    os.symlink("Notes", vault / "Alias")  # the same folder under another name
    os.symlink("Notes/idea.md", vault / "idea-link.md")  # the same note twice
    os.symlink("b.md", vault / "a.md")
    os.symlink("a.md", vault / "b.md")
    files, found = list_notes(vault, stats=stats)
    assert [f.path for f in files] == ["Journal/2026-11-20.md", "Notes/idea.md"]
    assert [str(p) for p in found] == ["a.md:0: warning: symlink loop; skipped",
                                       "b.md:0: warning: symlink loop; skipped"]
    assert review(vault)["journal"]["entries"] == 1


@STATS
@pytest.mark.parametrize("reverse", [False, True])
def test_a_note_reached_twice_is_listed_once_whatever_the_listing_order(
        vault: Path, monkeypatch: pytest.MonkeyPatch, reverse: bool, stats: bool) -> None:
    put(vault, "b/note.md", "hard-linked\n")
    os.link(vault / "b/note.md", vault / "a.md")  # two real paths: the first in sort order
    put(vault, "c/real.md", "linked\n")
    os.symlink("../c/real.md", vault / "b/alias.md")  # a link and a real path: the real one
    put(vault, ".hidden/x.md", "only linked\n")
    os.symlink(".hidden/x.md", vault / "l2.md")  # two links: the first in sort order
    os.symlink(".hidden/x.md", vault / "l1.md")
    if reverse:  # as a file system may list a folder: in any order
        real = os.scandir

        class Reversed:
            def __init__(self, path: str) -> None:
                with real(path) as entries:
                    self.entries = sorted(entries, key=lambda e: e.name, reverse=True)

            def __enter__(self) -> Iterator[os.DirEntry[str]]:
                return iter(self.entries)

            def __exit__(self, *_: object) -> None:
                return None

        monkeypatch.setattr(vault_module.os, "scandir", Reversed)
    files, problems = list_notes(vault, stats=stats)
    assert [f.path for f in files] == ["a.md", "c/real.md", "l1.md"]
    assert problems == []


@STATS
def test_symlink_out_of_the_vault_is_not_followed(vault: Path, tmp_path: Path,
                                                   stats: bool) -> None:
    outside = tmp_path / "outside"
    put(outside, "Goals/Secret.md", "---\ntype: goal\n---\n")
    os.symlink(outside, vault / "elsewhere")
    os.symlink(outside / "Goals/Secret.md", vault / "secret.md")
    os.symlink("../outside", vault / "relative")
    files, found = list_notes(vault, stats=stats)
    assert files == []
    assert [str(p) for p in found] == [
        f"{name}:0: warning: symlink leads out of the vault; not followed"
        for name in ("elsewhere", "relative", "secret.md")]
    assert review(vault)["goals"] == []


@pytest.mark.timeout(10)
def test_fifo_socket_and_folder_named_like_notes_never_block(vault: Path,
                                                            unix_socket: Path) -> None:
    os.mkfifo(vault / "fifo.md")
    put(vault, "folder.md/inside.md", "---\ntype: goal\n---\n")
    result = check(vault)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "fifo.md:0: warning: not a regular file; skipped",
        "socket.md:0: warning: not a regular file; skipped",
        "0 errors, 2 warnings in 1 note"]
    assert [g["path"] for g in review(vault)["goals"]] == ["folder.md/inside.md"]


@pytest.mark.timeout(10)
def test_note_replaced_by_a_fifo_after_listing_does_not_block(vault: Path) -> None:
    put(vault, "swap.md", "text\n")
    files, _ = list_notes(vault)
    (vault / "swap.md").unlink()
    os.mkfifo(vault / "swap.md")
    found = read_bytes(vault, files[0], 5_000_000)
    assert isinstance(found, Problem)
    assert str(found) == "swap.md:0: warning: not a regular file; skipped"


def test_note_deleted_between_listing_and_reading_is_skipped_quietly(vault: Path) -> None:
    put(vault, "gone.md", "---\ntype: goal\n---\n")
    put(vault, "kept.md", "---\ntype: goal\n---\n")
    files, found = list_notes(vault)
    assert [f.path for f in files] == ["gone.md", "kept.md"] and found == []
    (vault / "gone.md").unlink()
    assert read_bytes(vault, files[0], 5_000_000) is None
    assert read_bytes(vault, files[1], 5_000_000) == b"---\ntype: goal\n---\n"


def _run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a process that file permissions bind.

    Root reads a file of mode 000 anyway. Rather than mocking, the child keeps uid 0
    but drops the capabilities that override permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH) with util-linux's setpriv, so the kernel really refuses.
    """
    command = [sys.executable, "-m", "mdmastery", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot bind")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    env = {**os.environ, "MDMASTERY_TODAY": TODAY}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env,
                          check=False)


def test_permission_denied_is_an_error_with_path(vault: Path) -> None:
    put(vault, "Goals/Good.md", "---\ntype: goal\n---\n")
    locked = put(vault, "Goals/Locked.md", "---\ntype: goal\n---\n")
    private = put(vault, "Private/diary.md", "secret\n").parent
    locked.chmod(0)
    private.chmod(0)
    try:
        result = _run_unprivileged("check", "--vault", str(vault))
    finally:
        private.chmod(0o755)
        locked.chmod(0o644)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "Goals/Locked.md:0: error: cannot read: Permission denied",
        "Private:0: error: cannot list folder: Permission denied",
        "2 errors, 0 warnings in 1 note"]


CONFLICT = "a sync conflict copy; not read (merge it into the note and delete it)"
# Never notes, and nothing worth saying about them.
SYNC_LEFTOVERS = (
    ".syncthing.Habit.md.tmp",
    "Habit.md.tmp",
    "Habit.md~",  # editors' backups
    ".#Habit.md",  # Emacs lock
    "4913",  # Vim's probe file
    ".Habit.md.swp",
)
# Never notes, but the user hears of them: (name, message).
SYNC_COPIES = (
    (".Habit.md.icloud", "iCloud has not downloaded Habit.md yet; not read"),
    ("Habit.sync-conflict-20261120-101010-ABCDEFG.md", CONFLICT),  # Syncthing
    ("Habit (conflicted copy 2026-11-20).md", CONFLICT),  # Dropbox, Nextcloud
    ("Habit (Bob's conflicted copy).md", CONFLICT),
    ("HABIT (Case Conflict).md", CONFLICT),
)


@STATS
def test_icloud_stubs_and_sync_leftovers_are_never_notes(vault: Path, stats: bool) -> None:
    body = "---\ntype: habit\nname: {}\n---\n"
    put(vault, "Habits/Habit.md", body.format("Habit"))
    names = [*SYNC_LEFTOVERS, *(name for name, _ in SYNC_COPIES)]
    for index, name in enumerate(names):
        put(vault, f"Habits/{name}", body.format(f"Leftover {index}"))
    files, found = list_notes(vault, stats=stats)
    assert [f.path for f in files] == ["Habits/Habit.md"]
    assert sorted((p.path, p.line, p.level, p.message) for p in found) == sorted(
        (f"Habits/{name}", 0, "warning", message) for name, message in SYNC_COPIES)
    assert [h["name"] for h in review(vault)["habits"]] == ["Habit"]


def test_names_differing_only_by_case_or_normalisation_warn(vault: Path) -> None:
    put(vault, "Notes/Idea.md", "one\n")
    put(vault, "Notes/idea.md", "two\n")
    put(vault, unicodedata.normalize("NFC", "Notes/Café.md"), "nfc\n")
    put(vault, unicodedata.normalize("NFD", "Notes/Café.md"), "nfd\n")
    found = problems(vault)
    assert len(found) == 2, found
    assert all(p.level == "warning" and "only by case or Unicode normalisation" in p.message
               for p in found)
    assert {unicodedata.normalize("NFC", p.path).casefold() for p in found} == {
        "notes/idea.md", "notes/café.md"}


# --- values ----------------------------------------------------------------------

NOT_A_MOOD = ("mood must be a whole number from 1 to 5, a word such as good or an emoji "
              "such as 🙂, not")


@pytest.mark.parametrize(("value", "message"), [
    ("9", "mood 9 is outside the mood scale 1-5"), ("grand", f"{NOT_A_MOOD} 'grand'"),
    ("0", "mood 0 is outside the mood scale 1-5"), ("3.5", f"{NOT_A_MOOD} 3.5"),
    ("7/10", "mood 7/10 is written out of 10, but the mood scale is 1-5")])
def test_mood_out_of_range_or_not_a_number_warns_with_line(vault: Path, value: str,
                                                           message: str) -> None:
    put(vault, "Journal/2026-11-19.md", "---\nmood: 4\n---\n")
    put(vault, "Journal/2026-11-20.md", f"---\nenergy: 3\nmood: {value}\n---\n")
    assert [str(p) for p in problems(vault)] == [
        f"Journal/2026-11-20.md:3: warning: {message}; ignored"]
    assert review(vault)["journal"]["mood_avg"] == 4


def test_mood_inline_field_warns_with_its_line(vault: Path) -> None:
    put(vault, "Journal/2026-11-20.md", "# Day\n\nSome text.\nmood:: grand\n")
    assert [str(p) for p in problems(vault)] == [
        f"Journal/2026-11-20.md:4: warning: {NOT_A_MOOD} 'grand'; ignored"]


def test_unknown_schedule_is_an_error_naming_the_accepted_forms(vault: Path) -> None:
    put(vault, "Habits/Swim.md", "---\ntype: habit\nschedule: fortnightly\n---\n")
    found = only_problem(vault, "Habits/Swim.md")
    assert (found.line, found.level) == (3, "error")
    assert "'fortnightly'" in found.message
    for form in ("daily", "weekdays", "weekends", "3/week", "[mon, wed, fri]",
                 "every N days"):
        assert form in found.message
    assert check(vault).exit_code == 1


def test_deadline_before_start_warns(vault: Path) -> None:
    put(vault, "Goals/Back.md", "---\ntype: goal\nstart: 2026-05-01\n"
        "deadline: 2026-01-01\n---\n")
    assert [str(p) for p in problems(vault)] == [
        "Goals/Back.md:4: warning: deadline is before start"]


@pytest.mark.parametrize(("front", "line"), [
    ("target: 0", 3),
    ("baseline: 10\ntarget: 10\ncurrent: 12", 4),
    ("baseline: 5\ntarget: 5.0", 4),
])
def test_target_zero_or_equal_to_baseline_warns_and_progress_is_null(vault: Path, front: str,
                                                                     line: int) -> None:
    put(vault, "Goals/Flat.md", f"---\ntype: goal\n{front}\n---\n")
    found = only_problem(vault, "Goals/Flat.md")
    assert (found.line, found.level) == (line, "warning")
    assert "target equals the baseline" in found.message
    assert review(vault)["goals"][0]["progress"] is None


def test_habit_serving_a_goal_that_does_not_exist_warns(vault: Path) -> None:
    put(vault, "Goals/Real.md", "---\ntype: goal\n---\n")
    put(vault, "Habits/Stretch.md", "---\ntype: habit\ngoal: '[[Imaginary]]'\n---\n")
    assert [str(p) for p in problems(vault)] == [
        "Habits/Stretch.md:1: warning: goal [[Imaginary]] matches no goal note"]


def test_two_habits_with_one_key_are_an_error_naming_both_files(vault: Path) -> None:
    put(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    put(vault, "Habits/Jog.md", "---\ntype: habit\nkey: run\n---\n")
    found = problems(vault)
    assert len(found) == 1
    assert found[0].level == "error"
    assert "Habits/Jog.md" in str(found[0]) and "Habits/Run.md" in str(found[0])
    assert check(vault).exit_code == 1


# --- check: output, summary, json, pre-commit ----------------------------------

def test_check_prints_sorted_problems_and_a_summary(vault: Path) -> None:
    for number in range(1, 1197):
        put(vault, f"Notes/{number:04}.md", "")
    put(vault, "z-list.md", "---\n- a\n---\n")  # error
    put(vault, "Habits/A.md", "---\ntype: habit\nschedule: fortnightly\n---\n")  # error
    put(vault, "a-merge.md", "x\n<<<<<<< HEAD\n")  # error
    put(vault, "Journal/2026-11-20.md", "---\nmood: grand\n---\n")  # warning
    put(vault, "Goals/Zero.md", "---\ntype: goal\ntarget: 0\n---\n")  # warning
    put(vault, "Goals/Back.md", "---\ntype: goal\nstart: 2026-05-01\n"
        "deadline: 2026-01-01\n---\n")  # warning
    put(vault, "open.md", "---\ntitle: x\n")  # warning
    put(vault, "toml.md", "+++\nx = 1\n+++\n")  # warning
    result = check(vault)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "3 errors, 5 warnings in 1,204 notes"
    body = lines[:-1]
    assert len(body) == 8
    shape = re.compile(r"(?P<path>[^:]+):(?P<line>\d+): (?:error|warning): \S.*")
    matches = [shape.fullmatch(line) for line in body]
    assert all(matches), body
    keys = [(m.group("path"), int(m.group("line"))) for m in matches if m]
    assert keys == sorted(keys)


def test_check_summary_is_singular_and_exit_0_without_errors(vault: Path) -> None:
    put(vault, "Journal/2026-11-20.md", "---\nmood: grand\n---\n")
    result = check(vault)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 errors, 1 warning in 1 note"


def test_check_format_json(vault: Path) -> None:
    put(vault, "Journal/2026-11-20.md", "---\nmood: grand\n---\n")
    put(vault, "list.md", "---\n- a\n---\n")
    result = run("check", "--vault", str(vault), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["warnings"] == 1 and data["notes"] == 2
    assert [(p["path"], p["line"], p["level"]) for p in data["problems"]] == [
        ("Journal/2026-11-20.md", 2, "warning"), ("list.md", 2, "error")]
    assert set(data["problems"][0]) == {"path", "line", "level", "message"}


def test_pre_commit_hook_runs_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "mdmastery-check")
    assert hook["language"] == "python"
    assert hook["entry"] == "mdmastery check"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True
    assert hook["name"]


# --- every case at once ----------------------------------------------------------

MEDITATE_DAYS = {"2026-11-16": "x", "2026-11-17": "x", "2026-11-18": "x",
                 "2026-11-19": " ", "2026-11-20": "x", "2026-11-21": "x"}
MOODS = {"2026-11-16": 4, "2026-11-17": 3, "2026-11-18": 5, "2026-11-19": 2,
         "2026-11-20": 4, "2026-11-21": 5}

# Every bad note with the one problem it must get: (line, level, words of the message).
EXPECTED: dict[str, tuple[int, str, str]] = {
    "Bad/latin1.md": (5, "error", "not valid UTF-8"),
    "Bad/utf16.md": (1, "error", "UTF-16, not UTF-8"),
    "Bad/image.md": (0, "warning", "not a text file"),
    "Bad/nul.md": (0, "warning", "not a text file"),
    "Bad/huge.md": (0, "warning", "over the 5 MB limit"),
    "Bad/open.md": (1, "warning", "no closing '---'"),
    "Bad/list.md": (2, "error", "must be a mapping"),
    "Bad/scalar.md": (2, "error", "must be a mapping"),
    "Bad/tabs.md": (4, "error", "tab"),
    "Bad/re-hi.md": (3, "error", "must be quoted"),
    "Bad/dup.md": (4, "error", "duplicate key 'title'"),
    "Bad/feb30.md": (2, "error", "invalid date '2026-02-30'"),
    "Bad/python.md": (3, "error", "refused"),
    "Bad/bomb.md": (2, "error", "too many values"),
    "Bad/nested.md": (2, "error", "front matter "),  # our guard's words or the library's
    "Bad/merge.md": (5, "error", "unresolved merge conflict at line 5"),
    "Bad/toml.md": (1, "warning", "TOML front matter"),
    "Bad/loop-a.md": (0, "warning", "symlink loop"),
    "Bad/loop-b.md": (0, "warning", "symlink loop"),
    "Bad/escape.md": (0, "warning", "leads out of the vault"),
    "outside": (0, "warning", "leads out of the vault"),
    "Bad/fifo.md": (0, "warning", "not a regular file"),
    "Bad/socket.md": (0, "warning", "not a regular file"),
    "Notes/idea.md": (0, "warning", "only by case"),
    **{f"Habits/{name}": (0, "warning", message) for name, message in SYNC_COPIES},
    "Journal/2026-11-19.sync-conflict-20261119-080000-ABCDEFG.md": (0, "warning", CONFLICT),
    "Journal/2026-11-15.md": (2, "warning", "mood must be a whole number"),
    "Journal/2026-11-22.md": (2, "warning", "mood 9 is outside the mood scale 1-5"),
    "Habits/Swim.md": (3, "error", "unknown schedule 'fortnightly'"),
    "Habits/Stretch.md": (1, "warning", "matches no goal note"),
    "Habits/Run.md": (1, "error", "also the key of Habits/Jog.md"),
    "Goals/Backwards.md": (4, "warning", "deadline is before start"),
    "Goals/Zero.md": (3, "warning", "target equals the baseline"),
    "Goals/Flat.md": (4, "warning", "target equals the baseline"),
}


def build_hostile_vault(root: Path, outside: Path) -> None:
    """One vault holding every case of the issue, next to a few good notes."""
    (root / ".mdmastery").mkdir(parents=True)
    # The good notes: one habit, a week of journal notes, two goals.
    put(root, "Habits/Meditate.md", "---\ntype: habit\nstarted: 2026-11-16\n---\n")
    for day, box in MEDITATE_DAYS.items():
        crlf = day == "2026-11-17"  # saved on Windows
        text = (f"---\nmood: {MOODS[day]}\n---\n# Habits\n- [{box}] Meditate\n"
                f"# Wins\n- win of {day}\n")
        data = text.replace("\n", "\r\n").encode() if crlf else text.encode()
        if day == "2026-11-18":
            data = b"\xef\xbb\xbf" + data  # and with a BOM
        put(root, f"Journal/{day}.md", data)
    put(root, "Journal/2026-11-22.md", "---\nmood: 9\n---\n- [x] Meditate\n")
    put(root, "Journal/2026-11-15.md", "---\nmood: grand\n---\n")
    put(root, "Goals/Read 12 books.md", "---\ntype: goal\nbaseline: 0\ntarget: 12\n"
        "current: 6\nstart: 2026-01-01\ndeadline: 2026-12-31\n---\n")
    put(root, "Goals/Marathon.md", b"\xef\xbb\xbf---\r\ntype: goal\r\nup: [[Sport]]\r\n"
        b"---\r\n# Milestones\r\n- [x] 10 km\r\n- [ ] 21 km\r\n")

    # Encoding and bytes.
    put(root, "Bad/latin1.md", "---\ntype: goal\n---\nok\n- [x] caf\xe9\n".encode("latin-1"))
    put(root, "Bad/utf16.md", "---\ntype: goal\n---\n".encode("utf-16"))
    put(root, "Bad/image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    put(root, "Bad/nul.md", b"---\ntype: goal\n---\n\x00")
    put(root, "Bad/empty.md", b"")
    with open(root / "Bad/huge.md", "wb") as file:
        file.write(b"---\ntype: goal\n---\n")
        file.truncate(6_000_000)
    # Front matter.
    put(root, "Bad/open.md", "---\ntype: goal\n- [x] a\n")
    put(root, "Bad/rule.md", "text\n\n---\ntype: goal\n---\n")
    put(root, "Bad/list.md", "---\n- type: goal\n---\n")
    put(root, "Bad/scalar.md", "---\ngoal\n---\n")
    put(root, "Bad/tabs.md", "---\ntype: goal\ntags:\n\t- a\n---\n")
    put(root, "Bad/re-hi.md", "---\ntype: goal\ntitle: Re: hi\n---\n")
    put(root, "Bad/dup.md", "---\ntype: goal\ntitle: a\ntitle: b\n---\n")
    put(root, "Bad/strings.md", "---\na: yes\nb: on\nzip: 012345\nv: 3.10\nt: 10:45\n---\n")
    put(root, "Bad/feb30.md", "---\ndate: 2026-02-30\ntype: journal\n---\n- [x] Meditate\n")
    put(root, "Bad/python.md", "---\ntype: goal\n"
        f"x: !!python/object/apply:os.system ['touch {outside}/executed']\n---\n")
    put(root, "Bad/bomb.md", f"---\n{BILLION_LAUGHS}type: goal\n---\n")
    put(root, "Bad/nested.md", "---\na: " + "[" * 10_000 + "]" * 10_000 + "\n---\n")
    put(root, "Bad/merge.md", "---\ntype: goal\n---\n- [x] one\n<<<<<<< HEAD\n- [x] two\n"
        "=======\n- [ ] two\n>>>>>>> theirs\n")
    put(root, "Bad/toml.md", "+++\ntype = 'goal'\n+++\n- [x] a\n")
    # The filesystem.
    os.symlink("..", root / "Journal/again")
    os.symlink("loop-b.md", root / "Bad/loop-a.md")
    os.symlink("loop-a.md", root / "Bad/loop-b.md")
    put(outside, "Goals/Secret.md", "---\ntype: goal\n---\n")
    os.symlink(outside, root / "outside")
    os.symlink(outside / "Goals/Secret.md", root / "Bad/escape.md")
    os.mkfifo(root / "Bad/fifo.md")
    put(root, "Bad/folder.md/inside.md", "an ordinary note\n")
    habit = "---\ntype: habit\nname: Meditate\n---\n"
    for name in (*SYNC_LEFTOVERS, *(name for name, _ in SYNC_COPIES)):
        put(root, f"Habits/{name}", habit)
    put(root, "Journal/2026-11-19.sync-conflict-20261119-080000-ABCDEFG.md",
        "---\ndate: 2026-11-19\nmood: 1\n---\n- [x] Meditate\n")
    put(root, "Notes/Idea.md", "one\n")
    put(root, "Notes/idea.md", "two\n")
    # Values.
    put(root, "Habits/Swim.md", "---\ntype: habit\nschedule: fortnightly\n---\n")
    put(root, "Habits/Stretch.md", "---\ntype: habit\ngoal: '[[Imaginary]]'\n---\n")
    put(root, "Habits/Run.md", "---\ntype: habit\n---\n")
    put(root, "Habits/Jog.md", "---\ntype: habit\nkey: run\n---\n")
    put(root, "Goals/Backwards.md", "---\ntype: goal\nstart: 2026-05-01\n"
        "deadline: 2026-01-01\n---\n")
    put(root, "Goals/Zero.md", "---\ntype: goal\ntarget: 0\n---\n")
    put(root, "Goals/Flat.md", "---\ntype: goal\nbaseline: 7\ntarget: 7\n---\n")


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "hostile"
    outside = tmp_path / "outside"
    build_hostile_vault(root, outside)
    cwd = os.getcwd()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.chdir(root / "Bad")
        server.bind("socket.md")
    finally:
        os.chdir(cwd)
    yield root
    server.close()
    assert not (outside / "executed").exists()


def _strength(done: list[bool]) -> float:
    keep = 0.5 ** (1 / 13)
    score = 0.0
    for value in done:
        score = score * keep + (1 - keep) * value
    return round(score, 3)


@pytest.mark.timeout(30)
def test_hostile_vault_reports_every_bad_note_once(hostile: Path) -> None:
    before = tree_hashes(hostile)
    result = check(hostile)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    found = [Problem(**p) for p in check_json(hostile)["problems"]]
    assert [str(p) for p in found] == lines[:-1]
    assert len(found) == len(set(found))
    by_path: dict[str, list[Problem]] = {}
    for problem in found:
        by_path.setdefault(problem.path, []).append(problem)
    assert sorted(by_path) == sorted(EXPECTED), sorted(by_path)
    for path, (line, level, words) in EXPECTED.items():
        assert len(by_path[path]) == 1, by_path[path]
        problem = by_path[path][0]
        assert (problem.line, problem.level) == (line, level), problem
        assert words in problem.message, problem
    errors = sum(1 for p in found if p.level == "error")
    assert lines[-1] == (f"{errors} errors, {len(found) - errors} warnings in "
                         f"{check_json(hostile)['notes']} notes")
    assert tree_hashes(hostile) == before
    documented = documented_messages()
    for problem in found:
        assert any(pattern.fullmatch(problem.message) for pattern in documented), problem


def documented_messages() -> list[re.Pattern[str]]:
    """The messages docs/problems.md explains, as patterns (`<...>` is any text)."""
    text = (ROOT / "docs/problems.md").read_text(encoding="utf-8")
    text = text.split("## Messages of the commands")[0]
    patterns = []
    for row in text.splitlines():
        if not row.startswith("| `"):
            continue
        first_cell = row[2:].split(" | ")[0]
        for match in re.finditer(r"``\s(.+?)\s``|`([^`]+)`", first_cell):
            message = match.group(1) or match.group(2)
            pieces = re.split(r"<[^<>]+>", message)
            patterns.append(re.compile(".+?".join(re.escape(piece) for piece in pieces)))
    assert len(patterns) > 40
    return patterns


@pytest.mark.timeout(30)
def test_hostile_vault_gives_a_correct_review_of_its_good_notes(hostile: Path) -> None:
    before = tree_hashes(hostile)
    result = run("review", "--vault", str(hostile), "--json", "--date", "2026-11-20")
    assert result.exit_code == 0, (result.output, result.exception)
    assert tree_hashes(hostile) == before
    data = json.loads(result.stdout)
    # Problems go to stderr too, one line each.
    assert len(result.stderr.splitlines()) == len(data["problems"]) == len(EXPECTED)

    habits = {h["name"]: h for h in data["habits"]}
    assert sorted(habits) == ["Jog", "Meditate", "Run", "Stretch", "Swim"]
    meditate = habits["Meditate"]
    assert meditate["days"] == {
        "2026-11-16": "done", "2026-11-17": "done", "2026-11-18": "done",
        "2026-11-19": "missed", "2026-11-20": "done", "2026-11-21": "done",
        "2026-11-22": "done"}
    assert (meditate["due"], meditate["done"], meditate["skipped"]) == (7, 6, 0)
    assert meditate["rate"] == round(6 / 7, 3)
    assert (meditate["current_streak"], meditate["longest_streak"]) == (3, 3)
    assert meditate["strength"] == _strength([True, True, True, False, True, True, True])

    goals = {g["title"]: g for g in data["goals"]}
    assert sorted(goals) == ["Backwards", "Flat", "Marathon", "Read 12 books", "Zero"]
    assert goals["Read 12 books"]["progress"] == 0.5
    assert goals["Marathon"]["progress"] == 0.5
    assert goals["Flat"]["progress"] is None and goals["Zero"]["progress"] is None

    journal = data["journal"]
    assert journal["entries"] == 7  # 16..22; the mood of the 22nd is ignored
    assert math.isclose(journal["mood_avg"], sum(MOODS.values()) / 6, abs_tol=0.001)
    wins = sorted(w if isinstance(w, str) else w["text"] for w in journal["wins"])
    assert wins == [f"win of {day}" for day in sorted(MEDITATE_DAYS)]


@pytest.mark.timeout(30)
def test_hostile_vault_review_writes_only_the_review(hostile: Path) -> None:
    before = tree_hashes(hostile)
    result = run("review", "--vault", str(hostile), "--date", "2026-11-20")
    assert result.exit_code == 0, (result.output, result.exception)
    after = tree_hashes(hostile)
    added = sorted(set(after) - set(before))
    assert added == ["Reviews/2026-W47.md"]
    assert {k: v for k, v in after.items() if k in before} == before
    assert check(hostile).exit_code == 1


def test_every_problem_of_the_model_comes_from_a_problem_not_an_exception() -> None:
    # The reader's contract, directly: hostile notes become Notes with problems.
    notes = [parse(data, f"n{index}.md") for index, data in enumerate([
        b"\xff\xfe\x00", b"---\n\t\n---\n", b"---\n!!set [1]\n---\n",
        b"---\na: !!timestamp yesterday\n---\n", b"---\na: !!bool maybe\n---\n",
        b"---\n!!map [1]\n---\n", b"---\na: !!int " + b"9" * 5000 + b"\n---\n",
    ])]
    model = build_model(notes, load_config(Path("/nonexistent")))
    assert all(isinstance(p, Problem) for p in model.problems)
    assert {p.path for p in model.problems} == {f"n{index}.md" for index in range(7)}


def test_every_other_message_is_documented(vault: Path, tmp_path: Path) -> None:
    """Messages the hostile vault does not raise are in docs/problems.md too."""
    put(vault, ".mdmastery/config.toml", "week_start = 'someday'\nmax_file_size = -1\n"
        "areas = 'health'\n[formats]\ndaily = 5\n")
    put(vault, "Habits/Odd.md", "---\ntype: habit\nstatus: sleeping\ndirection: sideways\n"
        "started: someday\ntarget: lots\nentries: [yesterday]\ngoal: '[[Nowhere]]'\n---\n")
    put(vault, "Journal/2026-11-20.md", "---\nhabits: [Flying]\nenergy: 7\n---\nodd:: maybe\n")
    put(vault, "Journal/2026-11-20 bis.md", "---\ntype: journal\ndate: 2026-11-20\n"
        "habits: 5\n---\n")
    put(vault, "Journal/2026-11-21.md", "---\nhabits: {Flying: true}\n---\n")
    put(vault, "Journal/undated.md", "---\ntype: journal\n---\n")
    for index in range(4):
        put(vault, f"Goals/Focus {index}.md", "---\ntype: goal\nfocus: true\nstatus: someday\n"
            "aggregate: max\nbaseline: none\nstart: 0200-01-01\n---\n"
            "- [x] a ✅ 2026-13-01\n- [ ] b [due:: later]\n")
    put(vault, "deep.md", "---\nx: 1\n---\n" + "> " * 5_000 + "x\n")
    os.symlink("nowhere.md", vault / "dangling.md")
    put(vault, ".Cloud.md.icloud", "stub")
    put(vault, "Weird.md", "---\na: !!int twelve\nb: !!set [1]\n---\n")
    put(vault, "Wide.md", "hi\n".encode("utf-32"))
    found = problems(vault)
    broken = put(tmp_path / "other", ".mdmastery/config.toml", "ignore = [\n").parent.parent
    found += problems(broken)
    documented = documented_messages()
    undocumented = [str(p) for p in found
                    if not any(pattern.fullmatch(p.message) for pattern in documented)]
    assert undocumented == []
    assert len({p.message.split(" ")[0] for p in found}) > 15
