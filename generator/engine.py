"""The PDF engine stack: which libraries lay out and write a PDF, and whether they are the supported ones.

A PDF's bytes depend on more than WeasyPrint's version. WeasyPrint subsets the embedded fonts
with HarfBuzz's subsetter when the system has it (libharfbuzz-subset0 on Debian) and falls back
to fontTools otherwise, which gives other bytes; Pango and HarfBuzz lay out and shape the text,
and the shipped fonts are what is drawn. So the stack is read here once, recorded in the tool's
fingerprint and in every archived version's manifest, and a PDF is only written on the
supported stack: the pinned WeasyPrint, subsetting with HarfBuzz.
"""

import ctypes
import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

from .errors import PdfError
from .vocabulary import TEMPLATES_DIR

FONTS_DIR = TEMPLATES_DIR / "assets" / "fonts"
WEASYPRINT = "70.0"  # the version pinned in constraints.txt, whose output the archive holds
HARFBUZZ_SUBSET_SINCE = (4, 1, 0)  # WeasyPrint subsets with HarfBuzz from this version on
SUBSET_PACKAGE = "libharfbuzz-subset0"  # Debian's package of HarfBuzz's subsetter

# The parts of the stack, in the order a difference is reported.
COMPONENTS = ("weasyprint", "subsetter", "pango", "harfbuzz", "fonttools", "fonts")


def _installed(name: str) -> str:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return "not installed"


def _harfbuzz_version() -> str:
    """HarfBuzz's version string, from the library WeasyPrint loads (the same soname)."""
    try:
        library = ctypes.CDLL("libharfbuzz.so.0")
    except OSError:
        return "not installed"
    library.hb_version_string.restype = ctypes.c_char_p
    return str(library.hb_version_string().decode("ascii"))


def _fonts() -> dict[str, str]:
    """The SHA-256 of every shipped font file: print.css draws every character with them."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(FONTS_DIR.glob("*.ttf"))}


def _weasyprint_ffi() -> Any:
    """WeasyPrint's handle on the system libraries (imported here, so the stack is what it loaded)."""
    try:
        from weasyprint.text import ffi
    except OSError as e:  # Pango is loaded when WeasyPrint is imported
        raise PdfError(
            f"WeasyPrint cannot start: {e}. Install its system libraries: "
            f"sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 {SUBSET_PACKAGE}"
        ) from e
    return ffi


def _subsetter(ffi: Any) -> str:
    """Which library WeasyPrint subsets fonts with (its own test, in weasyprint/pdf/fonts.py)."""
    if ffi.harfbuzz_subset is not None and ffi.harfbuzz.hb_version_atleast(*HARFBUZZ_SUBSET_SINCE):
        return "harfbuzz"
    return "fonttools"


@cache
def stack() -> dict[str, Any]:
    """The engine stack of this machine, as recorded in the fingerprint and the manifests."""
    ffi = _weasyprint_ffi()
    pango = int(ffi.pango.pango_version())  # PANGO_VERSION_ENCODE: major * 10000 + minor * 100 + micro
    return {
        "weasyprint": _installed("weasyprint"),
        "subsetter": _subsetter(ffi),
        "pango": f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}",
        "harfbuzz": _harfbuzz_version(),
        "fonttools": _installed("fonttools"),
        "fonts": _fonts(),
    }


def stack_key() -> str:
    """The stack as one string, for the fingerprint of every notice's PDF."""
    return "\0".join(f"{name}={stack()[name]}" for name in COMPONENTS)


def refusal(found: dict[str, Any]) -> str | None:
    """Why PDFs may not be written on the stack `found`, or None on the supported stack."""
    reasons = []
    if found["weasyprint"] != WEASYPRINT:
        reasons.append(
            f"WeasyPrint is {found['weasyprint']}, not the supported {WEASYPRINT} "
            f"(install it with: pip install -c constraints.txt -e .)"
        )
    if found["subsetter"] != "harfbuzz":
        reasons.append(
            "WeasyPrint would subset the fonts with fontTools, as HarfBuzz's subsetter is missing "
            f"(install it with: sudo apt-get install {SUBSET_PACKAGE}, or run ./tasks setup as root)"
        )
    if not reasons:
        return None
    return (
        "refusing to write PDFs on an unsupported PDF engine, whose bytes would differ from the archive's: "
        + "; ".join(reasons)
        + "; or build without PDFs (--no-pdf)"
    )


def require_supported() -> None:
    """Refuse to write PDFs unless this machine has the supported stack."""
    said = refusal(stack())
    if said:
        raise PdfError(said)


def differences(recorded: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """The components of the stack that differ between `recorded` (a manifest's) and `found`, named."""
    changed = []
    for name in COMPONENTS:
        before, now = recorded.get(name), found.get(name)
        if before == now:
            continue
        if name == "fonts" and isinstance(before, dict) and isinstance(now, dict):
            fonts = sorted(f for f in {*before, *now} if before.get(f) != now.get(f))
            changed.append(f"fonts ({', '.join(fonts)} changed)")
        else:
            changed.append(f"{name} {before or 'unrecorded'} when archived, {now} now")
    return changed
