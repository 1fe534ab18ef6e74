"""A note's bytes -> its facts, and many notes read and parsed for the index.

Imported only when a note must be parsed: a warm run takes every fact, and the model,
from the index, and imports no parser.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..config import Config
from ..errors import Problem
from ..model.extract import extract_facts
from ..model.facts import NoteFacts
from ..model.kinds import note_kind
from ..reading.files import NoteFile, read_note
from ..reading.note import Note, parse_note
from .index import Parsed, Stored, digest, is_settled, kind_of
from .pickling import dumper


def parse_facts(path: str, data: bytes, config: Config) -> NoteFacts:
    """Parse one note's bytes into its facts. The body of a note of no kind, or of a
    review, is not parsed: only a journal, habit, goal or vision note gives the model
    anything from its body. A parser bug on one note is that note's error, not the
    run's end."""
    kinds: list[tuple[str | None, date | None]] = []  # what wants_body found, if asked

    def wants_body(head: Note) -> bool:
        kinds.append(note_kind(head, config))
        return kinds[-1][0] not in (None, "review")  # (a review: ours, no data)

    try:
        return extract_facts(parse_note(path, data, wants_body), config,
                             kinds[-1] if kinds else None)
    except Exception as error:
        return NoteFacts(path, (Problem(path, 0, "error", "mdmastery failed to parse this "
                                        f"note ({type(error).__name__}: {error}); "
                                        "please report it"),))


def parse_files(root: Path, files: Sequence[NoteFile], config: Config,
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
        facts = parse_facts(file.path, data, config)
        blob = (b"" if facts.empty else pickled(facts)) if keep_blobs else b""
        kind, day = kind_of(facts)
        # The stat of the bytes read, not of the listing (which may have none).
        mtime_ns = info.st_mtime_ns
        out.append((file.path, Stored(file.path, info.st_size, mtime_ns, digest(data),
                                      is_settled(mtime_ns, read_at), blob, kind, day), facts))
    return out
