"""The vocabulary: statutory and common terms by key, with their wording in each language.

The shipped terms come from generator/vocabulary.yaml (keys and facts) and
templates/<lang>/terms.yaml (wording, owned by a lawyer of each language). An organisation
adds its own terms in registers/_vocabulary.yaml, to the groups that allow it.
"""

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Problem, ToolError
from .load import LoadedFile, load_file
from .messages import translate
from .values import LANGUAGES, TERM_KEY, Flag, Frozen, Plain, did_you_mean

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR.parent / "templates"
FACTS_FILE = PACKAGE_DIR / "vocabulary.yaml"

# The facts an organisation may give its own terms, by group; other groups take wording only.
ORGANISATION_FACTS = {
    "data_categories": {"special", "criminal"},
    "sources": {"data_subject", "public"},
    "purposes": {"direct_marketing", "profiling"},
}


@dataclass(frozen=True)
class Wording:
    """How one language words a term: a short label, and for statutory terms a full sentence."""

    label: str
    text: str | None = None


@dataclass
class TermInfo:
    """One term: the facts the tool reasons with and its wording per language."""

    facts: dict[str, Any] = field(default_factory=dict)
    wording: dict[str, Wording] = field(default_factory=dict)
    shipped: bool = True


@dataclass
class Vocabulary:
    """Every term a register may name, by group and key."""

    groups: dict[str, dict[str, TermInfo]]
    extensible: set[str]

    def has(self, group: str, key: str) -> bool:
        return key in self.groups.get(group, {})

    def keys(self, group: str) -> list[str]:
        return list(self.groups.get(group, {}))

    def has_wording(self, group: str, key: str, lang: str) -> bool:
        return lang in self.groups[group][key].wording

    def wording(self, group: str, key: str, lang: str) -> Wording:
        """The wording of a term in `lang`; validation has made sure it exists."""
        return self.groups[group][key].wording[lang]

    def fact(self, group: str, key: str, name: str, default: Any = None) -> Any:
        return self.groups[group][key].facts.get(name, default)


def load_shipped() -> Vocabulary:
    """Read the shipped vocabulary; a broken one is a fault of the installation (ToolError)."""
    facts = read_tool_file(FACTS_FILE)
    groups: dict[str, dict[str, TermInfo]] = {}
    extensible: set[str] = set()
    for group, spec in facts.items():
        groups[group] = {key: TermInfo(facts=_facts(term_facts)) for key, term_facts in spec["terms"].items()}
        if spec.get("extensible") == "true":
            extensible.add(group)
    for lang in LANGUAGES:
        _add_wording(groups, lang, read_tool_file(TEMPLATES_DIR / lang / "terms.yaml"))
    return Vocabulary(groups=groups, extensible=extensible)


def _facts(raw: Any) -> dict[str, Any]:
    """Facts are read as typed; the shipped file writes flags as true/false."""
    return {name: {"true": True, "false": False}.get(value, value) for name, value in (raw or {}).items()}


# The shipped files as last read, by path, with the modification time and size they had then: a
# build asks for the vocabulary and the wording again for every notice it renders, and reading
# them is most of the cost of a small build. A file changed since (an edited installation, under
# `seloste serve`) is read again.
_SHIPPED: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def read_tool_file(path: Path) -> dict[str, Any]:
    """A shipped file's mapping, read once while it is unchanged; each caller gets its own copy.
    A broken file is a fault of the installation (ToolError)."""
    try:
        stat = path.stat()
        stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None  # load_file says what is wrong with it
    cached = _SHIPPED.get(path)
    if cached is None or stamp is None or cached[0] != stamp:
        loaded = load_file(path)
        if loaded.problems or not isinstance(loaded.data, dict):
            details = "; ".join(str(p) for p in loaded.problems) or "not a mapping"
            raise ToolError(f"the shipped file {path} is broken: {details}")
        cached = (stamp or (0, 0), loaded.data)
        if stamp is not None:
            _SHIPPED[path] = cached
    return copy.deepcopy(cached[1])


