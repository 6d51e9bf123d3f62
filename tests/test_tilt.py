"""`seloste export tilt`: a TILT document, valid against the pinned TILT schema, filled from the register only."""

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from conftest import MINIMAL, REPO, register_yaml
from jsonschema import Draft7Validator

from generator.facts import GDPR_APPLIES
from generator.validate import validate_paths

SCHEMA = json.loads((REPO / "tests" / "data" / "tilt" / "tilt-schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the sample registers."""
    shutil.copytree(REPO / "registers", tmp_path / "registers")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def errors(document: dict) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_every_sample_in_every_language_validates_against_the_tilt_schema(
    samples: Path, cli: Callable[..., Result]
) -> None:
    entries = validate_paths([samples / "registers"]).registers
    current = [e for e in entries if e.register.version >= GDPR_APPLIES]  # the historic one is refused (below)
    assert len(entries) == len(list((samples / "registers").glob("[!_]*.yaml")))
    assert 0 < len(current) < len(entries)
    for entry in current:
        for lang in entry.register.languages:
            target = samples / f"{entry.register.id}.{lang}.tilt.json"
            result = cli("export", "tilt", entry.register.id, "--lang", lang, "-o", str(target))
            assert result.exit_code == 0, result.output
            document = json.loads(target.read_text(encoding="utf-8"))
            assert errors(document) == [], (entry.register.id, lang)
            assert document["meta"]["language"] == lang
            assert len(document["dataDisclosed"]) == len(entry.register.purposes)


def test_meta_comes_from_the_register_and_the_hash_is_reproducible(samples: Path, cli: Callable[..., Result]) -> None:
    result = cli("export", "tilt", "customer-register", "--lang", "en")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    meta = document["meta"]
    assert (meta["created"], meta["modified"], meta["version"]) == ("2018-05-25", "2026-09-01", 2)
    assert meta["name"] == "Revontuli Energia Ltd" and meta["status"] == "active"
    # TILT's _hash: SHA-256 over the document as compact JSON with sorted keys, _hash itself left out.
    without = {**document, "meta": {k: v for k, v in meta.items() if k != "_hash"}}
    canonical = json.dumps(without, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert meta["_hash"] == hashlib.sha256(canonical).hexdigest()
    assert cli("export", "tilt", "customer-register", "--lang", "en").stdout == result.stdout


def test_the_document_says_what_the_register_says_and_no_more(samples: Path, cli: Callable[..., Result]) -> None:
    document = json.loads(cli("export", "tilt", "customer-register", "--lang", "en").stdout)
    credit = next(d for d in document["dataDisclosed"] if d["purposes"][0]["purpose"].startswith("Checking credit"))
    assert credit["legalBases"][0]["reference"] == "GDPR-6-1-f"
    assert credit["legitimateInterests"][0]["exists"] is True
    assert credit["legitimateInterests"][0]["reasoning"].startswith("We have a legitimate interest")
    assert credit["nonDisclosure"]["contractualRegulation"] is True
    assert credit["nonDisclosure"]["legalRequirement"] is False
    # The transfer rests on standard contractual clauses; the grounds it does not rest on are not claimed.
    [transfer] = document["thirdCountryTransfers"]
    assert transfer["country"] == "IN"
    assert transfer["standardDataProtectionClause"]["available"] is True
    assert "adequacyDecision" not in transfer and "presenceOfEnforceableRightsAndEffectiveRemedies" not in transfer
    assert document["automatedDecisionMaking"]["inUse"] is True
    assert document["rightToComplain"]["supervisoryAuthority"]["name"] == "Office of the Data Protection Ombudsman"


def test_a_right_the_notice_does_not_state_is_not_available(
    write: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # A purpose on a legal obligation alone: no erasure (Art. 17(3)(b)), no portability, nothing to withdraw.
    organisation = MINIMAL.replace("legal_basis: contract", "legal_basis: legal_obligation").replace(
        "  business_id: 2104986-6\n",
        "  business_id: 2104986-6\n  address: Esimerkkikatu 1, 00100 Helsinki\n",
    )
    write(
        "customer.yaml",
        organisation
        + "contact_person: {name: Asiakaspalvelu, email: asiakaspalvelu@esimerkki.example}\n"
        + "dpo: {name: Tietosuojavastaava, address: Esimerkkikatu 1, email: tietosuoja@esimerkki.example}\n",
    )
    result = cli("export", "tilt", "customer-register", "--lang", "fi")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert errors(document) == []
    assert document["rightToDataPortability"] == {"available": False}
    assert document["rightToWithdrawConsent"] == {"available": False}
    assert document["rightToRectificationOrDeletion"]["available"] is True  # rectification still applies


def test_what_tilt_requires_and_the_register_lacks_is_reported_where_to_write_it(
    write: Callable[..., Path], cli: Callable[..., Result], registers: Path
) -> None:
    write("customer.yaml", MINIMAL)
    result = cli("export", "tilt", "customer-register")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("registers/")]
    assert lines == [
        "registers/customer.yaml:1:1: contact_person: TILT requires a person who represents the controller; "
        "give it in the register or _organisation.yaml",
        "registers/customer.yaml:1:1: dpo: TILT requires the data protection officer; "
        "give it in the register or _organisation.yaml",
        "registers/customer.yaml:5:3: controller.address: TILT requires the controller's address; "
        "give it in the register or _organisation.yaml",
    ]
    assert not (registers.parent / "output").exists()


def test_an_unknown_register_is_named_with_the_known_ones(samples: Path, cli: Callable[..., Result]) -> None:
    result = cli("export", "tilt", "customer-registr")
    assert result.exit_code == 1
    assert "no register has the id 'customer-registr'" in result.stderr
    assert "customer-register" in result.stderr


def test_a_historic_description_is_refused_naming_its_date_and_the_law_in_force(
    samples: Path, cli: Callable[..., Result]
) -> None:
    result = cli("export", "tilt", "energy-advice-visits", "--lang", "en", "-o", "historic.json")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "energy-advice-visits: its version 2016-09-01 is dated before 25 May 2018" in result.stderr
    assert "the Personal Data Act (523/1999), not the GDPR" in result.stderr
    assert not (samples / "historic.json").exists()


def test_a_transfer_to_an_international_organisation_names_it_without_a_country(
    write: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    organisation = {
        "fi": "Maailman terveysjärjestö",
        "sv": "Världshälsoorganisationen",
        "en": "World Health Organization",
    }
    transfers = [{"organisation": organisation, "safeguard": "derogation_public_interest"}]
    person = {"name": "Maija Meikäläinen", "email": "maija@esimerkki.example"}
    controller = {
        **yaml.safe_load(MINIMAL)["controller"],
        "address": {"fi": "Katu 1", "sv": "Gatan 1", "en": "Street 1"},
    }
    add = {"contact_person": person, "dpo": {**person, "address": dict(controller["address"])}}
    write("customer.yaml", register_yaml(transfers=transfers, controller=controller, add=add))
    result = cli("export", "tilt", "customer-register", "--lang", "en")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert errors(document) == []
    (transfer,) = document["thirdCountryTransfers"]
    assert "country" not in transfer
    assert transfer["derogation"]["description"].startswith("International organisation: World Health Organization. ")
