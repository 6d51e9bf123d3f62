"""The rules of Finnish law and the GDPR items a Finnish notice most often misses.

These rules complete the rule book of rules.py (imported at its end, so they follow its rules in
`seloste rules` and docs/checks.md). Each cites the GDPR article and, where Finnish law is the
source, the section of the act: tietosuojalaki 1050/2018, laki yksityisyyden suojasta työelämässä
759/2004, laki sähköisen viestinnän palveluista 917/2014 and kielilaki 423/2003. A section number
that could not be checked against the statute text is marked "(unverified)", so the rule book says so.
"""

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from .errors import Level
from .law import EEA, Facts, Finding, rule

E, W = Level.ERROR, Level.WARNING

# The GDPR applies from this date; a version dated before it is a historic Personal Data Act form.
GDPR_APPLIES = date(2018, 5, 25)


def _key(item: Any) -> str | None:
    """The term key of an entry, or None for a text of the organisation's own."""
    return item.term.key if item.term is not None else None


def _names(purpose: Any) -> set[str]:
    """What a data category may call a purpose by: its id and its term key."""
    return {name for name in (purpose.id, _key(purpose)) if name}


def _purposes_using(f: Facts, index: int) -> list[int]:
    """The purposes (their indexes) a data category is processed for: those it names, or every one."""
    item = f.register.data_categories[index]
    if item.purposes is None:
        return list(range(len(f.register.purposes)))
    wanted = set(item.purposes)
    return [i for i, p in enumerate(f.register.purposes) if _names(p) & wanted]


def _has_children(f: Facts) -> bool:
    return any(g.children or f.fact(g.term, "children") for g in f.register.data_subjects)


def _is_recruitment(f: Facts) -> bool:
    """The register is about job applicants: laki yksityisyyden suojasta työelämässä 4 § governs its sources."""
    return any(_key(g) == "job_applicants" for g in f.register.data_subjects) or any(
        _key(p) in {"recruitment", "talent_pool"} for p in f.register.purposes
    )


def _camera(f: Facts) -> bool:
    return any(_key(p) == "camera_surveillance" for p in f.register.purposes) or any(
        _key(s) == "camera_system" for s in f.register.sources
    )


# Data-subject groups that are contact persons of businesses, not private persons.
BUSINESS_CONTACTS = {"corporate_contact_persons", "supplier_contact_persons"}


def _laws(items: list[Any]) -> set[str]:
    return {t.term.key for t in items if t.term is not None}


# -- Art. 13(1)(e): recipients ---------------------------------------------------------------------


@rule(
    "recipients-stated",
    E,
    "Art. 13(1)(e), 14(1)(e)",
    "The notice names the recipients of the data, or states that it is disclosed to no one (recipients: []).",
    "recipients: say to whom the data is disclosed, or write recipients: [] if it is disclosed to no one",
)
def recipients_stated(f: Facts) -> Iterator[Finding]:
    if f.register.recipients is None:
        yield Finding(
            ("recipients",), "say to whom the data is disclosed, or write recipients: [] if it is disclosed to no one"
        )


# -- Art. 6(3): the law behind a legal obligation or a public task ------------------------------------


@rule(
    "legal-obligation-law",
    E,
    "Art. 6(1)(c), 6(3)",
    "A purpose resting on a legal obligation names the law that lays the obligation down (national_law).",
    "purposes[2].national_law: the basis is a legal obligation; name the law that lays it down, such as accounting_act",
)
def legal_obligation_law(f: Facts) -> Iterator[Finding]:
    for i, p in enumerate(f.register.purposes):
        if p.legal_basis and p.legal_basis.key == "legal_obligation" and not p.national_law:
            yield Finding(
                ("purposes", i, "national_law"),
                "the basis is a legal obligation; name the law that lays it down, such as accounting_act",
            )


