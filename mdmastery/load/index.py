"""The on-disk cache of what each note gives the model (SQLite) for fast re-runs.

`<vault>/.mdmastery/cache/index.sqlite` holds, for each note, the size and mtime_ns
it had when it was read, a digest of its bytes and its facts (what it gives the model,
see model/facts.py); and the model assembled from all of them, under a fingerprint
of the notes and config it came from (its journal kept by year, see store_model).
Facts depend on the settings too: an index made under other settings keeps the notes'
stats but not their facts.
A run stats the vault and re-reads only the notes whose size or mtime changed, plus
the few read so soon after their last change that the mtime alone cannot be trusted
(an edit within the file system's timestamp granularity keeps the mtime; their bytes
are hashed again, as git does with "racily clean" entries).

The index is disposable: a file that is not a readable index of this exact code
(garbage, truncated, another schema or version) is rebuilt, and a locked one is
bypassed, each with a one-line message; nothing about it is ever fatal. SQLite's
WAL mode and one transaction per write keep it consistent across a kill -9 and two
runs at once. It is written only inside `.mdmastery/cache/` (folder.py). Its values are
pickles that only our own classes can be read back from (pickling.py).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pickle
import sqlite3
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from ..errors import Problem
from ..model.facts import NoteFacts
from ..report import notice
from .folder import INDEX_NAME, IndexProblem, prepare_folder, remove_index_files
from .pickling import dumps, loads, loads_many

try:  # CPython's own BLAKE2: importing hashlib also loads OpenSSL, for nothing here
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover (another Python)
    from hashlib import blake2b as blake2b

# Bump when the tables or the stored values change shape.
SCHEMA_VERSION = 4


PAGE_SIZE = 65536  # bytes, of a new index (SQLite's largest)


# A note read less than this long after its mtime may change again within the same
# timestamp (FAT has 2 s granularity): it is hashed again on the next run.
RACY_WINDOW_NS = 3_000_000_000


# Up to this many notes, stored facts are looked up by path rather than by reading
# through the whole table.
FEW_PATHS = 2000


# The model part that holds the habits (the others are the journal's years).
_HABITS = "habits"


# How long to wait for another run's write before going on without the index.
BUSY_TIMEOUT_S = 2.0


Warn = Callable[[str], None]


def digest(data: bytes) -> bytes:
    """Return the digest that tells a note's bytes apart (16 bytes of BLAKE2b)."""
    return blake2b(data, digest_size=16).digest()


def indexable(path: str) -> bool:
    """Tell whether a path can be a key (not a file name that is not valid UTF-8)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_settled(mtime_ns: int, read_at_ns: int) -> bool:
    """Tell whether a note read at read_at_ns is old enough for its mtime to be trusted."""
    return read_at_ns - mtime_ns >= RACY_WINDOW_NS


def _read(path: str) -> bytes:
    """Return a file's bytes (a source of the package, for the code fingerprint)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, os.fstat(fd).st_size + 1)
    finally:
        os.close(fd)


