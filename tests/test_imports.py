"""A run imports only what it needs: a warm `review --json` no parser at all, a changed
note with flat front matter not PyYAML, and no JSON review Jinja2 or watchdog.

Each run is a real process (`python -m mdmastery`), so the modules it loaded are its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import write

HEAVY = ("yaml", "markdown_it", "jinja2", "watchdog", "mdmastery.reading.note",
         "mdmastery.writing.notes", "_hashlib", "tomllib", "multiprocessing", "_strptime")
# Runs the CLI, then names the heavy modules it imported (on the last stderr line).
PROBE = f"""
import sys
from mdmastery.__main__ import main
main()
print("loaded:", *[name for name in {HEAVY!r} if name in sys.modules], file=sys.stderr)
"""


def imported(vault: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "review", "--vault", str(vault), "--date", "2026-11-20",
         "--json"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "MDMASTERY_TODAY": "2026-11-22"})
    assert result.returncode == 0, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), result.stderr
    return set(last.split()[1:])


def test_runs_import_only_what_they_need(sample_copy: Path) -> None:
    # (sample-vault has a config file: TOML is read)
    assert {"yaml", "mdmastery.reading.note", "tomllib"} <= imported(sample_copy)  # cold
    (sample_copy / ".mdmastery" / "config.toml").unlink()
    # Cold again (other settings): no writer for JSON, no OpenSSL behind hashlib for BLAKE2,
    # no TOML without a config file; no multiprocessing for the workers (forked), no
    # _strptime for --date.
    assert imported(sample_copy) - {"markdown_it"} == {"yaml", "mdmastery.reading.note"}
    assert imported(sample_copy) == set()  # warm: the model comes from the index
    write(sample_copy, "Journal/2026-11-20.md",
          "---\ndate: 2026-11-20\nmood: 4\ntags:\n  - journal\n---\n- [x] Meditate\n")
    assert imported(sample_copy) == {"mdmastery.reading.note"}  # flat front matter: no PyYAML
    write(sample_copy, "Journal/2026-11-20.md",
          "---\ndate: 2026-11-20\nhabits: {meditate: true}\n---\nA day.\n")
    assert imported(sample_copy) == {"mdmastery.reading.note", "yaml"}
