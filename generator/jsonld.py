"""The machine-readable twin of a notice: JSON-LD in the terms of the W3C Data Privacy Vocabulary (DPV 2.x).

Every page carries it as a data block, and output/<lang>/<id>/notice.jsonld holds the same
document. It says what the notice says and nothing else: the notice type (GDPR Art. 13 or 14),
the controller, the DPO, each purpose with its legal bases, the data, the data subjects, the
recipients, transfers, retention and the rights. A historic register description (a version
dated before 25 May 2018) was never under the GDPR: its document names the Personal Data Act
(523/1999) and Finland as what governed it and uses no GDPR term (no Art. 13/14 notice type,
legal basis, GDPR right or complaint); its rights are those the description lists, in its
words. The shipped vocabulary maps onto DPV in
generator/dpv.yaml; an item no DPV term fits is typed with its group's general class and named
by the notice's own words. The @context is written out in full, so reading the document never
fetches anything. Nothing internal (the register's `internal:` block) is read here.
"""

import html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import nh3

from .compose import Plan, plan
from .errors import ToolError
from .load import load_file
from .model import Contact
from .validate import ValidRegister
from .values import Markdown, Term, Text
from .wording import Language, languages, qualified

DPV_MAP_FILE = Path(__file__).resolve().parent / "dpv.yaml"

# The prefixes of every compact IRI the documents use, inlined so that no parser fetches a context.
CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "legal-fi": "https://w3id.org/dpv/legal/fi#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# The class an item of each group has when no DPV term of its own fits (and the organisation's own terms).
GENERAL = {
    "purposes": "dpv:Purpose",
    "data_subjects": "dpv:DataSubject",
    "data_categories": "dpv:PersonalData",
    "sources": "dpv:DataSource",
    "recipients": "dpv:Recipient",
    "processors": "dpv:DataProcessor",
    "laws": "dpv:Law",
}

NOTICE = "index.html"  # the page the document describes, relative to where both are published
DIRECT = "eu-gdpr:DirectDataCollectionNotice"  # Art. 13
INDIRECT = "eu-gdpr:IndirectDataCollectionNotice"  # Art. 14
COMPLAINT = "eu-gdpr:A77"
WITHDRAW_CONSENT = "eu-gdpr:A7-3"
FINNISH_AUTHORITY = "legal-fi:DPA-FI"  # the Office of the Data Protection Ombudsman
FINLAND = "loc:FI"  # the jurisdiction of a historic description, under the Finnish Personal Data Act
# The Art. 22(3) safeguards a notice states with decisions made on a contract or explicit consent:
# human intervention, expressing one's point of view, contesting the decision.
DECISION_SAFEGUARDS = ("eu-gdpr:A22-3-a", "eu-gdpr:A22-3-b", "eu-gdpr:A22-3-c")


@lru_cache(maxsize=1)
def dpv_map() -> dict[str, dict[str, dict[str, str]]]:
    """generator/dpv.yaml: for each vocabulary group and term, its DPV term (`dpv`) or why there is none (`none`)."""
    loaded = load_file(DPV_MAP_FILE)
    if loaded.problems or not isinstance(loaded.data, dict):
        raise ToolError(f"the shipped file {DPV_MAP_FILE} is broken: " + "; ".join(map(str, loaded.problems)))
    return loaded.data  # type: ignore[return-value]


def dpv_term(group: str, key: str) -> str | None:
    """The DPV term a shipped vocabulary term maps to, or None (an organisation's own term, or no DPV term fits)."""
    return dpv_map().get(group, {}).get(key, {}).get("dpv")


def notice_jsonld(entry: ValidRegister, lang: str) -> str:
    """The notice of `entry` in `lang` as a JSON-LD document: sorted keys, no clock, the same bytes every time."""
    return serialise(notice_document(entry, lang))


