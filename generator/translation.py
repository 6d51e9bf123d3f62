"""The texts a translator works on: one unit per text of every register and shared file, with its state.

A unit is one text of one file in the source language (the language the organisation writes first)
and its current text in the target language. Its state says what a translator has to do:

- new: the text has no target-language version yet;
- stale: the source text changed since the last archived (published) version, and the target did not;
- translated: otherwise.

Units are named by their file and field path (`purposes.4.legitimate_interests`), so an export
and the import of the translator's file meet at the same place even when the file was edited.
"""

import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from .archive import last_content
from .errors import ProblemsFound, UsageError
from .load import FieldPath, LoadedFile, Tree, format_path, load_file
from .model import Register
from .paths import ARCHIVE
from .project import ORGANISATION_FILE, VOCABULARY_FILE, find_folders
from .values import LANGUAGES, Text
from .vocabulary import Vocabulary, extend, load_shipped

State = Literal["new", "stale", "translated"]
ArchivedText = dict[str, str]


@dataclass(frozen=True)
class Unit:
    """One text of one file, in the source language and the target language."""

    file: str  # the file's name inside its register folder
    path: FieldPath  # where the text is: the language mapping, or a plain string
    source: str
    target: str | None
    state: State
    line: int
    plain: bool = False  # a plain string: the same text in every language
    earlier: str | None = None  # the source text as last published, when it changed since
    description: str = ""  # what the field holds, from the register format
    context: str = ""  # the register's title, or what the shared file is

    @property
    def id(self) -> str:
        """The unit's id in its file, stable while the file keeps its structure: purposes.4.text."""
        return ".".join(str(part) for part in self.path)

    @property
    def field(self) -> str:
        """The field as people read it: purposes[4].text."""
        return format_path(self.path)


@dataclass
class Project:
    """One register folder as a translator's export sees it."""

    folder: Path
    source: str
    files: dict[str, LoadedFile] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=load_shipped)
    archive: Path | None = None
    published: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # read once per register

    def archived(self, register_id: str) -> dict[str, Any] | None:
        """What the register's latest archived version said, read from the archive once."""
        if register_id not in self.published:
            self.published[register_id] = archived_content(self.archive, register_id)
        return self.published[register_id]


def locate_archive(folder: Path, output: Path) -> Path | None:
    """The archive of published versions: archive/ beside the register folder when there is one,
    else the archive inside the output folder (where builds have kept it)."""
    for candidate in (folder.parent / ARCHIVE, output / ARCHIVE):
        if candidate.is_dir():
            return candidate
    return None


def archived_content(archive: Path | None, register_id: str) -> dict[str, Any] | None:
    """What the latest archived version of a register said (its register.json), or None."""
    found = last_content(archive, register_id)
    return found[0] if found is not None else None


def open_project(folder: Path, output: Path, source: str | None = None) -> Project:
    """Read a register folder's files for translation; a file that cannot be read is an error."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder of registers")
    found = find_folders([folder])[0]
    paths = [p for p in (found.organisation, found.vocabulary) if p] + sorted(found.registers)
    files = {p.name: load_file(p) for p in paths}
    problems = [problem for loaded in files.values() for problem in loaded.problems]
    if problems:
        raise ProblemsFound(problems)
    organisation = files.get(ORGANISATION_FILE)
    languages = _languages(organisation.data if organisation else None) or list(LANGUAGES)
    vocabulary = load_shipped()
    if VOCABULARY_FILE in files:
        extend(vocabulary, files[VOCABULARY_FILE])  # its problems are check's to report; its terms are the glossary's
    return Project(folder, source or languages[0], files, vocabulary, locate_archive(folder, output))


def _languages(data: Tree) -> list[str]:
    value = data.get("languages") if isinstance(data, dict) else None
    return [lang for lang in value if isinstance(lang, str)] if isinstance(value, list) else []


def file_languages(project: Project, name: str) -> list[str]:
    """The languages a file's texts are written in: the register's own, else the organisation's."""
    own = _languages(project.files[name].data)
    organisation = project.files.get(ORGANISATION_FILE)
    return own or _languages(organisation.data if organisation else None) or list(LANGUAGES)


