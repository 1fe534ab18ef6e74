"""The index of parsed notes: right after every kind of change, never trusted when broken.

Real temp vaults, real files, real SQLite and real processes (kill -9, two runs at
once). A spy on note_facts and assemble shows what a warm run skips.
"""

from __future__ import annotations

import contextlib
import fcntl as fcntl_module
import itertools
import json
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import run, snapshot, write

from mdmastery.config import load_config
from mdmastery.dates.periods import period_of
from mdmastery.errors import Problem
from mdmastery.load import folder as folder_module
from mdmastery.load import index as index_module
from mdmastery.load import loader as load_module
from mdmastery.load import parse as parse_module
from mdmastery.load import pickling as pickling_module
from mdmastery.load import workers as workers_module
from mdmastery.load.folder import INDEX_NAME, index_path
from mdmastery.load.index import Index
from mdmastery.load.loader import load_vault
from mdmastery.model.facts import NoteFacts
from mdmastery.model.values import Habit
from mdmastery.reading.files import list_notes
from mdmastery.review.build import build_review

ROOT = Path(__file__).resolve().parent.parent.parent
GENERATOR = ROOT / "benchmarks" / "generate_vault.py"
DAY = "2026-11-20"


def review_json(vault: Path, *extra: str) -> tuple[dict[str, Any], str]:
    result = run("review", "--vault", str(vault), "--date", DAY, "--json", *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    data: dict[str, Any] = json.loads(result.stdout)
    return data, result.stderr


def index_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("mdmastery: index")]


class Spy:
    """Count the calls of a function of the loader (or of another module of mdmastery.load)
    while passing them through."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str,
                 module: Any = load_module) -> None:
        self.calls: list[Any] = []
        original = getattr(module, name)

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(args[0])
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)


def settle(vault: Path) -> None:
    """Age every note's mtime by an hour, so the index trusts the stat alone."""
    old = time.time_ns() - 3600 * 10**9
    for path in vault.rglob("*.md"):
        os.utime(path, ns=(old, old))


@pytest.fixture
def uncached(sample_copy: Path) -> dict[str, Any]:
    data, _ = review_json(sample_copy, "--no-cache")
    return data


def test_cold_and_warm_runs_give_the_uncached_review(sample_copy: Path,
                                                     uncached: dict[str, Any]) -> None:
    cold, cold_err = review_json(sample_copy)
    assert index_path(sample_copy).is_file()
    warm, warm_err = review_json(sample_copy)
    assert cold == warm == uncached
    assert cold_err == warm_err  # the same problems, the same order, no index notices


def test_a_load_for_a_quick_exit_keeps_the_facts_it_is_done_with(sample_copy: Path) -> None:
    # cli.run's process ends with os._exit: what the load drops is kept, not freed.
    kept: list[Any] = []
    loaded = load_vault(sample_copy, kept=kept)
    assert loaded.model == load_vault(sample_copy, use_cache=False).model
    [(parsed, _, known)] = kept
    notes = {p.relative_to(sample_copy).as_posix() for p in sample_copy.rglob("*.md")
             if ".mdmastery" not in p.parts}
    assert set(parsed) <= notes and len(parsed) > 50
    assert [one.path for one in known] == sorted(parsed)


def _page_and_log(root: Path) -> tuple[int, int]:
    """The index's page size and the log length (pages) at which it is checkpointed."""
    index = Index.open(root)
    assert index is not None
    try:
        page = index.connection.execute("PRAGMA page_size").fetchone()[0]
        log = index.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    finally:
        index.close()
    return page, log


