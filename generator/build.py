"""The `build` stage: check every register, render what changed in parallel, then install it all at once."""

import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

from . import archive, cache
from .check import check
from .errors import Level, Problem, ProblemsFound
from .pdf import preload, write_pdf
from .render import render, render_index, stylesheet
from .validate import Catalogue, ValidRegister
from .wording import Language, languages
from .write import Writer, forget_lock, writing

Unit = tuple[int, str]  # (index of the register in the catalogue, language)


@dataclass
class BuildResult:
    """What a build did."""

    catalogue: Catalogue
    built: int = 0  # notices (register × language) made
    skipped: int = 0  # notices whose inputs had not changed
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    seconds: float = 0.0


# Told of each notice as it is finished: its key ("fi/customer-register"), whether it was made
# (False: skipped), how many are done, and how many there are.
Progress = Callable[[str, bool, int, int], None]


def pdf_name(entry: ValidRegister, lang: str) -> str:
    """The PDF's file name, dated by the version: customer-register_2025-03-01_fi.pdf."""
    return f"{entry.register.id}_{entry.register.version.isoformat()}_{lang}.pdf"


def build(paths: list[Path], output: Path, *, pdf: bool = True, jobs: Optional[int] = None, force: bool = False,
          progress: Optional[Progress] = None) -> BuildResult:
    """Build the notices of every register under `paths` into `output`.

    Only notices whose inputs changed since the last build are made again (all with `force`),
    in `jobs` worker processes. Nothing is installed unless every register is valid, every
    archived version agrees with its register, and every notice renders.
    """
    started = time.perf_counter()
    # 1. Read, validate and check against the law; an error stops the build before output/ is touched.
    catalogue = check(paths, output).catalogue
    _stop_on_errors(catalogue.problems)
    result = BuildResult(catalogue)

    with writing(output) as writer:
        # 2. Which versions are new to the archive (an archive changed by hand stops the build).
        _refuse_damaged_archive(output)
        new_versions = _new_versions(output, catalogue.registers) if pdf else set()

        # 3. Make the notices whose inputs changed, in parallel; carry the rest over.
        previous = {} if force else cache.read(output)
        units, todo = _plan_units(catalogue.registers, pdf, previous)
        done = 0
        for key in sorted(set(units) - set(todo)):
            for relative in previous[key]["files"]:
                writer.keep(relative)
            result.skipped += 1
            done += 1
            if progress:
                progress(key, False, done, len(units))
        for key, files in _render(catalogue.registers, todo, pdf, jobs):
            for relative, data in files.items():
                writer.add(relative, data)
            result.built += 1
            done += 1
            if progress:
                progress(key, True, done, len(units))

        # 4. The archive: each new version's PDFs (as just installed) and manifest, and the index.
        manifests = {}
        for entry in catalogue.registers:
            if entry.register.id in new_versions:
                manifests.update(_archive_version(writer, entry))
        manifests.update(_existing_manifests(output, manifests))
        if manifests:
            writer.add(archive.ARCHIVE + "/" + archive.INDEX, archive.index(manifests))

        # 5. The index of every register, the stylesheet for fragments, and what this build was made from.
        if catalogue.registers:
            writer.add("index.html", render_index(catalogue.registers, _languages(catalogue.registers[0]), pdfs=pdf))
        writer.add("seloste.css", stylesheet())
        writer.add(cache.CACHE, cache.serialise(units))
        result.changed = writer.commit()
    result.archived = sorted(name for name in result.changed if archive.ARCHIVE + "/" in name and not name.endswith(archive.INDEX))
    result.seconds = time.perf_counter() - started
    return result


def _stop_on_errors(problems: list[Problem]) -> None:
    if any(p.level is Level.ERROR for p in problems):
        raise ProblemsFound(problems)


def _new_versions(output: Path, registers: list[ValidRegister]) -> set[str]:
    """The registers whose current version is not yet archived (`check` has refused rewrites)."""
    return {entry.register.id for entry in registers if archive.check_version(output, entry)[0]}


def _refuse_damaged_archive(output: Path) -> None:
    """A build adds to the archive only when the archive is as seloste left it."""
    if not (output / archive.ARCHIVE).is_dir():
        return
    damage = archive.verify(output)
    if damage:
        shown = "; ".join(damage[:3]) + (f"; and {len(damage) - 3} more" if len(damage) > 3 else "")
        raise archive.ArchiveError(f"the archive in {output / archive.ARCHIVE} has been changed by hand ({shown}); "
                                   "run `seloste verify` and restore it from a backup before building")


def unit_files(entry: ValidRegister, lang: str, pdf: bool) -> list[str]:
    folder = f"{lang}/{entry.register.id}"
    return [f"{folder}/index.html", f"{folder}/fragment.html"] + ([f"{folder}/{pdf_name(entry, lang)}"] if pdf else [])


