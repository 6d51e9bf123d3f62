"""`seloste verify --rebuild`: make every archived version again from the source the archive holds.

Each version folder keeps the exact source files its notice was made from; rebuilding reads them
as a register folder of their own, renders each language's PDF with this installation and
compares the bytes with the archived PDF. A version is reproduced when every PDF is the same;
otherwise the report names what changed since it was archived: seloste itself (its code and
templates), or a part of the PDF engine stack recorded in the manifest.
"""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import engine
from .archive import manifests, sha256
from .cache import release_fingerprint
from .paths import MANIFEST
from .pdf import write_pdf
from .project import Folder
from .render import render
from .validate import ValidRegister, read_shared, validate_file
from .version import __version__
from .wording import languages


@dataclass(frozen=True)
class Rebuilt:
    """One archived version made again: whether every PDF came out the same, and if not, why."""

    folder: Path  # the version's folder in the archive
    reproduced: bool
    said: str  # "reproduced", or what differs and which component changed


def rebuild(root: Path) -> list[Rebuilt]:
    """Rebuild every version in the archive `root` (which should verify first) and compare its PDFs."""
    return [
        _rebuild(root / relative.removesuffix(f"/{MANIFEST}"), json.loads(raw))
        for relative, raw in manifests(root).items()
    ]


def _rebuild(folder: Path, data: dict[str, Any]) -> Rebuilt:
    source = data.get("source")
    if not isinstance(source, dict) or not source.get("files"):
        return Rebuilt(folder, False, "cannot be rebuilt: the archive holds no source files for this version")
    with tempfile.TemporaryDirectory(prefix="seloste-rebuild-") as scratch:
        for item in source["files"]:
            (Path(scratch) / item["name"]).write_bytes((folder / item["name"]).read_bytes())
        entry, problems = _read(Path(scratch), source["register"])
        if entry is None:
            first = problems[0].message if problems else "it does not validate"
            return Rebuilt(
                folder, False, f"cannot be rebuilt: its source no longer validates with this seloste ({first})"
            )
        differing = [item["name"] for item in data["files"] if sha256(_pdf(entry, item)) != item["sha256"]]
    if not differing:
        return Rebuilt(folder, True, "reproduced")
    return Rebuilt(folder, False, f"differs ({', '.join(differing)}): {_why(data)}")


def _read(scratch: Path, register: str) -> tuple[ValidRegister | None, list[Any]]:
    """The archived register, read from its copied source files as a folder of its own."""
    folder = Folder(scratch, [scratch / register])
    return validate_file(scratch / register, read_shared(folder))


def _pdf(entry: ValidRegister, item: dict[str, Any]) -> bytes:
    """One language's PDF made again, as the build made it."""
    lang = item["language"]
    rendered = render(entry, languages(entry.vocabulary)[lang], pdf=item["name"])
    sources = [f for f in (entry.source, entry.organisation, entry.vocabulary_file) if f is not None]
    return write_pdf(
        rendered.print, register_id=entry.register.id, version=entry.register.version, sources=sources, assets=[]
    )


def _why(data: dict[str, Any]) -> str:
    """What changed since the version was archived, by component; or that nothing recorded did."""
    changed = []
    if data.get("tool") != release_fingerprint():
        recorded = str(data.get("tool") or "unrecorded")[:12]
        changed.append(
            f"seloste's code or templates ({data.get('generator', 'an unrecorded release')}, "
            f"fingerprint {recorded} when archived; seloste {__version__}, {release_fingerprint()[:12]} now)"
        )
    recorded_stack = data.get("engine")
    changed += engine.differences(recorded_stack if isinstance(recorded_stack, dict) else {}, engine.stack())
    if changed:
        return "changed since it was archived: " + "; ".join(changed)
    return (
        "the recorded tool and engine stack are the same, so something not recorded changed "
        "(the system's fontconfig or fonts) or the build was not deterministic"
    )
