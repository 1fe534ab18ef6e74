"""The one way out: results on stdout; problems, notices, errors and the progress bar on
stderr. Commands, the watch and the loader print through a Reporter (a later --quiet,
--json or colour setting is a setting of it)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TextIO

import click

from .errors import Problem

Progress = Callable[[int, int], None]  # (done so far, total)


class Reporter:
    """Where a run's output goes; out and err default to the process's stdout and stderr
    (as they are when written to)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out
        self.err = err

    def result(self, text: str, newline: bool = True) -> None:
        """Print what the command was asked for (stdout)."""
        click.echo(text, file=self.out, nl=newline)

    def problems(self, problems: Iterable[Problem]) -> None:
        """Print problems of the vault's notes, one a line (stderr)."""
        for problem in problems:
            self.line(str(problem))

    def line(self, text: str) -> None:
        """Print a line on stderr as it is."""
        click.echo(text, file=self.err, err=True)

    def notice(self, text: str) -> None:
        """Print a notice about the run: `mdmastery: TEXT` (stderr)."""
        self.line(f"mdmastery: {text}")

    def error(self, text: str) -> None:
        """Print an error: `mdmastery: error: TEXT` (stderr)."""
        self.line(f"mdmastery: error: {text}")

    def colors(self) -> bool:
        """Tell whether results may be coloured: stdout is a terminal."""
        return (self.out if self.out is not None else sys.stdout).isatty()

    def progress(self) -> Progress | None:
        """Return a progress bar drawn on stderr, or None when stderr is no terminal."""
        stream = self.err if self.err is not None else sys.stderr
        if not stream.isatty():
            return None

        def draw(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            line = f"reading notes [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
            end = f"\r{' ' * len(line)}\r" if done >= total else ""
            stream.write(f"\r{line}{end}")
            stream.flush()

        return draw


def notice(text: str) -> None:
    """Print a notice about the run on stderr (see Reporter.notice)."""
    Reporter().notice(text)