def test_a_new_index_has_large_pages_and_an_old_one_keeps_its_own(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build writes 64 KiB pages (a sixteenth of the write calls); the log is
    copied into the index every 4 MiB whatever the page size. An index made with
    SQLite's default pages is used as it is, not rebuilt."""
    cold = load_vault(sample_copy)
    assert _page_and_log(sample_copy) == (index_module.PAGE_SIZE,
                                          (4 << 20) // index_module.PAGE_SIZE)
    folder_module.remove_index_files(folder_module.cache_folder(sample_copy))
    monkeypatch.setattr(index_module, "PAGE_SIZE", 4096)
    load_vault(sample_copy)
    monkeypatch.undo()
    assert _page_and_log(sample_copy) == (4096, 1024)
    parsed = Spy(monkeypatch, "parse_facts", parse_module)
    assert load_vault(sample_copy).model == cold.model
    assert parsed.calls == []  # the index was kept: nothing parsed again


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_run_lists_without_stats_and_keeps_those_of_the_files_read(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 10)
    settle(sample_copy)
    listings: list[bool] = []
    real = load_module.list_notes

    def spy(*args: Any, stats: bool = True, **kwargs: Any) -> Any:
        listings.append(stats)
        return real(*args, stats=stats, **kwargs)

    monkeypatch.setattr(load_module, "list_notes", spy)
    cold = load_vault(sample_copy, jobs=jobs)
    read = Spy(monkeypatch, "read_bytes")  # (a note whose stat is not as indexed is read)
    parsed = Spy(monkeypatch, "parse_facts", parse_module)
    warm = load_vault(sample_copy, jobs=jobs)
    assert listings == [False, True]
    assert read.calls == [] and parsed.calls == []
    assert cold.model == warm.model == load_vault(sample_copy, use_cache=False).model
    index = Index.open(sample_copy)
    assert index is not None
    try:
        stored = {path: (r.size, r.mtime_ns) for path, r in index.records().items()}
    finally:
        index.close()
    files = real(sample_copy, load_config(sample_copy).ignore)[0]
    assert stored == {f.path: (f.size, f.mtime_ns) for f in files}
    assert all(size > 0 and mtime > 0 for size, mtime in stored.values())


def test_warm_run_parses_nothing_and_reuses_the_model(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(sample_copy)
    load_vault(sample_copy)
    parsed = Spy(monkeypatch, "parse_facts", parse_module)
    built = Spy(monkeypatch, "assemble")
    warm = load_vault(sample_copy)
    assert parsed.calls == [] and built.calls == []
    assert warm.model == load_vault(sample_copy, use_cache=False).model


def test_only_the_changed_note_is_parsed_again(sample_copy: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    settle(sample_copy)
    load_vault(sample_copy)
    note = sample_copy / "Journal" / "2026-11-20.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n- [x] Meditate\n", encoding="utf-8")
    parsed = Spy(monkeypatch, "parse_facts", parse_module)
    changed = load_vault(sample_copy)
    assert parsed.calls == ["Journal/2026-11-20.md"]
    assert changed.model == load_vault(sample_copy, use_cache=False).model


def test_a_touched_note_with_the_same_bytes_is_not_parsed(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(sample_copy)
    load_vault(sample_copy)
    os.utime(sample_copy / "Vision.md")  # a new mtime, the same bytes
    parsed = Spy(monkeypatch, "parse_facts", parse_module)
    built = Spy(monkeypatch, "assemble")
    load_vault(sample_copy)
    assert parsed.calls == [] and built.calls == []


def test_same_size_edit_within_the_mtime_granularity_is_caught(vault: Path) -> None:
    note = write(vault, "Journal/2026-11-20.md", "---\nmood: 2\n---\n- [x] Meditate\n")
    stat = note.stat()
    first = load_vault(vault)
    # The same size and the same mtime_ns, as after two edits within one timestamp tick.
    note.write_text("---\nmood: 4\n---\n- [x] Meditate\n", encoding="utf-8")
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert note.stat().st_size == stat.st_size
    second = load_vault(vault)
    assert first.model != second.model
    assert second.model == load_vault(vault, use_cache=False).model


def test_added_and_removed_notes_are_seen(sample_copy: Path,
                                          uncached: dict[str, Any]) -> None:
    review_json(sample_copy)
    extra = write(sample_copy, "Habits/Stretch.md", "---\ntype: habit\n---\n")
    with_extra, _ = review_json(sample_copy)
    assert "Stretch" in {habit["name"] for habit in with_extra["habits"]}
    extra.unlink()
    without, _ = review_json(sample_copy)
    assert without == uncached
    with sqlite3.connect(index_path(sample_copy)) as connection:
        paths = {row[0] for row in connection.execute("SELECT path FROM notes")}
    assert "Habits/Stretch.md" not in paths
    assert "Vision.md" in paths


def test_problems_come_back_from_the_index_exactly(vault: Path) -> None:
    write(vault, "Journal/2026-11-18.md", "---\nmood: [oops\n---\nenergy:: 9\n")
    write(vault, "Journal/2026-11-19.md", "---\nmood: 7\n---\n- [x] Run\n")
    (vault / "Bad.md").write_bytes(b"---\ntitle: x\n---\n\xff\n")
    settle(vault)
    cold, cold_err = review_json(vault)
    warm, warm_err = review_json(vault)
    uncached, uncached_err = review_json(vault, "--no-cache")
    assert cold["problems"] == warm["problems"] == uncached["problems"]
    assert len(cold["problems"]) >= 3
    assert cold_err == warm_err == uncached_err


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "old version",
                                    "other tables", "bad rows"])
def test_a_damaged_index_is_rebuilt_with_one_message(sample_copy: Path, damage: str,
                                                     uncached: dict[str, Any]) -> None:
    review_json(sample_copy)
    path = index_path(sample_copy)
    if damage == "garbage":
        path.write_bytes(os.urandom(50_000))
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 3])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        with sqlite3.connect(path) as connection:
            if damage == "old version":
                connection.execute("UPDATE meta SET value = 'older' WHERE key = 'code'")
            elif damage == "other tables":
                connection.execute("DROP TABLE models")
            else:
                connection.execute("UPDATE notes SET facts = X'80054B01', has_facts = 1")  # 1
                connection.execute("DELETE FROM models")
        connection.close()
    data, stderr = review_json(sample_copy)
    assert data == uncached
    messages = index_messages(stderr)
    if damage == "empty":
        assert messages == []  # an empty file is a new, empty database
    else:
        assert len(messages) == 1, stderr
    again, stderr = review_json(sample_copy)
    assert again == uncached and index_messages(stderr) == []


