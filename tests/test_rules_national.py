"""The rules of Finnish law and the GDPR items notices miss: each fires on a register that breaks it.

Every case writes a real register file (YAML) into a temporary registers/ folder and runs the real
`seloste check` on it: once with one thing broken, once with it put right.
"""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator.rules  # noqa: F401 - registers the rules
from generator.check import check
from generator.law import RULES, rule_book

TEXT = {"fi": "Teksti", "sv": "Text", "en": "Text"}
LI = {"term": "direct_marketing", "legal_basis": "legitimate_interests", "legitimate_interests": TEXT}
CONTRACT = {"term": "customer_relationship", "legal_basis": "contract"}

# A complete register that keeps every rule (the same as tests/test_law.py's).
COMPLETE: dict[str, Any] = {
    "id": "customer-register",
    "version": "2025-03-01",
    "title": {"fi": "Asiakasrekisteri", "sv": "Kundregister", "en": "Customer register"},
    "controller": {
        "name": {"fi": "Esimerkki Oy", "sv": "Exempel Ab", "en": "Esimerkki Ltd"},
        "business_id": "2104986-6",
        "email": "tietosuoja@esimerkki.example",
    },
    "purposes": [CONTRACT],
    "data_categories": ["name", "contact_details"],
    "sources": ["data_subject"],
    "recipients": [],
    "transfers": "none",
    "retention": {"fi": "Viisi vuotta", "sv": "Fem år", "en": "Five years"},
    "exercise_rights": {"fi": "Ota yhteyttä", "sv": "Kontakta oss", "en": "Contact us"},
    "requirement": {
        "kind": "contractual",
        "consequences": {"fi": "Ei sopimusta", "sv": "Inget avtal", "en": "No contract"},
    },
    "automated_decisions": {"used": "false"},
}

Change = Callable[[dict[str, Any]], None]


