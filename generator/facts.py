"""The law's facts about one register, derived once: the checker and the renderer read the same.

Which law governs a version (by its date, never by its layout), which legal bases are relied
on, which rights the data subject has and in what words (erasure with or without the consent
and objection clauses, objection on legitimate interests or a public task), whether data comes
from the data subject or elsewhere, and what each transfer rests on. rules.py judges a register
by these facts and compose.py plans the notice from them; no template works any of this out.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .model import Register
from .vocabulary import Vocabulary

Law = Literal["gdpr", "hetil"]

# The GDPR applies from 25 May 2018 (Art. 99(2)); from that day a notice informs under Art. 13/14,
# whatever its form. The Personal Data Act (henkilötietolaki 523/1999) was repealed from 1 January
# 2019 by the Data Protection Act (tietosuojalaki 1050/2018, 36 §); between the two dates the GDPR,
# directly applicable, governed what a notice had to say. A version dated before GDPR_APPLIES is a
# historic register description under HetiL 10 §.
GDPR_APPLIES = date(2018, 5, 25)
HETIL_REPEALED = date(2019, 1, 1)

# Bases under which the right to erasure does not apply (Art. 17(3)(b)).
NO_ERASURE = frozenset({"legal_obligation", "public_task"})
PORTABLE = frozenset({"consent", "contract"})  # Art. 20(1)(a)
OBJECTABLE = frozenset({"legitimate_interests", "public_task"})  # Art. 21(1)
OWN_SECTIONS = frozenset({"object", "object_direct_marketing", "complaint"})
# The rights the Personal Data Act gave (26 §, 29 §, 30 §), printed in a historic description
# only when the register states them.
HETIL_RIGHTS = ("access", "rectification", "object_direct_marketing")

# The Art. 22(2) grounds for decisions based solely on automated processing.
DECISION_GROUNDS = {"contract": "22(2)(a)", "law": "22(2)(b)", "explicit_consent": "22(2)(c)"}

# Countries whose adequacy decision covers only some recipients (Art. 45): the United States'
# (Implementing Decision (EU) 2023/1795) covers organisations certified under the EU-US Data
# Privacy Framework, Canada's (Decision 2002/2/EC) commercial organisations subject to PIPEDA.
PARTIAL_ADEQUACY = {"US": "adequacy_us", "CA": "adequacy_ca"}


def law_on(version: date) -> Law:
    """The law that governed a notice taking effect on `version`."""
    return "gdpr" if version >= GDPR_APPLIES else "hetil"


@dataclass(frozen=True)
class LegalFacts:
    """What the law makes of one register. Built once by `derive`; read by the rules and the notice."""

    law: Law
    form: str  # the wording set: the layout, or "historic" for a description under HetiL 10 §
    bases: tuple[str, ...]  # the Art. 6(1) bases relied on, in the order of the purposes
    consent: bool  # some purpose rests on consent, 6(1)(a) or 9(2)(a)
    public_task: bool  # some purpose rests on 6(1)(e)
    legitimate_interests: bool  # some purpose rests on 6(1)(f)
    direct_marketing: bool
    profiling: bool  # some purpose involves profiling (Art. 4(4)), so Art. 13(2)(f) and 21 speak of it
    automated: bool  # the data is processed by automated means (Art. 20(1)(b))
    decisions: bool  # decisions based solely on automated processing are made (Art. 22)
    decision_safeguards: bool  # the 22(3) rights are stated: decisions on a contract or explicit consent
    special: bool  # special categories of data (Art. 9)
    criminal: bool  # data on criminal convictions and offences (Art. 10)
    from_data_subject: bool  # Art. 13 applies
    from_elsewhere: bool  # Art. 14 applies
    no_transfers: bool  # the register declares that no data leaves the EEA (transfers: none)
    transfers_conditional: bool  # every transfer listed happens only in the case it names (when:)
    applicable: tuple[str, ...]  # the rights the law gives under these facts, in the rights list's order
    rights: tuple[str, ...]  # the rights the notice lists (the register's own list, where it gives one)
    objections: tuple[str, ...]  # the rights to object, stated apart (Art. 21(4))
    withdraw_consent: bool  # the right to withdraw consent is stated with the rights
    erasure_clauses: tuple[str, ...]  # consent and/or objection: the Art. 17(1)(b)/(c) grounds that exist
    objection_grounds: str  # legitimate_interests, public_task or both: what Art. 21(1) is stated against
    transfer_notes: tuple[str | None, ...]  # per transfer: the sentence on a partial adequacy decision, if any

    @property
    def historic(self) -> bool:
        return self.law == "hetil"


def derive(register: Register, vocabulary: Vocabulary) -> LegalFacts:
    """Work out the law's facts about `register` once."""
    law = law_on(register.version)

    def fact(term: Any, name: str) -> Any:
        return vocabulary.fact(term.group, term.key, name) if term is not None else None

    bases = tuple(dict.fromkeys(p.legal_basis.key for p in register.purposes if p.legal_basis))
    consent = "consent" in bases or any(
        p.special_category_condition and p.special_category_condition.key == "explicit_consent"
        for p in register.purposes
    )
    direct_marketing = any(is_direct_marketing(p, vocabulary) for p in register.purposes)
    decisions = bool(register.automated_decisions and register.automated_decisions.used)
    sources = register.sources
    from_subject = [
        bool(s.data_subject if s.data_subject is not None else fact(s.term, "data_subject")) for s in sources
    ]
    public_task, interests = "public_task" in bases, "legitimate_interests" in bases

    applicable = ["access", "rectification"]
    if not bases or set(bases) - NO_ERASURE:
        applicable.append("erasure")
    applicable.append("restriction")
    if set(bases) & PORTABLE and register.automated_processing:
        applicable.append("portability")
    objections = ["object"] if set(bases) & OBJECTABLE else []
    if direct_marketing:
        objections.append("object_direct_marketing")

    if law == "hetil":
        listed = [t.key for t in register.rights or []]
        rights, objections, withdraw = [r for r in HETIL_RIGHTS if r in listed], [], False
        applicable = list(rights)
    elif register.rights is not None:
        listed = [t.key for t in register.rights]
        rights = [r for r in listed if r not in OWN_SECTIONS]
        objections = [r for r in listed if r in ("object", "object_direct_marketing")]
        withdraw = "withdraw_consent" in rights
        rights = [r for r in rights if r != "withdraw_consent"]
    else:
        rights, withdraw = list(applicable), consent

    clauses = tuple(c for c, present in (("consent", consent), ("objection", bool(objections))) if present)
    grounds = "both" if public_task and interests else "public_task" if public_task else "legitimate_interests"
    return LegalFacts(
        law=law,
        form="historic" if law == "hetil" else register.layout,
        bases=bases,
        consent=consent,
        public_task=public_task,
        legitimate_interests=interests,
        direct_marketing=direct_marketing,
        profiling=any(is_profiling(p, vocabulary) for p in register.purposes),
        automated=register.automated_processing,
        decisions=decisions,
        decision_safeguards=decisions
        and register.automated_decisions is not None
        and register.automated_decisions.ground in ("contract", "explicit_consent"),
        special=any(bool(c.special or fact(c.term, "special")) for c in register.data_categories),
        criminal=any(bool(c.criminal or fact(c.term, "criminal")) for c in register.data_categories),
        from_data_subject=any(from_subject),
        from_elsewhere=not all(from_subject),
        no_transfers=register.transfers == [],
        transfers_conditional=bool(register.transfers) and all(t.when is not None for t in register.transfers or []),
        applicable=tuple(applicable),
        rights=tuple(rights),
        objections=tuple(objections),
        withdraw_consent=withdraw,
        erasure_clauses=clauses,
        objection_grounds=grounds,
        transfer_notes=tuple(
            PARTIAL_ADEQUACY.get(t.country) if t.country and fact(t.safeguard, "adequacy") else None
            for t in register.transfers or []
        ),
    )