def test_a_planted_pickle_runs_no_code(sample_copy: Path, uncached: dict[str, Any],
                                       tmp_path: Path) -> None:
    review_json(sample_copy)
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    with sqlite3.connect(index_path(sample_copy)) as connection:
        connection.execute("UPDATE notes SET facts = ?, has_facts = 1",
                           (pickle.dumps(Payload()),))
        connection.execute("UPDATE models SET value = ?", (pickle.dumps(Payload()),))
    connection.close()
    data, stderr = review_json(sample_copy)
    assert data == uncached
    assert not marker.exists()
    assert len(index_messages(stderr)) >= 1


def test_a_locked_index_is_bypassed(sample_copy: Path, uncached: dict[str, Any],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    review_json(sample_copy)
    monkeypatch.setattr(index_module, "BUSY_TIMEOUT_S", 0.05)
    write(sample_copy, "Habits/Stretch.md", "---\ntype: habit\n---\n")
    holder = sqlite3.connect(index_path(sample_copy), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        data, stderr = review_json(sample_copy)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "Stretch" in {habit["name"] for habit in data["habits"]}
    messages = index_messages(stderr)
    assert len(messages) == 1 and "busy" in messages[0]
    again, stderr = review_json(sample_copy)
    assert again == data and index_messages(stderr) == []


def test_no_cache_writes_nothing_and_cache_clear_removes_it(vault: Path) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    review_json(vault, "--no-cache")
    assert not (vault / ".mdmastery" / "cache").exists()
    review_json(vault)
    assert index_path(vault).is_file()
    result = run("cache", "clear", "--vault", str(vault))
    assert result.exit_code == 0 and "removed" in result.output
    assert not (vault / ".mdmastery" / "cache").exists()
    assert (vault / ".mdmastery").is_dir()


def test_the_index_touches_only_its_folder(sample_copy: Path, tmp_path: Path) -> None:
    before = snapshot(sample_copy)
    review_json(sample_copy)
    review_json(sample_copy)
    assert snapshot(sample_copy) == before
    # A vault without .mdmastery/ gets .mdmastery/cache/ and nothing else.
    bare = tmp_path / "bare"
    write(bare, "Habits/Run.md", "---\ntype: habit\n---\n")
    review_json(bare)
    created = sorted(p.relative_to(bare).as_posix() for p in bare.rglob("*"))
    assert [p for p in created if not p.startswith(".mdmastery/cache/")] == \
        [".mdmastery", ".mdmastery/cache", "Habits", "Habits/Run.md"]
    assert (bare / ".mdmastery" / "cache" / ".gitignore").read_text() == "*\n"


def test_a_cache_folder_linking_out_of_the_vault_is_not_used(vault: Path,
                                                             tmp_path: Path) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault / ".mdmastery" / "cache").symlink_to(outside, target_is_directory=True)
    data, stderr = review_json(vault)
    assert [habit["name"] for habit in data["habits"]] == ["Run"]
    assert list(outside.iterdir()) == []
    assert len(index_messages(stderr)) == 0
    assert "not using the index" in stderr


def test_worker_processes_parse_like_one(sample_copy: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(load_module, "PROGRESS_MIN", 2)
    ticks: list[tuple[int, int]] = []
    parallel = load_vault(sample_copy, jobs=2, progress=lambda *tick: ticks.append(tick))
    assert ticks[-1][0] == ticks[-1][1] > 2
    serial = load_vault(sample_copy, use_cache=False, jobs=1)
    assert parallel.model == serial.model
    uncached_parallel = load_vault(sample_copy, use_cache=False, jobs=2)
    assert uncached_parallel.model == serial.model
    with sqlite3.connect(index_path(sample_copy)) as connection:
        rows = connection.execute("SELECT count(*) FROM notes").fetchone()[0]
    connection.close()
    assert rows == len(list_notes(sample_copy, load_config(sample_copy).ignore)[0])


def test_this_process_and_the_workers_share_the_notes(sample_copy: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Parent and workers each take chunks; every note is parsed exactly once."""
    monkeypatch.setattr(workers_module, "CHUNK_MIN", 4)
    files = list_notes(sample_copy, load_config(sample_copy).ignore)[0]
    config = load_config(sample_copy)
    parent = os.getpid()
    here: list[str] = []
    real = parse_module.parse_files

    def slow_in_workers(root: Path, chunk: Any, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() == parent:
            here.extend(file.path for file in chunk)
            time.sleep(0.02)  # leave the workers time to start and take some
        else:
            time.sleep(0.05)
        return real(root, chunk, *args, **kwargs)

    monkeypatch.setattr(parse_module, "parse_files", slow_in_workers)
    for jobs in (2, 3):
        here.clear()
        parsed = [path for batch in workers_module.parse_in_workers(
            lambda chunk, blobs: parse_module.parse_files(sample_copy, chunk, config, blobs),
            files, jobs, True) for path, _, _ in batch]
        assert sorted(parsed) == [file.path for file in files]
        assert 0 < len(here) < len(files)


def test_when_no_worker_can_start_this_process_parses_alone(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    serial = load_vault(sample_copy, use_cache=False, jobs=1)

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert load_vault(sample_copy, jobs=4).model == serial.model


def test_where_no_process_can_be_forked_this_one_parses_alone(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no fork: the notes are parsed in this process, whatever --jobs says."""
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    serial = load_vault(sample_copy, use_cache=False, jobs=1)
    monkeypatch.delattr(os, "fork")
    parsed_in = Spy(monkeypatch, "parse_files", parse_module)
    assert load_vault(sample_copy, jobs=4).model == serial.model
    assert len(parsed_in.calls) == 1  # all of them at once, here


# Runs a cold load whose parse is slowed, writes the workers' process ids to a file, and
# kills its own process (SIGKILL) once a worker's first chunk has arrived.
_ORPHANING = """
import os, signal, sys, time
from pathlib import Path
from mdmastery.load import loader as load, parse, workers
load.PARALLEL_MIN, workers.CHUNK_MIN = 2, 1
real_parse, real_fork = parse.parse_files, os.fork

def slow(*args, **kwargs):
    time.sleep(0.4)
    return real_parse(*args, **kwargs)

def fork():
    pid = real_fork()
    if pid:
        with open(sys.argv[2], "a") as pids:
            pids.write(f"{pid}\\n")
    return pid

def received(sent):
    os.kill(os.getpid(), signal.SIGKILL)

parse.parse_files, os.fork, workers._received = slow, fork, received
load.load_vault(Path(sys.argv[1]), jobs=3)
"""


def _running(pid: int) -> bool:
    """Tell whether a process runs (a zombie, left for a parent that does not reap it,
    has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_workers_stop_soon_when_this_process_is_killed(sample_copy: Path,
                                                       tmp_path: Path) -> None:
    """A worker whose parent is gone (kill -9) stops after its chunk in hand, instead of
    parsing every chunk left for nobody: ~70 chunks at 0.4 s would take 10 s and more."""
    pids_file = tmp_path / "pids"
    errors = tmp_path / "stderr"
    with errors.open("w") as stderr:  # (not a pipe: the workers would hold it open)
        parent = subprocess.run([sys.executable, "-c", _ORPHANING, str(sample_copy),
                                 str(pids_file)], stdout=subprocess.DEVNULL, stderr=stderr,
                                timeout=120)
    assert parent.returncode == -signal.SIGKILL, errors.read_text()
    pids = [int(line) for line in pids_file.read_text().split()]
    assert len(pids) == 2
    waited = 0.0
    while any(_running(pid) for pid in pids) and waited < 4:
        time.sleep(0.1)
        waited += 0.1
    assert not any(_running(pid) for pid in pids)
    assert "Traceback" not in errors.read_text()  # (a worker's failed send is expected)


def test_a_worker_that_dies_in_the_middle_of_sending_does_not_hang_the_run(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(workers_module, "CHUNK_MIN", 4)
    serial = load_vault(sample_copy, use_cache=False, jobs=1)

    def half_sent(fd: int, value: Any) -> None:  # (the parent only receives)
        # The length of a 100,000-byte message, 10 bytes of it, and the end.
        os.write(fd, (100_000).to_bytes(8, "little") + b"x" * 10)
        os._exit(9)

    monkeypatch.setattr(workers_module, "_write_message", half_sent)
    signal.alarm(60)  # a hang fails the test instead of stopping the suite
    try:
        parallel = load_vault(sample_copy, jobs=3)
    finally:
        signal.alarm(0)
    assert parallel.model == serial.model


@pytest.mark.parametrize(("total", "jobs"), [(1, 2), (17, 2), (600, 2), (10_000, 2),
                                             (10_000, 8), (100_003, 3)])
def test_chunks_cover_every_note_once_and_shrink_towards_the_end(total: int,
                                                                 jobs: int) -> None:
    chunks = workers_module._chunks(total, jobs)
    assert chunks[0][0] == 0 and chunks[-1][1] == total
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(chunks))
    sizes = [end - start for start, end in chunks]
    assert all(0 < size <= workers_module.CHUNK_MAX for size in sizes)
    assert all(size >= workers_module.CHUNK_MIN for size in sizes[:-1])
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)
    if total >= 10_000:
        assert sizes[0] == workers_module.CHUNK_MAX
        assert sizes[-2] == workers_module.CHUNK_MIN  # the end is cut fine


@pytest.mark.parametrize("total", [100_000, 400_000, 1_000_000, 5_000_003])
def test_chunks_of_a_huge_vault_fit_the_pipe_of_chunk_numbers(total: int) -> None:
    """Every chunk number is written to a pipe before the workers start: past 100,000
    notes the chunks grow, so the numbers still fit in a pipe of one page (4 KiB)."""
    for jobs in (2, 16):
        chunks = workers_module._chunks(total, jobs)
        assert len(chunks) <= workers_module._MAX_CHUNKS
        assert chunks[0][0] == 0 and chunks[-1][1] == total
        assert all(end == start for (_, end), (start, _) in itertools.pairwise(chunks))


@pytest.mark.skipif(not hasattr(fcntl_module, "F_SETPIPE_SZ"), reason="Linux pipes only")
def test_a_pipe_too_small_for_the_chunk_numbers_leaves_the_parse_to_this_process(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe of one page (what a user with many pipes open gets) and more numbers than
    it holds: the numbers are not waited on forever; this process parses alone."""
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    serial = load_vault(sample_copy, use_cache=False, jobs=1)
    real_pipe = os.pipe

    def small_pipe() -> tuple[int, int]:
        read, write = real_pipe()
        fcntl_module.fcntl(write, fcntl_module.F_SETPIPE_SZ, 4096)
        return read, write

    monkeypatch.setattr(os, "pipe", small_pipe)
    monkeypatch.setattr(workers_module, "_chunks",
                        lambda total, jobs: [(0, total)] * 1100)  # 4,400 bytes of numbers
    forked = Spy(monkeypatch, "parse_files", parse_module)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    signal.alarm(60)  # a hang fails the test instead of stopping the suite
    try:
        assert load_vault(sample_copy, jobs=2).model == serial.model
    finally:
        signal.alarm(0)
    assert len(forked.calls) == 1


def test_workers_are_heard_on_descriptors_past_1023(sample_copy: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A long watch may hold many files open: the workers' pipes then get descriptors
    select() cannot take. They are waited on with poll()."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("cannot open 1,100 files here")
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(workers_module, "CHUNK_MIN", 4)
    serial = load_vault(sample_copy, use_cache=False, jobs=1)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert held[-1] > 1023  # (the pipes opened next come after these)
        assert load_vault(sample_copy, use_cache=False, jobs=3).model == serial.model
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.parametrize("after", [0, 1])
def test_a_worker_that_dies_leaves_its_notes_to_this_process(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    monkeypatch.setattr(load_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(workers_module, "CHUNK_MIN", 4)
    serial = load_vault(sample_copy, use_cache=False, jobs=1)
    real = workers_module._sendable
    sent: list[int] = []

    def dying(parsed: Any) -> Any:
        # Runs in a worker only: die before sending anything, or after one chunk.
        if len(sent) >= after:
            os._exit(3)
        sent.append(1)
        return real(parsed)

    monkeypatch.setattr(workers_module, "_sendable", dying)
    parallel = load_vault(sample_copy, jobs=2)
    assert parallel.model == serial.model
    with sqlite3.connect(index_path(sample_copy)) as connection:
        rows = connection.execute("SELECT count(*) FROM notes").fetchone()[0]
    connection.close()
    assert rows == len(list_notes(sample_copy, load_config(sample_copy).ignore)[0])


def _generated(tmp_path: Path, notes: int) -> Path:
    if not GENERATOR.exists():
        pytest.skip("benchmarks/generate_vault.py is missing")
    root = tmp_path / f"v{notes}"
    subprocess.run([sys.executable, str(GENERATOR), str(root), "--notes", str(notes)],
                   check=True, capture_output=True)
    return root


def _cli(vault: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mdmastery", "review", "--json", "--vault", str(vault),
         "--date", DAY, *extra],
        capture_output=True, text=True, env={**os.environ, "MDMASTERY_TODAY": "2026-11-22"},
        check=False)


def _sizes(paths: Iterable[Path]) -> list[int]:
    """The sizes of the files that still exist: SQLite's journal comes and goes as we look."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except FileNotFoundError:
            continue
    return sizes


def test_kill_9_during_a_cold_build_then_a_normal_run(tmp_path: Path) -> None:
    vault = _generated(tmp_path, 1500)
    expected = _cli(vault, "--no-cache")
    assert expected.returncode == 0, expected.stderr
    cache = vault / ".mdmastery" / "cache"
    # Kill at different moments of a cold build: right after the index file appears,
    # after its tables, in the middle of writing the notes.
    for wait_for_bytes in (0, 4096, 1 << 20):
        shutil.rmtree(cache, ignore_errors=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "mdmastery", "review", "--json", "--vault", str(vault),
             "--date", DAY, "--jobs", "1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "MDMASTERY_TODAY": "2026-11-22"})
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            sizes = _sizes(cache.glob(f"{INDEX_NAME}*"))
            if sizes and sum(sizes) >= wait_for_bytes:
                break
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = _cli(vault)
        assert after.returncode == 0, after.stderr
        assert json.loads(after.stdout) == json.loads(expected.stdout)
        assert after.stderr == expected.stderr


def _processes_naming(text: str) -> list[int]:
    """The processes whose command line holds text (the parent and its forked workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_ctrl_c_during_a_parallel_cold_build_stops_every_process(tmp_path: Path) -> None:
    vault = _generated(tmp_path, 4000)  # over PARALLEL_MIN: worker processes parse
    expected = _cli(vault, "--no-cache")
    process = subprocess.Popen(
        [sys.executable, "-m", "mdmastery", "review", "--json", "--vault", str(vault),
         "--date", DAY, "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "MDMASTERY_TODAY": "2026-11-22"}, start_new_session=True)
    deadline = time.monotonic() + 60
    # Interrupt while the workers parse, as a terminal's Ctrl-C does: the whole group.
    while process.poll() is None and time.monotonic() < deadline:
        if len(_processes_naming(str(vault))) > 1:
            time.sleep(0.03)  # into the parse
            break
        time.sleep(0.001)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    # Stopped by Click with a word on stderr (1); or the run was ending (0, or killed by
    # the signal while Python shut down).
    assert process.returncode in (0, 1, -signal.SIGINT), err
    if process.returncode == 1:
        assert err.strip(), "interrupted without a word"
    assert "Traceback" not in err  # the parent stops the workers, which ignore Ctrl-C
    deadline = time.monotonic() + 10
    while _processes_naming(str(vault)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_naming(str(vault)) == []
    after = _cli(vault)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(expected.stdout)


def test_two_runs_at_once_do_not_corrupt_it(tmp_path: Path) -> None:
    vault = _generated(tmp_path, 1200)
    expected = _cli(vault, "--no-cache")
    command = [sys.executable, "-m", "mdmastery", "review", "--json", "--vault", str(vault),
               "--date", DAY]
    env = {**os.environ, "MDMASTERY_TODAY": "2026-11-22"}
    for _ in range(2):
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=env) for _ in range(3)]
        for process in runs:
            out, _err = process.communicate(timeout=120)
            assert process.returncode == 0
            assert json.loads(out) == json.loads(expected.stdout)
        # Touch some notes so the next round writes again.
        for path in sorted(vault.rglob("*.md"))[::50]:
            path.write_bytes(path.read_bytes() + b"\n")
        expected = _cli(vault, "--no-cache")
    with sqlite3.connect(index_path(vault)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    final = _cli(vault)
    assert json.loads(final.stdout) == json.loads(expected.stdout)
    assert final.stderr == expected.stderr


def test_index_open_reports_why_it_is_not_used(vault: Path) -> None:
    (vault / ".mdmastery" / "cache").write_text("not a folder")
    messages: list[str] = []
    assert Index.open(vault, messages.append) is None
    assert len(messages) == 1 and ".mdmastery/cache" in messages[0]


def test_a_mdmastery_folder_linking_out_of_the_vault_gets_nothing(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault / ".mdmastery").symlink_to(outside, target_is_directory=True)
    data, stderr = review_json(vault)
    assert [habit["name"] for habit in data["habits"]] == ["Run"]
    assert list(outside.iterdir()) == []
    assert "not using the index" in stderr


def test_new_settings_give_new_facts(vault: Path) -> None:
    """Facts depend on the settings (areas, daily-note formats): a change re-reads them."""
    write(vault, ".mdmastery/config.toml", 'areas = ["health"]\n')
    write(vault, "Goals/Run.md", "---\ntype: goal\narea: helth\n---\n")
    write(vault, "Journal/20.11.2026.md", "- [x] Run\n")
    settle(vault)
    before, _ = review_json(vault)
    assert any("'helth' is not a configured area" in p["message"] for p in before["problems"])
    assert before["journal"]["entries"] == 0  # 20.11.2026 is no daily-note name yet
    write(vault, ".mdmastery/config.toml",
          'areas = ["health", "helth"]\n[formats]\ndaily = "DD.MM.YYYY"\n')
    after, _ = review_json(vault)
    assert after == review_json(vault, "--no-cache")[0]
    assert not any("configured area" in p["message"] for p in after["problems"])
    assert after["journal"]["entries"] == 1


def test_notes_giving_the_model_nothing_are_never_loaded(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    write(vault, "Journal/2026-11-20.md", "- [x] Run\n")
    write(vault, "Notes/Idea.md", "# An idea\n\nplain text\n")
    settle(vault)
    load_vault(vault)
    with sqlite3.connect(index_path(vault)) as connection:
        rows = dict(connection.execute("SELECT path, has_facts FROM notes").fetchall())
    connection.close()
    assert rows == {"Habits/Run.md": 1, "Journal/2026-11-20.md": 1, "Notes/Idea.md": 0}
    loaded: list[str] = []
    real = pickling_module.loads_many

    def loads_many(blobs: Any) -> Any:
        values = real(blobs)
        loaded.extend(getattr(value, "path", "model") for value in values)
        return values

    monkeypatch.setattr(index_module, "loads_many", loads_many)
    write(vault, "Journal/2026-11-21.md", "- [x] Run\n")  # the stored model is updated
    model = load_vault(vault).model
    assert "Notes/Idea.md" not in loaded and "Journal/2026-11-20.md" not in loaded
    assert model == load_vault(vault, use_cache=False).model
    loaded.clear()
    write(vault, "Habits/Run.md", "---\ntype: habit\nschedule: weekdays\n---\n")
    model = load_vault(vault).model  # a habit changed: assembled from every note's facts
    # The habit's old facts (read to try an update), then every note with facts.
    assert set(loaded) == {"Habits/Run.md", "Journal/2026-11-20.md", "Journal/2026-11-21.md"}
    assert model == load_vault(vault, use_cache=False).model


def test_journal_edits_update_the_stored_model_without_assembling(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(sample_copy)
    load_vault(sample_copy)
    journal = sorted((sample_copy / "Journal").glob("2026-11-*.md"))
    journal[0].unlink()  # a day gone
    text = journal[1].read_text(encoding="utf-8")
    journal[1].write_text(text.replace("- [x]", "- [ ]"), encoding="utf-8")  # marks change
    write(sample_copy, "Journal/extra.md",
          "---\ntype: journal\ndate: 2026-11-20\nmood: 1\n---\n- [x] Run\n")
    built = Spy(monkeypatch, "assemble")
    updated = load_vault(sample_copy).model
    assert built.calls == []
    assert updated == load_vault(sample_copy, use_cache=False).model
    assert any("2 journal notes for 2026-11-20" in p.message for p in updated.problems)


def journal_year(value: Any) -> int:
    """The year of a model part holding a journal year (its notes, model.DayNote), or 0."""
    if isinstance(value, tuple) and value and type(value[0]) is tuple and \
            len(value[0]) == 5 and isinstance(value[0][1], int):
        return date.fromordinal(value[0][1]).year
    return 0


def test_the_stored_model_is_written_again_only_in_the_years_that_changed(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    for year in (2019, 2020, 2021):
        write(vault, f"Journal/{year}-05-01.md", "mood:: 3\n\n## Wins\n\n- [x] Run\n- A win\n")
    settle(vault)
    load_vault(vault)
    pickled: list[Any] = []
    real = pickling_module.dumps

    def dumps(value: Any) -> bytes:
        pickled.append(value)
        return real(value)

    monkeypatch.setattr(index_module, "dumps", dumps)
    write(vault, "Journal/2020-05-01.md", "mood:: 4\n\n- [ ] Run\n")  # a year changed
    write(vault, "Journal/2022-01-01.md", "mood:: 5\n")  # a year added
    (vault / "Journal" / "2019-05-01.md").unlink()  # a year gone
    built = Spy(monkeypatch, "assemble")
    model = load_vault(vault).model
    assert built.calls == []
    def parts() -> list[str]:
        """Name the parts pickled since the last call."""
        names = ["habits" if isinstance(value, tuple) and value and
                 isinstance(value[0], Habit) else str(journal_year(value))
                 for value in pickled if journal_year(value) or
                 (isinstance(value, tuple) and value and isinstance(value[0], Habit))]
        pickled.clear()
        return names

    assert parts() == ["habits", "2020", "2022"]  # the 2020 check-off changed
    with sqlite3.connect(index_path(vault)) as connection:
        names = {name for (name,) in connection.execute("SELECT name FROM models")}
    connection.close()
    assert names == {"model", "habits", "journal:2020", "journal:2021", "journal:2022"}
    warm = load_vault(vault).model  # read back from the parts
    assert built.calls == [] and warm == model
    assert model == load_vault(vault, use_cache=False).model
    # A new win, the same check-offs: the habits are not stored again.
    write(vault, "Journal/2021-05-01.md", "mood:: 3\n\n## Wins\n\n- [x] Run\n- Two wins\n")
    pickled.clear()
    built.calls.clear()
    model = load_vault(vault).model
    assert parts() == ["2021"] and built.calls == []
    assert model == load_vault(vault, use_cache=False).model == load_vault(vault).model
    assert "Two wins" in [item.text for item in model.journal[1].wins]


def test_stored_facts_are_found_by_path_or_by_one_pass(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(6):
        write(vault, f"Journal/2021-05-0{n + 1}.md", f"mood:: {n % 5 + 1}\n")
    write(vault, "Plain.md", "No facts here.\n")
    load_vault(vault)
    index = Index.open(vault)
    assert index is not None
    try:
        wanted = {"Journal/2021-05-02.md", "Journal/2021-05-05.md", "Plain.md", "Gone.md"}
        by_path = index.facts(wanted)
        monkeypatch.setattr(index_module, "FEW_PATHS", 0)
        by_pass = index.facts(wanted)
    finally:
        index.close()
    assert sorted(by_path) == ["Journal/2021-05-02.md", "Journal/2021-05-05.md"]
    assert by_path == by_pass
    assert by_path["Journal/2021-05-05.md"][1].journal.mood == 5


def test_model_parts_of_another_run_are_not_mixed_in(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\n---\n")
    for year in (2020, 2021):
        write(vault, f"Journal/{year}-05-01.md", f"mood:: {year - 2018}\n- [x] Run\n")
    settle(vault)
    expected = load_vault(vault).model
    with sqlite3.connect(index_path(vault)) as connection:
        # As if another run had stored its 2020 part between this run's head and parts.
        connection.execute("UPDATE models SET value = (SELECT value FROM models WHERE "
                           "name = 'journal:2021') WHERE name = 'journal:2020'")
    connection.close()
    built = Spy(monkeypatch, "assemble")
    assert load_vault(vault).model == expected
    assert len(built.calls) == 1  # the stored model was refused, not trusted
    assert load_vault(vault).model == expected and len(built.calls) == 1  # stored whole again


def test_a_stored_journal_is_read_a_year_at_a_time_when_needed(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(vault, "Habits/Run.md", "---\ntype: habit\nstarted: 2019-01-01\n---\n")
    for n in range(30):  # a day every 40 days, 2019 to 2022
        day = date(2019, 3, 1) + timedelta(days=40 * n)
        box = "x" if n % 2 else " "
        write(vault, f"Journal/{day}.md",
              f"mood:: {n % 5 + 1}\n\n## Wins\n\n- Win {n}\n- [{box}] Run\n")
    settle(vault)
    config = load_config(vault)
    fresh = load_vault(vault, use_cache=False).model
    load_vault(vault)
    read: list[int] = []
    real = pickling_module.loads

    def loads(blob: bytes) -> Any:
        value = real(blob)
        if journal_year(value):
            read.append(journal_year(value))
        return value

    monkeypatch.setattr(index_module, "loads", loads)
    warm = load_vault(vault).model
    assert read == [] and len(warm.journal) == 30  # nothing read until asked for
    week = period_of("week", date(2021, 6, 2), config.week_start, config.formats)
    review = build_review(warm, config, week, date(2022, 12, 31))
    assert review == build_review(fresh, config, week, date(2022, 12, 31))
    assert review.context["correlations"], "every day's mood, known without its year read"
    assert read == [2021]
    assert warm == fresh  # the other years are read when compared, each once
    assert sorted(read) == [2019, 2020, 2021, 2022]


def test_a_dumper_pickles_each_value_as_dumps_does() -> None:
    # One pickler for many values (the parse's): nothing of one value reaches the next.
    day = date(2026, 11, 20)
    shared = Problem("Journal/a.md", 3, "warning", "mood must be a whole number")
    values = [NoteFacts("Journal/a.md", (shared,)), NoteFacts("Journal/b.md", (shared,)),
              (day, "text", [day, 1.5]), (day, "text", [day, 1.5])]
    dump = pickling_module.dumper()
    blobs = [dump(value) for value in values]
    assert blobs == [pickling_module.dumps(value) for value in values]
    assert [pickling_module.loads(blob) for blob in blobs] == values


# --- the traps of a move: what the index depends on, what it may read back -------------

def test_an_edit_in_any_module_of_any_subpackage_changes_the_code_fingerprint(
        tmp_path: Path) -> None:
    package = tmp_path / "mdmastery"
    shutil.copytree(index_module.PACKAGE, package,
                    ignore=shutil.ignore_patterns("__pycache__", "templates"))
    first = index_module.code_fingerprint(package)
    assert index_module.code_fingerprint(package) == first
    seen = {first}
    for module in ("model/checkoffs.py", "reading/scanner.py", "load/parse.py", "config.py"):
        with (package / module).open("a", encoding="utf-8") as source:
            source.write("# an edit\n")
        index_module.code_fingerprint.cache_clear()
        seen.add(index_module.code_fingerprint(package))
    assert len(seen) == 5  # each edit, wherever it is, is another version of the code
    index_module.code_fingerprint.cache_clear()


def test_every_class_a_note_or_a_model_holds_is_read_back_from_the_index(
        sample_copy: Path, tmp_path: Path) -> None:
    """The unpickler builds only the classes of the modules it allows: were a class of
    the facts or the model elsewhere, every run would throw the index away and parse the
    vault again, saying nothing."""
    for vault in (sample_copy, _generated(tmp_path, 300)):
        config = load_config(vault)
        files, _ = list_notes(vault, config.ignore)
        facts = [parsed for _, _, parsed in parse_module.parse_files(vault, files, config,
                                                                        False)
                 if parsed is not None and not parsed.empty]
        dump = pickling_module.dumper()
        assert [pickling_module.loads(dump(one)) for one in facts] == facts
        model = load_vault(vault).model
        assert pickling_module.loads(pickling_module.dumps(
            (model.habits, model.goals, model.vision, model.problems))) == \
            (model.habits, model.goals, model.vision, model.problems)


def test_a_warm_run_after_a_cold_one_parses_nothing(sample_copy: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cold = load_vault(sample_copy)
    settle(sample_copy)
    load_vault(sample_copy)  # (the notes' new stats taken)
    parsed = Spy(monkeypatch, "parse_facts", parse_module)
    assembled = Spy(monkeypatch, "assemble")
    warm = load_vault(sample_copy)
    assert parsed.calls == [] and assembled.calls == []  # the model came from the index
    assert warm.model == cold.model
