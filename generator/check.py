"""The `check` stage: validate registers, apply the law's rules, and report what is wrong.

Of each register a check keeps only a `Listing`: what a build needs to plan its notices, list
them in the index and find the register again. Registers are validated one at a time and let
go, so memory does not grow with the corpus. A build may hand in what its last run recorded:
a register whose files, archived versions and tool are all unchanged is not validated again,
and its findings are repeated as they were found.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import cache
from .archive import archived_versions, check_version, content_hash
from .compose import plan
from .errors import Level, Problem, UnreadableFile, display_path
from .law import apply
from .load import read_source
from .pdf import font_problems
from .project import ORGANISATION_FILE, find_folders
from .validate import Shared, duplicate_id, read_shared, validate_file


@dataclass(frozen=True)
class Listing:
    """A checked, valid register as a build knows it once the register itself is let go."""

    id: str
    version: date
    languages: tuple[str, ...]
    title: dict[str, str]
    path: Path
    display: str
    id_at: tuple[int, int]  # where the id is written: a later register may take it again
    source_hash: str  # the register's file and its shared files
    content_hash: str  # what the notice says (see archive.content_hash)
    new_version: bool  # its version is not in the archive yet
    archived: tuple[str, ...]  # the versions the archive held when it was checked
    problems: tuple[Problem, ...]  # its own findings: warnings, or a build would have stopped
    key: str  # the tool, the file's name and the files' bytes it was checked from
    short_notices: tuple[str, ...] = ()  # the names of its purposes' short notices, where it asks for them

    def record(self) -> dict[str, Any]:
        """The listing as JSON, for the next build to recall."""
        return {
            "key": self.key,
            "id": self.id,
            "version": self.version.isoformat(),
            "languages": list(self.languages),
            "title": self.title,
            "id_at": list(self.id_at),
            "source_hash": self.source_hash,
            "content_hash": self.content_hash,
            "new_version": self.new_version,
            "archived": list(self.archived),
            "problems": [[p.file, p.line, p.column, p.field, p.message, p.level.value] for p in self.problems],
            "short_notices": list(self.short_notices),
        }

    @classmethod
    def recall(cls, path: Path, display: str, data: dict[str, Any]) -> "Listing":
        """A listing from its record; raises AttributeError, KeyError, TypeError or ValueError when it is not one."""
        line, column = data["id_at"]
        return cls(
            id=str(data["id"]),
            version=date.fromisoformat(data["version"]),
            languages=tuple(map(str, data["languages"])),
            title={str(k): str(v) for k, v in data["title"].items()},
            path=path,
            display=display,
            id_at=(int(line), int(column)),
            source_hash=str(data["source_hash"]),
            content_hash=str(data["content_hash"]),
            new_version=bool(data["new_version"]),
            archived=tuple(map(str, data["archived"])),
            problems=tuple(
                Problem(str(f), int(li), int(co), str(fi), str(m), Level(lv))
                for f, li, co, fi, m, lv in data["problems"]
            ),
            key=str(data["key"]),
            short_notices=tuple(map(str, data["short_notices"])),
        )


@dataclass
class Report:
    """The outcome of checking: the valid registers, every problem found, and the shared files read."""

    registers: list[Listing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    recalled: int = 0  # registers whose findings were recalled from the last build
    shared: dict[Path, Shared] = field(default_factory=dict)  # by folder, for finding a register again

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """Whether the check fails: on errors, and with `strict` also on warnings."""
        return bool(self.errors or (strict and self.warnings))

    def summary(self) -> str:
        counted = f"{_count(self.files_read, 'register')} checked"
        if not self.problems:
            return f"{counted}: no problems"
        return f"{counted}: {_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}"

    def as_json(self) -> str:
        """The report for CI and editors: every problem with its location, and the summary."""
        return json.dumps(
            {
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "column": p.column,
                        "field": p.field,
                        "level": p.level.value,
                        "message": p.message,
                    }
                    for p in self.problems
                ],
                "registers": self.files_read,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
            ensure_ascii=False,
            indent=2,
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


# How far ahead of today a version date may be without --allow-future-version: a year, so that a
# notice can be prepared ahead, while a typo (2062 for 2026) is caught before it is archived.
FUTURE = timedelta(days=366)


def check(
    paths: list[Path],
    archive: Path | None = None,
    known: Mapping[str, Any] | None = None,
    *,
    allow_future: bool = False,
) -> Report:
    """Validate every register under `paths` and apply the law's rules to the valid ones.

    `archive` is the archive folder: a published version may not be rewritten, and translations are
    compared with the last version. `known` is what the last build recorded of each register
    (`Listing.record`, by file name); an unchanged register's findings are recalled from it.
    A version date more than a year after today is an error, unless `allow_future`.
    """
    today = date.today()  # only to catch a typo; a date from the clock never reaches the output
    horizon = date.max if allow_future else today + FUTURE
    report = Report()
    seen: dict[str, str] = {}
    for folder in find_folders(paths):
        shared = report.shared[folder.path] = read_shared(folder)
        report.problems += shared.problems
        for loaded in (shared.organisation, shared.vocabulary_file):
            report.problems += font_problems(loaded) if loaded is not None else []
        for path in folder.registers:
            report.files_read += 1
            display = display_path(path)
            listing = _recall(known, path, display, shared, archive) if known else None
            if listing is not None and listing.version > horizon:
                listing = None  # checked again, to say where the date is
            if listing is not None:
                report.recalled += 1
                report.problems += listing.problems
            else:
                listing, problems = _inspect(path, shared, archive, horizon, today)
                report.problems += problems
            if listing is not None:
                taken = duplicate_id(listing.id, listing.display, seen)
                if taken:
                    report.problems.append(Problem(listing.display, *listing.id_at, "id", taken))
                report.registers.append(listing)
    report.problems = sorted(set(report.problems))
    failed = {p.file for p in report.problems if p.level is Level.ERROR}
    report.registers = [r for r in report.registers if r.display not in failed]
    return report


def _inspect(
    path: Path, shared: Shared, archive: Path | None, horizon: date, today: date
) -> tuple[Listing | None, list[Problem]]:
    """Validate one register and apply the law to it; list it when it is valid."""
    entry, problems = validate_file(path, shared)
    if entry is None:
        return None, problems
    problems += apply(entry, archive) + font_problems(entry.source)
    if entry.register.version > horizon:
        problems.append(
            entry.source.problem(
                ("version",),
                f"version {entry.register.version} is more than a year ahead of today; "
                "if the date is a typo, correct it (an archived version cannot be taken back); "
                "to publish a notice that far ahead, build with --allow-future-version",
            )
        )
    content = content_hash(entry)
    new_version, refused = check_version(archive, entry, content, today) if archive is not None else (False, [])
    problems += refused  # a published version is not rewritten
    if new_version and shared.approval_required and entry.register.approval is None:
        problems.append(
            entry.source.problem(
                ("version",),
                f"version {entry.register.version} is not yet archived, and {ORGANISATION_FILE} requires an approval "
                "for every new version: add `approval:` with `by:` (who approved it), `date:` and `reference:` "
                "(the decision or record)",
            )
        )
    register = entry.register
    listing = Listing(
        id=register.id,
        version=register.version,
        languages=tuple(register.languages),
        title={lang: register.title.get(lang) for lang in register.languages},
        path=path,
        display=entry.source.display,
        id_at=entry.source.locate(("id",)),
        source_hash=entry.source_hash,
        content_hash=content,
        new_version=new_version,
        archived=_archived(archive, register.id),
        problems=tuple(problems),
        key=cache.check_key(entry.source.display, entry.source_hash),
        short_notices=tuple(plan(register, entry.vocabulary).short_notices),
    )
    entry.release()
    return listing, problems


def _recall(known: Mapping[str, Any], path: Path, display: str, shared: Shared, archive: Path | None) -> Listing | None:
    """The last build's listing of a register, if nothing it was checked from has changed since."""
    record = known.get(display)
    try:
        source = read_source(path)
    except (OSError, UnreadableFile):
        return None  # checking it again reports why
    if not isinstance(record, dict) or record.get("key") != cache.check_key(display, shared.source_hash(source)):
        return None
    try:
        listing = Listing.recall(path, display, record)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None  # a record not as a build writes it: check the register again
    return listing if listing.archived == _archived(archive, listing.id) else None


def _archived(archive: Path | None, register_id: str) -> tuple[str, ...]:
    return tuple(v.isoformat() for v in archived_versions(archive, register_id)) if archive is not None else ()
