"""The one error hierarchy of seloste, and the located problems it reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Level(str, Enum):
    """How serious a problem is: an error must not be published, a warning should be fixed."""

    ERROR = "error"
    WARNING = "warning"


def shown(text: str, limit: int = 120) -> str:
    """A value as it may appear in a message: control characters written out (a line break as \\n,
    an escape as \\x1b), so a value can never forge a message line or drive the terminal."""
    if text.isprintable() and len(text) <= limit:
        return text  # the usual case, and the quick one
    out = []
    for char in text:
        code = ord(char)
        if char in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[char])
        elif (
            code < 0x20
            or 0x7F <= code < 0xA0
            or code in (0x2028, 0x2029)
            or 0x202A <= code <= 0x202E
            or 0x2066 <= code <= 0x2069
        ):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    result = "".join(out)
    return result if len(result) <= limit else result[: limit - 1] + "…"


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

    def __post_init__(self) -> None:
        # Messages quote what people typed; whatever was typed, a problem stays one plain line.
        object.__setattr__(self, "file", shown(self.file, limit=1000))  # a file name can hold a line break too
        object.__setattr__(self, "field", shown(self.field, limit=200))
        object.__setattr__(self, "message", shown(self.message, limit=2000))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        prefix = f"{self.field}: " if self.field else ""
        tag = "warning: " if self.level is Level.WARNING else ""
        return f"{where}: {tag}{prefix}{self.message}"


def display_path(path: Path) -> str:
    """Return `path` relative to the working directory when it lies below it, as users typed it.
    Bytes of a name that are not UTF-8 are written as escapes (\\xe4), so the name can be printed."""
    try:
        # The folder resolved, not the file: a link is named as itself, never by what it points to.
        text = str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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


class UnreadableFile(SelosteError):
    """Raised by the loader when a file may not be read as a register: its name, kind, size or link."""


class ToolError(SelosteError):
    """Raised when the tool's own files (shipped vocabulary, templates) are broken or missing.

    This is a fault in the installation, not in the user's registers.
    """


class SourceChanged(SelosteError):
    """Raised by the build's workers when a register's files change between checking it and rendering it."""


class PdfError(SelosteError):
    """Raised by the PDF stage when a notice cannot be made into a PDF, naming the register."""


class ArchiveError(SelosteError):
    """Raised by `archive` and `verify`, and by a build, when the archive cannot answer or is damaged."""


class OutputError(SelosteError):
    """Raised by the writer when output/ cannot be written: permissions, a full disk, a lock held."""


class RendererWarning(UserWarning):
    """Warned by the PDF stage when WeasyPrint reports a problem with our own templates or CSS (a
    refused fetch is an error instead). The tests turn it into a failure."""


__all__ = [
    "ArchiveError",
    "Level",
    "OutputError",
    "PdfError",
    "Problem",
    "ProblemsFound",
    "RendererWarning",
    "SelosteError",
    "SourceChanged",
    "ToolError",
    "UsageError",
    "display_path",
    "shown",
]
