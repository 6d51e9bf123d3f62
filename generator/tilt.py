"""Export a notice as a TILT document (Transparency Information Language, TU Berlin).

TILT asks for every fact of a notice in fixed keys (tests/data/tilt/tilt-schema.json holds the
schema the export is checked against). Each key is filled from the register, and only from it:
where the register states nothing, an optional key is left out and an `available` flag is
false; where TILT requires a fact the register does not give (a person representing the
controller, the DPO's address), the export stops with a located message saying what to write.
A register does not tie its data categories to its purposes, so each purpose is one
`dataDisclosed` item holding all the register's categories, as the notice itself says.

TILT describes notices under the GDPR: a historic register description (a version dated before
25 May 2018, under the Personal Data Act 523/1999) is refused rather than described in terms it
was never under. A transfer to an international organisation has no country: TILT's item is
written without `country` (the schema does not require it) and names the organisation in the
description of the ground it rests on.
"""

import hashlib
import json
import re
import uuid
from pathlib import Path
from typing import Any

from .compose import plan
from .errors import Level, Problem, ProblemsFound, SelosteError
from .facts import law_on
from .law import Facts
from .load import FieldPath
from .model import Contact
from .validate import ValidRegister, validate_paths
from .wording import Language, languages

FINLAND = "FI"  # a Finnish Business ID, and the default supervisory authority, say where
PHONE = re.compile(r"^[+]*[(]{0,1}[0-9]{1,4}[)]{0,1}[-\s\./0-9]*$")  # TILT's pattern for telephone numbers
ARTICLE_46 = {"standard_contractual_clauses", "binding_corporate_rules", "code_of_conduct", "certification"}


class ExportError(SelosteError):
    """Raised by `export` and `ropa` when the registers asked for cannot be exported (no such register, ...)."""


def checked_registers(paths: list[Path]) -> list[ValidRegister]:
    """Every register under `paths`, validated; any error stops the export with every problem listed."""
    catalogue = validate_paths(paths)
    errors = [p for p in catalogue.problems if p.level is Level.ERROR]
    if errors:
        raise ProblemsFound(errors)
    return catalogue.registers


def find_register(paths: list[Path], register_id: str) -> ValidRegister:
    """The register with the id `register_id` under `paths`."""
    registers = checked_registers(paths)
    for entry in registers:
        if entry.register.id == register_id:
            return entry
    known = ", ".join(sorted(e.register.id for e in registers)) or "none"
    raise ExportError(f"no register has the id '{register_id}' (the registers: {known})")


def tilt_document(entry: ValidRegister, lang: str) -> dict[str, Any]:
    """The notice of `entry` in `lang` as a TILT document, `meta._hash` included."""
    register = entry.register
    if lang not in register.languages:
        raise ExportError(
            f"{register.id} is not published in '{lang}' (its languages: {', '.join(register.languages)})"
        )
    if law_on(register.version) == "hetil":
        raise ExportError(
            f"{register.id}: its version {register.version.isoformat()} is dated before 25 May 2018, when the law in"
            " force was the Personal Data Act (523/1999), not the GDPR; TILT describes notices under the GDPR, so a"
            " historic register description is not exported"
        )
    words = languages(entry.vocabulary)[lang]
    missing: list[Problem] = []
    document: dict[str, Any] = {
        "meta": _meta(entry, lang, words),
        "controller": _controller(entry, words, missing),
        "dataProtectionOfficer": _dpo(entry, words, missing),
        "dataDisclosed": _data_disclosed(entry, words, missing),
        "thirdCountryTransfers": [_transfer(t, words) for t in register.transfers or []],
        "accessAndDataPortability": _right(entry, words, "access"),
        "sources": _sources(entry, words),
        "rightToInformation": _information(entry, words),
        "rightToRectificationOrDeletion": _right(entry, words, "rectification", "erasure"),
        "rightToDataPortability": _right(entry, words, "portability"),
        "rightToWithdrawConsent": _withdraw_consent(entry, words),
        "rightToComplain": _complaint(entry, words),
        "automatedDecisionMaking": _automated(entry, words, missing),
        "changesOfPurpose": [],  # a register announces no planned change of purpose
    }
    if missing:
        raise ProblemsFound(sorted(missing))
    document["meta"]["_hash"] = tilt_hash(document)
    return document


def tilt_json(entry: ValidRegister, lang: str) -> str:
    """The TILT document as JSON text, keys sorted: the same register gives the same bytes."""
    return json.dumps(tilt_document(entry, lang), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def tilt_hash(document: dict[str, Any]) -> str:
    """TILT's `meta._hash`: SHA-256 over the document as compact JSON with sorted keys, its own `_hash` left out."""
    meta = {k: v for k, v in document["meta"].items() if k != "_hash"}
    canonical = json.dumps({**document, "meta": meta}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _meta(entry: ValidRegister, lang: str, words: Language) -> dict[str, Any]:
    register = entry.register
    dates = [v.version for v in register.history] + [register.version]
    # A stable identifier: the same register, version and language always get the same one.
    key = f"seloste:{register.controller.business_id or words.text(register.controller.name)}/{register.id}"
    return {
        "_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{key}/{register.version.isoformat()}/{lang}")),
        "name": words.text(register.controller.name),
        "created": min(dates).isoformat(),
        "modified": register.version.isoformat(),
        "version": len({v.version for v in register.history} - {register.version}) + 1,  # the current may be listed
        "language": lang,
        "status": "active",
        "url": f"{lang}/{register.id}/index.html",  # the page, relative to the output folder
        "_hash": "",
    }


