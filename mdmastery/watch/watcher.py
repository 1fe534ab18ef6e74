"""The watch's loop: wait until events stop for a quiet period (debounce), re-read only
the notes whose size, mtime or bytes changed (the loader's live vault) and write the
reviews whose text changed, through the function `mdmastery review` writes them with.
The reviews it writes go into the live vault with the bytes written, so the events of
its own writes find nothing changed: no rebuild loops.

A note read within RACY_WINDOW_NS of its mtime is read again when an event names it
(or, without one, once the window has passed), even with the same size and mtime: an
edit within the file system's timestamp step keeps both (FAT's is 2 s). On every tick
the loop also looks at the vault folder itself: gone (exit 1), replaced by another
folder (a restore), or unmounted (it waits, then reads the vault again).
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..config import load_config
from ..dates.periods import PERIODS, Period, period_of
from ..errors import MdmasteryError, Problem, WriteError
from ..load.folder import IndexProblem, prepare_folder
from ..load.index import RACY_WINDOW_NS
from ..load.live import LiveVault, Stopped
from ..load.loader import collector_paused
from ..model.model import Model
from ..report import Reporter
from ..review.build import review_path
from ..writing.atomic import remove_stale_temps
from ..writing.commit import CommitResult, commit_paths, review_message
from ..writing.paths import inside
from ..writing.reviews import write_review
from .events import Batch, alive, classify, identity, prefixes, start_observer

DEFAULT_DEBOUNCE = 0.1  # seconds without events before a rebuild (an editor save takes ms)


DEFAULT_INTERVAL = 1.0  # seconds between two polls with --poll


# How often the loop looks at the stop event, the date and the vault folder: it bounds
# how long SIGTERM takes to be obeyed while idle.
TICK = 0.1


# How long the vault folder may be missing before the watch gives up: a restore swaps
# it for a copy with two renames, and there is a moment between them.
GONE_GRACE = 1.0
QUIET, NORMAL, VERBOSE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What one rebuild did; handed to run()'s on_rebuild (tests and benchmarks use it)."""

    reason: str  # start | once | notes | settings | new day | problems
    changes: Mapping[str, str]  # vault path -> added | changed | removed
    written: tuple[str, ...]  # reviews created or updated
    unchanged: tuple[str, ...]
    refused: tuple[str, ...]  # reviews not written (edited by the user, or an error)
    notes: int  # the notes the model was built from
    seconds: float
    # With --commit: what was committed (None: nothing to commit, or no --commit), and
    # whether the commit was refused (the files wait for the next rebuild).
    commit: CommitResult | None = None
    commit_refused: bool = False

    def as_json(self) -> dict[str, object]:
        """Return what `watch --once --json` prints."""
        return {"written": list(self.written), "unchanged": list(self.unchanged),
                "refused": list(self.refused),
                "commit": None if self.commit is None else self.commit.as_json()}


def _describe(changes: Mapping[str, str], shown: int = 2) -> str:
    if len(changes) == 1:
        (path, what), = changes.items()
        return f"{path} {what}"
    if sorted(changes.values()) == ["added", "removed"]:
        old, new = sorted(changes, key=lambda path: changes[path] == "added")
        return f"{old} moved to {new}"
    kinds = sorted(set(changes.values()))
    verb = kinds[0] if len(kinds) == 1 else "changed"
    names = sorted(changes)
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return f"{len(names):,} notes {verb} ({', '.join(names[:shown])}{more})"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


