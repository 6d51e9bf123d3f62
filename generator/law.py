"""What the law requires of a notice: the rule book `seloste check` applies to valid registers.

Each rule names the article to read, its level (an error must not be published, a warning
should be fixed) and says what is missing or contradictory, located at the value concerned.
The rules themselves live in rules.py; this module holds the facts they reason with and runs
them.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from .errors import Level, Problem
from .facts import LegalFacts, derive, law_on
from .load import FieldPath
from .model import Register
from .validate import ValidRegister
from .values import LAYOUTS

# The EEA: the 27 EU Member States, Iceland, Liechtenstein and Norway.
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO".split())
# Countries with a Commission adequacy decision (Art. 45), as listed by the Commission
# (commission.europa.eu, "Adequacy decisions") when last checked, 2025 (not re-checked since;
# the United Kingdom's decisions carry a sunset clause and Brazil's was in preparation). The
# United States' and Canada's are partial: see facts.PARTIAL_ADEQUACY.
ADEQUATE_CHECKED = date(2025, 1, 1)
ADEQUATE = frozenset("AD AR CA CH FO GB GG IL IM JE JP KR NZ US UY".split())


@dataclass(frozen=True)
class Finding:
    """What a rule found: where, and what to say about it."""

    path: FieldPath
    message: str


@dataclass(frozen=True)
class Rule:
    """One requirement or consistency check, with the article it rests on."""

    id: str
    level: Level
    article: str
    summary: str
    example: str
    check: Callable[["Facts"], Iterable[Finding]]
    layouts: tuple[str, ...] = LAYOUTS  # an extra check of these forms
    law: Literal["gdpr", "hetil", "any"] = "gdpr"  # the law the rule belongs to (any: not a rule of law)


RULES: list[Rule] = []


def rule(
    id: str,
    level: Level,
    article: str,
    summary: str,
    example: str,
    *,
    layouts: tuple[str, ...] = LAYOUTS,
    law: Literal["gdpr", "hetil", "any"] = "gdpr",
) -> Callable[[Callable[["Facts"], Iterable[Finding]]], Callable[["Facts"], Iterable[Finding]]]:
    """Register a rule; `summary` and `example` are what docs/checks.md shows."""

    def register(check: Callable[["Facts"], Iterable[Finding]]) -> Callable[["Facts"], Iterable[Finding]]:
        RULES.append(Rule(id, level, article, summary, example, check, layouts, law))
        return check

    return register


@dataclass
class Facts:
    """What the rules need to know about one register: the law's facts (facts.py), derived once."""

    entry: ValidRegister
    previous: dict[str, Any] | None = None  # the last archived version's content, for the translation guard
    previous_version: date | None = None

    @property
    def register(self) -> Register:
        return self.entry.register

    @cached_property
    def legal(self) -> LegalFacts:
        """The same facts the notice is planned from."""
        return derive(self.register, self.entry.vocabulary)

    @property
    def bases(self) -> set[str]:
        return set(self.legal.bases)

    def fact(self, term: Any, name: str) -> Any:
        return self.entry.vocabulary.fact(term.group, term.key, name) if term is not None else None

    @property
    def from_data_subject(self) -> bool:
        """Art. 13 applies: some data is collected from the data subject."""
        return self.legal.from_data_subject

    @property
    def from_elsewhere(self) -> bool:
        """Art. 14 applies: some data is obtained from someone other than the data subject."""
        return self.legal.from_elsewhere

    def special(self, item: Any) -> bool:
        return bool(item.special or self.fact(item.term, "special"))

    def criminal(self, item: Any) -> bool:
        return bool(item.criminal or self.fact(item.term, "criminal"))

    def direct_marketing(self) -> bool:
        return self.legal.direct_marketing

    def objectable(self) -> bool:
        return self.legal.public_task or self.legal.legitimate_interests

    def where(self, path: FieldPath) -> str:
        """Where the value at `path` was written, as file:line:column, to name it in a message."""
        located = self.entry.problem(path, "")
        return f"{located.file}:{located.line}:{located.column}"

    @cached_property
    def texts(self) -> list[tuple[FieldPath, dict[str, Any]]]:
        """Every text of the register, with its path, as {fi: ..., sv: ..., en: ...}."""
        return list(texts_of(self.entry.dump))


