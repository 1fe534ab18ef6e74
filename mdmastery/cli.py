"""The command line: parse the options, call one function, report what it did.

Errors leave through the command group (entry.Program, the one exit point); output goes
through the run's Reporter.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from . import __version__, completion
from .dates import clock
from .dates.periods import PERIODS, period_of
from .entry import Program
from .model.values import schedule_forms
from .report import Reporter

if TYPE_CHECKING:
    from .load.loader import Loaded

F = TypeVar("F", bound=Callable[..., Any])


class Run:
    """One run of the command line: its output and the options of the command group.

    kept, when given, gets what the run's load is done with, freed by the process's exit
    instead (see __main__.run).
    """

    def __init__(self, report: Reporter | None = None, kept: list[Any] | None = None) -> None:
        self.report = report or Reporter()
        self.debug = False
        self.kept = kept


def today() -> date:
    """Return today, or the day MDMASTERY_TODAY names (a usage error if it names none)."""
    try:
        return clock.today()
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _resolve_vault(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    from .reading.files import find_vault

    root = find_vault(value, Path.cwd())
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", ctx=ctx, param=param)
    return root.resolve()


def vault_option(function: F) -> F:
    return click.option(
        "--vault", type=click.Path(file_okay=False, path_type=Path), envvar="MDMASTERY_VAULT",
        callback=_resolve_vault,
        help="The vault folder. Default: $MDMASTERY_VAULT, else the nearest folder up "
             "from here holding .mdmastery/ or .obsidian/ (without one, the command "
             "refuses: run `mdmastery init`).")(function)


class Day(click.ParamType):  # type: ignore[type-arg]
    """A day written YYYY-MM-DD (month and day may have one digit), as a date.

    (click.DateTime would do, but it imports _strptime at every run. ParamType is
    generic from Click 8.2 on; 8.1 is allowed too.)"""

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


def date_option(function: F, text: str = "A day in the period to review") -> F:
    return click.option("--date", "day", type=Day(),
                        help=f"{text} (YYYY-MM-DD). Default: today.")(function)


def note_date_option(function: F) -> F:
    return date_option(function, "The day of the journal note to create")


class Loading:
    """How a command loads the vault: its --no-cache and --jobs."""

    def __init__(self, use_cache: bool, jobs: int | None) -> None:
        self.use_cache = use_cache
        self.jobs = jobs

    def load(self, run: Run, vault: Path) -> Loaded:
        """Load the vault (drawing a progress bar on a terminal)."""
        from .load.loader import load_vault

        return load_vault(vault, use_cache=self.use_cache, jobs=self.jobs,
                          progress=run.report.progress(), warn=run.report.notice,
                          kept=run.kept)


def load_options(function: F) -> F:
    """Add --no-cache and --jobs to a command that loads the vault; it gets `loading`."""

    @functools.wraps(function)
    def wrapper(*args: Any, no_cache: bool, jobs: int | None, **kwargs: Any) -> Any:
        return function(*args, loading=Loading(not no_cache, jobs), **kwargs)

    wrapper = click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Processes that parse notes when many must be read. Default: the CPU count "
             "(one for small vaults).")(wrapper)
    wrapper = click.option(
        "--no-cache", is_flag=True,
        help="Read every note again, neither using nor updating the index in "
             ".mdmastery/cache/.")(wrapper)
    return cast(F, wrapper)


def report_options(json_help: str | None = None, with_quiet: bool = True
                   ) -> Callable[[F], F]:
    """Add --json (json_help says what it prints) and -q/--quiet to a command; they set
    the run's Reporter (docs/terminal.md)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, as_json: bool = False, quiet: bool = False,
                    **kwargs: Any) -> Any:
            report = click.get_current_context().ensure_object(Run).report
            report.as_json, report.quiet = as_json, quiet
            return function(*args, **kwargs)

        if with_quiet:
            wrapper = click.option("-q", "--quiet", is_flag=True,
                                   help="Print nothing but problems and errors.")(wrapper)
        if json_help:
            wrapper = click.option("--json", "as_json", is_flag=True, help=json_help)(wrapper)
        return cast(F, wrapper)

    return decorate


def commit_option(function: F) -> F:
    return click.option(
        "--commit", is_flag=True,
        help="Commit the reviews written (git commit of those files only; your other "
             "changes stay as they are).")(function)


pass_run = click.make_pass_decorator(Run, ensure=True)


