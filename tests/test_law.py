"""`seloste check` knows the law: each rule fires on a register that breaks it and not on one that keeps it."""

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from generator.check import check
from generator.facts import law_on
from generator.law import RULES

COMPLETE: dict[str, Any] = {
    "id": "customer-register",
    "version": "2025-03-01",
    "title": {"fi": "Asiakasrekisteri", "sv": "Kundregister", "en": "Customer register"},
    "controller": {
        "name": {"fi": "Esimerkki Oy", "sv": "Exempel Ab", "en": "Esimerkki Ltd"},
        "business_id": "2104986-6",
        "email": "tietosuoja@esimerkki.example",
    },
    "purposes": [{"term": "customer_relationship", "legal_basis": "contract"}],
    "data_categories": ["name", "contact_details"],
    "sources": ["data_subject"],
    "transfers": "none",
    "retention": {"fi": "Viisi vuotta", "sv": "Fem år", "en": "Five years"},
    "exercise_rights": {"fi": "Ota yhteyttä", "sv": "Kontakta oss", "en": "Contact us"},
    "requirement": {
        "kind": "contractual",
        "consequences": {"fi": "Ei sopimusta", "sv": "Inget avtal", "en": "No contract"},
    },
    "automated_decisions": {"used": "false"},
    "recipients": [],
}
# A register description of 2016, under the Personal Data Act (HetiL 523/1999 10 §).
HISTORIC: dict[str, Any] = {
    "id": "member-register",
    "version": "2016-03-01",
    "layout": "register-description",
    "title": {"fi": "Jäsenrekisteri", "sv": "Medlemsregister", "en": "Member register"},
    "controller": {"name": "Esimerkki ry", "email": "jasenasiat@esimerkki.example"},
    "purposes": [
        {"text": {"fi": "Jäsenyyden hoitaminen", "sv": "Skötsel av medlemskapet", "en": "Managing membership"}}
    ],
    "data_subjects": ["members"],
    "data_categories": ["name", "contact_details"],
    "sources": ["data_subject"],
    "transfers": "none",
    "security": {"general": {"fi": "Lukitut tilat", "sv": "Låsta utrymmen", "en": "Locked premises"}},
}
TEXT = {"fi": "Teksti", "sv": "Text", "en": "Text"}
LI = {"term": "direct_marketing", "legal_basis": "legitimate_interests", "legitimate_interests": TEXT}


