"""Start the watch: `mdmastery watch`, and `--once` for cron and git hooks."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from ..dates.periods import PERIODS
from ..errors import MdmasteryError
from ..load.folder import IndexProblem, prepare_folder
from ..report import Reporter
from .watcher import DEFAULT_DEBOUNCE, DEFAULT_INTERVAL, NORMAL, Rebuild, Watcher


class WatchOptions(NamedTuple):
    """How to watch, as `mdmastery watch`'s options say."""

    periods: Sequence[str] = PERIODS
    debounce: float = DEFAULT_DEBOUNCE  # seconds without changes before a rebuild
    poll: bool = False  # poll the folder instead of OS events
    interval: float = DEFAULT_INTERVAL  # seconds between two polls
    once: bool = False  # write the current reviews once and return
    verbosity: int = NORMAL
    use_cache: bool = True
    commit: bool = False  # commit the reviews each rebuild writes (writing/commit.py)


DEFAULTS = WatchOptions()


def run(root: Path, stop: threading.Event, today: Callable[[], date],
        options: WatchOptions = DEFAULTS, report: Reporter | None = None,
        on_rebuild: Callable[[Rebuild], None] | None = None) -> int:
    """Keep the current periods' reviews up to date until stop is set; return the exit code.

    options.once: write them once and return (1 if one was refused). today is called on
    every tick, so a test (or MDMASTERY_TODAY) decides what day it is. on_rebuild gets
    what each rebuild did (tests and benchmarks use it).
    """
    report = report or Reporter()
    if not root.is_dir():
        report.error(f"the vault folder {root} does not exist")
        return 1
    if options.commit:
        from ..writing.commit import check_committable, find_repository

        try:  # --once writes nothing it cannot commit; a watch waits out a busy git
            (check_committable if options.once else find_repository)(root)
        except MdmasteryError as error:
            report.error(str(error))
            return 1
    watcher = Watcher(root, stop, today, options.periods, options.debounce,
                      options.verbosity, report, on_rebuild, options.use_cache, options.poll,
                      options.interval, options.commit)
    if options.once:
        result = watcher.guarded(watcher.load, "once")
        return 1 if isinstance(result, Exception) or (
            result and (result.refused or result.commit_refused)) else 0
    if options.use_cache:
        # Made before the observer starts: a folder appearing while it adds its
        # watches makes watchdog complain.
        with contextlib.suppress(IndexProblem):
            prepare_folder(root)
    try:
        watcher.start_observer()
    except OSError as error:
        hint = "" if options.poll else " (raise fs.inotify.max_user_watches, or use --poll)"
        report.error(f"cannot watch {root}: {error.strerror or error}{hint}")
        return 1
    try:
        backend = type(watcher.observer).__name__.removesuffix("Observer").lower() or "events"
        how = f"polling every {options.interval:g} s" if options.poll else backend
        watcher.say(watcher.startup_line(how))
        # Should the start fail, the watch goes on: the next change walks the vault again.
        watcher.guarded(watcher.load, "start")
        return watcher.loop()
    finally:
        watcher.stop_observer()