def serialise(document: dict[str, Any], *, compact: bool = False) -> str:
    """A JSON-LD document as text: indented for notice.jsonld, on one line (`compact`) for the page's data block."""
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 1}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, **layout) + "\n"


def notice_document(entry: ValidRegister, lang: str) -> dict[str, Any]:
    """The JSON-LD document as data: the notice and the processing it describes."""
    register = entry.register
    planned = plan(register, entry.vocabulary)
    words = _Words(entry, lang, planned)
    facts = planned.facts
    notice_types = ["dpv:PrivacyNotice"]
    if facts.from_data_subject and not facts.historic:
        notice_types.append(DIRECT)
    if facts.from_elsewhere and not facts.historic:
        notice_types.append(INDIRECT)
    dates = [v.version for v in register.history] + [register.version]
    notice = {
        "@id": NOTICE,
        "@type": notice_types,
        "dct:title": words.literal(register.title),
        "dct:language": lang,
        "dct:created": _date(min(dates).isoformat()),
        "dct:modified": _date(register.version.isoformat()),
    }
    given = register.dates
    if given is not None:
        # The organisation's own dating: drawn up is when the notice was created, updated when it
        # was last changed, published when it was issued. The version keys the archive either way.
        for key, term in (("drawn_up", "dct:created"), ("updated", "dct:modified"), ("published", "dct:issued")):
            if getattr(given, key) is not None:
                notice[term] = _date(getattr(given, key).isoformat())
    if facts.historic:
        notice["dpv:hasJurisdiction"] = {"@id": FINLAND}
        notice["dpv:hasApplicableLaw"] = {
            "@type": "dpv:Law",
            "rdfs:label": words.wording("labels", "personal_data_act"),
        }
    process: dict[str, Any] = {
        "@id": f"{NOTICE}#processing",
        "@type": "dpv:Process",
        "dpv:hasNotice": {"@id": NOTICE},
        "dpv:hasDataController": _controller(entry, planned, words),
        "dpv:hasProcess": [_purpose(p, planned, words) for p in register.purposes],
        "dpv:hasDataSubject": [words.item(e, "data_subjects") for e in register.data_subjects],
        "dpv:hasPersonalData": [_data_category(e, words) for e in register.data_categories],
        "dpv:hasDataSource": [words.item(e, "sources") for e in register.sources],
        "dpv:hasRecipient": [words.item(e, "recipients") for e in register.recipients or []],
        "dpv:hasDataProcessor": [words.item(e, "processors") for e in register.processors],
        "dpv:hasRight": _rights(planned, words),
    }
    if planned.has("complaint"):
        process["dpv:hasAuthority"] = _authority(register.supervisory_authority, words)
    if register.transfers:
        process["dpv:hasProcess"] += [_transfer(t, planned, words) for t in register.transfers]
    if register.retention is not None and planned.has("retention"):
        process["dpv:hasStorageCondition"] = {
            "@type": "dpv:StorageDuration",
            "dct:description": words.literal(register.retention),
        }
    return {"@context": CONTEXT, "@graph": [notice, {k: v for k, v in process.items() if v != []}]}


