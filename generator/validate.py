"""Turn register folders into validated, typed registers, collecting every problem on the way.

Nothing here stops at the first problem: every file is read, every value checked, and the
caller gets the valid registers together with the full list of what is wrong.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Optional

from pydantic import ValidationError

from .errors import Level, Problem
from .load import FieldPath, LoadedFile, load_file
from .messages import translate
from .model import ORGANISATION_FIELDS, Organisation, Register
from .project import ORGANISATION_FILE, find_folders
from .values import LANGUAGES
from .vocabulary import Vocabulary, extend, load_shipped


@dataclass(frozen=True)
class ValidRegister:
    """A register that passed validation, with the files it was made from."""

    register: Register
    source: LoadedFile
    organisation: Optional[LoadedFile]
    vocabulary: Vocabulary
    vocabulary_file: Optional[LoadedFile] = None
    inherited: frozenset[str] = frozenset()  # top-level fields taken from _organisation.yaml

    @cached_property
    def dump(self) -> dict[str, Any]:
        """The register as JSON-ready data, made once: the law's rules and the content hash read it."""
        return self.register.model_dump(mode="json")

    def problem(self, path: FieldPath, message: str) -> Problem:
        """A problem located where the value at `path` was written: the register or the shared file."""
        origin = self.organisation if self.organisation and path and path[0] in self.inherited else self.source
        return origin.problem(path, message)

    @property
    def source_hash(self) -> str:
        """SHA-256 over every input file that shaped this notice, in a fixed order."""
        digest = hashlib.sha256()
        for loaded in (self.source, self.organisation, self.vocabulary_file):
            digest.update(loaded.source if loaded else b"")
            digest.update(b"\0")
        return digest.hexdigest()


@dataclass
class Catalogue:
    """Every register that was read: the valid ones and every problem found."""

    registers: list[ValidRegister] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0


# Looks further at each valid register while its file's marks are at hand (the law's rules do).
Inspect = Callable[["ValidRegister"], list[Problem]]


def validate_paths(paths: list[Path], inspect: Optional[Inspect] = None) -> Catalogue:
    """Read and validate every register in `paths` (files or folders).

    Each register is read, validated and, with `inspect`, checked further in turn; then its
    located tree is let go, so memory holds one register's tree at a time, not the corpus's.
    """
    catalogue = Catalogue()
    seen: dict[str, ValidRegister] = {}
    for folder in find_folders(paths):
        vocabulary = load_shipped()
        vocabulary_file = load_file(folder.vocabulary) if folder.vocabulary else None
        if vocabulary_file:
            catalogue.problems += vocabulary_file.problems + extend(vocabulary, vocabulary_file)
        organisation = load_file(folder.organisation) if folder.organisation else None
        if organisation:
            catalogue.problems += organisation.problems + _check_organisation(organisation, vocabulary)
        for path in folder.registers:
            catalogue.files_read += 1
            loaded = load_file(path)
            catalogue.problems += loaded.problems
            if isinstance(loaded.data, dict):
                valid, inherited, problems = _validate_register(loaded, organisation, vocabulary)
                catalogue.problems += problems
                if valid is not None and not loaded.problems:
                    entry = ValidRegister(valid, loaded, organisation, vocabulary, vocabulary_file, inherited)
                    catalogue.registers.append(entry)
                    catalogue.problems += _duplicate_id(entry, seen) + (inspect(entry) if inspect else [])
            loaded.release()
    catalogue.problems = sorted(set(catalogue.problems))
    failed = {p.file for p in catalogue.problems if p.level is Level.ERROR}
    catalogue.registers = [r for r in catalogue.registers if r.source.display not in failed]
    return catalogue


def _check_organisation(loaded: LoadedFile, vocabulary: Vocabulary) -> list[Problem]:
    """Validate the shared file's structure; language completeness is checked per register."""
    if not isinstance(loaded.data, dict):
        return []
    problems = []
    for key in loaded.data:
        if key in Register.model_fields and key not in ORGANISATION_FIELDS:
            problems.append(loaded.problem((key,), f"'{key}' belongs in each register, not in {ORGANISATION_FILE}", key=True))
    data = {k: v for k, v in loaded.data.items() if k not in Register.model_fields or k in ORGANISATION_FIELDS}
    try:
        Organisation.model_validate(data, context={"vocabulary": vocabulary, "languages": ()})
    except ValidationError as e:
        problems += translate(e, loaded, (), Organisation)
    return problems


def _validate_register(loaded: LoadedFile, organisation: Optional[LoadedFile], vocabulary: Vocabulary) -> tuple[Optional[Register], frozenset[str], list[Problem]]:
    """Validate one register with the organisation's facts filled in where it states none."""
    assert isinstance(loaded.data, dict)
    shared = organisation.data if organisation and isinstance(organisation.data, dict) else {}
    inherited = {k: v for k, v in shared.items() if k in ORGANISATION_FIELDS and k not in loaded.data}
    merged = {**inherited, **loaded.data}

    def origin(path: FieldPath) -> LoadedFile:
        return organisation if organisation and path and path[0] in inherited else loaded

    context = {"vocabulary": vocabulary, "languages": _languages(merged.get("languages"))}
    try:
        return Register.model_validate(merged, context=context), frozenset(inherited), []
    except ValidationError as e:
        return None, frozenset(inherited), translate(e, origin, (), Register)


def _languages(value: Any) -> tuple[str, ...]:
    """The languages to demand texts in; an invalid list is reported elsewhere, so fall back to all."""
    if isinstance(value, list) and value and all(lang in LANGUAGES for lang in value):
        return tuple(value)
    return LANGUAGES


def _duplicate_id(entry: ValidRegister, seen: dict[str, ValidRegister]) -> list[Problem]:
    first = seen.setdefault(entry.register.id, entry)
    if first is entry:
        return []
    message = f"the id '{entry.register.id}' is already used by {first.source.display}; ids must be unique"
    return [entry.source.problem(("id",), message)]
