"""The `build` stage: validate every register, render every notice, then write them all at once."""

from dataclasses import dataclass, field
from pathlib import Path

from . import archive
from .errors import Level, Problem, ProblemsFound
from .pdf import write_pdf
from .render import render_index, render_notice, render_print, stylesheet
from .check import check
from .validate import Catalogue, ValidRegister
from .wording import Language, languages
from .write import Writer


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    catalogue: Catalogue
    files: list[str]
    changed: list[str]
    archived: list[str] = field(default_factory=list)


def pdf_name(entry: ValidRegister, lang: str) -> str:
    """The PDF's file name, dated by the version: customer-register_2025-03-01_fi.pdf."""
    return f"{entry.register.id}_{entry.register.version.isoformat()}_{lang}.pdf"


def build(paths: list[Path], output: Path, *, pdf: bool = True) -> BuildResult:
    """Build the notices of every register under `paths` into `output`.

    Nothing is written unless every register is valid, every archived version is consistent
    with its register, and every notice renders.
    """
    # 1. Read, validate and check against the law; any error stops the build before output/ is touched.
    catalogue = check(paths, output).catalogue
    _stop_on_errors(catalogue.problems)

    # 2. Which versions are new to the archive; a changed register with an archived version date stops the build.
    new_versions: set[str] = set()
    if pdf:
        problems: list[Problem] = []
        for entry in catalogue.registers:
            needed, found = archive.check_version(output, entry)
            problems += found
            if needed:
                new_versions.add(entry.register.id)
        _stop_on_errors(problems)

    # 3. Render every register in each of its languages: page, fragment and, with PDFs, the PDF.
    writer = Writer(output)
    manifests: dict[str, bytes] = {}
    bound: dict[int, dict[str, Language]] = {}
    for entry in catalogue.registers:
        langs = bound.setdefault(id(entry.vocabulary), languages(entry.vocabulary))
        pdfs = _render_register(writer, entry, langs, pdf)
        if entry.register.id in new_versions:
            manifests.update(_archive_version(writer, entry, pdfs))

    # 4. The archive index, the index of every register, and the stylesheet for fragments.
    manifests.update(_existing_manifests(output, manifests))
    if manifests:
        writer.add(archive.ARCHIVE + "/" + archive.INDEX, archive.index(manifests))
    if catalogue.registers:
        first = bound[id(catalogue.registers[0].vocabulary)]
        writer.add("index.html", render_index(catalogue.registers, first, pdfs=pdf))
    writer.add("seloste.css", stylesheet())

    # 5. Install everything at once.
    changed = writer.commit()
    archived = sorted(name for name in changed if name.startswith(archive.ARCHIVE + "/") and not name.endswith(archive.INDEX))
    return BuildResult(catalogue, sorted(writer.files), changed, archived)


def _stop_on_errors(problems: list[Problem]) -> None:
    if any(p.level is Level.ERROR for p in problems):
        raise ProblemsFound(problems)


def _render_register(writer: Writer, entry: ValidRegister, langs: dict[str, Language], pdf: bool) -> dict[str, tuple[str, bytes]]:
    """Render one register's outputs into the writer; return its PDFs by language."""
    pdfs: dict[str, tuple[str, bytes]] = {}
    for code in entry.register.languages:
        folder = f"{code}/{entry.register.id}"
        name = pdf_name(entry, code) if pdf else None
        writer.add(f"{folder}/index.html", render_notice(entry, langs[code], fragment=False, pdf=name))
        writer.add(f"{folder}/fragment.html", render_notice(entry, langs[code], fragment=True))
        if name:
            sources = [f for f in (entry.source, entry.organisation, entry.vocabulary_file) if f is not None]
            content = write_pdf(render_print(entry, langs[code]), register_id=entry.register.id,
                                version=entry.register.version, sources=sources, assets=[])
            writer.add(f"{folder}/{name}", content)
            pdfs[code] = (name, content)
    return pdfs


def _archive_version(writer: Writer, entry: ValidRegister, pdfs: dict[str, tuple[str, bytes]]) -> dict[str, bytes]:
    """Add a new version to the archive: its PDFs and its manifest."""
    folder = archive.version_folder(entry.register.id, entry.register.version)
    for name, content in pdfs.values():
        writer.add(f"{folder}/{name}", content, archive=True)
    writer.add(f"{folder}/{archive.CONTENT}", archive.content(entry), archive=True)
    manifest = archive.manifest(entry, pdfs)
    writer.add(f"{folder}/{archive.MANIFEST}", manifest, archive=True)
    return {f"{folder}/{archive.MANIFEST}": manifest}


def _existing_manifests(output: Path, new: dict[str, bytes]) -> dict[str, bytes]:
    """The manifests already archived, so the index lists every version ever published."""
    root = output / archive.ARCHIVE
    found = {str(p.relative_to(output)): p.read_bytes() for p in root.glob(f"*/*/{archive.MANIFEST}")} if root.is_dir() else {}
    return {k: v for k, v in found.items() if k not in new}
