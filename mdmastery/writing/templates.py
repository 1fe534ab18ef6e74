"""Render reviews and new notes through Jinja2 templates.

The vault's `.mdmastery/templates/` override the packaged ones. They are read only
from inside the vault: a template (or the folder) that is a symlink leading out is
refused, as a note would be, so `{% include %}` cannot copy a file from elsewhere
into a review. Every template runs in Jinja2's SandboxedEnvironment with
StrictUndefined: a vault template is the user's code, so an attribute escape or a
typo is a clear error, never a traceback and never a write.

Every value a template prints passes through `neutral`: text from the user's notes
never forms a region marker or the orphaned answers' heading of a review.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..config import TEMPLATE_FOLDER
from ..errors import TemplateError
from .regions import MARK, ORPHAN_HEADING

# The packaged templates (package data, beside this module).
PACKAGED = Path(__file__).resolve().parent / "templates"

# What could read as a region marker, and the same with a word joiner (U+2060): an HTML
# comment still, shown as nothing in Obsidian as before, but no marker.
_MARKER_START = (MARK, MARK.replace("<!--", "<!--\u2060", 1))
_ORPHANS = (ORPHAN_HEADING, ORPHAN_HEADING.replace(" answers", "\u2060 answers", 1))


def neutral(value: Any) -> Any:
    """Return a printed value, its text unable to form a review's markers."""
    if isinstance(value, str):
        if _MARKER_START[0] in value:
            value = value.replace(*_MARKER_START)
        if _ORPHANS[0] in value:
            value = value.replace(*_ORPHANS)
    return value


def as_written(value: float) -> str:
    """Show a number as a person writes it: 1500, not 1500.0; 21.1 as 21.1."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _vault_loader(vault: Path) -> Any:
    """A loader of the vault's own templates that reads none leading out of the vault."""
    import jinja2
    from jinja2.loaders import split_template_path

    folder = str(vault / TEMPLATE_FOLDER)

    class VaultLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            path = os.path.join(folder, *split_template_path(template))
            if os.path.lexists(path):
                root = os.path.realpath(vault)
                if not os.path.realpath(path).startswith(os.path.join(root, "")):
                    raise TemplateError(f"{TEMPLATE_FOLDER}/{template}: error: refused: the "
                                        "template leads out of the vault (a symlink); "
                                        "templates are read only from inside it")
            return super().get_source(environment, template)

    return VaultLoader(folder)


def _environment(vault: Path) -> Any:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loader = jinja2.ChoiceLoader([_vault_loader(vault),
                                  jinja2.FileSystemLoader(str(PACKAGED))])
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined,
                               keep_trailing_newline=True, trim_blocks=True,
                               lstrip_blocks=True, autoescape=False, finalize=neutral)
    env.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    env.filters["num"] = lambda value: "–" if value is None else f"{value:.1f}"
    env.filters["number"] = as_written
    env.filters["pct"] = lambda value: "–" if value is None else f"{round(value * 100)}%"
    return env


_ENVIRONMENTS: dict[Path, tuple[object, Any]] = {}


def _overrides(vault: Path) -> object:
    """Return what identifies the vault's own templates now: their names and mtimes."""
    try:
        with os.scandir(vault / TEMPLATE_FOLDER) as scan:
            return tuple(sorted((e.name, e.stat().st_mtime_ns) for e in scan))
    except OSError:
        return ()


def environment(vault: Path) -> Any:
    """Return the vault's Jinja environment, made anew when its own templates change."""
    key = _overrides(vault)
    cached = _ENVIRONMENTS.get(vault)
    if cached is None or cached[0] != key:
        cached = _ENVIRONMENTS[vault] = (key, _environment(vault))
    return cached[1]


def render(vault: Path, name: str, context: dict[str, Any]) -> str:
    """Render a template by name; raises TemplateError with template and line."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = environment(vault)
    try:
        template = env.get_template(name)
        return str(template.render(**context))
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or name
        raise TemplateError(f"{where}:{error.lineno}: error: template syntax: "
                            f"{error.message}") from None
    except jinja2.TemplateNotFound:
        raise TemplateError(f"template {name!r} not found in {TEMPLATE_FOLDER}/ or "
                            "the packaged templates") from None
    except (jinja2.UndefinedError, SecurityError, TypeError, ValueError, ArithmeticError,
            LookupError, AttributeError) as error:
        raise TemplateError(f"{_template_place(error, name)}: error: {error}") from None


def _template_place(error: BaseException, name: str) -> str:
    """Find the template file and line a render error came from.

    Jinja rewrites a render error's traceback so that template frames carry the
    template's file name and line; the innermost such frame is the place.
    """
    traceback = error.__traceback__
    place = name
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".md", ".toml")):
            place = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return place
