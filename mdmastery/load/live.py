"""The watch's vault, kept in memory through the loader (see LiveVault)."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Config
from ..errors import Problem
from ..model.facts import NoteFacts
from ..model.model import Model
from ..reading.files import NoteFile, is_ignored, is_note_name, list_notes, read_bytes
from .index import digest, is_settled
from .loader import assemble, load_known, update_model, with_problems


class Stopped(Exception):
    """The watch was asked to stop in the middle of a long step."""


def parse_facts(path: str, data: bytes, config: Config) -> NoteFacts:
    """Parse a note's bytes into its facts, as the loader does (parse.py)."""
    from .parse import parse_facts as parse  # (the parser: imported when a note changes)

    return parse(path, data, config)


@dataclass(slots=True)
class _Entry:
    size: int
    mtime_ns: int
    digest: bytes
    facts: NoteFacts | None = None
    problem: Problem | None = None
    settled: bool = True  # read long enough after its mtime for size and mtime to tell


class LiveVault:
    """A vault kept in memory while the watch runs: every note's facts, keyed by path,
    size and mtime, and the model.

    The first read is load_vault's (through the index); afterwards a change re-reads only
    the notes whose size, mtime or bytes changed, parses them as the loader does
    (parse.py), and the model is updated for them, or assembled again, as the loader
    updates or assembles the stored one (loader.update_model, loader.assemble): the model
    is always the one load_vault would give.
    """

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

    def note_written(self, relative: str) -> None:
        """Take a note mdmastery just wrote (a review), so its own events change nothing."""
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
                                       parse_facts(relative, data, self.config),
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
        return _Entry(file.size, file.mtime_ns, found, parse_facts(file.path, data, self.config),
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
            self._model = update_model(
                self._model, changed, new, self._journal_notes, habits, self.config,
                paths=lambda: [path for path, entry in self.entries.items()
                               if entry.facts is not None])
        if self._model is None:
            self._model = assemble(self.facts(), self.config)
        self._changed = {}
        return with_problems(self._model, self.problems())
