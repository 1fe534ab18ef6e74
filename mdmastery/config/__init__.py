"""The vault's settings: one table of keys (table.py), each read from the sources that
may set it (the command line, the environment, `.mdmastery/config.toml` checked by
file.py, Obsidian's own settings, the default) -> Config, each value with its source.

A new setting is one entry in table.py's Config (docs/development.md, "A setting").
"""

from .paths import (
    CACHE_FOLDER,
    CONFIG_PATH,
    OBSIDIAN_DAILY,
    SETTINGS_FILES,
    TEMPLATE_FOLDER,
    note_path,
)
from .resolve import Effective, SettingError, Settings, load_config, read_settings
from .table import DEFAULTS, SETTINGS, Config, Source

__all__ = [
    "CACHE_FOLDER", "CONFIG_PATH", "DEFAULTS", "OBSIDIAN_DAILY", "SETTINGS", "SETTINGS_FILES",
    "TEMPLATE_FOLDER", "Config", "Effective", "SettingError", "Settings", "Source",
    "load_config", "note_path", "read_settings",
]
