"""Load a vault: its config, what each note gives the model (through the index when it
can) and the model.

Each note is parsed into its facts (extract.note_facts: what the note gives the model
on its own), and the model is assembled from the facts of every note. The index keeps
the facts and the last model: a warm run costs a stat walk and an index read (notes
whose size and mtime are as indexed are not read at all, and when every note's bytes
are as they were, the model itself comes from the index); a changed note costs its own
parse and an assembly. A cold run over many notes parses them in worker processes
(`jobs`: workers.py).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from .config import Config, load_config
from .index import (
    Index,
    IndexProblem,
    Record,
    Stored,
    blake2b,
    cache_folder,
    digest,
    dumper,
    indexable,
    is_settled,
    kind_of,
    remove_index_files,
)
from .model import Model, NoteFacts, Problem
from .vault import NoteFile, list_notes, read_bytes, read_note
from .workers import Parsed, parse_in_workers

if TYPE_CHECKING:
    from .notes import Note

_new = tuple.__new__

# Below this many notes to parse, a worker process costs more than it saves (starting
# one costs ~15 ms; at 600 notes it already saves ~30 ms).
PARALLEL_MIN = 500
# A progress bar is worth drawing from this many notes to parse.
PROGRESS_MIN = 3000

Progress = Callable[[int, int], None]  # (notes parsed so far, notes to parse)
Warn = Callable[[str], None]


class Loaded(NamedTuple):
    """A vault as read: where it is, its config and its model."""

    root: Path
    config: Config
    model: Model


class Known(NamedTuple):
    """One note as read: its size, mtime and digest then, and its facts."""

    path: str
    size: int
    mtime_ns: int
    digest: bytes
    facts: NoteFacts


def _stderr(message: str) -> None:
    print(f"mdmastery: {message}", file=sys.stderr)


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def collector_paused(freeze: bool = True) -> Iterator[None]:
    """Pause the cycle collector: a bulk load makes many objects and no cycles to free.

    Afterwards (freeze) the objects made are frozen out of the collector's sight
    (refcounting still frees them): otherwise the first collection after the pause walks
    them all. A frozen object is never collected, so cyclic garbage frozen stays for
    good: what runs again and again (a watch's rebuilds) must not freeze.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def _parser() -> tuple[ModuleType, ModuleType]:
    """The parser's modules (extract, notes), imported on first use (a warm run needs
    none); found once, since an import statement costs a note some µs even when the
    module is loaded."""
    from . import extract, notes

    return extract, notes


def note_facts(path: str, data: bytes, config: Config) -> NoteFacts:
    """Parse one note's bytes into its facts. The body of a note of no kind, or of a
    review, is not parsed: only a journal, habit, goal or vision note gives the model
    anything from its body. A parser bug on one note is that note's error, not the
    run's end."""
    extract, notes = _parser()
    kinds: list[tuple[str | None, date | None]] = []  # what wants_body found, if asked

    def wants_body(head: Note) -> bool:
        kinds.append(extract.note_kind(head, config))
        return kinds[-1][0] not in (None, "review")  # (a review: ours, no data)

    try:
        facts: NoteFacts = extract.note_facts(notes.parse_note(path, data, wants_body),
                                              config, kinds[-1] if kinds else None)
        return facts
    except Exception as error:
        return NoteFacts(path, (Problem(path, 0, "error", "mdmastery failed to parse this "
                                        f"note ({type(error).__name__}: {error}); "
                                        "please report it"),))


def update_model(model: Model, old: Mapping[str, NoteFacts | None],
                 new: Mapping[str, NoteFacts | None],
                 day_notes: Callable[[date], Iterable[NoteFacts]],
                 habit_facts: Iterable[NoteFacts], config: Config) -> Model | None:
    """Update the model for a few changed notes (see extract.update_model)."""
    from .extract import update_model as update

    return update(model, old, new, day_notes, habit_facts, config)


def assemble(facts: Iterable[NoteFacts], config: Config) -> Model:
    """Assemble the model (imported on first use: a warm run takes it from the index)."""
    from .extract import assemble as assemble_facts

    return assemble_facts(facts, config)


def load_vault(root: Path, *, use_cache: bool = True, jobs: int | None = None,
               progress: Progress | None = None, warn: Warn | None = None,
               abandon: list[Any] | None = None) -> Loaded:
    """Read the whole vault into the model, through the index unless use_cache is False.

    jobs is the number of processes parsing a large set of notes (default: the CPU
    count); progress is called while many notes are parsed; warn gets the one-line
    notices about the index (default: stderr). abandon, for a process that ends without
    freeing its objects (cli.run), keeps what the load is done with (every note's
    facts): freeing them one by one costs ~20 ms at 10,000 notes, for nothing.
    """
    config = load_config(root)
    problems: list[Problem] = []
    loader = _Loader(root, config, jobs or default_jobs(), progress, warn or _stderr,
                     abandon)
    with collector_paused():
        model, _ = loader.load(None, problems, use_cache, keep=False)
    return Loaded(root, config, with_problems(model, problems))


def load_known(root: Path, config: Config, files: list[NoteFile], *, use_cache: bool = True,
               warn: Warn | None = None) -> tuple[Model, list[Known], list[Problem]]:
    """Read the given notes through the index: the model, each readable note as known
    (in path order) and the problems of the notes that could not be read."""
    problems: list[Problem] = []
    loader = _Loader(root, config, default_jobs(), None, warn or _stderr)
    with collector_paused():
        model, known = loader.load(files, problems, use_cache, keep=True)
    return model, known, problems


def with_problems(model: Model, problems: Iterable[Problem]) -> Model:
    """Return the model with the problems of the listing and of unreadable files added."""
    extra = set(problems)
    if not extra:
        return model
    return replace(model, problems=tuple(sorted(set(model.problems) | extra)))


# Up to this many changed notes, the stored model is updated rather than assembled again.
UPDATE_MAX = 500
# Parsed notes are written to the index this many at a time, so a cold build keeps
# little in memory and an interrupted one leaves its work behind.
WRITE_BATCH = 1000


class _RowsUnusable(Exception):
    """Stored facts could not be read back; the load starts over without them."""

    def __init__(self, problem: IndexProblem | None) -> None:
        super().__init__(str(problem))
        self.problem = problem  # None: another run changed them under us (not damage)


class _Loader:
    def __init__(self, root: Path, config: Config, jobs: int, progress: Progress | None,
                 warn: Warn, abandon: list[Any] | None = None) -> None:
        self.root = root
        self.abandon = abandon  # (see load_vault)
        self.config = config
        self.jobs = jobs
        self.progress = progress
        self.warn = warn
        self.index: Index | None = None
        self.writable = True

    def load(self, files: list[NoteFile] | None, problems: list[Problem], use_cache: bool,
             keep: bool) -> tuple[Model, list[Known]]:
        """Return the model and, when keep is set, every readable note as known.

        files None: list the vault here (its problems join problems), after reading the
        index: with nothing indexed, every note is read, so the listing needs no stats.
        """
        if use_cache:
            self.index = Index.open(self.root, self.warn)
        try:
            if self.index is not None:
                self._check_settings()
            records = self._records()
            if files is None:
                files, listed = list_notes(self.root, self.config.ignore, stats=bool(records))
                problems.extend(listed)
            found: list[Problem] = []
            try:
                result = self._load(files, found, records, keep)
            except _RowsUnusable as unusable:
                # Read every note from disk; throw the index away only if it is damaged.
                if unusable.problem is not None:
                    self._rebuild(unusable.problem)
                found = []
                result = self._load(files, found, {}, keep)
            problems.extend(found)
            return result
        finally:
            if self.index is not None:
                self.index.close()

    def _check_settings(self) -> None:
        """Facts depend on the settings (daily-note formats, areas): new settings, new facts."""
        assert self.index is not None
        try:
            self.index.use_settings(repr(self.config))
        except IndexProblem as problem:
            self.warn(str(problem))
            self.index.close()
            self.index = None

    def _load(self, files: list[NoteFile], problems: list[Problem],
              records: dict[str, Record], keep: bool) -> tuple[Model, list[Known]]:
        present = {file.path for file in files}
        removed = [path for path in records if path not in present]
        # Notes whose stat is as indexed (and was trusted then) are not read at all.
        stale: list[NoteFile] = []
        to_parse: list[NoteFile] = []
        for file in files:
            record = records.get(file.path)
            if record is None:
                to_parse.append(file)
            elif not record.settled or record.size != file.size or \
                    record.mtime_ns != file.mtime_ns:
                stale.append(file)
        restat, changed, gone = self._compare(stale, records, problems)
        to_parse.extend(file for file in stale if file.path in changed)
        dropped = [*removed, *(path for path in gone if path in records)]
        # A few notes changed: the stored model is updated, not assembled again.
        base = None
        if not keep and 0 < len(to_parse) + len(dropped) <= UPDATE_MAX:
            base = self._base(records, [file.path for file in to_parse] + dropped)
        self._update([], dropped, restat)
        included = [file for file in files if file.path not in gone]
        if not to_parse and not keep:
            # Every note's bytes are known: the model may be stored already.
            model = self._stored_model(self._fingerprint(
                (file.path, records[file.path].digest) for file in included))
            if model is not None:
                return model, []
        parsed = self._parse_all(to_parse, problems, records)
        if base is not None:
            model = self._updated(base, parsed, dropped, records)
            if model is not None:
                self._store_model(model, included, parsed, records)
                return model, []
        stored = self._stored_facts(
            [file.path for file in included if file.path not in parsed], records)
        known: list[Known] = []
        for file in included:
            one = parsed.get(file.path)
            if one is None:
                if file.path in parsed:
                    continue  # unreadable: its problem is reported
                record = records[file.path]
                one = Known(file.path, file.size, file.mtime_ns, record.digest,
                            stored.get(file.path) or NoteFacts(file.path))
            known.append(one)
        model = assemble((one.facts for one in known), self.config)
        self._store_model(model, included, parsed, records)
        if self.abandon is not None:
            self.abandon.append((parsed, stored, known))
        return model, known if keep else []

    def _store_model(self, model: Model, included: list[NoteFile],
                     parsed: dict[str, Known | None], records: dict[str, Record]) -> None:
        """Keep the model under the fingerprint of the notes it was made from."""
        if self.index is None:
            return
        digests: list[tuple[str, bytes]] = []
        for file in included:
            if file.path in parsed:
                one = parsed[file.path]
                if one is not None:
                    digests.append((file.path, one.digest))
            else:
                digests.append((file.path, records[file.path].digest))
        self._writing(self.index.store_model, self._fingerprint(digests), model)

    def _base(self, records: dict[str, Record],
              paths: list[str]) -> tuple[Model, dict[str, NoteFacts | None]] | None:
        """Return the stored model of the notes as indexed and the stored facts of paths
        (None for a new note), if the index has them."""
        model = self._stored_model(self._fingerprint(
            (path, records[path].digest) for path in sorted(records)))
        if model is None:
            return None
        try:
            found = self._stored_facts([path for path in paths if path in records], records)
        except _RowsUnusable:
            return None  # the full load finds out and says what is wrong
        return model, {path: None if path not in records else found.get(path) or
                       NoteFacts(path) for path in paths}

    def _updated(self, base: tuple[Model, dict[str, NoteFacts | None]],
                 parsed: dict[str, Known | None], dropped: list[str],
                 records: dict[str, Record]) -> Model | None:
        """Return the stored model updated for the parsed and dropped notes, or None when
        it must be assembled from every note."""
        model, old = base
        new: dict[str, NoteFacts | None] = {path: None for path in dropped}
        for path, one in parsed.items():
            new[path] = one.facts if one is not None else None
        left = set(new)
        index = self.index
        assert index is not None

        def stored(**where: str) -> list[NoteFacts]:
            rows = index.facts_where(**where)
            if any(path not in records or records[path].digest != digest_
                   for path, (digest_, _) in rows.items() if path not in left):
                raise IndexProblem("changed by another run")
            return [facts for path, (_, facts) in rows.items() if path not in left]

        def day_notes(day: date) -> list[NoteFacts]:
            return stored(day=day.isoformat()) + [
                facts for facts in new.values()
                if facts is not None and facts.journal is not None and facts.journal.day == day]

        try:
            habits = stored(kind="habit")
            return update_model(model, old, new, day_notes, habits, self.config)
        except IndexProblem:
            return None

    def _records(self) -> dict[str, Record]:
        if self.index is None:
            return {}
        try:
            return self.index.records()
        except IndexProblem as problem:
            self._rebuild(problem)
            return {}

    def _compare(self, stale: list[NoteFile], records: dict[str, Record],
                 problems: list[Problem]) -> tuple[list[Stored], set[str], set[str]]:
        """Hash notes that may have changed: the same bytes keep the stored facts (a touch,
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

    def _parse_all(self, files: list[NoteFile], problems: list[Problem],
                   records: dict[str, Record]) -> dict[str, Known | None]:
        """Parse notes (written to the index in batches as they come); collect problems.
        A note that could not be read maps to None."""
        parsed: dict[str, Known | None] = {}
        batch: list[Stored] = []
        dropped: list[str] = []
        keep = self.index is not None and self.writable
        for path, outcome, facts in self._parse(files, keep):
            if not isinstance(outcome, Stored) or facts is None:
                parsed[path] = None
                if isinstance(outcome, Problem):
                    problems.append(outcome)
                if path in records:
                    dropped.append(path)
                continue
            parsed[path] = _new(Known, (path, outcome.size, outcome.mtime_ns, outcome.digest,
                                        facts))
            if keep and indexable(path):
                batch.append(outcome)
            if len(batch) >= WRITE_BATCH:
                self._update(batch)
                batch = []
        self._update(batch, dropped)
        return parsed

    def _stored_facts(self, paths: list[str],
                      records: dict[str, Record]) -> dict[str, NoteFacts]:
        """Return the stored facts of the notes among paths that give the model anything."""
        wanted = {path for path in paths if records[path].has_facts}
        if not wanted:
            return {}
        assert self.index is not None
        try:
            found = self.index.facts(wanted)
        except IndexProblem as problem:
            raise _RowsUnusable(problem) from None
        if len(found) != len(wanted) or \
                any(found[path][0] != records[path].digest for path in wanted):
            raise _RowsUnusable(None)  # another run changed them since records() read
        return {path: facts for path, (_, facts) in found.items()}

    def _fingerprint(self, digests: Iterable[tuple[str, bytes]]) -> bytes:
        """Name the model's inputs: the config, then each note's path and digest."""
        hasher = blake2b(repr(self.config).encode(), digest_size=16)
        for path, content in digests:
            hasher.update(path.encode("utf-8", "surrogateescape"))
            hasher.update(b"\0")
            hasher.update(content)
        return hasher.digest()

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
        if self.index is not None:
            self._check_settings()

    def _parse(self, files: Sequence[NoteFile], keep_blobs: bool) -> Iterator[Parsed]:
        """Read and parse notes, with worker processes when there are many (then in no set
        order)."""
        total = len(files)
        show = self.progress if self.progress is not None and total >= PROGRESS_MIN else None
        batches: Iterable[list[Parsed]]
        if self.jobs > 1 and total >= PARALLEL_MIN:
            batches = parse_in_workers(self._parse_chunk, files, self.jobs, keep_blobs)
        else:
            size = 256
            batches = (_parse_files(self.root, files[start:start + size], self.config,
                                    keep_blobs)
                       for start in range(0, total, size))
        done = 0
        if show is not None:
            show(0, total)
        for batch in batches:
            yield from batch
            done += len(batch)
            if show is not None:
                show(done, total)

    def _parse_chunk(self, files: Sequence[NoteFile], keep_blobs: bool) -> list[Parsed]:
        """Read and parse some notes (see _parse_files); what the worker processes run."""
        return _parse_files(self.root, files, self.config, keep_blobs)


def _parse_files(root: Path, files: Sequence[NoteFile], config: Config,
                 keep_blobs: bool) -> list[Parsed]:
    """Read and parse notes; keep_blobs also pickles each one's facts for the index."""
    out: list[Parsed] = []
    pickled = dumper()
    for file in files:
        read_at = time.time_ns()
        data, info = read_note(root, file, config.max_file_size)
        if not isinstance(data, bytes):
            out.append((file.path, data, None))
            continue
        assert info is not None  # (bytes come with the stat of the file read)
        facts = note_facts(file.path, data, config)
        blob = (b"" if facts.empty else pickled(facts)) if keep_blobs else b""
        kind, day = kind_of(facts)
        # The stat of the bytes read, not of the listing (which may have none).
        # (tuple.__new__: every field given, the named tuple's Python-level __new__ is
        # spared, as for each note below)
        mtime_ns = info.st_mtime_ns
        out.append((file.path, _new(Stored, (file.path, info.st_size, mtime_ns,
                                             digest(data), is_settled(mtime_ns, read_at),
                                             blob, kind, day)), facts))
    return out