@rule(
    "public-task-law",
    E,
    "Art. 6(1)(e), 6(3); tietosuojalaki 1050/2018 4 § (unverified)",
    "A purpose resting on a public task names the law that gives the controller the task (national_law).",
    "purposes[0].national_law: the basis is a task in the public interest; name the law that gives the controller "
    "the task",
)
def public_task_law(f: Facts) -> Iterator[Finding]:
    for i, p in enumerate(f.register.purposes):
        if p.legal_basis and p.legal_basis.key == "public_task" and not p.national_law:
            yield Finding(
                ("purposes", i, "national_law"),
                "the basis is a task in the public interest; name the law that gives the controller the task",
            )


# -- Art. 9 and 10, purpose by purpose ---------------------------------------------------------------


@rule(
    "category-purposes",
    E,
    "Art. 5(1)(b), 13(1)(c)",
    "A data category linked to purposes (purposes: [...]) names purposes of the register, by term key or id.",
    "data_categories[4].purposes[0]: 'payroll' is not the term key or id of any purpose of this register",
)
def category_purposes(f: Facts) -> Iterator[Finding]:
    names = set().union(*(_names(p) for p in f.register.purposes))
    for i, item in enumerate(f.register.data_categories):
        for j, name in enumerate(item.purposes or []):
            if name not in names:
                yield Finding(
                    ("data_categories", i, "purposes", j),
                    f"'{name}' is not the term key or id of any purpose of this register",
                )


@rule(
    "special-condition-each",
    E,
    "Art. 9(1)–(2); tietosuojalaki 1050/2018 6 § (unverified)",
    "Every purpose that uses a special category of data names its Art. 9(2) condition; link a category to "
    "its purposes (purposes: [...]) where not every purpose uses it.",
    "purposes[1].special_category_condition: this purpose uses health data (data_categories[3]) but names no Art. "
    "9(2) condition",
)
def special_condition_each(f: Facts) -> Iterator[Finding]:
    for i, item in enumerate(f.register.data_categories):
        if not f.special(item):
            continue
        for j in _purposes_using(f, i):
            if f.register.purposes[j].special_category_condition is None:
                what = _key(item) or "a special category"
                yield Finding(
                    ("purposes", j, "special_category_condition"),
                    f"this purpose uses {what.replace('_', ' ')} (data_categories[{i}]) but names no Art. 9(2) "
                    "condition; name one, or link the category only to the purposes that use it",
                )


@rule(
    "criminal-data-ground",
    E,
    "Art. 10; tietosuojalaki 1050/2018 7 § (unverified)",
    "Every purpose that uses data on criminal convictions and offences names its ground in national law: "
    "tietosuojalaki (data_protection_act) or a special law.",
    "purposes[0].national_law: this purpose uses data on criminal offences (data_categories[5]); name the law that "
    "allows it",
)
def criminal_data_ground(f: Facts) -> Iterator[Finding]:
    for i, item in enumerate(f.register.data_categories):
        if not f.criminal(item):
            continue
        for j in _purposes_using(f, i):
            if not f.register.purposes[j].national_law:
                yield Finding(
                    ("purposes", j, "national_law"),
                    f"this purpose uses data on criminal offences (data_categories[{i}]); name the law that allows it",
                )


# -- Art. 14(5) and Art. 23 --------------------------------------------------------------------------


@rule(
    "exemption-ground",
    E,
    "Art. 14(5)(b)–(d)",
    "An Art. 14(5) exemption states what it rests on: the law for (c) and (d), the measures taken, "
    "including making the information public, for (b).",
    "information_exemption.law: the exemption rests on a law (Art. 14(5)(c)); name it",
)
def exemption_ground(f: Facts) -> Iterator[Finding]:
    x = f.register.information_exemption
    if x is None:
        return
    if x.ground in ("laid_down_by_law", "professional_secrecy") and not x.law:
        point = "c" if x.ground == "laid_down_by_law" else "d"
        yield Finding(("information_exemption", "law"), f"the exemption rests on a law (Art. 14(5)({point})); name it")
    if x.ground == "disproportionate_effort" and not x.measures:
        yield Finding(
            ("information_exemption", "measures"),
            "informing each data subject is said to be impossible or disproportionate; describe the measures "
            "that protect them, including making this information public",
        )