@click.group(cls=Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mdmastery")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@pass_run
def cli(run: Run, debug: bool) -> None:
    """Coach-style reviews of the goals, habits and reflections in a Markdown vault."""
    run.debug = debug


@cli.command()
@vault_option
@load_options
@click.option("--period", type=click.Choice(PERIODS), default="week", show_default=True,
              help="The kind of period to review.")
@date_option
@report_options("Print the review data as JSON and write nothing.")
@click.option("--dry-run", is_flag=True, help="Print a diff of what would change; write nothing.")
@click.option("--force", is_flag=True,
              help="Regenerate even if the review's generated part was edited "
                   "(answers in the check-in regions are still kept).")
@commit_option
@pass_run
def review(run: Run, vault: Path, loading: Loading, period: str, day: date | None,
           dry_run: bool, force: bool, commit: bool) -> None:
    """Write the review note of the PERIOD holding --date."""
    from .review.build import build_review

    if commit:
        if run.report.as_json or dry_run:
            raise click.UsageError("--commit commits what the review writes; --json and "
                                   "--dry-run write nothing")
        from .writing.commit import check_committable

        check_committable(vault)  # (refused before anything is written)
    loaded = loading.load(run, vault)
    now = today()
    chosen = period_of(period, day or now, loaded.config.week_start, loaded.config.formats)
    run.report.problems(loaded.model.problems)
    if run.report.as_json:
        run.report.data(build_review(loaded.model, loaded.config, chosen, now,
                                     for_template=False).data)
        return
    from .writing.reviews import write_review

    result = write_review(vault, loaded.model, loaded.config, chosen, now, force=force,
                          dry_run=dry_run)
    if dry_run:
        run.report.result(result.diff or f"{result.path}: unchanged", newline=not result.diff)
        return
    run.report.result(f"{result.path.relative_to(vault).as_posix()}: {result.status}")
    if commit:
        from .writing.commit import commit_paths, review_message

        committed = commit_paths(vault, result.files, review_message([chosen.label]))
        if committed.commit is not None:
            run.report.result(committed.line())


@cli.command()
@vault_option
@load_options
@date_option
@click.option("--json", "as_json", is_flag=True, help="Print the week's figures as JSON.")
@pass_run
def status(run: Run, vault: Path, loading: Loading, day: date | None, as_json: bool) -> None:
    """Show goals, habits and streaks of the current week in the terminal."""
    from .review.build import build_review
    from .review.status import format_status

    loaded = loading.load(run, vault)
    now = today()
    week = period_of("week", day or now, loaded.config.week_start, loaded.config.formats)
    data = build_review(loaded.model, loaded.config, week, now, for_template=False).data
    if as_json:
        run.report.result(json.dumps({k: data[k] for k in ("period", "habits", "goals",
                                                           "journal")},
                                     indent=2, ensure_ascii=False))
        return
    run.report.result(format_status(data, color=run.report.colors()))


@cli.command()
@vault_option
@load_options
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: path:line: level: message; json: for editors.")
@report_options("Print the problems and counts as JSON (as --format json does).")
@pass_run
def check(run: Run, vault: Path, loading: Loading, output: str) -> None:
    """Lint the vault: print every problem; exit 1 if any is an error."""
    loaded = loading.load(run, vault)
    problems = loaded.model.problems
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    notes = loaded.model.note_count
    if output == "json" or run.report.as_json:
        run.report.data({"problems": [p.as_dict() for p in problems], "errors": errors,
                         "warnings": warnings, "notes": notes,
                         "notices": [p.as_dict() for p in loaded.model.notices]})
    else:
        run.report.listing(sorted([*problems, *loaded.model.notices]))
        run.report.result(f"{errors:,} {'error' if errors == 1 else 'errors'}, {warnings:,} "
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
@click.option("--commit", is_flag=True,
              help="Commit the reviews after each rebuild that changed them (git commit of "
                   "those files only; your other changes stay as they are).")
@click.option("--json", "as_json", is_flag=True,
              help="With --once: print the reviews written, unchanged and refused, and the "
                   "commit, as JSON.")
@pass_run
def watch(run: Run, vault: Path, periods: tuple[str, ...], debounce: float, poll: bool,
          interval: float, once: bool, quiet: bool, verbose: bool, no_cache: bool,
          commit: bool, as_json: bool) -> None:
    """Keep the reviews of the current periods up to date while notes change."""
    import threading

    from .watch.events import stop_on_signals
    from .watch.run import WatchOptions
    from .watch.run import run as watch_vault
    from .watch.watcher import NORMAL, QUIET, VERBOSE, Rebuild

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    if as_json and not once:
        raise click.UsageError("--json needs --once (a running watch prints a line a rebuild)")
    today()  # a bad MDMASTERY_TODAY is a usage error now, not on the first tick
    run.report.as_json, run.report.quiet = as_json, quiet
    stop = threading.Event()
    options = WatchOptions(periods, debounce, poll, interval, once,
                           QUIET if quiet else VERBOSE if verbose else NORMAL, not no_cache,
                           commit)
    rebuilds: list[Rebuild] = []
    # (--once too: a signal then ends it after the review being written, with no temp file)
    with stop_on_signals(stop):
        code = watch_vault(vault, stop, today, options, run.report, rebuilds.append)
    if as_json and rebuilds:
        run.report.data(rebuilds[-1].as_json())
    sys.exit(code)


def _report_created(run: Run, vault: Path, results: Sequence[Any]) -> None:
    created = [(result.path.relative_to(vault).as_posix(), result.status)
               for result in results]
    if run.report.as_json:
        run.report.data({"created": [{"path": path, "status": status}
                                     for path, status in created]})
    for path, status in created:
        done = "created" if status == "created" else "exists, left as it is"
        run.report.result(f"{path}: {done}")


_CREATED_JSON = ("Print the notes as JSON: {\"created\": [{\"path\", \"status\"}]}, "
                 "status created or exists.")


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--sample", is_flag=True,
              help="Also write a sample vision, goal and habits into a folder that holds "
                   "notes (an empty folder gets them anyway).")
@report_options(_CREATED_JSON)
@pass_run
def init(run: Run, directory: Path | None, sample: bool) -> None:
    """Set up DIRECTORY (default: here) as a vault; never overwrites a file.

    In a folder that holds notes, only the config (following Obsidian's daily and
    periodic note settings) and today's journal note are written.
    """
    from .create import init_vault, next_steps

    root = (directory or Path.cwd()).resolve()
    created = init_vault(root, today(), sample)
    _report_created(run, root, created.results)
    for line in next_steps(created):
        run.report.result(line)


@cli.command(name="today")
@vault_option
@load_options
@note_date_option
@report_options(_CREATED_JSON)
@pass_run
def today_command(run: Run, vault: Path, loading: Loading, day: date | None) -> None:
    """Create today's journal note listing the habits due; leave it if it exists."""
    from .create import create_today

    loaded = loading.load(run, vault)
    _report_created(run, vault, [create_today(vault, loaded.model, loaded.config,
                                              day or today())])


@cli.group()
def cache() -> None:
    """Manage the index of notes in .mdmastery/cache/ (disposable)."""


@cache.command(name="clear")
@vault_option
@report_options("Print {\"removed\": true} or false as JSON.")
@pass_run
def cache_clear(run: Run, vault: Path) -> None:
    """Remove .mdmastery/cache/; the next run reads every note again."""
    from .load.folder import clear_index

    removed = clear_index(vault)
    if run.report.as_json:
        run.report.data({"removed": removed})
    run.report.result(f"{'removed' if removed else 'no'} .mdmastery/cache/"
                      f"{'' if removed else ' to remove'}")


@cli.group()
def new() -> None:
    """Create a goal or habit note from a template."""


def _create(run: Run, function: Callable[..., Any], vault: Path, title: str,
            **options: Any) -> None:
    from .config import load_config
    from .create import CreateError

    try:
        result = function(vault, load_config(vault), title, today(), **options)
    except CreateError as error:
        raise click.UsageError(str(error)) from None
    _report_created(run, vault, [result])
    if result.status != "created":
        sys.exit(1)


@new.command(name="goal")
@vault_option
@click.argument("title")
@click.option("--area", shell_complete=completion.areas,
              help="Life area (career, finances, relationships, health, ...).")
@click.option("--deadline", type=Day(),
              help="The day the goal should be reached by (YYYY-MM-DD).")
@click.option("--why", help="Why this goal matters to you.")
@click.option("--target", type=float, help="A measurable target value.")
@click.option("--baseline", type=float, help="Where you start from (default 0).")
@click.option("--unit", help="The unit of the target (km, EUR, books, ...).")
@click.option("--focus", is_flag=True, help="One of the vital few (at most 3).")
@report_options(_CREATED_JSON)
@pass_run
def new_goal(run: Run, vault: Path, title: str, area: str | None, deadline: date | None,
             why: str | None, target: float | None, baseline: float | None,
             unit: str | None, focus: bool) -> None:
    """Create a goal note named TITLE in the goals folder."""
    from .create import create_goal

    _create(run, create_goal, vault, title, area=area, why=why, target=target,
            baseline=baseline, unit=unit, focus=focus, deadline=deadline)


@new.command(name="habit")
@vault_option
@click.argument("title")
@click.option("--schedule", default="daily", show_default=True,
              help=f"{schedule_forms('mon,wed,fri')}.")
@click.option("--area", shell_complete=completion.areas,
              help="Life area (career, finances, relationships, health, ...).")
@click.option("--target", type=float, help="A numeric target (done when value >= target).")
@click.option("--unit", help="The unit of the target (min, pages, ...).")
@click.option("--goal", shell_complete=completion.goal_titles,
              help="The title of the goal it serves.")
@report_options(_CREATED_JSON)
@pass_run
def new_habit(run: Run, vault: Path, title: str, schedule: str, area: str | None,
              target: float | None, unit: str | None, goal: str | None) -> None:
    """Create a habit note named TITLE in the habits folder."""
    from .create import create_habit

    _create(run, create_habit, vault, title, schedule=schedule, area=area, target=target,
            unit=unit, goal=goal)


@cli.command(name="config")
@vault_option
@report_options("Print the settings as JSON: a list of {\"key\", \"value\", \"source\", "
                "\"origin\"}.", with_quiet=False)
@pass_run
def config_command(run: Run, vault: Path) -> None:
    """Show every setting in effect and where it came from."""
    from click.core import ParameterSource

    from .config import read_settings
    from .config.show import format_settings

    given = click.get_current_context().get_parameter_source("vault")
    settings = read_settings(vault, today=today(), command_line={
        "vault": vault} if given is ParameterSource.COMMANDLINE else {})
    run.report.problems(settings.problems)
    if run.report.as_json:
        run.report.data(settings.as_json())
    else:
        run.report.result(format_settings(settings), newline=False)
