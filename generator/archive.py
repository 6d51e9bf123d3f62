"""The archive: every published version of every notice, append-only and checksummed.

The archive is a folder of its own beside registers/ (archive/, kept in version control with the
registers). archive/<id>/<version>/ holds that version's PDFs, what it said (register.json), the
exact source files it was made from and a manifest.json naming them all with their checksums and
the engine that made them; archive/index.json lists every register's versions. A version, once
archived, is never rewritten: if a register's content changes, its version date must change too,
and templates changing alone leave the archived PDFs as they were published.

A build publishes the archive under output/archive/ without the source files (which keep the
authors' comments): the same layout, so every reading function here takes an archive folder,
the archive itself or its published copy.
"""

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ArchiveError, Problem
from .paths import ARCHIVE, CONTENT, INDEX, LEDGER, MANIFEST, in_archive
from .validate import ValidRegister
from .version import __version__


def _content_data(entry: ValidRegister) -> dict[str, Any]:
    """What the notice says, however its files were formatted: the validated register and the
    wording of the organisation's own terms it uses (shipped terms are the tool's). The `internal:`
    block is the record of processing's, not the notice's: it is never archived, and changing it
    needs no new version. Values left unstated (None) are left out, so that a later seloste adding
    an optional field does not change what every archived version said."""
    public = {key: _stated(value) for key, value in entry.dump.items() if key != "internal" and value is not None}
    return {**public, ORGANISATION_TERMS: _organisation_terms(entry, entry.dump)}


def _stated(node: Any) -> Any:
    """`node` without the keys whose value is None, at every depth."""
    if isinstance(node, dict):
        return {key: _stated(value) for key, value in node.items() if value is not None}
    if isinstance(node, list):
        return [_stated(value) for value in node]
    return node


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
    root: Path, entry: ValidRegister, content: str, today: date | None = None
) -> tuple[bool, list[Problem]]:
    """Decide whether this version must be added to the archive `root`, or refuse a rewrite.

    `content` is the register's `content_hash`. Returns (needs_archiving, problems); the
    problem points at the register's `version`.
    """
    register = entry.register
    newer = [v for v in archived_versions(root, register.id) if v > register.version]
    if newer:
        latest = max(newer)
        if latest > (today or date.today()):  # the clock only words the message; it never shapes output
            said = (
                f"version {register.version} is older than the archived version {latest}, which is not yet in force; "
                "a new version needs a later date. If that date was a typo, take that version out of the archive "
                "in version control (git revert the commit that added it) before anyone relies on it"
            )
        else:
            said = (
                f"version {register.version} is older than the archived version {latest}, which is in force; "
                "a new version needs a later date"
            )
        return False, [entry.source.problem(("version",), said)]
    manifest = read_manifest(root / in_archive(register.id, register.version) / MANIFEST)
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


def archived_versions(root: Path, register_id: str) -> list[date]:
    """The versions of a register in the archive folder `root`: its folders named by a date and
    holding a manifest (anything else there is reported by `verify`, and stops a build)."""
    folder = root / register_id
    if not folder.is_dir():
        return []
    found = [(version_date(p.name), p) for p in folder.iterdir()]
    return sorted(day for day, p in found if day is not None and (p / MANIFEST).is_file())


def last_content(root: Path | None, register_id: str, before: date | None = None) -> tuple[dict[str, Any], date] | None:
    """The content (register.json) of the register's last archived version, or of the last before
    `before`, with its date; None when the archive holds none. A damaged version is passed over
    (`seloste verify` reports it): an earlier one still tells what was published."""
    if root is None:
        return None
    versions = [v for v in archived_versions(root, register_id) if before is None or v < before]
    for version in reversed(versions):
        data = read_manifest(root / in_archive(register_id, version) / CONTENT)
        if data is not None:
            return data, version
    return None


def lost(output: Path, root: Path) -> list[str]:
    """Versions output/ publishes (its ledger lists their folders under output/archive/) that are
    gone from the archive `root`: an archive deleted by hand, or never restored on this machine,
    must not be made again as if nothing had been published. Each as "<id>/<version>"."""
    try:
        listed = (output / LEDGER).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return []
    prefix = f"{ARCHIVE}/"
    folders = {
        name.removeprefix(prefix).rsplit("/", 1)[0]
        for name in listed
        if name.startswith(prefix) and name.count("/") == 3 and version_date(name.split("/")[2]) is not None
    }
    return sorted(folder for folder in folders if not (root / folder / MANIFEST).is_file())


