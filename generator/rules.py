"""The rules `seloste check` applies: GDPR Art. 13/14 completeness, consistency, language parity.

A rule is a small function that yields a Finding for each problem, registered with its id,
level and article. Completeness errors in a GDPR notice are warnings in the classic register
description, which is judged first by what that form required (rules marked `legacy`).
"""

import re
from collections.abc import Iterator

from .errors import Level
from .law import ADEQUATE, EEA, Facts, Finding, rule, texts_of

E, W = Level.ERROR, Level.WARNING
GDPR_LAYOUTS = ("gdpr", "questions")
LEGACY = ("register-description",)

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
    legacy_level=W,
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


@rule(
    "sources",
    W,
    "Art. 14(2)(f)",
    "The sources of the data are stated (when none are, the data is taken to come from the data subject).",
    "sources: the sources of the data are not stated; Art. 13 is assumed",
)
def sources(f: Facts) -> Iterator[Finding]:
    if not f.register.sources:
        yield Finding(("sources",), "the sources of the data are not stated; Art. 13 is assumed")


@rule(
    "transfers-stated",
    W,
    "Art. 13(1)(f), 14(1)(f)",
    "The notice says whether data leaves the EU/EEA (transfers: [] when it does not).",
    "transfers: the notice does not say whether data is transferred outside the EU/EEA; write transfers: [] if it is not",
)
def transfers_stated(f: Facts) -> Iterator[Finding]:
    if f.register.transfers is None:
        yield Finding(
            ("transfers",),
            "the notice does not say whether data is transferred outside the EU/EEA; write transfers: [] if it is not",
        )


@rule(
    "transfer-copy",
    E,
    "Art. 13(1)(f), 14(1)(f)",
    "A transfer on safeguards (Art. 46/47) says where a copy of them can be obtained.",
    "transfers[0].safeguard_copy: say where or how a copy of the safeguards can be obtained",
    legacy_level=W,
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
    legacy_level=W,
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
    legacy_level=W,
)
def rights_stated(f: Facts) -> Iterator[Finding]:
    if f.register.rights is None:
        return  # the notice derives them from the legal bases
    required = {"access": "15", "rectification": "16", "restriction": "18"}
    if not f.bases or f.bases - {"legal_obligation", "public_task"}:
        required["erasure"] = "17"
    if f.bases & {"consent", "contract"}:
        required["portability"] = "20"
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
    consent = "consent" in f.bases or any(
        p.special_category_condition and p.special_category_condition.key == "explicit_consent"
        for p in f.register.purposes
    )
    if consent and f.register.rights is not None and "withdraw_consent" not in _listed(f):
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
    "complaint",
    E,
    "Art. 13(2)(d), 14(2)(e)",
    "Where rights are listed by hand, the right to complain to the supervisory authority is among them.",
    "rights: the right to lodge a complaint with a supervisory authority is not listed",
    legacy_level=W,
)
def complaint(f: Facts) -> Iterator[Finding]:
    if f.register.rights is not None and "complaint" not in _listed(f):
        yield Finding(("rights",), "the right to lodge a complaint with a supervisory authority is not listed")


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
    "Data collected from the data subject: whether providing it is required, and what follows if not.",
    "requirement: data is collected from the data subject, so say whether providing it is required and what follows if not",
    legacy_level=W,
)
def requirement(f: Facts) -> Iterator[Finding]:
    if f.from_data_subject and f.register.requirement is None:
        yield Finding(
            ("requirement",),
            "data is collected from the data subject, so say whether providing it is required and what follows if not",
        )


@rule(
    "requirement-consequences",
    W,
    "Art. 13(2)(e)",
    "A statutory or contractual requirement names the consequences of not providing the data.",
    "requirement.consequences: say what follows if the data is not provided",
)
def requirement_consequences(f: Facts) -> Iterator[Finding]:
    r = f.register.requirement
    if r is not None and r.kind.key != "voluntary" and not r.consequences:
        yield Finding(("requirement", "consequences"), "say what follows if the data is not provided")


