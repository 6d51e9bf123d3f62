"""What the law requires of a notice: the rule book `seloste check` applies to valid registers.

Each rule names the article to read, its level (an error must not be published, a warning
should be fixed) and says what is missing or contradictory, located at the value concerned.
The rules themselves live in rules.py; this module holds the facts they reason with and runs
them.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from .compose import OBJECTABLE, is_direct_marketing
from .errors import Level, Problem
from .load import FieldPath
from .model import Register
from .validate import ValidRegister

# The EEA: the 27 EU Member States, Iceland, Liechtenstein and Norway.
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO".split())
# Countries with a Commission adequacy decision (Art. 45), as of November 2026. The United States'
# covers organisations certified under the EU-US Data Privacy Framework, Canada's commercial organisations.
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
    layouts: tuple[str, ...] = ("gdpr", "questions", "register-description")
    legacy_level: Level | None = None  # the level for the register-description layout, where it differs

    def level_for(self, layout: str) -> Level:
        return self.legacy_level if layout == "register-description" and self.legacy_level else self.level


RULES: list[Rule] = []


def rule(
    id: str,
    level: Level,
    article: str,
    summary: str,
    example: str,
    *,
    legacy_level: Level | None = None,
    layouts: tuple[str, ...] = ("gdpr", "questions", "register-description"),
) -> Callable[[Callable[["Facts"], Iterable[Finding]]], Callable[["Facts"], Iterable[Finding]]]:
    """Register a rule; `summary` and `example` are what docs/checks.md shows."""

    def register(check: Callable[["Facts"], Iterable[Finding]]) -> Callable[["Facts"], Iterable[Finding]]:
        RULES.append(Rule(id, level, article, summary, example, check, layouts, legacy_level))
        return check

    return register


@dataclass
class Facts:
    """What the rules need to know about one register, derived once."""

    entry: ValidRegister
    previous: dict[str, Any] | None = None  # the last archived version's content, for the translation guard
    previous_version: date | None = None
    bases: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.bases = {p.legal_basis.key for p in self.register.purposes if p.legal_basis}

    @property
    def register(self) -> Register:
        return self.entry.register

    def fact(self, term: Any, name: str) -> Any:
        return self.entry.vocabulary.fact(term.group, term.key, name) if term is not None else None

    @property
    def from_data_subject(self) -> bool:
        """Art. 13 applies: some data is collected from the data subject (or no source says otherwise)."""
        sources = self.register.sources
        return not sources or any(s.data_subject or self.fact(s.term, "data_subject") for s in sources)

    @property
    def from_elsewhere(self) -> bool:
        """Art. 14 applies: some data is obtained from someone other than the data subject."""
        return any(not (s.data_subject or self.fact(s.term, "data_subject")) for s in self.register.sources)

    def special(self, item: Any) -> bool:
        return bool(item.special or self.fact(item.term, "special"))

    def criminal(self, item: Any) -> bool:
        return bool(item.criminal or self.fact(item.term, "criminal"))

    def direct_marketing(self) -> bool:
        return any(is_direct_marketing(p, self.entry.vocabulary) for p in self.register.purposes)

    def objectable(self) -> bool:
        return bool(self.bases & OBJECTABLE)

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


def apply(entry: ValidRegister, output: Path | None = None) -> list[Problem]:
    """Apply every rule to one valid register; `output` holds the archive the translation guard reads."""
    from . import rules  # noqa: F401 - importing registers the rules

    facts = Facts(entry, *_previous(entry, output))
    layout = entry.register.layout
    problems = []
    for item in RULES:
        if layout not in item.layouts:
            continue
        for finding in item.check(facts):
            located = entry.problem(finding.path, f"{finding.message} ({item.article}) [{item.id}]")
            problems.append(
                Problem(
                    located.file, located.line, located.column, located.field, located.message, item.level_for(layout)
                )
            )
    return problems


def _previous(entry: ValidRegister, output: Path | None) -> tuple[dict[str, Any] | None, date | None]:
    """The content of the last archived version before this one, if the archive holds it."""
    from .archive import archived_versions
    from .paths import CONTENT, version_folder

    if output is None:
        return None, None
    register = entry.register
    earlier = [v for v in archived_versions(output, register.id) if v < register.version]
    for version in reversed(earlier):
        path = output / version_folder(register.id, version) / CONTENT
        try:
            return json.loads(path.read_text(encoding="utf-8")), version
        except (OSError, ValueError):
            continue
    return None, None


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
        "Whether Art. 13 or Art. 14 applies follows from `sources`: a source that is the data subject (or no",
        "sources at all) brings in Art. 13, any other source Art. 14. In the `register-description` layout, the",
        "classic form's own requirements are errors and the items the GDPR added are warnings.",
        "",
        "| rule | level | article | what it requires |",
        "|---|---|---|---|",
    ]
    for item in RULES:
        level = item.level.value + (
            f" ({item.legacy_level.value} in register-description)" if item.legacy_level else ""
        )
        scope = "" if len(item.layouts) == 3 else f" Only the {', '.join(item.layouts)} layout."
        lines.append(f"| `{item.id}` | {level} | {item.article} | {item.summary}{scope} |")
    lines += ["", "## Example messages", ""]
    for item in RULES:
        lines += [
            f"- `{item.id}`:",
            f"  `registers/x.yaml:12:3: {'warning: ' if item.level is Level.WARNING else ''}{item.example} "
            f"({item.article}) [{item.id}]`",
        ]
    return "\n".join(lines) + "\n"
