"""`seloste translate`: export the texts for translation, and import the translations back.

Export writes every text (or, with only_stale, those that need translating) of a register folder
as XLIFF 2.0 or as an .xlsx workbook. Import reads such a file back and writes each changed
translation into its register file. Everything wrong with the file is reported, located, before
any register file is touched; a translation whose source text changed after the export is skipped
and reported, since it translates a text the notice no longer says.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Level, Problem, ProblemsFound, UsageError, display_path
from .translation import Project, Unit, file_context, file_languages, glossary, open_project, units
from .translation_sheet import read_sheet, write_sheet
from .values import LANGUAGES
from .writeback import Change, Unfaithful, apply
from .xliff import LANGUAGE_NAMES, Returned, read_xliff, write_xliff

FORMATS = ("xliff", "xlsx")
# Every text of a few hundred registers in XLIFF is a few megabytes; a translation file is never larger.
MAX_BYTES = 50_000_000


def export_translation(
    folder: Path, output: Path, target: str, *, only_stale: bool = False, kind: str = "xliff"
) -> bytes | None:
    """The texts of the register folder for translation into `target`, as an XLIFF or .xlsx file;
    None when there is nothing to translate (an XLIFF file must hold at least one text)."""
    project = open_project(folder, output)
    chosen = [u for u in units(project, target) if not only_stale or u.state != "translated"]
    if not chosen:
        return None
    terms = glossary(project, target)
    if kind == "xlsx":
        return write_sheet(chosen, project.source, target, terms)
    contexts = {name: file_context(project, name) for name in project.files}
    return write_xliff(chosen, contexts, project.source, target, terms)


@dataclass
class Imported:
    """What an import did: the texts written per file, and the translations it skipped."""

    written: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)


def read_returned(path: Path) -> tuple[str, str, list[Returned]]:
    """The languages and units of a translator's file; located errors when it cannot be read."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path} is larger than {MAX_BYTES // 1_000_000} MB: not a translation of registers")
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    reader = read_sheet if path.suffix.lower() == ".xlsx" else read_xliff
    source, target, returned, problems = reader(data, display_path(path))
    for lang, where in ((source, "source"), (target, "target")):
        if not problems and lang not in LANGUAGES:
            problems.append(Problem(display_path(path), 1, 1, "", f"the {where} language '{lang}' is not fi, sv or en"))
    if not problems and source == target:
        problems.append(Problem(display_path(path), 1, 1, "", "the source and target languages are the same"))
    if problems:
        raise ProblemsFound(problems)
    return source, target, returned


def import_translations(path: Path, folder: Path, output: Path) -> Imported:
    """Write the translations of a translator's file into the register folder's files."""
    source, target, returned = read_returned(path)
    project = open_project(folder, output, source)
    current = {(u.file, u.id): u for u in units(project, target)}
    result = Imported()
    changes: dict[str, list[Change]] = {}
    errors: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for item in returned:
        key = (item.file, item.id)
        unit = current.get(key)
        if key in seen:
            errors.append(_at(item.where, f"the text '{item.id}' of {item.file} comes twice (first at {seen[key]})"))
        elif item.file not in project.files:
            errors.append(_at(item.where, f"{item.file}: no such register file in {display_path(folder)}"))
        elif unit is None:
            errors.append(
                _at(
                    item.where,
                    f"{item.file} has no text '{item.id}' in {LANGUAGE_NAMES[source]} to translate into "
                    f"{LANGUAGE_NAMES[target]}: the field was removed or moved since the export; export again",
                )
            )
        else:
            seen[key] = item.where
            change = _change(project, unit, item, target, result)
            if change:
                changes.setdefault(unit.file, []).append(change)
    if errors:
        raise ProblemsFound(errors)
    texts = _new_texts(project, changes, target, errors)
    if errors:
        raise ProblemsFound(errors)
    for name, text in texts.items():
        _replace(project.files[name].path, text)
        result.written[name] = len(changes[name])
    return result


def _change(project: Project, unit: Unit, item: Returned, target: str, result: Imported) -> Change | None:
    """The change a returned unit asks for, or None; a translation of an outdated source is skipped."""
    if item.target is None or not item.target.strip():
        return None  # not translated (yet)
    if _lines(item.source) != unit.source:
        loaded = project.files[unit.file]
        line, column = loaded.locate(unit.path, key=True)
        result.skipped.append(
            Problem(
                loaded.display,
                line,
                column,
                unit.field,
                f"the {LANGUAGE_NAMES[project.source]} text changed after the export, so the translation in "
                f"{item.where} was not imported; export again and translate the current text",
                Level.WARNING,
            )
        )
        return None
    text = _ending_like(_lines(item.target), unit.target if unit.target is not None else unit.source)
    if text == unit.target:
        result.unchanged += 1
        return None
    return (unit.path, text)


def _lines(text: str) -> str:
    """Line breaks as the register files write them: a spreadsheet may give Windows line breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _ending_like(text: str, model: str) -> str:
    """`text` ending in a line break exactly when `model` does: tools trim them, block texts need them."""
    return text.rstrip("\n") + ("\n" if model.endswith("\n") else "")


def _new_texts(
    project: Project, changes: dict[str, list[Change]], target: str, errors: list[Problem]
) -> dict[str, str]:
    """Each changed file's new text; a file whose layout cannot be kept is an error, and nothing is written."""
    texts = {}
    for name, wanted in changes.items():
        loaded = project.files[name]
        try:
            texts[name] = apply(
                loaded.source.decode("utf-8"), wanted, project.source, target, file_languages(project, name)
            )
        except Unfaithful as e:
            errors.append(Problem(loaded.display, 1, 1, "", str(e)))
    return texts


def _replace(path: Path, text: str) -> None:
    """Write through a temporary file beside it, so a register file is never left half written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)  # the file keeps its permissions, not the temporary's
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _at(where: str, message: str) -> Problem:
    """A problem at a place in the translator's file, written file:line:column."""
    file, line, column = where.rsplit(":", 2)
    return Problem(file, int(line), int(column), "", message)