@rule(
    "exemption-without-source",
    W,
    "Art. 13, 14(5)",
    "An Art. 14(5) exemption is declared only where data is obtained from others than the data subject.",
    "information_exemption: every source is the data subject; Art. 14(5) exempts only data obtained from others",
)
def exemption_without_source(f: Facts) -> Iterator[Finding]:
    if f.register.information_exemption is not None and not f.from_elsewhere:
        yield Finding(
            ("information_exemption",),
            "every source is the data subject; Art. 14(5) exempts only data obtained from others",
        )


@rule(
    "restriction-ground",
    E,
    "Art. 23; tietosuojalaki 1050/2018 31–34 § (unverified)",
    "A restriction of the data subject's rights names what it rests on (restriction_grounds): a provision of the "
    "GDPR itself, tietosuojalaki or a special law.",
    "restriction_grounds: the notice restricts the rights; name what the restriction rests on, such as Art. 17(3) or "
    "data_protection_act",
)
def restriction_ground(f: Facts) -> Iterator[Finding]:
    if f.register.rights_restrictions is not None and not f.register.restriction_grounds:
        yield Finding(
            ("restriction_grounds",),
            "the notice restricts the rights (rights_restrictions); name what the restriction rests on: a provision "
            "of the GDPR (such as Art. 15(4) or 17(3)), data_protection_act or a special law",
        )


# -- Art. 26, 27 and 37 ------------------------------------------------------------------------------


def _monitors(f: Facts) -> bool:
    """Regular and systematic monitoring: camera surveillance, profiling or automated decisions."""
    a = f.register.automated_decisions
    return (
        _camera(f)
        or any(_key(p) == "marketing_profiling" for p in f.register.purposes)
        or bool(a and (a.used or a.profiling))
    )


@rule(
    "dpo-monitoring",
    E,
    "Art. 37(1)(b)",
    "A controller whose core activities are large-scale regular and systematic monitoring (large_scale: true "
    "with camera surveillance or profiling) designates a data protection officer.",
    "dpo: the core activities are large-scale systematic monitoring; designate a data protection officer",
)
def dpo_monitoring(f: Facts) -> Iterator[Finding]:
    if f.register.large_scale and f.register.dpo is None and _monitors(f):
        yield Finding(
            ("dpo",), "the core activities are large-scale systematic monitoring; designate a data protection officer"
        )


@rule(
    "dpo-special-data",
    E,
    "Art. 37(1)(c)",
    "A controller whose core activities are large-scale processing of special categories or criminal data "
    "designates a data protection officer.",
    "dpo: the core activities are large-scale processing of special categories of data; designate a data protection "
    "officer",
)
def dpo_special_data(f: Facts) -> Iterator[Finding]:
    items = f.register.data_categories
    sensitive = any(f.special(i) or f.criminal(i) for i in items)
    if f.register.large_scale and f.register.dpo is None and sensitive and not _monitors(f):
        yield Finding(
            ("dpo",),
            "the core activities are large-scale processing of special categories or criminal data; "
            "designate a data protection officer",
        )


@rule(
    "joint-arrangement",
    E,
    "Art. 26(1)–(2)",
    "Joint controllers: the essence of their arrangement is made available (joint_arrangement).",
    "joint_arrangement: the register names joint controllers; describe the essence of their arrangement",
)
def joint_arrangement(f: Facts) -> Iterator[Finding]:
    if f.register.joint_controllers and f.register.joint_arrangement is None:
        yield Finding(
            ("joint_arrangement",),
            "the register names joint controllers; describe the essence of their arrangement: who informs the "
            "data subjects and who answers requests to exercise the rights",
        )