class Watcher:
    """One vault's watch: its live vault, the pending events and the reviews written."""

    def __init__(self, root: Path, stop: threading.Event, today: Callable[[], date],
                 periods: Sequence[str], debounce: float, verbosity: int,
                 report: Reporter, on_rebuild: Callable[[Rebuild], None] | None,
                 use_cache: bool = True, poll: bool = False,
                 interval: float = DEFAULT_INTERVAL, commit: bool = False) -> None:
        self.root = root
        self.prefixes = prefixes(root)
        self.identity = identity(root)
        self.mount_point = os.path.ismount(root)
        self.missing_since: float | None = None
        self.unmounted = False
        self.poll = poll
        self.interval = interval
        self.use_cache = use_cache
        self.observer: Any = None
        self.stop = stop
        self.today = today
        self.kinds = tuple(k for k in PERIODS if k in periods)
        self.debounce = debounce
        # A steady trickle of events (a sync client) must not postpone a rebuild forever.
        self.max_delay = max(1.0, 10 * debounce)
        self.verbosity = verbosity
        self.report = report
        self.on_rebuild = on_rebuild
        self.config = load_config(root)
        self.vault = LiveVault(root, self.config, use_cache)
        self.day = today()
        self.current = self._periods(self.day)
        self.problems: set[Problem] = set()
        # With --commit: the files of the reviews written, by period label, until they
        # are committed; and the refusal last shown.
        self.commit = commit
        self.uncommitted: dict[str, str] = {}
        self.commit_refusal = ""
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.pending = Batch()

    # output

    def say(self, text: str, level: int = NORMAL) -> None:
        if self.verbosity >= level:
            self.report.result(text)

    def warn(self, text: str) -> None:
        self.report.line(text)

    # the observer's side: record and wake, nothing else

    def record(self, paths: Sequence[str], is_directory: bool) -> None:
        """Note what an event named; called on the observer's thread."""
        kinds: list[tuple[str, str]] = []
        for raw in paths:
            prefix = next((p for p in self.prefixes if raw.startswith(p)), None)
            if prefix is None:
                continue
            relative = raw[len(prefix):].replace(os.sep, "/")
            kind = classify(relative, is_directory)
            if kind is not None:
                kinds.append((kind, relative))
        if not kinds:
            return
        now = time.monotonic()
        with self.lock:
            batch = self.pending
            for kind, relative in kinds:
                if kind == "note":
                    batch.notes.add(relative)
                elif kind == "walk":
                    batch.rescan = True
                elif kind == "settings":
                    batch.settings = True
                else:
                    batch.templates = True
            if not batch:
                batch.first = now
            batch.events += 1
            batch.last = now
            self.wake.set()

    def take(self) -> Batch:
        with self.lock:
            batch, self.pending = self.pending, Batch()
            self.wake.clear()
            return batch

    # the loop's side

    def _periods(self, day: date) -> dict[str, Period]:
        return {kind: period_of(kind, day, self.config.week_start, self.config.formats)
                for kind in self.kinds}

    def vault_state(self) -> str:
        """Tell what became of the vault folder: ok, missing (for a moment: wait), gone
        (missing for longer: the watch ends), unmounted (the empty mount point shows)
        or replaced (another folder, or the drive mounted again)."""
        try:
            info: os.stat_result | None = os.stat(self.root)
        except OSError:
            info = None
        if info is None or not stat.S_ISDIR(info.st_mode):
            now = time.monotonic()
            if self.missing_since is None:
                self.missing_since = now
            if now - self.missing_since < GONE_GRACE:
                return "missing"
            self.warn(f"mdmastery: error: the vault folder {self.root} is gone; stopping")
            return "gone"
        self.missing_since = None
        if (info.st_dev, info.st_ino) == self.identity:
            return "ok"
        if self.mount_point and not os.path.ismount(self.root):
            return "unmounted"
        return "replaced"

    def start_observer(self) -> None:
        self.observer = start_observer(self, self.poll, self.interval)

    def stop_observer(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=2)
            self.observer = None

    def pause(self) -> None:
        """The vault's file system was unmounted: stop watching, write nothing, wait."""
        if not self.unmounted:
            self.unmounted = True
            self.stop_observer()
            self.take()
            self.warn(f"mdmastery: the vault's file system was unmounted from {self.root}; "
                      "waiting for it to be mounted again (nothing is written meanwhile)")

    def reattach(self) -> bool:
        """The vault folder is another one now: watch it, and read it anew; False if it
        cannot be watched."""
        what = "mounted again" if self.unmounted else "replaced by another folder"
        self.unmounted = False
        self.stop_observer()
        self.take()
        self.prefixes = prefixes(self.root)
        self.identity = identity(self.root)
        self.mount_point = os.path.ismount(self.root)
        self.config = load_config(self.root)
        self.vault = LiveVault(self.root, self.config, self.use_cache)
        self.problems = set()
        self.warn(f"mdmastery: the vault folder {self.root} was {what}; reading it again")
        if self.use_cache:
            with contextlib.suppress(IndexProblem):
                prepare_folder(self.root)
        try:
            self.start_observer()
        except OSError as error:
            self.warn(f"mdmastery: error: cannot watch {self.root}: "
                      f"{error.strerror or error}; stopping")
            return False
        self.guarded(self.load, "start")
        return True

    def settle(self, _: object = None) -> Rebuild | None:
        """Read again the notes whose racy window has passed since they were read: a
        same-size edit within the mtime step that no event told of (--poll)."""
        now = time.time_ns()
        due = [path for path, mtime_ns in self.vault.unsettled.items()
               if now - mtime_ns >= RACY_WINDOW_NS]
        if not due:
            return None
        started = time.perf_counter()
        changes = self.vault.refresh(due)
        for path in due:  # (gone, or no regular file: the walk below tells)
            self.vault.unsettled.pop(path, None)
        if changes is None:
            changes = self.vault.scan(self.stop)
        if not changes:
            return None
        return self.rebuild("notes", changes, started)

    def remove_leftovers(self) -> None:
        """Remove the temp files a killed run left in the folders the reviews go to."""
        folders = {review_path(self.config, period).rpartition("/")[0]
                   for period in self.current.values()}
        for folder in folders:
            with contextlib.suppress(WriteError):
                remove_stale_temps(inside(self.root, folder or "."))

    def startup_line(self, how: str) -> str:
        labels = ", ".join(f"{kind} {period.label}" for kind, period in self.current.items())
        return (f"watching {self.root} ({labels}) with {how}, debounce {self.debounce:g} s; "
                "Ctrl-C stops")

    def load(self, reason: str) -> Rebuild:
        """Read the whole vault and write the current reviews."""
        started = time.perf_counter()
        with collector_paused():
            self.vault.load()
        self.remove_leftovers()
        return self.rebuild(reason, {}, started, report_all=True)

    def apply(self, batch: Batch) -> Rebuild | None:
        """Re-read what the events named; rebuild when a note or a setting changed."""
        started = time.perf_counter()
        walk = batch.rescan
        settings = batch.templates  # the notes are the same, the reviews' text may not be
        if batch.settings:
            config = load_config(self.root)
            if config != self.config:
                self.config = config
                self.vault.reconfigure(config)
                walk = settings = True  # ignore globs or date formats may have changed
        listing = self.vault.listing_problems
        changes = None if walk else self.vault.refresh(batch.notes)
        if changes is None:
            changes = self.vault.scan(self.stop)
        # A sync conflict copy, an iCloud stub, a name clash: a fresh run would show it.
        problems = self.vault.listing_problems != listing
        if not changes and not settings and not problems:
            self.say(f"{batch.events:,} events, no note changed", VERBOSE)
            return None
        reason = "settings" if settings else "notes" if changes else "problems"
        return self.rebuild(reason, changes, started)

    def new_day(self, day: date) -> Rebuild:
        """Write the reviews of the periods holding the new day, and close the ended ones."""
        started = time.perf_counter()
        new = self._periods(day)
        ended = [period for kind, period in self.current.items() if period != new[kind]]
        self.day = day
        return self.rebuild("new day", {}, started, extra=ended)

    def rebuild(self, reason: str, changes: Mapping[str, str], started: float,
                extra: Sequence[Period] = (), report_all: bool = False) -> Rebuild:
        """Build the model from the cache and write the reviews whose text changed."""
        self.current = self._periods(self.day)
        with collector_paused(freeze=False):
            model_started = time.perf_counter()
            notes = len(self.vault)
            model = self.vault.model()
            reviews_started = time.perf_counter()
            written, unchanged, refused = self.write_reviews(
                model, [*extra, *self.current.values()])
        finished = time.perf_counter()
        self.report_problems(model.problems, changes, report_all)
        committed, commit_refused = self.commit_reviews() if self.commit else (None, False)
        result = Rebuild(reason, dict(changes), tuple(written), tuple(unchanged),
                         tuple(refused), notes, finished - started,
                         committed if committed and committed.commit else None,
                         commit_refused)
        self.say(self.rebuild_line(result))
        if result.commit is not None:
            self.say(result.commit.line())
        self.say(f"  read {_ms(model_started - started)}, model "
                 f"{_ms(reviews_started - model_started)}, reviews "
                 f"{_ms(finished - reviews_started)}", VERBOSE)
        if self.on_rebuild is not None:
            self.on_rebuild(result)
        return result

    def write_reviews(self, model: Model, periods: Sequence[Period]
                      ) -> tuple[list[str], list[str], list[str]]:
        written: list[str] = []
        unchanged: list[str] = []
        refused: list[str] = []
        for period in periods:
            relative = review_path(self.config, period)
            # A vault removed under us must not be recreated by the writer's mkdir.
            if self.stop.is_set() or not self.root.is_dir():
                refused.append(relative)
                continue
            try:
                result = write_review(self.root, model, self.config, period, self.day)
            except Exception as error:  # one review failing must not stop the others
                refused.append(relative)
                message = (str(error) if isinstance(error, MdmasteryError) else
                           f"{relative}: not written: {type(error).__name__}: {error}")
                # Said at every rebuild until resolved: a review left stale must not
                # look up to date because the message scrolled away.
                self.warn(f"mdmastery: error: {message}")
                continue
            if self.commit:
                for file in result.files:
                    self.uncommitted[file.relative_to(self.root).as_posix()] = period.label
            if result.status == "unchanged":
                unchanged.append(relative)
            else:
                written.append(relative)
                self.vault.note_written(relative)
        return written, unchanged, refused

    def commit_reviews(self) -> tuple[CommitResult | None, bool]:
        """Commit the reviews' files that differ from HEAD; say whether git refused.

        A refusal (a merge in progress, a lock) is shown once; the files wait for the
        next rebuild.
        """
        # (a review the user removed or renamed since it was written is theirs now)
        labels = {path: label for path, label in self.uncommitted.items()
                  if os.path.lexists(self.root / path)}
        if not labels:
            return None, False
        try:
            done = commit_paths(self.root, list(labels), lambda paths: review_message(
                labels[path] for path in paths))
        except MdmasteryError as error:
            if self.commit_refusal != str(error):
                self.commit_refusal = str(error)
                self.warn(f"mdmastery: error: not committed: {error}")
            return None, True
        self.uncommitted = {}
        self.commit_refusal = ""
        return done, False

    def report_problems(self, problems: Sequence[Problem], changes: Collection[str],
                        report_all: bool) -> None:
        """Show each problem once per change of its note, and any new one."""
        for problem in problems:
            if report_all or problem.path in changes or problem not in self.problems:
                self.warn(str(problem))
        self.problems = set(problems)

    def rebuild_line(self, result: Rebuild) -> str:
        if result.reason in ("start", "once"):
            what = f"read {result.notes:,} {'note' if result.notes == 1 else 'notes'}"
        elif result.reason == "new day":
            what = f"new day {self.day.isoformat()}"
        elif result.reason == "problems":
            what = "the vault's problems changed"
        elif result.reason == "settings":
            what = "settings changed" + (f", {_describe(result.changes)}"
                                         if result.changes else "")
        else:
            what = _describe(result.changes)
        parts = [what]
        if result.written:
            parts.append(f"wrote {', '.join(result.written)}")
        elif not result.refused:
            parts.append("reviews unchanged")
        if result.refused:
            parts.append(f"not written: {', '.join(result.refused)}")
        if self.verbosity >= VERBOSE and result.written and result.unchanged:
            parts.append(f"unchanged: {', '.join(result.unchanged)}")
        stamp = "" if result.reason == "once" else time.strftime("%H:%M:%S ")
        return f"{stamp}{'; '.join(parts)} ({_ms(result.seconds)})"

    def loop(self) -> int:
        """Rebuild after each quiet period until stopped; 1 when the vault disappears."""
        while not self.stop.is_set():
            state = self.vault_state()
            if state == "gone":
                return 1
            if state in ("missing", "unmounted"):
                if state == "unmounted":
                    self.pause()
                self.stop.wait(TICK)
                continue
            if state == "replaced" or self.unmounted:
                if not self.reattach():
                    return 1
                continue
            if not alive(self.observer):
                # e.g. the inotify watch limit reached for a new folder: the emitter thread
                # ends and events stop. Saying so beats serving stale reviews for days.
                self.warn("mdmastery: error: the file watcher stopped (is "
                          "fs.inotify.max_user_watches too low? --poll avoids it); stopping")
                return 1
            day = self.today()
            if day != self.day:
                self.guarded(self.new_day, day)
                continue
            if not self.wake.wait(TICK):
                if self.vault.unsettled:
                    self.guarded(self.settle, None)
                continue
            while not self.stop.is_set():
                with self.lock:
                    due = min(self.pending.last + self.debounce,
                              self.pending.first + self.max_delay)
                remaining = due - time.monotonic()
                if remaining <= 0:
                    break
                self.stop.wait(min(remaining, TICK))
            if self.stop.is_set():
                break
            if self.vault_state() != "ok":
                continue  # (the batch waits: the top of the loop sees to the vault)
            batch = self.take()
            self.guarded(self.apply, batch)
        return 0

    def guarded(self, step: Callable[[Any], Rebuild | None], argument: Any
                ) -> Rebuild | Exception | None:
        """Run a rebuild step; an unexpected error is shown (and returned), the watch goes on."""
        try:
            return step(argument)
        except Stopped:
            return None
        except Exception as error:  # a bug must not end a watch that runs for days
            self.warn(f"mdmastery: error: rebuild failed: {type(error).__name__}: {error}")
            if self.verbosity >= VERBOSE:
                self.warn(traceback.format_exc().rstrip())
            return error
