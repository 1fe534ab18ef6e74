"""The vault's own files and folders (besides the notes), and where a configured folder's
notes are."""

from __future__ import annotations

CONFIG_PATH = ".mdmastery/config.toml"
TEMPLATE_FOLDER = ".mdmastery/templates"  # the user's own templates, over the packaged ones
CACHE_FOLDER = ".mdmastery/cache"  # disposable: the index (load/)
# Obsidian's and its plugins' settings (config/obsidian.py).
DAILY_NOTES = ".obsidian/daily-notes.json"
COMMUNITY_PLUGINS = ".obsidian/community-plugins.json"  # the enabled community plugins
PERIODIC_NOTES = ".obsidian/plugins/periodic-notes/data.json"
CALENDAR = ".obsidian/plugins/calendar/data.json"
TASKS = ".obsidian/plugins/obsidian-tasks-plugin/data.json"
HABIT_TRACKER = ".obsidian/plugins/habit-tracker-21/data.json"
TEMPLATES = ".obsidian/templates.json"  # the core Templates plugin: its folder
TEMPLATER = ".obsidian/plugins/templater-obsidian/data.json"
# Obsidian's daily-note settings, the first one found wins: Periodic Notes', the core's.
OBSIDIAN_DAILY = (PERIODIC_NOTES, DAILY_NOTES)
# The files whose change alters how the vault is read.
SETTINGS_FILES = frozenset({CONFIG_PATH, COMMUNITY_PLUGINS, CALENDAR, TASKS, HABIT_TRACKER,
                            *OBSIDIAN_DAILY})


def note_path(folder: str, name: str) -> str:
    """Return the vault path of a note named name in a configured folder ("" is the root)."""
    folder = folder.strip("/")
    return f"{folder}/{name}" if folder else name
