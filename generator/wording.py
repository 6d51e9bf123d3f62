"""Each language's words: headings, labels and sentences, and Babel formatting in that language.

The words live in templates/<lang>/wording.yaml and templates/<lang>/terms.yaml, owned by a
lawyer of that language. A `Language` binds them to one language, so templates ask for
`lang.heading("retention")` or `lang.date(version)` and never deal with locales themselves.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from markupsafe import Markup, escape

from .errors import ToolError
from .model import Contact
from .values import LANGUAGES, Term, Text
from .vocabulary import TEMPLATES_DIR, Vocabulary, read_tool_file

if TYPE_CHECKING:
    from .compose import Plan, PlannedSection

# Babel locales per notice language: British English, and Swedish as written in Finland.
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def read_wording(lang: str) -> dict[str, Any]:
    """Read templates/<lang>/wording.yaml; a broken file is a fault of the installation."""
    return read_tool_file(TEMPLATES_DIR / lang / "wording.yaml")


@dataclass(frozen=True, repr=False)
class Language:
    """One notice language: its wording, its vocabulary wording and its Babel locale."""

    code: str
    words: dict[str, Any]
    vocabulary: Vocabulary

    def __repr__(self) -> str:
        return f"Language({self.code!r})"

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.code])

    # -- the tool's own words ----------------------------------------------------------------

    def heading(self, layout: str, key: str) -> str:
        return str(self.words["headings"][layout][key])

    def label(self, key: str) -> str:
        return str(self.words["labels"][key])

    def sentence(self, group: str, key: str, **values: Any) -> Markup:
        """A sentence with its {placeholders} filled in; the values are escaped, the wording is ours."""
        return Markup(escape(self.words[group][key])).format(**values)

    def says(self, key: str, **values: Any) -> Markup:
        return self.sentence("sentences", key, **values)

    def labelled(self, key: str, **values: Any) -> Markup:
        return self.sentence("labels", key, **values)

    def document_name(self, register: Any, form: str) -> str:
        """The document's name: the organisation's own (`document_name`), or the form's."""
        if register.document_name is not None:
            return self.text(register.document_name)
        return str(self.words["document"][form])

    def section_heading(self, plan: "Plan", section: "PlannedSection") -> str:
        """A section's heading as the notice prints it, in the contents, above the section and in a
        cross-reference to it: its number when the notice is numbered, then its title."""
        if section.custom_index is not None:
            title = self.text(plan.register.sections[section.custom_index].title)
        else:
            title = self.heading(plan.form, section.key)
        return f"{section.number}. {title}" if section.number else title

    # -- the register's words ----------------------------------------------------------------

    def text(self, value: Text) -> str:
        """A text of the register in this language."""
        return value.get(self.code)

    def term(self, term: Term) -> str:
        """The label of a vocabulary term, such as 'Personal identity code'."""
        return self.vocabulary.wording(term.group, term.key, self.code).label

    def term_text(self, term: Term) -> str:
        """The statutory sentence of a term (legal bases, rights, safeguards), or its label."""
        wording = self.vocabulary.wording(term.group, term.key, self.code)
        return wording.text or wording.label

    def item(self, entry: Any) -> str:
        """The wording of a list entry: its term's label or its own text, with its qualifier."""
        label = self.term(entry.term) if entry.term is not None else self.text(entry.text)
        qualifier = getattr(entry, "qualifier", None)
        return qualified(self.text(qualifier), label) if qualifier is not None else label

    def term_of(self, group: str, key: str) -> Term:
        """A term the tool itself names, such as the right of access."""
        return Term(group=group, key=key)

    def fact(self, term: Term, name: str) -> Any:
        """A fact of a term, such as whether a data category is a special category."""
        return self.vocabulary.fact(term.group, term.key, name)

    @cached_property
    def default_authority(self) -> Contact:
        """The supervisory authority named unless the organisation names another."""
        authority = self.words["supervisory_authority"]
        same = {lang: authority["name"] for lang in LANGUAGES}
        return Contact(
            name=Text(**same),
            address=Text(**{lang: authority["address"] for lang in LANGUAGES}),
            phone=authority["phone"],
            web=authority["web"],
        )

    def items(self, entries: Iterable[Any]) -> str:
        """A list of entries joined the language's way."""
        return self.list(self.item(entry) for entry in entries)

    def article(self, term: Term) -> Markup:
        """A citation of the provision a term stands for, in the language's own form:
        'GDPR Art. 6(1)(b)', 'tietosuoja-asetuksen 6 artiklan 1 kohdan b alakohta',
        'artikel 6.1 b i dataskyddsförordningen'."""
        return self.says(
            "legal_basis_article", article=self.citation(self.vocabulary.fact(term.group, term.key, "article"))
        )

    def citation(self, article: str) -> Markup:
        """Cite '6(1)(b)' as this language cites an article, paragraph and point."""
        number, *rest = re.findall(r"\w+", article)
        form = ("article", "paragraph", "point")[len(rest)]
        return self.sentence(
            "citation", form, article=number, paragraph=rest[0] if rest else "", point=rest[1] if len(rest) > 1 else ""
        )

    # -- Babel -------------------------------------------------------------------------------

    def date(self, value: date) -> str:
        """A date as the language's notices write it (`date_format` in wording.yaml, a Babel pattern):
        1.3.2025 in Finnish and Finland-Swedish usage, 1 March 2025 in British English."""
        return format_date(value, self.words["date_format"], locale=self.locale)

    def list(self, items: Iterable[str]) -> str:
        """Join items the language's way: 'a, b ja c', 'a, b och c', 'a, b and c'."""
        return format_list(list(items), locale=self.locale)

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code, code))

    def countries(self, codes: Iterable[str]) -> str:
        """Country names from ISO codes, each once, joined the language's way."""
        return self.list(self.country(code) for code in dict.fromkeys(codes))

    def destinations(self, transfers: Iterable[Any]) -> str:
        """Where transfers go: country names and international organisations, each once."""
        names = (
            self.country(t.country)
            if t.country
            else str(self.text(t.organisation))
            if t.organisation
            else self.label("destination_unnamed_short")
            for t in transfers
        )
        return self.list(dict.fromkeys(names))

    def language_name(self, code: str) -> str:
        """The name of language `code` in its own language, as a language switcher shows it."""
        return str(Locale.parse(LOCALES[code]).languages[code])