def _require(entry: ValidRegister, value: Any, path: FieldPath, what: str, missing: list[Problem]) -> Any:
    if value is None:
        missing.append(entry.problem(path, f"TILT requires {what}; give it in the register or _organisation.yaml"))
    return value


def _controller(entry: ValidRegister, words: Language, missing: list[Problem]) -> dict[str, Any]:
    controller = entry.register.controller
    person = entry.register.contact_person
    _require(entry, controller.address, ("controller", "address"), "the controller's address", missing)
    _require(entry, controller.business_id, ("controller", "business_id"), "the controller's country", missing)
    _require(entry, person, ("contact_person",), "a person who represents the controller", missing)
    representative: dict[str, Any] = {}
    if person is not None:
        _require(entry, person.name, ("contact_person", "name"), "the contact person's name", missing)
        _require(entry, person.email, ("contact_person", "email"), "the contact person's e-mail address", missing)
        representative = _person(person, words)
    return {
        "name": words.text(controller.name),
        "address": _one_line(words.text(controller.address)) if controller.address else "",
        "country": FINLAND,
        "representative": representative,
    }


def _dpo(entry: ValidRegister, words: Language, missing: list[Problem]) -> dict[str, Any]:
    dpo = _require(entry, entry.register.dpo, ("dpo",), "the data protection officer", missing)
    if dpo is None:
        return {}
    _require(entry, dpo.address, ("dpo", "address"), "the data protection officer's address", missing)
    _require(entry, dpo.email, ("dpo", "email"), "the data protection officer's e-mail address", missing)
    return {
        **_person(dpo, words),
        "address": _one_line(words.text(dpo.address)) if dpo.address else "",
        "country": FINLAND,
    }


def _person(contact: Contact, words: Language) -> dict[str, Any]:
    """Name, e-mail and (where TILT can read it) telephone of a contact."""
    person: dict[str, Any] = {"name": words.text(contact.name) if contact.name else "", "email": contact.email or ""}
    if contact.phone and PHONE.match(contact.phone):
        person["phone"] = contact.phone
    return person


def _data_disclosed(entry: ValidRegister, words: Language, missing: list[Problem]) -> list[dict[str, Any]]:
    """One item per purpose: the register's data, the purpose, its legal bases and interests, recipients, storage."""
    register = entry.register
    category = words.list(words.item(e) for e in register.data_categories)
    recipients = [{"category": words.item(e)} for e in [*(register.recipients or []), *register.processors]]
    storage = [{"temporal": [], "aggregationFunction": "max"}]
    if register.retention is not None:
        storage[0]["purposeConditional"] = [words.text(register.retention)]
    items = []
    for index, purpose in enumerate(register.purposes, start=1):
        bases = [t for t in (purpose.legal_basis, purpose.special_category_condition) if t is not None]
        interests = purpose.legal_basis is not None and purpose.legal_basis.key == "legitimate_interests"
        if interests:
            path = ("purposes", index - 1, "legitimate_interests")
            _require(entry, purpose.legitimate_interests, path, "the legitimate interests pursued", missing)
        items.append(
            {
                "_id": f"{register.id}-purpose-{index}",
                "category": category,
                "purposes": [
                    {
                        "purpose": words.item(purpose),
                        "description": words.text(purpose.details) if purpose.details else words.item(purpose),
                    }
                ],
                "legalBases": [{"reference": _reference(words, t), "description": words.term_text(t)} for t in bases],
                "legitimateInterests": [
                    {
                        "exists": interests,
                        **(
                            {"reasoning": words.text(purpose.legitimate_interests)}
                            if purpose.legitimate_interests
                            else {}
                        ),
                    }
                ],
                "recipients": recipients,
                "storage": storage,
                "nonDisclosure": _non_disclosure(entry, words),
            }
        )
    return items


def _reference(words: Language, term: Any) -> str:
    """TILT's reference for a provision: Art. 6(1)(b) GDPR is GDPR-6-1-b."""
    return "GDPR-" + "-".join(re.findall(r"\w+", str(words.fact(term, "article"))))


def _non_disclosure(entry: ValidRegister, words: Language) -> dict[str, Any]:
    """Art. 13(2)(e) as the register states it; a register that states no requirement obliges no one to provide."""
    requirement = entry.register.requirement
    kind = requirement.kind.key if requirement else "voluntary"
    return {
        "legalRequirement": kind == "statutory",
        "contractualRegulation": kind in ("contractual", "contract_precondition"),
        "obligationToProvide": kind != "voluntary",
        "consequences": words.text(requirement.consequences) if requirement and requirement.consequences else "",
    }


