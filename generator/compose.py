"""Decide what a notice says: which sections, in which order, and which rights apply.

This stage is language-neutral. It reads a validated register and the law's facts about it
(facts.py: which law governs the version, which rights apply and in which words) and returns
a plan the templates render in each language.
"""

import re
from dataclasses import dataclass
from difflib import get_close_matches
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
    # The classic register description in the order of the Personal Data Act's form (HetiL 523/1999
    # 10 §): 1 controller, 2 contact person, 3 name of the register, 4 purpose (and basis), 5 data
    # content with the data subjects, 6 sources, 7 disclosures and transfers, 8 security, 9 rights.
    # What the GDPR added comes after item 9, so "the contact person named in item 2" stays true.
    "register-description": [
        "summary",
        "controller",
        "contact_person",
        "register",
        "purposes",
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
    # A municipality's notice: the controller with the responsible and contact persons and the DPO
    # first, the purpose apart from its basis, the data content with the data subjects, disclosures
    # with transfers, then retention, security and the rights.
    "municipal": [
        "summary",
        "controller",
        "contact_person",
        "dpo",
        "purposes",
        "legal_basis",
        "data_categories",
        "sources",
        "recipients",
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
CLASSIC = ("register-description", "historic", "municipal")
# The forms numbered unless the register says `numbered: false`; the others only on `numbered: true`.
NUMBERED = ("register-description", "historic", "municipal")


# A cross-reference in a Markdown text, by a section's anchor: [[contact-person]] is printed as the
# section's current number and heading ("2. Yhteyshenkilö") and [[#contact-person]] as its number
# alone ("kohdassa 2 mainitulle"), each a link to the section; both follow the notice's own order.
REFERENCE = re.compile(r"\[\[([^\[\]\n]{0,80})\]\]")
REFERENCE_ID = re.compile(r"(#?)([a-z0-9]+(?:-[a-z0-9]+)*)")


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

    def section(self, anchor: str) -> PlannedSection | None:
        """The section of this notice with the anchor `anchor` (a cross-reference's target), if it has one."""
        return next((s for s in self.sections if s.anchor == anchor), None)

    def reference_problem(self, written: str) -> str | None:
        """What is wrong with the cross-reference [[written]] in this notice, or None when it resolves."""
        found = REFERENCE_ID.fullmatch(written)
        target = self.section(found.group(2)) if found else None
        if found is None or target is None:
            anchors = [s.anchor for s in self.sections]
            guess = written.strip().lstrip("#").lower().replace(" ", "-").replace("_", "-")
            close = get_close_matches(guess, anchors, 1)
            hint = f"did you mean [[{close[0]}]]?" if close else "its sections are " + ", ".join(anchors)
            return f"[[{written}]] names no section of this notice; write a section id in double brackets ({hint})"
        if found.group(1) and target.number is None:
            return (
                f"[[{written}]] asks for a section number, but this notice is not numbered; write "
                f"[[{found.group(2)}]] to name the section by its heading, or set numbered: true"
            )
        return None


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
    if facts.form in NUMBERED if register.numbered is None else register.numbered:
        numbered = [s for s in sections if s.key != "summary"]
        sections = [
            s if s.key == "summary" else PlannedSection(s.key, s.anchor, numbered.index(s) + 1, s.custom_index)
            for s in sections
        ]
    return Plan(register, facts, sections)


def _present(register: Register, facts: LegalFacts, key: str) -> bool:
    """Whether the register has anything to say under the standard section `key`."""
    classic = facts.form in CLASSIC
    if key in ("controller", "purposes", "complaint", "register", "legal_basis"):
        return True
    if key == "rights":
        # A historic description states only the rights the register itself names.
        return not facts.historic or bool(facts.rights or register.exercise_rights or register.own_rights)
    if key == "recipients":
        return bool(
            register.recipients
            or register.processors
            or register.publication
            or (classic and register.transfers is not None)
        )
    if key == "transfers":
        return not classic and register.transfers is not None
    if key == "data_categories":
        return bool(register.data_categories or (classic and register.data_subjects))
    if key == "data_subjects":
        return not classic and bool(register.data_subjects)
    if key == "objection":
        return bool(facts.objections)
    if key == "contact_person":
        return bool(register.contact_person or register.contacts)
    if key == "history":
        return bool(register.history)
    if key == "requirement":
        return bool(register.requirement or requirements(register))
    return bool(getattr(register, key))
