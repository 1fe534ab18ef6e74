"""The settings as `mdmastery config` prints them, and the table as the docs list it."""

from __future__ import annotations

from .kinds import as_toml
from .resolve import Settings
from .table import SETTINGS, Source

# The column where the sources start (a longer setting pushes its own further).
_WIDTH = 48


def format_settings(settings: Settings) -> str:
    """Return the settings as TOML lines, each with its source as a comment.

    `folders.reviews = "Weekly"  # vault config (.mdmastery/config.toml:6)`: the lines
    of file settings could be pasted into config.toml as they are.
    """
    pairs = [(f"{entry.setting.key} = {as_toml(entry.shown())}", entry.where())
             for entry in settings]
    width = min(max(len(pair) for pair, _ in pairs), _WIDTH)
    return "".join(f"{pair:<{width}}  # {where}\n" for pair, where in pairs)


def reference_markdown() -> str:
    """Return the table of settings as Markdown, for docs/configuration.md."""
    rows = ["| key | kind | default | may be set by (highest first) | meaning |",
            "|---|---|---|---|---|"]
    for setting in SETTINGS:
        default = setting.default_text or f"`{as_toml(setting.kind.show(setting.default))}`"
        ways = {Source.COMMAND_LINE: f"`{setting.option}`",
                Source.ENVIRONMENT: f"`{setting.env}`", Source.CONFIG: "config file",
                Source.OBSIDIAN: f"Obsidian: {setting.obsidian}", Source.DEFAULT: "default"}
        rows.append(f"| `{setting.key}` | {setting.kind.name} | {default} | "
                    f"{', '.join(ways[source] for source in setting.sources)} | "
                    f"{setting.help} |")
    return "\n".join(rows) + "\n"
