"""Render notices to HTML: the full page, the embeddable fragment and the index.

One factory makes the Jinja environment (autoescaping everywhere, StrictUndefined). The
language is an argument of each render, never process-wide state. Register values reach the
templates as data only: they are escaped, or rendered as Markdown and then sanitised, and
never evaluated as templates.
"""

import html as html_lib
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import markdown as markdown_lib
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from . import paths
from .compose import REFERENCE, REFERENCE_ID, Plan, plan
from .errors import ToolError
from .jsonld import notice_document, serialise
from .pdf import page_counter
from .validate import ValidRegister
from .values import Markdown
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
    env.filters["md"] = _md_filter
    env.filters["lines"] = lines
    env.filters["first_block"] = first_block
    env.filters["breakable"] = breakable
    return env


def breakable(text: str) -> Markup:
    """An e-mail address or URL, escaped, with places to break a line marked (<wbr>) after "@" and "/"
    and before ".", so a phone breaks it there rather than mid-word."""
    return Markup(re.sub(r"(?<=@)|(?<=/)(?!/)|(?=\.)", "<wbr>", str(escape(text))))


def lines(text: str) -> Markup:
    """A multi-line value (a postal address) with its line breaks kept, every line escaped."""
    return Markup("<br>").join(escape(line) for line in text.strip().splitlines())


@pass_context
def _md_filter(context: Context, value: Markdown, lang: Language) -> Markup:
    """`text | md(L)` in a template: the notice's plan, in its context, resolves the cross-references."""
    page = context.get("page")
    return markdown(value, lang, page.plan if isinstance(page, Page) else None)


def markdown(value: Markdown, lang: Language, plan: Plan | None = None) -> Markup:
    """Render a Markdown text of the register in `lang`, with raw HTML refused and the result sanitised;
    its cross-references ([[contact-person]]) become links to the sections of `plan`'s notice."""
    return resolve_references(_markdown(lang.text(value)), plan, lang)


# Where a cross-reference stood in the text, kept through Markdown and sanitising: a noncharacter
# (which the loader refuses in a file) on each side of the anchor, which holds only [a-z0-9#-], so
# nothing in it can start emphasis, a link or a tag.
REFERENCE_MARK = re.compile("\ufdd2(#?[a-z0-9-]+)\ufdd3")


def _mark_references(text: str) -> str:
    """Set every well-formed cross-reference aside before Markdown sees the text; a malformed one
    (which `seloste check` reports) stays as it was written."""
    return REFERENCE.sub(
        lambda m: f"\ufdd2{m.group(1)}\ufdd3" if REFERENCE_ID.fullmatch(m.group(1)) else m.group(0), text
    )


def resolve_references(html: Markup, plan: Plan | None, lang: Language) -> Markup:
    """Put each cross-reference's section, as the notice numbers and names it in `lang`, where the
    reference stood: a link to the section, or its words alone inside a link the text makes itself.
    The words are escaped; the anchor is a checked id. Without a plan the reference is left as written."""
    text = str(html)
    if "\ufdd2" not in text:
        return html
    parts = TAG.split(text)
    in_link = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag: a reference written inside a link's address goes back to what was typed
            parts[i] = REFERENCE_MARK.sub(lambda m: f"[[{m.group(1)}]]", part)
            if re.match(r"<a\b", part):
                in_link += 1
            elif part.startswith("</a"):
                in_link = max(0, in_link - 1)
        else:
            link = not in_link
            parts[i] = REFERENCE_MARK.sub(lambda m, link=link: _reference(m.group(1), plan, lang, link), part)
    return Markup("".join(parts))


def _reference(written: str, plan: Plan | None, lang: Language, link: bool) -> str:
    """One cross-reference as the notice prints it: "2. Heading", or "2" for [[#anchor]]."""
    anchor = written.lstrip("#")
    section = plan.section(anchor) if plan is not None else None
    if plan is None or section is None or (written.startswith("#") and section.number is None):
        return str(escape(f"[[{written}]]"))
    words = escape(str(section.number) if written.startswith("#") else lang.section_heading(plan, section))
    return f'<a href="#seloste-{anchor}" class="seloste__ref">{words}</a>' if link else str(words)


@lru_cache(maxsize=8192)
def _markdown(text: str) -> Markup:
    # Shared texts (the organisation's, repeated in every register and in page, fragment and PDF)
    # are converted once; the result depends on the text alone.
    converter = _converter()
    converter.reset()
    html = _restore(converter.convert(_defuse(_mark_references(text))))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(link_emails(clean))


# An e-mail address as a reader writes it in running text. Deliberately narrow: the characters
# it allows can never close an attribute or open a tag, so a match is safe inside href="mailto:…".
EMAIL = re.compile(
    r"(?<![\w.@/:%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@-])"
)
TAG = re.compile(r"(<[^>]*>)")