# --- finding the texts -------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A text found in a file: where, and what the register format says of the field."""

    path: FieldPath
    value: Tree
    description: str
    plain_allowed: bool


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type a field holds, and whether a plain string may stand for a text (Name)."""
    plain = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            inner = typing.get_args(annotation)[0]
            plain = plain or (isinstance(inner, type) and issubclass(inner, Text))
            annotation = inner
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, plain
            annotation = args[0]
        else:
            return annotation, plain


def _is_text(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Text)


def _language_mapping(value: Tree) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def find_texts(model: type[BaseModel], data: Tree, path: FieldPath = ()) -> list[Found]:
    """Every text in `data` read as `model`: the register format decides what is a text, so a
    term key (`- customers`) or a phone number is never offered for translation."""
    found: list[Found] = []
    if not isinstance(data, dict):
        return found
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is None or key == "internal":  # unknown fields are check's; the internal block is not published
            continue
        found += _field(info.annotation, value, path + (key,), info.description or "")
    return found


def _field(annotation: Any, value: Tree, path: FieldPath, description: str) -> list[Found]:
    kind, plain = _unwrap(annotation)
    if _is_text(kind):
        if _language_mapping(value) or (plain and isinstance(value, str)):
            return [Found(path, value, description, plain)]
        return []
    if typing.get_origin(kind) is list and isinstance(value, list):
        (item,) = typing.get_args(kind)
        return [
            text for index, element in enumerate(value) for text in _field(item, element, path + (index,), description)
        ]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        if _language_mapping(value) and "text" in kind.model_fields:  # the shorthand `- {fi: ..., sv: ...}`
            text_info = kind.model_fields["text"]
            return [Found(path, value, f"{description} {text_info.description or ''}".strip(), False)]
        return find_texts(kind, value, path)
    return []


def vocabulary_texts(data: Tree) -> list[Found]:
    """The wording of each of the organisation's own terms in _vocabulary.yaml."""
    found: list[Found] = []
    for group, terms in (data or {}).items() if isinstance(data, dict) else []:
        for key, term in terms.items() if isinstance(terms, dict) else []:
            if isinstance(term, dict):
                wording = {lang: text for lang, text in term.items() if lang in LANGUAGES}
                if wording:
                    said = (
                        f"The wording of the organisation's own term '{key}' (group {group}), used in lists of notices."
                    )
                    found.append(Found((group, key), wording, said, False))
    return found


# --- what was published --------------------------------------------------------------------


def _archived_at(content: dict[str, Any], path: FieldPath) -> ArchivedText | None:
    """The text at `path` in an archived register.json; shorthand entries are archived as {text: ...}."""
    node: Any = content
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    if isinstance(node, dict) and not _language_mapping(node) and isinstance(node.get("text"), dict):
        node = node["text"]
    return node if isinstance(node, dict) else None


def published(project: Project, name: str, path: FieldPath) -> list[ArchivedText]:
    """The texts at `path` of file `name` as last archived: for a register, its own latest version;
    for a shared file, the latest version of every register that takes the text from it."""
    loaded = project.files[name]
    if name == VOCABULARY_FILE:
        key = ".".join(str(p) for p in path)
        found = []
        for register in _registers(project):
            content = project.archived(_register_id(register))
            terms = (content or {}).get("_organisation_terms", {})
            if isinstance(terms, dict) and isinstance(terms.get(key), dict):
                found.append(terms[key])
        return found
    if name == ORGANISATION_FILE:
        inheriting = [r for r in _registers(project) if isinstance(r.data, dict) and path[0] not in r.data]
    else:
        inheriting = [loaded]
    texts = []
    for register in inheriting:
        content = project.archived(_register_id(register))
        text = _archived_at(content, path) if content else None
        if text is not None:
            texts.append(text)
    return texts


