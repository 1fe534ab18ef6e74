"""Parsing many notes in worker processes (a cold run, a big change: see loader.py).

This process and jobs - 1 workers forked from it take chunks of the notes in turn, as
each is free; the workers send their notes back on pipes, their facts pickled as the
index keeps them. Where a process cannot fork (Windows), this one parses alone.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..model.facts import NoteFacts
from ..reading.files import NoteFile
from .index import Parsed, Stored
from .pickling import loads_many

# Reads and parses some notes; the flag: with their facts pickled for the index (the
# workers always send them so).
Parse = Callable[[Sequence[NoteFile], bool], list[Parsed]]

# Processes take notes to parse in chunks of this many at most, shrinking to CHUNK_MIN
# towards the end (see _chunks).
CHUNK_MAX = 200


CHUNK_MIN = 16


# A parsed note travels as a Stored's values; one that could not be read, as (path, why).
_STORED_FIELDS = len(Stored._fields)


_BLOB = Stored._fields.index("blob")


def _sendable(parsed: list[Parsed]) -> list[tuple[Any, ...]]:
    """Turn parsed notes into plain tuples and bytes, cheap to send between processes."""
    return [tuple(outcome) if isinstance(outcome, Stored) else (path, outcome)
            for path, outcome, _ in parsed]


def _received(sent: list[tuple[Any, ...]]) -> list[Parsed]:
    """Turn what a worker sent back into parsed notes (their facts unpickled)."""
    stored = [item for item in sent if len(item) == _STORED_FIELDS]
    loaded = iter(loads_many([item[_BLOB] for item in stored if item[_BLOB]]))
    batch: list[Parsed] = [(path, why, None) for path, why in
                            (item for item in sent if len(item) != _STORED_FIELDS)]
    batch.extend((item[0], Stored(*item),
                  next(loaded) if item[_BLOB] else NoteFacts(item[0])) for item in stored)
    return batch


# The chunks to parse are numbered in a pipe that every process reads from (see _claim),
# all written before the processes start: a pipe holds at least a page, 4 KiB (64 KiB
# on Linux and macOS unless the user has many pipes open), room for this many numbers.
# Vaults of over 100,000 notes have chunks of more than CHUNK_MAX notes.
_MAX_CHUNKS = 4096 // 4


def _chunk_numbers(count: int) -> int | None:
    """Return the read end of a pipe holding the chunk numbers 0 to count - 1 (see
    _claim), or None when the pipe cannot hold them all: they are written without
    waiting, since nothing reads them yet."""
    claims, numbers = os.pipe()
    try:
        os.set_blocking(numbers, False)
        written = os.write(numbers, b"".join(number.to_bytes(4, "little")
                                             for number in range(count)))
    except BlockingIOError:
        written = 0
    finally:
        os.close(numbers)  # every number written: an empty read says none is left
    if written == 4 * count:
        return claims
    os.close(claims)
    return None


def _claim(claims: int) -> int | None:
    """Take the next chunk of notes to parse (its number) from the pipe of chunk numbers,
    or None when none is left. A pipe hands a read of at most PIPE_BUF bytes over whole,
    so a 4-byte read takes one number, whoever else reads at the same time."""
    taken = os.read(claims, 4)
    return int.from_bytes(taken, "little") if taken else None


def _write_message(fd: int, value: Any) -> None:
    """Write value to a pipe as one message: its pickle's length, then the pickle."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _read_message(fd: int) -> Any:
    """Read one message _write_message wrote; EOFError at the end of the pipe, even in
    the middle of a message (its writer died)."""
    size = int.from_bytes(_read_exactly(fd, 8), "little")
    return pickle.loads(_read_exactly(fd, size))


def _read_exactly(fd: int, size: int) -> bytes:
    """Read size bytes from a pipe, in as many reads as it takes."""
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the pipe closed in the middle of a message")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _work(parse: Parse, files: Sequence[NoteFile], chunks: Sequence[tuple[int, int]],
          claims: int, out: int) -> None:
    """A worker process: parse chunks of notes until none is left, sending each back on
    its pipe (out) from a thread, so parsing goes on while the parent is busy and the pipe
    full. Closing the pipe (exiting, or dying) says it is done. Ctrl-C is the parent's to
    handle (it stops the workers)."""
    import signal
    import threading
    from queue import SimpleQueue

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    outbox: SimpleQueue[Any] = SimpleQueue()

    def send() -> None:
        try:
            while (item := outbox.get()) is not None:
                _write_message(out, item)
        except OSError:  # the parent is gone (killed): nobody reads any more
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    while sender.is_alive() and (number := _claim(claims)) is not None:
        start, end = chunks[number]
        outbox.put((number, _sendable(
            parse(files[start:end], True))))
    outbox.put(None)
    sender.join()
    os.close(out)


