"""The PDF stage: archive-grade PDFs (PDF/A-3, tagged) that carry their own source.

WeasyPrint reads every URL a document names through a fetcher. Ours reads only files inside
the allowed asset folders (the fonts shipped with the templates, and an organisation's own
assets folder) and refuses everything else, http(s) and other file:// paths alike, so a
document can never read a local file or reach the network. Dates come from the register,
never from the clock, so the same input gives the same bytes.
"""

import logging
import mimetypes
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .engine import require_supported
from .errors import Level, PdfError, Problem, RendererWarning
from .load import FieldPath, LoadedFile, Tree
from .redact import public_source
from .vocabulary import TEMPLATES_DIR

ASSETS_DIR = TEMPLATES_DIR / "assets"
PDF_VARIANT = "pdf/a-3a"  # PDF/A-3 (attachments allowed) with a tag structure (accessible)

# Python 3.11 does not know YAML's media type; the attachment should say what it is.
mimetypes.add_type("application/yaml", ".yaml")
mimetypes.add_type("application/yaml", ".yml")


def _weasyprint() -> Any:
    """Import WeasyPrint, explaining the system libraries it needs when they are missing, and refuse
    a stack other than the supported one (engine.py): its PDFs would not be the archive's bytes."""
    require_supported()
    import weasyprint

    return weasyprint


def preload() -> None:
    """Import WeasyPrint now: worker processes forked afterwards inherit it instead of paying ~1 s each."""
    _weasyprint()


def asset_fetcher(roots: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher that reads only files inside `roots` and refuses everything else."""
    weasyprint = _weasyprint()
    allowed = [root.resolve() for root in roots]

    class AssetFetcher(weasyprint.urls.URLFetcher):  # type: ignore[misc,name-defined]
        """Serves our own assets; records and refuses every other URL."""

        refused: list[str]

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",))
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" and not parsed.netloc else None
            if path is None or not any(path.is_relative_to(root) for root in allowed) or not path.is_file():
                self.refused.append(url)
                raise ValueError(f"refused to fetch {url}: only the notice's own assets may be read")
            mime, _ = mimetypes.guess_type(path.name)
            return weasyprint.urls.URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": mime or "application/octet-stream"}
            )

    return AssetFetcher()


# Characters that are not drawn, so need no glyph: controls, format characters, line separators.
UNDRAWN = frozenset({"Cc", "Cf", "Zl", "Zp"})


@lru_cache(maxsize=1)
def font_characters() -> frozenset[int]:
    """The characters every face of the shipped font draws (print.css sets it on every element)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # WeasyPrint's; read when a text needs it

    covered: set[int] | None = None
    for face in sorted((ASSETS_DIR / "fonts").glob("*.ttf")):
        with TTFont(face, lazy=True) as font:  # closed at once: the file is not needed again
            characters = set(font.getBestCmap())
        covered = characters if covered is None else covered & characters
    return frozenset(covered or ())


def missing_characters(text: str) -> list[str]:
    """The characters of `text` the shipped font has no glyph for: the PDF would draw an empty box
    (.notdef, which PDF/A forbids) or take a glyph from whatever font the machine has."""
    if text.isascii():
        return []  # the font has every printable ASCII character
    covered = font_characters()
    return sorted({c for c in text if ord(c) not in covered and unicodedata.category(c) not in UNDRAWN})


def font_problems(loaded: LoadedFile) -> list[Problem]:
    """A warning at every value of a file holding characters the PDF's font cannot draw."""
    problems: list[Problem] = []

    def walk(node: Tree, path: FieldPath) -> None:
        if isinstance(node, str):
            missing = missing_characters(node)
            if missing:
                named = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:10])
                more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
                message = (
                    f"the font of the PDF has no {named}{more}; the PDF would show an empty box for each "
                    "(the web page shows them): write them another way"
                )
                problems.append(replace(loaded.problem(path, message), level=Level.WARNING))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))

    walk(loaded.data, ())
    return problems


def page_counter(label: str) -> str:
    """Turn 'Sivu {page} / {pages}' into CSS content: "Sivu " counter(page) " / " counter(pages)."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", label):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            escaped = piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", "\\A ")
            parts.append(f'"{escaped}"')
    return " ".join(parts)


def _moment(day: date) -> datetime:
    """A date as the UTC midnight attachments are stamped with (never the clock)."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def write_pdf(html: str, *, register_id: str, version: date, sources: list[LoadedFile], assets: list[Path]) -> bytes:
    """Lay out `html` once and write it as a tagged PDF/A-3 with its source files attached."""
    weasyprint = _weasyprint()
    fetcher = asset_fetcher([ASSETS_DIR, *assets])
    with _weasyprint_log() as records:
        pdf = _render_pdf(weasyprint, html, version, sources, fetcher, register_id)
    # Refused fetches are reported by us, with the register named (WeasyPrint's own records of them
    # say no more); anything else WeasyPrint says is about our own templates and CSS, and is shown.
    if fetcher.refused:
        raise PdfError(
            f"{register_id}: the notice refers to files that may not be read: {', '.join(sorted(set(fetcher.refused)))}"
        )
    for record in records:
        warnings.warn(f"{register_id}: WeasyPrint: {record.getMessage()}", RendererWarning, stacklevel=2)
    return bytes(pdf)


class _Records(logging.Handler):
    """Keeps the records WeasyPrint logs while it makes one PDF."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _weasyprint_log() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings and errors instead of letting them reach the log's handlers."""
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _render_pdf(
    weasyprint: Any, html: str, version: date, sources: list[LoadedFile], fetcher: Any, register_id: str
) -> Any:
    try:
        document = weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher).render()
        attachments = [
            weasyprint.Attachment(
                file_obj=BytesIO(public_source(source)),
                name=source.path.name,
                description=f"Source of this notice: {source.path.name}",
                relationship="Source",
                created=_moment(version),
                modified=_moment(version),
                url_fetcher=fetcher,
            )
            for source in sources
        ]
        return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments, custom_metadata=True)
    except weasyprint.urls.FatalURLFetchingError as e:  # derives from BaseException, not Exception
        raise PdfError(f"{register_id}: {e}") from None
