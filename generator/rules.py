"""The rules `seloste check` applies: GDPR Art. 13/14 completeness, consistency, language parity.

A rule is a small function that yields a Finding for each problem, registered with its id,
level, article and the law it belongs to. The law in force on the version's date decides
which rules apply (law.apply), never the layout: a GDPR-era notice is held to Art. 13/14 at
the same level in every form, and the classic register description's own items are extra
checks of that form. A version dated before the GDPR applied is a historic register
description, checked against section 10 of the Personal Data Act (rules marked law="hetil").
"""

import re
from collections.abc import Iterator
from typing import Any

from .compose import REFERENCE, plan
from .errors import Level
from .facts import PARTIAL_ADEQUACY, requirements
from .law import ADEQUATE, EEA, Facts, Finding, rule, texts_of
from .model import short_notice_key
from .values import Markdown

E, W = Level.ERROR, Level.WARNING
GDPR_LAYOUTS = ("gdpr", "questions")
LEGACY = ("register-description",)
HETIL = "HetiL (523/1999, kumottu) 10 § 1 mom."

# -- completeness: Art. 13 and 14 ------------------------------------------------------------------


@rule(
    "controller-contact",
    E,
    "Art. 13(1)(a), 14(1)(a)",
    "The controller's contact details are given.",
    "controller: the controller's contact details are missing; give an address, e-mail or phone",
)
def controller_contact(f: Facts) -> Iterator[Finding]:
    c = f.register.controller
    if not (c.address or c.email or c.phone or c.web):
        yield Finding(("controller",), "the controller's contact details are missing; give an address, e-mail or phone")


@rule(
    "dpo-required",
    E,
    "Art. 37(1)(a), 13(1)(b)",
    "A public authority names its data protection officer.",
    "dpo: a public authority must designate a data protection officer; give the DPO's contact details",
)
def dpo_required(f: Facts) -> Iterator[Finding]:
    if f.register.public_authority and f.register.dpo is None:
        yield Finding(
            ("dpo",), "a public authority must designate a data protection officer; give the DPO's contact details"
        )


@rule(
    "dpo-contact",
    E,
    "Art. 13(1)(b), 14(1)(b)",
    "A data protection officer named in the notice can be reached.",
    "dpo: the data protection officer's contact details are missing",
)
def dpo_contact(f: Facts) -> Iterator[Finding]:
    d = f.register.dpo
    if d is not None and not (d.email or d.phone or d.address or d.web):
        yield Finding(("dpo",), "the data protection officer's contact details are missing")


@rule(
    "legal-basis",
    E,
    "Art. 13(1)(c), 14(1)(c)",
    "Every purpose states its legal basis.",
    "purposes[0].legal_basis: the legal basis of this purpose is missing",
)
def legal_basis(f: Facts) -> Iterator[Finding]:
    for i, p in enumerate(f.register.purposes):
        if p.legal_basis is None:
            yield Finding(("purposes", i, "legal_basis"), "the legal basis of this purpose is missing")


@rule(
    "legitimate-interests",
    E,
    "Art. 13(1)(d), 14(2)(b)",
    "A purpose resting on legitimate interests says what the interests are.",
    "purposes[1].legitimate_interests: the basis is legitimate interests, but the interests are not described",
)
def legitimate_interests(f: Facts) -> Iterator[Finding]:
    for i, p in enumerate(f.register.purposes):
        if p.legal_basis and p.legal_basis.key == "legitimate_interests" and not p.legitimate_interests:
            yield Finding(
                ("purposes", i, "legitimate_interests"),
                "the basis is legitimate interests, but the interests are not described",
            )


@rule(
    "data-categories",
    E,
    "Art. 14(1)(d)",
    "Data obtained from others than the data subject: its categories are listed.",
    "data_categories: data is obtained from other sources than the data subject, so its categories must be listed",
)
def data_categories(f: Facts) -> Iterator[Finding]:
    if f.from_elsewhere and not f.register.data_categories:
        yield Finding(
            ("data_categories",),
            "data is obtained from other sources than the data subject, so its categories must be listed",
        )


SOURCES_MISSING = (
    "the sources of the data are not stated; list them (data_subject where the data comes from the data "
    "subject), as they decide whether Art. 13 or Art. 14 applies"
)


@rule(
    "sources",
    E,
    "Art. 13, 14(2)(f)",
    "The sources of the data are stated: they decide whether Art. 13 or Art. 14 applies.",
    f"sources: {SOURCES_MISSING}",
)
def sources(f: Facts) -> Iterator[Finding]:
    if not f.register.sources:
        yield Finding(("sources",), SOURCES_MISSING)


TRANSFERS_MISSING = "say whether data is transferred outside the EEA: list the transfers, or write transfers: none"


@rule(
    "transfers-stated",
    E,
    "Art. 13(1)(f), 14(1)(f)",
    "The notice says whether data is transferred outside the EEA (transfers: none when it is not).",
    f"transfers: {TRANSFERS_MISSING}",
)
def transfers_stated(f: Facts) -> Iterator[Finding]:
    if f.register.transfers is None:
        yield Finding(("transfers",), TRANSFERS_MISSING)


