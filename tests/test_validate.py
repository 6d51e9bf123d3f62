"""Validating registers: unknown keys and terms, languages, types, ids, all reported at once."""

from collections.abc import Callable

from conftest import MINIMAL, problems


def test_the_minimal_register_is_clean(write: Callable, cli: Callable) -> None:
    write("customer.yaml", MINIMAL)
    result = cli("check")
    assert result.exit_code == 0
    assert result.output == "1 register checked: no problems\n"


def test_an_unknown_term_is_located_with_a_suggestion(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("legal_basis: contract", "legal_basis: contrat"))
    assert problems(cli("check")) == [
        "registers/x.yaml:10:18: purposes[0].legal_basis: unknown term 'contrat' (did you mean 'contract'?)"
    ]


def test_an_unknown_key_is_located_at_the_key_with_a_suggestion(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL + "retension: {fi: a, sv: b, en: c}\n")
    assert problems(cli("check")) == [
        "registers/x.yaml:19:1: retension: unknown key 'retension' (did you mean 'retention'?)"
    ]


def test_an_unknown_nested_key_is_reported_with_the_keys_of_its_own_mapping(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("  email:", "  emial:"))
    assert problems(cli("check")) == [
        "registers/x.yaml:7:3: controller.emial: unknown key 'emial' (did you mean 'email'?)"
    ]


def test_an_unknown_language_is_named(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("en: Customer register}", "en: Customer register, de: Kundenregister}"))
    assert problems(cli("check")) == [
        "registers/x.yaml:3:72: title.de: unknown language 'de'; texts are written in fi, sv and en"
    ]


def test_a_text_lacking_a_published_language_names_field_and_language(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace(", en: Customer register}", "}"))
    assert problems(cli("check")) == [
        "registers/x.yaml:3:8: title: the text has no 'en' version, but the register is published in fi, sv, en"
    ]


def test_a_register_published_in_fewer_languages_needs_only_those(write: Callable, cli: Callable) -> None:
    text = MINIMAL.replace(", en: Customer register}", "}").replace(", en: Esimerkki Ltd}", "}")
    write("x.yaml", text + "languages: [fi, sv]\n")
    assert cli("check").exit_code == 0


def test_an_unknown_published_language_is_refused(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL + "languages: [fi, de]\n")
    assert problems(cli("check")) == ["registers/x.yaml:19:17: languages[1]: 'de' is not one of 'fi', 'sv' or 'en'"]


def test_an_empty_text_is_refused(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("sv: Kundregister", 'sv: ""'))
    assert problems(cli("check")) == ["registers/x.yaml:3:8: title: the 'sv' text is empty"]


def test_values_yaml_would_convert_reach_the_model_exactly_as_typed(write: Callable) -> None:
    from generator import validate_paths

    text = MINIMAL.replace("transfers: none\n", "") + (
        "contact_person:\n"
        "  name: 'no'\n"
        "  address: Esimerkkikatu 1, 00100 Helsinki\n"
        "  phone: 09 6171\n"
        "transfers:\n"
        "  - country: NO\n"
        "    safeguard: adequacy_decision\n"
        "    recipient: {fi: on, sv: yes, en: 1.10}\n"
    )
    path = write("x.yaml", text)
    catalogue = validate_paths([path])
    assert catalogue.problems == []
    register = catalogue.registers[0].register
    assert register.contact_person.name.fi == "no"
    assert register.contact_person.phone == "09 6171"
    assert register.transfers[0].country == "NO"
    assert (
        register.transfers[0].recipient.fi,
        register.transfers[0].recipient.sv,
        register.transfers[0].recipient.en,
    ) == ("on", "yes", "1.10")


def test_a_flag_refuses_yes_and_no(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL + "summary: yes\n")
    assert problems(cli("check")) == [
        "registers/x.yaml:19:10: summary: 'yes' is not true or false; write true or false"
    ]


def test_a_date_that_is_not_a_date_is_refused(write: Callable, cli: Callable) -> None:
    write("a.yaml", MINIMAL.replace("version: 2025-03-01", "version: 1.3.2025"))
    write(
        "b.yaml",
        MINIMAL.replace("version: 2025-03-01", "version: 2025-02-30").replace("id: customer-register", "id: b"),
    )
    assert problems(cli("check")) == [
        "registers/a.yaml:2:10: version: '1.3.2025' is not a date; write it as YYYY-MM-DD, such as 2025-03-01",
        "registers/b.yaml:2:10: version: '2025-02-30' is not a date in the calendar",
    ]


def test_an_id_that_is_not_a_safe_file_name_is_refused(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("id: customer-register", "id: ../etc/passwd"))
    assert problems(cli("check")) == [
        "registers/x.yaml:1:5: id: '../etc/passwd' is not a safe file name; use lower-case letters a-z, digits "
        "and single hyphens, such as customer-register"
    ]


