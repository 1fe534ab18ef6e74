"""What goes wrong: a Problem is reported and the run goes on; an MdmasteryError stops
a command with a one-line message (entry.py maps it to exit status 1)."""

from __future__ import annotations

from typing import Literal, NamedTuple

# (a note is neither: something worth knowing, such as a scale detected)
Level = Literal["error", "warning", "note"]


class Problem(NamedTuple):
    """Something in a note that could not be read as intended.

    A named tuple, as the model's other small values: frozen, compared and ordered field
    by field (problems are listed sorted).
    """

    path: str  # relative to the vault, with '/'
    line: int  # 1-based; 0 when it concerns the whole file
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "level": self.level,
                "message": self.message}


class Problems(list[Problem]):
    """The problems found so far, in order."""

    def warn(self, path: str, line: int, message: str) -> None:
        self.append(Problem(path, line, "warning", message))

    def error(self, path: str, line: int, message: str) -> None:
        self.append(Problem(path, line, "error", message))


class MdmasteryError(Exception):
    """An error the user can act on; its message names the file (and line) concerned."""


class WriteError(MdmasteryError):
    """A write was refused or failed; the message names the file."""


class TemplateError(MdmasteryError):
    """A template could not be loaded or rendered; the message names template and line."""