# The package whose sources the index's values depend on: mdmastery, this file's parent's.
PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=4)
def code_fingerprint(package: Path = PACKAGE) -> str:
    """Return what a stored value depends on besides the note: this code and its parsers.

    The package's sources are hashed, so an edited parser in a development checkout
    rebuilds the index too, not only a new release.
    """
    hasher = blake2b(digest_size=16)
    hasher.update(f"{SCHEMA_VERSION}|{__version__}|{sys.version_info[:2]}".encode())
    # Every module of the package, subpackages too: an edit anywhere may change a fact.
    root = str(package)
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        where = folder[len(root):]
        for name in sorted(names):
            if name.endswith(".py"):
                hasher.update(f"{where}/{name}".encode())
                hasher.update(_read(os.path.join(folder, name)))
    # The parsers' versions (and whether PyYAML has its C part), without importing them.
    for name in ("yaml", "markdown_it"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            origin = Path(spec.origin)
            hasher.update(origin.read_bytes())
            hasher.update(" ".join(sorted(p.name for p in origin.parent.iterdir())).encode())
    return hasher.hexdigest()


# Named tuples: a warm run reads a Record for every note.
class Record(NamedTuple):
    """What the index knows of one note without loading it."""

    size: int
    mtime_ns: int
    digest: bytes
    settled: bool  # the mtime was old enough when read to be trusted alone
    has_facts: bool  # the note gives the model something (most notes with a kind)


class Stored(NamedTuple):
    """One note read from disk, ready to be written to the index."""

    path: str
    size: int
    mtime_ns: int
    digest: bytes
    settled: bool
    blob: bytes  # dumps(facts), or b"" for a note that gives the model nothing
    kind: str = ""  # journal | habit | goal | vision, or "" (see kind_of)
    day: str | None = None  # a journal note's day, ISO


# One file read: (path, what the index stores of it or why it could not be read or None
# when it vanished, its facts).
Parsed = tuple[str, Stored | Problem | None, NoteFacts | None]





def kind_of(facts: Any) -> tuple[str, str | None]:
    """Return the kind and the journal day (ISO) the index keeps of a note's facts."""
    if facts.journal is not None:
        return "journal", facts.journal.day.isoformat()
    for kind in ("habit", "goal", "vision"):
        if getattr(facts, kind) is not None:
            return kind, None
    return "", None


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS notes (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, digest BLOB NOT NULL, settled INTEGER NOT NULL, "
    "has_facts INTEGER NOT NULL, kind TEXT NOT NULL, day TEXT, facts BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, fingerprint BLOB NOT NULL, "
    "value BLOB NOT NULL)",
    # A warm run reads only the stats: from this small index, not the pages of the notes.
    "CREATE INDEX IF NOT EXISTS notes_stat ON notes "
    "(path, size, mtime_ns, digest, settled, has_facts)",
    # A few changed journal notes: the other notes of their days, and the habits.
    "CREATE INDEX IF NOT EXISTS notes_day ON notes (day)",
    "CREATE INDEX IF NOT EXISTS notes_kind ON notes (kind)",
)


class Index:
    """An open index; every method either works or raises IndexProblem."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        # The journal parts of the model this index last loaded or stored, with their
        # digests: store_model writes only the parts that changed.
        self._parts: dict[str, tuple[Any, bytes]] = {}

    @classmethod
    def open(cls, root: Path, warn: Warn = notice) -> Index | None:
        """Open (or create, or rebuild) the vault's index; None when it cannot be used."""
        try:
            folder = prepare_folder(root)
        except IndexProblem as problem:
            warn(f"not using the index: {problem}")
            return None
        damage: str | None = None  # what was wrong with the index found, if anything
        for _ in range(2):
            try:
                connection = _connect(folder / INDEX_NAME)
            except _Stale as stale:
                reason = str(stale)
            except sqlite3.OperationalError as error:
                if _is_busy(error):
                    warn("index is busy (another mdmastery run?); going on without it")
                    return None
                reason = f"is unreadable ({error})"
            except (sqlite3.DatabaseError, OSError) as error:
                reason = f"is unreadable ({error})"
            else:
                if damage is not None:
                    warn(f"index {damage}; rebuilt it")
                return cls(connection)
            if damage is not None:
                warn(f"index {damage}; cannot rebuild it ({reason}); going on without it")
                return None
            damage = reason
            try:
                remove_index_files(folder)
            except OSError as error:
                warn(f"index {damage}; cannot remove it ({error.strerror or error}); "
                     "going on without it")
                return None
        return None

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()

    def records(self) -> dict[str, Record]:
        """Return every indexed note's size, mtime, digest, whether it is settled and
        whether it has facts."""
        try:
            rows = self.connection.execute(
                "SELECT path, size, mtime_ns, digest, settled, has_facts "
                "FROM notes").fetchall()
        except sqlite3.Error as error:
            raise IndexProblem(f"index is unreadable ({error})") from None
        return {path: Record(size, mtime_ns, bytes(digest_), bool(settled), bool(has))
                for path, size, mtime_ns, digest_, settled, has in rows}

    def facts(self, paths: Collection[str]) -> dict[str, tuple[bytes, Any]]:
        """Return the digest and stored facts of each of paths that has facts."""
        if len(paths) > FEW_PATHS:
            return self._facts("has_facts", (), paths)  # one pass over the table
        found: dict[str, tuple[bytes, Any]] = {}
        listed = sorted(paths)
        for start in range(0, len(listed), 500):  # by key: a few notes cost a few rows
            chunk = listed[start:start + 500]
            found.update(self._facts(
                f"has_facts AND path IN ({', '.join('?' * len(chunk))})", chunk))
        return found

    def facts_where(self, *, day: str | None = None,
                    kind: str | None = None) -> dict[str, tuple[bytes, Any]]:
        """Return the digest and stored facts of the journal notes of one day, or of the
        notes of one kind."""
        if day is not None:
            return self._facts("day = ?", (day,))
        return self._facts("kind = ?", (kind,))

    def _facts(self, where: str, values: Sequence[Any],
               paths: Collection[str] | None = None) -> dict[str, tuple[bytes, Any]]:
        try:
            rows = [row for row in self.connection.execute(
                f"SELECT path, digest, facts FROM notes WHERE {where}", values)
                if paths is None or row[0] in paths]
        except sqlite3.Error as error:
            raise IndexProblem(f"index is unreadable ({error})") from None
        try:
            loaded = loads_many([blob for _, _, blob in rows])
        except Exception as error:  # unpickling garbage raises anything
            raise IndexProblem(f"index holds unreadable notes ({type(error).__name__})") \
                from None
        found = {}
        for (path, digest_, _), facts in zip(rows, loaded, strict=True):
            if getattr(facts, "path", None) != path:
                raise IndexProblem("index holds a note under the wrong path")
            found[path] = (bytes(digest_), facts)
        return found

    def use_settings(self, settings: str) -> None:
        """Forget every note's facts if they were found under other settings."""
        try:
            row = self.connection.execute(
                "SELECT value FROM meta WHERE key = 'settings'").fetchone()
        except sqlite3.Error as error:
            raise IndexProblem(f"index is unreadable ({error})") from None
        if row is not None and row[0] == settings:
            return
        with self._write() as connection:
            connection.execute("DELETE FROM notes")
            connection.execute("DELETE FROM models")
            connection.execute("INSERT OR REPLACE INTO meta (key, value) "
                               "VALUES ('settings', ?)", (settings,))

    def model(self, fingerprint: bytes) -> Any | None:
        """Return the model stored under this fingerprint, or None.

        The model is kept in parts (see store_model): a head, the habits, and the
        journal's notes of each year (model.DayNote). Each part is checked against the
        digest the head lists, so parts of two runs' models are never mixed; a journal
        year is unpickled only when the model's user first reads it (model.Journal).
        """
        from ..model.journal import Journal, StoredYear
        from ..model.model import Model

        try:
            rows = {name: (bytes(key), bytes(value)) for name, key, value in
                    self.connection.execute("SELECT name, fingerprint, value FROM models")}
        except sqlite3.Error as error:
            raise IndexProblem(f"index is unreadable ({error})") from None
        head = rows.get("model")
        if head is None or head[0] != fingerprint:
            return None
        try:
            (goals, vision, problems, note_count, notices, namesakes, scales), \
                habits_digest, years = loads(head[1])
            blob = rows.get(_HABITS, (b"", b""))[1]
            if digest(blob) != habits_digest:
                return None  # another run stored its model since this one's head
            habits = loads(blob)
            parts: dict[str, tuple[Any, bytes]] = {_HABITS: (habits, habits_digest)}
            journal: dict[int, StoredYear] = {}
            for year, part_digest, length, moods in years:
                name = _year_name(year)
                blob = rows.get(name, (b"", b""))[1]
                if digest(blob) != part_digest:
                    return None
                journal[year] = StoredYear(partial(loads, blob), length, moods)
                parts[name] = (journal[year], part_digest)
            model = Model(habits, goals, Journal(journal), vision, problems, note_count,
                          notices, namesakes, scales)
        except Exception as error:  # unpickling garbage raises anything
            raise IndexProblem(f"index holds an unreadable model ({type(error).__name__})") \
                from None
        self._parts = parts
        return model

    def update(self, stored: Sequence[Stored], removed: Iterable[str] = (),
               restat: Sequence[Stored] = ()) -> None:
        """Write new and changed notes, drop vanished ones, take new stats of notes whose
        bytes did not change: one transaction."""
        removed = list(removed)
        if not stored and not removed and not restat:
            return
        with self._write() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO notes "
                "(path, size, mtime_ns, digest, settled, has_facts, kind, day, facts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(s.path, s.size, s.mtime_ns, s.digest, int(s.settled), int(bool(s.blob)),
                  s.kind, s.day, s.blob)
                 for s in stored])
            connection.executemany("DELETE FROM notes WHERE path = ?",
                                   [(path,) for path in removed])
            connection.executemany(
                "UPDATE notes SET size = ?, mtime_ns = ?, settled = ? WHERE path = ?",
                [(s.size, s.mtime_ns, int(s.settled), s.path) for s in restat])

    def store_model(self, fingerprint: bytes, model: Any) -> None:
        """Keep the model built from the notes that fingerprint names.

        Most of a model is its habits (every day's check-off) and its journal, so these
        are kept apart from the head (goals, vision, problems): the habits in one part,
        the journal in one part a year, with each year's length and moods in the head.
        A part that holds what this index loaded (the same objects: update_model keeps
        them) is not pickled and written again, so a few changed notes cost a few parts,
        not the model.
        """
        from ..model.journal import StoredYear

        now: dict[str, Any] = {_HABITS: tuple(model.habits)}
        for year, part in model.journal.parts().items():
            now[_year_name(year)] = part
        digests: dict[str, bytes] = {}
        writes: list[tuple[str, bytes]] = []
        try:
            for name, part in now.items():
                known = self._parts.get(name)
                if known is not None and _same(known[0], part):
                    digests[name] = known[1]
                    continue
                blob = dumps(part.read() if isinstance(part, StoredYear) else part)
                digests[name] = digest(blob)
                writes.append((name, blob))
            years = [(year, digests[_year_name(year)], *model.journal.summary(year))
                     for year in model.journal.parts()]
            head = dumps(((model.goals, model.vision, model.problems, model.note_count,
                           model.notices, dict(model.namesakes), dict(model.scales)),
                          digests[_HABITS], tuple(years)))
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a model that cannot be pickled is simply rebuilt next time
        with self._write() as connection:
            stale = [(name,) for (name,) in connection.execute("SELECT name FROM models")
                     if name != "model" and name not in now]
            connection.executemany("DELETE FROM models WHERE name = ?", stale)
            connection.executemany("INSERT OR REPLACE INTO models (name, fingerprint, value) "
                                   "VALUES (?, x'', ?)", writes)
            connection.execute("INSERT OR REPLACE INTO models (name, fingerprint, value) "
                               "VALUES ('model', ?, ?)", (fingerprint, head))
        self._parts = {name: (part, digests[name]) for name, part in now.items()}

    def _write(self) -> _Transaction:
        return _Transaction(self.connection)


