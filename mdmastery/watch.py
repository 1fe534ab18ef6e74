"""Keep the reviews of the current periods up to date while the vault's notes change.

The observer thread only records which paths changed and wakes the loop (as mkdocs
does); the loop waits until events stop for a quiet period (debounce), re-reads only
the notes whose size, mtime or bytes changed, rebuilds the model and rewrites only the
reviews whose text changed. The reviews it writes go into the note cache with the
bytes written, so the events of its own writes find nothing changed: no rebuild loops.

A note read within RACY_WINDOW_NS of its mtime is read again when an event names it
(or, without one, once the window has passed), even with the same size and mtime: an
edit within the file system's timestamp step keeps both (FAT's is 2 s). On every tick
the loop also looks at the vault folder itself: gone (exit 1), replaced by another
folder (a restore), or unmounted (it waits, then reads the vault again).
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from .config import CONFIG_PATH, Config, load_config
from .errors import MdmasteryError
from .index import RACY_WINDOW_NS, IndexProblem, digest, is_settled, prepare_folder
from .load import (
    assemble,
    collector_paused,
    load_known,
    note_facts,
    update_model,
    with_problems,
)
from .model import Model, NoteFacts, Problem
from .periods import PERIODS, Period, period_of
from .review import build_review, region_aliases, render_review, review_path
from .vault import SKIPPED_FOLDERS, NoteFile, is_ignored, is_note_name, list_notes, read_bytes
from .writer import WriteError, inside, remove_stale_temps, write_generated

DEFAULT_DEBOUNCE = 0.1  # seconds without events before a rebuild (an editor save takes ms)
DEFAULT_INTERVAL = 1.0  # seconds between two polls with --poll
# How often the loop looks at the stop event, the date and the vault folder: it bounds
# how long SIGTERM takes to be obeyed while idle.
TICK = 0.1
# How long the vault folder may be missing before the watch gives up: a restore swaps
# it for a copy with two renames, and there is a moment between them.
GONE_GRACE = 1.0
QUIET, NORMAL, VERBOSE = 0, 1, 2

# Files outside the notes whose change alters how the vault is read.
SETTINGS_FILES = frozenset({CONFIG_PATH, ".obsidian/daily-notes.json",
                            ".obsidian/plugins/periodic-notes/data.json"})
TEMPLATES_PREFIX = ".mdmastery/templates/"


class Stopped(Exception):
    """The watch was asked to stop in the middle of a long step."""


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


def classify(relative: str, is_directory: bool) -> str | None:
    """Tell what a change at a vault path means: note, walk, settings, template or None.

    walk: only a walk of the vault tells (a folder, or a file the walk reports on).
    """
    if not relative:
        return None  # the vault folder itself: the loop checks that it still exists
    if not is_directory:
        if relative in SETTINGS_FILES:
            return "settings"
        if relative.startswith(TEMPLATES_PREFIX) and relative.endswith(".j2"):
            return "template"
    *folders, name = relative.split("/")
    # Hidden folders (.git, .obsidian, .trash, .mdmastery) are never read.
    if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in folders):
        return None
    if is_directory:
        return None if name.startswith(".") or name in SKIPPED_FOLDERS else "walk"
    if is_note_name(name):
        return "note"
    lower = name.lower()
    # A sync service's conflict copy, or iCloud's stub of a note not downloaded yet: not
    # notes, but the walk warns about them. Every other file (.#note.md, .note.md.swp,
    # note.md~, the writer's own temp files, attachments) is nothing to mdmastery.
    if (lower.endswith(".md") and not name.startswith(".")) or (
            name.startswith(".") and lower.endswith(".md.icloud")):
        return "walk"
    return None


# --- the notes, in memory ----------------------------------------------------------

@dataclass(slots=True)
class _Entry:
    size: int
    mtime_ns: int
    digest: bytes
    facts: NoteFacts | None = None
    problem: Problem | None = None
    settled: bool = True  # read long enough after its mtime for size and mtime to tell


class NoteCache:
    """What each note gives the model, keyed by path, size and mtime; re-reads only what
    changed, and assembles the model again only after a change."""

    def __init__(self, root: Path, config: Config, use_cache: bool = True) -> None:
        self.root = root
        self.config = config
        self.use_cache = use_cache
        self.entries: dict[str, _Entry] = {}
        self.listing_problems: list[Problem] = []
        self._model: Model | None = None  # assembled from the entries, but for _changed
        self._changed: dict[str, NoteFacts | None] = {}  # path -> facts the model has
        self.unsettled: dict[str, int] = {}  # path -> mtime_ns of the notes not settled
        self._reparse = False  # the settings changed: parse notes even of the same bytes

    def _replace(self, path: str, entry: _Entry | None) -> None:
        """Put (or, with None, drop) a note's entry; remember the facts the model has."""
        if entry is None:
            self.unsettled.pop(path, None)
        old = self.entries.pop(path, None)
        if entry is not None:
            self.entries[path] = entry
        if path not in self._changed:
            self._changed[path] = old.facts if old is not None else None

    def __len__(self) -> int:
        return len(self.entries)

    def load(self) -> None:
        """Read the whole vault, through the index (a warm start costs a stat walk)."""
        loaded_at = time.time_ns()
        files, problems = list_notes(self.root, self.config.ignore)
        model, known, unreadable = load_known(self.root, self.config, files,
                                              use_cache=self.use_cache)
        stats = {file.path: file for file in files}
        self.entries = {one.path: _Entry(one.size, one.mtime_ns, one.digest, one.facts,
                                         settled=is_settled(one.mtime_ns, loaded_at))
                        for one in known}
        self.unsettled = {path: entry.mtime_ns for path, entry in self.entries.items()
                          if not entry.settled}
        for problem in unreadable:
            file = stats.get(problem.path)
            if file is not None:
                self.entries[problem.path] = _Entry(
                    file.size, file.mtime_ns, digest(str(problem).encode()),
                    problem=problem)
        self.listing_problems = problems
        self._model = model
        self._changed = {}

    def reconfigure(self, config: Config) -> None:
        """Take new settings: every note is read again on the next scan (facts depend on
        them), but only notes whose bytes changed count as changed."""
        self.config = config
        for entry in self.entries.values():
            entry.mtime_ns = -1
        self._model = None
        self._changed = {}
        self._reparse = True

    def scan(self, stop: threading.Event | None = None) -> dict[str, str]:
        """Walk the whole vault, re-read what is new or changed; return what changed."""
        files, problems = list_notes(self.root, self.config.ignore)
        entries: dict[str, _Entry] = {}
        changes: dict[str, str] = {}
        for index, file in enumerate(files):
            if stop is not None and index % 256 == 0 and stop.is_set():
                raise Stopped
            old = self.entries.get(file.path)
            if old is not None and old.settled and \
                    (old.size, old.mtime_ns) == (file.size, file.mtime_ns):
                entries[file.path] = old
                continue
            entry = self._read(file, old)
            if entry is None:
                continue  # gone since the walk; its event will come
            entries[file.path] = entry
            if old is None:
                changes[file.path] = "added"
            elif old.digest != entry.digest:
                changes[file.path] = "changed"
        for path in self.entries.keys() - entries.keys():
            changes[path] = "removed"
        for path in {*entries.keys(), *self.entries.keys()}:
            if entries.get(path) is not self.entries.get(path):
                self._replace(path, entries.get(path))
        self.listing_problems = problems
        self._reparse = False
        return changes

    def refresh(self, paths: Collection[str]) -> dict[str, str] | None:
        """Re-read the given notes that changed; None when only a walk can tell (a note
        appeared or vanished: renames, name clashes and symlinks are the walk's business)."""
        updates: dict[str, _Entry] = {}
        changes: dict[str, str] = {}
        for path in sorted(paths):
            old = self.entries.get(path)
            if old is None:
                if (not is_ignored(path, self.config.ignore)
                        and os.path.lexists(self.root / path)):
                    return None
                continue
            try:
                info = os.stat(self.root / path)
            except OSError:
                return None
            if not stat.S_ISREG(info.st_mode):
                return None
            if old.settled and (info.st_size, info.st_mtime_ns) == (old.size, old.mtime_ns):
                continue
            entry = self._read(NoteFile(path, info.st_size, info.st_mtime_ns), old)
            if entry is None:
                return None
            if entry is not old:
                updates[path] = entry
            if entry.digest != old.digest:
                changes[path] = "changed"
        for path, entry in updates.items():
            self._replace(path, entry)
        return changes

    def record_written(self, relative: str) -> None:
        """Take a review just written into the cache, so its own events change nothing."""
        if (relative not in self.entries and is_ignored(relative, self.config.ignore)) \
                or not is_note_name(relative.rsplit("/", 1)[-1]):
            return
        path = self.root / relative
        try:
            read_at = time.time_ns()
            info = os.stat(path)  # before the read: a later edit then shows as a new mtime
            data = path.read_bytes()
        except OSError:
            self._replace(relative, None)
            return
        settled = self._settled(relative, info.st_mtime_ns, read_at)
        self._replace(relative, _Entry(info.st_size, info.st_mtime_ns, digest(data),
                                       note_facts(relative, data, self.config),
                                       settled=settled))

    def _settled(self, path: str, mtime_ns: int, read_at: int) -> bool:
        settled = is_settled(mtime_ns, read_at)
        if settled:
            self.unsettled.pop(path, None)
        else:
            self.unsettled[path] = mtime_ns
        return settled

    def _read(self, file: NoteFile, old: _Entry | None = None) -> _Entry | None:
        """Read a note; old, its entry, comes back updated if the bytes are the same."""
        read_at = time.time_ns()
        data = read_bytes(self.root, file, self.config.max_file_size)
        if data is None:
            return None
        settled = self._settled(file.path, file.mtime_ns, read_at)
        if isinstance(data, Problem):
            return _Entry(file.size, file.mtime_ns, digest(str(data).encode()), problem=data,
                          settled=settled)
        found = digest(data)
        if old is not None and old.digest == found and old.problem is None \
                and not self._reparse:
            old.size, old.mtime_ns, old.settled = file.size, file.mtime_ns, settled
            return old  # (the same bytes: nothing to parse)
        return _Entry(file.size, file.mtime_ns, found, note_facts(file.path, data, self.config),
                      settled=settled)

    def facts(self) -> list[NoteFacts]:
        """Return every readable note's facts in path order, as load_vault reads them."""
        return [entry.facts for _, entry in sorted(self.entries.items())
                if entry.facts is not None]

    def _journal_notes(self, day: date) -> list[NoteFacts]:
        return [entry.facts for entry in self.entries.values() if entry.facts is not None
                and entry.facts.journal is not None and entry.facts.journal.day == day]

    def problems(self) -> list[Problem]:
        """Return the problems of the walk and of the files that could not be read."""
        unreadable = [entry.problem for _, entry in sorted(self.entries.items())
                      if entry.problem is not None]
        return [*self.listing_problems, *unreadable]

    def model(self) -> Model:
        """Return the model of the cached notes, exactly as load_vault builds it: the
        last one updated for the notes changed since, or assembled from every note."""
        changed = {path: old for path, old in self._changed.items()
                   if old is not (self.entries[path].facts if path in self.entries else None)}
        if self._model is not None and changed:
            new = {path: self.entries[path].facts if path in self.entries else None
                   for path in changed}
            habits = [entry.facts for entry in self.entries.values()
                      if entry.facts is not None and entry.facts.habit is not None]
            self._model = update_model(self._model, changed, new, self._journal_notes,
                                       habits, self.config)
        if self._model is None:
            self._model = assemble(self.facts(), self.config)
        self._changed = {}
        return with_problems(self._model, self.problems())


