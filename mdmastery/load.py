"""Load a vault: its config, its notes (through the index when it can) and the model.

A warm run costs a stat walk and an index read: notes whose size and mtime are as
indexed are not read at all, and when every note's bytes are as they were, the model
itself comes from the index. Notes that changed are read and parsed again; a cold
run over many notes parses them in worker processes (`jobs`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config, load_config
from .index import (
    Index,
    IndexProblem,
    Record,
    Stored,
    cache_folder,
    digest,
    dumps,
    indexable,
    is_settled,
    loads_many,
    remove_index_files,
)
from .model import Model, Problem
from .vault import NoteFile, list_notes, read_bytes

if TYPE_CHECKING:
    from .notes import Note

# Below this many notes to parse, worker processes cost more than they save.
PARALLEL_MIN = 2000
# A progress bar is worth drawing from this many notes to parse.
PROGRESS_MIN = 3000

Progress = Callable[[int, int], None]  # (notes parsed so far, notes to parse)
Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Loaded:
    """A vault as read: where it is, its config and its model."""

    root: Path
    config: Config
    model: Model


def _stderr(message: str) -> None:
    print(f"mdmastery: {message}", file=sys.stderr)


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector: a bulk load makes many objects and no cycles to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_note(path: str, data: bytes) -> Note:
    """Parse one note's bytes (imported on first use: a warm run needs no YAML parser)."""
    from .notes import parse_note as parse

    return parse(path, data)


def build_model(notes: Iterable[Note], config: Config) -> Model:
    """Build the model (imported on first use: a warm run takes it from the index)."""
    from .extract import build_model as build

    return build(notes, config)


def load_vault(root: Path, *, use_cache: bool = True, jobs: int | None = None,
               progress: Progress | None = None, warn: Warn | None = None) -> Loaded:
    """Read the whole vault into the model, through the index unless use_cache is False.

    jobs is the number of processes parsing a large set of notes (default: the CPU
    count); progress is called while many notes are parsed; warn gets the one-line
    notices about the index (default: stderr).
    """
    config = load_config(root)
    files, problems = list_notes(root, config.ignore)
    loader = _Loader(root, config, jobs or default_jobs(), progress, warn or _stderr)
    with collector_paused():
        model = loader.load(files, problems, use_cache)
    if problems:
        model = replace(model, problems=tuple(sorted(set(model.problems) | set(problems))))
    return Loaded(root, config, model)


@dataclass(frozen=True, slots=True)
class _Read:
    """One note read and parsed."""

    stored: Stored
    note: Note


# What reading one file gave: a note, a problem, or None when it vanished.
_Outcome = tuple[str, "_Read | Problem | None"]
# Parsed notes are written to the index this many at a time, so a cold build keeps
# little in memory and an interrupted one leaves its work behind.
WRITE_BATCH = 1000
# Stored notes are read this many at a time.
READ_BATCH = 500


class _RowsUnusable(Exception):
    """Stored notes could not be read back; the load starts over without them."""

    def __init__(self, problem: IndexProblem | None) -> None:
        super().__init__(str(problem))
        self.problem = problem  # None: another run changed them under us (not damage)


