"""Decide what a notice says: which sections, in which order, and which rights apply.

This stage is language-neutral. It reads a validated register and the law's facts about it
(facts.py: which law governs the version, which rights apply and in which words) and returns
a plan the templates render in each language.
"""

from dataclasses import dataclass
from typing import Any

from .facts import LegalFacts, derive, erasure_wording, requirements
from .model import ANCHORS, Purpose, Register, short_notice_key
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
    # The classic form's numbering (the contact person item 2, the data subjects within the data
    # content), with what the GDPR added where GDPR-era register descriptions put it: the DPO after
    # the contact person, retention after the purposes, rights, complaint and the rest after security.
    "register-description": [
        "summary",
        "controller",
        "contact_person",
        "dpo",
        "register",
        "purposes",
        "retention",
        "data_categories",
        "sources",
        "recipients",
        "security",
        "rights",
        "objection",
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
    # A register description under the Personal Data Act (HetiL 523/1999 10 §), for versions dated
    # before the GDPR applied: that form's items, and the rights only where the register states them.
    "historic": [
        "controller",
        "contact_person",
        "register",
        "purposes",
        "data_categories",
        "sources",
        "recipients",
        "security",
        "rights",
        CUSTOM,
        "history",
    ],
}
# The forms whose data content holds the data subjects and whose disclosures hold the transfers.
CLASSIC = ("register-description", "historic")


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
    facts: LegalFacts
    sections: list[PlannedSection]

    @property
    def form(self) -> str:
        """The wording set of headings and document name: the layout, or "historic"."""
        return self.facts.form

    @property
    def rights(self) -> tuple[str, ...]:
        return self.facts.rights

    @property
    def objections(self) -> tuple[str, ...]:
        return self.facts.objections

    @property
    def withdraw_consent(self) -> bool:
        return self.facts.withdraw_consent

    @property
    def bases(self) -> tuple[str, ...]:
        return self.facts.bases

    @property
    def transfers_merged(self) -> bool:
        """The classic forms tell transfers with the disclosures (HetiL 10 § 1 mom. 4 k.)."""
        return self.facts.form in CLASSIC

    def right_wording(self, key: str) -> str | None:
        """The wording key (in the right_texts group) of a right whose text depends on the facts."""
        if self.facts.historic:
            return "hetil_" + key
        if key == "erasure":
            return erasure_wording(self.facts)
        if key == "object":
            return "object_" + self.facts.objection_grounds
        return None

    @property
    def requirements(self) -> list[tuple[str, int, Any]]:
        """The requirements stated per purpose or per data category, in the register's order."""
        return requirements(self.register)

    @property
    def short_notices(self) -> dict[str, Purpose]:
        """The purposes that get a short notice, by the short notice's name (empty unless asked for)."""
        if not self.register.short_notices or self.facts.historic:
            return {}
        found: dict[str, Purpose] = {}
        for purpose in self.register.purposes:
            key = short_notice_key(purpose)
            if key is not None:
                found.setdefault(key, purpose)
        return found

    def has(self, key: str) -> bool:
        return any(section.key == key for section in self.sections)

    def anchor(self, key: str) -> str:
        return ANCHORS[key]


def plan(register: Register, vocabulary: Vocabulary) -> Plan:
    """Plan the notice of `register`."""
    facts = derive(register, vocabulary)
    order = ORDER[facts.form]
    present = {key for key in order if key != CUSTOM and _present(register, facts, key)}
    sections: list[PlannedSection] = []
    for key in order:
        if key == CUSTOM:
            sections += [PlannedSection("custom", s.id, custom_index=i) for i, s in enumerate(register.sections)]
        elif key in present:
            sections.append(PlannedSection(key, ANCHORS[key]))
    if register.numbered and facts.form in CLASSIC:
        numbered = [s for s in sections if s.key != "summary"]
        sections = [
            s if s.key == "summary" else PlannedSection(s.key, s.anchor, numbered.index(s) + 1, s.custom_index)
            for s in sections
        ]
    return Plan(register, facts, sections)


def _present(register: Register, facts: LegalFacts, key: str) -> bool:
    """Whether the register has anything to say under the standard section `key`."""
    classic = facts.form in CLASSIC
    if key in ("controller", "purposes", "complaint", "register"):
        return True
    if key == "rights":
        # A historic description states only the rights the register itself names.
        return not facts.historic or bool(facts.rights or register.exercise_rights or register.own_rights)
    if key == "recipients":
        return bool(register.recipients or register.processors or (classic and register.transfers is not None))
    if key == "transfers":
        return not classic and register.transfers is not None
    if key == "data_categories":
        return bool(register.data_categories or (classic and register.data_subjects))
    if key == "data_subjects":
        return not classic and bool(register.data_subjects)
    if key == "objection":
        return bool(facts.objections)
    if key == "history":
        return bool(register.history)
    if key == "requirement":
        return bool(register.requirement or requirements(register))
    return bool(getattr(register, key))
