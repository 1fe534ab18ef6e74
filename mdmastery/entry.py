"""The one exit point: every command's errors leave through the command group, each
mapped to its exit status and a one-line message (a traceback only with --debug); and
the process's quick exit once a command is done."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from .errors import MdmasteryError
from .report import Reporter

# What a shell's completion script sets to ask for completions (Click's name for it).
COMPLETE_VAR = "_MDMASTERY_COMPLETE"


class Program(click.Group):
    """mdmastery's command group: maps what a command raises to an exit status.

    An MdmasteryError (the user can act on it): its message as Click shows an error,
    exit 1. An OSError, RecursionError or MemoryError: `mdmastery: error: ...`, exit 1.
    With the group's --debug, the traceback instead. Click's own errors (usage, bad
    parameters) keep their status 2.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        """Run the command line (Click's main); a shell asking to complete gets ours."""
        if os.environ.get(complete_var or COMPLETE_VAR):
            from .completion import use_our_shells

            use_our_shells()
        return super().main(args, prog_name, complete_var, standalone_mode,
                            windows_expand_args=windows_expand_args, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MdmasteryError as error:
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(str(error)) from None
        except (OSError, RecursionError, MemoryError) as error:
            if ctx.params.get("debug") or (isinstance(error, OSError) and
                                           error.errno == errno.EPIPE):
                raise  # (a closed pipe: Click ends quietly)
            Reporter().error(str(error))
            ctx.exit(1)


def exit_code(leaving: SystemExit) -> int:
    """Return the exit status a SystemExit stands for (printing a text one, as Python does)."""
    if leaving.code is None or isinstance(leaving.code, int):
        return leaving.code or 0
    Reporter().line(str(leaving.code))
    return 1


def quick_exit(code: int) -> NoReturn:
    """End the process once a command is done, without freeing its objects one by one.

    A run that loaded a large vault holds millions of objects, and the interpreter frees
    them one by one on its way out, of no use to a process that is ending (see
    docs/performance.md). The command has returned: every file it wrote is closed, the
    index too, the workers joined. The output is flushed and the process leaves at once;
    while another thread still runs, the exit is the interpreter's, which waits for it.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            code = code or 1
    if "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
        sys.exit(code)
    os._exit(code)