def _year_name(year: int) -> str:
    return f"journal:{year:04d}"


def _same(known: Any, part: Any) -> bool:
    """Tell whether a model part holds the very objects of one loaded or stored before."""
    if known is part:
        return True
    return type(known) is tuple and type(part) is tuple and len(known) == len(part) and \
        all(a is b for a, b in zip(known, part, strict=True))


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, with errors turned into IndexProblem."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _problem(error) from None
        return self.connection

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: object) -> None:
        if kind is None:
            try:
                self.connection.execute("COMMIT")
                return
            except sqlite3.Error as commit_error:
                error = commit_error
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise _problem(error) from None


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _problem(error: sqlite3.Error) -> IndexProblem:
    if _is_busy(error):
        return IndexProblem("index is busy (another mdmastery run?); not updated this time")
    return IndexProblem(f"index not updated ({error})")


class _Stale(Exception):
    """The index was made by another schema or code version."""


def _connect(path: Path) -> sqlite3.Connection:
    """Connect, check it is our index of this code's version, create it when empty."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                 check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # Pages of 64 KiB for a new index (an existing one keeps its own): a cold build
        # writes the same bytes in a sixteenth of the calls (9,000 fewer at 10,000 notes).
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise sqlite3.DatabaseError("cannot use WAL journal mode")
        # In WAL mode NORMAL still never corrupts; a crash may only lose the last commit.
        connection.execute("PRAGMA synchronous = NORMAL")
        # Copy the log into the index every 4 MiB, as SQLite does with its default pages: a
        # longer log slows every write (each page is looked up in it) and leaves the whole
        # copy to the close.
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        connection.execute(f"PRAGMA wal_autocheckpoint = {(4 << 20) // page_size}")
        expected = code_fingerprint()
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute("INSERT OR IGNORE INTO meta (key, value) VALUES "
                                   "('code', ?)", (expected,))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        elif not {"meta", "notes", "models"} <= tables:
            raise _Stale("has another layout")
        row = connection.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
        if row is None or row[0] != expected:
            raise _Stale("was made by another version of mdmastery")
        return connection
    except BaseException:
        connection.close()
        raise