def _registers(project: Project) -> list[LoadedFile]:
    return [f for n, f in project.files.items() if n not in (ORGANISATION_FILE, VOCABULARY_FILE)]


def _register_id(loaded: LoadedFile) -> str:
    value = loaded.data.get("id") if isinstance(loaded.data, dict) else None
    return value if isinstance(value, str) else loaded.path.stem


# --- units -------------------------------------------------------------------------------------


def file_context(project: Project, name: str) -> str:
    """What a file is, for the translator: the register's title in the source language."""
    if name == ORGANISATION_FILE:
        return "Facts shared by every register of the organisation (_organisation.yaml)"
    if name == VOCABULARY_FILE:
        return "The organisation's own vocabulary terms (_vocabulary.yaml)"
    data = project.files[name].data
    title = data.get("title") if isinstance(data, dict) else None
    shown = title.get(project.source) if isinstance(title, dict) else title
    return f"Register: {shown}" if isinstance(shown, str) else f"Register file {name}"


def units(project: Project, target: str) -> list[Unit]:
    """Every text of every file of the project, from the project's source language into `target`."""
    if target == project.source:
        raise UsageError(f"the texts are written in '{target}' first; translate them into another language")
    found: list[Unit] = []
    for name, loaded in project.files.items():
        languages = file_languages(project, name)
        if name != VOCABULARY_FILE and (target not in languages or project.source not in languages):
            continue  # a register not published in the target language needs no translation into it
        texts = vocabulary_texts(loaded.data) if name == VOCABULARY_FILE else find_texts(Register, loaded.data)
        for text in texts:
            unit = _unit(project, name, text, target)
            if unit is not None:
                found.append(unit)
    return found


def _unit(project: Project, name: str, text: Found, target: str) -> Unit | None:
    """The unit of one text, or None when it has no source-language text to translate from."""
    loaded = project.files[name]
    line = loaded.locate(text.path, key=True)[0]
    context = file_context(project, name)
    if isinstance(text.value, str):
        return Unit(name, text.path, text.value, text.value, "translated", line, True, None, text.description, context)
    value = text.value if isinstance(text.value, dict) else {}
    source, current = value.get(project.source), value.get(target)
    if not isinstance(source, str):
        return None
    current = current if isinstance(current, str) else None
    state: State = "new" if current is None else "translated"
    earlier = None
    for archived in published(project, name, text.path) if current is not None else []:
        if archived.get(project.source) not in (None, source) and archived.get(target) == current:
            state, earlier = "stale", archived[project.source]
            break
    return Unit(name, text.path, source, current, state, line, False, earlier, text.description, context)


# --- the glossary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A vocabulary term in the source and the target language: the wording notices use."""

    group: str
    key: str
    source: str
    target: str


def glossary(project: Project, target: str) -> list[Term]:
    """Every term of the vocabulary (shipped and the organisation's) worded in both languages."""
    terms = []
    for group, entries in project.vocabulary.groups.items():
        for key, info in entries.items():
            if project.source in info.wording and target in info.wording:
                terms.append(Term(group, key, info.wording[project.source].label, info.wording[target].label))
    return terms


def _stem(word: str) -> str:
    """A word without its ending: Finnish and Swedish inflect, so 'sopimus' is also 'sopimuksen'."""
    return word[: max(4, len(word) - 2)]


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text.lower()).split()


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The terms whose every longer word appears (by its stem) in `text`: the glossary of one unit."""
    words = _words(text)
    chosen = []
    for term in terms:
        stems = [_stem(w) for w in _words(term.source) if len(w) >= 4]
        if stems and all(any(w.startswith(s) for w in words) for s in stems):
            chosen.append(term)
    return chosen