@rule(
    "eu-representative",
    E,
    "Art. 27(1)–(2), 13(1)(a)",
    "A controller established outside the EU/EEA names its representative in the Union, unless "
    "Art. 27(2) exempts it (a public authority, or occasional processing).",
    "representative: the controller is established in US; name its representative in the EU (Art. 27)",
)
def eu_representative(f: Facts) -> Iterator[Finding]:
    r = f.register
    country = r.controller.country
    if country is None or country in EEA or r.representative is not None or r.public_authority:
        return
    sensitive = any(f.special(i) or f.criminal(i) for i in r.data_categories)
    if r.occasional_processing and not (sensitive and r.large_scale):
        return
    yield Finding(("representative",), f"the controller is established in {country}; name its representative in the EU")


@rule(
    "representative-inside-eea",
    W,
    "Art. 27(1)",
    "A representative in the Union is named only for a controller established outside the EU/EEA.",
    "representative: the controller is established in FI; only a controller outside the EU needs a representative",
)
def representative_inside_eea(f: Facts) -> Iterator[Finding]:
    country = f.register.controller.country
    if f.register.representative is not None and country in EEA:
        yield Finding(
            ("representative",),
            f"the controller is established in {country}; only a controller outside the EU needs a representative",
        )


# -- children and the personal identity code ------------------------------------------------------------


@rule(
    "child-consent",
    W,
    "Art. 8(1)–(2); tietosuojalaki 1050/2018 5 §",
    "Children's data processed on consent: the notice says how age is checked and how a parent's consent "
    "is obtained for a child under 13 (children_consent).",
    "children_consent: children's data is processed on consent; say how age is checked and how a parent consents for "
    "a child under 13",
)
def child_consent(f: Facts) -> Iterator[Finding]:
    if _has_children(f) and "consent" in f.bases and f.register.children_consent is None:
        yield Finding(
            ("children_consent",),
            "children's data is processed on consent; say how age is checked and how the holder of parental "
            "responsibility consents for a child under 13",
        )


@rule(
    "identity-code-ground",
    W,
    "tietosuojalaki 1050/2018 29 § (unverified)",
    "Where the personal identity code is processed, the notice says on what ground (details of the data category).",
    "data_categories[1].details: say on what ground the personal identity code is processed (consent, a law, or "
    "unambiguous identification)",
)
def identity_code_ground(f: Facts) -> Iterator[Finding]:
    for i, item in enumerate(f.register.data_categories):
        if _key(item) == "personal_identity_code" and item.details is None:
            yield Finding(
                ("data_categories", i, "details"),
                "say on what ground the personal identity code is processed: consent, a law, or the need to "
                "identify the data subject unambiguously (such as for credit, billing or debt collection)",
            )


# -- direct marketing, cameras and working life ------------------------------------------------------------


@rule(
    "electronic-marketing-consent",
    E,
    "laki sähköisen viestinnän palveluista 917/2014 200 §",
    "Electronic direct marketing (e-mail, text message) to private persons rests on prior consent, or on the "
    "own-customer exception (own_customers: true). Marketing to businesses through their contact persons is "
    "not checked.",
    "purposes[3].legal_basis: electronic direct marketing needs the recipient's prior consent; use consent, or "
    "own_customers: true for the own-customer exception",
)
def electronic_marketing_consent(f: Facts) -> Iterator[Finding]:
    groups = f.register.data_subjects
    if groups and all(_key(g) in BUSINESS_CONTACTS for g in groups):
        return  # marketing to businesses through their contact persons: 200 § concerns natural persons
    for i, p in enumerate(f.register.purposes):
        if _key(p) != "electronic_direct_marketing" or p.own_customers:
            continue
        if p.legal_basis is not None and p.legal_basis.key != "consent":
            yield Finding(
                ("purposes", i, "legal_basis"),
                "electronic direct marketing needs the recipient's prior consent; use consent, or "
                "own_customers: true where the own-customer exception applies",
            )


