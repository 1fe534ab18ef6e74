"""Wikilinks in front matter values, and which goal a link names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .values import Goal


def link_text(value: Any) -> str:
    """Return the text of a value that may be an unquoted wikilink (`[[X]]` reads as [['X']])."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and \
            len(value[0]) == 1:
        return f"[[{value[0][0]}]]"
    return str(value).strip()


def link_target(value: Any) -> str | None:
    """Return the note a wikilink value points to: `[[Goals/X|x]]` -> `Goals/X`."""
    if value is None:
        return None
    text = link_text(value)
    match = re.search(r"\[\[([^\]|#^]+)", text)
    target = match.group(1) if match else text
    return target.strip() or None


def links_to(link: str, goal: Goal) -> bool:
    """Return whether a wikilink target names the goal: title, file stem or path."""
    target = link.strip()
    if target.startswith("[[") and target.endswith("]]"):
        target = target[2:-2]
    # "[[Goal#Heading|shown text]]" still links to Goal.
    target = target.split("|", 1)[0].split("#", 1)[0].strip().casefold()
    target = target.removesuffix(".md")
    if not target:
        return False
    path = goal.path.casefold().removesuffix(".md")
    stem = path.rsplit("/", 1)[-1]
    return (target in (goal.title.casefold(), stem, path)
            or path.endswith("/" + target))
