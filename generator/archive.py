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
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem, SelosteError
from .validate import ValidRegister

ARCHIVE = "archive"
MANIFEST = "manifest.json"
INDEX = "index.json"
CONTENT = "register.json"  # what the version said, for comparing the next version's translations


class ArchiveError(SelosteError):
    """Raised by `archive` and `verify` when the archive cannot answer or is damaged."""


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


def version_folder(register_id: str, version: date) -> str:
    return f"{ARCHIVE}/{register_id}/{version.isoformat()}"


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_version(output: Path, entry: ValidRegister, content: str) -> tuple[bool, list[Problem]]:
    """Decide whether this version must be added to the archive, or refuse a rewrite.

    `content` is the register's `content_hash`. Returns (needs_archiving, problems); the
    problem points at the register's `version`.
    """
    register = entry.register
    newer = [v for v in archived_versions(output, register.id) if v > register.version]
    if newer:
        return False, [
            entry.source.problem(
                ("version",),
                (
                    f"version {register.version} is older than the archived version {max(newer)}, which is in force; "
                    "a new version needs a later date"
                ),
            )
        ]
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


def archived_versions(output: Path, register_id: str) -> list[date]:
    folder = output / ARCHIVE / register_id
    if not folder.is_dir():
        return []
    return sorted(date.fromisoformat(p.name) for p in folder.iterdir() if (p / MANIFEST).is_file())


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
    """Answer 'which notice was in force on that day' from output/archive/index.json."""
    data = read_manifest(output / ARCHIVE / INDEX)
    if data is None:
        raise ArchiveError(f"no archive in {output / ARCHIVE}; run `seloste build` first")
    versions = data.get("registers", {}).get(register_id)
    if not versions:
        known = ", ".join(sorted(data.get("registers", {}))) or "none"
        raise ArchiveError(f"no archived register '{register_id}' (archived: {known})")
    earlier = [v for v in versions if v["effective_from"] <= day.isoformat()]
    if not earlier:
        raise ArchiveError(
            f"no archived version of '{register_id}' was in force on {day}; the first archived took effect on {versions[0]['effective_from']}"
        )
    chosen = max(earlier, key=lambda v: v["effective_from"])
    folder = output / ARCHIVE / chosen["folder"]
    return InForce(register_id, chosen["version"], folder, [folder / name for name in chosen["files"]])


def verify(output: Path) -> list[str]:
    """Recompute every archived checksum; list every file changed, removed or added by hand."""
    root = output / ARCHIVE
    if not root.is_dir():
        raise ArchiveError(f"no archive in {root}")
    problems: list[str] = []
    expected: set[Path] = {root / INDEX}
    manifests: dict[str, bytes] = {}
    for manifest_path in sorted(root.glob(f"*/*/{MANIFEST}")):
        expected.add(manifest_path)
        data = read_manifest(manifest_path)
        if data is None:
            problems.append(
                f"{manifest_path.relative_to(output)}: the manifest is not valid JSON; its version cannot be verified"
            )
            expected |= {p for p in manifest_path.parent.iterdir() if p.is_file()}
            continue
        manifests[str(manifest_path.relative_to(output))] = manifest_path.read_bytes()
        for item in [*data.get("files", []), *([data["content"]] if "content" in data else [])]:
            path = manifest_path.parent / item["name"]
            expected.add(path)
            shown = path.relative_to(output)
            if not path.is_file():
                problems.append(f"{shown}: removed")
            elif sha256(path.read_bytes()) != item["sha256"]:
                problems.append(f"{shown}: changed (its checksum no longer matches the manifest)")
    listed = read_manifest(root / INDEX) or {}
    for versions in listed.get("registers", {}).values():
        for version in versions:
            if not (root / version["folder"] / MANIFEST).is_file():
                problems.append(f"{ARCHIVE}/{version['folder']}: removed (listed in {INDEX}, its manifest is gone)")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path not in expected:
            problems.append(f"{path.relative_to(output)}: added by hand (not in any manifest)")
    if manifests and (root / INDEX).is_file() and (root / INDEX).read_bytes() != index(manifests):
        problems.append(f"{ARCHIVE}/{INDEX}: changed (it no longer matches the manifests)")
    return problems
