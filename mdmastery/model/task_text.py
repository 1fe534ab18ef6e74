"""A task line's text as a person reads it: without the tags and emoji that lead it.

People put a tag or an emoji before a habit's name (`- [x] #habit Meditate`,
`- [x] 🏃 Run`), and the Tasks plugin's global filter (`#task`) marks every task it
tracks. Neither is part of the name.
"""

from __future__ import annotations

import re
import unicodedata

_TAG = re.compile(r"#[^\s#]+\Z")


def _is_emoji(token: str) -> bool:
    """Tell whether a word is pictures only (🏃, 🏃‍♂️, ✅): symbols, no letter or digit."""
    has_symbol = False
    for char in token:
        category = unicodedata.category(char)
        if category[0] in "LN":
            return False
        has_symbol = has_symbol or category in ("So", "Sk")
    return has_symbol


def without_global_filter(text: str, global_filter: str | None) -> str:
    """Return text without the Tasks global filter where it stands as a word.

    As Tasks removes it: only a whole word (`#task`, not `#task/home`), anywhere.
    """
    if not global_filter:
        return text
    words = [word for word in text.split(" ") if word != global_filter]
    return re.sub(r" {2,}", " ", " ".join(words)).strip()


def habit_text(text: str, global_filter: str | None = None) -> str:
    """Return a check-off's text from the habit's name on: leading tags and emoji dropped.

    `#habit Meditate` -> `Meditate`; `🏃 Run 5 km` -> `Run 5 km`; `#task 🧘 Meditate` ->
    `Meditate`. Text that is only tags or emoji is returned as it is (there is no name).
    """
    words = without_global_filter(text, global_filter).split()
    start = 0
    while start < len(words) and (_TAG.match(words[start]) or _is_emoji(words[start])):
        start += 1
    return " ".join(words[start:]) if start < len(words) else text.strip()
