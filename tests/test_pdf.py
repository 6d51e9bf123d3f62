"""PDF notices: archive grade (PDF/A-3, tagged, fonts embedded, source attached), in each language's
words, deterministic, and made by a renderer that reads nothing but our own assets."""

import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from conftest import MINIMAL

from generator.build import build
from generator.errors import RendererWarning, SelosteError
from generator.load import load_file
from generator.pdf import write_pdf
from generator.redact import public_source

REGISTER = (
    MINIMAL.replace(
        "en: Customer register}",
        "en: Customer register}\nintroduction: {fi: Äänestä öisin åäö, sv: Året runt på Åland, en: Plain English}",
    )
    + """\
history:
  - version: 2024-01-01
    changes: {fi: Ensimmäinen versio, sv: Första versionen, en: First version}
"""
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdf")
    (root / "registers").mkdir()
    (root / "registers" / "customer.yaml").write_text(REGISTER, encoding="utf-8")
    build([root / "registers"], root / "output")
    return root


def pdf_path(site: Path, lang: str) -> Path:
    return site / "output" / lang / "customer-register" / f"customer-register_2025-03-01_{lang}.pdf"


def text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def run(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} not installed (apt-get install poppler-utils qpdf ghostscript)")
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_a_pdf_per_language_is_named_with_its_version_date(site: Path) -> None:
    assert sorted(p.name for p in (site / "output").glob("*/customer-register/*.pdf")) == [
        "customer-register_2025-03-01_en.pdf",
        "customer-register_2025-03-01_fi.pdf",
        "customer-register_2025-03-01_sv.pdf",
    ]


def test_metadata_comes_from_the_register(site: Path) -> None:
    reader = pypdf.PdfReader(pdf_path(site, "sv"))
    info = reader.metadata
    assert info["/Title"] == "Kundregister: Dataskyddsbeskrivning"
    assert info["/Author"] == "Exempel Ab"
    assert (info["/CreationDate"], info["/ModDate"]) == ("D:20240101", "D:20250301")
    assert info["/selosteversiondate"] == "2025-03-01"
    assert re.fullmatch(r"[0-9a-f]{64}", str(info["/selostesourcesha256"]))
    assert info["/selostegenerator"].startswith("seloste ")
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_it_is_pdf_a_3_with_a_tag_structure(site: Path) -> None:
    reader = pypdf.PdfReader(pdf_path(site, "fi"))
    root: Any = reader.trailer["/Root"]  # a dictionary of the PDF, read by key
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[>=\"]+3", xmp) and re.search(r"pdfaid:conformance[>=\"]+A", xmp)
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert "Tagged:          yes" in run("pdfinfo", str(pdf_path(site, "fi"))).stdout
    assert "H1" in run("pdfinfo", "-struct-text", str(pdf_path(site, "fi"))).stdout


def test_text_keeps_finnish_and_swedish_letters(site: Path) -> None:
    assert "Äänestä öisin åäö" in text(pdf_path(site, "fi"))
    assert "Året runt på Åland" in text(pdf_path(site, "sv"))


def test_every_page_names_the_register_and_version_and_is_numbered_in_its_language(site: Path) -> None:
    for lang, title, version, numbering in [
        ("fi", "Asiakasrekisteri", "Voimassa 1.3.2025 alkaen", "Sivu {} / {}"),
        ("sv", "Kundregister", "Gäller från och med 1.3.2025", "Sida {} / {}"),
        ("en", "Customer register", "Effective from 1 March 2025", "Page {} of {}"),
    ]:
        pages = pypdf.PdfReader(pdf_path(site, lang)).pages
        for number, page in enumerate(pages, start=1):
            words = " ".join(page.extract_text().split())
            assert title in words and version in words and numbering.format(number, len(pages)) in words


def test_the_first_page_does_not_repeat_the_title_in_a_running_header(site: Path) -> None:
    pages = pypdf.PdfReader(pdf_path(site, "en")).pages
    first, second = (" ".join(page.extract_text().split()) for page in pages[:2])
    assert first.count("Customer register") == 1 and first.count("Effective from 1 March 2025") == 1
    assert second.count("Customer register") >= 1  # the running header from page 2 on


def test_the_pages_link_opens_the_pdf_in_the_browser(site: Path) -> None:
    page = (site / "output" / "en" / "customer-register" / "index.html").read_text(encoding="utf-8")
    assert '<a href="customer-register_2025-03-01_en.pdf" type="application/pdf">PDF version</a>' in page
    assert " download" not in page


def test_the_public_source_yaml_comes_back_byte_identical(site: Path, tmp_path: Path) -> None:
    # The register as published: comments and the internal block left out (tests/test_internal.py).
    source = public_source(load_file(site / "registers" / "customer.yaml"))
    assert pypdf.PdfReader(pdf_path(site, "en")).attachments["customer.yaml"] == [source]
    run("pdfdetach", "-saveall", "-o", str(tmp_path), str(pdf_path(site, "en")))
    assert (tmp_path / "customer.yaml").read_bytes() == source


def test_structure_fonts_and_rendering_pass_the_tools_on_this_machine(site: Path) -> None:
    path = str(pdf_path(site, "fi"))
    assert run("qpdf", "--check", path).returncode == 0
    assert run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-sDEVICE=nullpage", path).returncode == 0
    fonts = run("pdffonts", path).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def test_two_builds_give_byte_identical_pdfs_and_html(site: Path, tmp_path: Path) -> None:
    build([site / "registers"], tmp_path / "again")
    for produced in (site / "output").rglob("*"):
        if produced.is_file() and produced.suffix in (".pdf", ".html", ".json"):
            assert (tmp_path / "again" / produced.relative_to(site / "output")).read_bytes() == produced.read_bytes(), (
                produced
            )


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A real HTTP server on loopback that records whether anything asked it for anything."""
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "reference",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<link rel="stylesheet" href="{server}/style.css">',
        '<img src="{server}/pixel.png">',
        '<style>@import url("{server}/imported.css");</style>',
        '<img src="../../../../etc/passwd">',
    ],
)
def test_the_pdf_renderer_reads_nothing_but_our_assets(reference: str, server: str, site: Path) -> None:
    body = reference.format(server=server)
    html = f"<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{body}<p>x</p></body></html>"
    source = load_file(site / "registers" / "customer.yaml")
    with pytest.raises(SelosteError) as refused:
        write_pdf(html, register_id="customer-register", version=source_version(), sources=[source], assets=[])
    assert str(refused.value).startswith("customer-register: the notice refers to files that may not be read: ")
    assert _Recorder.requests == []


def source_version() -> date:
    return date(2025, 3, 1)


def test_our_own_fonts_are_read(site: Path) -> None:
    fonts = run("pdffonts", str(pdf_path(site, "en"))).stdout
    assert "Seloste-Sans" in fonts


def test_a_build_without_pango_would_say_what_to_install() -> None:
    # The message a user sees where WeasyPrint's system libraries are missing (checked by reading it).
    from generator import engine

    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 {SUBSET_PACKAGE}" in Path(engine.__file__).read_text()


def test_what_weasyprint_says_about_our_own_css_is_shown_not_muted(site: Path) -> None:
    source = load_file(site / "registers" / "customer.yaml")
    html = "<!DOCTYPE html><html lang=en><head><title>t</title><style>p { colour: red }</style></head><body><p>x</p>"
    with pytest.warns(RendererWarning, match=r"customer-register: WeasyPrint: .*colour"):
        write_pdf(html, register_id="customer-register", version=date(2025, 3, 1), sources=[source], assets=[])