@rule(
    "automated-decisions",
    W,
    "Art. 13(2)(f), 14(2)(g)",
    "The notice says whether automated decisions are made (WP260 recommends saying so even when none are).",
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


# -- the classic register description (Personal Data Act 523/1999, section 10) ---------------------


@rule(
    "legacy-content",
    E,
    "HetiL 523/1999 10 § 3 k.",
    "A register description describes the data subjects and their data.",
    "data_categories: a register description lists the groups of data subjects and their data",
    layouts=LEGACY,
)
def legacy_content(f: Facts) -> Iterator[Finding]:
    if not f.register.data_categories and not f.register.data_subjects:
        yield Finding(("data_categories",), "a register description lists the groups of data subjects and their data")


@rule(
    "legacy-transfers",
    E,
    "HetiL 523/1999 10 § 4 k.",
    "A register description says whether data is transferred outside the EU/EEA.",
    "transfers: a register description says whether data is transferred outside the EU/EEA (transfers: [] if not)",
    layouts=LEGACY,
)
def legacy_transfers(f: Facts) -> Iterator[Finding]:
    if f.register.transfers is None:
        yield Finding(
            ("transfers",),
            "a register description says whether data is transferred outside the EU/EEA (transfers: [] if not)",
        )


@rule(
    "legacy-security",
    E,
    "HetiL 523/1999 10 § 5 k.",
    "A register description describes the principles of protecting the register.",
    "security: a register description describes the principles of protecting the register",
    layouts=LEGACY,
)
def legacy_security(f: Facts) -> Iterator[Finding]:
    if f.register.security is None:
        yield Finding(("security",), "a register description describes the principles of protecting the register")


# -- consistency ----------------------------------------------------------------------------------


@rule(
    "authority-legitimate-interests",
    W,
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


@rule(
    "access-fee",
    W,
    "Art. 12(5), 15(3)",
    "The notice sets no fee and no once-a-year limit on requests (a rule of the old Personal Data Act).",
    "exercise_rights: the text (fi) limits requests to once a year or charges a fee: 'kerran vuodessa'",
)
def access_fee(f: Facts) -> Iterator[Finding]:
    texts = f.texts
    everything = "\n".join(value or "" for _, text in texts for value in text.values()).lower()
    if not any(hint in everything for hint in FEE_HINTS) or not FEES.search(everything):
        return  # the hints first, then one search over everything; texts one by one only to locate a find
    for path, text in texts:
        for lang, value in text.items():
            match = FEES.search(value or "")
            if match:
                yield Finding(
                    path,
                    f"the text ({lang}) limits requests to once a year or charges a fee: '{match.group(0)}'; "
                    "exercising the rights is free of charge",
                )


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
    W,
    "Art. 45",
    "A transfer said to rest on an adequacy decision goes to a country that has one.",
    "transfers[0].safeguard: IN has no adequacy decision of the European Commission; name the safeguard the transfer rests on",
)
def adequacy(f: Facts) -> Iterator[Finding]:
    for i, t in enumerate(f.register.transfers or []):
        if f.fact(t.safeguard, "adequacy") and t.country not in ADEQUATE and t.country not in EEA:
            yield Finding(
                ("transfers", i, "safeguard"),
                f"{t.country} has no adequacy decision of the European Commission; name the safeguard the transfer rests on",
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
        "portability": (bool(f.bases & {"consent", "contract"}), "no purpose rests on consent or a contract"),
        "object": (f.objectable(), "no purpose rests on legitimate interests or a public task"),
        "object_direct_marketing": (f.direct_marketing(), "no purpose is direct marketing"),
        "withdraw_consent": (
            "consent" in f.bases
            or any(
                p.special_category_condition and p.special_category_condition.key == "explicit_consent"
                for p in f.register.purposes
            ),
            "no purpose rests on consent",
        ),
        "erasure": (
            not f.bases or bool(f.bases - {"legal_obligation", "public_task"}),
            "every purpose rests on a legal obligation or a public task (Art. 17(3)(b))",
        ),
        "automated_decisions": (
            bool(f.register.automated_decisions and f.register.automated_decisions.used),
            "no automated decisions are made",
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
    profiling = any(p.term and p.term.key == "marketing_profiling" for p in f.register.purposes)
    if profiling and f.register.automated_decisions is None:
        yield Finding(
            ("automated_decisions",), "a purpose uses profiling, but the notice says nothing about automated decisions"
        )


@rule(
    "special-condition",
    W,
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
    "purposes[0].special_category_condition: an Art. 9(2) condition is named, but no data category is a special category",
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


@rule(
    "criminal-data",
    W,
    "Art. 10",
    "Data on criminal convictions and offences rests on national law, which the notice names.",
    "data_categories[3]: data on criminal offences is processed; name the national law that allows it (national_law)",
)
def criminal_data(f: Facts) -> Iterator[Finding]:
    if any(p.national_law for p in f.register.purposes):
        return
    for i, item in enumerate(f.register.data_categories):
        if f.criminal(item):
            yield Finding(
                ("data_categories", i),
                "data on criminal offences is processed; name the national law that allows it (national_law)",
            )


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
    "Earlier versions listed in the history are earlier than the current version.",
    "history[0].version: 2026-01-01 is not earlier than the current version 2025-03-01",
)
def history_order(f: Facts) -> Iterator[Finding]:
    for i, v in enumerate(f.register.history):
        if v.version >= f.register.version:
            yield Finding(
                ("history", i, "version"), f"{v.version} is not earlier than the current version {f.register.version}"
            )


# -- language parity ------------------------------------------------------------------------------


@rule(
    "stale-translation",
    W,
    "Art. 12(1)",
    "A text changed in one language since the last archived version has changed in the others too.",
    "retention: the fi text changed since version 2024-01-01, but the sv and en texts did not; bring the translations up to date",
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
                f"{' and '.join(unchanged)} text{'s' if len(unchanged) > 1 else ''} did not; bring the translations up to date",
            )


# -- Finnish law and the GDPR items notices most often miss ---------------------------------------
# Kept in rules_finland.py; importing it here registers its rules after the ones above.

from . import rules_finland  # noqa: E402, F401
