"""The `build` stage: check every register, render what changed in parallel, then install it all at once."""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import archive as archives
from . import cache, engine, feeds
from . import paths as out
from .check import Listing, Report, check
from .errors import ArchiveError, Level, Problem, ProblemsFound, ToolError, UsageError
from .render import PageOptions, render_index, stylesheet
from .vocabulary import load_shipped
from .wording import languages
from .workers import read_again, render_all
from .write import Writer, locked, stage_reached, writing


@dataclass
class BuildResult:
    """What a build did."""

    report: Report
    built: int = 0  # notices (register × language) made
    skipped: int = 0  # notices whose inputs had not changed
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)  # the files added to the archive folder
    seconds: float = 0.0


# Told of each notice as it is finished: its key ("fi/customer-register"), whether it was made
# (False: skipped), how many are done, and how many there are.
Progress = Callable[[str, bool, int, int], None]


def build(
    paths: list[Path],
    output: Path,
    *,
    archive: Path | None = None,
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

    `archive` is the archive (archive/ beside registers/; see archive.py): versions are checked
    against it, a new version is added to it when PDFs are made, and every version it holds is
    published under output/archive/. Without one nothing is archived, published from an archive
    or checked against one: a library call that only wants the notices.
    """
    options = options or PageOptions()
    started = time.perf_counter()
    previous = cache.read(output)
    # 1. Check every register (recalling the unchanged ones); an error stops the build before output/ is touched.
    known = None if force else previous.pop("registers")
    report = check(paths, archive, known=known, allow_future=allow_future)
    _stop_on_errors(report.problems)
    if not report.registers:
        shown = ", ".join(f"{path}/" if path.is_dir() else str(path) for path in paths)
        raise UsageError(f"nothing to build: no register files in {shown}; add one first")
    if checked:
        checked(report)
    if pdf:
        engine.require_supported()  # before anything is made: one PDF engine, the same bytes anywhere
    result = BuildResult(report)

    made_before = {} if force else _still_there(output, previous["notices"])
    notices = _plan(report.registers, pdf, options)
    _refuse_partial_unpublishing(paths, output, set(previous["notices"]) - set(notices))

    with writing(output) as writer, _archive_locked(archive if pdf else None):
        # 2. The archive must be as seloste left it, holding every version output/ publishes.
        if archive is not None:
            _refuse_damaged_archive(archive, output)

        # 3. Make the notices whose inputs changed, in parallel; carry the rest over.
        _make_notices(writer, result, notices, made_before, pdf=pdf, jobs=jobs, progress=progress, options=options)
        stage_reached("rendered")

        # 4. Each new version's files (its PDFs as just made, its content, sources and manifest), and the
        # whole archive published under output/archive/ (without the exact sources).
        new = _new_versions(writer, report) if pdf and archive is not None else {}
        listings = [_as_archived(listing) for listing in report.registers] if new else report.registers
        index = _publish_archive(writer, archive, new) if archive is not None else None

        # 4b. The archive's pages, change reports, feeds, versions.json and redirects (feeds.py).
        feeds.publish(writer.add, _archive_reader(writer, output), report, options, _keeper(writer, output))

        # 5. The index of every register, the stylesheet for fragments, and what this build was made from.
        if report.registers:
            writer.add(out.INDEX_PAGE, render_index(report.registers, languages(load_shipped()), pdfs=pdf))
        writer.add(out.STYLESHEET, stylesheet())
        writer.add(out.CACHE, cache.serialise(notices, {listing.display: listing.record() for listing in listings}))

        # 6. Add the new versions to the archive, then install output/: a build killed between the two
        # finds its versions archived, and publishes them the next time.
        if archive is not None and new:
            result.archived = _add_to_archive(archive, new, index)
        result.changed = writer.commit()
    result.seconds = time.perf_counter() - started
    return result


def _stop_on_errors(problems: list[Problem]) -> None:
    if any(p.level is Level.ERROR for p in problems):
        raise ProblemsFound(problems)


@contextmanager
def _archive_locked(folder: Path | None) -> Iterator[None]:
    """Hold the archive's lock (.archive.lock beside it) while a build that may add to it runs
    (a build without PDFs only reads it: each version folder and the index appear in one step)."""
    if folder is None:
        yield
        return
    with locked(folder):
        yield


def _refuse_damaged_archive(folder: Path, output: Path) -> None:
    """A build adds to the archive only when the archive is as seloste left it, and every version
    it names (and every version output/ publishes) is still there: a lost version is restored from
    version control, never made again as if new."""
    if folder.is_dir():
        archives.clear_leftovers(folder)
    elif not archives.lost(output, folder):
        return  # a new archive: the first build makes it
    damage = archives.verify(folder, output)
    if damage:
        raise ArchiveError(
            f"the archive {folder} is not as seloste left it ({archives.summary(damage)}); "
            f"run `seloste verify --archive {folder}` and restore it from version control "
            f"(git status {folder}; git checkout -- {folder}) before building"
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


NewVersion = tuple[str, date, dict[str, bytes]]  # a register's id, its version, and the version's files by name


def _new_versions(writer: Writer, report: Report) -> dict[str, NewVersion]:
    """The files of each version not yet archived, by the manifest's path in the archive."""
    stack, tool = engine.stack(), cache.release_fingerprint()
    new = {}
    for listing in report.registers:
        if not listing.new_version:
            continue
        entry = read_again(report, listing)
        pdfs = {
            lang: (out.pdf_name(listing, lang), writer.staged(out.pdf(listing, lang))) for lang in listing.languages
        }
        content = archives.content(entry)
        files = {name: data for name, data in pdfs.values()}
        files[out.CONTENT] = content
        files.update(archives.sources(entry))
        files[out.MANIFEST] = archives.manifest(entry, pdfs, content, stack, tool)
        new[f"{out.in_archive(listing.id, listing.version)}/{out.MANIFEST}"] = (listing.id, listing.version, files)
    return new


def _publish_archive(writer: Writer, folder: Path, new: dict[str, NewVersion]) -> bytes | None:
    """Publish every archived version (those in the archive and the new ones) under output/archive/,
    without the exact sources; return the archive's index, or None when it is empty."""
    manifests = archives.manifests(folder)
    manifests.update({relative: files[out.MANIFEST] for relative, (_, _, files) in new.items()})
    for relative, raw in sorted(manifests.items()):
        version = relative.rsplit("/", 1)[0]
        files = new[relative][2] if relative in new else None
        for name in archives.public_files(json.loads(raw)):
            data = files[name] if files is not None else (folder / version / name).read_bytes()
            writer.add(f"{out.ARCHIVE}/{version}/{name}", data)
    if not manifests:
        return None
    index = archives.index(manifests)
    writer.add(out.ARCHIVE_INDEX, index)
    return index


def _add_to_archive(folder: Path, new: dict[str, NewVersion], index: bytes | None) -> list[str]:
    """Write each new version into the archive folder, then its index; return the files added."""
    added = []
    for register_id, version, files in new.values():
        archives.add_version(folder, register_id, version, files)
        added += [str(folder / out.in_archive(register_id, version) / name) for name in sorted(files)]
    if index is not None:
        archives.write_index(folder, index)
    return added


def _as_archived(listing: Listing) -> Listing:
    """The listing as the next build will find it: its version archived. Its findings stand, for
    the translation guard compares with earlier versions only."""
    if not listing.new_version:
        return listing
    return replace(listing, new_version=False, archived=tuple(sorted({*listing.archived, listing.version.isoformat()})))


def _archive_reader(writer: Writer, output: Path) -> feeds.Read:
    """Read an archived file as this build leaves it: added by it, or carried over from output/."""

    def read(relative: str) -> bytes | None:
        try:
            return writer.staged(relative)
        except ToolError:
            path = output / relative
            return path.read_bytes() if path.is_file() else None

    return read


def _keeper(writer: Writer, output: Path) -> feeds.Keep:
    """Carry a page over from output/ when it names the fingerprint it would be made with now."""

    def keep(relative: str, fingerprint: str) -> bool:
        try:
            with (output / relative).open("rb") as page:
                head = page.read(512)
        except OSError:
            return False
        if feeds.FINGERPRINT.format(fingerprint).encode() not in head:
            return False
        writer.keep(relative)
        return True

    return keep