@rule(
    "camera-workplace",
    W,
    "laki yksityisyyden suojasta työelämässä 759/2004 ch. 4, 16–17 § (unverified)",
    "Camera surveillance that films employees names the Act on the Protection of Privacy in Working Life "
    "(national_law: privacy_in_working_life_act).",
    "purposes[0].national_law: the cameras film employees; name privacy_in_working_life_act (759/2004 chapter 4)",
)
def camera_workplace(f: Facts) -> Iterator[Finding]:
    if not any(_key(g) == "employees" for g in f.register.data_subjects):
        return
    for i, p in enumerate(f.register.purposes):
        if _key(p) == "camera_surveillance" and "privacy_in_working_life_act" not in _laws(p.national_law):
            yield Finding(
                ("purposes", i, "national_law"),
                "the cameras film employees; name privacy_in_working_life_act (759/2004 chapter 4)",
            )


@rule(
    "camera-sign",
    W,
    "Art. 12(1), 13; EDPB Guidelines 3/2019",
    "Camera surveillance: the notice gives the first-layer warning sign, what it says and where it is "
    "(first_layer_sign).",
    "first_layer_sign: the register is camera surveillance; give the text of the warning sign and where it is",
)
def camera_sign(f: Facts) -> Iterator[Finding]:
    if _camera(f) and f.register.first_layer_sign is None:
        yield Finding(
            ("first_layer_sign",),
            "the register is camera surveillance; give the text of the warning sign and where it is placed",
        )


@rule(
    "applicant-sources",
    E,
    "laki yksityisyyden suojasta työelämässä 759/2004 4 §",
    "Data on job applicants is collected from them; from other sources only with their consent "
    "(consent: true on the source), authorities and credit data apart.",
    "sources[2]: data on applicants is collected from referees; that needs the applicant's consent (consent: true)",
)
def applicant_sources(f: Facts) -> Iterator[Finding]:
    if not _is_recruitment(f):
        return
    for i, s in enumerate(f.register.sources):
        if s.data_subject or f.fact(s.term, "data_subject") or s.consent:
            continue
        if _key(s) in {"authorities", "credit_information_register"}:
            continue  # obtained under a law of its own (security clearance, credit data with notice)
        name = (_key(s) or "this source").replace("_", " ")
        yield Finding(
            ("sources", i),
            f"data on applicants is collected from {name}; that needs the applicant's consent (consent: true)",
        )


@rule(
    "aptitude-tests",
    E,
    "laki yksityisyyden suojasta työelämässä 759/2004 13 § (unverified)",
    "Personality and aptitude tests are carried out only with the person's consent (consent: true on the data "
    "category).",
    "data_categories[6]: personality and aptitude tests need the applicant's consent; write consent: true if it is "
    "asked",
)
def aptitude_tests(f: Facts) -> Iterator[Finding]:
    for i, item in enumerate(f.register.data_categories):
        if f.fact(item.term, "aptitude_test") and not item.consent:
            yield Finding(
                ("data_categories", i),
                "personality and aptitude tests need the person's consent; write consent: true if it is asked",
            )


# -- Art. 13(3), 14(4): a purpose added since the last archived version -------------------------------------


def _purpose_ids(purposes: list[Any]) -> set[str]:
    """A purpose's identity across versions: its term key, or its text in the first language it has."""
    found = set()
    for p in purposes:
        if not isinstance(p, dict):
            continue
        term = p.get("term")
        if isinstance(term, dict):  # a term, dumped as {group, key}
            found.add(f"term:{term.get('key')}")
        elif isinstance(p.get("text"), dict):
            # In a fixed order of languages: the archived form sorts its keys, the register's own does not.
            found.add("text:" + next((p["text"][lang] for lang in ("fi", "sv", "en") if p["text"].get(lang)), ""))
    return found