# Where a qualifier marks the item's place: an ellipsis, typed as one character or as three dots.
ITEM_PLACE = ("…", "...")


def qualified(qualifier: str, item: str) -> str:
    """An item with its qualifier: in the place the qualifier marks with "…", the item as written;
    otherwise the qualifier first and the item after it, its capital initial lowered ("possibly bank
    account number"), unless the item opens with an abbreviation ("possibly IBAN")."""
    for mark in ITEM_PLACE:
        if mark in qualifier:
            return qualifier.replace(mark, item, 1)
    lowered = item[0].lower() + item[1:] if item[:1].isupper() and not item[1:2].isupper() else item
    return f"{qualifier} {lowered}"


def languages(vocabulary: Vocabulary) -> dict[str, Language]:
    """Every notice language, bound to `vocabulary` (which may hold the organisation's terms)."""
    wordings = {code: read_wording(code) for code in LANGUAGES}
    check_parity(wordings)
    return {code: Language(code, words, vocabulary) for code, words in wordings.items()}


def check_parity(wordings: dict[str, dict[str, Any]]) -> None:
    """Every language's wording has exactly the keys of the first (Finnish), nested keys included:
    a key missing in one language is found here, named with its file, not half-way through a template."""
    first, *others = wordings
    expected = set(_keys(wordings[first]))
    for code in others:
        found = set(_keys(wordings[code]))
        where = f"templates/{code}/wording.yaml"
        for key in sorted(expected - found):
            raise ToolError(f"{where}: the key {key} is missing; templates/{first}/wording.yaml has it")
        for key in sorted(found - expected):
            raise ToolError(
                f"{where}: the key {key} is not in templates/{first}/wording.yaml; remove it or add it there"
            )


def _keys(node: Any, prefix: str = "") -> Iterable[str]:
    """Every key of a nested mapping, written as a dotted path (labels.contents)."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}{key}"
            yield path
            yield from _keys(value, path + ".")
