"""What each output was made from, so that a build makes again only what changed.

Every notice (one register in one language) has a fingerprint: a hash of everything that
shapes its files. That is the register's content and source files, the templates shared by all
languages and those of its own language, the shipped assets, and the generator itself. Every
register has a check key: a hash of the tool, its file's name and the bytes of its files, under
which the last build's findings are recalled. Both are kept in output/.seloste-cache.json.
"""

import hashlib
import json
import platform
from functools import cache
from pathlib import Path
from typing import Any

import pydantic

from .engine import stack_key
from .paths import CACHE
from .version import __version__
from .vocabulary import PACKAGE_DIR, TEMPLATES_DIR

FORMAT = 3
LANGUAGE_DIRS = ("fi", "sv", "en")


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(PACKAGE_DIR.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def tool_fingerprint(lang: str) -> str:
    """The generator, the shared templates and assets, and language `lang`'s wording."""
    shared = [
        p
        for p in TEMPLATES_DIR.rglob("*")
        if p.is_file() and p.relative_to(TEMPLATES_DIR).parts[0] not in LANGUAGE_DIRS
    ]
    own = [p for p in (TEMPLATES_DIR / lang).rglob("*") if p.is_file()]
    code = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml")]
    return hashlib.sha256(f"{__version__}\0{_hash_files(shared + code)}\0{_hash_files(own)}".encode()).hexdigest()


@cache
def release_fingerprint() -> str:
    """The tool as a whole (code, templates, assets and the wording of every language), as the
    manifest of each archived version records it: a rebuild names it when it has changed."""
    return hashlib.sha256("\0".join(tool_fingerprint(lang) for lang in LANGUAGE_DIRS).encode()).hexdigest()


@cache
def _checker_fingerprint() -> str:
    """Everything that shapes a check's findings: the tool in every language, and the validator underneath."""
    parts = [tool_fingerprint(lang) for lang in LANGUAGE_DIRS] + [pydantic.VERSION, platform.python_version()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def check_key(display: str, source_hash: str) -> str:
    """What a register's findings depend on, besides the archive: the tool, the file's name as
    shown in messages, and the bytes of the register and its shared files (`source_hash`)."""
    return hashlib.sha256(f"{_checker_fingerprint()}\0{display}\0{source_hash}".encode()).hexdigest()


def fingerprint(lang: str, pdf: bool, source_hash: str, content_hash: str, name: str = "", options: str = "") -> str:
    """Everything that shapes the files of one register in one language; `name` is the register
    file's name, which its PDF carries as the name of the attached source, and `options` how the
    site publishes the notices (base URL, heading level). A PDF also depends on the engine stack
    (engine.py): another Pango or HarfBuzz makes every PDF again."""
    engine = stack_key() if pdf else "html"
    parts = [tool_fingerprint(lang), source_hash, content_hash, engine, name, options]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def read(output: Path) -> dict[str, Any]:
    """The last build's record: "notices" (fingerprint and files of each) and "registers"
    (each register's listing), or empty ones when there is no usable record."""
    try:
        data = json.loads((output / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {"notices": {}, "registers": {}}
    return {part: data[part] if isinstance(data.get(part), dict) else {} for part in ("notices", "registers")}


def serialise(notices: dict[str, Any], registers: dict[str, Any]) -> bytes:
    data = {"format": FORMAT, "notices": dict(sorted(notices.items())), "registers": dict(sorted(registers.items()))}
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()  # for machines