# --- the watch ---------------------------------------------------------------------

@dataclass(slots=True)
class _Batch:
    """The paths that events named since the last rebuild."""

    notes: set[str] = field(default_factory=set)
    rescan: bool = False
    settings: bool = False
    templates: bool = False
    events: int = 0
    first: float = 0.0
    last: float = 0.0

    def __bool__(self) -> bool:
        return self.events > 0


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
    """One vault's watch: the note cache, the pending events and the reviews written."""

    def __init__(self, root: Path, stop: threading.Event, today: Callable[[], date],
                 periods: Sequence[str], debounce: float, verbosity: int, out: TextIO,
                 err: TextIO, on_rebuild: Callable[[Rebuild], None] | None,
                 use_cache: bool = True, poll: bool = False,
                 interval: float = DEFAULT_INTERVAL) -> None:
        self.root = root
        self.prefixes = _prefixes(root)
        self.identity = _identity(root)
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
        self.out = out
        self.err = err
        self.on_rebuild = on_rebuild
        self.config = load_config(root)
        self.cache = NoteCache(root, self.config, use_cache)
        self.day = today()
        self.current = self._periods(self.day)
        self.problems: set[Problem] = set()
        self.refused: dict[str, str] = {}  # review path -> the message last shown for it
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.pending = _Batch()

    # output

    def say(self, text: str, level: int = NORMAL) -> None:
        if self.verbosity >= level:
            print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(text, file=self.err, flush=True)

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

    def take(self) -> _Batch:
        with self.lock:
            batch, self.pending = self.pending, _Batch()
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
        self.observer = _start_observer(self, self.poll, self.interval)

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
        self.prefixes = _prefixes(self.root)
        self.identity = _identity(self.root)
        self.mount_point = os.path.ismount(self.root)
        self.config = load_config(self.root)
        self.cache = NoteCache(self.root, self.config, self.use_cache)
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
        due = [path for path, mtime_ns in self.cache.unsettled.items()
               if now - mtime_ns >= RACY_WINDOW_NS]
        if not due:
            return None
        started = time.perf_counter()
        changes = self.cache.refresh(due)
        for path in due:  # (gone, or no regular file: the walk below tells)
            self.cache.unsettled.pop(path, None)
        if changes is None:
            changes = self.cache.scan(self.stop)
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
            self.cache.load()
        self.remove_leftovers()
        return self.rebuild(reason, {}, started, report_all=True)

    def apply(self, batch: _Batch) -> Rebuild | None:
        """Re-read what the events named; rebuild when a note or a setting changed."""
        started = time.perf_counter()
        walk = batch.rescan
        settings = batch.templates  # the notes are the same, the reviews' text may not be
        if batch.settings:
            config = load_config(self.root)
            if config != self.config:
                self.config = config
                self.cache.reconfigure(config)
                walk = settings = True  # ignore globs or date formats may have changed
        listing = self.cache.listing_problems
        changes = None if walk else self.cache.refresh(batch.notes)
        if changes is None:
            changes = self.cache.scan(self.stop)
        # A sync conflict copy, an iCloud stub, a name clash: a fresh run would show it.
        problems = self.cache.listing_problems != listing
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
            notes = len(self.cache)
            model = self.cache.model()
            reviews_started = time.perf_counter()
            written, unchanged, refused = self.write_reviews(
                model, [*extra, *self.current.values()])
        finished = time.perf_counter()
        self.report_problems(model.problems, changes, report_all)
        result = Rebuild(reason, dict(changes), tuple(written), tuple(unchanged),
                         tuple(refused), notes, finished - started)
        self.say(self.rebuild_line(result))
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
                review = build_review(model, self.config, period, self.day)
                result = write_generated(self.root, relative, render_review(self.root, review),
                                         aliases=region_aliases(review))
            except Exception as error:  # one review failing must not stop the others
                refused.append(relative)
                message = (str(error) if isinstance(error, MdmasteryError) else
                           f"{relative}: not written: {type(error).__name__}: {error}")
                if self.refused.get(relative) != message:
                    self.refused[relative] = message
                    self.warn(f"mdmastery: error: {message}")
                continue
            self.refused.pop(relative, None)
            if result.status == "unchanged":
                unchanged.append(relative)
            else:
                written.append(relative)
                self.cache.record_written(relative)
        return written, unchanged, refused

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
            if not _alive(self.observer):
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
                if self.cache.unsettled:
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