def is_direct_marketing(purpose: object, vocabulary: Vocabulary) -> bool:
    """Whether a purpose is direct marketing: as the register says, or as its term says."""
    flag = getattr(purpose, "direct_marketing", None)
    if flag is not None:
        return bool(flag)
    term = getattr(purpose, "term", None)
    return bool(term and vocabulary.fact(term.group, term.key, "direct_marketing", False))


def is_profiling(purpose: object, vocabulary: Vocabulary) -> bool:
    """Whether a purpose involves profiling: as the register says, or as its term says."""
    flag = getattr(purpose, "profiling", None)
    if flag is not None:
        return bool(flag)
    term = getattr(purpose, "term", None)
    return bool(term and vocabulary.fact(term.group, term.key, "profiling", False))


def requirements(register: Register) -> list[tuple[str, int, Any]]:
    """The Art. 13(2)(e) statements given per purpose or per data category: (list, index, requirement)."""
    return [
        (group, i, item.requirement)
        for group in ("purposes", "data_categories")
        for i, item in enumerate(getattr(register, group))
        if item.requirement is not None
    ]


def erasure_wording(facts: LegalFacts) -> str:
    """The wording key of the right to erasure: which Art. 17(1) grounds the notice names."""
    return "erasure_" + ("_".join(facts.erasure_clauses) or "plain")
