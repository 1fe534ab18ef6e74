"""The one way out: results on stdout; problems, notices, errors and the progress bar on
stderr. Commands, the watch and the loader print through a Reporter; --quiet and --json
are settings of it, and it alone decides on colours (only on a terminal, never with
NO_COLOR)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

import click

from .errors import Problem

Progress = Callable[[int, int], None]  # (done so far, total)

_LEVEL_COLORS = {"error": "red", "warning": "yellow", "note": "cyan"}


def may_color(stream: TextIO) -> bool:
    """Tell whether a stream may get colours: it is a terminal, and NO_COLOR is not set to
    anything but "" (no-color.org)."""
    return not os.environ.get("NO_COLOR") and stream.isatty()


def problem_line(problem: Problem, color: bool = False) -> str:
    """Return `path:line: level: message`, the level in its colour if color."""
    if not color:
        return str(problem)
    level = click.style(problem.level, fg=_LEVEL_COLORS[problem.level], bold=True)
    return f"{problem.path}:{problem.line}: {level}: {problem.message}"


class Reporter:
    """Where a run's output goes; out and err default to the process's stdout and stderr
    (as they are when written to).

    quiet (-q): results are not printed; problems and errors still are. as_json (--json):
    stdout holds the one JSON document the command prints with data(), nothing else.
    """

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out
        self.err = err
        self.quiet = False
        self.as_json = False

    def result(self, text: str, newline: bool = True) -> None:
        """Print what the command did (stdout), unless quiet or JSON was asked for."""
        if not (self.quiet or self.as_json):
            click.echo(text, file=self.out, nl=newline)

    def data(self, value: object) -> None:
        """Print JSON data (stdout): what --json asks for, printed even when quiet."""
        click.echo(json.dumps(value, indent=2, ensure_ascii=False), file=self.out)

    def problems(self, problems: Iterable[Problem]) -> None:
        """Print problems of the vault's notes, one a line (stderr)."""
        color = may_color(self._err())
        for problem in problems:
            self.line(problem_line(problem, color))

    def listing(self, problems: Iterable[Problem]) -> None:
        """Print problems as what the command was asked for (stdout: `check`), quiet or
        not (they are the problems quiet keeps)."""
        if self.as_json:
            return
        color = may_color(self._out())
        for problem in problems:
            click.echo(problem_line(problem, color), file=self.out)

    def line(self, text: str) -> None:
        """Print a line on stderr as it is."""
        click.echo(text, file=self.err, err=True)

    def notice(self, text: str) -> None:
        """Print a notice about the run: `mdmastery: TEXT` (stderr)."""
        self.line(f"mdmastery: {text}")

    def error(self, text: str) -> None:
        """Print an error: `mdmastery: error: TEXT` (stderr)."""
        error = click.style("error", fg="red", bold=True) if may_color(self._err()) \
            else "error"
        self.line(f"mdmastery: {error}: {text}")

    def colors(self) -> bool:
        """Tell whether results may be coloured (see may_color)."""
        return may_color(self._out())

    def progress(self) -> Progress | None:
        """Return a progress bar drawn on stderr, or None when stderr is no terminal (or
        the run is quiet)."""
        stream = self._err()
        if self.quiet or not stream.isatty():
            return None

        def draw(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            line = f"reading notes [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
            end = f"\r{' ' * len(line)}\r" if done >= total else ""
            stream.write(f"\r{line}{end}")
            stream.flush()

        return draw

    def _out(self) -> TextIO:
        return self.out if self.out is not None else sys.stdout

    def _err(self) -> TextIO:
        return self.err if self.err is not None else sys.stderr


def notice(text: str) -> None:
    """Print a notice about the run on stderr (see Reporter.notice)."""
    Reporter().notice(text)
