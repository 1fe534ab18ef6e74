"""The vault's own files and folders (besides the notes), and where a configured folder's
notes are."""

from __future__ import annotations

CONFIG_PATH = ".mdmastery/config.toml"
TEMPLATE_FOLDER = ".mdmastery/templates"  # the user's own templates, over the packaged ones
CACHE_FOLDER = ".mdmastery/cache"  # disposable: the index (load/)
# Obsidian's daily-note settings, the first one found wins: Periodic Notes', the core's.
OBSIDIAN_DAILY = (".obsidian/plugins/periodic-notes/data.json", ".obsidian/daily-notes.json")
# The files whose change alters how the vault is read.
SETTINGS_FILES = frozenset({CONFIG_PATH, *OBSIDIAN_DAILY})


def note_path(folder: str, name: str) -> str:
    """Return the vault path of a note named name in a configured folder ("" is the root)."""
    folder = folder.strip("/")
    return f"{folder}/{name}" if folder else name