class _Loader:
    def __init__(self, root: Path, config: Config, jobs: int, progress: Progress | None,
                 warn: Warn) -> None:
        self.root = root
        self.config = config
        self.jobs = jobs
        self.progress = progress
        self.warn = warn
        self.index: Index | None = None
        self.writable = True

    def load(self, files: list[NoteFile], problems: list[Problem], use_cache: bool) -> Model:
        if use_cache:
            self.index = Index.open(self.root, self.warn)
        try:
            if self.index is None:
                return build_model(self._parsed(files, problems), self.config)
            found: list[Problem] = []
            try:
                model = self._load_indexed(files, found, self._records())
            except _RowsUnusable as unusable:
                # Read every note from disk; throw the index away only if it is damaged.
                if unusable.problem is not None:
                    self._rebuild(unusable.problem)
                found = []
                model = self._load_indexed(files, found, {})
            problems.extend(found)
            return model
        finally:
            if self.index is not None:
                self.index.close()

    def _parsed(self, files: Sequence[NoteFile], problems: list[Problem]) -> Iterator[Note]:
        """Yield the notes of files in order, parsed now; collect what could not be read."""
        for _, outcome in self._parse(files, keep_blobs=False):
            if isinstance(outcome, _Read):
                yield outcome.note
            elif outcome is not None:
                problems.append(outcome)

    def _load_indexed(self, files: list[NoteFile], problems: list[Problem],
                      records: dict[str, Record]) -> Model:
        present = {file.path for file in files}
        removed = [path for path in records if path not in present]
        # Notes whose stat is as indexed (and was trusted then) are not read at all.
        stale: list[NoteFile] = []
        to_parse: set[str] = set()
        for file in files:
            record = records.get(file.path)
            if record is None:
                to_parse.add(file.path)
            elif not record.settled or record.size != file.size or \
                    record.mtime_ns != file.mtime_ns:
                stale.append(file)
        restat, changed, gone = self._compare(stale, records, problems)
        to_parse.update(changed)
        self._update([], [*removed, *(path for path in gone if path in records)], restat)
        included = [file for file in files if file.path not in gone]
        if not to_parse:
            # Every note's bytes are known: the model may be stored already.
            hasher = self._fingerprint()
            for file in included:
                _feed(hasher, file.path, records[file.path].digest)
            model = self._stored_model(hasher.digest())
            if model is not None:
                return model
        hasher = self._fingerprint()
        notes = self._merged(included, to_parse, records, problems, hasher)
        model = build_model(notes, self.config)
        if self.index is not None:
            self._writing(self.index.store_model, hasher.digest(), model)
        return model

    def _records(self) -> dict[str, Record]:
        assert self.index is not None
        try:
            return self.index.records()
        except IndexProblem as problem:
            self._rebuild(problem)
            return {}

    def _compare(self, stale: list[NoteFile], records: dict[str, Record],
                 problems: list[Problem]) -> tuple[list[Stored], set[str], set[str]]:
        """Hash notes that may have changed: the same bytes keep the stored note (a touch,
        a racily clean entry); return those, the changed paths and the unreadable ones."""
        restat: list[Stored] = []
        changed: set[str] = set()
        gone: set[str] = set()
        for file in stale:
            read_at = time.time_ns()
            data = read_bytes(self.root, file, self.config.max_file_size)
            if not isinstance(data, bytes):
                if data is not None:
                    problems.append(data)
                gone.add(file.path)
            elif digest(data) == records[file.path].digest:
                restat.append(Stored(file.path, file.size, file.mtime_ns,
                                     records[file.path].digest,
                                     is_settled(file.mtime_ns, read_at), b""))
            else:
                changed.add(file.path)
        return restat, changed, gone

    def _merged(self, included: list[NoteFile], to_parse: set[str],
                records: dict[str, Record], problems: list[Problem],
                hasher: Any) -> Iterator[Note]:
        """Yield every note in path order: parsed ones as they come (written to the index
        in batches), the others from the index; feed each one's digest to hasher."""
        parsed = self._parse([file for file in included if file.path in to_parse],
                             keep_blobs=self.index is not None and self.writable)
        kept = [file.path for file in included if file.path not in to_parse]
        next_kept = 0
        stored: dict[str, tuple[bytes, Note]] = {}
        batch: list[Stored] = []
        dropped: list[str] = []
        for file in included:
            if file.path in to_parse:
                path, outcome = next(parsed)
                if isinstance(outcome, _Read):
                    if indexable(path):
                        batch.append(outcome.stored)
                    if len(batch) >= WRITE_BATCH:
                        self._update(batch)
                        batch = []
                    _feed(hasher, path, outcome.stored.digest)
                    yield outcome.note
                else:
                    if outcome is not None:
                        problems.append(outcome)
                    if path in records:
                        dropped.append(path)
                continue
            if file.path not in stored:
                chunk = kept[next_kept:next_kept + READ_BATCH]
                next_kept += len(chunk)
                stored = self._stored_notes(chunk, records)
            content, note = stored.pop(file.path)
            _feed(hasher, file.path, content)
            yield note
        for _ in parsed:  # nothing is left; this lets it draw its last tick, end its pool
            pass
        self._update(batch, dropped)

    def _stored_notes(self, paths: list[str],
                      records: dict[str, Record]) -> dict[str, tuple[bytes, Note]]:
        assert self.index is not None
        try:
            found: dict[str, tuple[bytes, Note]] = self.index.notes(paths)
        except IndexProblem as problem:
            raise _RowsUnusable(problem) from None
        if len(found) != len(paths) or \
                any(found[path][0] != records[path].digest for path in paths):
            raise _RowsUnusable(None)  # another run changed them since records() read
        return found

    def _fingerprint(self) -> Any:
        """Start the name of the model's inputs: the config, then each note's path and
        bytes (see _feed)."""
        return hashlib.blake2b(repr(self.config).encode(), digest_size=16)

    def _stored_model(self, fingerprint: bytes) -> Model | None:
        if self.index is None:
            return None
        try:
            model: Model | None = self.index.model(fingerprint)
            return model
        except IndexProblem as problem:
            self.warn(f"{problem}; building it again")
            return None

    def _update(self, stored: Sequence[Stored], removed: Sequence[str] = (),
                restat: Sequence[Stored] = ()) -> None:
        if self.index is not None:
            self._writing(self.index.update, stored, removed, restat)

    def _writing(self, write: Callable[..., None], *args: Any) -> None:
        """Write to the index; after one failed write (busy), leave it alone this run."""
        if not self.writable or not any(args):
            return
        try:
            write(*args)
        except IndexProblem as problem:
            self.warn(str(problem))
            self.writable = False

    def _rebuild(self, problem: IndexProblem) -> None:
        """Throw the index away and start an empty one (or go on without one)."""
        if self.index is not None:
            self.index.close()
            self.index = None
        try:
            remove_index_files(cache_folder(self.root))
        except OSError as error:
            self.warn(f"{problem}; cannot remove it ({error.strerror or error}); "
                      "going on without it")
            return
        self.warn(f"{problem}; rebuilding it")
        self.index = Index.open(self.root, self.warn)

    def _parse(self, files: Sequence[NoteFile], keep_blobs: bool) -> Iterator[_Outcome]:
        """Read and parse notes in order, in worker processes when there are many."""
        total = len(files)
        show = self.progress if self.progress is not None and total >= PROGRESS_MIN else None
        batches: Iterable[list[_Outcome]]
        if self.jobs > 1 and total >= PARALLEL_MIN:
            batches = _parse_in_workers(self.root, files, self.config.max_file_size,
                                        self.jobs)
        else:
            size = 256
            batches = (_parse_files(self.root, files[start:start + size],
                                    self.config.max_file_size, keep_blobs)
                       for start in range(0, total, size))
        done = 0
        if show is not None:
            show(0, total)
        for batch in batches:
            yield from batch
            done += len(batch)
            if show is not None:
                show(done, total)


