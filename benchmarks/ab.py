#!/usr/bin/env python3
"""Compare the speed of two versions of mdmastery side by side, in one run.

    python benchmarks/ab.py BEFORE [AFTER] [--sizes 10000] [--runs 10] [--instructions]

BEFORE and AFTER are git revisions (AFTER defaults to this checkout as it is; see
trees.py for how each version's package is run). This machine's speed drifts by a factor
of two or three between hours, so two versions are only compared within one run: each
round times every scenario with both versions, in turn (the order alternates between
rounds), each on its own copy of a generated vault (benchmarks/generate_vault.py, seed 1:
an index made by one version is another version's to rebuild). The scenarios are whole
processes of `mdmastery review --json --date 2026-11-20`:

  cold        no index (removed before each run)
  warm        nothing changed since the last run
  one         the newest journal note gained a line since the last run
  render      `review --dry-run` of the week, warm: the review built, rendered and
              compared with the note written before

--instructions also counts each scenario's instructions once per version with
valgrind's cachegrind (worker processes included), which do not drift; they miss what
the kernel does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DAY, TODAY, Edits, fmt_s, journal_notes, make_vault
from trees import Version

HERE = Path(__file__).resolve().parent
SCENARIOS = ("cold", "warm", "one", "render")


class Side:
    """One version with its own copy of the vault."""

    def __init__(self, version: Version, vault: Path, work: Path, name: str) -> None:
        self.version = version
        self.vault = work / name
        shutil.copytree(vault, self.vault, ignore=shutil.ignore_patterns("cache"))
        self.env = version.env(TODAY)
        self.edits = Edits(journal_notes(self.vault)[-1:])
        self.times: dict[str, list[float]] = {name: [] for name in SCENARIOS}
        self.instructions: dict[str, int] = {}
        # The week's review note, for the render scenario to compare against.
        self.run("review", "--period", "week", "--date", DAY)

    def argv(self, scenario: str) -> list[str]:
        extra = ("--period", "week", "--dry-run") if scenario == "render" else ("--json",)
        return self.version.argv("review", "--vault", str(self.vault), "--date", DAY, *extra)

    def run(self, *args: str) -> None:
        subprocess.run(self.version.argv(*args, "--vault", str(self.vault)), env=self.env,
                       check=True, capture_output=True)

    def prepare(self, scenario: str) -> None:
        """Put the vault in the scenario's state (the run before it built the index)."""
        if scenario == "cold":
            shutil.rmtree(self.vault / ".mdmastery" / "cache", ignore_errors=True)
            return
        self.edits.restore()
        subprocess.run(self.argv("warm"), env=self.env, check=True, capture_output=True)
        if scenario == "one":
            self.edits.apply()

    def time(self, scenario: str) -> None:
        self.prepare(scenario)
        started = time.perf_counter()
        subprocess.run(self.argv(scenario), env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.times[scenario].append(time.perf_counter() - started)

    def count(self, scenario: str) -> None:
        """Count the scenario's instructions with cachegrind (every process of it)."""
        self.prepare(scenario)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "cg.%p"
            subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                            "--trace-children=yes", f"--cachegrind-out-file={out}",
                            *self.argv(scenario)],
                           env=self.env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            total = 0
            for path in Path(folder).glob("cg.*"):
                found = re.search(r"^summary: (\d+)", path.read_text(), re.M)
                total += int(found.group(1)) if found else 0
        self.instructions[scenario] = total
        self.edits.restore()


def compare_size(before: Version, after: Version, notes: int, runs: int,
                 instructions: bool, vaults: Path) -> list[str]:
    vault = make_vault(vaults, notes)
    work = Path(tempfile.mkdtemp(prefix="mdmastery-ab-"))
    try:
        sides = [Side(before, vault, work, "before"), Side(after, vault, work, "after")]
        print(f"{notes:,} notes: {runs} rounds", flush=True)
        for round_number in range(runs):
            for scenario in SCENARIOS:
                order = sides if round_number % 2 == 0 else sides[::-1]
                for side in order:
                    side.time(scenario)
        if instructions:
            for scenario in SCENARIOS:
                for side in sides:
                    side.count(scenario)
                    print(f"  {scenario} {side.version.label}: "
                          f"{side.instructions[scenario] / 1e6:,.0f} M instructions",
                          flush=True)
        for side in sides:
            side.edits.restore()
        return rows(notes, sides, instructions)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rows(notes: int, sides: list[Side], instructions: bool) -> list[str]:
    before, after = sides
    out = []
    for scenario in SCENARIOS:
        old = statistics.median(before.times[scenario])
        new = statistics.median(after.times[scenario])
        line = (f"| {notes:,} | {scenario} | {fmt_s(old)} | {fmt_s(new)} "
                f"| {(new / old - 1) * 100:+.1f}% |")
        if instructions:
            a, b = before.instructions[scenario], after.instructions[scenario]
            line += f" {a / 1e6:,.0f} M | {b / 1e6:,.0f} M | {(b / a - 1) * 100:+.1f}% |"
        out.append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="A git revision.")
    parser.add_argument("after", nargs="?", help="A git revision (default: this checkout).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=10, help="Rounds (medians of these).")
    parser.add_argument("--instructions", action="store_true",
                        help="Also count instructions with valgrind (slow).")
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults")
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
    args.vaults.mkdir(parents=True, exist_ok=True)
    before, after = Version.of(args.before), Version.of(args.after)
    header = "| notes | run | before | after | change |"
    if args.instructions:
        header += " instructions before | after | change |"
    lines = [f"before: {before.label}, after: {after.label}; medians of {args.runs} rounds "
             "taken in turn", "", header, "|" + "---:|" * (header.count("|") - 1)]
    for notes in args.sizes:
        lines += compare_size(before, after, notes, args.runs, args.instructions, args.vaults)
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
