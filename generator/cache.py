"""What each output was made from, so that a build makes again only what changed.

Every notice (one register in one language) has a fingerprint: a hash of everything that
shapes its files. That is the register's content and source files, the templates shared by all
languages and those of its own language, the shipped assets, and the generator itself. The
fingerprints of the last build are kept in output/.seloste-cache.json.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .validate import ValidRegister
from .vocabulary import PACKAGE_DIR, TEMPLATES_DIR

CACHE = ".seloste-cache.json"
LANGUAGE_DIRS = ("fi", "sv", "en")


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(PACKAGE_DIR.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def tool_fingerprint(lang: str) -> str:
    """The generator, the shared templates and assets, and language `lang`'s wording."""
    shared = [p for p in TEMPLATES_DIR.rglob("*") if p.is_file() and p.relative_to(TEMPLATES_DIR).parts[0] not in LANGUAGE_DIRS]
    own = [p for p in (TEMPLATES_DIR / lang).rglob("*") if p.is_file()]
    code = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml")]
    return hashlib.sha256(f"{__version__}\0{_hash_files(shared + code)}\0{_hash_files(own)}".encode()).hexdigest()


def fingerprint(entry: ValidRegister, lang: str, pdf: bool, content: str) -> str:
    """Everything that shapes the files of one register in one language (`content`: its content hash)."""
    parts = [tool_fingerprint(lang), entry.source_hash, content, "pdf" if pdf else "html"]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def read(output: Path) -> dict[str, Any]:
    """The fingerprints and files of the last build, or nothing if there is no usable record."""
    try:
        data = json.loads((output / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def serialise(units: dict[str, Any]) -> bytes:
    return (json.dumps(dict(sorted(units.items())), indent=1, sort_keys=True) + "\n").encode()