def _chunks(total: int, jobs: int) -> list[tuple[int, int]]:
    """Cut the notes to parse into chunks (start, end): each a share of what is left, at
    most CHUNK_MAX (more past 100,000 notes: at most _MAX_CHUNKS chunks) and at least
    CHUNK_MIN notes, so the last chunks are small and the processes end within a few ms
    of each other."""
    largest = max(CHUNK_MAX, -(-total * 2 // _MAX_CHUNKS))
    chunks: list[tuple[int, int]] = []
    start = 0
    while start < total:
        end = min(total, start + max(CHUNK_MIN, min(largest, (total - start) // (jobs * 4))))
        chunks.append((start, end))
        start = end
    return chunks


def parse_in_workers(parse: Parse, files: Sequence[NoteFile], jobs: int,
                     keep_blobs: bool) -> Iterator[list[Parsed]]:
    """Parse in this process and jobs - 1 forked worker processes, in no set order.

    Each takes the next chunk of notes from a shared pipe whenever it is free, so
    all finish together however fast each one goes; this process, which also unpickles
    what the workers send and writes the index, simply takes fewer chunks. Its own
    chunks need no pickling. A chunk a worker took but never sent back (the worker
    died, even in the middle of sending it) is parsed here at the end.

    Workers are forked (they share the imported modules and the notes to parse, and
    start in a few ms); where the system cannot fork (Windows), this process parses
    alone.
    """
    import select

    # The parser is imported first, once, rather than in every worker.
    from . import parse as _parser  # noqa: F401

    chunks = _chunks(len(files), jobs)
    claims = _chunk_numbers(len(chunks)) if hasattr(os, "fork") else None
    if claims is None:  # no fork (Windows), or a pipe too small for the chunk numbers
        yield parse(files, keep_blobs)
        return
    workers: list[int] = []  # process ids
    pipes: list[int] = []  # the read ends of the workers' pipes still open
    done: set[int] = set()

    def parse_here(number: int) -> list[Parsed]:
        done.add(number)
        start, end = chunks[number]
        return parse(files[start:end], keep_blobs)

    # (poll, not select: select takes no descriptor past 1,023, which a long watch with
    # many files open may reach)
    waiting = select.poll()

    def arrived(block: bool) -> Iterator[list[Parsed]]:
        """What the workers sent back; block: until every worker's pipe is closed."""
        while pipes and (ready := waiting.poll(None if block else 0)):
            for pipe, _ in ready:
                try:
                    number, sent = _read_message(pipe)
                except (EOFError, OSError):  # the worker is done, or gone
                    waiting.unregister(pipe)
                    pipes.remove(pipe)
                    os.close(pipe)
                    continue
                done.add(number)
                yield _received(sent)

    try:
        for _ in range(jobs - 1):
            pipe, out = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: parse with those there are
                os.close(pipe)
                os.close(out)
                break
            if pid == 0:  # the worker
                code = 1
                try:
                    for other in (pipe, *pipes):
                        os.close(other)
                    _work(parse, files, chunks, claims, out)
                    code = 0
                except Exception:
                    import traceback

                    traceback.print_exc()
                finally:
                    # Leave without the parent's exit handlers, and without freeing
                    # every object made here one by one.
                    os._exit(code)
            workers.append(pid)
            pipes.append(pipe)
            waiting.register(pipe, select.POLLIN)
            os.close(out)  # the worker's end: when it closes, the pipe says end of file
        while (number := _claim(claims)) is not None:
            yield parse_here(number)
            yield from arrived(block=False)
        yield from arrived(block=True)
        for number in range(len(chunks)):
            if number not in done:  # taken by a worker that died
                yield parse_here(number)
    finally:
        os.close(claims)
        for pipe in pipes:
            os.close(pipe)
        for pid in workers:
            _stop(pid)


def _stop(pid: int) -> None:
    """Stop a worker (if it is still running) and wait for its end."""
    import signal

    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
