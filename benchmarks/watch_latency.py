#!/usr/bin/env python3
"""Measure `mdmastery watch`'s edit-to-review latency on generated vaults.

    python benchmarks/watch_latency.py [--notes 1000 10000] [--edits 50] [--work DIR]
                                       [--debounce S] [--poll]

For each size the vault is generated once under --work (benchmarks/generate_vault.py,
deterministic) and `mdmastery watch` is started on it as its own process, as a user runs
it, with the default debounce unless --debounce is given. Then, --edits times, a new win
is written into the newest journal note (an in-place save, as most editors do) and the
clock runs until the week review holds it ("week") and until the watch has printed its
rebuild line, i.e. every review is written ("all"). The next edit waits for that line.
MDMASTERY_TODAY is pinned to the newest journal note's day, so the edits always fall in
the current week. Prints the median and the 95th percentile (nearest rank).
"""

from __future__ import annotations

import argparse
import math
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate_vault.py"
DATED = re.compile(r"(\d{4}-\d{2}-\d{2})\.md$")
POLL = 0.002  # seconds between two looks at the review file


@dataclass(frozen=True)
class Latency:
    """Edit-to-review times of one vault, in seconds."""

    vault: Path
    notes: int
    start: float  # the watch's first full read and write
    week: list[float]  # until the week review held the edit
    all: list[float]  # until every review was written (the rebuild line)

    @staticmethod
    def median(samples: list[float]) -> float:
        return statistics.median(samples)

    @staticmethod
    def p95(samples: list[float]) -> float:
        ordered = sorted(samples)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def generate(work: Path, notes: int) -> Path:
    """Return a generated vault of the given size, making it unless it is there."""
    vault = work / f"vault-{notes}"
    if not (vault / ".obsidian").is_dir():
        if not GENERATOR.is_file():
            raise SystemExit(f"{GENERATOR} is missing; it makes the vaults")
        subprocess.run([sys.executable, str(GENERATOR), str(vault), "--notes", str(notes)],
                       check=True, stdout=subprocess.DEVNULL)
    return vault


def newest_journal(vault: Path) -> tuple[Path, date]:
    """Return the journal note with the latest date in its name, and that date."""
    best: tuple[date, Path] | None = None
    for folder, _, names in os.walk(vault):
        if "/." in folder.replace(os.sep, "/"):
            continue
        for name in names:
            match = DATED.search(name)
            if match:
                day = date.fromisoformat(match.group(1))
                if best is None or day > best[0]:
                    best = (day, Path(folder) / name)
    if best is None:
        raise SystemExit(f"{vault}: no dated journal note")
    return best[1], best[0]


def week_review(vault: Path, day: date) -> Path:
    from mdmastery.config import load_config
    from mdmastery.dates.periods import period_of
    from mdmastery.review.build import review_path

    config = load_config(vault)
    period = period_of("week", day, config.week_start, config.formats)
    return vault / review_path(config, period)


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


def _wait_line(lines: queue.Queue[str], pattern: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no line matching {pattern!r} within {timeout:g} s")
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            continue
        if re.search(pattern, line):
            return line


def measure(vault: Path, edits: int = 50, debounce: float | None = None,
            poll: bool = False, start_timeout: float = 600.0) -> Latency:
    """Start a watch on vault, make edits one after another, time each to its review."""
    note, day = newest_journal(vault)
    review = week_review(vault, day)
    original = note.read_bytes()
    command = [sys.executable, "-m", "mdmastery", "watch", "--vault", str(vault)]
    if debounce is not None:
        command += ["--debounce", str(debounce)]
    if poll:
        command += ["--poll", "--interval", "0.1"]
    env = {**os.environ, "MDMASTERY_TODAY": day.isoformat()}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    week: list[float] = []
    every: list[float] = []
    try:
        first = _wait_line(lines, r" read [\d,]+ notes?;", start_timeout)
        start = time.perf_counter() - started
        notes = int(re.search(r"read ([\d,]+) note", first).group(1).replace(",", ""))  # type: ignore[union-attr]
        time.sleep(0.5)  # let the events of the first writes pass
        for number in range(edits):
            marker = f"Benchmark edit {number} of {os.getpid()}"
            if b"## Wins\n" in original:
                edited = original.replace(b"## Wins\n", f"## Wins\n\n- {marker}\n".encode(), 1)
            else:
                edited = original + f"\n## Wins\n\n- {marker}\n".encode()
            before = review.stat().st_mtime_ns if review.exists() else 0
            began = time.perf_counter()
            with open(note, "wb") as handle:
                handle.write(edited)
            while True:
                try:
                    if review.stat().st_mtime_ns != before and \
                            marker in review.read_text(encoding="utf-8"):
                        break
                except FileNotFoundError:
                    pass
                if time.perf_counter() - began > 60:
                    raise TimeoutError(f"edit {number}: the week review never showed it")
                time.sleep(POLL)
            week.append(time.perf_counter() - began)
            _wait_line(lines, r"changed; ", 60)
            every.append(time.perf_counter() - began)
            time.sleep(0.05)
    finally:
        note.write_bytes(original)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return Latency(vault, notes, start, week, every)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--work", type=Path, default=Path("/tmp/mdmastery-bench"))
    parser.add_argument("--debounce", type=float, default=None,
                        help="Passed to the watch; default: the watch's own default.")
    parser.add_argument("--poll", action="store_true", help="Watch with --poll --interval 0.1.")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{'vault':>12} {'start':>10} {'week median':>12} {'week p95':>10} "
          f"{'all median':>11} {'all p95':>10}  (over {args.edits} edits)")
    for size in args.notes:
        result = measure(generate(args.work, size), args.edits, args.debounce, args.poll)
        print(f"{result.notes:>6,} notes {_ms(result.start):>10} "
              f"{_ms(Latency.median(result.week)):>12} {_ms(Latency.p95(result.week)):>10} "
              f"{_ms(Latency.median(result.all)):>11} {_ms(Latency.p95(result.all)):>10}",
              flush=True)


if __name__ == "__main__":
    main()
