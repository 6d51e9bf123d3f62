"""Organisation-wide facts and vocabulary: written once, inherited, overridden, located."""

from collections.abc import Callable

from conftest import MINIMAL, problems

from generator import validate_paths

CONTROLLER = """\
controller:
  name: {fi: Esimerkki Oy, sv: Exempel Ab, en: Esimerkki Ltd}
  business_id: 2104986-6
  email: tietosuoja@esimerkki.example
"""
assert CONTROLLER in MINIMAL
REGISTER_WITHOUT_CONTROLLER = MINIMAL.replace(CONTROLLER, "")

ORGANISATION = """\
controller:
  name: {fi: Yhteinen Oy, sv: Gemensam Ab, en: Yhteinen Ltd}
  business_id: 2630573-4
  email: tietosuoja@yhteinen.example
dpo:
  email: dpo@yhteinen.example
retention: {fi: Kaksi vuotta, sv: Två år, en: Two years}
"""


def test_registers_inherit_the_organisations_facts(write: Callable) -> None:
    write("_organisation.yaml", ORGANISATION)
    path = write("x.yaml", REGISTER_WITHOUT_CONTROLLER)
    [entry] = validate_paths([path]).registers
    assert entry.register.controller.name.sv == "Gemensam Ab"
    assert entry.register.dpo.email == "dpo@yhteinen.example"


def test_a_register_overrides_an_organisation_fact(write: Callable) -> None:
    write("_organisation.yaml", ORGANISATION)
    path = write("x.yaml", MINIMAL)
    [entry] = validate_paths([path]).registers
    assert entry.register.controller.name.fi == "Esimerkki Oy"


def test_a_shared_text_lacking_a_language_is_reported_in_the_shared_file(write: Callable, cli: Callable) -> None:
    write("_organisation.yaml", ORGANISATION.replace(", en: Two years}", "}"))
    write(
        "x.yaml",
        "\n".join(line for line in REGISTER_WITHOUT_CONTROLLER.splitlines() if not line.startswith("retention:"))
        + "\n",
    )
    assert problems(cli("check")) == [
        "registers/_organisation.yaml:7:12: retention: the text has no 'en' version, but the register is "
        "published in fi, sv, en"
    ]


def test_a_register_only_field_in_the_shared_file_is_refused(write: Callable, cli: Callable) -> None:
    write("_organisation.yaml", ORGANISATION + "purposes: []\n")
    write("x.yaml", MINIMAL)
    assert problems(cli("check")) == [
        "registers/_organisation.yaml:8:1: purposes: 'purposes' belongs in each register, not in _organisation.yaml"
    ]


def test_the_organisation_vocabulary_adds_terms(write: Callable) -> None:
    write(
        "_vocabulary.yaml",
        "data_categories:\n  heating_contract: {fi: Lämpösopimus, sv: Värmeavtal, en: Heating contract}\n",
    )
    path = write("x.yaml", MINIMAL.replace("[name, contact_details]", "[name, heating_contract]"))
    catalogue = validate_paths([path])
    assert catalogue.problems == []
    assert catalogue.registers[0].vocabulary.wording("data_categories", "heating_contract", "sv").label == "Värmeavtal"


def test_organisation_terms_need_every_published_language_where_used(write: Callable, cli: Callable) -> None:
    write("_vocabulary.yaml", "data_categories:\n  heating_contract: {fi: Lämpösopimus, sv: Värmeavtal}\n")
    write("x.yaml", MINIMAL.replace("[name, contact_details]", "[name, heating_contract]"))
    assert problems(cli("check")) == [
        "registers/x.yaml:11:25: data_categories[1]: the term 'heating_contract' has no 'en' wording in the "
        "organisation's vocabulary"
    ]


def test_fixed_groups_and_shipped_keys_cannot_be_redefined(write: Callable, cli: Callable) -> None:
    write(
        "_vocabulary.yaml",
        "legal_bases:\n  whim: {fi: Oikku}\ndata_categories:\n  name: {fi: Nimi}\n  Bad-Key: {fi: X}\n",
    )
    write("x.yaml", MINIMAL)
    assert problems(cli("check")) == [
        "registers/_vocabulary.yaml:1:1: legal_bases: the group 'legal_bases' is fixed by law and cannot be "
        "extended; extensible groups: data_categories, data_subjects, laws, processors, purposes, recipients, "
        "sources",
        "registers/_vocabulary.yaml:4:3: data_categories.name: 'name' is already a shipped term of "
        "'data_categories'; choose another key",
        "registers/_vocabulary.yaml:5:3: data_categories.Bad-Key: 'Bad-Key' is not a term key; use lower-case "
        "letters, digits and underscores",
    ]
