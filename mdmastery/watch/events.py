"""What the watch hears: the watchdog observer, which events matter and what they mean,
and the signals that stop it.

The observer thread only records which paths changed and wakes the loop (as mkdocs
does): the loop (watcher.py) does the rest.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from ..config import SETTINGS_FILES, TEMPLATE_FOLDER
from ..reading.files import SKIPPED_FOLDERS, is_note_name

TEMPLATES_PREFIX = f"{TEMPLATE_FOLDER}/"


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


@dataclass(slots=True)
class Batch:
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


def alive(observer: Any) -> bool:
    return bool(observer.is_alive()) and all(e.is_alive() for e in observer.emitters)


def prefixes(root: Path) -> tuple[str, ...]:
    # Some backends (macOS FSEvents) report resolved paths: /private/var for /var.
    return tuple(dict.fromkeys(
        os.path.join(path, "") for path in (str(root), os.path.realpath(root))))


def identity(root: Path) -> tuple[int, int]:
    try:
        info = os.stat(root)
    except OSError:
        return (-1, -1)
    return (info.st_dev, info.st_ino)


class Listener(Protocol):
    root: Path

    def record(self, paths: list[str], is_directory: bool) -> None: ...


def start_observer(watcher: Listener, poll: bool, interval: float) -> Any:
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
