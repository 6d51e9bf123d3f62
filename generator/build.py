"""The `build` stage: check every register, render what changed in parallel, then install it all at once."""

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import archive, cache
from .check import Listing, Report, check
from .errors import Level, Problem, ProblemsFound, SelosteError
from .pdf import preload, write_pdf
from .render import PageOptions, render, render_index, stylesheet
from .validate import ValidRegister, validate_file
from .vocabulary import load_shipped
from .wording import Language, languages
from .write import Writer, forget_lock, writing

Task = tuple[int, tuple[str, ...], bool]  # (index of the register in the report, its languages to make, PDFs too)


class SourceChanged(SelosteError):
    """Raised when a register's files change between checking it and rendering it."""


@dataclass
class BuildResult:
    """What a build did."""

    report: Report
    built: int = 0  # notices (register × language) made
    skipped: int = 0  # notices whose inputs had not changed
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    seconds: float = 0.0


# Told of each notice as it is finished: its key ("fi/customer-register"), whether it was made
# (False: skipped), how many are done, and how many there are.
Progress = Callable[[str, bool, int, int], None]


def pdf_name(listing: Listing, lang: str) -> str:
    """The PDF's file name, dated by the version: customer-register_2025-03-01_fi.pdf."""
    return f"{listing.id}_{listing.version.isoformat()}_{lang}.pdf"


def build(
    paths: list[Path],
    output: Path,
    *,
    pdf: bool = True,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    options: PageOptions | None = None,
) -> BuildResult:
    """Build the notices of every register under `paths` into `output`.

    Only notices whose inputs changed since the last build are made again (all with `force`),
    in `jobs` worker processes. Nothing is installed unless every register is valid, every
    archived version agrees with its register, and every notice renders. `options` say how the
    site publishes them (base URL, a fragment's heading level).
    """
    options = options or PageOptions()
    started = time.perf_counter()
    previous = cache.read(output)
    # 1. Check every register (recalling the unchanged ones); an error stops the build before output/ is touched.
    report = check(paths, output, known=None if force else previous.pop("registers"))
    _stop_on_errors(report.problems)
    result = BuildResult(report)

    with writing(output) as writer:
        # 2. The archive must be as seloste left it.
        _refuse_damaged_archive(output)

        # 3. Make the notices whose inputs changed, in parallel; carry the rest over.
        made_before = {} if force else previous["notices"]
        notices, todo = _plan(report.registers, pdf, made_before, options)
        done = 0
        for key in sorted(set(notices) - todo):
            for relative in made_before[key]["files"]:
                writer.keep(relative)
            result.skipped += 1
            done += 1
            if progress:
                progress(key, False, done, len(notices))
        for made in _render(report, todo, pdf, jobs, options):
            for key, files in made:
                for relative, data in files.items():
                    writer.add(relative, data)
                result.built += 1
                done += 1
                if progress:
                    progress(key, True, done, len(notices))

        # 4. The archive: each new version's PDFs (as just installed) and manifest, and the index.
        manifests = {}
        listings = report.registers
        if pdf:
            for listing in report.registers:
                if listing.new_version:
                    manifests.update(_archive_version(writer, report, listing))
            listings = [_as_archived(listing) for listing in listings]
        manifests.update(_existing_manifests(output, manifests))
        if manifests:
            writer.add(archive.ARCHIVE + "/" + archive.INDEX, archive.index(manifests))

        # 5. The index of every register, the stylesheet for fragments, and what this build was made from.
        if report.registers:
            writer.add("index.html", render_index(report.registers, languages(load_shipped()), pdfs=pdf))
        writer.add("seloste.css", stylesheet())
        writer.add(cache.CACHE, cache.serialise(notices, {listing.display: listing.record() for listing in listings}))
        result.changed = writer.commit()
    result.archived = sorted(
        name for name in result.changed if archive.ARCHIVE + "/" in name and not name.endswith(archive.INDEX)
    )
    result.seconds = time.perf_counter() - started
    return result


def _stop_on_errors(problems: list[Problem]) -> None:
    if any(p.level is Level.ERROR for p in problems):
        raise ProblemsFound(problems)


def _refuse_damaged_archive(output: Path) -> None:
    """A build adds to the archive only when the archive is as seloste left it."""
    if not (output / archive.ARCHIVE).is_dir():
        return
    damage = archive.verify(output)
    if damage:
        shown = "; ".join(damage[:3]) + (f"; and {len(damage) - 3} more" if len(damage) > 3 else "")
        raise archive.ArchiveError(
            f"the archive in {output / archive.ARCHIVE} has been changed by hand ({shown}); "
            "run `seloste verify` and restore it from a backup before building"
        )


def notice_files(listing: Listing, lang: str, pdf: bool) -> list[str]:
    """The files of one notice, relative to output/."""
    folder = f"{lang}/{listing.id}"
    return [f"{folder}/index.html", f"{folder}/fragment.html"] + (
        [f"{folder}/{pdf_name(listing, lang)}"] if pdf else []
    )


def _plan(
    registers: list[Listing], pdf: bool, previous: dict[str, Any], options: PageOptions
) -> tuple[dict[str, dict], set[str]]:
    """Every notice's fingerprint and files, and the notices that must be made again."""
    notices: dict[str, dict] = {}
    for listing in registers:
        for lang in listing.languages:
            notices[f"{lang}/{listing.id}"] = {
                "fingerprint": cache.fingerprint(lang, pdf, listing.source_hash, listing.content_hash, options.key()),
                "files": notice_files(listing, lang, pdf),
            }
    return notices, {key for key, notice in notices.items() if previous.get(key) != notice}


