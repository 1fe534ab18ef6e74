"""Shell completion (bash, zsh, fish, through Click): names from the vault, and bash told
to keep a name with spaces one word.

Click completes commands, options, choices and folders by itself. Here: the titles of the
goals a new habit may serve (`new habit --goal`) and the life areas of the config
(`--area`), both of the vault given by `--vault` earlier on the line, else of the one
found from the working directory. Completing reads the vault through the index, as any
command does, and prints nothing but the completions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

# Goals a new habit may still serve.
_OPEN_GOALS = ("active", "paused")
# What bash reads as itself in a word; everything else gets a backslash.
_BASH_PLAIN = re.compile(r"([^\w@%+=:,./-])")


def goal_titles(ctx: click.Context, param: click.Parameter,
                incomplete: str) -> list[CompletionItem]:
    """Complete the titles of the vault's active and paused goals."""
    from .load.loader import load_vault

    loaded = load_vault(_vault(ctx), warn=_silent)
    titles = sorted({goal.title for goal in loaded.model.goals
                     if goal.status in _OPEN_GOALS}, key=str.lower)
    return _items(titles, incomplete)


def areas(ctx: click.Context, param: click.Parameter,
          incomplete: str) -> list[CompletionItem]:
    """Complete the life areas of the vault's config."""
    from .config import load_config

    return _items(sorted(load_config(_vault(ctx)).areas), incomplete)


def _items(names: list[str], incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    typed = incomplete.casefold()
    return [CompletionItem(name) for name in names if name.casefold().startswith(typed)]


def _vault(ctx: click.Context) -> Path:
    """Return the vault of the line being completed (--vault's callback found it)."""
    vault = ctx.params.get("vault")
    if isinstance(vault, Path):
        return vault
    from .reading.files import find_vault

    return find_vault(None, Path.cwd())


def _silent(text: str) -> None:
    """Say nothing: a notice of the index would be taken for a completion."""


def use_our_shells() -> None:
    """Complete bash with BashComplete below (called only when a shell asks to complete)."""
    from click.shell_completion import BashComplete, add_completion_class

    class Bash(BashComplete):
        """Bash, each value escaped so that bash inserts it as one word.

        Click's bash script adds each value to COMPREPLY as it is, and bash inserts it
        as it is: `Run a half marathon` would be four words. Escaped (`Run\\ a\\ half\\
        marathon`), it is one. The script reads each line with `read` (no -r), which
        takes one level of backslashes away: hence two.
        """

        def format_completion(self, item: CompletionItem) -> str:
            if item.type != "plain":
                return super().format_completion(item)
            escaped = _BASH_PLAIN.sub(r"\\\1", str(item.value))
            return f"plain,{escaped.replace(chr(92), chr(92) * 2)}"

    add_completion_class(Bash, "bash")

