"""Render reviews and new notes through Jinja2 templates.

The vault's `.mdmastery/templates/` override the packaged ones. Every template
runs in Jinja2's SandboxedEnvironment with StrictUndefined: a vault template is
the user's code, so an attribute escape or a typo is a clear error, never a
traceback and never a write.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import MdmasteryError

TEMPLATE_FOLDER = ".mdmastery/templates"


class TemplateError(MdmasteryError):
    """A template could not be loaded or rendered; the message names template and line."""


def packaged_templates() -> Path:
    """Return the folder of the default templates (installed, or beside the source)."""
    try:
        folder = Path(str(resources.files("mdmastery.templates")))
        if (folder / "review.md.j2").is_file():
            return folder
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "templates"


def _environment(vault: Path) -> Any:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loader = jinja2.FileSystemLoader([str(vault / TEMPLATE_FOLDER), str(packaged_templates())])
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined,
                               keep_trailing_newline=True, trim_blocks=True,
                               lstrip_blocks=True, autoescape=False)
    env.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    env.filters["num"] = lambda value: "–" if value is None else f"{value:.1f}"
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