@rule(
    "new-purpose",
    W,
    "Art. 13(3), 14(4), 6(4)",
    "A purpose that the last archived version did not have says how the data subjects were told before it "
    "began and why it is compatible (further_processing).",
    "purposes[2].further_processing: this purpose is new since version 2024-01-01; say how data subjects were told "
    "before it began and why it is compatible",
)
def new_purpose(f: Facts) -> Iterator[Finding]:
    if f.previous is None:
        return
    before = _purpose_ids(f.previous.get("purposes") or [])
    now = f.entry.dump.get("purposes") or []
    for i, (p, dumped) in enumerate(zip(f.register.purposes, now, strict=False)):
        if _purpose_ids([dumped]) - before and p.further_processing is None:
            yield Finding(
                ("purposes", i, "further_processing"),
                f"this purpose is new since version {f.previous_version}; say how data subjects were told before "
                "it began and why it is compatible with the earlier purposes",
            )


@rule(
    "unrecorded-change",
    W,
    "Art. 13(3), 14(4), 12(1)",
    "A version that changes the notice materially since the last archived version (a new purpose, recipient, "
    "transfer, legal basis, retention, ...: see docs/changes.md) has a history entry of its own saying what changed.",
    "version: this version changes the notice materially since version 2024-01-01 (a new purpose at purposes[2]); "
    "add a history entry for 2025-03-01 saying what changed",
    law="any",
)
def unrecorded_change(f: Facts) -> Iterator[Finding]:
    if f.previous is None or any(v.version == f.register.version for v in f.register.history):
        return
    from .changes import REASONS_EN, compare, content_of, dotted

    material = [c for c in compare(f.previous, content_of(f.entry)) if c.cls == "material"]
    if material:
        named = "; ".join(f"{REASONS_EN[c.reason or '']} at {dotted(c.path)}" for c in material[:3])
        more = f"; and {len(material) - 3} more" if len(material) > 3 else ""
        yield Finding(
            ("version",),
            f"this version changes the notice materially since version {f.previous_version} ({named}{more}); "
            f"add a history entry for {f.register.version} saying what changed (`seloste diff "
            f"{f.register.id} current` lists every change)",
        )


# -- Art. 12(1): wording of the repealed Personal Data Act -------------------------------------------------

# Lower-case stems of the repealed law and its terms, with what the GDPR era says instead.
OUTDATED = {
    "henkilötietola": "tietosuoja-asetus ja tietosuojalaki (1050/2018)",
    "523/1999": "the GDPR and tietosuojalaki 1050/2018",
    "personuppgiftslag": "dataskyddsförordningen och dataskyddslagen (1050/2018)",
    "tarkastusoikeu": "oikeus saada pääsy tietoihin",
    "kielto-oikeu": "vastustamisoikeus",
    "rätt till insyn": "rätt till tillgång",
    "rätten till insyn": "rätten till tillgång",
    "personal data act": "the GDPR and the Data Protection Act (1050/2018)",
}


@rule(
    "outdated-law",
    W,
    "Art. 12(1); henkilötietolaki 523/1999 repealed by tietosuojalaki 1050/2018",
    "A current text does not speak of the repealed Personal Data Act or its terms (tarkastusoikeus, "
    "kielto-oikeus, rätt till insyn); the history may.",
    "exercise_rights: the fi text says 'tarkastusoikeus', from the repealed Personal Data Act; write 'oikeus "
    "saada pääsy tietoihin'",
)
def outdated_law(f: Facts) -> Iterator[Finding]:
    if f.register.version < GDPR_APPLIES:
        return  # a historic register description rightly speaks the law of its day
    texts = [(path, text) for path, text in f.texts if not path or path[0] != "history"]
    everything = "\n".join(value or "" for _, text in texts for value in text.values()).lower()
    if not any(stem in everything for stem in OUTDATED):
        return  # one pass over everything first; texts one by one only to locate a find
    for path, text in texts:
        for lang, value in text.items():
            lowered = (value or "").lower()
            for stem, instead in OUTDATED.items():
                if stem in lowered:
                    word = re.search(r"[\w-]*" + re.escape(stem) + r"[\w-]*", lowered)
                    said = word.group(0) if word else stem
                    yield Finding(
                        path,
                        f"the {lang} text says '{said}', from the repealed Personal Data Act; write '{instead}'",
                    )
                    break