def link_emails(html: str) -> str:
    """Make the bare e-mail addresses in sanitised HTML mailto links. Runs on nh3's output, so it
    sees only text and the allowed tags; text already inside a link is left alone."""
    parts = TAG.split(html)
    in_link = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            if re.match(r"<a\b", part):
                in_link += 1
            elif part.startswith("</a"):
                in_link = max(0, in_link - 1)
        elif not in_link and "@" in part:
            parts[i] = EMAIL.sub(lambda m: f'<a href="mailto:{m.group(0)}">{breakable(m.group(0))}</a>', part)
    return "".join(parts)


def first_block(html: Markup) -> Markup:
    """The first paragraph, list or table of rendered Markdown: what a summary quotes of a longer text.
    The text is quoted as written, never shortened mid-sentence."""
    text = str(html)
    depth = 0
    for match in TAG.finditer(text):
        tag = match.group(0)
        if tag.startswith("</"):
            depth -= 1
            if depth == 0:
                return Markup(text[: match.end()])
        elif not re.match(r"<(br|hr)\b", tag):
            depth += 1
    return html


def plain_text(html: Markup, limit: int = 160) -> str:
    """Rendered Markdown as plain text for a meta description: tags dropped, whitespace folded,
    cut at a word boundary to about `limit` characters."""
    text = " ".join(html_lib.unescape(nh3.clean(str(first_block(html)), tags=set())).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


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


DATES = ("drawn_up", "updated", "published")  # the organisation's dates, in the order the header gives them


@dataclass(frozen=True)
class Page:
    """Everything a notice template needs for one register in one language."""

    plan: Plan
    lang: Language
    entry: ValidRegister
    alternates: dict[str, str]  # language code (and "x-default") -> URL of that version, absolute with a base URL
    level: int  # the heading level of the notice title: 1 in a page, 2 in a fragment
    pdf: str | None = None  # the PDF edition's file name, beside the page
    canonical: str | None = None  # the page's absolute URL, when the build was given a base URL

    @property
    def register(self) -> Any:
        return self.plan.register

    @property
    def layout(self) -> str:
        """The wording set of the notice: its layout, or "historic" for a version the Personal Data
        Act governed (facts.law_on), which carries that form's title and headings in every layout."""
        return self.plan.form

    @property
    def document_name(self) -> str:
        """The document's name above the title: the organisation's own, or the form's."""
        return self.lang.document_name(self.register, self.layout)

    @property
    def dates(self) -> list[tuple[str, date]]:
        """The dates under the title, each with its label key: the organisation's own (drawn up,
        updated, published), then the version's "effective from" unless the register turns it off."""
        given = self.register.dates
        shown = [(key, getattr(given, key)) for key in DATES if given is not None and getattr(given, key)]
        return shown + ([("effective", self.register.version)] if self.register.show_version_date else [])

    @property
    def languages(self) -> dict[str, str]:
        """The language versions, for the switcher: relative links, so a copy of output/ works anywhere."""
        return {code: f"../../{code}/{self.register.id}/index.html" for code in self.register.languages}

    def description(self) -> str:
        """The meta description: the introduction's first paragraph as plain text, or a sentence
        naming the controller and the notice when there is no introduction."""
        register, lang = self.register, self.lang
        if register.introduction:
            return plain_text(markdown(register.introduction, lang, self.plan))
        return str(
            lang.labelled(
                "meta_description", controller=lang.text(register.controller.name), title=lang.text(register.title)
            )
        )


X_DEFAULT = "x-default"


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
    """The notice styles for browsers, scoped under .seloste so they cannot reach a host page."""
    return paper_stylesheet() + (TEMPLATES_DIR / "screen.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def paper_stylesheet() -> str:
    """The notice styles the PDF shares with the page: no media features, which the PDF engine does not read."""
    return (TEMPLATES_DIR / "notice.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Rendered:
    """One register in one language: the standalone page, the fragment and the PDF's HTML."""

    page: str
    fragment: str
    print: str
    jsonld: str  # the notice's JSON-LD twin, also in the page's data block (output/<lang>/<id>/notice.jsonld)
    short_notices: dict[str, str]  # by purpose name: the short notices for forms, where the register asks for them


HEADING_LEVELS = (2, 3)  # where a fragment's title may sit: under the host page's h1, or under its h2


@dataclass(frozen=True)
class PageOptions:
    """How a site publishes the notices: the address output/ is served at, and the heading level
    of a fragment's title. Both shape the files, so both are part of a notice's fingerprint."""

    base_url: str | None = None  # e.g. https://example.fi/tietosuoja/, ending in "/"
    heading_level: int = 2

    def __post_init__(self) -> None:
        if self.heading_level not in HEADING_LEVELS:
            raise ToolError(f"heading level {self.heading_level}: a fragment's title is an h2 or an h3")
        if self.base_url is not None:
            object.__setattr__(self, "base_url", normalise_base_url(self.base_url))

    def key(self) -> str:
        return f"{self.base_url or ''}\0h{self.heading_level}"


def render(
    entry: ValidRegister, lang: Language, *, pdf: str | None = None, options: PageOptions | None = None
) -> Rendered:
    """Render one register in one language. The notice is rendered once and shared by the page,
    the fragment (its title at the options' heading level, the rest below it) and the PDF edition.

    With a base URL (the address output/ is published at) the page names its absolute canonical
    URL and absolute language alternates; without one the alternates are relative."""
    options = options or PageOptions()
    base_url, heading_level = options.base_url, options.heading_level
    register = entry.register
    prefix = base_url if base_url else "../../"
    alternates: dict[str, str] = {code: prefix + paths.page(register.id, code) for code in register.languages}
    # x-default, for a reader whose language is none of these: the register's first language,
    # the one its organisation writes in (Finnish in the samples).
    alternates[X_DEFAULT] = alternates[register.languages[0]]
    canonical = alternates[lang.code] if base_url else None
    page = Page(plan(register, entry.vocabulary), lang, entry, alternates, level=1, pdf=pdf, canonical=canonical)
    article = Markup(_render("notice.html.j2", page=page))
    print_css = Markup((TEMPLATES_DIR / "print.css").read_text(encoding="utf-8"))
    counter = Markup(page_counter(lang.label("page_number")))
    twin = notice_document(entry, lang.code)
    full_url = register.full_notice.url.get(lang.code) if register.full_notice else (canonical or "../index.html")
    return Rendered(
        page=_render(
            "page.html.j2",
            page=page,
            article=article,
            jsonld=data_block(serialise(twin, compact=True)),
            reading_minutes=reading_minutes(article, lang.code),
        ),
        fragment=_render("fragment.html.j2", page=page, article=Markup(demote_headings(article, heading_level - 1))),
        print=_render(
            "print.html.j2",
            page=page,
            article=article,
            paper_css=Markup(paper_stylesheet()),
            print_css=print_css,
            page_counter=counter,
        ),
        jsonld=serialise(twin),
        short_notices={
            key: _render("short-notice.html.j2", page=page, purpose=purpose, full_url=full_url)
            for key, purpose in page.plan.short_notices.items()
        },
    )


# Silent reading of non-fiction runs at about 238 words a minute in English (Brysbaert 2019, "How many
# words do we read per minute?", Journal of Memory and Language 109); a language that says the same in
# fewer, longer words is read at the same pace per message, so fewer words a minute. Finnish and
# Swedish scaled by the words they need for what English says in 238, counted over the parallel
# texts of the shipped wording and the sample registers (4,142 Finnish, 5,586 Swedish, 6,459 English).
READING_RATE = {"fi": 153, "sv": 206, "en": 238}
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def reading_minutes(article: str, lang: str) -> int:
    """The estimated reading time of a rendered notice in whole minutes (at least one), from its words."""
    text = html_lib.unescape(TAG.sub(" ", article))  # our own sanitised HTML: a tag ends a word
    return max(1, math.ceil(len(WORD.findall(text)) / READING_RATE[lang]))


def data_block(json_text: str) -> Markup:
    """JSON for a <script type="application/ld+json"> data block: every "<" written as its JSON escape
    \\u003c, so no text of the register can close the element ("</script>") or open a comment ("<!--")."""
    return Markup(json_text.replace("<", "\\u003c"))


def demote_headings(html: str, by: int = 1) -> str:
    """Move every heading `by` levels down (by 1: h1 to h2, ...). Every heading in a notice is the
    template's own: register values are escaped and Markdown may not make headings."""
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + by)}", html)


HEADING = re.compile(r"<(/?)h([1-6])\b")


def normalise_base_url(url: str) -> str:
    """A base URL as the pages use it: http(s), with a host, ending in "/". Raises ToolError otherwise."""
    if not re.fullmatch(r"https?://[^\s/?#\"'<>]+(/[^\s?#\"'<>]*)?", url):
        raise ToolError(
            f"{url!r} is not a base URL: give the http(s) address output/ is published at, "
            "such as https://example.fi/tietosuoja/"
        )
    return url if url.endswith("/") else url + "/"


def render_index(entries: list["Listing"], langs: dict[str, Language], *, pdfs: bool) -> str:
    """Render output/index.html: every checked register with links to each language version and its PDF."""
    return _render("index.html.j2", entries=entries, langs=langs, pdfs=pdfs, page_href=paths.page, pdf_href=paths.pdf)
