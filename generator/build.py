"""The `build` stage: check every register, render what changed in parallel, then install it all at once."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import archive, cache
from . import paths as out
from .check import Listing, Report, check
from .errors import ArchiveError, Level, Problem, ProblemsFound, UsageError
from .render import PageOptions, render_index, stylesheet
from .vocabulary import load_shipped
from .wording import languages
from .workers import read_again, render_all
from .write import Writer, stage_reached, writing


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


def build(
    paths: list[Path],
    output: Path,
    *,
    pdf: bool = True,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    checked: Callable[[Report], None] | None = None,
    allow_future: bool = False,
    options: PageOptions | None = None,
) -> BuildResult:
    """Build the notices of every register under `paths` into `output`.

    Only notices whose inputs changed since the last build are made again (all with `force`),
    in `jobs` worker processes. Nothing is installed unless every register is valid, every
    archived version agrees with its register, and every notice renders. `checked` is given
    the report (its warnings) once every register is checked, before anything is rendered.
    `options` say how the site publishes them (base URL, a fragment's heading level).
    """
    options = options or PageOptions()
    started = time.perf_counter()
    previous = cache.read(output)
    # 1. Check every register (recalling the unchanged ones); an error stops the build before output/ is touched.
    report = check(paths, output, known=None if force else previous.pop("registers"), allow_future=allow_future)
    _stop_on_errors(report.problems)
    if not report.registers:
        shown = ", ".join(f"{path}/" if path.is_dir() else str(path) for path in paths)
        raise UsageError(f"nothing to build: no register files in {shown}; add one first")
    if checked:
        checked(report)
    result = BuildResult(report)

    made_before = {} if force else _still_there(output, previous["notices"])
    notices = _plan(report.registers, pdf, options)
    _refuse_partial_unpublishing(paths, output, set(previous["notices"]) - set(notices))

    with writing(output) as writer:
        # 2. The archive must be as seloste left it.
        _refuse_damaged_archive(output)

        # 3. Make the notices whose inputs changed, in parallel; carry the rest over.
        _make_notices(writer, result, notices, made_before, pdf=pdf, jobs=jobs, progress=progress, options=options)
        stage_reached("rendered")

        # 4. The archive: each new version's PDFs (as just installed) and manifest, and the index.
        listings = _archive(writer, output, report, pdf)

        # 5. The index of every register, the stylesheet for fragments, and what this build was made from.
        if report.registers:
            writer.add(out.INDEX_PAGE, render_index(report.registers, languages(load_shipped()), pdfs=pdf))
        writer.add(out.STYLESHEET, stylesheet())
        writer.add(out.CACHE, cache.serialise(notices, {listing.display: listing.record() for listing in listings}))
        result.changed = writer.commit()
    # What was added to the archive: files written, never those removed (an archive only grows).
    result.archived = sorted(name for name in writer.changed if out.is_archived(name))
    result.seconds = time.perf_counter() - started
    return result


def _stop_on_errors(problems: list[Problem]) -> None:
    if any(p.level is Level.ERROR for p in problems):
        raise ProblemsFound(problems)


def _refuse_damaged_archive(output: Path) -> None:
    """A build adds to the archive only when the archive is as seloste left it, and every version
    it archived is still there: a deleted archive is restored, never made again as if new."""
    if not (output / out.ARCHIVE).is_dir() and not archive.lost(output):
        return
    damage = archive.verify(output)
    if damage:
        raise ArchiveError(
            f"the archive in {output / out.ARCHIVE} has been changed by hand ({archive.summary(damage)}); "
            "run `seloste verify` and restore it from a backup before building"
        )


def _still_there(output: Path, notices: dict[str, Any]) -> dict[str, Any]:
    """The last build's notices whose files are all still in output/: one deleted by hand is made again."""
    return {
        key: notice
        for key, notice in notices.items()
        if isinstance(notice, dict)
        and isinstance(notice.get("files"), list)
        and all(isinstance(f, str) and (output / f).is_file() for f in notice["files"])
    }


def _refuse_partial_unpublishing(paths: list[Path], output: Path, gone: set[str]) -> None:
    """Building some register files by name makes output/ hold only their notices: refuse that when
    it would take down notices of other registers, which is never what building one file means."""
    files = [path for path in paths if not path.is_dir()]
    if not files or not gone:
        return
    shown = ", ".join(sorted(gone)[:3]) + (f" and {len(gone) - 3} more" if len(gone) > 3 else "")
    folders = " ".join(sorted({str(path.parent) for path in files}))
    raise UsageError(
        f"building {', '.join(map(str, files))} alone would take down the other published notices in {output}/ "
        f"({shown}); build the whole folder (seloste build {folders}/), and remove a register file from it "
        "to unpublish that register"
    )


def _plan(registers: list[Listing], pdf: bool, options: PageOptions) -> dict[str, dict[str, Any]]:
    """Every notice's fingerprint and files, by its key ("fi/customer-register")."""
    return {
        out.notice_folder(listing.id, lang): {
            "fingerprint": cache.fingerprint(
                lang, pdf, listing.source_hash, listing.content_hash, listing.path.name, options.key()
            ),
            "files": out.notice_files(listing, lang, pdf, listing.short_notices),
        }
        for listing in registers
        for lang in listing.languages
    }


def _make_notices(
    writer: Writer,
    result: BuildResult,
    notices: dict[str, dict[str, Any]],
    made_before: dict[str, Any],
    *,
    pdf: bool,
    jobs: int | None,
    progress: Progress | None,
    options: PageOptions,
) -> None:
    """Carry over the notices whose inputs are as when they were made; make the others, in parallel."""
    todo = {key for key, notice in notices.items() if made_before.get(key) != notice}
    done = 0
    for key in sorted(set(notices) - todo):
        for relative in made_before[key]["files"]:
            writer.keep(relative)
        result.skipped += 1
        done += 1
        if progress:
            progress(key, False, done, len(notices))
    for made in render_all(result.report, todo, pdf, jobs, options):
        for key, files in made:
            for relative, data in files.items():
                writer.add(relative, data)
            result.built += 1
            done += 1
            if progress:
                progress(key, True, done, len(notices))


def _archive(writer: Writer, output: Path, report: Report, pdf: bool) -> list[Listing]:
    """Archive each new version (with PDFs only) and write the index; return the listings as archived."""
    manifests = {}
    listings = report.registers
    if pdf:
        for listing in report.registers:
            if listing.new_version:
                manifests.update(_archive_version(writer, report, listing))
        listings = [_as_archived(listing) for listing in listings]
    manifests.update(_existing_manifests(output, manifests))
    if manifests:
        writer.add(out.ARCHIVE_INDEX, archive.index(manifests))
    return listings


def _archive_version(writer: Writer, report: Report, listing: Listing) -> dict[str, bytes]:
    """Add a new version to the archive: its PDFs (those just installed), its content and manifest."""
    entry = read_again(report, listing)
    folder = out.version_folder(listing.id, listing.version)
    pdfs: dict[str, tuple[str, bytes]] = {}
    for lang in listing.languages:
        name = out.pdf_name(listing, lang)
        data = writer.staged(out.pdf(listing, lang))
        pdfs[lang] = (name, data)
        writer.add(f"{folder}/{name}", data, archive=True)
    content = archive.content(entry)
    writer.add(f"{folder}/{out.CONTENT}", content, archive=True)
    manifest = archive.manifest(entry, pdfs, content)
    writer.add(f"{folder}/{out.MANIFEST}", manifest, archive=True)
    return {f"{folder}/{out.MANIFEST}": manifest}


def _as_archived(listing: Listing) -> Listing:
    """The listing as the next build will find it: its version archived. Its findings stand, for
    the translation guard compares with earlier versions only."""
    if not listing.new_version:
        return listing
    return replace(listing, new_version=False, archived=tuple(sorted({*listing.archived, listing.version.isoformat()})))


def _existing_manifests(output: Path, new: dict[str, bytes]) -> dict[str, bytes]:
    """The manifests already archived, so the index lists every version ever published."""
    root = output / out.ARCHIVE
    found = (
        {str(p.relative_to(output)): p.read_bytes() for p in root.glob(f"*/*/{out.MANIFEST}")} if root.is_dir() else {}
    )
    return {k: v for k, v in found.items() if k not in new}