def _alive(observer: Any) -> bool:
    return bool(observer.is_alive()) and all(e.is_alive() for e in observer.emitters)


def _prefixes(root: Path) -> tuple[str, ...]:
    # Some backends (macOS FSEvents) report resolved paths: /private/var for /var.
    return tuple(dict.fromkeys(
        os.path.join(path, "") for path in (str(root), os.path.realpath(root))))


def _identity(root: Path) -> tuple[int, int]:
    try:
        info = os.stat(root)
    except OSError:
        return (-1, -1)
    return (info.st_dev, info.st_ino)


def _start_observer(watcher: Watcher, poll: bool, interval: float) -> Any:
    """Start a watchdog observer that hands every relevant event to watcher.record."""
    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileSystemEvent,
        FileSystemEventHandler,
    )

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            paths = [os.fsdecode(event.src_path)]
            if event.dest_path:
                paths.append(os.fsdecode(event.dest_path))
            watcher.record(paths, event.is_directory)

    observer: Any
    if poll:
        from watchdog.observers.polling import PollingObserver

        observer = PollingObserver(timeout=interval)
    else:
        from watchdog.observers import Observer

        observer = Observer()
    # Without a filter watchdog also reports opens and read-only closes, so mdmastery's
    # own reads would flood the queue; a folder's "modified" says nothing a file event
    # does not.
    observer.schedule(Handler(), str(watcher.root), recursive=True, event_filter=[
        FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent,
        FileMovedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent])
    observer.start()
    return observer


