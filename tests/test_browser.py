"""Generated pages as browsers and assistive technology see them: the Nu HTML Checker, axe-core,
and the layout Chromium gives them on a phone and a desktop screen.

These run the real tools: vnu.jar (npm package vnu-jar) on Java, and axe-core inside Debian's
headless Chromium driven by Playwright. Where a tool is missing they are skipped, and the
skip says what to install. The browser is launched once for the module.
"""

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

NODE_MODULES = REPO / "tests" / "browser" / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A website's page with its own h1 and typography (serif text, large coloured headings), into
# which a fragment is embedded with seloste.css linked, as docs/embedding.md tells.
HOST_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page</title><link rel="stylesheet" href="{css}">
<style>body {{ margin: 0 1rem; font: 18px/1.5 Georgia, serif; color: #222; }}
h1, h2, h3 {{ color: #7a1f1f; }} h2 {{ font-size: 2rem; }}</style>
</head>
<body><header><p>Host site</p></header><main><h1>Host page</h1>
{fragment}
</main></body></html>
"""
# The checker runs once per test over every file: Java's quick compiler alone (and the larger stack the
# checker's schema then needs) halves its processor time, which is mostly the start of the JVM.
NU_JAVA_OPTIONS = ["-Xss16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONES = [(320, 640), (390, 844)]
FIRST_SCREENS = [(1280, 800), (390, 844)]


def require(condition: bool, reason: str) -> None:
    if not condition:
        pytest.skip(f"browser check skipped: {reason}")


@pytest.fixture(scope="module")
def site(samples_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample registers, built, with each fragment also embedded in a plain host page."""
    output = tmp_path_factory.mktemp("site") / "output"
    shutil.copytree(samples_output, output, symlinks=True)
    for fragment in output.glob("*/*/fragment.html"):
        lang = fragment.parent.parent.name
        host = HOST_PAGE.format(lang=lang, css="../../seloste.css", fragment=fragment.read_text(encoding="utf-8"))
        (fragment.parent / "embedded.html").write_text(host, encoding="utf-8")
    return output


def pages(site: Path, name: str, lang: str = "*") -> list[Path]:
    """The notices' files: a folder kept for a register's earlier id (previous_ids) holds only a
    redirect page, which the change tests check (test_changes.py)."""
    return sorted(p for p in site.glob(f"{lang}/*/{name}") if (p.parent / "notice.jsonld").is_file())


def archive_pages(site: Path, lang: str = "*") -> list[Path]:
    """The pages of the archive beside each notice: every version as it stood, what changed, every version."""
    return sorted(
        [*site.glob(f"{lang}/*/20*.html"), *site.glob(f"{lang}/*/changes-*.html"), *pages(site, "versions.html", lang)]
    )


def nu_errors(files: list[Path], site: Path) -> list[str]:
    """The errors the Nu HTML Checker finds in the files, each as path:line: message (path within the site)."""
    require(shutil.which("java") is not None, "java not found (apt-get install default-jre-headless)")
    require(VNU.is_file(), "vnu.jar not found (npm ci --prefix tests/browser)")
    result = subprocess.run(
        ["java", *NU_JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    inside = str(site) + "/"
    return [f"{m.get('url', '').split(inside)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]


def test_every_page_and_embedded_fragment_is_valid_html(site: Path) -> None:
    files = [site / "index.html", *pages(site, "index.html"), *pages(site, "embedded.html"), *archive_pages(site)]
    assert nu_errors(files, site) == []
    assert len(files) > 10


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium")
    require(chromium is not None, "chromium not found (apt-get install chromium)")
    require(AXE.is_file(), "axe-core not found (npm ci --prefix tests/browser)")
    playwright = pytest.importorskip("playwright.sync_api", reason="browser check skipped: playwright not installed")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Any]:
    """One tab, reused for every page a test visits: a new browser context per page costs more than the page.

    axe-core is loaded into each document as it is created (an init script), so the renderer compiles
    it once and reuses the compiled code. Checks of what a page itself loads or runs use `plain_tab`."""
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def plain_tab(browser: Any) -> Iterator[Any]:
    """One tab without axe-core, for the checks of what a page itself requests and runs: the page as a
    reader's browser gets it."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def axe(tab: Any, url: str, context: str = "document") -> list[str]:
    """Open a page in the tab and list the violations axe-core finds in it (or in one element of it)."""
    tab.goto(url)
    return axe_here(tab, context)


def axe_here(tab: Any, context: str = "document") -> list[str]:
    """The violations axe-core finds in the document open in the tab (or in one element of it)."""
    if tab.evaluate("typeof axe") == "undefined":  # a document written into the tab, not loaded
        tab.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": AXE_TAGS}}
    result = tab.evaluate(f"async (options) => await axe.run({context}, options)", options)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})" for v in result["violations"]
    ]


# The pages of each language are visited once, in one tab: each is laid out at the phone widths and on
# the first screens, and axe-core checks it as laid out last (a desktop's 1280 px).
# One test per language makes that visit and asserts all it found, so the three languages are shared
# among the test workers and no page is loaded twice.
LANGUAGES = ["fi", "sv", "en"]
EMBEDDED = "document.querySelector('.seloste')"  # a fragment is checked, not the host page around it
GLANCE = {"controller": ".seloste__glance .seloste__org", "rights link": ".seloste__glance .seloste__act a"}


@dataclass
class Survey:
    """What the visit of a language's pages found."""

    visited: list[str] = field(default_factory=list)
    violations: dict[str, list[str]] = field(default_factory=dict)  # page: axe-core's violations
    wider: dict[str, int] = field(default_factory=dict)  # page at a phone's width: the page's width
    late: dict[str, str] = field(default_factory=dict)  # page, screen and element: why it is not on the screen


# What a page shows at one screen size, in one call: its width, and where the glance's controller and
# link to the rights stand (their top, and their text), or null for an element not found exactly once.
MEASURE = """(glance) => ({
  width: document.documentElement.scrollWidth,
  glance: Object.fromEntries(Object.entries(glance).map(([what, selector]) => {
    const found = document.querySelectorAll(selector);
    if (found.length !== 1) return [what, null];
    return [what, {top: found[0].getBoundingClientRect().top, text: found[0].innerText.trim()}];
  })),
})"""


def visit(site: Path, tab: Any, lang: str) -> Survey:
    """Visit each page of a language once and note everything the test below asks of it."""
    found = Survey()
    index = [site / "index.html"] if lang == "fi" else []  # the trilingual index, once
    notices, embedded = pages(site, "index.html", lang), pages(site, "embedded.html", lang)
    for path in [*index, *notices, *embedded, *archive_pages(site, lang)]:
        name = str(path.relative_to(site))
        found.visited.append(name)
        tab.goto(path.as_uri())
        for width, height in sorted({*PHONES, *FIRST_SCREENS}):  # the phones first, the desktop last
            tab.set_viewport_size({"width": width, "height": height})
            seen = tab.evaluate(MEASURE, GLANCE)
            if (width, height) in PHONES and seen["width"] > width:
                found.wider[f"{name} at {width} px"] = seen["width"]
            if (width, height) in FIRST_SCREENS and (path in notices or path in embedded):
                for what, element in seen["glance"].items():
                    if element is None or not element["text"]:
                        found.late[f"{name} at {width}x{height}: {what}"] = "missing or empty"
                    elif element["top"] >= height:
                        found.late[f"{name} at {width}x{height}: {what}"] = f"its top at {element['top']:.0f} px"
        violations = axe_here(tab, EMBEDDED if path in embedded else "document")
        if violations:
            found.violations[name] = violations
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_accessible_reflows_on_a_phone_and_shows_who_and_how_on_the_first_screen(
    site: Path, tab: Any, lang: str
) -> None:
    """Every page and every fragment embedded in a host page, in one language:
    - axe-core finds no violation of WCAG 2.0, 2.1 and 2.2 at levels A and AA, nor of its best practices;
    - WCAG 1.4.10 (reflow): at 320 and 390 CSS px nothing needs scrolling in two directions (the index's
      table scrolls inside its own region, which does not widen the page);
    - on a phone's first screen and a desktop's, a notice shows who processes the data (the controller)
      and the link to how to use the rights."""
    found = visit(site, tab, lang)
    assert len(found.visited) > 10 and any(name.endswith("embedded.html") for name in found.visited)
    problems = {"axe-core": found.violations, "wider than the phone": found.wider, "off the first screen": found.late}
    assert {kind: listed for kind, listed in problems.items() if listed} == {}


def test_pages_make_no_requests_and_run_no_script(site: Path, plain_tab: Any) -> None:
    requests: list[str] = []

    def record(request: Any) -> None:
        requests.append(request.url)

    plain_tab.on("request", record)
    try:
        for path in pages(site, "index.html"):
            requests.clear()
            plain_tab.goto(path.as_uri())
            assert requests == [path.as_uri()]
            # The JSON-LD data block is the only <script> element, and a browser does not run it.
            assert plain_tab.evaluate("[...document.scripts].map(s => s.type)") == ["application/ld+json"]
    finally:
        plain_tab.remove_listener("request", record)
