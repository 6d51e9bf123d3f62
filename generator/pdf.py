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
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import SelosteError
from .load import LoadedFile
from .redact import public_source
from .vocabulary import TEMPLATES_DIR

ASSETS_DIR = TEMPLATES_DIR / "assets"
PDF_VARIANT = "pdf/a-3a"  # PDF/A-3 (attachments allowed) with a tag structure (accessible)

# Python 3.11 does not know YAML's media type; the attachment should say what it is.
mimetypes.add_type("application/yaml", ".yaml")
mimetypes.add_type("application/yaml", ".yml")


class PdfError(SelosteError):
    """Raised by the PDF stage when a notice cannot be made into a PDF, naming the register."""


def _weasyprint() -> Any:
    """Import WeasyPrint, explaining the system libraries it needs when they are missing."""
    try:
        import weasyprint
    except OSError as e:  # Pango is loaded when WeasyPrint is imported
        raise PdfError(
            f"WeasyPrint cannot start: {e}. Install its system libraries: "
            "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from e
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
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # refused fetches are reported by us, with the register named
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
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments, custom_metadata=True)
    except weasyprint.urls.FatalURLFetchingError as e:  # derives from BaseException, not Exception
        raise PdfError(f"{register_id}: {e}") from None
    finally:
        quiet.setLevel(level)
    if fetcher.refused:
        raise PdfError(
            f"{register_id}: the notice refers to files that may not be read: {', '.join(sorted(set(fetcher.refused)))}"
        )
    return bytes(pdf)
