"""The `check` stage: validate registers and report what is wrong with them."""

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import Level, Problem
from .archive import check_version
from .law import apply
from .validate import Catalogue, ValidRegister, validate_paths


@dataclass(frozen=True)
class Report:
    """The outcome of checking: the catalogue read and a summary of its problems."""

    catalogue: Catalogue

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.catalogue.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.catalogue.problems if p.level is Level.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """Whether the check fails: on errors, and with `strict` also on warnings."""
        return bool(self.errors or (strict and self.warnings))

    def summary(self) -> str:
        files = self.catalogue.files_read
        counted = f"{files} register{'s' if files != 1 else ''} checked"
        if not self.catalogue.problems:
            return f"{counted}: no problems"
        return f"{counted}: {_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}"

    def as_json(self) -> str:
        """The report for CI and editors: every problem with its location, and the summary."""
        return json.dumps(
            {
                "problems": [
                    {"file": p.file, "line": p.line, "column": p.column, "field": p.field, "level": p.level.value, "message": p.message}
                    for p in self.catalogue.problems
                ],
                "registers": self.catalogue.files_read,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
            ensure_ascii=False,
            indent=2,
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def check(paths: list[Path], output: Path | None = None) -> Report:
    """Validate every register under `paths` and apply the law's rules to the valid ones.

    `output` holds the archive, against which translations are compared with the last version.
    """

    def inspect(entry: ValidRegister) -> list[Problem]:
        problems = apply(entry, output)
        if output is not None:
            problems += check_version(output, entry)[1]  # a published version is not rewritten
        return problems

    return Report(validate_paths(paths, inspect))
