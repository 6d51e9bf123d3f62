"""Turn register folders into validated, typed registers, collecting every problem on the way.

Nothing here stops at the first problem: every file is read, every value checked, and the
caller gets the valid registers together with the full list of what is wrong.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Level, Problem
from .load import FieldPath, LoadedFile, format_path, load_file
from .messages import translate
from .model import ORGANISATION_FIELDS, Organisation, Register
from .project import ORGANISATION_FILE, Folder, find_folders
from .values import LANGUAGES
from .vocabulary import Vocabulary, extend, load_shipped


def source_hash(*sources: bytes) -> str:
    """SHA-256 over the bytes of a register and its shared files, in that order (b"" for one absent)."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source)
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ValidRegister:
    """A register that passed validation, with the files it was made from."""

    register: Register
    source: LoadedFile
    organisation: LoadedFile | None
    vocabulary: Vocabulary
    vocabulary_file: LoadedFile | None = None
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
        return source_hash(
            *(loaded.source if loaded else b"" for loaded in (self.source, self.organisation, self.vocabulary_file))
        )

    def release(self) -> None:
        """Let go of what only checking needs (the register file's marks, the JSON form); rendering
        needs neither, and a large corpus holds hundreds of registers."""
        self.source.release()
        self.__dict__.pop("dump", None)


@dataclass
class Catalogue:
    """Every register that was read: the valid ones and every problem found."""

    registers: list[ValidRegister] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0


@dataclass
class Shared:
    """The shared files of one register folder, read and checked once for all its registers."""

    vocabulary: Vocabulary
    vocabulary_file: LoadedFile | None = None
    organisation: LoadedFile | None = None
    problems: list[Problem] = field(default_factory=list)
    approval_required: bool = False  # _organisation.yaml's require_approval

    def source_hash(self, register_source: bytes) -> str:
        """The source hash of a register of this folder, from its bytes: what `ValidRegister.source_hash` gives."""
        return source_hash(
            register_source, *(loaded.source if loaded else b"" for loaded in (self.organisation, self.vocabulary_file))
        )


def read_shared(folder: Folder) -> Shared:
    """Read and check a folder's _vocabulary.yaml and _organisation.yaml."""
    shared = Shared(load_shipped())
    if folder.vocabulary:
        shared.vocabulary_file = load_file(folder.vocabulary)
        found = extend(shared.vocabulary, shared.vocabulary_file)
        shared.problems += shared.vocabulary_file.problems + without_gap_echoes(found, shared.vocabulary_file)
    if folder.organisation:
        shared.organisation = load_file(folder.organisation)
        found, organisation = _check_organisation(shared.organisation, shared.vocabulary)
        shared.problems += shared.organisation.problems + without_gap_echoes(found, shared.organisation)
        shared.approval_required = bool(organisation is not None and organisation.require_approval)
    return shared


def validate_file(path: Path, shared: Shared) -> tuple[ValidRegister | None, list[Problem]]:
    """Read and validate one register file of a folder; the register is None when it has errors."""
    loaded = load_file(path)
    problems = list(loaded.problems)
    if isinstance(loaded.data, dict):
        valid, inherited, found = _validate_register(loaded, shared.organisation, shared.vocabulary)
        problems += without_gap_echoes(found, loaded, shared.organisation)
        if valid is not None and not loaded.problems:
            return ValidRegister(
                valid, loaded, shared.organisation, shared.vocabulary, shared.vocabulary_file, inherited
            ), problems
    return None, problems


def validate_paths(paths: list[Path]) -> Catalogue:
    """Read and validate every register in `paths` (files or folders), keeping every valid one.

    For library use and tests: `check.check`, which commands use, keeps only a listing of each.
    """
    catalogue = Catalogue()
    seen: dict[str, str] = {}
    for folder in find_folders(paths):
        shared = read_shared(folder)
        catalogue.problems += shared.problems
        for path in folder.registers:
            catalogue.files_read += 1
            entry, problems = validate_file(path, shared)
            catalogue.problems += problems
            if entry is not None:
                catalogue.registers.append(entry)
                taken = duplicate_id(entry.register.id, entry.source.display, seen)
                catalogue.problems += [entry.source.problem(("id",), taken)] if taken else []
    catalogue.problems = sorted(set(catalogue.problems))
    failed = {p.file for p in catalogue.problems if p.level is Level.ERROR}
    catalogue.registers = [r for r in catalogue.registers if r.source.display not in failed]
    return catalogue


def without_gap_echoes(problems: list[Problem], *files: LoadedFile | None) -> list[Problem]:
    """`problems` less those about a value still marked `!fill` (or inside one): the loader has reported
    each gap as "fill in ...", and the schema's view of a placeholder ("not an e-mail address") says nothing more."""
    gaps = {(f.display, format_path(path)) for f in files if f is not None for path in f.gaps}
    if not gaps:
        return problems

    def echoes(problem: Problem) -> bool:
        return any(
            problem.file == file and (problem.field == at or problem.field.startswith((at + ".", at + "[")))
            for file, at in gaps
        )

    return [p for p in problems if not echoes(p)]


def _check_organisation(loaded: LoadedFile, vocabulary: Vocabulary) -> tuple[list[Problem], Any]:
    """Validate the shared file's structure; language completeness is checked per register. Returns
    the problems and the organisation's facts (None when they are not valid)."""
    if not isinstance(loaded.data, dict):
        return [], None
    problems = []
    for key in loaded.data:
        if key in Register.model_fields and key not in ORGANISATION_FIELDS:
            problems.append(
                loaded.problem((key,), f"'{key}' belongs in each register, not in {ORGANISATION_FILE}", key=True)
            )
    data = {k: v for k, v in loaded.data.items() if k not in Register.model_fields or k in ORGANISATION_FIELDS}
    try:
        organisation = Organisation.model_validate(data, context={"vocabulary": vocabulary, "languages": ()})
    except ValidationError as e:
        return problems + translate(e, loaded, (), Organisation), None
    return problems, organisation


def _validate_register(
    loaded: LoadedFile, organisation: LoadedFile | None, vocabulary: Vocabulary
) -> tuple[Register | None, frozenset[str], list[Problem]]:
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


def duplicate_id(register_id: str, display: str, seen: dict[str, str]) -> str | None:
    """Why `register_id` may not be used by the file `display`, when an earlier file took it (`seen`: id to file)."""
    first = seen.setdefault(register_id, display)
    return None if first == display else f"the id '{register_id}' is already used by {first}; ids must be unique"