def run(root: Path, stop: threading.Event, today: Callable[[], date], *,
        periods: Sequence[str] = PERIODS, debounce: float = DEFAULT_DEBOUNCE,
        poll: bool = False, interval: float = DEFAULT_INTERVAL, once: bool = False,
        verbosity: int = NORMAL, out: TextIO | None = None, err: TextIO | None = None,
        on_rebuild: Callable[[Rebuild], None] | None = None, use_cache: bool = True) -> int:
    """Keep the current periods' reviews up to date until stop is set; return the exit code.

    once: write them once and return (1 if one was refused). today is called on every
    tick, so a test (or MDMASTERY_TODAY) decides what day it is.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if not root.is_dir():
        print(f"mdmastery: error: the vault folder {root} does not exist", file=err)
        return 1
    watcher = Watcher(root, stop, today, periods, debounce, verbosity, out, err, on_rebuild,
                      use_cache, poll, interval)
    if once:
        result = watcher.guarded(watcher.load, "once")
        return 1 if isinstance(result, Exception) or (result and result.refused) else 0
    if use_cache:
        # Made before the observer starts: a folder appearing while it adds its
        # watches makes watchdog complain.
        with contextlib.suppress(IndexProblem):
            prepare_folder(root)
    try:
        watcher.start_observer()
    except OSError as error:
        hint = "" if poll else " (raise fs.inotify.max_user_watches, or use --poll)"
        print(f"mdmastery: error: cannot watch {root}: {error.strerror or error}{hint}",
              file=err)
        return 1
    try:
        backend = type(watcher.observer).__name__.removesuffix("Observer").lower() or "events"
        how = f"polling every {interval:g} s" if poll else backend
        watcher.say(watcher.startup_line(how))
        # Should the start fail, the watch goes on: the next change walks the vault again.
        watcher.guarded(watcher.load, "start")
        return watcher.loop()
    finally:
        watcher.stop_observer()


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set stop on SIGINT, SIGTERM and SIGHUP (a closed terminal, tmux pane or ssh
    session) while inside, so a write in progress ends cleanly; call from the main
    thread."""

    def handle(signum: int, frame: FrameType | None) -> None:
        # Not stop.set() here: the handler runs on the main thread, which may be inside
        # stop.wait() holding the event's lock; setting it from there would deadlock.
        threading.Thread(target=stop.set, daemon=True).start()

    numbers = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):  # (not on Windows)
        numbers.append(signal.SIGHUP)
    previous = {number: signal.signal(number, handle) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
