#!/usr/bin/env python3
"""Capture everything mdmastery prints and writes, and compare two captures byte for byte.

    scripts/compare-outputs capture OUT [--rev REV] [--sizes 1000 10000] [--no-watch]
    scripts/compare-outputs compare BEFORE AFTER
    scripts/compare-outputs check REV [--sizes ...]    # capture REV and this checkout, compare

A capture runs one version of mdmastery (this checkout, or a git revision: see trees.py)
through the same script of commands on copies of sample-vault/ and of generated vaults
(benchmarks/generate_vault.py, seed 1; kept in --vaults), with today pinned:

  cold      `check`, `review --json` and `status --json` of the four periods, and the
            review notes written, each from an empty index
  warm      the same again, plus the reviews of the periods before (new files), `today`
            and `watch --once`
  journal   after edits to journal notes only (a win, a tick, a mood, a new note, one
            removed, one renamed, one touched): the model is updated, not assembled
  notes     after edits to a habit, a goal, a broken note, a merged day, a bad mood
  answers   after the user answered in the week review and edited the month review
            outside its regions (refused, then --dry-run, then --force)
  recold    everything read again from an empty index
  errors    (sample vault) a missing vault, a bad MDMASTERY_TODAY, unknown options, a
            broken template, cache clear, every command's --help
  create    `init`, `today`, `new goal`, `new habit` in an empty folder
  live      (unless --no-watch) a running `watch` while journal and habit notes change

For every command the capture keeps its exit status, stdout and stderr (the vault's
path shown as <vault>, the watch's timings blanked) and every file of the vault it
created, changed or removed (outside .mdmastery/cache). Two captures of versions that
behave alike are byte-identical; `compare` lists what differs, with diffs.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import make_vault
from trees import REPO, Version

HERE = Path(__file__).resolve().parent
SAMPLE = REPO / "sample-vault"
TODAY = "2026-11-22"
DAY = "2026-11-20"
PERIODS = ("week", "month", "quarter", "year")
# A day in the period before each period of DAY.
PREVIOUS = {"week": "2026-11-13", "month": "2026-10-15", "quarter": "2026-08-15",
            "year": "2025-06-15"}
DATED = re.compile(r"(\d{4}-\d{2}-\d{2})\.md$")
CACHE = Path(".mdmastery") / "cache"


# --- a capture ---------------------------------------------------------------------

class Capture:
    """Run one version's commands on one vault; write what each did under out."""

    def __init__(self, version: Version, vault: Path, out: Path) -> None:
        self.version = version
        self.vault = vault
        self.out = out
        self.step = 0
        self.files = snapshot(vault)
        out.mkdir(parents=True, exist_ok=True)

    def shown(self, text: str) -> str:
        for path in sorted({str(self.vault), os.path.realpath(self.vault)}, key=len,
                           reverse=True):
            text = text.replace(path, "<vault>")
        return text

    def run(self, *args: str, cold: bool = False, today: str = TODAY,
            label: str = "") -> subprocess.CompletedProcess[str]:
        """Run mdmastery with args on the vault (from an empty index when cold)."""
        if cold:
            shutil.rmtree(self.vault / CACHE, ignore_errors=True)
        done = subprocess.run(self.version.argv(*args), env=self.version.env(today),
                              capture_output=True, text=True, cwd=self.vault, timeout=600)
        stdout, stderr = done.stdout, done.stderr
        if args and args[0] == "watch":
            stdout, stderr = blank_timings(stdout), blank_timings(stderr)
        self.record(f"{'cold ' if cold else ''}mdmastery {' '.join(args)}"
                    f"{'' if today == TODAY else f'  (today {today})'}",
                    self.shown(label or " ".join(args)), done.returncode, stdout, stderr)
        return done

    def record(self, title: str, label: str, code: int | None, stdout: str = "",
               stderr: str = "") -> None:
        """Write one step: its command, status, output and the files it changed."""
        self.step += 1
        name = f"{self.step:03d}-{slug(label)}"
        now = snapshot(self.vault)
        changed = sorted(path for path in now.keys() | self.files.keys()
                         if now.get(path) != self.files.get(path))
        lines = [f"$ {self.shown(title)}", f"exit: {code}", "--- stdout",
                 self.shown(stdout).rstrip("\n"), "--- stderr", self.shown(stderr).rstrip("\n"),
                 "--- files"]
        for path in changed:
            if path not in now:
                lines.append(f"- {path}")
                continue
            lines.append(f"{'+' if path not in self.files else '~'} {path} {now[path][:16]}")
            target = self.out / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.vault / path, target)
        (self.out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.files = now

    def edit(self, label: str, change: Callable[[], None]) -> None:
        """Change the vault as a user would; recorded as a step of its own."""
        change()
        self.record(f"edit: {label}", f"edit {label}", None)


def blank_timings(text: str) -> str:
    text = re.sub(r"\(\d[\d,.]* ms\)", "(N ms)", text)
    return re.sub(r"(?m)^\d\d:\d\d:\d\d ", "HH:MM:SS ", text)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "step"


def snapshot(root: Path) -> dict[str, str]:
    """Every file of a vault but the cache, with the SHA-256 of its bytes."""
    found: dict[str, str] = {}
    for folder, folders, names in os.walk(root):
        relative = Path(folder).relative_to(root)
        if relative == CACHE:
            folders.clear()
            continue
        for name in names:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            found[(relative / name).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# --- the vault's notes, found by name --------------------------------------------

def journal_notes(vault: Path) -> list[tuple[date, Path]]:
    """The notes named by a day up to TODAY outside Reviews/ and Templates/, by day."""
    found = []
    for path in vault.rglob("*.md"):
        parts = path.relative_to(vault).parts
        match = DATED.search(path.name)
        if match and match.group(1) <= TODAY and \
                not any(p.startswith(".") or p in ("Reviews", "Templates") for p in parts):
            found.append((date.fromisoformat(match.group(1)), path))
    return sorted(found)


def missing_days(vault: Path, count: int) -> list[date]:
    """Days of the last 90 before DAY without a journal note, newest first."""
    taken = {day for day, _ in journal_notes(vault)}
    first = date.fromisoformat(DAY)
    days = [first - timedelta(days=n) for n in range(1, 90)]
    return [day for day in days if day not in taken][:count]


def replace_first(path: Path, pattern: str, new: str, fallback: str) -> None:
    """Replace the first match of pattern (a line) in a note, or append fallback."""
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, new, text, count=1, flags=re.M)
    path.write_text(changed if count else text + fallback, encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def kind_notes(vault: Path, folder: str) -> list[Path]:
    return sorted((vault / folder).glob("*.md"))


def review_file(vault: Path, done: subprocess.CompletedProcess[str]) -> Path:
    """The review a `review` command named on its last line."""
    return vault / done.stdout.strip().splitlines()[-1].rsplit(": ", 1)[0]


# --- the script of commands ----------------------------------------------------------

def reads(capture: Capture, cold: bool) -> None:
    """What a run shows: check, the JSON of each period, the status."""
    capture.run("check", cold=cold)
    capture.run("check", "--format", "json", cold=cold)
    for period in PERIODS:
        capture.run("review", "--json", "--period", period, "--date", DAY, cold=cold)
    capture.run("status", "--json", "--date", DAY, cold=cold)
    capture.run("status", "--date", DAY, cold=cold)


def writes(capture: Capture, cold: bool = False, day: str = DAY) -> None:
    for period in PERIODS:
        capture.run("review", "--period", period, "--date", day, cold=cold)


def cold(capture: Capture) -> None:
    """Each command from an empty index."""
    reads(capture, cold=True)
    writes(capture, cold=True)


def warm(capture: Capture) -> None:
    """Each command through the index the commands before built."""
    reads(capture, cold=False)
    writes(capture)
    for period in PERIODS:
        capture.run("review", "--period", period, "--date", PREVIOUS[period])
    capture.run("today", "--date", "2026-11-23")
    capture.run("watch", "--once")


def journal_edits(capture: Capture) -> None:
    edit_journals(capture)
    writes(capture)
    reads(capture, cold=False)


def note_edits(capture: Capture) -> None:
    edit_notes(capture)
    writes(capture)
    reads(capture, cold=False)


def recold(capture: Capture) -> None:
    """The edited vault read again from nothing."""
    reads(capture, cold=True)
    capture.run("review", "--no-cache", "--json", "--date", DAY)


def edit_journals(capture: Capture) -> None:
    vault = capture.vault
    notes = journal_notes(vault)
    newest = [path for _, path in reversed(notes)]
    first, second, third, fourth = newest[:4]
    capture.edit("a win", lambda: append(first, "\n- A win the comparison added\n"))
    capture.edit("a tick", lambda: replace_first(second, r"^(\s*)- \[ \]", r"\1- [x]",
                                                 "\n- [x] Meditate\n"))
    capture.edit("a mood", lambda: replace_first(third, r"^mood: *\S+", "mood: 2",
                                                 "\nmood:: 2\n"))
    new_day, moved_day = missing_days(vault, 2)
    new_note = first.parent / f"{new_day.isoformat()}.md"
    capture.edit("a new note", lambda: new_note.write_text(
        f"---\ndate: {new_day.isoformat()}\nmood: 5\n---\n## Wins\n- A new note's win\n\n"
        "## Habits\n- [x] Meditate\n- [ ] Run\n", encoding="utf-8"))
    oldest = notes[0][1]
    capture.edit("a note removed", oldest.unlink)
    capture.edit("a note renamed", lambda: fourth.rename(
        fourth.parent / f"{moved_day.isoformat()}.md"))
    touched = newest[5]
    capture.edit("a note touched", lambda: os.utime(touched, ns=(
        touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10_000_000_000)))


def edit_notes(capture: Capture) -> None:
    vault = capture.vault
    habits = kind_notes(vault, "Habits")
    goals = kind_notes(vault, "Goals")
    capture.edit("a habit's body", lambda: append(habits[0], "\nEdited for the comparison.\n"))
    capture.edit("a habit's schedule", lambda: replace_first(
        habits[1], r"^schedule:.*$", "schedule: 3/week", "\n"))
    capture.edit("a goal's value", lambda: replace_first(
        goals[0], r"^current:.*$", "current: 7",
        "\n- [x] Comparison milestone ✅ 2026-11-19\n"))
    capture.edit("a broken note", lambda: (vault / "Broken.md").write_text(
        "---\ntitle: [oops\n---\nbody\n", encoding="utf-8"))
    day, newest = journal_notes(vault)[-1]
    capture.edit("a merged day", lambda: (newest.parent / "Second note.md").write_text(
        f"---\ntype: journal\ndate: {day.isoformat()}\nmood: 9\n---\n## Lessons\n"
        "- Two notes make one day\n", encoding="utf-8"))


def answer(capture: Capture) -> None:
    week = review_file(capture.vault, capture.run("review", "--period", "week", "--date", DAY))
    month = review_file(capture.vault,
                        capture.run("review", "--period", "month", "--date", DAY))

    def answer_week() -> None:
        text = week.read_text(encoding="utf-8")
        text = re.sub(r"(<!-- mdmastery:begin went-well -->).*?(<!-- mdmastery:end)",
                      r"\1\nMy answer, kept.\n\2", text, count=1, flags=re.S)
        week.write_text(text, encoding="utf-8")

    capture.edit("an answer", answer_week)
    capture.edit("the month edited", lambda: append(month, "\nA line of my own.\n"))
    writes(capture)
    capture.run("review", "--period", "month", "--date", DAY, "--dry-run")
    capture.run("review", "--period", "month", "--date", DAY, "--force")


def errors(capture: Capture) -> None:
    vault = capture.vault
    capture.run("review", "--vault", str(vault / "missing"))
    capture.run("review", "--json", today="2026-13-45")
    capture.run("review", "--period", "fortnight")
    capture.run("review", "--date", "20.11.2026")
    capture.run("new", "habit", "Whenever", "--schedule", "sometimes")
    capture.run("watch", "--quiet", "--verbose")
    template = vault / ".mdmastery" / "templates" / "review.md.j2"
    capture.edit("a broken template", lambda: (
        template.parent.mkdir(parents=True, exist_ok=True),
        template.write_text("{{ nothing.here }}\n", encoding="utf-8")))
    capture.run("review", "--period", "week", "--date", DAY)
    capture.run("watch", "--once")
    capture.edit("the template removed", template.unlink)
    capture.run("cache", "clear")
    capture.run("cache", "clear")
    capture.run("--version")
    for command in ([], ["review"], ["status"], ["check"], ["watch"], ["today"], ["init"],
                    ["cache"], ["cache", "clear"], ["new"], ["new", "goal"], ["new", "habit"]):
        capture.run(*command, "--help")


def create(capture: Capture) -> None:
    capture.run("init", ".")
    capture.run("today")
    capture.run("today", "--date", "2026-11-23")
    capture.run("new", "goal", "Learn to sail", "--area", "leisure", "--deadline",
                "2027-06-01", "--why", "The sea", "--target", "10", "--unit", "trips",
                "--focus")
    capture.run("new", "habit", "Stretch", "--schedule", "weekdays", "--goal", "Learn to sail")
    capture.run("new", "habit", "Stretch")
    capture.run("review", "--date", "2026-11-23", today="2026-11-23")
    capture.run("check")


def live(capture: Capture) -> None:
    """A running watch while notes change; its review files after each change."""
    argv = capture.version.argv("watch", "--debounce", "0.2")
    with subprocess.Popen(argv, env=capture.version.env(TODAY), cwd=capture.vault,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as watch:
        assert watch.stdout is not None
        lines = _lines(watch.stdout)
        try:
            _wait_for(lines, 2)  # the start line, then the first rebuild's
            capture.record("watch started", "watch started", None)
            newest = journal_notes(capture.vault)[-1][1]
            append(newest, "\n- A win the watch saw\n")
            _wait_for(lines, 1)
            capture.record("watch: a win", "watch a win", None)
            append(kind_notes(capture.vault, "Habits")[0], "\nEdited while watched.\n")
            replace_first(newest, r"^(\s*)- \[ \]", r"\1- [x]", "\n- [x] Run\n")
            _wait_for(lines, 1)
            capture.record("watch: a habit and a win", "watch a habit and a win", None)
        finally:
            watch.send_signal(signal.SIGTERM)
            code = watch.wait(timeout=30)
    capture.record("watch stopped", "watch stopped", code)


def _lines(stream: object) -> Iterator[str | None]:
    """The watch's output lines, read on a thread (None when it ends)."""
    import queue

    found: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stream:  # type: ignore[attr-defined]
            found.put(line)
        found.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        try:
            yield found.get(timeout=120)
        except queue.Empty:
            raise SystemExit("the watch said nothing for 2 minutes") from None


def _wait_for(lines: Iterator[str | None], count: int) -> None:
    """Wait for count lines of the watch, then for the events of its writes to settle."""
    for _ in range(count):
        if next(lines) is None:
            raise SystemExit("the watch ended early")
    time.sleep(1.0)


def capture_vault(version: Version, source: Path | None, out: Path, name: str,
                  script: list[Callable[[Capture], None]]) -> None:
    work = Path(tempfile.mkdtemp(prefix="mdmastery-compare-"))
    try:
        vault = work / name
        if source is None:
            vault.mkdir()
        else:
            shutil.copytree(source, vault, symlinks=True,
                            ignore=shutil.ignore_patterns("cache"))
        capture = Capture(version, vault, out / name)
        started = time.perf_counter()
        for part in script:
            part(capture)
        print(f"  {name}: {capture.step} steps, {time.perf_counter() - started:.0f} s",
              flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def capture_all(version: Version, out: Path, sizes: list[int], vaults: Path,
                watch: bool) -> None:
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    print(f"capturing mdmastery {version.label} into {out}", flush=True)
    script = [cold, warm, journal_edits, note_edits, answer, recold]
    if watch:
        script.append(live)
    capture_vault(version, SAMPLE, out, "sample", [*script, errors])
    for notes in sizes:
        capture_vault(version, make_vault(vaults, notes), out, f"generated-{notes}", script)
    capture_vault(version, None, out, "new", [create])
    (out / ".capture.json").write_text(json.dumps(
        {"version": version.label, "tree": str(version.tree), "sizes": sizes,
         "today": TODAY, "day": DAY}, indent=2) + "\n", encoding="utf-8")


# --- comparing two captures ----------------------------------------------------------

def files_of(folder: Path) -> dict[str, Path]:
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".capture")}


def compare(before: Path, after: Path, shown: int = 60) -> bool:
    """Print what differs between two captures; return whether they are identical."""
    old, new = files_of(before), files_of(after)
    only_old = sorted(old.keys() - new.keys())
    only_new = sorted(new.keys() - old.keys())
    differing = sorted(path for path in old.keys() & new.keys()
                       if old[path].read_bytes() != new[path].read_bytes())
    for path in only_old:
        print(f"only in {before}: {path}")
    for path in only_new:
        print(f"only in {after}: {path}")
    for path in differing:
        print(f"differs: {path}")
        a = old[path].read_bytes().decode("utf-8", "replace").splitlines(keepends=True)
        b = new[path].read_bytes().decode("utf-8", "replace").splitlines(keepends=True)
        diff = list(difflib.unified_diff(a, b, f"before/{path}", f"after/{path}"))
        sys.stdout.writelines(diff[:shown])
        if len(diff) > shown:
            print(f"... {len(diff) - shown} more diff lines")
    same = not (only_old or only_new or differing)
    total = len(old.keys() | new.keys())
    alike = total - len(differing) - len(only_old) - len(only_new)
    print(f"{'identical' if same else 'DIFFERENT'}: {alike} of {total} files the same "
          f"({before} vs {after})")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("capture", "check"):
        sub = commands.add_parser(name)
        if name == "capture":
            sub.add_argument("out", type=Path)
            sub.add_argument("--rev", help="A git revision to capture instead of this "
                             "checkout as it is.")
        else:
            sub.add_argument("rev", help="The git revision to compare this checkout with.")
            sub.add_argument("--keep", type=Path, help="Keep both captures in this folder.")
        sub.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000])
        sub.add_argument("--vaults", type=Path, default=HERE / "vaults")
        sub.add_argument("--no-watch", action="store_true")
    pair = commands.add_parser("compare")
    pair.add_argument("before", type=Path)
    pair.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "compare":
        return 0 if compare(args.before, args.after) else 1
    args.vaults.mkdir(parents=True, exist_ok=True)
    if args.command == "capture":
        capture_all(Version.of(args.rev), args.out, args.sizes, args.vaults, not args.no_watch)
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mdmastery-captures-"))
    before, after = folder / "before", folder / "after"
    capture_all(Version.of(args.rev), before, args.sizes, args.vaults, not args.no_watch)
    capture_all(Version.of(None), after, args.sizes, args.vaults, not args.no_watch)
    same = compare(before, after)
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
