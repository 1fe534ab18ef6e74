"""The one incremental pipeline: a vault -> its config and model, through the index.

Each note is parsed into its facts (parse.py: what the note gives the model on its own),
and the model is assembled from the facts of every note (model/assemble.py). The index
keeps the facts and the last model: a warm run costs a stat walk and an index read (notes
whose size and mtime are as indexed are not read at all, and when every note's bytes are
as they were, the model itself comes from the index); a few changed notes cost their own
parse and an update of the stored model; more cost an assembly from the stored facts. A
cold run over many notes parses them in worker processes (workers.py). The watch keeps a
vault in memory through the same steps (live.py).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from ..config import Config, load_config
from ..errors import Problem
from ..model.facts import NoteFacts
from ..model.model import Model
from ..reading.files import NoteFile, list_notes, read_bytes
from ..report import Progress, notice
from .folder import IndexProblem, cache_folder, remove_index_files
from .index import Index, Parsed, Record, Stored, blake2b, digest, indexable, is_settled
from .workers import parse_in_workers

# Below this many notes to parse, a worker process costs more than it saves
# (docs/performance.md).
PARALLEL_MIN = 500


# A progress bar is worth drawing from this many notes to parse.
PROGRESS_MIN = 3000


Warn = Callable[[str], None]  # gets a one-line notice about the index


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


def update_model(model: Model, old: Mapping[str, NoteFacts | None],
                 new: Mapping[str, NoteFacts | None],
                 day_notes: Callable[[date], Iterable[NoteFacts]],
                 habit_facts: Iterable[NoteFacts], config: Config, *,
                 paths: Callable[[], Iterable[str]]) -> Model | None:
    """Update the model for a few changed notes (see model/assemble.py's update_model);
    None when it must be assembled from every note."""
    from ..model.assemble import update_model as update  # (not needed by a warm run)

    return update(model, old, new, day_notes, habit_facts, config, paths=paths)


def assemble(facts: Iterable[NoteFacts], config: Config) -> Model:
    """Assemble the model from every note's facts (see model/assemble.py)."""
    from ..model.assemble import assemble as assemble_facts  # (not needed by a warm run)

    return assemble_facts(facts, config)


def load_vault(root: Path, *, use_cache: bool = True, jobs: int | None = None,
               progress: Progress | None = None, warn: Warn | None = None,
               kept: list[Any] | None = None) -> Loaded:
    """Read the whole vault into the model, through the index unless use_cache is False.

    jobs is the number of processes parsing a large set of notes (default: the CPU
    count); progress is called while many notes are parsed; warn gets the one-line
    notices about the index (default: stderr). kept, for a process that ends without
    freeing its objects (entry.run), gets what the load is done with (every note's
    facts) instead of freeing it one by one, for nothing (docs/performance.md).
    """
    config = load_config(root)
    problems: list[Problem] = []
    loader = Loader(root, config, jobs or default_jobs(), progress, warn or notice, kept)
    with collector_paused():
        model, _ = loader.load(None, problems, use_cache, keep=False)
    return Loaded(root, config, with_problems(model, problems))


def load_known(root: Path, config: Config, files: list[NoteFile], *, use_cache: bool = True,
               warn: Warn | None = None) -> tuple[Model, list[Known], list[Problem]]:
    """Read the given notes through the index: the model, each readable note as known
    (in path order) and the problems of the notes that could not be read."""
    problems: list[Problem] = []
    loader = Loader(root, config, default_jobs(), None, warn or notice)
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


class Loader:
    """One load of a vault through its index (see load_vault and load_known)."""

    def __init__(self, root: Path, config: Config, jobs: int, progress: Progress | None,
                 warn: Warn, kept: list[Any] | None = None) -> None:
        self.root = root
        self.kept = kept  # (see load_vault)
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
        if self.kept is not None:
            self.kept.append((parsed, stored, known))
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
            return update_model(
                model, old, new, day_notes, habits, self.config,
                paths=lambda: [*(path for path in records if path not in new),
                               *(path for path, facts in new.items() if facts is not None)])
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
            parsed[path] = Known(path, outcome.size, outcome.mtime_ns, outcome.digest, facts)
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
            batches = (self._parse_chunk(files[start:start + size], keep_blobs)
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
        """Read and parse some notes (parse.py); what the worker processes run too."""
        from .parse import parse_files  # (the parser: imported only when a note is parsed)

        return parse_files(self.root, files, self.config, keep_blobs)
