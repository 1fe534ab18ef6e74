"""`mdmastery` (the console script) and `python -m mdmastery`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn

from .cli import Run, cli
from .entry import exit_code, quick_exit


def main(argv: Sequence[str] | None = None, run: Run | None = None) -> int:
    """Run the command line with argv (default: the process's); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=args, prog_name="mdmastery", standalone_mode=True, obj=run or Run())
    except SystemExit as leaving:
        return exit_code(leaving)
    except KeyboardInterrupt:
        return 130
    return 0


def run() -> NoReturn:
    """The console entry point: main(), then a quick exit (entry.quick_exit), keeping what
    the command's load is done with alive until then."""
    quick_exit(main(run=Run(kept=[])))


if __name__ == "__main__":
    run()
