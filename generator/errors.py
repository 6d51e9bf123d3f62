"""The one error hierarchy of seloste, and the located problems it reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Level(str, Enum):
    """How serious a problem is: an error must not be published, a warning should be fixed."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one value in one file, located to the line and column.

    `field` is the dotted path of the value inside the file (``purposes[1].legal_basis``);
    it is empty for problems with the file as a whole.
    """

    file: str
    line: int
    column: int
    field: str
    message: str
    level: Level = Level.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        prefix = f"{self.field}: " if self.field else ""
        tag = "warning: " if self.level is Level.WARNING else ""
        return f"{where}: {tag}{prefix}{self.message}"


def display_path(path: Path) -> str:
    """Return `path` relative to the working directory when it lies below it, as users typed it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class SelosteError(Exception):
    """Base class of every error seloste raises on purpose; the CLI prints it without a traceback."""

    exit_code = 1


class ProblemsFound(SelosteError):
    """Raised by the validation stage when registers have errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.level is Level.ERROR)
        super().__init__(f"{errors} error{'' if errors == 1 else 's'} found")


class UsageError(SelosteError):
    """Raised when the command itself is wrong: a path that does not exist, a bad option."""

    exit_code = 2


class ToolError(SelosteError):
    """Raised when the tool's own files (shipped vocabulary, templates) are broken or missing.

    This is a fault in the installation, not in the user's registers.
    """
