"""Load a vault: its config, its notes (through the index when it can) and the model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .extract import build_model
from .model import Model, Problem
from .notes import Note, parse_note
from .vault import list_notes, read_bytes


@dataclass(frozen=True, slots=True)
class Loaded:
    """A vault as read: where it is, its config and its model."""

    root: Path
    config: Config
    model: Model


def read_notes(root: Path, config: Config) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note of the vault, without the index."""
    files, problems = list_notes(root, config.ignore)
    notes: list[Note] = []
    for file in files:
        data = read_bytes(root, file, config.max_file_size)
        if data is None:
            continue
        if isinstance(data, Problem):
            problems.append(data)
            continue
        notes.append(parse_note(file.path, data))
    return notes, problems


def load_vault(root: Path) -> Loaded:
    """Read the whole vault into the model."""
    config = load_config(root)
    notes, problems = read_notes(root, config)
    model = build_model(notes, config)
    if problems:
        from dataclasses import replace

        model = replace(model, problems=tuple(sorted(set(model.problems) | set(problems))))
    return Loaded(root, config, model)
