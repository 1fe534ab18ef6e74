"""The review's check-in: the questions asked, each with the answer region the user
writes in, named so that no two goals share one and a new title keeps it."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from .figures import Figures


def slug(text: str, limit: int = 40) -> str:
    """Return a region-name fragment for a text: ASCII letters and digits in lower case,
    each other run of characters a `-` ("İzmir" -> "izmir"; "" for emoji alone)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in plain.casefold())
    return "-".join(part for part in out.split("-") if part)[:limit].strip("-")


def _legacy_slug(text: str) -> str:
    """The slug of region names before 0.2 (an answer under such a name follows)."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)[:60] or "goal"


def region_name(kind: str, path: str) -> str:
    """Return the name of a goal's question region: the kind, the note's file name as a
    slug, and 8 hex digits of its path, so two goals never share one (case twins, titles
    alike in their first characters, emoji-only names) and a new title keeps it."""
    import hashlib  # (only for a rendered review: `--json` needs no OpenSSL)

    stem = path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    key = hashlib.sha256(os.fsencode(path)).hexdigest()[:8]
    fragment = slug(stem)
    return f"{kind}-{fragment}-{key}" if fragment else f"{kind}-{key}"


def questions(word: str, focus_goals: Sequence[Mapping[str, Any]],
              goals: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Return the check-in questions, each with the name of its user-owned region (and,
    for a goal's, the name versions before 0.2 gave it: `legacy`)."""
    asked = [
        {"region": "went-well", "text": f"What went well this {word}, and why?"},
        {"region": "differently", "text": f"What will I do differently next {word}?"},
    ]

    def ask(kind: str, goal: Mapping[str, Any], text: str) -> None:
        name = region_name(kind, goal["path"])
        taken = {q["region"] for q in asked}
        unique = name
        number = 1
        while unique in taken:  # (8 hex digits of two paths alike: never seen, but safe)
            number += 1
            unique = f"{name}-{number}"
        asked.append({"region": unique, "text": text,
                      "legacy": f"{kind}-{_legacy_slug(goal['title'])}"})

    for goal in focus_goals:
        ask("goal", goal, f"Is “{goal['title']}” still my goal, or did I borrow it? "
                          "What is the next concrete step?")
    for goal in goals:
        if not goal["active"]:
            continue
        if not goal["deadline"]:
            ask("deadline", goal, f"“{goal['title']}” has no deadline: set a deadline? "
                                  "(A day to aim for turns a wish into a plan.)")
        if not goal["why"]:
            ask("why", goal, f"Why does “{goal['title']}” matter to me? "
                             "(It has no `why:` yet.)")
        if goal["at_risk"] or goal["overdue"] or goal["stale"]:
            state = ("is overdue" if goal["overdue"] else
                     "is behind schedule" if goal["at_risk"] else "has not moved in 21 days")
            ask("unstick", goal, f"“{goal['title']}” {state}: recommit, change the plan, "
                                 "or let it go?")
    return asked


def section(figures: Figures, shown: Mapping[str, Any]) -> dict[str, Any]:
    """The questions, asked of the goals the goals' section shows."""
    return {"questions": questions(shown["word"], shown["focus_goals"], shown["goals"])}


def region_aliases(context: Mapping[str, Any]) -> dict[str, str]:
    """Map each question region of a review to the name versions before 0.2 gave it."""
    return {q["region"]: q["legacy"] for q in context.get("questions", ())
            if "legacy" in q}
