"""Nothing false in a published notice: the law's facts are derived once, and the page says what they say.

Each test writes a real register, checks it with the real rule book and renders it with the real
templates; the sentences looked for are read from the wording files, not written here.
"""

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINIMAL, REPO
from test_law import COMPLETE, HISTORIC, TEXT, dump

from generator.check import check
from generator.compose import plan
from generator.facts import derive
from generator.render import render
from generator.validate import ValidRegister, validate_paths
from generator.wording import languages, read_wording

FI = read_wording("fi")
SENTENCES = FI["sentences"]
RIGHT_TEXTS = FI["right_texts"]


def _folder(tmp_path: Path, register: dict[str, Any], name: str = "x.yaml") -> Path:
    folder = tmp_path / "registers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(dump(register), encoding="utf-8")
    return folder


def _entry(tmp_path: Path, register: dict[str, Any]) -> ValidRegister:
    catalogue = validate_paths([_folder(tmp_path, register)])
    assert not catalogue.problems, catalogue.problems
    [entry] = catalogue.registers
    return entry


def _page(entry: ValidRegister, lang: str = "fi") -> str:
    return render(entry, languages(entry.vocabulary)[lang]).page


def _text(html: str) -> str:
    """The page's visible text on one line, to look for sentences in."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#34;", '"').replace("&#39;", "'")


def _messages(tmp_path: Path, register: dict[str, Any]) -> list[str]:
    return [f"{p.field}: {p.message}" for p in check([_folder(tmp_path, register)]).problems]


def register_with(**fields: Any) -> dict[str, Any]:
    register = copy.deepcopy(COMPLETE)
    register.update(fields)
    return register


# -- one home for the facts: the page lists the rights the checker derived --------------------------


def _listed_rights(html: str, entry: ValidRegister, lang: str) -> list[str]:
    """The rights a rendered page lists, as keys, read back from the labels in its rights lists."""
    wording = languages(entry.vocabulary)[lang]
    by_label = {}
    for key in ("access", "rectification", "erasure", "restriction", "portability", "withdraw_consent", "object"):
        by_label[wording.term(wording.term_of("rights", key))] = key
    by_label[wording.term(wording.term_of("rights", "object_direct_marketing"))] = "object_direct_marketing"
    for key in ("access", "rectification", "object_direct_marketing"):
        by_label[wording.label("hetil_" + key)] = key
    lists = re.findall(r'<dl class="seloste__rights">(.*?)</dl>', html, re.S)
    return [by_label[label.strip()] for block in lists for label in re.findall(r"<dt>(.*?)</dt>", block, re.S)]


FIXTURES = {
    "minimal": yaml.safe_load(MINIMAL),
    "complete": COMPLETE,
    "historic": HISTORIC,
    "consent": register_with(purposes=[{"term": "talent_pool", "legal_basis": "consent"}], consent_withdrawal=TEXT),
    "public-task": register_with(
        public_authority="true",
        dpo={"email": "dpo@x.example"},
        purposes=[{"term": "statutory_obligations", "legal_basis": "public_task", "national_law": ["archives_act"]}],
    ),
    "paper-only": register_with(automated_processing="false"),
    "by-hand": register_with(rights=["access", "rectification", "erasure", "restriction", "portability", "complaint"]),
}


def _every_register(tmp_path: Path) -> list[tuple[str, ValidRegister]]:
    samples = [(e.register.id, e) for e in validate_paths([REPO / "registers"]).registers]
    return samples + [(name, _entry(tmp_path / name, register)) for name, register in FIXTURES.items()]


def test_every_page_lists_exactly_the_rights_the_checker_derived(tmp_path: Path) -> None:
    from generator.law import Facts

    seen = 0
    for name, entry in _every_register(tmp_path):
        derived = Facts(entry).legal  # what the rules judge by
        expected = list(derived.rights) + (["withdraw_consent"] if derived.withdraw_consent else [])
        expected += list(derived.objections)
        for lang in entry.register.languages:
            assert _listed_rights(_page(entry, lang), entry, lang) == expected, (name, lang)
            seen += 1
    assert seen >= 3 * 6


def test_the_plan_and_the_rules_read_the_same_facts(tmp_path: Path) -> None:
    from generator.law import Facts

    for _, entry in _every_register(tmp_path):
        assert (
            plan(entry.register, entry.vocabulary).facts
            == Facts(entry).legal
            == derive(entry.register, entry.vocabulary)
        )


# -- the law in force on the version date, never the layout ----------------------------------------


def test_a_historic_description_carries_the_personal_data_act_and_nothing_of_the_gdpr(tmp_path: Path) -> None:
    historic = dict(copy.deepcopy(HISTORIC), rights=["access", "rectification", "object_direct_marketing"])
    entry = _entry(tmp_path, historic)
    titles = {
        "fi": "Henkilötietolain (523/1999) 10 §:n mukainen rekisteriseloste",
        "sv": "Registerbeskrivning enligt 10 § personuppgiftslagen (523/1999)",
        "en": "Register description under section 10 of the Personal Data Act (523/1999)",
    }
    for lang, title in titles.items():
        page = _text(_page(entry, lang))
        assert title in page
        assert "2016/679" not in page and "GDPR" not in page and "dataskyddsförordning" not in page
        assert "tietosuoja-asetu" not in page
    page = _text(_page(entry))
    assert RIGHT_TEXTS["hetil_access"] in page and SENTENCES["no_transfers_historic"] in page
    assert FI["rights"] if False else True
    for key in ("rights_fee", "rights_refused", "complaint_contact", "no_automated_decisions"):
        assert SENTENCES[key] not in page


def test_a_historic_description_states_no_rights_unless_the_register_does(tmp_path: Path) -> None:
    page = _page(_entry(tmp_path, HISTORIC))
    assert 'id="rights"' not in page and 'id="complaint"' not in page


def test_a_gdpr_era_register_description_is_titled_as_a_privacy_notice(tmp_path: Path) -> None:
    register = register_with(layout="register-description", security={"general": TEXT})
    page = _text(_page(_entry(tmp_path, register)))
    assert "Tietosuojaseloste (rekisteriseloste)" in page
    assert "tietosuoja-asetuksen (EU) 2016/679 13 ja 14 artiklan mukaiset tiedot" in page


# -- print only what the register states -----------------------------------------------------------


def test_an_empty_transfer_list_is_refused_with_what_to_write(tmp_path: Path) -> None:
    register = register_with(transfers=[])
    [problem] = check([_folder(tmp_path, register)]).problems
    assert problem.field == "transfers" and problem.line == 22 and problem.level.value == "error"
    assert problem.message == "write transfers: none to state that no data is transferred outside the EEA"


def test_without_transfers_the_notice_is_not_built_and_never_says_it_is_silent(tmp_path: Path) -> None:
    register = register_with()
    del register["transfers"]
    assert any("[transfers-stated]" in m for m in _messages(tmp_path, register))
    for lang in ("fi", "sv", "en"):
        assert "transfers_not_stated" not in read_wording(lang)["sentences"]


def test_not_transferred_is_printed_only_when_the_register_declares_it(tmp_path: Path) -> None:
    assert SENTENCES["no_transfers"] in _text(_page(_entry(tmp_path / "none", register_with())))
    scc = [{"country": "IN", "safeguard": "standard_contractual_clauses", "safeguard_copy": TEXT}]
    assert SENTENCES["no_transfers"] not in _text(_page(_entry(tmp_path / "scc", register_with(transfers=scc))))


def _line_of(tmp_path: Path, start: str) -> int:
    """The line number of the first line of the written register that starts with `start`."""
    lines = (tmp_path / "registers" / "x.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def _located(message: str) -> list[str]:
    """The file:line:column places a message names."""
    return re.findall(r"[\w/.-]+\.yaml:\d+:\d+", message)


def test_own_text_saying_data_goes_abroad_contradicts_transfers_none(tmp_path: Path) -> None:
    register = register_with(
        sections=[
            {
                "id": "cookies",
                "title": TEXT,
                "body": {
                    "fi": "Tietoja voidaan siirtää EU:n ulkopuolelle, jos se on teknisesti tarpeen.",
                    "sv": "Text",
                    "en": "Text",
                },
            }
        ]
    )
    [problem] = check([_folder(tmp_path, register)]).problems
    assert problem.field == "sections[0].body" and problem.level.value == "error"
    assert "[transfers-contradiction]" in problem.message
    # The message names where transfers: none is written, the value that makes "not transferred" print.
    assert _located(problem.message) == [f"{tmp_path}/registers/x.yaml:{_line_of(tmp_path, 'transfers:')}:12"]


def test_once_a_year_contradicts_the_fee_sentence(tmp_path: Path) -> None:
    register = register_with(
        exercise_rights={"fi": "Tarkastus on maksuton kerran vuodessa.", "sv": "Kontakta oss", "en": "Contact us"}
    )
    [problem] = check([_folder(tmp_path, register)]).problems
    assert problem.field == "exercise_rights" and problem.level.value == "error"
    assert "kerran vuodessa" in problem.message and "fee sentence of the rights section" in problem.message


def test_a_fee_for_further_copies_agrees_with_the_fee_sentence(tmp_path: Path) -> None:
    register = register_with(
        exercise_rights={
            "fi": "Useampia jäljennöksiä pyydettäessä voimme periä kohtuullisen maksun.",
            "sv": "Kontakta oss",
            "en": "For further copies we may charge a reasonable fee.",
        }
    )
    assert _messages(tmp_path, register) == []


def test_another_complaint_authority_in_own_text_contradicts_the_complaint_section(tmp_path: Path) -> None:
    register = register_with(
        exercise_rights={"fi": "Ota yhteyttä.", "sv": "Du kan klaga hos Ålands datainspektion.", "en": "Contact us"}
    )
    [message] = _messages(tmp_path, register)
    assert message.startswith("exercise_rights: the text (sv) names another supervisory authority")
    assert "the default of the notice" in message
    register["supervisory_authority"] = {"name": "Datainspektionen på Åland", "email": "info@di.example"}
    assert _messages(tmp_path / "aland", register) == []


def test_a_retention_period_in_a_purpose_contradicts_the_retention_field(tmp_path: Path) -> None:
    register = register_with(
        purposes=[
            {
                "term": "customer_relationship",
                "legal_basis": "contract",
                "details": {"fi": "Säilytämme tiedot 3 vuotta.", "sv": "Tre år", "en": "Three years"},
            }
        ],
        retention={"fi": "Säilytämme tiedot 5 vuotta.", "sv": "Fem år", "en": "Five years"},
    )
    [problem] = check([_folder(tmp_path, register)]).problems
    assert problem.field == "purposes[0].details" and problem.level.value == "error"
    where = _line_of(tmp_path, "retention:")
    assert "'3 vuotta'" in problem.message and _located(problem.message) == [
        f"{tmp_path}/registers/x.yaml:{where + 1}:3"
    ]


# -- statutory sentences composed from the facts ---------------------------------------------------


def test_erasure_and_objection_name_only_the_grounds_that_exist(tmp_path: Path) -> None:
    contract_only = _text(_page(_entry(tmp_path / "contract", register_with())))
    assert RIGHT_TEXTS["erasure_plain"] in contract_only
    assert "peruutat suostumuksesi" not in contract_only and "julkisen vallan" not in contract_only

    consent = _text(_page(_entry(tmp_path / "consent", FIXTURES["consent"])))
    assert RIGHT_TEXTS["erasure_consent"] in consent

    interests = register_with(
        purposes=[{"term": "direct_marketing", "legal_basis": "legitimate_interests", "legitimate_interests": TEXT}]
    )
    page = _text(_page(_entry(tmp_path / "li", interests)))
    assert RIGHT_TEXTS["erasure_objection"] in page and RIGHT_TEXTS["object_legitimate_interests"] in page
    assert "julkisen vallan" not in page

    public = _text(_page(_entry(tmp_path / "public", FIXTURES["public-task"])))
    assert RIGHT_TEXTS["object_public_task"] in public and "oikeutettuun etuun" not in public


def test_portability_is_promised_only_for_automated_processing(tmp_path: Path) -> None:
    label = languages(_entry(tmp_path / "a", COMPLETE).vocabulary)["fi"].term(
        languages(_entry(tmp_path / "a", COMPLETE).vocabulary)["fi"].term_of("rights", "portability")
    )
    assert label in _page(_entry(tmp_path / "automated", COMPLETE))
    assert label not in _page(_entry(tmp_path / "paper", FIXTURES["paper-only"]))


def test_automated_decisions_on_a_contract_state_the_safeguards_not_the_right_to_escape_them(
    tmp_path: Path,
) -> None:
    used = register_with(
        automated_decisions={"used": "true", "ground": "contract", "logic": TEXT, "significance": TEXT}
    )
    page = _text(_page(_entry(tmp_path / "used", used)))
    assert SENTENCES["automated_ground_contract"] in page and SENTENCES["automated_safeguards"] in page
    assert "olla joutumatta" not in page
    none = _text(_page(_entry(tmp_path / "none", register_with())))
    assert SENTENCES["no_automated_decisions"] in none and SENTENCES["automated_safeguards"] not in none


def test_automated_decisions_on_special_categories_need_explicit_consent_or_substantial_public_interest(
    tmp_path: Path,
) -> None:
    register = register_with(
        data_categories=["name", "health_data"],
        purposes=[
            {
                "term": "customer_relationship",
                "legal_basis": "contract",
                "special_category_condition": "health_or_social_care",
            }
        ],
        automated_decisions={"used": "true", "ground": "contract", "logic": TEXT, "significance": TEXT},
    )
    assert any("(Art. 22(4))" in m for m in _messages(tmp_path, register))


def test_the_fee_sentence_follows_article_12_and_the_handling_stands_apart_from_consent(tmp_path: Path) -> None:
    page = _page(_entry(tmp_path, FIXTURES["consent"]))
    text = _text(page)
    assert SENTENCES["rights_fee"] in text and SENTENCES["rights_refused"] in text
    handling, withdraw = text.index(FI["labels"]["requests"]), text.index(FI["labels"]["withdraw"])
    assert handling < text.index(SENTENCES["rights_fee"]) < withdraw  # the handling is not under "withdrawing"


@pytest.mark.parametrize("country", ["US", "CA"])
def test_a_partial_adequacy_decision_needs_a_covered_recipient_and_says_so(country: str, tmp_path: Path) -> None:
    transfer: dict[str, Any] = {"country": country, "safeguard": "adequacy_decision"}
    messages = _messages(tmp_path / "bare", register_with(transfers=[transfer]))
    assert any(m.startswith("transfers[0].recipient:") for m in messages)
    assert any(m.startswith("transfers[0].recipient_covered:") for m in messages)
    transfer.update(recipient=TEXT, recipient_covered="true")
    covered = register_with(transfers=[transfer])
    assert _messages(tmp_path / "covered", covered) == []
    page = _text(_page(_entry(tmp_path / "page", covered)))
    assert SENTENCES[f"adequacy_{country.lower()}"] in page
    assert "maa" + " tai kansainvälinen järjestö" not in page and "varmistaa riittävän" not in page


# -- terminology -----------------------------------------------------------------------------------


def test_terms_follow_the_official_language_versions() -> None:
    sv, en = read_wording("sv"), read_wording("en")
    assert (FI["labels"]["safeguard"], sv["labels"]["safeguard"], en["labels"]["safeguard"]) == (
        "Siirtoperuste",
        "Grund för överföringen",
        "Transfer mechanism",
    )
    sv_terms = (REPO / "templates" / "sv" / "terms.yaml").read_text(encoding="utf-8")
    assert "hemvist" in sv_terms and "vanliga vistelseort" not in sv_terms
    assert "rör fällande domar i brottmål samt överträdelser" in sv_terms
    assert "rör fällande domar i brottmål samt överträdelser" in sv["labels"]["criminal_data"]
    for words in (FI, sv, en):
        assert all("(EU) 2016/679" in basis for key, basis in words["basis"].items() if key != "historic")


def test_meter_data_from_the_distribution_operator_brings_in_article_14(tmp_path: Path) -> None:
    register = register_with(sources=["energy_meters"], data_categories=[])
    assert any("[data-categories]" in m for m in _messages(tmp_path / "dso", register))
    own = register_with(sources=["own_metering"], data_categories=[])
    assert not any("[data-categories]" in m for m in _messages(tmp_path / "own", own))


def test_criminal_data_needs_the_data_protection_act_or_a_named_special_law(tmp_path: Path) -> None:
    def with_law(law: Any) -> dict[str, Any]:
        return register_with(
            data_categories=["name", "criminal_convictions"],
            purposes=[{"term": "customer_relationship", "legal_basis": "contract", "national_law": [law]}],
        )

    assert any("[criminal-data]" in m for m in _messages(tmp_path / "a", with_law("accounting_act")))
    assert _messages(tmp_path / "b", with_law("data_protection_act")) == []
    special = {"text": {"fi": "Laki X (1/2000) 5 §", "sv": "Lag X (1/2000) 5 §", "en": "Act X (1/2000) s. 5"}}
    assert _messages(tmp_path / "c", with_law(special)) == []


def test_the_consistency_rules_read_texts_missing_a_language(tmp_path: Path) -> None:
    """A register published in Finnish only: an authority named in Finnish only, an English extra text."""
    register = register_with(
        languages=["fi"],
        supervisory_authority={"name": {"fi": "Tietosuojavaltuutetun toimisto"}, "web": "https://tietosuoja.fi"},
        purposes=[
            {
                "term": "customer_relationship",
                "legal_basis": "contract",
                "details": {"fi": "Asiakkuus", "en": "We retain the data for 3 years."},
            }
        ],
    )
    assert [m.rsplit("[", 1)[-1] for m in _messages(tmp_path, register)] == ["retention-contradiction]"]


def test_names_and_addresses_are_not_statements_the_consistency_rules_weigh(tmp_path: Path) -> None:
    register = register_with(controller={"name": "A Charge Oy", "email": "x@x.example", "address": "Ulkomaille 3"})
    assert _messages(tmp_path, register) == []