class _Words:
    """The register's words in one language, as JSON-LD literals and labelled nodes."""

    def __init__(self, entry: ValidRegister, lang: str, planned: Plan) -> None:
        self.vocabulary = entry.vocabulary
        self.lang = lang
        self.plan = planned  # with the language's headings, resolves the cross-references of Markdown texts
        self.language = languages(self.vocabulary)[lang]

    def wording(self, group: str, key: str) -> dict[str, str]:
        """A text of the notice's own wording (templates/<lang>/wording.yaml) as a literal."""
        return {"@value": str(languages(self.vocabulary)[self.lang].words[group][key]), "@language": self.lang}

    def literal(self, text: Text) -> dict[str, str]:
        if isinstance(text, Markdown):
            value = plain(text.get(self.lang), self.plan, self.language)
        else:
            value = text.get(self.lang)
        return {"@value": value, "@language": self.lang}

    def label(self, term: Term) -> dict[str, str]:
        return {"@value": self.vocabulary.wording(term.group, term.key, self.lang).label, "@language": self.lang}

    def item(self, entry: Any, group: str, *extra: str) -> dict[str, Any]:
        """A list entry as a node: typed with its DPV term (or the group's general class), named in the language."""
        term = entry.term
        mapped = dpv_term(term.group, term.key) if term is not None else None
        node: dict[str, Any] = {
            "@type": _types(mapped or _own_term_class(entry, group, self), *extra),
            "rdfs:label": self.label(term) if term is not None else self.literal(entry.text),
        }
        qualifier = getattr(entry, "qualifier", None)
        if qualifier is not None:  # "possibly bank account number", as the notice says it
            node["rdfs:label"]["@value"] = qualified(qualifier.get(self.lang), node["rdfs:label"]["@value"])
        if entry.details is not None:
            node["dct:description"] = self.literal(entry.details)
        return node


def plain(markdown_text: str, planned: Plan, language: Language) -> str:
    """A Markdown text as plain text: rendered and sanitised as in the page, its cross-references
    resolved as the page resolves them, then stripped of its tags. A reader of the JSON-LD gets the
    words, never a link the page itself would have refused."""
    from .render import _markdown, resolve_references  # here, not above: render imports this module

    rendered = resolve_references(_markdown(markdown_text), planned, language)
    return html.unescape(nh3.clean(str(rendered), tags=set())).strip()


def _own_term_class(entry: Any, group: str, words: _Words) -> str:
    """The class of an item no shipped term maps: a source says whether it is the data subject or public."""
    if group == "sources":
        term = entry.term
        fact = (lambda name: words.vocabulary.fact(term.group, term.key, name)) if term else (lambda name: None)
        if entry.data_subject or fact("data_subject"):
            return "dpv:DataSubjectDataSource"
        if entry.public or fact("public"):
            return "dpv:PublicDataSource"
    return GENERAL[group]


def _types(*names: str) -> list[str] | str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else unique