def sources(entry: ValidRegister) -> dict[str, bytes]:
    """The exact source files of a version (register, then shared files), by name: only the archive keeps them."""
    loaded = [entry.source, entry.organisation, entry.vocabulary_file]
    return {file.path.name: file.source for file in loaded if file is not None}


def manifest(
    entry: ValidRegister,
    pdfs: dict[str, tuple[str, bytes]],
    content_file: bytes,
    engine: dict[str, Any],
    tool: str,
) -> bytes:
    """The manifest of one archived version: its files (the PDFs, `content_file` as archived and the
    exact source files) with checksums, who approved it, and what made it: seloste (its release and
    the fingerprint of its code and templates, `tool`) and the PDF engine stack `engine`."""
    register = entry.register
    data: dict[str, Any] = {
        "register": register.id,
        "version": register.version.isoformat(),
        "title": {lang: register.title.get(lang) for lang in register.languages},
        "languages": list(register.languages),
        "files": [
            {"name": name, "language": lang, "sha256": sha256(data)} for lang, (name, data) in sorted(pdfs.items())
        ],
        "content": {"name": CONTENT, "sha256": sha256(content_file)},
        "source": {
            "register": entry.source.path.name,
            "files": [{"name": name, "sha256": sha256(data)} for name, data in sources(entry).items()],
        },
        "source_sha256": entry.source_hash,
        "content_sha256": content_hash(entry),
        "generator": f"seloste {__version__}",
        "tool": tool,
        "engine": engine,
    }
    if register.approval is not None:
        data["approval"] = register.approval.model_dump(mode="json", exclude_none=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def index(manifests: dict[str, bytes]) -> bytes:
    """archive/index.json: every register's archived versions with their effective dates, from
    the manifests by their paths in the archive ("<id>/<version>/manifest.json")."""
    registers: dict[str, list[dict[str, Any]]] = {}
    for relative, raw in sorted(manifests.items()):
        data = json.loads(raw)
        folder = relative.rsplit("/", 1)[0]
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
    approval: dict[str, Any] | None = None  # the manifest's record of who approved the version


def in_force(root: Path, register_id: str, day: date) -> InForce:
    """Answer 'which notice was in force on that day' from the archive `root`'s index.json, once
    the archive verifies: an answer from a damaged archive would be a guess."""
    data = read_manifest(root / INDEX)
    if data is None:
        raise ArchiveError(f"no archive in {root}; run `seloste build` first")
    damage = verify(root)
    if damage:
        raise ArchiveError(
            f"the archive in {root} has been changed by hand ({summary(damage)}); "
            "run `seloste verify` and restore it from version control before asking it"
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
    folder = root / chosen["folder"]
    approval = (read_manifest(folder / MANIFEST) or {}).get("approval")
    return InForce(register_id, chosen["version"], folder, [folder / name for name in chosen["files"]], approval)


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
    source = data.get("source", {"files": []})  # versions archived before the archive kept sources have none
    source_files = source.get("files") if isinstance(source, dict) else None
    items = [*(files if isinstance(files, list) else [None]), content]
    items += source_files if isinstance(source_files, list) else [None]
    if not all(isinstance(item, dict) and isinstance(item.get("sha256"), str) for item in items):
        return "its files are not a list of names and checksums"
    outside = [str(item.get("name")) for item in items if not _plain_name(item.get("name"))]
    if outside:
        return f"it names a file outside its folder ({outside[0]})"
    return None


def archived_files(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file a (sound) manifest names: the PDFs, the content and the exact sources."""
    return [*data["files"], data["content"], *data.get("source", {}).get("files", [])]


def public_files(data: dict[str, Any]) -> list[str]:
    """The names of a version's files that output/ publishes: everything but the exact sources,
    which keep the authors' comments and the register's internal block."""
    return [MANIFEST, *(item["name"] for item in data["files"]), data["content"]["name"]]


def _index_fault(data: Any) -> str | None:
    """What makes archive/index.json not an index as seloste writes it, or None."""
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


def verify(root: Path, output: Path | None = None) -> list[str]:
    """Recompute every checksum in the archive `root`; list every file changed, removed or added by
    hand, every manifest or index not as seloste writes it, every version its index names that is
    gone, and (given `output`) every version output/ publishes that the archive no longer holds."""
    gone = []
    if output is not None:
        gone = [
            f"{root / folder}/: removed (published in {output / ARCHIVE}/{folder}/, listed in {output / LEDGER}); "
            f"restore it from version control (git checkout -- {root / folder})"
            for folder in lost(output, root)
        ]
    if not root.is_dir():
        if gone:
            return gone
        raise ArchiveError(f"no archive in {root}")
    problems: list[str] = gone
    expected: set[Path] = {root / INDEX}
    manifests: dict[str, bytes] = {}
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        if version_date(folder.name) is None:
            problems.append(f"{folder}: not a version folder (its name is not a date); move it out of the archive")
            expected |= {p for p in folder.rglob("*") if p.is_file()}
    for manifest_path in sorted(root.glob(f"*/*/{MANIFEST}")):
        if version_date(manifest_path.parent.name) is None:
            continue  # reported above
        expected.add(manifest_path)
        relative = str(manifest_path.relative_to(root))
        data = read_manifest(manifest_path)
        fault = (
            "it is not valid JSON"
            if data is None
            else _manifest_fault(data, manifest_path.parent.parent.name, manifest_path.parent.name)
        )
        if fault or data is None:
            problems.append(
                f"{manifest_path}: not a manifest as seloste writes it ({fault}); its version cannot be verified"
            )
            expected |= {p for p in manifest_path.parent.iterdir() if p.is_file()}
            continue
        manifests[relative] = manifest_path.read_bytes()
        for item in archived_files(data):
            path = manifest_path.parent / item["name"]
            expected.add(path)
            if not path.is_file():
                problems.append(f"{path}: removed")
            elif sha256(path.read_bytes()) != item["sha256"]:
                problems.append(f"{path}: changed (its checksum no longer matches the manifest)")
    listed = read_manifest(root / INDEX)
    index_fault = _index_fault(listed) if listed is not None else None
    if index_fault:
        problems.append(f"{root / INDEX}: not an index as seloste writes it ({index_fault})")
    elif listed is not None:
        for versions in listed["registers"].values():
            for version in versions:
                if not (root / version["folder"] / MANIFEST).is_file():
                    problems.append(
                        f"{root / version['folder']}: removed (listed in {root / INDEX}, its manifest is gone); "
                        f"restore it from version control (git checkout -- {root / version['folder']})"
                    )
    elif (root / INDEX).exists():
        problems.append(f"{root / INDEX}: not an index as seloste writes it (it is not valid JSON)")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path not in expected and ".git" not in path.relative_to(root).parts:
            problems.append(f"{path}: added by hand (not in any manifest)")
    if manifests and not index_fault and listed is not None and (root / INDEX).read_bytes() != index(manifests):
        problems.append(f"{root / INDEX}: changed (it no longer matches the manifests)")
    if manifests and not (root / INDEX).exists():
        problems.append(f"{root / INDEX}: removed")
    return problems


def manifests(root: Path) -> dict[str, bytes]:
    """Every manifest in the archive `root`, by its path in it ("<id>/<version>/manifest.json")."""
    if not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.glob(f"*/*/{MANIFEST}"))
        if version_date(p.parent.name) is not None
    }


# -- adding to the archive: a version folder appears whole, or not at all --------------------------

PARTIAL = ".partial"  # the suffix of a version folder being written


def clear_leftovers(root: Path) -> None:
    """Remove the half-written version folders a killed build left (never part of the archive)."""
    for leftover in root.glob(f"*/.*{PARTIAL}"):
        shutil.rmtree(leftover, ignore_errors=True)
    (root / f".{INDEX}{PARTIAL}").unlink(missing_ok=True)


def add_version(root: Path, register_id: str, version: date, files: dict[str, bytes]) -> None:
    """Write a new version folder: its files go to a hidden folder, are synced, and the folder is
    renamed into place in one step. An existing version is never touched."""
    target = root / in_archive(register_id, version)
    if target.exists():
        raise ArchiveError(f"refusing to rewrite the archived version {target}")
    partial = target.with_name(f".{target.name}{PARTIAL}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name, data in files.items():
        with open(partial / name, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(partial / name, 0o444)  # against accidents only: version control is the archive's guard
    os.rename(partial, target)


def write_index(root: Path, data: bytes) -> None:
    """Replace archive/index.json (derived from the manifests) in one step."""
    if (root / INDEX).is_file() and (root / INDEX).read_bytes() == data:
        return
    temporary = root / f".{INDEX}{PARTIAL}"
    temporary.write_bytes(data)
    os.replace(temporary, root / INDEX)
