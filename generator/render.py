"""Render notices to HTML: the full page, the embeddable fragment and the index.

One factory makes the Jinja environment (autoescaping everywhere, StrictUndefined). The
language is an argument of each render, never process-wide state. Register values reach the
templates as data only: they are escaped, or rendered as Markdown and then sanitised, and
never evaluated as templates.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import markdown as markdown_lib
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup, escape

from . import paths
from .compose import Plan, plan
from .errors import ToolError
from .jsonld import notice_document, serialise
from .pdf import page_counter
from .validate import ValidRegister
from .values import Lang, Markdown
from .version import __version__
from .vocabulary import TEMPLATES_DIR
from .wording import Language

if TYPE_CHECKING:
    from .check import Listing

# What Markdown in a register may produce; everything else is removed.
ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "code",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"https", "http", "mailto", "tel"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: our templates, autoescaped, strict about undefined names."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown
    env.filters["lines"] = lines
    return env


def lines(text: str) -> Markup:
    """A multi-line value (a postal address) with its line breaks kept, every line escaped."""
    return Markup("<br>").join(escape(line) for line in text.strip().splitlines())


def markdown(value: Markdown, lang: Language) -> Markup:
    """Render a Markdown text of the register in `lang`, with raw HTML refused and the result sanitised."""
    return _markdown(lang.text(value))


@lru_cache(maxsize=8192)
def _markdown(text: str) -> Markup:
    # Shared texts (the organisation's, repeated in every register and in page, fragment and PDF)
    # are converted once; the result depends on the text alone.
    converter = _converter()
    converter.reset()
    html = _restore(converter.convert(_defuse(text)))
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )


# Stand-ins for brackets that can start no link: noncharacters, which the loader refuses in a file.
INERT = {"[": "\ufdd0", "(": "\ufdd1"}


def _defuse(text: str) -> str:
    """Replace every '[' and '(' that cannot be part of a link by an inert stand-in: those with no
    closing partner, and those nested more than two deep. Python-Markdown looks for the end of a
    link from every '[' (and for the end of its address from every '('), so without this a run of
    brackets costs time quadratic in its length; with it, each search ends at its own partner, and
    converting a text is linear. Links are written the same as before."""
    if "[" not in text and "(" not in text:
        return text
    chars = list(text)
    for opening, closing in (("[", "]"), ("(", ")")):
        open_at: list[int] = []
        for index, char in enumerate(chars):
            if char == opening:
                open_at.append(index)
            elif char == closing and open_at:
                start = open_at.pop()
                if len(open_at) >= 2:
                    chars[start] = INERT[opening]
        for start in open_at:
            chars[start] = INERT[opening]
    return "".join(chars)


def _restore(html: str) -> str:
    """Put the brackets `_defuse` set aside back, as the text they always were."""
    for char, stand_in in INERT.items():
        html = html.replace(stand_in, char)
    return html


@lru_cache(maxsize=1)
def _converter() -> markdown_lib.Markdown:
    """One Markdown converter per process: building one costs more than converting a text."""
    converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Raw HTML in a register is shown as text, never passed through (nh3 below is the second wall).
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


@dataclass(frozen=True)
class Page:
    """Everything a notice template needs for one register in one language."""

    plan: Plan
    lang: Language
    entry: ValidRegister
    alternates: dict[Lang, str]  # language code -> relative URL of that version
    level: int  # the heading level of the notice title: 1 in a page, 2 in a fragment
    pdf: str | None = None  # the PDF edition's file name, beside the page

    @property
    def register(self) -> Any:
        return self.plan.register

    @property
    def layout(self) -> str:
        """The wording set of the notice: its layout, or "historic" for a version the Personal Data
        Act governed (facts.law_on), which carries that form's title and headings in every layout."""
        return self.plan.form


def _render(template: str, **context: Any) -> str:
    try:
        # The stylesheet is our own file, inserted as is; everything from a register is escaped.
        return (
            environment()
            .get_template(template)
            .render(**context, css=Markup(stylesheet()), generator=f"seloste {__version__}")
        )
    except TemplateError as e:
        # A template fault is ours, not the register's: keep the template's name and line.
        raise ToolError(f"template {template} failed: {e}") from e


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The notice styles, scoped under .seloste so they cannot reach a host page."""
    return (TEMPLATES_DIR / "notice.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Rendered:
    """One register in one language: the standalone page, the fragment and the PDF's HTML."""

    page: str
    fragment: str
    print: str
    jsonld: str  # the notice's JSON-LD twin, also in the page's data block (output/<lang>/<id>/notice.jsonld)


def render(entry: ValidRegister, lang: Language, *, pdf: str | None = None) -> Rendered:
    """Render one register in one language. The notice is rendered once and shared by the page,
    the fragment (its headings one level down, under the host page's h1) and the PDF edition."""
    register = entry.register
    alternates = {code: paths.alternate(register.id, code) for code in register.languages}
    page = Page(plan(register, entry.vocabulary), lang, entry, alternates, level=1, pdf=pdf)
    article = Markup(_render("notice.html.j2", page=page))
    print_css = Markup((TEMPLATES_DIR / "print.css").read_text(encoding="utf-8"))
    counter = Markup(page_counter(lang.label("page_number")))
    twin = notice_document(entry, lang.code)
    return Rendered(
        page=_render("page.html.j2", page=page, article=article, jsonld=data_block(serialise(twin, compact=True))),
        fragment=_render("fragment.html.j2", page=page, article=Markup(demote_headings(article))),
        print=_render("print.html.j2", page=page, article=article, print_css=print_css, page_counter=counter),
        jsonld=serialise(twin),
    )


def data_block(json_text: str) -> Markup:
    """JSON for a <script type="application/ld+json"> data block: every "<" written as its JSON escape
    \\u003c, so no text of the register can close the element ("</script>") or open a comment ("<!--")."""
    return Markup(json_text.replace("<", "\\u003c"))


def demote_headings(html: str) -> str:
    """Move every heading one level down (h1 to h2, ...). Every heading in a notice is the
    template's own: register values are escaped and Markdown may not make headings."""
    return HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


HEADING = re.compile(r"<(/?)h([1-5])\b")


def render_index(entries: list["Listing"], langs: dict[str, Language], *, pdfs: bool) -> str:
    """Render output/index.html: every checked register with links to each language version and its PDF."""
    return _render("index.html.j2", entries=entries, langs=langs, pdfs=pdfs, page_href=paths.page, pdf_href=paths.pdf)
