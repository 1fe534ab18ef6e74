"""Each setting's value in effect: the highest source that sets it with a valid value
(command line, environment, vault config, Obsidian settings, default), and where it was
set; the vault's Config made from them."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import MdmasteryError, Problem
from .file import read_config_file
from .kinds import as_json
from .obsidian import read_obsidian_settings
from .table import FIELDS, SETTINGS, TODAY, VAULT, Config, Found, Key, Source


class SettingError(MdmasteryError):
    """A setting given in the environment or on the command line has no valid value."""


@dataclass(frozen=True, slots=True)
class Effective:
    """A setting's value in effect, its source, and where exactly it was set."""

    setting: Key[Any]
    value: Any
    source: Source
    origin: str  # ".mdmastery/config.toml:3", "MDMASTERY_TODAY", "--vault"; "" for default
    # What lower sources said, highest first (a format Obsidian names still matters).
    shadowed: tuple[tuple[Source, Found], ...] = ()

    def shown(self) -> Any:
        """Return the value as one would write it (a weekday by name)."""
        return None if self.value is None else self.setting.kind.show(self.value)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.setting.key, "value": as_json(self.shown()),
                "source": str(self.source), "origin": self.origin}

    def where(self) -> str:
        """Return the source as the user reads it: `vault config (.mdmastery/config.toml:3)`."""
        return f"{self.source} ({self.origin})" if self.origin else str(self.source)


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings in effect, in the table's order, and the problems met reading them."""

    effective: Mapping[str, Effective]
    problems: tuple[Problem, ...] = ()

    def __getitem__(self, key: str) -> Any:
        return self.effective[key].value

    def __iter__(self) -> Iterator[Effective]:
        return iter(self.effective.values())

    def as_json(self) -> list[dict[str, Any]]:
        return [entry.as_json() for entry in self]

    def config(self) -> Config:
        """Return the vault's Config: its settings' values, the problems met."""
        daily = self.effective[Config.daily_format.key]
        # Journal notes named in a lower source's format are recognised too.
        date_formats = tuple(dict.fromkeys(
            (daily.value, *(found.value for _, found in daily.shadowed))))
        return Config(date_formats=date_formats, problems=self.problems,
                      **{field: self.effective[key.key].value for field, key in FIELDS.items()})


def resolve(*, config: Mapping[str, Found], obsidian: Mapping[str, Found],
            environ: Mapping[str, str], command_line: Mapping[str, Any],
            defaults: Mapping[str, Any] | None = None,
            keys: Collection[Key[Any]] = SETTINGS) -> dict[str, Effective]:
    """Return each setting's effective value: the highest source that sets it.

    config and obsidian hold checked values (file.py, obsidian.py); an environment
    variable or option is checked here (SettingError when it is bad). An empty
    environment variable counts as unset, as Click reads one. defaults replace the
    table's for defaults known only at run time (the vault found, today).
    """
    chosen: dict[str, Effective] = {}
    for setting in keys:
        candidates: list[tuple[Source, Found]] = []
        for source in setting.sources:
            found = _found(setting, source, config, obsidian, environ, command_line)
            if found is not None:
                candidates.append((source, found))
        default = (defaults or {}).get(setting.key, setting.default)
        candidates.append((Source.DEFAULT, Found(default, "")))
        (source, found), *shadowed = candidates
        chosen[setting.key] = Effective(setting, found.value, source, found.origin,
                                        tuple(shadowed))
    return chosen


def _found(setting: Key[Any], source: Source, config: Mapping[str, Found],
           obsidian: Mapping[str, Found], environ: Mapping[str, str],
           command_line: Mapping[str, Any]) -> Found | None:
    if source is Source.CONFIG:
        return config.get(setting.key)
    if source is Source.OBSIDIAN:
        return obsidian.get(setting.key)
    if source is Source.ENVIRONMENT and setting.env and environ.get(setting.env, "").strip():
        text = environ[setting.env].strip()
        try:
            return Found(setting.kind.check(setting.kind.parse(text)), setting.env)
        except ValueError:
            raise SettingError(f"{setting.env}={text!r} is not {setting.kind.name}") \
                from None
    if source is Source.COMMAND_LINE and setting.option and \
            command_line.get(setting.key) is not None:
        value = command_line[setting.key]
        try:
            return Found(setting.kind.check(value), setting.option)
        except ValueError:
            raise SettingError(f"{setting.option} {value!r} is not {setting.kind.name}") \
                from None
    return None


def read_settings(root: Path, *, environ: Mapping[str, str] | None = None,
                  command_line: Mapping[str, Any] | None = None,
                  today: date | None = None) -> Settings:
    """Read every setting in effect for the vault at root, each with its source.

    environ defaults to the process's; command_line holds only what the user gave (for
    --vault: not what Click took from MDMASTERY_VAULT or found); root and today are the
    defaults found at run time. Without today, only the vault's settings (Config's) are
    read, not those of the run.
    """
    keys = FIELDS.values() if today is None else SETTINGS
    config = read_config_file(root)
    obsidian, obsidian_problems = read_obsidian_settings(root)
    effective = resolve(config=config.values, obsidian=obsidian,
                        environ=os.environ if environ is None else environ,
                        command_line=command_line or {},
                        defaults={VAULT.key: root, TODAY.key: today}, keys=keys)
    return Settings(effective, (*config.problems, *obsidian_problems))


def load_config(root: Path) -> Config:
    """Read the vault's Config; a bad file or value is a problem, never fatal."""
    return read_settings(root).config()
