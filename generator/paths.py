"""Where everything goes in output/: every output path is spelled here, and only here.

All paths are relative to output/ and written with "/" (they are also the writer's keys and the
links between pages). Other modules, and the index template, ask this module for them.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol

INDEX_PAGE = "index.html"  # every register, with links to each language version and its PDF
STYLESHEET = "seloste.css"  # for pages that embed the fragments
CACHE = ".seloste-cache.json"  # what the last build was made from
LEDGER = ".seloste-files"  # lists what the writer produced; marks the folder as seloste's

# The archive is a folder of its own (archive/ beside registers/, see archive.py); output/archive/
# publishes it, in the same layout, without the versions' exact source files.
ARCHIVE = "archive"
ARCHIVE_PREFIX = f"{ARCHIVE}/"
MANIFEST = "manifest.json"
INDEX = "index.json"
ARCHIVE_INDEX = f"{ARCHIVE}/{INDEX}"  # derived from the manifests, so rewritten as versions are added
CONTENT = "register.json"  # what the version said, for comparing the next version's translations


class Versioned(Protocol):
    """Anything with a register's id and version: a listing, a register."""

    @property
    def id(self) -> str: ...

    @property
    def version(self) -> date: ...


def notice_folder(register_id: str, lang: str) -> str:
    """The folder of one notice: fi/customer-register."""
    return f"{lang}/{register_id}"


def page(register_id: str, lang: str) -> str:
    return f"{notice_folder(register_id, lang)}/index.html"


def fragment(register_id: str, lang: str) -> str:
    return f"{notice_folder(register_id, lang)}/fragment.html"


def short_notice(register_id: str, lang: str, purpose: str) -> str:
    """A purpose's short notice, for the form that collects the data: fi/customer-register/short/marketing.html."""
    return f"{notice_folder(register_id, lang)}/short/{purpose}.html"


def jsonld(register_id: str, lang: str) -> str:
    """The notice's machine-readable twin beside its page: fi/customer-register/notice.jsonld."""
    return f"{notice_folder(register_id, lang)}/notice.jsonld"


def pdf_name(register: Versioned, lang: str) -> str:
    """The PDF's file name, dated by the version: customer-register_2025-03-01_fi.pdf."""
    return f"{register.id}_{register.version.isoformat()}_{lang}.pdf"


def pdf(register: Versioned, lang: str) -> str:
    return f"{notice_folder(register.id, lang)}/{pdf_name(register, lang)}"


def notice_files(register: Versioned, lang: str, with_pdf: bool, short: Iterable[str] = ()) -> list[str]:
    """The files of one notice: its page, its fragment, its JSON-LD, the short notices of the purposes
    named in `short` and, with PDFs, its PDF."""
    files = [page(register.id, lang), fragment(register.id, lang), jsonld(register.id, lang)]
    files += [short_notice(register.id, lang, purpose) for purpose in short]
    return files + [pdf(register, lang)] if with_pdf else files


def alternate(register_id: str, lang: str) -> str:
    """The link from one language version of a notice to the `lang` version (pages are two folders deep)."""
    return f"../../{page(register_id, lang)}"


def in_archive(register_id: str, version: date) -> str:
    """One version's folder inside the archive folder: customer-register/2025-03-01."""
    return f"{register_id}/{version.isoformat()}"


def version_folder(register_id: str, version: date) -> str:
    """One archived version as published in output/: archive/customer-register/2025-03-01."""
    return f"{ARCHIVE}/{in_archive(register_id, version)}"