class _Plain(yaml.SafeDumper):
    """Writes shared values out in full: the register reader refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def change(**fields: Any) -> Change:
    """Set top-level fields; None removes one."""

    def apply(register: dict[str, Any]) -> None:
        for key, value in fields.items():
            if value is None:
                register.pop(key, None)
            else:
                register[key] = copy.deepcopy(value)

    return apply


def both(*changes: Change) -> Change:
    def apply(register: dict[str, Any]) -> None:
        for c in changes:
            c(register)

    return apply


def purposes(*items: dict[str, Any]) -> Change:
    return change(purposes=list(items))


def write(folder: Path, register: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "register.yaml").write_text(
        yaml.dump(register, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


def findings(folder: Path, output: Path | None = None) -> dict[str, list[str]]:
    """rule id -> the fields it reported, for a valid register."""
    report = check([folder], output)
    assert not [p for p in report.problems if "[" not in p.message], report.problems  # valid, only law findings
    found: dict[str, list[str]] = {}
    for p in report.problems:
        found.setdefault(p.message.rsplit("[", 1)[1].rstrip("]"), []).append(p.field)
    return found


HEALTH_FOR_ONE: list[dict[str, Any]] = [
    {**CONTRACT, "special_category_condition": "explicit_consent"},
    LI,
]
US_CONTROLLER = {"name": "Example Inc.", "email": "privacy@example.example", "country": "US"}
REPRESENTATIVE = {"name": "Esimerkki Edustus Oy", "email": "edustaja@esimerkki.example"}
ORGANISATION = {"fi": "Maailman terveysjärjestö", "sv": "Världshälsoorganisationen", "en": "World Health Organization"}

# rule id -> (the field it must report, a change that breaks the rule, a change that keeps it)
CASES: dict[str, tuple[str, Change, Change]] = {
    "recipients-stated": ("recipients", change(recipients=None), change(recipients=["partners"])),
    "legal-obligation-law": (
        "purposes[0].national_law",
        purposes({"term": "accounting", "legal_basis": "legal_obligation"}),
        purposes({"term": "accounting", "legal_basis": "legal_obligation", "national_law": ["accounting_act"]}),
    ),
    "public-task-law": (
        "purposes[0].national_law",
        purposes({"term": "statutory_obligations", "legal_basis": "public_task"}),
        purposes({"term": "statutory_obligations", "legal_basis": "public_task", "national_law": ["archives_act"]}),
    ),
    "category-purposes": (
        "data_categories[1].purposes[0]",
        change(data_categories=["name", {"term": "contact_details", "purposes": ["payroll"]}]),
        change(data_categories=["name", {"term": "contact_details", "purposes": ["customer_relationship"]}]),
    ),
    "special-condition-each": (
        "purposes[1].special_category_condition",
        both(purposes(*HEALTH_FOR_ONE), change(data_categories=["name", "health_data"])),
        both(
            purposes(*HEALTH_FOR_ONE),
            change(data_categories=["name", {"term": "health_data", "purposes": ["customer_relationship"]}]),
        ),
    ),
    "criminal-data-ground": (
        "purposes[1].national_law",
        both(
            purposes({**CONTRACT, "national_law": ["data_protection_act"]}, LI),
            change(data_categories=["name", "criminal_convictions"]),
        ),
        both(
            purposes({**CONTRACT, "national_law": ["data_protection_act"]}, LI),
            change(data_categories=["name", {"term": "criminal_convictions", "purposes": ["customer_relationship"]}]),
        ),
    ),
    "exemption-ground": (
        "information_exemption.law",
        change(sources=["credit_information_register"], information_exemption={"ground": "laid_down_by_law"}),
        change(
            sources=["credit_information_register"],
            information_exemption={"ground": "laid_down_by_law", "law": ["credit_information_act"]},
        ),
    ),
    "exemption-without-source": (
        "information_exemption",
        change(information_exemption={"ground": "already_informed"}),
        change(sources=["data_subject", "trade_register"], information_exemption={"ground": "already_informed"}),
    ),
    "restriction-ground": (
        "restriction_grounds",
        change(rights_restrictions=TEXT),
        change(rights_restrictions=TEXT, restriction_grounds=["data_protection_act"]),
    ),
    "dpo-monitoring": (
        "dpo",
        both(purposes({**LI, "term": "camera_surveillance"}), change(large_scale="true")),
        both(
            purposes({**LI, "term": "camera_surveillance"}),
            change(large_scale="true", dpo={"email": "dpo@esimerkki.example"}),
        ),
    ),
    "dpo-special-data": (
        "dpo",
        both(
            purposes({**CONTRACT, "special_category_condition": "explicit_consent"}),
            change(large_scale="true", data_categories=["name", "health_data"]),
        ),
        both(
            purposes({**CONTRACT, "special_category_condition": "explicit_consent"}),
            change(large_scale="true", data_categories=["name", "health_data"], dpo={"email": "d@esimerkki.example"}),
        ),
    ),
    "joint-arrangement": (
        "joint_arrangement",
        change(joint_controllers=[{"name": "Toinen Oy", "email": "tietosuoja@toinen.example"}]),
        change(joint_controllers=[{"name": "Toinen Oy", "email": "tietosuoja@toinen.example"}], joint_arrangement=TEXT),
    ),
    "eu-representative": (
        "representative",
        change(controller=US_CONTROLLER),
        change(controller=US_CONTROLLER, representative=REPRESENTATIVE),
    ),
    "representative-inside-eea": (
        "representative",
        change(controller={**US_CONTROLLER, "country": "FI"}, representative=REPRESENTATIVE),
        change(controller={**US_CONTROLLER, "country": "FI"}),
    ),
    "child-consent": (
        "children_consent",
        both(
            purposes({"term": "customer_relationship", "legal_basis": "consent"}),
            change(data_subjects=["children"], consent_withdrawal=TEXT),
        ),
        both(
            purposes({"term": "customer_relationship", "legal_basis": "consent"}),
            change(data_subjects=["children"], consent_withdrawal=TEXT, children_consent=TEXT),
        ),
    ),
    "identity-code-ground": (
        "data_categories[1].details",
        change(data_categories=["name", "personal_identity_code"]),
        change(data_categories=["name", {"term": "personal_identity_code", "details": TEXT}]),
    ),
    "electronic-marketing-consent": (
        "purposes[0].legal_basis",
        purposes({**LI, "term": "electronic_direct_marketing"}),
        purposes({**LI, "term": "electronic_direct_marketing", "own_customers": "true"}),
    ),
    "camera-workplace": (
        "purposes[0].national_law",
        both(
            purposes({**LI, "term": "camera_surveillance"}), change(data_subjects=["employees"], first_layer_sign=TEXT)
        ),
        both(
            purposes({**LI, "term": "camera_surveillance", "national_law": ["privacy_in_working_life_act"]}),
            change(data_subjects=["employees"], first_layer_sign=TEXT),
        ),
    ),
    "camera-sign": (
        "first_layer_sign",
        purposes({**LI, "term": "camera_surveillance"}),
        both(purposes({**LI, "term": "camera_surveillance"}), change(first_layer_sign=TEXT)),
    ),
    "applicant-sources": (
        "sources[1]",
        change(data_subjects=["job_applicants"], sources=["data_subject", "referees"]),
        change(data_subjects=["job_applicants"], sources=["data_subject", {"term": "referees", "consent": "true"}]),
    ),
    "aptitude-tests": (
        "data_categories[1]",
        change(data_categories=["name", "aptitude_test_results"]),
        change(data_categories=["name", {"term": "aptitude_test_results", "consent": "true"}]),
    ),
    "outdated-law": (
        "exercise_rights",
        change(exercise_rights={"fi": "Tarkastusoikeutta voi käyttää kirjeellä.", "sv": "Skriv", "en": "Write"}),
        change(
            history=[
                {
                    "version": "2018-05-25",
                    "changes": {"fi": "Henkilötietolain aikainen seloste korvattiin.", "sv": "Ny", "en": "New"},
                }
            ]
        ),
    ),
    "bilingual-authority": (
        "languages",
        change(public_authority="true", bilingual="true", dpo={"email": "d@esimerkki.example"}, languages=["fi", "en"]),
        change(public_authority="true", bilingual="true", dpo={"email": "d@esimerkki.example"}),
    ),
    "aland-authority": (
        "supervisory_authority",
        change(aland_public_sector="true"),
        change(
            aland_public_sector="true",
            supervisory_authority={"name": "Ålands datainspektion", "web": "https://www.di.ax"},
        ),
    ),
    "organisation-adequacy": (
        "transfers[0].safeguard",
        change(transfers=[{"organisation": ORGANISATION, "safeguard": "adequacy_decision"}]),
        change(
            transfers=[
                {"organisation": ORGANISATION, "safeguard": "legally_binding_instrument", "safeguard_copy": TEXT}
            ]
        ),
    ),
    "derogation-occasional": (
        "transfers[0].occasional",
        change(transfers=[{"country": "IN", "safeguard": "derogation_contract"}]),
        change(transfers=[{"country": "IN", "safeguard": "derogation_contract", "occasional": "true"}]),
    ),
    "derogation-compelling": (
        "transfers[0].details",
        change(transfers=[{"country": "IN", "safeguard": "derogation_compelling_interests", "occasional": "true"}]),
        change(
            transfers=[
                {
                    "country": "IN",
                    "safeguard": "derogation_compelling_interests",
                    "occasional": "true",
                    "details": TEXT,
                }
            ]
        ),
    ),
}


def test_every_national_rule_has_a_case() -> None:
    national = {r.id for r in RULES if r.check.__module__ == "generator.rules_finland"}
    # The rules that compare with an archived version have tests of their own, which build one
    # (below, and in test_changes.py).
    assert national - {"new-purpose", "unrecorded-change"} == set(CASES)


def test_the_complete_register_keeps_every_national_rule(tmp_path: Path) -> None:
    national = {r.id for r in RULES if r.check.__module__ == "generator.rules_finland"}
    assert not national & set(findings(write(tmp_path / "registers", COMPLETE)))


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_rule_fires_at_the_value_and_not_once_put_right(rule_id: str, tmp_path: Path) -> None:
    field, breaking, keeping = CASES[rule_id]
    broken, kept = copy.deepcopy(COMPLETE), copy.deepcopy(COMPLETE)
    breaking(broken)
    keeping(kept)
    assert field in findings(write(tmp_path / "broken" / "registers", broken)).get(rule_id, [])
    assert rule_id not in findings(write(tmp_path / "kept" / "registers", kept))


def test_the_level_is_an_error_where_the_law_requires_it(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["controller"] = US_CONTROLLER
    [problem] = check([write(tmp_path / "registers", register)]).problems
    assert problem.level.value == "error" and problem.field == "representative"
    assert problem.message == (
        "the controller is established in US; name its representative in the EU "
        "(Art. 27(1)–(2), 13(1)(a)) [eu-representative]"
    )


def test_special_data_linked_to_one_purpose_needs_its_condition_only_there(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["purposes"] = [
        {"term": "customer_relationship", "legal_basis": "contract"},
        {"text": TEXT, "id": "adjustments", "legal_basis": "legal_obligation", "national_law": ["equality_act"]},
    ]
    register["data_categories"] = ["name", {"term": "health_data", "purposes": ["adjustments"]}]
    assert findings(write(tmp_path / "a" / "registers", register))["special-condition"]  # no condition anywhere
    register["purposes"][1]["special_category_condition"] = "employment_and_social_security"
    assert findings(write(tmp_path / "b" / "registers", register)) == {}


def test_the_old_law_is_not_outdated_in_a_historic_register_description(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["exercise_rights"] = {
        "fi": "Tarkastusoikeus henkilötietolain 26 §:n mukaan.",
        "sv": "Skriv",
        "en": "Write",
    }
    assert "outdated-law" in findings(write(tmp_path / "now" / "registers", register))
    register["version"] = "2016-03-01"
    assert "outdated-law" not in findings(write(tmp_path / "then" / "registers", register))


@pytest.mark.parametrize(
    "said",
    [
        "henkilötietolain mukaan",
        "lain 523/1999 nojalla",
        "enligt personuppgiftslagen",
        "kielto-oikeus",
        "Din rätt till insyn",
        "under the Personal Data Act",
    ],
)
def test_the_outdated_law_rule_finds_each_phrase(said: str, tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["retention"] = {"fi": said, "sv": said, "en": said}
    assert findings(write(tmp_path / "registers", register))["outdated-law"] == ["retention"] * 3


def test_a_transfer_names_a_country_or_an_organisation_not_both(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["transfers"] = [{"country": "CH", "organisation": ORGANISATION, "safeguard": "adequacy_decision"}]
    [problem] = check([write(tmp_path / "registers", register)]).problems
    assert problem.field == "transfers[0]" and "either a country" in problem.message


def test_a_transfer_to_an_international_organisation_is_printed_by_name(tmp_path: Path) -> None:
    from generator.build import build

    register = copy.deepcopy(COMPLETE)
    register["transfers"] = [
        {"organisation": ORGANISATION, "safeguard": "legally_binding_instrument", "safeguard_copy": TEXT}
    ]
    register["summary"] = "true"
    build([write(tmp_path / "registers", register)], tmp_path / "output", pdf=False)
    pages = {
        lang: (tmp_path / "output" / lang / "customer-register" / "index.html").read_text(encoding="utf-8")
        for lang in ("fi", "en")
    }
    assert "Maailman terveysjärjestö" in pages["fi"] and "Kansainvälinen järjestö" in pages["fi"]
    assert "World Health Organization" in pages["en"] and "None" not in pages["en"]


def test_a_purpose_new_since_the_archived_version_asks_how_data_subjects_were_told(tmp_path: Path) -> None:
    from generator.build import build

    folder = write(tmp_path / "registers", COMPLETE)
    archive = tmp_path / "archive"
    build([folder], tmp_path / "output", archive=archive)  # the archive keeps the version the check compares with
    newer = copy.deepcopy(COMPLETE)
    newer["version"] = "2025-09-01"
    newer["purposes"] = [
        CONTRACT,
        {"term": "service_development", **{k: LI[k] for k in ("legal_basis", "legitimate_interests")}},
    ]
    write(folder, newer)
    assert findings(folder, archive)["new-purpose"] == ["purposes[1].further_processing"]
    newer["purposes"][1]["further_processing"] = TEXT
    write(folder, newer)
    assert "new-purpose" not in findings(folder, archive)


def test_the_rule_book_lists_at_least_55_rules_and_cites_finnish_sections() -> None:
    book = rule_book()
    assert len(RULES) >= 55
    for section in ("1050/2018 5 §", "917/2014 200 §", "759/2004 4 §", "423/2003 32 §"):
        assert section in book
    assert "(unverified)" in book  # a section not checked against the statute says so


def test_electronic_marketing_to_business_contact_persons_is_not_held_to_consent(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["purposes"] = [{**LI, "term": "electronic_direct_marketing"}]
    register["data_subjects"] = ["corporate_contact_persons"]
    assert "electronic-marketing-consent" not in findings(write(tmp_path / "b2b" / "registers", register))
    register["data_subjects"] = ["corporate_contact_persons", "customers"]
    assert "electronic-marketing-consent" in findings(write(tmp_path / "b2c" / "registers", register))
