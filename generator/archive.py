"""The archive: every published version of every notice, append-only and checksummed.

output/archive/<id>/<version>/ holds that version's PDFs and a manifest.json; output/archive/
index.json lists every register's versions. A version, once archived, is never rewritten: if
a register's content changes, its version date must change too, and templates changing alone
leave the archived PDFs as they were published.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ArchiveError, Problem
from .paths import ARCHIVE, CONTENT, INDEX, LEDGER, MANIFEST, is_archived, version_folder
from .validate import ValidRegister
from .version import __version__


def _content_data(entry: ValidRegister) -> dict[str, Any]:
    """What the notice says, however its files were formatted: the validated register and the
    wording of the organisation's own terms it uses (shipped terms are the tool's). The `internal:`
    block is the record of processing's, not the notice's: it is never archived, and changing it
    needs no new version."""
    public = {key: value for key, value in entry.dump.items() if key != "internal"}
    return {**public, ORGANISATION_TERMS: _organisation_terms(entry, entry.dump)}


def content(entry: ValidRegister) -> bytes:
    """The notice's content as readable JSON, archived beside its PDFs."""
    return (json.dumps(_content_data(entry), sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


ORGANISATION_TERMS = "_organisation_terms"


def _organisation_terms(entry: ValidRegister, node: Any) -> dict[str, dict[str, str]]:
    """The wording of every organisation term the register names, by group.key."""
    found: dict[str, dict[str, str]] = {}
    if isinstance(node, dict):
        if set(node) == {"group", "key"}:
            info = entry.vocabulary.groups.get(node["group"], {}).get(node["key"])
            if info is not None and not info.shipped:
                found[f"{node['group']}.{node['key']}"] = {lang: w.label for lang, w in sorted(info.wording.items())}
            return found
        for value in node.values():
            found.update(_organisation_terms(entry, value))
    elif isinstance(node, list):
        for value in node:
            found.update(_organisation_terms(entry, value))
    return found


def content_hash(entry: ValidRegister) -> str:
    """A hash of what the notice says. Comments and formatting may change freely; any change of
    content needs a new version date. (Compact JSON: the fast encoder, and the same hash.)"""
    compact = json.dumps(_content_data(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_version(
    output: Path, entry: ValidRegister, content: str, today: date | None = None
) -> tuple[bool, list[Problem]]:
    """Decide whether this version must be added to the archive, or refuse a rewrite.

    `content` is the register's `content_hash`. Returns (needs_archiving, problems); the
    problem points at the register's `version`.
    """
    register = entry.register
    newer = [v for v in archived_versions(output, register.id) if v > register.version]
    if newer:
        latest = max(newer)
        if latest > (today or date.today()):  # the clock only words the message; it never shapes output
            said = (
                f"version {register.version} is older than the archived version {latest}, which is not yet in force; "
                "a new version needs a later date. If that date was a typo, restore the archive from a backup "
                "made before it was built"
            )
        else:
            said = (
                f"version {register.version} is older than the archived version {latest}, which is in force; "
                "a new version needs a later date"
            )
        return False, [entry.source.problem(("version",), said)]
    manifest = read_manifest(output / version_folder(register.id, register.version) / MANIFEST)
    if manifest is None:
        return True, []
    if manifest.get("content_sha256") != content:
        return False, [
            entry.source.problem(
                ("version",),
                (
                    f"the content changed, but version {register.version} is already archived as published; "
                    "set a new version date for the changed notice (the archived one stays as it was)"
                ),
            )
        ]
    return False, []


def version_date(name: str) -> date | None:
    """The date a version folder is named after, or None for anything else (a backup copy, say)."""
    if len(name) != 10 or not name.replace("-", "").isdigit():
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def archived_versions(output: Path, register_id: str) -> list[date]:
    """The versions archived for a register: its folders named by a date and holding a manifest
    (anything else there is reported by `verify`, and stops a build)."""
    folder = output / ARCHIVE / register_id
    if not folder.is_dir():
        return []
    found = [(version_date(p.name), p) for p in folder.iterdir()]
    return sorted(day for day, p in found if day is not None and (p / MANIFEST).is_file())


def lost(output: Path) -> list[str]:
    """Archived version folders this output's own record (its ledger) lists but that are gone:
    an archive deleted by hand must not be made again as if nothing had been published."""
    try:
        listed = (output / LEDGER).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return []
    folders = {name.rsplit("/", 1)[0] for name in listed if is_archived(name) and name.count("/") == 3}
    return sorted(folder for folder in folders if not (output / folder / MANIFEST).is_file())


def manifest(entry: ValidRegister, pdfs: dict[str, tuple[str, bytes]], content_file: bytes) -> bytes:
    """The manifest of one archived version: its files (the PDFs, and `content_file` as archived)
    with checksums, and what made them."""
    register = entry.register
    data = {
        "register": register.id,
        "version": register.version.isoformat(),
        "title": {lang: register.title.get(lang) for lang in register.languages},
        "languages": list(register.languages),
        "files": [
            {"name": name, "language": lang, "sha256": sha256(data)} for lang, (name, data) in sorted(pdfs.items())
        ],
        "content": {"name": CONTENT, "sha256": sha256(content_file)},
        "source_sha256": entry.source_hash,
        "content_sha256": content_hash(entry),
        "generator": f"seloste {__version__}",
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def index(manifests: dict[str, bytes]) -> bytes:
    """output/archive/index.json: every register's archived versions with their effective dates."""
    registers: dict[str, list[dict[str, Any]]] = {}
    for relative, raw in sorted(manifests.items()):
        data = json.loads(raw)
        folder = relative.rsplit("/", 1)[0].removeprefix(f"{ARCHIVE}/")
        registers.setdefault(data["register"], []).append(
            {
                "version": data["version"],
                "effective_from": data["version"],
                "languages": data["languages"],
                "folder": folder,
                "files": [f["name"] for f in data["files"]],
            }
        )
    for versions in registers.values():
        versions.sort(key=lambda v: v["version"])
    body = {"registers": dict(sorted(registers.items()))}
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class InForce:
    """The archived version of a register in force on a given day."""

    register: str
    version: str
    folder: Path
    files: list[Path]


def in_force(output: Path, register_id: str, day: date) -> InForce:
    """Answer 'which notice was in force on that day' from output/archive/index.json, once the
    archive verifies: an answer from a damaged archive would be a guess."""
    data = read_manifest(output / ARCHIVE / INDEX)
    if data is None:
        raise ArchiveError(f"no archive in {output / ARCHIVE}; run `seloste build` first")
    damage = verify(output)
    if damage:
        raise ArchiveError(
            f"the archive in {output / ARCHIVE} has been changed by hand ({summary(damage)}); "
            "run `seloste verify` and restore it from a backup before asking it"
        )
    versions = data.get("registers", {}).get(register_id)
    if not versions:
        known = ", ".join(sorted(data.get("registers", {}))) or "none"
        raise ArchiveError(f"no archived register '{register_id}' (archived: {known})")
    earlier = [v for v in versions if v["effective_from"] <= day.isoformat()]
    if not earlier:
        raise ArchiveError(
            f"no archived version of '{register_id}' was in force on {day}; the first archived took effect on "
            f"{versions[0]['effective_from']}"
        )
    chosen = max(earlier, key=lambda v: v["effective_from"])
    folder = output / ARCHIVE / chosen["folder"]
    return InForce(register_id, chosen["version"], folder, [folder / name for name in chosen["files"]])


def summary(damage: list[str]) -> str:
    """The first problems of a damaged archive, for a one-line message."""
    return "; ".join(damage[:3]) + (f"; and {len(damage) - 3} more" if len(damage) > 3 else "")


def _plain_name(name: Any) -> bool:
    """A file name inside its version folder: no path, nothing leading out of the folder."""
    return (
        isinstance(name, str) and name not in ("", ".", "..") and PurePosixPath(name).name == name and "\\" not in name
    )


def _manifest_fault(data: dict[str, Any], register_id: str, version: str) -> str | None:
    """What makes `data` not a manifest seloste wrote for archive/<register_id>/<version>, or None."""
    files = data.get("files")
    content = data.get("content")
    if not isinstance(data.get("register"), str) or not isinstance(data.get("version"), str):
        return "it names no register and version"
    if (data["register"], data["version"]) != (register_id, version):
        return f"it names register '{data['register']}' version {data['version']}, not the folder it lies in"
    if not isinstance(data.get("languages"), list) or not all(isinstance(lang, str) for lang in data["languages"]):
        return "its languages are not a list"
    items = [*(files if isinstance(files, list) else [None]), content]
    if not all(isinstance(item, dict) and isinstance(item.get("sha256"), str) for item in items):
        return "its files are not a list of names and checksums"
    outside = [str(item.get("name")) for item in items if not _plain_name(item.get("name"))]
    if outside:
        return f"it names a file outside its folder ({outside[0]})"
    return None


def _index_fault(data: Any) -> str | None:
    """What makes output/archive/index.json not an index as seloste writes it, or None."""
    registers = data.get("registers") if isinstance(data, dict) else None
    if not isinstance(registers, dict):
        return "it lists no registers"
    for register_id, versions in registers.items():
        if not isinstance(versions, list) or not versions:
            return f"the versions of '{register_id}' are not a list"
        for entry in versions:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(key), str) for key in ("version", "effective_from", "folder")
            ):
                return f"a version of '{register_id}' has no version, effective date or folder"
            if entry["folder"] != f"{register_id}/{entry['version']}":
                return f"version {entry['version']} of '{register_id}' names the folder {entry['folder']}"
            if not isinstance(entry.get("files"), list) or not all(_plain_name(name) for name in entry["files"]):
                return f"version {entry['version']} of '{register_id}' names files outside its folder"
    return None


def verify(output: Path) -> list[str]:
    """Recompute every archived checksum; list every file changed, removed or added by hand, every
    manifest or index not as seloste writes it, and every version folder this output's record lists
    but that is gone."""
    root = output / ARCHIVE
    gone = [f"{folder}/: removed (listed in {LEDGER}, the record of what was published)" for folder in lost(output)]
    if not root.is_dir():
        if gone:
            return gone
        raise ArchiveError(f"no archive in {root}")
    problems: list[str] = gone
    expected: set[Path] = {root / INDEX}
    manifests: dict[str, bytes] = {}
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        if version_date(folder.name) is None:
            problems.append(
                f"{folder.relative_to(output)}: not a version folder (its name is not a date); "
                "move it out of the archive"
            )
            expected |= {p for p in folder.rglob("*") if p.is_file()}
    for manifest_path in sorted(root.glob(f"*/*/{MANIFEST}")):
        if version_date(manifest_path.parent.name) is None:
            continue  # reported above
        expected.add(manifest_path)
        relative = manifest_path.relative_to(output)
        data = read_manifest(manifest_path)
        fault = (
            "it is not valid JSON"
            if data is None
            else _manifest_fault(data, manifest_path.parent.parent.name, manifest_path.parent.name)
        )
        if fault or data is None:
            problems.append(
                f"{relative}: not a manifest as seloste writes it ({fault}); its version cannot be verified"
            )
            expected |= {p for p in manifest_path.parent.iterdir() if p.is_file()}
            continue
        manifests[str(relative)] = manifest_path.read_bytes()
        for item in [*data["files"], data["content"]]:
            path = manifest_path.parent / item["name"]
            expected.add(path)
            shown = path.relative_to(output)
            if not path.is_file():
                problems.append(f"{shown}: removed")
            elif sha256(path.read_bytes()) != item["sha256"]:
                problems.append(f"{shown}: changed (its checksum no longer matches the manifest)")
    listed = read_manifest(root / INDEX)
    index_fault = _index_fault(listed) if listed is not None else None
    if index_fault:
        problems.append(f"{ARCHIVE}/{INDEX}: not an index as seloste writes it ({index_fault})")
    elif listed is not None:
        for versions in listed["registers"].values():
            for version in versions:
                if not (root / version["folder"] / MANIFEST).is_file():
                    problems.append(f"{ARCHIVE}/{version['folder']}: removed (listed in {INDEX}, its manifest is gone)")
    elif (root / INDEX).exists():
        problems.append(f"{ARCHIVE}/{INDEX}: not an index as seloste writes it (it is not valid JSON)")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path not in expected:
            problems.append(f"{path.relative_to(output)}: added by hand (not in any manifest)")
    if manifests and not index_fault and listed is not None and (root / INDEX).read_bytes() != index(manifests):
        problems.append(f"{ARCHIVE}/{INDEX}: changed (it no longer matches the manifests)")
    if manifests and not (root / INDEX).exists():
        problems.append(f"{ARCHIVE}/{INDEX}: removed")
    return problems
