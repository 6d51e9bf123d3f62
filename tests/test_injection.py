"""Injection: a register author who writes HTML, script, template syntax, CSS or file and network
addresses into every kind of field gets them published as inert text, and the PDF renderer reads
and fetches nothing but the tool's own assets.

One hostile register (with a hostile _organisation.yaml and _vocabulary.yaml beside it) is built
for real, HTML and PDF with an archive, while a loopback HTTP server records every connection and an
audit hook records every attempt to open the secret file, connect a socket or start a process. Every
output file is then searched. The PDF is made in English only: the templates are the same in every
language, and the English notice lays out every kind of payload; the same register in all three
languages, and in the other two layouts, is built as HTML.
"""

from __future__ import annotations

import http.server
import os
import re
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from hostile_kit import executable_markup, parse, pdf_active_content, pdf_everything, scheme
from markupsafe import escape

from generator.build import build
from generator.load import load_file
from generator.redact import public_source
from generator.render import stylesheet

LANGS = ("fi", "sv", "en")
FIELDS: dict[str, str] = {}  # label -> the exact payload written into that plain-text field


# -- the observers --------------------------------------------------------------------------------


class Recorder(http.server.ThreadingHTTPServer):
    """A loopback HTTP server that records every connection made to it, before any request is read."""

    daemon_threads = True

    def __init__(self) -> None:
        self.connections: list[Any] = []
        self.requests: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                recorder.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.connections.append(client_address)
        super().process_request(request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Auditor:
    """Records, through Python's audit hooks, every open of the watched paths, every socket
    connection and every process started, in this process and in forked build workers."""

    EVENTS = (
        "socket.connect",
        "socket.getaddrinfo",
        "urllib.Request",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
    )
    # ctypes.util.find_library runs these to find a shared library by name (WeasyPrint's and libc).
    LIBRARY_LOOKUPS = {"ldconfig", "ld", "gcc", "cc", "x86_64-linux-gnu-gcc", "objdump"}

    def __init__(self, log: Path, watched: list[str]) -> None:
        self.log = log
        self.watched = watched
        self.fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.active = False
        sys.addaudithook(self.hook)  # cannot be removed: inert once `active` is False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        try:
            if event == "open" and args and isinstance(args[0], (str, bytes)):
                path = os.fsdecode(args[0])
                if any(w in path for w in self.watched):
                    os.write(self.fd, f"open {path}\n".encode())
            elif event in self.EVENTS:
                program = os.path.basename(os.fsdecode(args[0])) if args and isinstance(args[0], (str, bytes)) else ""
                if not (event == "subprocess.Popen" and program in self.LIBRARY_LOOKUPS):
                    os.write(self.fd, f"{event} {args!r}\n".encode())
        except Exception:  # an audit hook must never break what it watches
            pass

    def seen(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


# -- the hostile register -----------------------------------------------------------------------------


def text(label: str, server: str) -> str:
    """A plain-text payload: markup, an event handler, a style breakout, template syntax, quotes.
    The label leads it (and names the address it would fetch), so the PDFs that lay out every field
    stay short."""
    payload = (
        f"{label} <script>alert(1)</script> <img src=x onerror=alert(1)> "
        f"</style><link rel=stylesheet href={server}/{label}.css><style> "
        f"{{{{ 7777*7777 }}}} {{{{ ''.__class__.__mro__ }}}} {{% include '/etc/passwd' %}} "
        f'" onmouseover="alert(1)" expression(alert(1)) &lt;b&gt;'
    )
    FIELDS[label] = payload
    return payload


def texts(label: str, server: str) -> dict[str, str]:
    return {lang: text(f"{label}-{lang}", server) for lang in LANGS}


def markdown(label: str, server: str, marker: Path, *, every_link: bool = False) -> str:
    """A Markdown payload: raw HTML, script, styles, template syntax, script and file links, images
    from files and the network. With `every_link`, also every other way of writing a dangerous link
    or element (the sanitiser's cases); one field of each layout has them, so that the PDFs, which
    lay out every field, stay a few pages long."""
    if every_link:
        return f"""\
{label} paragraph with <b onclick="alert('{label}')">raw bold</b> and <span style="background:url({server}/{label}-span.png)">span</span>.

<script>alert('{label}')</script>
<img src="file://{marker}" onerror="alert('{label}')">
<iframe src="javascript:alert('{label}')"></iframe>
<link rel="attachment" href="file://{marker}">
<a rel="attachment" href="file://{marker}">{label}-attach-raw</a>
<style>@import url("{server}/{label}-import.css"); body {{ background: url("{server}/{label}-bg.png") }}</style>
<svg onload="alert('{label}')"></svg>
<object data="file://{marker}"></object>
<meta http-equiv="refresh" content="0;url=javascript:alert('{label}')">
<base href="{server}/">

- [{label}-js](javascript:alert(1))
- [{label}-mixed-case](JaVaScRiPt:alert(1))
- [{label}-entity](&#106;avascript:alert(1))
- [{label}-hex-entity](&#x6A;&#x61;vascript&#x3A;alert(1))
- [{label}-tab](java&#09;script:alert(1))
- [{label}-newline](<java
script:alert(1)>)
- [{label}-space]( javascript:alert(1))
- [{label}-named-colon](javascript&colon;alert(1))
- [{label}-data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
- [{label}-vbscript](vbscript:msgbox(1))
- [{label}-file](file://{marker})
- [{label}-reference][evil]
- <javascript:alert(1)>
- [{label}-http]({server}/{label}-link)
- [{label}-title](https://example.invalid/ "a title\\" onmouseover=\\"alert`{label}`")
- ![{label}-image-file](file://{marker})
- ![{label}-image-http]({server}/{label}-image.png)
- ![{label}-image-data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

{{{{ 7777*7777 }}}} {{% include "/etc/passwd" %}} {{{{ ''.__class__.__mro__ }}}} expression(alert('{label}')) </style><script>alert('{label}')</script>

[evil]: javascript:alert(1)
"""  # noqa: E501 - payloads as an attacker would write them, on one line
    return f"""\
{label} paragraph with <b onclick="alert('{label}')">raw bold</b> and <span style="background:url({server}/{label}-span.png)">span</span>.

<script>alert('{label}')</script>
<img src="file://{marker}" onerror="alert('{label}')">
<a rel="attachment" href="file://{marker}">{label}-attach-raw</a>
<style>@import url("{server}/{label}-import.css"); body {{ background: url("{server}/{label}-bg.png") }}</style>

- [{label}-js](javascript:alert(1))
- [{label}-file](file://{marker})
- [{label}-http]({server}/{label}-link)
- ![{label}-image-file](file://{marker})
- ![{label}-image-http]({server}/{label}-image.png)

{{{{ 7777*7777 }}}} {{% include "/etc/passwd" %}} {{{{ ''.__class__.__mro__ }}}} expression(alert('{label}')) </style><script>alert('{label}')</script>
"""  # noqa: E501 - payloads as an attacker would write them, on one line


def mds(label: str, server: str, marker: Path, *, every_link: bool = False) -> dict[str, str]:
    return {lang: markdown(f"{label}-{lang}", server, marker, every_link=every_link) for lang in LANGS}


def contact(label: str, server: str, *, email: bool = True, address: Any = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": texts(f"{label}-name", server),
        "role": texts(f"{label}-role", server),
        "address": address or texts(f"{label}-address", server),
        "phone": text(f"{label}-phone", server),
        "web": f"https://example.invalid/{label}\"><script>alert('{label}')</script>",
    }
    if email:
        found["email"] = f"\"><script>alert('{label}')</script>@example.invalid"
    return found


def register(register_id: str, layout: str, server: str, marker: Path) -> dict[str, Any]:
    s, m = server, marker
    return {
        "id": register_id,
        "version": "2025-03-01",
        "title": texts(f"title-{layout}", s),
        "layout": layout,
        "summary": "true",
        "history": [
            {
                "version": "2024-01-01",
                "changes": {
                    lang: "{date} {changes} {0} {changes.__class__} " + text(f"history-{layout}-{lang}", s)
                    for lang in LANGS
                },
            }
        ],
        "introduction": mds(f"introduction-{layout}", s, m, every_link=True),
        "controller": {**contact(f"controller-{layout}", s), "business_id": "2104986-6"},
        "representative": contact(f"representative-{layout}", s),
        # A path in a field: the secret file named as a plain address and as a file: URL.
        "contact_person": contact(f"contact-{layout}", s, address={lang: f"{m}\nfile://{m}" for lang in LANGS}),
        "data_subjects": [
            texts(f"subjects-{layout}", s),
            {"text": texts(f"subjects2-{layout}", s), "details": mds(f"subjects-details-{layout}", s, m)},
        ],
        "purposes": [
            {
                "text": texts(f"purpose-{layout}", s),
                "legal_basis": "legitimate_interests",
                "legitimate_interests": texts(f"interests-{layout}", s),
                "details": mds(f"purpose-details-{layout}", s, m),
                "national_law": [texts(f"law-{layout}", s)],
            },
            {"term": "injected_purpose", "legal_basis": "contract"},
        ],
        "data_categories": [
            "injected_category",
            {
                "text": texts(f"category-{layout}", s),
                "special": "false",
                "details": mds(f"category-details-{layout}", s, m),
            },
        ],
        "sources": ["injected_source", texts(f"source-{layout}", s)],
        "recipients": [texts(f"recipient-{layout}", s)],
        "processors": [texts(f"processor-{layout}", s)],
        "transfers": [
            {
                "country": "US",
                "recipient": texts(f"transfer-recipient-{layout}", s),
                "safeguard": "standard_contractual_clauses",
                "safeguard_copy": texts(f"transfer-copy-{layout}", s),
                "details": mds(f"transfer-details-{layout}", s, m),
            }
        ],
        "retention": mds(f"retention-{layout}", s, m),
        "security": {
            "general": mds(f"security-general-{layout}", s, m),
            "manual": mds(f"security-manual-{layout}", s, m),
            "electronic": mds(f"security-electronic-{layout}", s, m),
        },
        "exercise_rights": mds(f"exercise-{layout}", s, m),
        "consent_withdrawal": mds(f"withdrawal-{layout}", s, m),
        "rights_restrictions": mds(f"restrictions-{layout}", s, m),
        "restriction_grounds": ["data_protection_act"],
        "requirement": {"kind": "contractual", "consequences": texts(f"consequences-{layout}", s)},
        "automated_decisions": {
            "used": "true",
            "ground": "contract",
            "logic": texts(f"logic-{layout}", s),
            "significance": texts(f"significance-{layout}", s),
            "profiling": mds(f"profiling-{layout}", s, m),
        },
        "sections": [
            {
                "id": "own-section",
                "title": texts(f"section-title-{layout}", s),
                "body": mds(f"section-body-{layout}", s, m),
            }
        ],
    }


def organisation(server: str) -> dict[str, Any]:
    return {
        "dpo": contact("dpo", server),
        "supervisory_authority": {**contact("authority", server, email=False), "web": f"{server}/authority"},
    }


def vocabulary(server: str) -> dict[str, Any]:
    return {
        "data_categories": {"injected_category": texts("vocabulary-category", server)},
        "sources": {"injected_source": {**texts("vocabulary-source", server), "data_subject": "true"}},
        "purposes": {"injected_purpose": texts("vocabulary-purpose", server)},
    }


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


# -- the build, once ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()
    recorder.server_close()


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A file outside the register folder whose content must never reach any output."""
    marker = f"SELOSTE-SECRET-{uuid.uuid4().hex}"
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(marker + "\n", encoding="utf-8")
    return path, marker


@pytest.fixture(scope="module")
def auditor(tmp_path_factory: pytest.TempPathFactory, secret: tuple[Path, str]) -> Auditor:
    return Auditor(tmp_path_factory.mktemp("audit") / "audit.log", [secret[0].name, "/etc/passwd", "/etc/shadow"])


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, server: Recorder, secret: tuple[Path, str], auditor: Auditor
) -> Path:
    root = tmp_path_factory.mktemp("injection")
    registers = root / "registers"
    registers.mkdir()
    published = {**register("injection", "gdpr", server.url, secret[0]), "languages": ["en"]}
    (registers / "injection.yaml").write_text(dump(published), encoding="utf-8")
    (registers / "_organisation.yaml").write_text(dump(organisation(server.url)), encoding="utf-8")
    (registers / "_vocabulary.yaml").write_text(dump(vocabulary(server.url)), encoding="utf-8")
    # The register in every language, and in the other two layouts, as HTML only, in a folder of their own.
    other = root / "layouts"
    other.mkdir()
    for name in ("_organisation.yaml", "_vocabulary.yaml"):
        (other / name).write_bytes((registers / name).read_bytes())
    (other / "injection.yaml").write_text(dump(register("injection", "gdpr", server.url, secret[0])), encoding="utf-8")
    (other / "classic.yaml").write_text(
        dump(register("classic", "register-description", server.url, secret[0])), encoding="utf-8"
    )
    (other / "questions.yaml").write_text(
        dump(register("questions", "questions", server.url, secret[0])), encoding="utf-8"
    )

    import weasyprint  # noqa: F401 - imported (and its libraries found) before watching

    auditor.active = True
    try:
        build([registers], root / "output", archive=root / "archive")
        build([other], root / "layouts-output", pdf=False)
    finally:
        auditor.active = False
    return root


def outputs(site: Path) -> list[Path]:
    return sorted(p for folder in ("output", "layouts-output") for p in (site / folder).rglob("*") if p.is_file())


def pages(site: Path) -> dict[str, str]:
    found = {
        str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in outputs(site) if p.suffix in (".html", ".css")
    }
    # Each index and stylesheet, the English notice (page, fragment, its versions and changes pages),
    # and each layout's page and fragment in three languages.
    assert len(found) >= 2 + 2 + 3 + 2 + 3 * 3 * 2, sorted(found)
    return found


def pdfs(site: Path) -> list[Path]:
    found = [p for p in outputs(site) if p.suffix == ".pdf"]
    assert len(found) == 2  # English, published and archived
    return found


# -- HTML ----------------------------------------------------------------------------------------------


def test_no_output_file_holds_anything_executable(site: Path) -> None:
    for name, html in pages(site).items():
        assert executable_markup(html) == [], name


def test_the_only_styles_are_the_tools_own(site: Path) -> None:
    ours = stylesheet().strip()
    for name, html in pages(site).items():
        if not name.endswith(".html"):
            continue
        styles = parse(html).styles
        if name.endswith("fragment.html"):
            assert styles == [], name
        else:
            assert [s.strip() for s in styles] == [ours], name


def test_every_link_is_a_safe_one_and_dangerous_links_lose_their_address(site: Path, server: Recorder) -> None:
    seen = set()
    for name, html in pages(site).items():
        for href, label in parse(html).links:
            assert href is None or scheme(href) in (None, "http", "https", "mailto", "tel"), (name, href)
            for kind in (
                "js",
                "mixed-case",
                "entity",
                "hex-entity",
                "tab",
                "newline",
                "space",
                "named-colon",
                "data",
                "vbscript",
                "file",
                "reference",
            ):
                if label.endswith(f"-{kind}"):
                    seen.add(kind)
                    assert href is None, (name, label, href)
            if label.endswith("-http"):
                assert href is not None and href.startswith(server.url + "/"), (name, label, href)
            if label.endswith("-title"):
                assert href == "https://example.invalid/", (name, label, href)
    assert len(seen) == 12


def test_the_link_payloads_are_real_before_sanitising(secret: tuple[Path, str]) -> None:
    """Python-Markdown alone (configured as the tool configures it) turns every one of them into a
    live link, so it is the sanitiser that makes them inert in the notices."""
    import markdown as markdown_lib

    converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    links = dict(
        (label, href)
        for href, label in parse(
            converter.convert(markdown("raw", "http://127.0.0.1:9", secret[0], every_link=True))
        ).links
    )
    for kind in (
        "js",
        "mixed-case",
        "entity",
        "hex-entity",
        "tab",
        "newline",
        "space",
        "named-colon",
        "data",
        "vbscript",
        "file",
        "reference",
    ):
        href = links[f"raw-{kind}"]
        assert href is not None and scheme(href) in ("javascript", "data", "vbscript", "file"), (kind, href)


def test_raw_html_in_markdown_is_shown_as_text(site: Path) -> None:
    page = (site / "output" / "en" / "injection" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('introduction-gdpr-en')&lt;/script&gt;" in page
    assert "&lt;b onclick=\"alert('introduction-gdpr-en')\"&gt;raw bold&lt;/b&gt;" in page
    assert '&lt;a rel="attachment"' in page
    for tag, attrs in parse(page).tags:
        if tag == "a":
            assert dict(attrs).get("rel") in (None, "noopener noreferrer"), attrs
            assert set(dict(attrs)) <= {
                "href",
                "title",
                "rel",
                "lang",
                "hreflang",
                "aria-current",
                "type",
                "download",
            }, attrs


def test_every_plain_value_appears_escaped_where_it_is_shown(site: Path) -> None:
    everything = "\n".join(pages(site).values())
    missing = [label for label, payload in FIELDS.items() if str(escape(payload)) not in everything]
    assert missing == []
    raw = [label for label, payload in FIELDS.items() if payload in everything]
    assert raw == []


def test_every_plain_value_is_in_every_layout(site: Path) -> None:
    for layout, folder in (
        ("gdpr", "output/en/injection"),
        ("register-description", "layouts-output/en/classic"),
        ("questions", "layouts-output/en/questions"),
    ):
        page = (site / folder / "index.html").read_text(encoding="utf-8")
        for label, payload in FIELDS.items():
            if label.endswith("-en") and f"-{layout}-" in label:
                assert str(escape(payload)) in page, (layout, label)


def test_template_syntax_in_values_is_never_evaluated(site: Path) -> None:
    everything = "\n".join(pages(site).values())
    assert "{{ 7777*7777 }}" in everything and "{% include &#39;/etc/passwd&#39; %}" in everything
    assert "60481729" not in everything
    assert "&lt;class" not in everything and "<class" not in everything
    # A value given to a sentence with placeholders keeps its braces: str.format is not applied twice.
    history = (site / "output" / "en" / "injection" / "index.html").read_text(encoding="utf-8")
    assert "1 January 2024: {date} {changes} {0} {changes.__class__} history-gdpr-en " in history


def test_file_and_passwd_contents_reach_no_output(site: Path, secret: tuple[Path, str]) -> None:
    passwd = (
        Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
        if Path("/etc/passwd").is_file()
        else "root:x:0:0"
    )
    for path in outputs(site):
        data = pdf_everything(path) if path.suffix == ".pdf" else path.read_bytes()
        assert secret[1].encode() not in data, path
        assert passwd.encode() not in data, path


# -- PDF -----------------------------------------------------------------------------------------------


def test_the_pdfs_hold_no_active_content(site: Path) -> None:
    for path in pdfs(site):
        assert pdf_active_content(path) == [], path


def test_the_pdfs_only_attachments_are_the_registers_own_sources(site: Path) -> None:
    # In their public form: comments and the internal block left out (tests/test_internal.py).
    sources = {
        name: public_source(load_file(site / "registers" / name))
        for name in ("injection.yaml", "_organisation.yaml", "_vocabulary.yaml")
    }
    for path in pdfs(site):
        attachments = pypdf.PdfReader(path).attachments
        assert {name: attachments[name] for name in attachments} == {name: [data] for name, data in sources.items()}, (
            path
        )


def test_the_pdfs_show_the_values_as_text(site: Path) -> None:
    reader = pypdf.PdfReader(site / "output" / "en" / "injection" / "injection_2025-03-01_en.pdf")
    words = re.sub(r"\s+", "", " ".join(page.extract_text() for page in reader.pages))
    for label in ("title-gdpr-en", "controller-gdpr-name-en", "section-title-gdpr-en"):
        assert re.sub(r"\s+", "", FIELDS[label][:80]) in words, label
    assert "<script>alert('introduction-gdpr-en')</script>" in words


def test_the_renderer_fetched_and_opened_nothing(site: Path, server: Recorder, auditor: Auditor) -> None:
    assert server.connections == [] and server.requests == []
    assert auditor.seen() == []


def test_the_observers_would_have_seen_a_fetch(server: Recorder, auditor: Auditor, secret: tuple[Path, str]) -> None:
    """The loopback server and the audit hook do record what they watch (run after the build)."""
    import urllib.request

    before = len(server.connections)
    auditor.active = True
    try:
        with urllib.request.urlopen(f"{server.url}/probe", timeout=10) as response:
            assert response.status == 200
        secret[0].read_text(encoding="utf-8")
    finally:
        auditor.active = False
    assert len(server.connections) == before + 1
    seen = auditor.seen()
    assert any(line.startswith("socket.connect") for line in seen) and any(secret[0].name in line for line in seen)
    # Forget the probe so that a rerun of the module's tests in one session starts clean.
    server.connections.clear()
    server.requests.clear()
    auditor.log.write_text("", encoding="utf-8")


def test_the_inspectors_find_what_they_look_for(tmp_path: Path) -> None:
    """The checks above would fail on executable output: each inspector flags a known-bad sample."""
    for bad in (
        "<script>alert(1)</script>",
        "<SCRIPT SRC=x>",
        '<a href=" JaVa&#x09;script:alert(1)">x</a>',
        '<p onclick="x">',
        '<img src="x">',
        '<a href="data:text/html,x">x</a>',
        '<div style="background:url(x)">',
        '<link rel="stylesheet" href="x">',
        '<meta http-equiv="refresh" content="0">',
        "<svg><animate onbegin=x>",
        '<a href="&#x66;ile:///etc/passwd">x</a>',
    ):
        assert executable_markup(bad), bad
    assert (
        executable_markup(
            '<a href="https://x.example/" rel="noopener">x</a><link rel="alternate" href="../fi/x/index.html">'
            '<a href="mailto:a@b.example">m</a><a href="#rights">r</a>'
        )
        == []
    )

    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    writer.add_annotation(0, Link(rect=(0, 0, 50, 50), url="javascript:app.alert(2)"))
    path = tmp_path / "active.pdf"
    with open(path, "wb") as stream:
        writer.write(stream)
    found = pdf_active_content(path)
    assert any("/JS" in f or "/JavaScript" in f for f in found) and any(
        "javascript:app.alert(2)" in f for f in found
    ), found