def test_duplicate_ids_name_the_first_file(write: Callable, cli: Callable) -> None:
    write("a.yaml", MINIMAL)
    write("b.yaml", MINIMAL)
    assert problems(cli("check")) == [
        "registers/b.yaml:1:5: id: the id 'customer-register' is already used by registers/a.yaml; ids must be unique"
    ]


def test_a_business_id_with_a_wrong_check_digit_is_refused(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("2104986-6", "2104986-7"))
    assert problems(cli("check")) == [
        "registers/x.yaml:6:16: controller.business_id: '2104986-7' is not a valid Business ID: the check digit "
        "does not match"
    ]


def test_an_email_address_and_country_are_checked(write: Callable, cli: Callable) -> None:
    text = MINIMAL.replace("tietosuoja@esimerkki.example", "tietosuoja(at)esimerkki.example")
    write("x.yaml", text.replace("transfers: none", "transfers:\n  - country: UA-\n    safeguard: adequacy_decision"))
    assert problems(cli("check")) == [
        "registers/x.yaml:7:10: controller.email: 'tietosuoja(at)esimerkki.example' is not an e-mail address; write "
        "the plain form, such as tietosuoja@esimerkki.example (the notice publishes it as a link, and hiding it from "
        "harvesters does not work for a published address)",
        "registers/x.yaml:14:14: transfers[0].country: 'UA-' is not an ISO 3166 country code (did you mean 'UA'?)",
    ]


def test_a_missing_required_field_is_reported_at_its_mapping(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("version: 2025-03-01\n", ""))
    assert problems(cli("check")) == ["registers/x.yaml:1:1: version: required field is missing"]


def test_a_wrong_shape_names_what_was_found(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("data_categories: [name, contact_details]", "data_categories: name"))
    write(
        "y.yaml",
        MINIMAL.replace("id: customer-register", "id: y").replace(
            "title: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}", "title: Asiakasrekisteri"
        ),
    )
    assert problems(cli("check")) == [
        "registers/x.yaml:11:18: data_categories: expected a list, found 'name'",
        "registers/y.yaml:3:8: title: expected a text in each language, such as {fi: ..., sv: ..., en: ...}; "
        "found 'Asiakasrekisteri'",
    ]


def test_every_problem_in_every_file_is_reported_before_exiting_once(write: Callable, cli: Callable) -> None:
    write(
        "a.yaml",
        MINIMAL.replace("legal_basis: contract", "legal_basis: contrat").replace("[name, contact_details]", "[nmae]"),
    )
    write("b.yaml", "id: [\n")
    write("c.yaml", MINIMAL.replace("id: customer-register", "id: c"))
    result = cli("check")
    assert result.exit_code == 1
    assert len(problems(result)) == 3
    assert result.output.splitlines()[-1] == "3 registers checked: 3 errors, 0 warnings"


def test_an_entry_takes_a_term_or_a_text_but_not_both(write: Callable, cli: Callable) -> None:
    text = MINIMAL.replace(
        "[name, contact_details]",
        "\n  - {term: name, text: {fi: Nimi, sv: Namn, en: Name}}\n  - {fi: Oma, sv: Egen, en: Own}",
    )
    write("x.yaml", text)
    assert problems(cli("check")) == [
        "registers/x.yaml:12:5: data_categories[0]: write either a term key (term: ...) or your own text (text: "
        "{fi: ..., sv: ..., en: ...}), not both and not neither"
    ]


def test_section_ids_must_be_unique(write: Callable, cli: Callable) -> None:
    section = "  - id: cookies\n    title: {fi: Evästeet, sv: Kakor, en: Cookies}\n    body: {fi: a, sv: b, en: c}\n"
    write("x.yaml", MINIMAL + "sections:\n" + section + section)
    assert problems(cli("check")) == [
        "registers/x.yaml:20:3: sections: the section id 'cookies' is used twice; section ids must be unique"
    ]


def test_section_ids_cannot_take_the_notices_own_ids(write: Callable, cli: Callable) -> None:
    section = "  - id: {id}\n    title: {{fi: a, sv: b, en: c}}\n    body: {{fi: a, sv: b, en: c}}\n"
    write("a.yaml", MINIMAL + "sections:\n" + section.format(id="retention"))
    write(
        "b.yaml",
        MINIMAL.replace("id: customer-register", "id: b") + "sections:\n" + section.format(id="purposes-heading"),
    )
    assert problems(cli("check")) == [
        "registers/a.yaml:20:3: sections: the section id 'retention' is taken by the notice itself; choose another",
        "registers/b.yaml:20:3: sections: the section id 'purposes-heading' is taken by the notice itself; "
        "choose another",
    ]


def test_an_empty_choice_says_it_is_empty(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL + "layout:\n")
    assert problems(cli("check")) == [
        "registers/x.yaml:19:8: layout: the value is empty; write one of 'gdpr', 'register-description', 'questions' "
        "or 'municipal'"
    ]