def _feed(hasher: Any, path: str, content: bytes) -> None:
    hasher.update(path.encode("utf-8", "surrogateescape"))
    hasher.update(b"\0")
    hasher.update(content)


def _parse_files(root: Path, files: Sequence[NoteFile], max_size: int,
                 keep_blobs: bool) -> list[_Outcome]:
    """Read and parse notes; keep_blobs also pickles each note for the index."""
    out: list[_Outcome] = []
    for file in files:
        read_at = time.time_ns()
        data = read_bytes(root, file, max_size)
        if not isinstance(data, bytes):
            out.append((file.path, data))
            continue
        note = parse_note(file.path, data)
        stored = Stored(file.path, file.size, file.mtime_ns, digest(data),
                        is_settled(file.mtime_ns, read_at), dumps(note) if keep_blobs else b"")
        out.append((file.path, _Read(stored, note)))
    return out


# A worker's answer for one file: (path, size, mtime_ns, digest, settled, blob), or
# (path, problem or None). Plain tuples and bytes: cheap to send back.
_Sent = tuple[Any, ...]


def _worker(task: tuple[Path, Sequence[NoteFile], int]) -> list[_Sent]:
    root, files, max_size = task
    gc.disable()
    sent: list[_Sent] = []
    for path, outcome in _parse_files(root, files, max_size, keep_blobs=True):
        if isinstance(outcome, _Read):
            stored = outcome.stored
            sent.append((path, stored.size, stored.mtime_ns, stored.digest, stored.settled,
                         stored.blob))
        else:
            sent.append((path, outcome))
    return sent


def _parse_in_workers(root: Path, files: Sequence[NoteFile], max_size: int,
                      jobs: int) -> Iterator[list[_Outcome]]:
    """Parse in worker processes, in order; the parent unpickles each batch as it comes."""
    import multiprocessing

    # fork shares the imported modules; elsewhere workers import mdmastery again.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    size = max(64, min(500, len(files) // (jobs * 8) + 1))
    tasks = [(root, files[start:start + size], max_size)
             for start in range(0, len(files), size)]
    with context.Pool(min(jobs, len(tasks))) as pool:
        for sent in pool.imap(_worker, tasks):
            parsed = [item for item in sent if len(item) == 6]
            notes = iter(loads_many([item[5] for item in parsed]))
            yield [(item[0], _Read(Stored(*item), next(notes)) if len(item) == 6 else item[1])
                   for item in sent]