# -- rendering, in this process or in workers ---------------------------------------------------------

_REPORT = Report()  # what the workers render; inherited when they are forked
_OPTIONS = PageOptions()  # how they render it; inherited likewise
_LANGUAGES: dict[int, dict[str, Language]] = {}


def _languages(entry: ValidRegister) -> dict[str, Language]:
    """The notice languages bound to the register's vocabulary, made once per vocabulary."""
    return _LANGUAGES.setdefault(id(entry.vocabulary), languages(entry.vocabulary))


def read_again(report: Report, listing: Listing) -> ValidRegister:
    """A checked register, read and validated again where it is needed: a build does not keep
    hundreds of registers in memory, only their listings. Refuses files changed since the check."""
    entry, _ = validate_file(listing.path, report.shared[listing.path.parent])
    if entry is None or entry.source_hash != listing.source_hash:
        raise SourceChanged(f"{listing.display} or its shared files changed while the build ran; build again")
    return entry


def render_register(
    report: Report, index: int, langs: tuple[str, ...], pdf: bool, options: PageOptions | None = None
) -> list[tuple[str, dict[str, bytes]]]:
    """Make one register's files in each of `langs`: page, fragment and, with `pdf`, the PDF."""
    listing = report.registers[index]
    entry = read_again(report, listing)
    made = []
    for lang in langs:
        folder = f"{lang}/{listing.id}"
        name = pdf_name(listing, lang) if pdf else None
        rendered = render(entry, _languages(entry)[lang], pdf=name, options=options)
        files = {f"{folder}/index.html": rendered.page.encode(), f"{folder}/fragment.html": rendered.fragment.encode()}
        if name:
            sources = [f for f in (entry.source, entry.organisation, entry.vocabulary_file) if f is not None]
            files[f"{folder}/{name}"] = write_pdf(
                rendered.print, register_id=listing.id, version=listing.version, sources=sources, assets=[]
            )
        made.append((folder, files))
    return made


def _render_task(task: Task) -> list[tuple[str, dict[str, bytes]]]:
    return render_register(_REPORT, *task, options=_OPTIONS)


def _render(
    report: Report, todo: set[str], pdf: bool, jobs: int | None, options: PageOptions
) -> Iterator[list[tuple[str, dict[str, bytes]]]]:
    """Yield each register's notices as they are finished, from a pool of forked workers when it pays."""
    global _REPORT, _OPTIONS
    _REPORT, _OPTIONS = report, options
    # A PDF takes long enough that each language is a task of its own (one changed register's three
    # PDFs are made side by side); HTML alone is quick, and a task is a register, read once.
    tasks: list[Task] = []
    for index, listing in enumerate(report.registers):
        langs = tuple(lang for lang in listing.languages if f"{lang}/{listing.id}" in todo)
        if pdf:
            tasks += [(index, (lang,), pdf) for lang in langs]
        elif langs:
            tasks.append((index, langs, pdf))
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_render_task, tasks)
        return
    if pdf:
        preload()  # WeasyPrint is imported before the fork, so each worker inherits it
    # Workers live for the whole build; a notice is rendered once for the page, the fragment and the
    # PDF. PDFs are slow enough to hand out one at a time; HTML goes in batches to spare the messaging.
    chunk = 1 if pdf else max(1, len(tasks) // (workers * 16))
    # A worker is replaced after a few dozen PDFs, so what WeasyPrint keeps between documents does not
    # pile up over a large corpus; forking a new one costs little, WeasyPrint being imported already.
    recycle = 40 if pdf else None
    with multiprocessing.get_context("fork").Pool(workers, initializer=forget_lock, maxtasksperchild=recycle) as pool:
        yield from pool.imap_unordered(_render_task, tasks, chunksize=chunk)


def _archive_version(writer: Writer, report: Report, listing: Listing) -> dict[str, bytes]:
    """Add a new version to the archive: its PDFs (those just installed), its content and manifest."""
    entry = read_again(report, listing)
    folder = archive.version_folder(listing.id, listing.version)
    pdfs: dict[str, tuple[str, bytes]] = {}
    for lang in listing.languages:
        name = pdf_name(listing, lang)
        data = writer.staged(f"{lang}/{listing.id}/{name}")
        pdfs[lang] = (name, data)
        writer.add(f"{folder}/{name}", data, archive=True)
    content = archive.content(entry)
    writer.add(f"{folder}/{archive.CONTENT}", content, archive=True)
    manifest = archive.manifest(entry, pdfs, content)
    writer.add(f"{folder}/{archive.MANIFEST}", manifest, archive=True)
    return {f"{folder}/{archive.MANIFEST}": manifest}


def _as_archived(listing: Listing) -> Listing:
    """The listing as the next build will find it: its version archived. Its findings stand, for
    the translation guard compares with earlier versions only."""
    if not listing.new_version:
        return listing
    return replace(listing, new_version=False, archived=tuple(sorted({*listing.archived, listing.version.isoformat()})))


def _existing_manifests(output: Path, new: dict[str, bytes]) -> dict[str, bytes]:
    """The manifests already archived, so the index lists every version ever published."""
    root = output / archive.ARCHIVE
    found = (
        {str(p.relative_to(output)): p.read_bytes() for p in root.glob(f"*/*/{archive.MANIFEST}")}
        if root.is_dir()
        else {}
    )
    return {k: v for k, v in found.items() if k not in new}