def _plan_units(registers: list[ValidRegister], pdf: bool, previous: dict[str, dict]) -> tuple[dict[str, dict], dict[str, Unit]]:
    """Every notice's fingerprint and files, and the notices that must be made again."""
    units: dict[str, dict] = {}
    todo: dict[str, Unit] = {}
    for index, entry in enumerate(registers):
        content = archive.content_hash(entry)
        for lang in entry.register.languages:
            key = f"{lang}/{entry.register.id}"
            units[key] = {"fingerprint": cache.fingerprint(entry, lang, pdf, content), "files": unit_files(entry, lang, pdf)}
            if previous.get(key) != units[key]:
                todo[key] = (index, lang)
    return units, todo


# -- rendering, in this process or in workers ---------------------------------------------------------

_REGISTERS: list[ValidRegister] = []  # what the workers render; inherited when they are forked
_LANGUAGES: dict[int, dict[str, Language]] = {}


def _languages(entry: ValidRegister) -> dict[str, Language]:
    """The notice languages bound to the register's vocabulary, made once per vocabulary."""
    return _LANGUAGES.setdefault(id(entry.vocabulary), languages(entry.vocabulary))


def render_unit(index: int, lang: str, pdf: bool) -> tuple[str, dict[str, bytes]]:
    """Make one register's files in one language: page, fragment and, with `pdf`, the PDF."""
    entry = _REGISTERS[index]
    words = _languages(entry)[lang]
    folder = f"{lang}/{entry.register.id}"
    name = pdf_name(entry, lang) if pdf else None
    rendered = render(entry, words, pdf=name)
    files = {f"{folder}/index.html": rendered.page.encode(), f"{folder}/fragment.html": rendered.fragment.encode()}
    if name:
        sources = [f for f in (entry.source, entry.organisation, entry.vocabulary_file) if f is not None]
        files[f"{folder}/{name}"] = write_pdf(rendered.print, register_id=entry.register.id,
                                              version=entry.register.version, sources=sources, assets=[])
    return folder, files


def _render_task(task: tuple[int, str, bool]) -> tuple[str, dict[str, bytes]]:
    return render_unit(*task)


def _render(registers: list[ValidRegister], todo: dict[str, Unit], pdf: bool, jobs: Optional[int]) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Yield each notice's files as it is finished, from a pool of forked workers when it pays."""
    global _REGISTERS
    _REGISTERS = registers
    tasks = [(index, lang, pdf) for index, lang in (todo[key] for key in sorted(todo))]
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_render_task, tasks)
        return
    if pdf:
        preload()  # WeasyPrint is imported before the fork, so each worker inherits it
    # Workers live for the whole build; each is handed whole notices, so a document is laid out once.
    # PDFs are slow enough to hand out one by one; HTML alone goes in batches to spare the messaging.
    chunk = 1 if pdf else max(1, len(tasks) // (workers * 16))
    # A worker is replaced after a few dozen PDFs, so what WeasyPrint keeps between documents does not
    # pile up over a large corpus; forking a new one costs little, WeasyPrint being imported already.
    recycle = 40 if pdf else None
    with multiprocessing.get_context("fork").Pool(workers, initializer=forget_lock, maxtasksperchild=recycle) as pool:
        yield from pool.imap_unordered(_render_task, tasks, chunksize=chunk)


def _archive_version(writer: Writer, entry: ValidRegister) -> dict[str, bytes]:
    """Add a new version to the archive: its PDFs (those just installed), its content and manifest."""
    folder = archive.version_folder(entry.register.id, entry.register.version)
    pdfs: dict[str, tuple[str, bytes]] = {}
    for lang in entry.register.languages:
        name = pdf_name(entry, lang)
        data = writer.staged(f"{lang}/{entry.register.id}/{name}")
        pdfs[lang] = (name, data)
        writer.add(f"{folder}/{name}", data, archive=True)
    writer.add(f"{folder}/{archive.CONTENT}", archive.content(entry), archive=True)
    manifest = archive.manifest(entry, pdfs)
    writer.add(f"{folder}/{archive.MANIFEST}", manifest, archive=True)
    return {f"{folder}/{archive.MANIFEST}": manifest}


def _existing_manifests(output: Path, new: dict[str, bytes]) -> dict[str, bytes]:
    """The manifests already archived, so the index lists every version ever published."""
    root = output / archive.ARCHIVE
    found = {str(p.relative_to(output)): p.read_bytes() for p in root.glob(f"*/*/{archive.MANIFEST}")} if root.is_dir() else {}
    return {k: v for k, v in found.items() if k not in new}
