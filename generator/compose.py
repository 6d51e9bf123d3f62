"""Decide what a notice says: which sections, in which order, and which rights apply.

This stage is language-neutral. It reads a validated register and the law's logic (which
rights follow from which legal bases, when the right to object must stand apart) and
returns a plan the templates render in each language.
"""

from dataclasses import dataclass

from .model import ANCHORS, Register
from .vocabulary import Vocabulary

CUSTOM = "custom"  # where a layout places the register's own sections

ORDER = {
    "gdpr": [
        "summary",
        "controller",
        "dpo",
        "purposes",
        "data_subjects",
        "data_categories",
        "sources",
        "recipients",
        "transfers",
        "retention",
        "rights",
        "objection",
        "complaint",
        "requirement",
        "automated_decisions",
        "security",
        CUSTOM,
        "history",
    ],
    # The classic form's nine items first (HetiL 10 §), then what the GDPR added.
    "register-description": [
        "summary",
        "controller",
        "register",
        "purposes",
        "data_subjects",
        "data_categories",
        "sources",
        "recipients",
        "security",
        "rights",
        "objection",
        "dpo",
        "retention",
        "complaint",
        "requirement",
        "automated_decisions",
        CUSTOM,
        "history",
    ],
    "questions": [
        "summary",
        "controller",
        "dpo",
        "data_subjects",
        "data_categories",
        "sources",
        "purposes",
        "recipients",
        "transfers",
        "retention",
        "security",
        "rights",
        "objection",
        "complaint",
        "requirement",
        "automated_decisions",
        CUSTOM,
        "history",
    ],
}

# Bases under which the right to erasure does not apply (Art. 17(3)(b)).
NO_ERASURE = {"legal_obligation", "public_task"}
PORTABLE = {"consent", "contract"}  # Art. 20(1)(a)
OBJECTABLE = {"legitimate_interests", "public_task"}  # Art. 21(1)
OWN_SECTIONS = {"object", "object_direct_marketing", "complaint"}


@dataclass(frozen=True)
class PlannedSection:
    """One section of a notice: what it holds, its anchor, and its number when numbered."""

    key: str
    anchor: str
    number: int | None = None
    custom_index: int | None = None  # position in register.sections for the register's own sections


@dataclass(frozen=True)
class Plan:
    """What one register's notice says, before it is put into words."""

    register: Register
    sections: list[PlannedSection]
    rights: list[str]
    objections: list[str]
    withdraw_consent: bool
    bases: list[str]
    transfers_merged: bool  # register-description: transfers are told with disclosures

    def has(self, key: str) -> bool:
        return any(section.key == key for section in self.sections)

    def anchor(self, key: str) -> str:
        return ANCHORS[key]


def plan(register: Register, vocabulary: Vocabulary) -> Plan:
    """Plan the notice of `register`."""
    bases = list(dict.fromkeys(p.legal_basis.key for p in register.purposes if p.legal_basis))
    rights, objections = _rights(register, vocabulary, set(bases))
    consent = register.rights is None and (
        "consent" in bases
        or any(
            p.special_category_condition and p.special_category_condition.key == "explicit_consent"
            for p in register.purposes
        )
    )
    merged = register.layout == "register-description"
    present = {key for key in ORDER[register.layout] if key != CUSTOM and _present(register, key, merged, objections)}
    sections: list[PlannedSection] = []
    for key in ORDER[register.layout]:
        if key == CUSTOM:
            sections += [PlannedSection("custom", s.id, custom_index=i) for i, s in enumerate(register.sections)]
        elif key in present:
            sections.append(PlannedSection(key, ANCHORS[key]))
    if register.numbered and register.layout == "register-description":
        numbered = [s for s in sections if s.key != "summary"]
        sections = [
            s if s.key == "summary" else PlannedSection(s.key, s.anchor, numbered.index(s) + 1, s.custom_index)
            for s in sections
        ]
    return Plan(register, sections, rights, objections, consent, bases, merged)


def _present(register: Register, key: str, merged: bool, objections: list[str]) -> bool:
    """Whether the register has anything to say under the standard section `key`."""
    if key in ("controller", "purposes", "rights", "complaint", "register"):
        return True
    if key == "recipients":
        return bool(register.recipients or register.processors or (merged and register.transfers is not None))
    if key == "transfers":
        return not merged
    if key == "objection":
        return bool(objections)
    if key == "history":
        return bool(register.history)
    return bool(getattr(register, key))


def _rights(register: Register, vocabulary: Vocabulary, bases: set[str]) -> tuple[list[str], list[str]]:
    """The rights to state and, separately (Art. 21(4)), the rights to object."""
    if register.rights is not None:
        listed = [term.key for term in register.rights]
        return [r for r in listed if r not in OWN_SECTIONS], [
            r for r in listed if r in ("object", "object_direct_marketing")
        ]
    rights = ["access", "rectification"]
    if not bases or bases - NO_ERASURE:
        rights.append("erasure")
    rights.append("restriction")
    if bases & PORTABLE:
        rights.append("portability")
    if register.automated_decisions and register.automated_decisions.used:
        rights.append("automated_decisions")
    objections = []
    if bases & OBJECTABLE:
        objections.append("object")
    if any(is_direct_marketing(p, vocabulary) for p in register.purposes):
        objections.append("object_direct_marketing")
    return rights, objections


def is_direct_marketing(purpose: object, vocabulary: Vocabulary) -> bool:
    """Whether a purpose is direct marketing: as the register says, or as its term says."""
    flag = getattr(purpose, "direct_marketing", None)
    if flag is not None:
        return bool(flag)
    term = getattr(purpose, "term", None)
    return bool(term and vocabulary.fact(term.group, term.key, "direct_marketing", False))