# -- kielilaki and Åland ------------------------------------------------------------------------------------


@rule(
    "bilingual-authority",
    E,
    "kielilaki 423/2003 32 §",
    "A bilingual public authority publishes the notice in Finnish and Swedish.",
    "languages: a bilingual authority informs the public in Finnish and Swedish; add sv",
)
def bilingual_authority(f: Facts) -> Iterator[Finding]:
    r = f.register
    missing = [lang for lang in ("fi", "sv") if lang not in r.languages]
    if r.public_authority and r.bilingual and missing:
        yield Finding(
            ("languages",),
            f"a bilingual authority informs the public in Finnish and Swedish; add {' and '.join(missing)}",
        )


@rule(
    "aland-authority",
    E,
    "Art. 13(2)(d), 51, 77; Åland's data protection act for its public sector (section unverified)",
    "An Åland public authority names Ålands datainspektion as the supervisory authority.",
    "supervisory_authority: the Åland public sector is supervised by Ålands datainspektion; name it",
)
def aland_authority(f: Facts) -> Iterator[Finding]:
    if not f.register.aland_public_sector:
        return
    s = f.register.supervisory_authority
    names = [] if s is None or s.name is None else [v for v in (s.name.fi, s.name.sv, s.name.en) if v]
    if not any("datainspektion" in n.lower() for n in names):
        yield Finding(
            ("supervisory_authority",),
            "the Åland public sector is supervised by Ålands datainspektion, not the Data Protection Ombudsman; "
            "name it as the supervisory authority",
        )


# -- transfers: international organisations and Art. 49 ---------------------------------------------------------


@rule(
    "organisation-adequacy",
    W,
    "Art. 45(1)",
    "A transfer to an international organisation does not claim an adequacy decision (the Commission has adopted "
    "none).",
    "transfers[0].safeguard: the Commission has adopted no adequacy decision for an international organisation",
)
def organisation_adequacy(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        if t.organisation is not None and f.fact(t.safeguard, "adequacy"):
            yield Finding(
                ("transfers", i, "safeguard"),
                "the Commission has adopted no adequacy decision for an international organisation; name the "
                "safeguard the transfer rests on",
            )


@rule(
    "derogation-occasional",
    W,
    "Art. 49(1); EDPB Guidelines 2/2018",
    "A transfer resting on an Art. 49 derogation is occasional (occasional: true); regular transfers rest on Art. "
    "45–47.",
    "transfers[0].occasional: derogations are for occasional transfers; write occasional: true, or rest a regular "
    "transfer on Art. 45–47",
)
def derogation_occasional(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        derogation = str(f.fact(t.safeguard, "article") or "").startswith("49")
        if derogation and not f.fact(t.safeguard, "compelling") and not t.occasional:
            yield Finding(
                ("transfers", i, "occasional"),
                "derogations are for occasional transfers; write occasional: true, or rest a regular transfer on "
                "Art. 45–47",
            )


@rule(
    "derogation-compelling",
    E,
    "Art. 49(1), second subparagraph",
    "A transfer on the controller's compelling legitimate interests is not repetitive (occasional: true) and "
    "the notice says what those interests are (details).",
    "transfers[0].details: the transfer rests on compelling legitimate interests; say what they are",
)
def derogation_compelling(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        if not f.fact(t.safeguard, "compelling"):
            continue
        if not t.occasional:
            yield Finding(
                ("transfers", i, "occasional"),
                "a transfer on compelling legitimate interests must not be repetitive; write occasional: true",
            )
        if t.details is None:
            yield Finding(
                ("transfers", i, "details"),
                "the transfer rests on compelling legitimate interests; say what they are, as the data subjects "
                "must be told",
            )