def _add_wording(groups: dict[str, dict[str, TermInfo]], lang: str, terms: dict[str, Any]) -> None:
    """Attach one language's wording, insisting that it covers exactly the shipped keys."""
    where = f"templates/{lang}/terms.yaml"
    if set(terms) != set(groups):
        raise ToolError(f"{where} must have exactly the groups of generator/vocabulary.yaml")
    for group, entries in terms.items():
        if set(entries) != set(groups[group]):
            differ = sorted(set(entries) ^ set(groups[group]))
            raise ToolError(f"{where}: group '{group}' does not match generator/vocabulary.yaml: {', '.join(differ)}")
        for key, value in entries.items():
            if isinstance(value, dict):
                groups[group][key].wording[lang] = Wording(label=value["label"], text=value.get("text"))
            else:
                groups[group][key].wording[lang] = Wording(label=str(value))


class OrganisationTerm(Frozen):
    """A term of the organisation's own: its wording in each language and, for some groups, facts."""

    fi: Plain | None = None
    sv: Plain | None = None
    en: Plain | None = None
    special: Flag | None = None
    criminal: Flag | None = None
    data_subject: Flag | None = None
    public: Flag | None = None
    direct_marketing: Flag | None = None
    profiling: Flag | None = None


def extend(vocabulary: Vocabulary, loaded: LoadedFile) -> list[Problem]:
    """Add the organisation's terms from registers/_vocabulary.yaml; return the problems found."""
    problems: list[Problem] = []
    data = loaded.data if isinstance(loaded.data, dict) else {}
    for group, entries in data.items():
        if group not in vocabulary.groups:
            problems.append(
                loaded.problem(
                    (group,),
                    f"unknown vocabulary group '{group}'{did_you_mean(group, vocabulary.extensible)}",
                    key=True,
                )
            )
            continue
        if group not in vocabulary.extensible:
            problems.append(
                loaded.problem(
                    (group,),
                    f"the group '{group}' is fixed by law and cannot be extended; "
                    f"extensible groups: {', '.join(sorted(vocabulary.extensible))}",
                    key=True,
                )
            )
            continue
        if not isinstance(entries, dict):
            problems.append(loaded.problem((group,), "expected a mapping of term keys to their wording"))
            continue
        for key, spec in entries.items():
            problems += _add_organisation_term(vocabulary, loaded, group, key, spec)
    return problems


def _add_organisation_term(
    vocabulary: Vocabulary, loaded: LoadedFile, group: str, key: str, spec: Any
) -> list[Problem]:
    path = (group, key)
    if not TERM_KEY.fullmatch(key):
        return [
            loaded.problem(path, f"'{key}' is not a term key; use lower-case letters, digits and underscores", key=True)
        ]
    if vocabulary.has(group, key):
        return [loaded.problem(path, f"'{key}' is already a shipped term of '{group}'; choose another key", key=True)]
    if isinstance(spec, dict):
        unknown = set(spec) - set(LANGUAGES) - ORGANISATION_FACTS.get(group, set())
        if unknown:
            name = sorted(unknown)[0]
            return [loaded.problem(path + (name,), f"'{name}' cannot be given for a term of '{group}'", key=True)]
    try:
        term = OrganisationTerm.model_validate(spec)
    except ValidationError as e:
        return translate(e, loaded, path, OrganisationTerm)
    wording = {lang: Wording(label=getattr(term, lang)) for lang in LANGUAGES if getattr(term, lang)}
    if not wording:
        return [loaded.problem(path, "give the term's wording in at least one language: {fi: ..., sv: ..., en: ...}")]
    facts = {
        name: getattr(term, name) for name in ORGANISATION_FACTS.get(group, set()) if getattr(term, name) is not None
    }
    vocabulary.groups[group][key] = TermInfo(facts=facts, wording=wording, shipped=False)
    return []