@rule(
    "transfer-copy",
    E,
    "Art. 13(1)(f), 14(1)(f)",
    "A transfer on safeguards (Art. 46/47) says where a copy of them can be obtained.",
    "transfers[0].safeguard_copy: say where or how a copy of the safeguards can be obtained",
)
def transfer_copy(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        if f.fact(t.safeguard, "needs_copy") and not t.safeguard_copy:
            yield Finding(
                ("transfers", i, "safeguard_copy"), "say where or how a copy of the safeguards can be obtained"
            )


@rule(
    "retention",
    E,
    "Art. 13(2)(a), 14(2)(a)",
    "The retention period, or the criteria that decide it, is stated.",
    "retention: the retention period, or the criteria used to decide it, is missing",
)
def retention(f: Facts) -> Iterator[Finding]:
    if not f.register.retention:
        yield Finding(("retention",), "the retention period, or the criteria used to decide it, is missing")


def _listed(f: Facts) -> set[str]:
    return {t.key for t in f.register.rights or []}


@rule(
    "rights-stated",
    E,
    "Art. 13(2)(b), 14(2)(c)",
    "Where rights are listed by hand, every right that applies is listed.",
    "rights: the right to erasure (Art. 17) applies but is not listed",
)
def rights_stated(f: Facts) -> Iterator[Finding]:
    if f.register.rights is None:
        return  # the notice derives them from the legal bases
    articles = {"access": "15", "rectification": "16", "erasure": "17", "restriction": "18", "portability": "20"}
    required = {right: articles[right] for right in f.legal.applicable}
    if f.objectable():
        required["object"] = "21(1)"
    if f.direct_marketing():
        required["object_direct_marketing"] = "21(2)"
    for right, article in required.items():
        if right not in _listed(f):
            yield Finding(("rights",), f"the right '{right}' (Art. {article}) applies but is not listed")


@rule(
    "consent-withdrawal",
    E,
    "Art. 13(2)(c), 14(2)(d)",
    "Processing on consent states the right to withdraw it.",
    "rights: processing rests on consent, but the right to withdraw consent is not listed",
)
def consent_withdrawal(f: Facts) -> Iterator[Finding]:
    if f.legal.consent and f.register.rights is not None and "withdraw_consent" not in _listed(f):
        yield Finding(("rights",), "processing rests on consent, but the right to withdraw consent is not listed")


@rule(
    "consent-how",
    W,
    "Art. 7(3)",
    "Processing on consent says how consent is withdrawn (as easily as it was given).",
    "consent_withdrawal: processing rests on consent; say how consent is withdrawn",
)
def consent_how(f: Facts) -> Iterator[Finding]:
    if "consent" in f.bases and not f.register.consent_withdrawal:
        yield Finding(("consent_withdrawal",), "processing rests on consent; say how consent is withdrawn")


@rule(
    "exercise-rights",
    W,
    "Art. 12(2)",
    "The notice says how and where to exercise the rights.",
    "exercise_rights: say how and where the data subject exercises the rights",
)
def exercise_rights(f: Facts) -> Iterator[Finding]:
    if not f.register.exercise_rights:
        yield Finding(("exercise_rights",), "say how and where the data subject exercises the rights")


@rule(
    "requirement",
    E,
    "Art. 13(2)(e)",
    "Data collected from the data subject: whether providing it is required, and what follows if not; for the "
    "whole register, or for every purpose, or for every category of data.",
    "requirement: data is collected from the data subject, so say whether providing it is required and what follows if "
    "not",
)
def requirement(f: Facts) -> Iterator[Finding]:
    if not f.from_data_subject or f.register.requirement is not None:
        return
    stated = requirements(f.register)
    groups = [g for g in ("purposes", "data_categories") if getattr(f.register, g)]
    if any(all(item.requirement for item in getattr(f.register, g)) for g in groups):
        return  # every purpose, or every category of data, states its own
    if not stated:
        yield Finding(
            ("requirement",),
            "data is collected from the data subject, so say whether providing it is required and what follows if not",
        )
        return
    # Some items state it: name the others of the same list, or the register-level statement that covers them.
    group = stated[0][0]
    for i, item in enumerate(getattr(f.register, group)):
        if item.requirement is None:
            yield Finding(
                (group, i, "requirement"),
                f"other {'purposes' if group == 'purposes' else 'categories of data'} say whether providing the data "
                "is required; say it for this one too, or give requirement for the whole register",
            )


@rule(
    "requirement-consequences",
    W,
    "Art. 13(2)(e)",
    "A statutory or contractual requirement names the consequences of not providing the data.",
    "requirement.consequences: say what follows if the data is not provided",
)
def requirement_consequences(f: Facts) -> Iterator[Finding]:
    stated: list[tuple[tuple[Any, ...], Any]] = [(("requirement",), f.register.requirement)]
    stated += [((group, i, "requirement"), r) for group, i, r in requirements(f.register)]
    for path, r in stated:
        if r is not None and r.kind.key != "voluntary" and not r.consequences:
            yield Finding((*path, "consequences"), "say what follows if the data is not provided")


@rule(
    "automated-decisions",
    W,
    "Art. 13(2)(f), 14(2)(g)",
    "The notice says whether automated decisions are made (good practice even when none are; WP251rev.01).",
    "automated_decisions: say whether decisions are made by automated means alone (used: false if none)",
)
def automated_decisions(f: Facts) -> Iterator[Finding]:
    if f.register.automated_decisions is None:
        yield Finding(
            ("automated_decisions",), "say whether decisions are made by automated means alone (used: false if none)"
        )


@rule(
    "automated-logic",
    E,
    "Art. 13(2)(f), 14(2)(g)",
    "Automated decisions: the logic involved and the consequences are described.",
    "automated_decisions.logic: automated decisions are made; describe the logic involved",
)
def automated_logic(f: Facts) -> Iterator[Finding]:
    a = f.register.automated_decisions
    if a is not None and a.used:
        if not a.logic:
            yield Finding(("automated_decisions", "logic"), "automated decisions are made; describe the logic involved")
        if not a.significance:
            yield Finding(
                ("automated_decisions", "significance"),
                "automated decisions are made; describe their significance and consequences",
            )


@rule(
    "automated-ground",
    E,
    "Art. 22(2)-(4)",
    "Automated decisions name the Art. 22(2) ground that allows them (contract, a named law or explicit consent); "
    "on special categories of data only with explicit consent or a law of substantial public interest.",
    "automated_decisions.ground: automated decisions are made; name their Art. 22(2) ground: contract, "
    "law or explicit_consent",
)
def automated_ground(f: Facts) -> Iterator[Finding]:
    a = f.register.automated_decisions
    if a is None or not a.used:
        return
    if a.ground is None:
        yield Finding(
            ("automated_decisions", "ground"),
            "automated decisions are made; name their Art. 22(2) ground: contract, law or explicit_consent",
        )
    elif a.ground == "law" and not a.laws:
        yield Finding(("automated_decisions", "laws"), "the ground is law; name the law that authorises the decisions")
    conditions = {p.special_category_condition.key for p in f.register.purposes if p.special_category_condition}
    if f.legal.special and not conditions & {"explicit_consent", "substantial_public_interest"}:
        yield Finding(
            ("automated_decisions",),
            "special categories of data are processed and automated decisions are made; that needs explicit "
            "consent (9(2)(a)) or substantial public interest under law (9(2)(g)) on the purposes (Art. 22(4))",
        )


# -- the classic register description form (an extra check of that layout in a GDPR-era notice) -----


@rule(
    "legacy-content",
    W,
    f"the classic form, after {HETIL} 3 k.",
    "A register description describes the data subjects and their data.",
    "data_categories: a register description lists the groups of data subjects and their data",
    layouts=LEGACY,
)
def legacy_content(f: Facts) -> Iterator[Finding]:
    if not f.register.data_categories and not f.register.data_subjects:
        yield Finding(("data_categories",), "a register description lists the groups of data subjects and their data")


@rule(
    "legacy-security",
    W,
    f"the classic form, after {HETIL} 5 k.",
    "A register description describes the principles of protecting the register.",
    "security: a register description describes the principles of protecting the register",
    layouts=LEGACY,
)
def legacy_security(f: Facts) -> Iterator[Finding]:
    if f.register.security is None:
        yield Finding(("security",), "a register description describes the principles of protecting the register")


# -- a historic register description (a version dated before 25 May 2018): HetiL 10 § ----------------


@rule(
    "hetil-controller",
    E,
    f"{HETIL} 1 k.",
    "A historic register description gives the controller's contact details.",
    "controller: the controller's contact details are missing; give an address, e-mail or phone",
    law="hetil",
)
def hetil_controller(f: Facts) -> Iterator[Finding]:
    yield from controller_contact(f)


@rule(
    "hetil-content",
    E,
    f"{HETIL} 3 k.",
    "A historic register description describes the groups of data subjects and their data.",
    "data_categories: describe the groups of data subjects and the data on them",
    law="hetil",
)
def hetil_content(f: Facts) -> Iterator[Finding]:
    if not f.register.data_subjects:
        yield Finding(("data_subjects",), "describe the groups of data subjects whose data the register holds")
    if not f.register.data_categories:
        yield Finding(("data_categories",), "describe the data on the data subjects (data_categories)")


@rule(
    "hetil-transfers",
    E,
    f"{HETIL} 4 k.",
    "A historic register description says whether data is transferred outside the EU or the EEA.",
    "transfers: say whether data is transferred outside the EU or the EEA: list the transfers, or write "
    "transfers: none",
    law="hetil",
)
def hetil_transfers(f: Facts) -> Iterator[Finding]:
    if f.register.transfers is None:
        yield Finding(
            ("transfers",),
            "say whether data is transferred outside the EU or the EEA: list the transfers, or write transfers: none",
        )


@rule(
    "hetil-security",
    E,
    f"{HETIL} 5 k.",
    "A historic register description describes the principles of protecting the register.",
    "security: describe the principles by which the register is protected",
    law="hetil",
)
def hetil_security(f: Facts) -> Iterator[Finding]:
    if f.register.security is None:
        yield Finding(("security",), "describe the principles by which the register is protected")


@rule(
    "hetil-sources",
    W,
    "the Data Protection Ombudsman's model register description, item 6",
    "A historic register description names the regular sources of the data.",
    "sources: name the regular sources of the data",
    law="hetil",
)
def hetil_sources(f: Facts) -> Iterator[Finding]:
    if not f.register.sources:
        yield Finding(("sources",), "name the regular sources of the data")


@rule(
    "hetil-rights",
    E,
    "HetiL (523/1999, kumottu) 26 §, 29 §, 30 §",
    "A historic register description states only the rights the Personal Data Act gave: access (26 §), "
    "rectification (29 §) and the prohibition of direct marketing (30 §).",
    "rights: the Personal Data Act did not give the right 'erasure'; name only access, rectification "
    "and object_direct_marketing",
    law="hetil",
)
def hetil_rights(f: Facts) -> Iterator[Finding]:
    for term in f.register.rights or []:
        if term.key not in ("access", "rectification", "object_direct_marketing"):
            yield Finding(
                ("rights",),
                f"the Personal Data Act did not give the right '{term.key}'; name only access, rectification "
                "and object_direct_marketing",
            )


@rule(
    "hetil-gdpr-terms",
    E,
    "GDPR Art. 99(2)",
    "A historic register description cites no GDPR provision: its purposes carry no Art. 6 basis or "
    "Art. 9(2) condition (the GDPR did not apply before 25 May 2018).",
    "purposes[0].legal_basis: the GDPR did not apply on 2016-03-01; a register description under the Personal Data Act "
    "has no Art. 6 basis",
    law="hetil",
)
def hetil_gdpr_terms(f: Facts) -> Iterator[Finding]:
    for i, p in enumerate(f.register.purposes):
        for name in ("legal_basis", "special_category_condition"):
            if getattr(p, name) is not None:
                yield Finding(
                    ("purposes", i, name),
                    f"the GDPR did not apply on {f.register.version}; a register description under the Personal "
                    f"Data Act has no {'Art. 6 basis' if name == 'legal_basis' else 'Art. 9(2) condition'}",
                )
    if f.register.transfers:
        yield Finding(
            ("transfers",),
            "the transfer mechanisms of the vocabulary are those of GDPR Art. 45-49; describe a transfer under "
            "the Personal Data Act (22-23 §) in a section of your own",
        )
    for name in ("retention", "requirement", "automated_decisions", "dpo"):
        if getattr(f.register, name) is not None and name not in f.entry.inherited:
            yield Finding(
                (name,),
                f"'{name}' is not an item of a register description under the Personal Data Act and is not "
                "printed; leave it out of a version dated before 25 May 2018",
            )
    for group, i, _ in requirements(f.register):
        yield Finding(
            (group, i, "requirement"),
            "'requirement' is not an item of a register description under the Personal Data Act and is not "
            "printed; leave it out of a version dated before 25 May 2018",
        )


@rule(
    "short-notice-name",
    E,
    "Art. 12(1); WP260 rev.01 38",
    "With short_notices, every purpose has a name of its own for its short notice: its id, or its term.",
    "purposes[2].id: short_notices: true names each short notice after its purpose; give this purpose an id",
)
def short_notice_name(f: Facts) -> Iterator[Finding]:
    if not f.register.short_notices:
        return
    seen: set[str] = set()
    for i, p in enumerate(f.register.purposes):
        key = short_notice_key(p)
        if key is None:
            yield Finding(
                ("purposes", i),
                "short_notices: true names each short notice after its purpose; give this purpose an id",
            )
        elif key in seen:
            yield Finding(
                ("purposes", i),
                f"short_notices: true names each short notice after its purpose, and '{key}' names another "
                "purpose already; give this one an id of its own",
            )
        seen.add(key or "")


# -- consistency ----------------------------------------------------------------------------------


@rule(
    "authority-legitimate-interests",
    E,
    "Art. 6(1), second subparagraph",
    "A public authority does not rely on legitimate interests for its tasks.",
    "purposes[0].legal_basis: a public authority cannot rely on legitimate interests in performing its tasks",
)
def authority_legitimate_interests(f: Facts) -> Iterator[Finding]:
    if f.register.public_authority:
        for i, p in enumerate(f.register.purposes):
            if p.legal_basis and p.legal_basis.key == "legitimate_interests":
                yield Finding(
                    ("purposes", i, "legal_basis"),
                    "a public authority cannot rely on legitimate interests in performing its tasks",
                )


# Every match of FEES below contains one of these (the texts are searched in lower case). Most
# registers contain none, and looking for plain strings is far quicker than the search itself.
FEE_HINTS = (
    "once a year",
    "once per year",
    "once every year",
    "a fee",
    "a charge",
    "reasonable fee",
    "reasonable charge",
    "administrative fee",
    "administrative charge",
    "kerran vuo",
    "kerran kalenterivuo",
    "kohtuullise korvaukse",
    "kohtuullisen korvaukse",
    "kohtuulliset korvaukse",
    "kohtuullise maksu",
    "kohtuullisen maksu",
    "kohtuulliset maksu",
    "periä maksu",
    "periä korvaus",
    "en gång per år",
    "en gång om år",
    "en gång i år",
    "skälig ersättning",
    "skälig avgift",
    "ta ut avgift",
    "ta ut ersättning",
    "ta ut en avgift",
    "ta ut en ersättning",
)
# One pattern for every language: a text is searched once, not once per phrase.
FEES = re.compile(
    "|".join(
        (
            r"\bonce (a|per|every) year\b",
            r"\b(a|reasonable|administrative) (fee|charge)\b",
            r"\bkerran (vuodessa|vuoden aikana|kalenterivuodessa)\b",
            r"\bkohtuullise[nt]? (korvaukse[nt]|maksu[nt]?)\b",
            r"\bperiä (maksu|korvaus)",
            r"\ben gång (per|om|i) år(et)?\b",
            r"\bskälig (ersättning|avgift)\b",
            r"\bta ut (en )?(avgift|ersättning)\b",
        )
    ),
    re.IGNORECASE,
)


# Names, addresses and the title are not statements: a company called "A Charge Ltd" sets no fee.
NOT_PROSE = frozenset({"title", "controller", "representative", "contact_person", "dpo", "supervisory_authority"})


def _prose(f: Facts) -> list[tuple[Any, dict[str, Any]]]:
    """The register's texts that make statements, which the consistency rules compare with the notice's."""
    return [(path, text) for path, text in f.texts if not (path and path[0] in NOT_PROSE)]


# What a notice may say about fees without contradicting its fee sentence (Art. 12(5), 15(3)): a
# fee for further copies, or for manifestly unfounded or excessive requests.
FEE_ALLOWED = (
    "further cop",
    "additional cop",
    "manifestly unfounded",
    "useampia jäljennöksiä",
    "lisäjäljennök",
    "ilmeisen perusteeton",
    "ytterligare kopior",
    "uppenbart ogrundad",
)
FEE_SENTENCE = "the fee sentence of the rights section (Art. 12(5), 15(3): free as a rule)"


@rule(
    "access-fee",
    E,
    "Art. 12(5), 15(3)",
    "The organisation's own text sets no fee and no once-a-year limit on requests (a rule of the old Personal "
    "Data Act), which would contradict the notice's fee sentence; a fee for further copies or for manifestly "
    "unfounded or excessive requests may be mentioned.",
    "exercise_rights: the text (fi) limits requests to once a year or charges a fee: 'kerran vuodessa'; it contradicts "
    "the fee sentence of the rights section",
)
def access_fee(f: Facts) -> Iterator[Finding]:
    texts = _prose(f)
    everything = "\n".join(value or "" for _, text in texts for value in text.values()).lower()
    if not any(hint in everything for hint in FEE_HINTS) or not FEES.search(everything):
        return  # the hints first, then one search over everything; texts one by one only to locate a find
    for path, text in texts:
        for lang, value in text.items():
            match = FEES.search(value or "")
            if match and not any(allowed in value.lower() for allowed in FEE_ALLOWED):
                yield Finding(
                    path,
                    f"the text ({lang}) limits requests to once a year or charges a fee: '{match.group(0)}'; it "
                    f"contradicts {FEE_SENTENCE}; remove it, or limit it to further copies or to manifestly "
                    "unfounded or excessive requests",
                )


# Words that mention data leaving the EEA, in every language (searched in lower case).
ABROAD_HINTS = (
    "outside the eu",
    "outside the eea",
    "outside the european",
    "third countr",
    "transferred abroad",
    "ulkopuolelle",
    "kolmansiin maihin",
    "kolmanteen maahan",
    "ulkomaille",
    "utanför eu",
    "utanför ees",
    "utanför europeiska",
    "tredjeland",
    "utomlands",
)


@rule(
    "transfers-contradiction",
    E,
    "Art. 13(1)(f), 14(1)(f)",
    "Where the register declares transfers: none, its own texts do not speak of data going outside the EEA "
    "(the notice prints that it is not transferred).",
    "sections[0].body: the text (fi) speaks of data going outside the EEA ('ulkopuolelle'), but transfers: "
    "none at registers/x.yaml:40:12 "
    "prints that it is not transferred",
)
def transfers_contradiction(f: Facts) -> Iterator[Finding]:
    if not f.legal.no_transfers:
        return
    for path, text in _prose(f):
        for lang, value in text.items():
            lower = (value or "").lower()
            hint = next((h for h in ABROAD_HINTS if h in lower), None)
            if hint:
                yield Finding(
                    path,
                    f"the text ({lang}) speaks of data going outside the EEA ('{hint}'), but transfers: none at "
                    f"{f.where(('transfers',))} prints that it is not transferred; list the transfer, or leave it "
                    "out of the text",
                )
                break


# Supervisory authorities a text may name, each by words found in its name in any language.
AUTHORITIES = {
    "fi": ("tietosuojavaltuutet", "dataombudsman", "data protection ombudsman"),
    "ax": ("datainspektionen på åland", "ålands datainspektion", "datainspektion"),
    "se": ("integritetsskyddsmyndighet", "imy"),
}
COMPLAINT_HINTS = ("valitu", "kantelu", "klagomål", "klaga", "complain")


@rule(
    "complaint-authority",
    E,
    "Art. 13(2)(d), 77",
    "The organisation's own text names no other supervisory authority for complaints than the one the "
    "complaint section prints.",
    "exercise_rights: the text (fi) names another supervisory authority for complaints than the one printed "
    "from supervisory_authority "
    "at registers/_organisation.yaml:60:1",
)
def complaint_authority(f: Facts) -> Iterator[Finding]:
    authority = f.register.supervisory_authority
    # The name as printed, in every language it is written in (a language may be left out).
    names = authority.name.model_dump().values() if authority and authority.name else []
    printed = " ".join(name for name in names if name).lower()
    printed = printed or " ".join(AUTHORITIES["fi"])  # the default: the Data Protection Ombudsman
    named = {key for key, words in AUTHORITIES.items() if any(w in printed for w in words)}
    for path, text in _prose(f):
        for lang, value in text.items():
            lower = (value or "").lower()
            if not any(h in lower for h in COMPLAINT_HINTS):
                continue
            other = next(
                (k for k, words in AUTHORITIES.items() if k not in named and any(w in lower for w in words)), None
            )
            if other:
                where = f.where(("supervisory_authority",)) if authority else "the default of the notice"
                yield Finding(
                    path,
                    f"the text ({lang}) names another supervisory authority for complaints than the one the "
                    f"complaint section prints (supervisory_authority, {where}); name the same authority",
                )
                break


RETENTION_HINTS = ("säilyt", "bevara", "förvar", "sparas", "lagras", "retain", "retention", "kept for", "stored for")
# A period: a number and a unit of time, in any language (the unit's stem; searched in lower case).
PERIOD = re.compile(r"\b(\d+)\s*(päivä|vrk|viiko|kuukau|vuo|dygn|dag|veck|månad|år|day|week|month|year)\w*")


def _periods(text: str) -> dict[tuple[str, str], str]:
    """Each period a text states, by number and unit, with the words as written."""
    return {(m.group(1), m.group(2)): m.group(0) for m in PERIOD.finditer(text)}


@rule(
    "retention-contradiction",
    E,
    "Art. 13(2)(a), 14(2)(a)",
    "A retention period stated in a purpose, data category or section of the organisation's own is also "
    "stated in the retention field, which the retention section prints.",
    "purposes[2].details: the text (fi) keeps data for '30 päivää', a period the retention field "
    "(registers/x.yaml:30:1) does not state",
)
def retention_contradiction(f: Facts) -> Iterator[Finding]:
    retention = f.register.retention
    if retention is None:
        return
    for path, text in _prose(f):
        if path and path[0] in ("retention", "history"):
            continue
        for lang, value in text.items():
            lower = (value or "").lower()
            if not any(h in lower for h in RETENTION_HINTS):
                continue
            # A text may carry a language the notice is not published in, which retention may lack.
            stated, found = _periods((getattr(retention, lang) or "").lower()), _periods(lower)
            extra = sorted(set(found) - set(stated))
            if extra:
                yield Finding(
                    path,
                    f"the text ({lang}) keeps data for '{found[extra[0]]}', a period the retention field "
                    f"({f.where(('retention',))}) does not state; state every period in retention",
                )
                break


@rule(
    "transfer-inside-eea",
    W,
    "Art. 44",
    "A 'transfer' listed is really to a third country, not inside the EEA.",
    "transfers[0].country: SE is in the EEA; data going there is not a transfer to a third country",
)
def transfer_inside_eea(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        if t.country in EEA:
            yield Finding(
                ("transfers", i, "country"),
                f"{t.country} is in the EEA; data going there is not a transfer to a third country",
            )


@rule(
    "adequacy",
    E,
    "Art. 45",
    "A transfer said to rest on an adequacy decision goes to a country that has one; to the United States "
    "(Decision (EU) 2023/1795) or Canada (Decision 2002/2/EC), whose decisions are partial, the recipient is "
    "named and stated to be covered (recipient_covered: true).",
    "transfers[0].safeguard: IN has no adequacy decision of the European Commission; name the transfer mechanism the "
    "transfer rests on",
)
def adequacy(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        if not f.fact(t.safeguard, "adequacy") or t.country in EEA or t.organisation is not None:
            continue
        if t.country is None:
            yield Finding(
                ("transfers", i, "safeguard"),
                "an adequacy decision covers a named country; name the country, or the transfer mechanism that "
                "applies wherever the data goes (such as standard_contractual_clauses)",
            )
        elif t.country not in ADEQUATE:
            yield Finding(
                ("transfers", i, "safeguard"),
                f"{t.country} has no adequacy decision of the European Commission; name the transfer mechanism "
                "the transfer rests on",
            )
        elif t.country in PARTIAL_ADEQUACY:
            scope = (
                "certified under the EU-US Data Privacy Framework"
                if t.country == "US"
                else "a commercial organisation subject to PIPEDA"
            )
            if t.recipient is None:
                yield Finding(
                    ("transfers", i, "recipient"),
                    f"the adequacy decision for {t.country} covers only some recipients; name the recipient",
                )
            if not t.recipient_covered:
                yield Finding(
                    ("transfers", i, "recipient_covered"),
                    f"the adequacy decision for {t.country} covers only recipients {scope}; write "
                    "recipient_covered: true if the recipient is, or name another transfer mechanism",
                )


@rule(
    "right-without-basis",
    W,
    "Art. 7(3), 17(3)(b), 20(1), 21(1)",
    "A right listed by hand exists under the legal bases relied on.",
    "rights: the right 'portability' is listed, but no purpose rests on consent or a contract",
)
def right_without_basis(f: Facts) -> Iterator[Finding]:
    listed = _listed(f)
    conditions = {
        "portability": (
            "portability" in f.legal.applicable,
            "no purpose rests on consent or a contract, or the data is not processed by automated means",
        ),
        "object": (f.objectable(), "no purpose rests on legitimate interests or a public task"),
        "object_direct_marketing": (f.direct_marketing(), "no purpose is direct marketing"),
        "withdraw_consent": (f.legal.consent, "no purpose rests on consent"),
        "erasure": (
            "erasure" in f.legal.applicable,
            "every purpose rests on a legal obligation or a public task (Art. 17(3)(b))",
        ),
        "automated_decisions": (
            False,
            "the automated-decisions section states what Art. 22 gives (the 22(3) safeguards where decisions are made)",
        ),
    }
    for right, (applies, reason) in conditions.items():
        if right in listed and not applies:
            yield Finding(("rights",), f"the right '{right}' is listed, but {reason}")


@rule(
    "profiling-statement",
    W,
    "Art. 13(2)(f), 22",
    "Profiling is used only with a statement on automated decision-making.",
    "automated_decisions: a purpose uses profiling, but the notice says nothing about automated decisions",
)
def profiling_statement(f: Facts) -> Iterator[Finding]:
    if f.legal.profiling and f.register.automated_decisions is None:
        yield Finding(
            ("automated_decisions",), "a purpose uses profiling, but the notice says nothing about automated decisions"
        )


@rule(
    "special-condition",
    E,
    "Art. 9(2)",
    "Special categories of data are processed only with an Art. 9(2) condition.",
    "data_categories[4]: a special category of personal data is processed, but no purpose names an Art. 9(2) condition",
)
def special_condition(f: Facts) -> Iterator[Finding]:
    if any(p.special_category_condition for p in f.register.purposes):
        return
    for i, item in enumerate(f.register.data_categories):
        if f.special(item):
            yield Finding(
                ("data_categories", i),
                "a special category of personal data is processed, but no purpose names an Art. 9(2) condition",
            )


@rule(
    "condition-without-special",
    W,
    "Art. 9(2)",
    "An Art. 9(2) condition is named only where special categories are processed.",
    "purposes[0].special_category_condition: an Art. 9(2) condition is named, but no data category is a special "
    "category",
)
def condition_without_special(f: Facts) -> Iterator[Finding]:
    if any(f.special(item) for item in f.register.data_categories):
        return
    for i, p in enumerate(f.register.purposes):
        if p.special_category_condition:
            yield Finding(
                ("purposes", i, "special_category_condition"),
                "an Art. 9(2) condition is named, but no data category is a special category",
            )


CRIMINAL_MISSING = (
    "data on criminal convictions and offences is processed; on the purpose that processes it, name in national_law "
    "the Data Protection Act (data_protection_act, 1050/2018 7 §) or the special law that allows it"
)


@rule(
    "criminal-data",
    E,
    "Art. 10; tietosuojalaki 1050/2018 7 §",
    "Data on criminal convictions and offences rests on the Data Protection Act (7 §) or a named special law, "
    "given on a purpose.",
    f"data_categories[3]: {CRIMINAL_MISSING}",
)
def criminal_data(f: Facts) -> Iterator[Finding]:
    def authorises(law: Any) -> bool:
        # The Data Protection Act, or a special law the organisation names in its own words.
        return law.text is not None or (law.term is not None and law.term.key == "data_protection_act")

    if any(authorises(law) for p in f.register.purposes for law in p.national_law):
        return
    for i, item in enumerate(f.register.data_categories):
        if f.criminal(item):
            yield Finding(("data_categories", i), CRIMINAL_MISSING)


@rule(
    "interests-without-basis",
    W,
    "Art. 13(1)(d)",
    "Legitimate interests are described only where they are the legal basis.",
    "purposes[0].legitimate_interests: interests are described, but the basis is not legitimate_interests",
)
def interests_without_basis(f: Facts) -> Iterator[Finding]:
    for i, p in enumerate(f.register.purposes):
        if p.legitimate_interests and p.legal_basis and p.legal_basis.key != "legitimate_interests":
            yield Finding(
                ("purposes", i, "legitimate_interests"),
                "interests are described, but the basis is not legitimate_interests",
            )


@rule(
    "history-order",
    W,
    "—",
    "The history lists earlier versions and, if it says what changed in it, the current version; none is later.",
    "history[0].version: 2026-01-01 is later than the current version 2025-03-01",
    law="any",
)
def history_order(f: Facts) -> Iterator[Finding]:
    for i, v in enumerate(f.register.history):
        if v.version > f.register.version:
            yield Finding(
                ("history", i, "version"), f"{v.version} is later than the current version {f.register.version}"
            )


# -- language parity ------------------------------------------------------------------------------


@rule(
    "stale-translation",
    W,
    "Art. 12(1)",
    "A text changed in one language since the last archived version has changed in the others too.",
    "retention: the fi text changed since version 2024-01-01, but the sv and en texts did not; bring the translations "
    "up to date",
    law="any",
)
def stale_translation(f: Facts) -> Iterator[Finding]:
    if f.previous is None:
        return
    before = dict(texts_of(f.previous))
    languages = f.register.languages
    for path, now in f.texts:
        old = before.get(path)
        if old is None:
            continue
        changed = [lang for lang in languages if now.get(lang) != old.get(lang)]
        unchanged = [lang for lang in languages if lang not in changed and old.get(lang)]
        if changed and unchanged:
            yield Finding(
                path,
                f"the {' and '.join(changed)} text changed since version {f.previous_version}, but the "
                f"{' and '.join(unchanged)} text{'s' if len(unchanged) > 1 else ''} did not; bring the "
                f"translations up to date",
            )


# -- cross-references ------------------------------------------------------------------------------


@rule(
    "cross-reference",
    E,
    "Art. 12(1)",
    "A cross-reference ([[contact-person]], [[#contact-person]]) in a Markdown text names a section of the notice.",
    "rights_restrictions.fi: [[contact]] names no section of this notice; write a section id in double brackets "
    "(did you mean [[contact-person]]?)",
    law="any",
)
def cross_reference(f: Facts) -> Iterator[Finding]:
    planned = plan(f.register, f.entry.vocabulary)
    for path, text in f.texts:
        # Only Markdown texts resolve references; a name or a one-line text prints [[...]] as typed.
        if not isinstance(_value_at(f.register, path), Markdown):
            continue
        for lang in f.register.languages:
            for written in REFERENCE.findall(text.get(lang) or ""):
                problem = planned.reference_problem(written)
                if problem:
                    yield Finding((*path, lang), problem)


def _value_at(node: Any, path: tuple[Any, ...]) -> Any:
    """The register's value at a path of its JSON form: a field name or a list index at each step."""
    for step in path:
        node = node[step] if isinstance(step, int) else getattr(node, step, None)
    return node


# -- the register's laws, and publication -----------------------------------------------------------

# The GDPR named as if it were a national law: its number, or its name in the three languages.
GDPR_NAMES = re.compile(
    r"2016/679|tietosuoja-?asetu|dataskyddsförordning|data protection regulation|\bEU:n yleinen tietosuoja",
    re.IGNORECASE,
)
GDPR_ABBREVIATION = re.compile(r"\bGDPR\b")  # in capitals only: "gdpr" in a name may be anything
GDPR_NOT_NATIONAL = (
    "the General Data Protection Regulation is EU law, not national law, and the notice names it itself; remove it "
    "from the list and name only the national laws (such as data_protection_act)"
)


def _law_lists(f: Facts) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every list of national laws the register writes, with its path: the register's own, each purpose's
    where it is its own (not the register's, inherited), the exemption's and the automated decisions'."""
    r = f.register
    yield ("laws",), r.laws
    for i, p in enumerate(r.purposes):
        if not r.follows_laws(p):
            yield ("purposes", i, "national_law"), p.national_law
    if r.information_exemption is not None:
        yield ("information_exemption", "law"), r.information_exemption.law
    if r.automated_decisions is not None:
        yield ("automated_decisions", "laws"), r.automated_decisions.laws


@rule(
    "gdpr-not-national-law",
    E,
    "Art. 6(3), 13(1)(c)",
    "The GDPR itself is not listed among the national laws the processing rests on.",
    f"laws[0]: {GDPR_NOT_NATIONAL}",
)
def gdpr_not_national_law(f: Facts) -> Iterator[Finding]:
    for path, laws in _law_lists(f):
        for j, law in enumerate(laws):
            texts = [law.term.key] if law.term is not None else list(law.text.model_dump(exclude_none=True).values())
            if any(GDPR_NAMES.search(text) or GDPR_ABBREVIATION.search(text) for text in texts):
                yield Finding(path + (j,), GDPR_NOT_NATIONAL)


@rule(
    "publication-recipients",
    E,
    "Art. 13(1)(e), 14(1)(e)",
    "A register that publishes data does not also say that data is disclosed to no one (recipients: []).",
    "recipients: the register publishes data on the internet (publication), which discloses it to anyone; remove "
    "recipients: [], or list the recipients",
)
def publication_recipients(f: Facts) -> Iterator[Finding]:
    if f.register.publication and f.register.recipients == []:
        yield Finding(
            ("recipients",),
            "the register publishes data on the internet (publication), which discloses it to anyone; remove "
            "recipients: [], or list the recipients",
        )


# -- Finnish law and the GDPR items notices most often miss ---------------------------------------
# Kept in rules_finland.py; importing it here registers its rules after the ones above.

from . import rules_finland  # noqa: E402, F401