def _transfer(transfer: Any, words: Language) -> dict[str, Any]:
    """A transfer: its country, and the one ground it rests on; the grounds it does not rest on are not stated.
    An international organisation has no country code: its name leads the description instead."""
    item: dict[str, Any] = {}
    description = words.term_text(transfer.safeguard)
    if transfer.country is not None:
        item["country"] = transfer.country
    elif transfer.organisation is not None:
        description = f"{words.label('organisation')}: {words.text(transfer.organisation)}. {description}"
    else:  # a conditional transfer to a destination not named: outside the EU/EEA, and when
        description = f"{words.label('destination_unnamed')}: {words.text(transfer.when)}. {description}"
    stated: dict[str, Any] = {"available": True, "description": description}
    if transfer.safeguard_copy is not None:
        stated["description"] += " " + words.text(transfer.safeguard_copy)
    key = transfer.safeguard.key
    if key == "adequacy_decision":
        item["adequacyDecision"] = stated
    elif key in ARTICLE_46:
        item["appropriateGuarantees"] = stated
        if key == "standard_contractual_clauses":
            item["standardDataProtectionClause"] = stated
    else:  # a derogation of Art. 49: none of TILT's grounds, told in words
        item["derogation"] = stated
    return item


def _sources(entry: ValidRegister, words: Language) -> list[dict[str, Any]]:
    """The sources other than the data subject (TILT's `sources` is Art. 14's), with whether each is public."""
    facts = Facts(entry)
    elsewhere = [s for s in entry.register.sources if not (s.data_subject or facts.fact(s.term, "data_subject"))]
    if not elsewhere:
        return []
    return [
        {
            "_id": f"{entry.register.id}-sources",
            "dataCategory": words.list(words.item(e) for e in entry.register.data_categories),
            "sources": [
                {
                    "description": words.item(s),
                    "url": "",  # a register names its sources, not their addresses
                    "publiclyAvailable": bool(s.public or facts.fact(s.term, "public")),
                }
                for s in elsewhere
            ],
        }
    ]


def _rights(entry: ValidRegister) -> set[str]:
    planned = plan(entry.register, entry.vocabulary)
    return set(planned.rights) | set(planned.objections) | ({"withdraw_consent"} if planned.withdraw_consent else set())


def _described(words: Language, *texts: str | None) -> dict[str, Any]:
    """An available right and its description: what the notice says of it, and how it is exercised."""
    return {"available": True, "description": "\n\n".join(t for t in texts if t)}


def _exercise(entry: ValidRegister, words: Language) -> str | None:
    text = entry.register.exercise_rights
    return words.text(text) if text is not None else None


def _information(entry: ValidRegister, words: Language) -> dict[str, Any]:
    """The right to be informed is what the notice itself fulfils: named by its title, with how to ask more."""
    register = entry.register
    notice = f"{words.document_name(register, register.layout)}: {words.text(register.title)}"
    return _described(words, notice, _exercise(entry, words))


def _right(entry: ValidRegister, words: Language, *keys: str) -> dict[str, Any]:
    """A right as the notice states it: available when the notice lists it, with its wording and how to exercise it."""
    listed = [key for key in keys if key in _rights(entry)]
    if not listed:
        return {"available": False}
    texts = [words.term_text(words.term_of("rights", key)) for key in listed]
    return _described(words, *texts, _exercise(entry, words))


def _withdraw_consent(entry: ValidRegister, words: Language) -> dict[str, Any]:
    if "withdraw_consent" not in _rights(entry):
        return {"available": False}
    text = entry.register.consent_withdrawal
    return _described(
        words, words.term_text(words.term_of("rights", "withdraw_consent")), words.text(text) if text else None
    )


def _complaint(entry: ValidRegister, words: Language) -> dict[str, Any]:
    """The right to complain, always stated, and the authority: the register's or the Finnish ombudsman."""
    named = entry.register.supervisory_authority
    authority = named or words.default_authority
    body: dict[str, Any] = {"name": words.text(authority.name) if authority.name else ""}
    if authority.address:
        body["address"] = _one_line(words.text(authority.address))
    if named is None:
        body["country"] = FINLAND
    if authority.email:
        body["email"] = authority.email
    if authority.phone and PHONE.match(authority.phone):
        body["phone"] = authority.phone
    return {
        **_described(words, words.term_text(words.term_of("rights", "complaint"))),
        "supervisoryAuthority": body,
    }


def _automated(entry: ValidRegister, words: Language, missing: list[Problem]) -> dict[str, Any]:
    decisions = entry.register.automated_decisions
    if decisions is None:
        return {}
    if decisions.used:
        where = ("automated_decisions",)
        _require(entry, decisions.logic, where + ("logic",), "the logic of the automated decisions", missing)
        _require(entry, decisions.significance, where + ("significance",), "their significance", missing)
    out: dict[str, Any] = {"inUse": decisions.used}
    if decisions.logic is not None:
        out["logicInvolved"] = words.text(decisions.logic)
    if decisions.significance is not None:
        out["scopeAndIntendedEffects"] = words.text(decisions.significance)
    return out


def _one_line(text: str) -> str:
    """A postal address on one line, as TILT writes addresses."""
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())
