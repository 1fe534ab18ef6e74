"""`mdmastery watch`: a real observer on a real temp vault, driven in-process or as a process.

The waits are generous and only wait for events; nothing asserts how fast a rebuild is.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mdmastery.cli import cli
from mdmastery.report import Reporter
from mdmastery.watch.events import classify
from mdmastery.watch.run import WatchOptions
from mdmastery.watch.run import run as watch_run
from mdmastery.watch.watcher import Rebuild

pytestmark = pytest.mark.timeout(90)

TODAY = date(2026, 11, 18)  # a Wednesday of week 2026-W47 (Nov 16-22)
WEEK = "Reviews/2026-W47.md"
REVIEWS = (WEEK, "Reviews/2026-11.md", "Reviews/2026-Q4.md", "Reviews/2026.md")
WAIT = 15.0  # seconds: generous, for a loaded machine


def journal(day: str, *wins: str) -> str:
    lines = [f"---\ndate: {day}\nmood: 4\n---\n", "- [x] Meditate\n", "\n## Wins\n"]
    lines += [f"- {win}\n" for win in wins]
    return "".join(lines)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "Habits").mkdir(parents=True)
    (root / "Journal").mkdir()
    (root / ".obsidian").mkdir()
    (root / "Habits/Meditate.md").write_text("---\ntype: habit\nschedule: daily\n---\n")
    (root / "Journal/2026-11-17.md").write_text(journal("2026-11-17", "Cooked dinner"))
    (root / "Journal/2026-11-18.md").write_text(journal("2026-11-18", "Fixed the bike"))
    return root


class Watching:
    """run() on a thread, with its rebuilds collected as they happen."""

    def __init__(self, root: Path, today: Callable[[], date] = lambda: TODAY,
                 **options: Any) -> None:
        options.setdefault("debounce", 0.05)
        self.root = root
        self.stop = threading.Event()
        self.rebuilds: list[Rebuild] = []
        self.changed = threading.Condition()
        self.out = io.StringIO()
        self.err = io.StringIO()
        self.code: int | None = None
        self.thread = threading.Thread(
            target=self._run, args=(today, options), daemon=True)

    def _run(self, today: Callable[[], date], options: dict[str, Any]) -> None:
        self.code = watch_run(self.root, self.stop, today, WatchOptions(**options),
                              Reporter(self.out, self.err), self._record)
        with self.changed:
            self.changed.notify_all()

    def _record(self, rebuild: Rebuild) -> None:
        with self.changed:
            self.rebuilds.append(rebuild)
            self.changed.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = WAIT) -> bool:
        with self.changed:
            return self.changed.wait_for(predicate, timeout)

    def wait_rebuilds(self, count: int) -> None:
        assert self.wait_for(lambda: len(self.rebuilds) >= count), (
            f"expected {count} rebuilds, got {self.rebuilds}; stderr: {self.err.getvalue()}")

    def settle(self) -> None:
        """Give stray events (there should be none) time to cause a rebuild."""
        time.sleep(0.6)

    def finish(self) -> int | None:
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive()
        return self.code


@pytest.fixture
def watching(vault: Path) -> Iterator[Callable[..., Watching]]:
    started: list[Watching] = []

    def start(**options: Any) -> Watching:
        watch = Watching(vault, **options)
        started.append(watch)
        watch.thread.start()
        watch.wait_rebuilds(1)  # the start: every review written
        return watch

    yield start
    for watch in started:
        watch.stop.set()
        watch.thread.join(WAIT)


def text(vault: Path, relative: str = WEEK) -> str:
    return (vault / relative).read_text(encoding="utf-8")


# --- in-process, real observer ---------------------------------------------------------

def test_start_writes_the_current_reviews(vault: Path,
                                          watching: Callable[..., Watching]) -> None:
    watch = watching()
    start = watch.rebuilds[0]
    assert start.reason == "start"
    assert set(start.written) == set(REVIEWS)
    assert "Fixed the bike" in text(vault)
    assert "watching" in watch.out.getvalue() and "week 2026-W47" in watch.out.getvalue()
    assert watch.finish() == 0


def test_editing_a_journal_note_updates_the_week_review(
        vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching()
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- Shipped the watch\n")
    watch.wait_rebuilds(2)
    rebuild = watch.rebuilds[1]
    assert rebuild.changes == {"Journal/2026-11-18.md": "changed"}
    assert WEEK in rebuild.written
    assert "Shipped the watch" in text(vault)
    assert "Journal/2026-11-18.md changed; wrote Reviews/2026-W47.md" in watch.out.getvalue()
    assert watch.finish() == 0


def test_own_writes_cause_no_rebuild(vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching()
    watch.settle()
    assert len(watch.rebuilds) == 1
    # The same bytes written again (a sync client, `git checkout`) are not a change.
    (vault / WEEK).write_bytes((vault / WEEK).read_bytes())
    (vault / "Journal/2026-11-17.md").write_bytes((vault / "Journal/2026-11-17.md").read_bytes())
    watch.settle()
    assert len(watch.rebuilds) == 1
    # After a real edit: one rebuild, whose writes cause nothing more.
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- Another win\n")
    watch.wait_rebuilds(2)
    watch.settle()
    assert len(watch.rebuilds) == 2, watch.rebuilds
    assert watch.finish() == 0


def test_an_editor_atomic_save_is_one_rebuild(vault: Path,
                                              watching: Callable[..., Watching]) -> None:
    watch = watching()
    target = vault / "Journal/2026-11-18.md"
    temporary = vault / "Journal/.2026-11-18.md.tmp"
    temporary.write_text(journal("2026-11-18", "Fixed the bike", "Saved atomically"))
    os.replace(temporary, target)
    watch.wait_rebuilds(2)
    watch.settle()
    assert len(watch.rebuilds) == 2, watch.rebuilds
    assert watch.rebuilds[1].changes == {"Journal/2026-11-18.md": "changed"}
    assert "Saved atomically" in text(vault)
    assert watch.finish() == 0


def test_two_hundred_files_at_once_are_one_or_two_rebuilds(
        vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching(debounce=0.2)
    before = watch.rebuilds[0].notes + len(REVIEWS)  # the reviews are notes too
    for offset in range(200):
        day = date.fromordinal(date(2026, 1, 1).toordinal() + offset).isoformat()
        (vault / f"Journal/{day}.md").write_text(journal(day, f"win {offset}"))
    assert watch.wait_for(lambda: watch.rebuilds[-1].notes == before + 200)
    watch.settle()
    assert 2 <= len(watch.rebuilds) <= 3, [(r.reason, len(r.changes)) for r in watch.rebuilds]
    assert "win 199" in text(vault, "Reviews/2026.md")
    assert watch.finish() == 0


def test_ignored_files_cause_no_rebuild(vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching()
    (vault / ".git").mkdir()
    (vault / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (vault / ".obsidian/workspace.json").write_text("{}")
    (vault / ".trash").mkdir()
    (vault / ".trash/old.md").write_text("- [x] Meditate\n")
    (vault / ".mdmastery/cache").mkdir(parents=True, exist_ok=True)  # the index is there
    (vault / ".mdmastery/cache/index.db").write_bytes(b"\0")
    for name in (".2026-11-18.md.swp", "2026-11-18.md~", ".#2026-11-18.md", "note.md.tmp",
                 "photo.png", "4913"):
        (vault / "Journal" / name).write_text("- [x] Meditate\n")
    watch.settle()
    assert len(watch.rebuilds) == 1, watch.rebuilds
    assert watch.finish() == 0


def test_a_broken_note_is_reported_once_per_change_and_the_watch_goes_on(
        vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching()
    broken = vault / "Notes/broken.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [oops\n---\nbody\n")
    watch.wait_rebuilds(2)
    assert watch.err.getvalue().count("Notes/broken.md:") == 1
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- Still watching\n")
    watch.wait_rebuilds(3)
    assert "Still watching" in text(vault)
    assert watch.err.getvalue().count("Notes/broken.md:") == 1  # not repeated
    broken.write_text("---\ntitle: [still broken\n---\nbody\n")
    watch.wait_rebuilds(4)
    assert watch.err.getvalue().count("Notes/broken.md:") == 2  # its own change: again
    assert "error" in watch.err.getvalue().splitlines()[-1]
    assert watch.finish() == 0


def test_a_parser_crash_on_one_note_is_a_problem_not_the_end(
        vault: Path, watching: Callable[..., Watching], monkeypatch: pytest.MonkeyPatch) -> None:
    import mdmastery.load.parse

    real = mdmastery.load.parse.parse_note

    def parse_note(path: str, data: bytes, *rest: Any) -> Any:  # a bug in the parser
        if path.endswith("crash.md"):
            raise IndexError("pop from empty list")
        return real(path, data, *rest)

    monkeypatch.setattr(mdmastery.load.parse, "parse_note", parse_note)
    watch = watching()
    (vault / "crash.md").write_text("anything\n")
    watch.wait_rebuilds(2)
    assert "crash.md:0: error: mdmastery failed to parse this note" in watch.err.getvalue()
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- Still here\n")
    watch.wait_rebuilds(3)
    assert "Still here" in text(vault)
    assert watch.finish() == 0


def test_deleted_and_renamed_notes_and_folders(vault: Path,
                                               watching: Callable[..., Watching]) -> None:
    watch = watching()
    (vault / "Journal/2026").mkdir()
    os.rename(vault / "Journal/2026-11-17.md", vault / "Journal/2026/2026-11-17.md")
    watch.wait_rebuilds(2)
    assert watch.rebuilds[1].changes == {"Journal/2026-11-17.md": "removed",
                                         "Journal/2026/2026-11-17.md": "added"}
    assert "Journal/2026-11-17.md moved to Journal/2026/2026-11-17.md" in watch.out.getvalue()
    assert "Cooked dinner" in text(vault)
    os.rename(vault / "Journal", vault / "Diary")
    watch.wait_rebuilds(3)
    assert set(watch.rebuilds[2].changes.values()) == {"added", "removed"}
    assert "Fixed the bike" in text(vault)
    (vault / "Diary/2026-11-18.md").unlink()
    watch.wait_rebuilds(4)
    assert watch.rebuilds[3].changes == {"Diary/2026-11-18.md": "removed"}
    assert "Fixed the bike" not in text(vault)
    shutil.rmtree(vault / "Diary")
    watch.wait_rebuilds(5)
    assert "Cooked dinner" not in text(vault)
    assert watch.finish() == 0


def test_a_review_the_user_edited_is_reported_at_every_rebuild_and_kept(
        vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching()
    edited = text(vault).replace("## Goals", "## My goals, my words")
    assert edited != text(vault)
    (vault / WEEK).write_text(edited, encoding="utf-8")
    watch.wait_rebuilds(2)
    assert WEEK in watch.rebuilds[1].refused
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- A win the review cannot show\n")
    watch.wait_rebuilds(3)
    assert WEEK in watch.rebuilds[2].refused
    assert "Reviews/2026-11.md" in watch.rebuilds[2].written  # the others go on
    assert text(vault) == edited
    # Said at each rebuild until resolved, with the line where the review differs.
    line = edited.splitlines().index("## My goals, my words") + 1
    assert watch.err.getvalue().count(f"{WEEK}:{line}: refused") == 2, watch.err.getvalue()
    assert watch.finish() == 0


def test_the_day_rolling_into_a_new_week_writes_its_review(
        vault: Path, watching: Callable[..., Watching]) -> None:
    days = [date(2026, 11, 22)]
    watch = watching(today=lambda: days[-1])
    days.append(date(2026, 11, 23))  # Monday: week 2026-W48
    watch.wait_rebuilds(2)
    rollover = watch.rebuilds[1]
    assert rollover.reason == "new day"
    assert "Reviews/2026-W48.md" in rollover.written
    assert (vault / "Reviews/2026-W48.md").is_file()
    assert "as_of: 2026-11-22" in text(vault)  # the ended week keeps its final figures
    assert watch.finish() == 0


def test_a_settings_change_is_picked_up(vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching()
    (vault / ".mdmastery").mkdir(exist_ok=True)  # the index made it
    (vault / ".mdmastery/config.toml").write_text('[folders]\nreviews = "Weekly"\n')
    watch.wait_rebuilds(2)
    assert watch.rebuilds[1].reason == "settings"
    assert (vault / "Weekly/2026-W47.md").is_file()
    assert watch.finish() == 0


def test_a_warm_index_makes_the_start_parse_nothing(
        vault: Path, watching: Callable[..., Watching], monkeypatch: pytest.MonkeyPatch) -> None:
    import mdmastery.load.parse

    old = time.time_ns() - 3600 * 10**9
    for path in vault.rglob("*.md"):
        os.utime(path, ns=(old, old))
    result = CliRunner().invoke(cli, ["review", "--vault", str(vault), "--json"],
                                env=env_for())
    assert result.exit_code == 0, result.output
    parsed: list[str] = []
    real = mdmastery.load.parse.parse_facts

    def note_facts(path: str, data: bytes, config: Any) -> Any:
        parsed.append(path)
        return real(path, data, config)

    monkeypatch.setattr(mdmastery.load.parse, "parse_facts", note_facts)
    watch = watching()
    # No note is parsed: only the reviews the start wrote are read back (so that their
    # own events change nothing).
    assert [path for path in parsed if not path.startswith("Reviews/")] == []
    assert "Fixed the bike" in text(vault)
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- Still here\n")
    watch.wait_rebuilds(2)
    assert "Still here" in text(vault)
    assert watch.finish() == 0


def test_polling(vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching(poll=True, interval=0.1)
    with open(vault / "Journal/2026-11-18.md", "a", encoding="utf-8") as note:
        note.write("- Seen by polling\n")
    watch.wait_rebuilds(2)
    assert "Seen by polling" in text(vault)
    assert "polling every 0.1 s" in watch.out.getvalue()
    assert watch.finish() == 0


def test_only_the_chosen_periods(vault: Path, watching: Callable[..., Watching]) -> None:
    watch = watching(periods=("week",))
    assert watch.rebuilds[0].written == (WEEK,)
    assert not (vault / "Reviews/2026.md").exists()
    assert watch.finish() == 0


def test_the_vault_removed_ends_the_run_with_1(vault: Path) -> None:
    watch = Watching(vault)
    watch.thread.start()
    watch.wait_rebuilds(1)
    shutil.rmtree(vault)
    watch.thread.join(WAIT)
    assert watch.code == 1
    assert "is gone" in watch.err.getvalue()
    assert not vault.exists()  # and nothing recreated it


@pytest.mark.parametrize(("path", "is_directory", "kind"), [
    ("Journal/2026-11-18.md", False, "note"),
    ("Journal/2026-11-18.MD", False, "note"),
    ("Journal", True, "walk"),
    ("Journal/2026", True, "walk"),
    ("Journal/note.sync-conflict-20261120-101010-ABCDEFG.md", False, "walk"),
    ("Journal/.note.md.icloud", False, "walk"),
    (".obsidian/plugins", True, None),
    ("node_modules", True, None),
    (".mdmastery/config.toml", False, "settings"),
    (".obsidian/daily-notes.json", False, "settings"),
    (".mdmastery/templates/review.md.j2", False, "template"),
    (".mdmastery/templates/.review.md.j2.swp", False, None),
    (".mdmastery/cache/index.db", False, None),
    (".obsidian/workspace.json", False, None),
    (".git/index", False, None),
    (".trash/old.md", False, None),
    (".trash", True, None),
    ("Journal/.2026-11-18.md.swp", False, None),
    ("Journal/2026-11-18.md~", False, None),
    ("Journal/.#2026-11-18.md", False, None),
    ("Journal/2026-11-18.md.tmp", False, None),
    ("Attachments/photo.png", False, None),
    ("node_modules/x/README.md", False, None),
    ("", True, None),
])
def test_classify(path: str, is_directory: bool, kind: str | None) -> None:
    assert classify(path, is_directory) == kind


# --- the command -----------------------------------------------------------------------

def env_for(today: date = TODAY) -> dict[str, str]:
    return {**os.environ, "MDMASTERY_TODAY": today.isoformat()}


def test_once_writes_the_reviews_and_exits_0(vault: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["watch", "--vault", str(vault), "--once"], env=env_for())
    assert result.exit_code == 0, result.output
    assert all((vault / relative).is_file() for relative in REVIEWS)
    assert "read 3 notes; wrote Reviews/2026-W47.md" in result.output
    # Byte-identical to what `review` writes.
    result = runner.invoke(cli, ["review", "--vault", str(vault), "--period", "week"],
                           env=env_for())
    assert result.output.strip() == f"{WEEK}: unchanged"
    result = runner.invoke(cli, ["watch", "--vault", str(vault), "--once", "--quiet"],
                           env=env_for())
    assert result.exit_code == 0 and result.output == ""


def test_once_exits_1_when_a_review_is_refused(vault: Path) -> None:
    (vault / "Reviews").mkdir()
    (vault / WEEK).write_text("# My own week note\n")
    result = CliRunner().invoke(cli, ["watch", "--vault", str(vault), "--once"],
                                env=env_for())
    assert result.exit_code == 1
    assert (vault / WEEK).read_text() == "# My own week note\n"
    assert (vault / "Reviews/2026-11.md").is_file()


@pytest.mark.parametrize("arguments", [["--quiet", "--verbose"], ["--periods", "fortnight"],
                                       ["--debounce", "-1"]])
def test_usage_errors_exit_2(vault: Path, arguments: list[str]) -> None:
    result = CliRunner().invoke(cli, ["watch", "--vault", str(vault), "--once", *arguments])
    assert result.exit_code == 2


def test_watch_has_help() -> None:
    result = CliRunner().invoke(cli, ["watch", "--help"])
    assert result.exit_code == 0
    assert "--once" in result.output and "--poll" in result.output


def start_process(vault: Path, *arguments: str, started: str = "read 3 notes"
                  ) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "mdmastery", "watch", "--vault", str(vault), *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env_for())
    assert process.stdout is not None
    for line in process.stdout:  # the start line, then the first rebuild's
        if started in line:
            return process
    process.kill()
    raise AssertionError(f"no start: {process.communicate()}")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_process_with_0(vault: Path, number: signal.Signals) -> None:
    process = start_process(vault)
    process.send_signal(number)
    assert process.wait(timeout=5) == 0
    assert process.stderr is not None and "Traceback" not in process.stderr.read()


def test_the_vault_removed_under_the_process_exits_1(vault: Path) -> None:
    process = start_process(vault)
    shutil.rmtree(vault)
    assert process.wait(timeout=10) == 1
    assert process.stderr is not None and "is gone" in process.stderr.read()