def _date(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:date"}


def _data_category(entry: Any, words: _Words) -> dict[str, Any]:
    """A category of data; special categories (Art. 9) are marked as such, as the register or its term says."""
    term = entry.term
    special = entry.special or (term is not None and words.vocabulary.fact(term.group, term.key, "special"))
    criminal = entry.criminal or (term is not None and words.vocabulary.fact(term.group, term.key, "criminal"))
    extra = (["dpv:SpecialCategoryPersonalData"] if special else []) + (["pd:Criminal"] if criminal else [])
    return words.item(entry, "data_categories", *extra)


def _purpose(purpose: Any, planned: Plan, words: _Words) -> dict[str, Any]:
    """One purpose as a process of its own, with the legal bases it rests on and the laws that govern it.
    A historic description names no GDPR legal basis: the GDPR did not yet apply."""
    node: dict[str, Any] = {"@type": "dpv:Process", "dpv:hasPurpose": words.item(purpose, "purposes")}
    bases = [t for t in (purpose.legal_basis, purpose.special_category_condition) if t is not None]
    bases = [] if planned.facts.historic else bases
    if bases:
        node["dpv:hasLegalBasis"] = [{"@id": dpv_term(t.group, t.key)} for t in bases]
    if purpose.legitimate_interests is not None:
        node["rdfs:comment"] = words.literal(purpose.legitimate_interests)
    if purpose.national_law:
        node["dpv:hasApplicableLaw"] = [words.item(law, "laws") for law in purpose.national_law]
    return node


def _transfer(transfer: Any, planned: Plan, words: _Words) -> dict[str, Any]:
    """A transfer outside the EU/EEA: the country or international organisation, what it rests on, who receives it.

    DPV's locations are countries and regions: an international organisation has no `loc:` term, so
    such a transfer names no third country and the organisation is its recipient, by its name."""
    node: dict[str, Any] = {"@type": "dpv:Process", "dpv:hasProcessing": {"@id": "dpv:CrossBorderTransfer"}}
    if transfer.country is not None:
        node["dpv:hasThirdCountry"] = {"@id": f"loc:{transfer.country}"}
    if not planned.facts.historic:  # the safeguards are the GDPR's (Art. 45-49)
        node["dpv:hasLegalBasis"] = {"@id": dpv_term(transfer.safeguard.group, transfer.safeguard.key)}
    recipients = []
    if transfer.organisation is not None:
        recipients.append({"@type": "dpv:Recipient", "rdfs:label": words.literal(transfer.organisation)})
    if transfer.recipient is not None:
        recipients.append({"@type": "dpv:Recipient", "rdfs:label": words.literal(transfer.recipient)})
    if recipients:
        node["dpv:hasRecipient"] = recipients[0] if len(recipients) == 1 else recipients
    notes = [t for t in (transfer.safeguard_copy, transfer.details) if t is not None]
    if notes:
        node["rdfs:comment"] = [words.literal(t) for t in notes]
    return node


def _party(contact: Contact, kind: str, words: _Words) -> dict[str, Any]:
    """A controller, DPO or representative: its name and the contact details the register gives."""
    node: dict[str, Any] = {"@type": kind}
    if contact.name is not None:
        node["dpv:hasName"] = words.literal(contact.name)
    if contact.address is not None:
        node["dpv:hasAddress"] = words.literal(contact.address)
    contacts = []
    if contact.email:
        contacts.append({"@id": f"mailto:{contact.email}"})
    if contact.phone:
        contacts.append({"@id": "tel:" + "".join(contact.phone.split())})
    if contact.web:
        contacts.append({"@id": contact.web})
    if contacts:
        node["dpv:hasContact"] = contacts
    return node


def _controller(entry: ValidRegister, planned: Plan, words: _Words) -> dict[str, Any]:
    register = entry.register
    node = _party(register.controller, "dpv:DataController", words)
    node["@id"] = f"{NOTICE}#controller"
    if register.controller.business_id:
        node["dpv:hasIdentifier"] = register.controller.business_id
    if register.dpo is not None and planned.has("dpo"):
        node["dpv:hasDataProtectionOfficer"] = _party(register.dpo, "dpv:DataProtectionOfficer", words)
    if register.representative is not None:
        node["dpv:hasRepresentative"] = _party(register.representative, "dpv:Representative", words)
    return node


def _rights(planned: Plan, words: _Words) -> list[dict[str, Any]]:
    """The rights the notice states (facts.py works out its list), as DPV's GDPR terms: those of the
    rights section, the objections, withdrawing consent, the Art. 22(3) safeguards where the notice
    states them with automated decisions, and the complaint. A historic description's rights were
    the Personal Data Act's, which DPV has no terms for: each is a data subject right in its words."""
    if planned.facts.historic:
        return [
            {"@type": "dpv:DataSubjectRight", "rdfs:label": words.wording("labels", str(planned.right_wording(key)))}
            for key in planned.rights
        ]
    rights = [dpv_term("rights", key) for key in planned.rights + planned.objections]
    if planned.withdraw_consent:
        rights.append(WITHDRAW_CONSENT)
    if planned.facts.decision_safeguards and planned.has("automated_decisions"):
        rights += DECISION_SAFEGUARDS
    if planned.has("complaint"):
        rights.append(COMPLAINT)
    return [{"@id": right} for right in dict.fromkeys(r for r in rights if r)]


def _authority(authority: Contact | None, words: _Words) -> dict[str, Any]:
    """The supervisory authority: DPV's own term for the Finnish one, unless the register names another."""
    if authority is None:
        return {"@id": FINNISH_AUTHORITY}
    return _party(authority, "dpv:DataProtectionAuthority", words)