class _Plain(yaml.SafeDumper):
    """Writes shared values out in full: the register reader refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(register: dict[str, Any]) -> str:
    return yaml.dump(register, Dumper=_Plain, allow_unicode=True, sort_keys=False)


def change(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def apply(register: dict[str, Any]) -> None:
        for key, value in fields.items():
            if value is None:
                register.pop(key, None)
            else:
                register[key] = value

    return apply


def historic(**fields: Any) -> Callable[[dict[str, Any]], None]:
    """Make the register the 2016 register description, with `fields` changed (None removes one)."""

    def apply(register: dict[str, Any]) -> None:
        register.clear()
        register.update(copy.deepcopy(HISTORIC))
        change(**fields)(register)

    return apply


def purposes(*items: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return change(purposes=list(items))


# rule id -> (a change that breaks the rule, a change that keeps it)
CASES: dict[str, tuple[Callable[[dict[str, Any]], object], Callable[[dict[str, Any]], object]]] = {
    "controller-contact": (
        change(controller={"name": "Esimerkki Oy"}),
        change(controller={"name": "Esimerkki Oy", "phone": "09 123"}),
    ),
    "dpo-required": (change(public_authority="true"), change(public_authority="true", dpo={"email": "dpo@x.example"})),
    "dpo-contact": (
        change(dpo={"name": "Tietosuojavastaava"}),
        change(dpo={"name": "Tietosuojavastaava", "email": "dpo@x.example"}),
    ),
    "legal-basis": (
        purposes({"term": "customer_relationship"}),
        purposes({"term": "customer_relationship", "legal_basis": "contract"}),
    ),
    "legitimate-interests": (
        purposes({"term": "direct_marketing", "legal_basis": "legitimate_interests"}),
        purposes(LI),
    ),
    "data-categories": (
        change(sources=["credit_information_register"], data_categories=None),
        change(sources=["credit_information_register"]),
    ),
    "sources": (change(sources=None), change()),
    "transfers-stated": (change(transfers=None), change(transfers="none")),
    "transfer-copy": (
        change(transfers=[{"country": "IN", "safeguard": "standard_contractual_clauses"}]),
        change(transfers=[{"country": "IN", "safeguard": "standard_contractual_clauses", "safeguard_copy": TEXT}]),
    ),
    "retention": (change(retention=None), change()),
    "rights-stated": (
        change(rights=["access", "rectification", "complaint"]),
        change(rights=["access", "rectification", "erasure", "restriction", "portability", "complaint"]),
    ),
    "consent-withdrawal": (
        lambda r: (
            purposes({"term": "talent_pool", "legal_basis": "consent"})(r),
            r.update(consent_withdrawal=TEXT),
            r.update(rights=["access", "rectification", "erasure", "restriction", "portability", "complaint"]),
        ),
        lambda r: (purposes({"term": "talent_pool", "legal_basis": "consent"})(r), r.update(consent_withdrawal=TEXT)),
    ),
    "consent-how": (
        purposes({"term": "talent_pool", "legal_basis": "consent"}),
        lambda r: (purposes({"term": "talent_pool", "legal_basis": "consent"})(r), r.update(consent_withdrawal=TEXT)),
    ),
    "exercise-rights": (change(exercise_rights=None), change()),
    "requirement": (change(requirement=None), change(requirement=None, sources=["credit_information_register"])),
    "requirement-consequences": (change(requirement={"kind": "statutory"}), change(requirement={"kind": "voluntary"})),
    "automated-decisions": (change(automated_decisions=None), change()),
    "automated-logic": (
        change(automated_decisions={"used": "true", "ground": "contract"}),
        change(automated_decisions={"used": "true", "ground": "contract", "logic": TEXT, "significance": TEXT}),
    ),
    "automated-ground": (
        change(automated_decisions={"used": "true", "logic": TEXT, "significance": TEXT}),
        change(automated_decisions={"used": "true", "ground": "contract", "logic": TEXT, "significance": TEXT}),
    ),
    "legacy-content": (
        lambda r: r.update(layout="register-description", data_categories=[], security={"general": TEXT}),
        lambda r: r.update(layout="register-description", security={"general": TEXT}),
    ),
    "legacy-security": (
        change(layout="register-description"),
        change(layout="register-description", security={"general": TEXT}),
    ),
    "authority-legitimate-interests": (
        lambda r: (purposes(LI)(r), r.update(public_authority="true", dpo={"email": "d@x.example"})),
        lambda r: (purposes(LI)(r), r.update(dpo={"email": "d@x.example"})),
    ),
    "access-fee": (
        change(
            exercise_rights={"fi": "Tarkastus on maksuton kerran vuodessa.", "sv": "Kontakta oss", "en": "Contact us"}
        ),
        change(exercise_rights={"fi": "Tarkastus on maksuton.", "sv": "Kontakta oss", "en": "Contact us"}),
    ),
    "transfer-inside-eea": (
        change(transfers=[{"country": "SE", "safeguard": "adequacy_decision"}]),
        change(transfers=[{"country": "CH", "safeguard": "adequacy_decision"}]),
    ),
    "adequacy": (
        change(transfers=[{"country": "IN", "safeguard": "adequacy_decision"}]),
        change(transfers=[{"country": "JP", "safeguard": "adequacy_decision"}]),
    ),
    "gdpr-not-national-law": (
        change(
            laws=[{"text": {"fi": "Tietosuoja-asetus (EU) 2016/679", "sv": "Dataskyddsförordningen", "en": "GDPR"}}]
        ),
        change(laws=["data_protection_act"]),
    ),
    "publication-recipients": (
        change(
            recipients=[],
            publication=[
                {
                    "what": {"fi": "Nimet", "sv": "Namn", "en": "Names"},
                    "where": {"fi": "Verkossa", "sv": "På webben", "en": "Online"},
                }
            ],
        ),
        change(
            recipients=["tax_administration"],
            publication=[
                {
                    "what": {"fi": "Nimet", "sv": "Namn", "en": "Names"},
                    "where": {"fi": "Verkossa", "sv": "På webben", "en": "Online"},
                }
            ],
        ),
    ),
    "transfers-contradiction": (
        change(
            retention={
                "fi": "Viisi vuotta. Tietoja voidaan siirtää EU:n ulkopuolelle, jos se on teknisesti tarpeen.",
                "sv": "Fem år",
                "en": "Five years",
            }
        ),
        change(),
    ),
    "complaint-authority": (
        change(
            exercise_rights={
                "fi": "Valituksen voit tehdä Ålands datainspektionille.",
                "sv": "Kontakta oss",
                "en": "Contact us",
            }
        ),
        change(
            exercise_rights={
                "fi": "Valituksen voit tehdä tietosuojavaltuutetulle.",
                "sv": "Kontakta oss",
                "en": "Contact us",
            }
        ),
    ),
    "retention-contradiction": (
        purposes(
            {
                "term": "customer_relationship",
                "legal_basis": "contract",
                "details": {"fi": "Säilytämme tiedot 3 vuotta.", "sv": "Tre år", "en": "Three years"},
            }
        ),
        purposes(
            {
                "term": "customer_relationship",
                "legal_basis": "contract",
                "details": {"fi": "Säilytämme tiedot sopimuksen ajan.", "sv": "Avtalstiden", "en": "The contract"},
            }
        ),
    ),
    "right-without-basis": (
        lambda r: (
            purposes({"term": "accounting", "legal_basis": "legal_obligation"})(r),
            r.update(rights=["access", "rectification", "restriction", "portability", "complaint"]),
        ),
        lambda r: (
            purposes({"term": "accounting", "legal_basis": "legal_obligation"})(r),
            r.update(rights=["access", "rectification", "restriction", "complaint"]),
        ),
    ),
    "profiling-statement": (
        lambda r: (purposes(dict(LI, term="marketing_profiling"))(r), r.pop("automated_decisions")),
        purposes(dict(LI, term="marketing_profiling")),
    ),
    "special-condition": (
        change(data_categories=["name", "health_data"]),
        lambda r: (
            r.update(data_categories=["name", "health_data"]),
            purposes(
                {
                    "term": "customer_relationship",
                    "legal_basis": "contract",
                    "special_category_condition": "explicit_consent",
                }
            )(r),
        ),
    ),
    "condition-without-special": (
        purposes(
            {
                "term": "customer_relationship",
                "legal_basis": "contract",
                "special_category_condition": "explicit_consent",
            }
        ),
        change(),
    ),
    "criminal-data": (
        change(data_categories=["name", "criminal_convictions"]),
        lambda r: (
            r.update(data_categories=["name", "criminal_convictions"]),
            purposes(
                {"term": "customer_relationship", "legal_basis": "contract", "national_law": ["data_protection_act"]}
            )(r),
        ),
    ),
    "interests-without-basis": (
        purposes({"term": "customer_relationship", "legal_basis": "contract", "legitimate_interests": TEXT}),
        change(),
    ),
    "hetil-controller": (historic(controller={"name": "Esimerkki ry"}), historic()),
    "hetil-content": (historic(data_subjects=None), historic()),
    "hetil-transfers": (historic(transfers=None), historic()),
    "hetil-security": (historic(security=None), historic()),
    "hetil-sources": (historic(sources=None), historic()),
    "hetil-rights": (
        historic(rights=["access", "erasure"]),
        historic(rights=["access", "rectification", "object_direct_marketing"]),
    ),
    "hetil-gdpr-terms": (
        historic(purposes=[{"term": "customer_relationship", "legal_basis": "contract"}]),
        historic(purposes=[{"term": "customer_relationship"}]),
    ),
    "cross-reference": (
        change(retention={"fi": "Katso [[retension]].", "sv": "Se [[retention]].", "en": "See [[retention]]."}),
        change(retention={"fi": "Katso [[retention]].", "sv": "Se [[retention]].", "en": "See [[retention]]."}),
    ),
    "history-order": (
        change(history=[{"version": "2026-01-01", "changes": TEXT}]),
        change(history=[{"version": "2024-01-01", "changes": TEXT}]),
    ),
    "short-notice-name": (
        lambda r: (r.update(short_notices="true"), r["purposes"].append({"text": TEXT, "legal_basis": "contract"})),
        lambda r: (
            r.update(short_notices="true"),
            r["purposes"].append({"text": TEXT, "id": "news", "legal_basis": "contract"}),
        ),
    ),
}


def rule_ids(tmp_path: Path, register: dict[str, Any], output: Path | None = None) -> set[str]:
    folder = tmp_path / "registers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "register.yaml").write_text(dump(register), encoding="utf-8")
    report = check([folder], output)
    assert not [p for p in report.problems if "[" not in p.message], report.problems  # valid, only law findings
    return {p.message.rsplit("[", 1)[1].rstrip("]") for p in report.problems}


def test_the_complete_register_passes_every_rule(tmp_path: Path) -> None:
    assert rule_ids(tmp_path, COMPLETE) == set()


def test_every_rule_has_a_case() -> None:
    # The rules of rules_finland.py have their cases in test_rules_national.py.
    own = [r for r in RULES if r.check.__module__ != "generator.rules_finland"]
    assert sorted(CASES) == sorted(r.id for r in own if r.id != "stale-translation")


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_rule_fires_on_a_register_that_breaks_it_and_not_on_one_that_keeps_it(rule_id: str, tmp_path: Path) -> None:
    breaking, keeping = CASES[rule_id]
    broken, kept = copy.deepcopy(COMPLETE), copy.deepcopy(COMPLETE)
    breaking(broken)
    keeping(kept)
    assert rule_id in rule_ids(tmp_path / "broken", broken)
    assert rule_id not in rule_ids(tmp_path / "kept", kept)


def test_a_finding_names_the_article_and_is_located_at_the_value(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["purposes"] = [
        {"term": "customer_relationship", "legal_basis": "contract"},
        {"term": "direct_marketing", "legal_basis": "legitimate_interests"},
    ]
    folder = tmp_path / "registers"
    folder.mkdir()
    (folder / "x.yaml").write_text(dump(register), encoding="utf-8")
    [problem] = check([folder]).problems
    assert problem.field == "purposes[1].legitimate_interests" and (problem.line, problem.column) == (
        17,
        3,
    )  # the purpose that lacks it
    assert problem.message == (
        "the basis is legitimate interests, but the interests are not described "
        "(Art. 13(1)(d), 14(2)(b)) [legitimate-interests]"
    )
    assert problem.level.value == "error"


def test_the_layout_never_lowers_what_the_gdpr_requires(tmp_path: Path) -> None:
    """A register description dated since 25 May 2018 is held to Art. 13/14 like any other notice."""
    register = copy.deepcopy(COMPLETE)
    register.update(layout="register-description", security={"general": TEXT})
    del register["retention"]
    report = check([_write(tmp_path, register)])
    assert [(p.level.value, p.field) for p in report.problems] == [("error", "retention")]


def test_a_version_before_the_gdpr_is_a_historic_description_checked_against_hetil_10(tmp_path: Path) -> None:
    """Dated 2016, the same register is judged by the Personal Data Act: no GDPR item is asked for."""
    assert rule_ids(tmp_path, HISTORIC) == set()
    assert law_on(date(2018, 5, 24)) == "hetil" and law_on(date(2018, 5, 25)) == "gdpr"
    gdpr_dated = dict(copy.deepcopy(HISTORIC), version="2018-05-25")
    assert {"legal-basis", "retention", "requirement"} <= rule_ids(tmp_path / "gdpr", gdpr_dated)


def test_the_stale_translation_guard_compares_with_the_last_archived_version(tmp_path: Path) -> None:
    from generator.build import build

    folder = _write(tmp_path, COMPLETE)
    archive = tmp_path / "archive"
    build([folder], tmp_path / "output", archive=archive)
    newer = copy.deepcopy(COMPLETE)
    newer.update(version="2025-09-01", retention={"fi": "Kuusi vuotta", "sv": "Fem år", "en": "Five years"})
    # A longer retention is a material change: its history entry keeps the unrecorded-change warning away.
    note = {"fi": "Säilytysaika muuttui.", "sv": "Lagringstiden ändrades.", "en": "The retention period changed."}
    newer["history"] = [*newer.get("history", []), {"version": "2025-09-01", "changes": note}]
    _write(tmp_path, newer)
    [problem] = check([folder], archive).problems
    assert problem.field == "retention" and problem.level.value == "warning"
    assert problem.message.startswith("the fi text changed since version 2025-03-01, but the sv and en texts did not")
    newer["retention"] = {"fi": "Kuusi vuotta", "sv": "Sex år", "en": "Six years"}
    _write(tmp_path, newer)
    assert check([folder], archive).problems == []


def _write(tmp_path: Path, register: dict[str, Any]) -> Path:
    folder = tmp_path / "registers"
    folder.mkdir(exist_ok=True)
    (folder / "x.yaml").write_text(dump(register), encoding="utf-8")
    return folder


def test_the_samples_pass_strict() -> None:
    """No sample needs a warning to be true; one of them is a historic (2016) register description."""
    report = check([REPO / "registers"])
    assert report.problems == []
    versions = {entry.register.id: entry.register.version for entry in _samples()}
    assert any(law_on(v) == "hetil" for v in versions.values())


def _samples() -> list[Any]:
    from generator.validate import validate_paths

    return validate_paths([REPO / "registers"]).registers


def test_json_output_carries_levels_for_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    register = copy.deepcopy(COMPLETE)
    del register["automated_decisions"]
    folder = _write(tmp_path, register)
    monkeypatch.chdir(tmp_path)
    relaxed = CliRunner().invoke(main, ["check", str(folder), "--format", "json"])
    strict = CliRunner().invoke(main, ["check", str(folder), "--strict"])
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    assert [p["level"] for p in json.loads(relaxed.output)["problems"]] == ["warning"]


def test_docs_list_every_rule_with_its_article_and_an_example() -> None:
    from generator.law import rule_book

    documented = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    assert documented == rule_book(), "docs/checks.md is out of date: run `seloste rules > docs/checks.md`"
    assert all(f"`{r.id}`" in documented and r.article in documented for r in RULES)


# One phrasing for each form the fee rule knows, as a notice might put it, and ones it must let pass.
FEE_PHRASINGS = [
    "Requests are answered once a year.",
    "We may charge a reasonable fee.",
    "An administrative charge applies.",
    "Tietoja voi pyytää kerran vuodessa.",
    "Voimme periä maksun.",
    "Perimme kohtuullisen korvauksen.",
    "Begäran kan göras en gång per år.",
    "Vi kan ta ut en avgift.",
    "En skälig ersättning tas ut.",
]


@pytest.mark.parametrize("phrasing", FEE_PHRASINGS)
def test_the_fee_rule_finds_every_phrasing_it_knows(phrasing: str, tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["exercise_rights"] = {"fi": phrasing, "sv": phrasing, "en": phrasing}
    assert "access-fee" in rule_ids(tmp_path, register)


def test_the_fee_rule_lets_free_of_charge_pass(tmp_path: Path) -> None:
    register = copy.deepcopy(COMPLETE)
    register["exercise_rights"] = {
        "fi": "Oikeuksien käyttö on maksutonta.",
        "sv": "Det är avgiftsfritt att utöva rättigheterna.",
        "en": "Exercising the rights is free of charge, whatever the feedback.",
    }
    assert "access-fee" not in rule_ids(tmp_path, register)
