"""The command line: parse options, call one function, report. Nothing else lives here."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import click

from . import __version__
from .errors import MdmasteryError
from .model import Problem
from .periods import PERIODS, period_of

F = TypeVar("F", bound=Callable[..., Any])


def today() -> date:
    """Return today, or the day MDMASTERY_TODAY names (for reproducible runs and tests)."""
    pinned = os.environ.get("MDMASTERY_TODAY", "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise click.UsageError(f"MDMASTERY_TODAY={pinned!r} is not a date "
                                   "(YYYY-MM-DD)") from None
    return date.today()


def _resolve_vault(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    from .vault import find_vault

    root = find_vault(value, Path.cwd())
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", ctx=ctx, param=param)
    return root.resolve()


def vault_option(function: F) -> F:
    return click.option(
        "--vault", type=click.Path(file_okay=False, path_type=Path), envvar="MDMASTERY_VAULT",
        callback=_resolve_vault,
        help="The vault folder. Default: $MDMASTERY_VAULT, else the nearest folder up "
             "from here holding .mdmastery/ or .obsidian/, else here.")(function)


class Day(click.ParamType):  # type: ignore[type-arg]
    """A day written YYYY-MM-DD (month and day may have one digit), as a date.

    click.DateTime would do, but it imports _strptime (~3 ms of every run). (ParamType
    is generic from Click 8.2 on; 8.1 is allowed too.)"""

    name = "date"
    _FORM = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        found = self._FORM.fullmatch(str(value).strip())
        try:
            if found is None:
                raise ValueError
            return date(*map(int, found.groups()))
        except ValueError:
            self.fail(f"{value!r} is not a day (YYYY-MM-DD)", param, ctx)


def date_option(function: F) -> F:
    return click.option("--date", "day", type=Day(),
                        help="A day in the period to review (YYYY-MM-DD). Default: today.")(
        function)


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


_LOAD_SETTINGS = "mdmastery.load"


def load_options(function: F) -> F:
    """Add --no-cache and --jobs to a command that loads the vault (see load_from_options)."""

    @functools.wraps(function)
    def wrapper(*args: Any, no_cache: bool, jobs: int | None, **kwargs: Any) -> Any:
        click.get_current_context().meta[_LOAD_SETTINGS] = (no_cache, jobs)
        return function(*args, **kwargs)

    wrapper = click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Processes that parse notes when many must be read. Default: the CPU count "
             "(one for small vaults).")(wrapper)
    wrapper = click.option(
        "--no-cache", is_flag=True,
        help="Read every note again, neither using nor updating the index in "
             ".mdmastery/cache/.")(wrapper)
    return cast(F, wrapper)


def _progress_bar() -> Callable[[int, int], None] | None:
    """Return a progress bar drawn on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def draw(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        line = f"reading notes [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        end = f"\r{' ' * len(line)}\r" if done >= total else ""
        sys.stderr.write(f"\r{line}{end}")
        sys.stderr.flush()

    return draw


def load_from_options(vault: Path) -> Any:
    """Load the vault as the command's --no-cache and --jobs say."""
    from .load import load_vault

    no_cache, jobs = click.get_current_context().meta.get(_LOAD_SETTINGS, (False, None))
    loaded = load_vault(vault, use_cache=not no_cache, jobs=jobs, progress=_progress_bar(),
                        abandon=_abandoned)
    if _abandoned is not None:
        _abandoned.append(loaded)
    return loaded


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mdmastery")
def cli() -> None:
    """Coach-style reviews of the goals, habits and reflections in a Markdown vault."""


@cli.command()
@vault_option
@load_options
@click.option("--period", type=click.Choice(PERIODS), default="week", show_default=True,
              help="The kind of period to review.")
@date_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the review data as JSON and write nothing.")
@click.option("--dry-run", is_flag=True, help="Print a diff of what would change; write nothing.")
@click.option("--force", is_flag=True,
              help="Regenerate even if the review's generated part was edited "
                   "(answers in the check-in regions are still kept).")
def review(vault: Path, period: str, day: date | None, as_json: bool, dry_run: bool,
           force: bool) -> None:
    """Write the review note of the PERIOD holding --date."""
    from .review import build_review, write_review

    loaded = load_from_options(vault)
    now = today()
    chosen = period_of(period, day or now, loaded.config.week_start,
                       loaded.config.formats)
    report_problems(loaded.model.problems)
    if as_json:
        data = build_review(loaded.model, loaded.config, chosen, now, for_template=False).data
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    try:
        result = write_review(vault, loaded.model, loaded.config, chosen, now, force=force,
                              dry_run=dry_run)
    except MdmasteryError as error:
        raise click.ClickException(str(error)) from None
    if dry_run:
        click.echo(result.diff or f"{result.path}: unchanged", nl=not result.diff)
        return
    click.echo(f"{result.path.relative_to(vault).as_posix()}: {result.status}")


@cli.command()
@vault_option
@load_options
@date_option
@click.option("--json", "as_json", is_flag=True, help="Print the week's figures as JSON.")
def status(vault: Path, day: date | None, as_json: bool) -> None:
    """Show goals, habits and streaks of the current week in the terminal."""
    from .review import build_review
    from .status import format_status

    loaded = load_from_options(vault)
    now = today()
    week = period_of("week", day or now, loaded.config.week_start,
                     loaded.config.formats)
    data = build_review(loaded.model, loaded.config, week, now, for_template=False).data
    if as_json:
        click.echo(json.dumps({k: data[k] for k in ("period", "habits", "goals", "journal")},
                              indent=2, ensure_ascii=False))
        return
    click.echo(format_status(data, color=sys.stdout.isatty()))


@cli.command()
@vault_option
@load_options
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: path:line: level: message; json: for editors.")
def check(vault: Path, output: str) -> None:
    """Lint the vault: print every problem; exit 1 if any is an error."""
    loaded = load_from_options(vault)
    problems = loaded.model.problems
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    notes = loaded.model.note_count
    if output == "json":
        click.echo(json.dumps({"problems": [p.as_dict() for p in problems],
                               "errors": errors, "warnings": warnings, "notes": notes},
                              indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(str(problem))
        click.echo(f"{errors:,} {'error' if errors == 1 else 'errors'}, {warnings:,} "
                   f"{'warning' if warnings == 1 else 'warnings'} in {notes:,} "
                   f"{'note' if notes == 1 else 'notes'}")
    if errors:
        sys.exit(1)


def _parse_periods(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in PERIODS]
    if unknown or not names:
        raise click.BadParameter(f"{', '.join(unknown) or value!r}: expected a comma-separated "
                                 f"list of {', '.join(PERIODS)}", ctx=ctx, param=param)
    return tuple(name for name in PERIODS if name in names)


@cli.command()
@vault_option
@click.option("--periods", default=",".join(PERIODS), show_default=True,
              callback=_parse_periods, help="The periods whose reviews to keep up to date.")
@click.option("--debounce", type=click.FloatRange(0, 60), default=0.1, show_default=True,
              help="Seconds without changes before the reviews are rebuilt.")
@click.option("--poll", is_flag=True,
              help="Poll the folder instead of OS events (network drives, WSL, containers).")
@click.option("--interval", type=click.FloatRange(0.05, 3600), default=1.0, show_default=True,
              help="Seconds between two polls with --poll.")
@click.option("--once", is_flag=True,
              help="Rebuild the current reviews once and exit (for cron and git hooks).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and errors.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also print ignored event batches, timings and unchanged reviews.")
@click.option("--no-cache", is_flag=True,
              help="Start by reading every note instead of through the index.")
def watch(vault: Path, periods: tuple[str, ...], debounce: float, poll: bool, interval: float,
          once: bool, quiet: bool, verbose: bool, no_cache: bool) -> None:
    """Keep the reviews of the current periods up to date while notes change."""
    import threading

    from . import watch as watcher

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    today()  # a bad MDMASTERY_TODAY is a usage error now, not on the first tick
    stop = threading.Event()
    options: dict[str, Any] = {
        "periods": periods, "debounce": debounce, "poll": poll, "interval": interval,
        "once": once, "verbosity": watcher.QUIET if quiet else
        watcher.VERBOSE if verbose else watcher.NORMAL, "use_cache": not no_cache}
    # (--once too: a signal then ends it after the review being written, with no temp file)
    with watcher.stop_on_signals(stop):
        code = watcher.run(vault, stop, today, **options)
    sys.exit(code)


def _echo_created(vault: Path, results: Sequence[Any]) -> None:
    for result in results:
        where = result.path.relative_to(vault).as_posix()
        done = "created" if result.status == "created" else "exists, left as it is"
        click.echo(f"{where}: {done}")


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path | None) -> None:
    """Create a starter vault in DIRECTORY (default: here); never overwrites a file."""
    from .create import init_vault

    root = (directory or Path.cwd()).resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
        created = init_vault(root, today())
    except MdmasteryError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"{root}: cannot create: {error.strerror or error}") \
            from None
    _echo_created(root, created.results)


@cli.command(name="today")
@vault_option
@load_options
@date_option
def today_command(vault: Path, day: date | None) -> None:
    """Create today's journal note listing the habits due; leave it if it exists."""
    from .create import create_today

    loaded = load_from_options(vault)
    try:
        result = create_today(vault, loaded.model, loaded.config,
                              day or today())
    except MdmasteryError as error:
        raise click.ClickException(str(error)) from None
    _echo_created(vault, [result])


@cli.group()
def cache() -> None:
    """Manage the index of notes in .mdmastery/cache/ (disposable)."""


@cache.command(name="clear")
@vault_option
def cache_clear(vault: Path) -> None:
    """Remove .mdmastery/cache/; the next run reads every note again."""
    from .index import clear_index

    removed = clear_index(vault)
    click.echo(f"{'removed' if removed else 'no'} .mdmastery/cache/"
               f"{'' if removed else ' to remove'}")


@cli.group()
def new() -> None:
    """Create a goal or habit note from a template."""


def _create(function: Callable[..., Any], vault: Path, title: str, **options: Any) -> None:
    from .config import load_config
    from .create import CreateError

    try:
        result = function(vault, load_config(vault), title, today(), **options)
    except CreateError as error:
        raise click.UsageError(str(error)) from None
    except MdmasteryError as error:
        raise click.ClickException(str(error)) from None
    _echo_created(vault, [result])
    if result.status != "created":
        sys.exit(1)


@new.command(name="goal")
@vault_option
@click.argument("title")
@click.option("--area", help="Life area (career, finances, relationships, health, ...).")
@click.option("--deadline", type=Day(), help="YYYY-MM-DD.")
@click.option("--why", help="Why this goal matters to you.")
@click.option("--target", type=float, help="A measurable target value.")
@click.option("--baseline", type=float, help="Where you start from (default 0).")
@click.option("--unit", help="The unit of the target (km, EUR, books, ...).")
@click.option("--focus", is_flag=True, help="One of the vital few (at most 3).")
def new_goal(vault: Path, title: str, area: str | None, deadline: date | None, why: str | None,
             target: float | None, baseline: float | None, unit: str | None,
             focus: bool) -> None:
    """Create a goal note named TITLE in the goals folder."""
    from .create import create_goal

    _create(create_goal, vault, title, area=area, why=why, target=target,
            baseline=baseline, unit=unit, focus=focus,
            deadline=deadline)


@new.command(name="habit")
@vault_option
@click.argument("title")
@click.option("--schedule", default="daily", show_default=True,
              help="daily, weekdays, weekends, 3/week, mon,wed,fri or 'every 2 days'.")
@click.option("--area", help="Life area (career, finances, relationships, health, ...).")
@click.option("--target", type=float, help="A numeric target (done when value >= target).")
@click.option("--unit", help="The unit of the target (min, pages, ...).")
@click.option("--goal", help="The title of the goal it serves.")
def new_habit(vault: Path, title: str, schedule: str, area: str | None,
              target: float | None, unit: str | None, goal: str | None) -> None:
    """Create a habit note named TITLE in the habits folder."""
    from .create import create_habit

    _create(create_habit, vault, title, schedule=schedule, area=area, target=target,
            unit=unit, goal=goal)


# What a command's load is done with, kept for the exit when the process ends with
# os._exit (run): see load_vault's abandon.
_abandoned: list[Any] | None = None


def run() -> NoReturn:
    """The console entry point: main(), then a quick exit.

    A run that loaded a large vault holds millions of objects, and the interpreter frees
    them one by one on its way out: ~20 ms at 10,000 notes, of no use to a process that
    is ending (and as much again for the facts a load drops, which are kept instead).
    Once main() has returned (every file it wrote is closed, the index too, the workers
    joined), the output is flushed and the process leaves at once. While another thread
    still runs, the exit is the interpreter's, which waits for it.
    """
    global _abandoned
    _abandoned = []
    code: int
    try:
        main()
        code = 0
    except SystemExit as leaving:
        if leaving.code is None or isinstance(leaving.code, int):
            code = leaving.code or 0
        else:  # sys.exit("message"): printed, exit status 1
            sys.stderr.write(f"{leaving.code}\n")
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            code = code or 1
    if "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
        sys.exit(code)
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line; errors are one-line messages, tracebacks only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    try:
        cli.main(args=args, prog_name="mdmastery", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except (OSError, RecursionError, MemoryError) as error:
        if debug:
            raise
        click.echo(f"mdmastery: error: {error}", err=True)
        sys.exit(1)