def texts_of(node: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    """Every text ({fi, sv, en}) in a register's JSON form, with its path."""
    if isinstance(node, dict):
        if node and set(node) <= {"fi", "sv", "en"}:
            yield path, node
            return
        for key, value in node.items():
            yield from texts_of(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts_of(value, path + (index,))


def apply(entry: ValidRegister, archive: Path | None = None) -> list[Problem]:
    """Apply every rule to one valid register; `archive` is the archive folder the translation guard reads."""
    from . import rules  # noqa: F401 - importing registers the rules

    facts = Facts(entry, *_previous(entry, archive))
    layout, law = entry.register.layout, law_on(entry.register.version)
    problems = []
    for item in RULES:
        if item.law not in (law, "any") or (law == "gdpr" and layout not in item.layouts):
            continue
        for finding in item.check(facts):
            located = entry.problem(finding.path, f"{finding.message} ({item.article}) [{item.id}]")
            problems.append(
                Problem(located.file, located.line, located.column, located.field, located.message, item.level)
            )
    return problems


def _previous(entry: ValidRegister, archive: Path | None) -> tuple[dict[str, Any] | None, date | None]:
    """The content of the last archived version before this one, if the archive holds it."""
    from .archive import last_content

    found = last_content(archive, entry.register.id, before=entry.register.version)
    return found if found is not None else (None, None)


def rule_book() -> str:
    """Every rule as Markdown: the body of docs/checks.md, kept in step by a test."""
    from . import rules  # noqa: F401 - importing registers the rules

    lines = [
        "# What `seloste check` checks",
        "",
        "Generated by `seloste rules`; do not edit by hand.",
        "",
        "`seloste check` first validates every register against the format (see format.md), then applies",
        "the rules below to every valid register. An **error** must be fixed before publishing: `seloste build`",
        "stops on it. A **warning** should be fixed: `seloste build` prints it and goes on, `seloste check --strict`",
        "fails on it. A message ends with the article to read and the rule's id in brackets.",
        "",
        "The law in force on a version's date decides which rules apply, never the layout. A version dated",
        "25 May 2018 or later (GDPR Art. 99(2)) is held to Art. 13/14 at the same level in every layout; the",
        "classic register description's own items are extra checks of that form. A version dated earlier is a",
        "historic register description under the Personal Data Act (henkilötietolaki 523/1999, repealed from",
        "1 January 2019 by the Data Protection Act 1050/2018) and is checked against section 10 of that Act, not the "
        "GDPR.",
        "",
        "Whether Art. 13 or Art. 14 applies follows from `sources`, which every notice states: a source that is",
        "the data subject brings in Art. 13, any other source Art. 14.",
        "",
        "| rule | level | article | what it requires |",
        "|---|---|---|---|",
    ]
    for item in RULES:
        level = item.level.value
        if item.law == "hetil":
            scope = " Historic register descriptions (dated before 25 May 2018) only."
        elif item.law == "any":
            scope = " Every version, whatever law governs it."
        else:
            scope = "" if set(item.layouts) == set(LAYOUTS) else f" Only the {', '.join(item.layouts)} layout."
        lines.append(f"| `{item.id}` | {level} | {item.article} | {item.summary}{scope} |")
    lines += ["", "## Example messages", ""]
    for item in RULES:
        lines += [
            f"- `{item.id}`:",
            f"  `registers/x.yaml:12:3: {'warning: ' if item.level is Level.WARNING else ''}{item.example} "
            f"({item.article}) [{item.id}]`",
        ]
    return "\n".join(lines) + "\n"
