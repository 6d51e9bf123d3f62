"""The shapes real notices need: contacts by role, the register's own basis and laws, conditional
transfers and publication; and the messages for the commonest slips in writing YAML."""

import json
from collections.abc import Callable
from pathlib import Path

from conftest import MINIMAL, REPO, problems, register_yaml

from generator.build import build
from generator.schema import editor_schema

CONTACTS = [
    {
        "role": "responsible_person",
        "name": "Aino Kuusisto",
        "title": {"fi": "Opintopalvelujohtaja", "sv": "Direktör för studieservicen", "en": "Director"},
        "email_pattern": {
            "fi": "etunimi.sukunimi@esimerkki.example",
            "sv": "förnamn.efternamn@esimerkki.example",
            "en": "firstname.lastname@esimerkki.example",
        },
    },
    {
        "role": {
            "fi": "Opintoasiat\nAsiointipiste",
            "sv": "Studieärenden\nServicepunkten",
            "en": "Study affairs\nDesk",
        },
        "people": [
            {"name": "Mikko Harjula", "title": {"fi": "Opintosihteeri", "sv": "Studiesekreterare", "en": "Secretary"}},
            {"name": "Sanna Leppälä", "phone": "+358 29 448 0132", "email": "sanna.leppala@esimerkki.example"},
        ],
    },
    {"role": "registry", "address": "Kirjaamo\nPL 40\n99870 Kaarnasalo", "email": "kirjaamo@esimerkki.example"},
]
ROLES = {
    "fi": ("Vastuuhenkilö", "Kirjaamo", "Sähköpostiosoitteet"),
    "sv": ("Ansvarsperson", "Registratorskontoret", "E-postadresser"),
    "en": ("Person responsible", "Registry", "E-mail addresses"),
}


def pages(registers: Path, text: str) -> dict[str, str]:
    """Build `text` as the only register and return its page in each language."""
    (registers / "x.yaml").write_text(text, encoding="utf-8")
    output = registers.parent / "output"
    build([registers], output, pdf=False, jobs=1)
    return {lang: (output / lang / "customer-register" / "index.html").read_text(encoding="utf-8") for lang in ROLES}


def section(page: str, anchor: str) -> str:
    """The HTML of the section with id `anchor`, up to the next section."""
    start = page.index(f'id="seloste-{anchor}"')
    end = page.find("<section", start)
    return page[start : end if end > 0 else None]


# -- contacts -----------------------------------------------------------------------------------------------


def test_contacts_render_under_their_roles_in_every_layout_and_language(registers: Path) -> None:
    for layout in ("gdpr", "questions", "register-description"):
        html = pages(registers, register_yaml(add={"contacts": CONTACTS, "layout": layout}))
        for lang, (responsible, registry, pattern) in ROLES.items():
            page = html[lang]
            assert f">{responsible}</h" in page and f">{registry}</h" in page and pattern in page, (layout, lang)
            assert 'href="mailto:kirjaamo@esimerkki.example"' in page
            assert 'href="mailto:sanna.leppala@esimerkki.example"' in page
            assert "Mikko Harjula" in page
        # The role and the address keep their line breaks.
        assert "Opintoasiat<br>Asiointipiste" in html["fi"]
        assert "Kirjaamo<br>PL 40<br>99870 Kaarnasalo" in html["fi"]


def test_a_pattern_address_is_never_a_mailto_link(registers: Path) -> None:
    html = pages(registers, register_yaml(add={"contacts": CONTACTS}))
    for page in html.values():
        assert "mailto:etunimi" not in page and "mailto:firstname" not in page and "mailto:förnamn" not in page
    assert "firstname.lastname@" in html["en"].replace("<wbr>", "")


def test_contact_person_stays_valid_beside_contacts(write: Callable, cli: Callable) -> None:
    write(
        "x.yaml",
        register_yaml(add={"contact_person": {"name": "Asiakaspalvelu", "phone": "020 555"}, "contacts": CONTACTS}),
    )
    assert cli("check", "--strict").exit_code == 0


def test_a_dpo_reachable_only_through_a_web_form_is_written_with_web_alone(registers: Path) -> None:
    dpo = {
        "name": {"fi": "Tietosuojavastaava", "sv": "Dataskyddsombud", "en": "DPO"},
        "web": "https://x.example/lomake",
    }
    html = pages(registers, register_yaml(add={"dpo": dpo}))
    assert 'href="https://x.example/lomake"' in section(html["fi"], "data-protection-officer")


def test_an_address_hidden_from_harvesters_gets_the_plain_form(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("tietosuoja@esimerkki.example", "tietosuoja[at]esimerkki.example"))
    assert problems(cli("check")) == [
        "registers/x.yaml:7:10: controller.email: 'tietosuoja[at]esimerkki.example' is not an e-mail address; write "
        "the plain form, such as tietosuoja@esimerkki.example (the notice publishes it as a link, and hiding it from "
        "harvesters does not work for a published address)"
    ]


def test_a_pattern_in_email_says_to_write_email_pattern(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("tietosuoja@esimerkki.example", "etunimi.sukunimi@esimerkki.example"))
    assert problems(cli("check")) == [
        "registers/x.yaml:7:10: controller.email: 'etunimi.sukunimi@esimerkki.example' is a pattern, not an address; "
        "write it as email_pattern: {fi: etunimi.sukunimi@..., sv: förnamn.efternamn@..., en: "
        "firstname.lastname@...}, which is printed as text, not as a link"
    ]


def test_an_unknown_role_names_the_roles(write: Callable, cli: Callable) -> None:
    write("x.yaml", register_yaml(add={"contacts": [{"role": "registy", "email": "k@esimerkki.example"}]}))
    [line] = problems(cli("check"))
    assert line.startswith("registers/x.yaml:")
    assert line.endswith(
        "contacts[0].role: unknown role 'registy' (did you mean 'registry'?); use one of responsible_person, "
        "contact_person, data_requests, customer_service, registry, system_administrator, or write the role in "
        "your own words as {fi: ..., sv: ..., en: ...}"
    )


def test_a_contact_with_a_role_only_is_refused(write: Callable, cli: Callable) -> None:
    write("x.yaml", register_yaml(add={"contacts": [{"role": "registry"}]}))
    [line] = problems(cli("check"))
    assert line.endswith(
        "contacts[0]: the contact names a role only; give a name, people, or how to reach them (phone, email, "
        "address, web)"
    )


# -- the register's basis and laws ------------------------------------------------------------------------

PUBLIC = {
    "legal_basis": "public_task",
    "laws": [
        {"text": {"fi": "Yliopistolaki (558/2009)", "sv": "Universitetslagen (558/2009)", "en": "Universities Act"}},
        "act_on_openness",
        "archives_act",
    ],
}
THREE_PURPOSES = [{"text": {"fi": f"Tarkoitus {n}", "sv": f"Syfte {n}", "en": f"Purpose {n}"}} for n in (1, 2, 3)]


def test_the_registers_basis_is_printed_once_and_its_laws_as_a_list(registers: Path) -> None:
    html = pages(registers, register_yaml(purposes=THREE_PURPOSES, add=PUBLIC))
    purposes = section(html["fi"], "purposes")
    assert purposes.count("Yleistä etua koskeva tehtävä") == 1
    assert "<table" not in purposes
    assert "<li>Yliopistolaki (558/2009)" in purposes and "<li>Arkistolaki (831/1994)" in purposes
    assert "Kansallinen lainsäädäntö" not in purposes
    assert "Legislation governing the processing" in section(html["en"], "purposes")
    assert "Lagstiftning som gäller behandlingen" in section(html["sv"], "purposes")


def test_a_purpose_with_a_basis_of_its_own_keeps_the_table(registers: Path) -> None:
    own = {"term": "customer_relationship", "legal_basis": "contract"}
    html = pages(registers, register_yaml(purposes=[*THREE_PURPOSES, own], add=PUBLIC))
    purposes = section(html["en"], "purposes")
    assert "<table" in purposes
    assert "Legislation governing the processing (legal basis: Public task" in purposes


def test_a_public_task_rests_on_the_registers_laws(write: Callable, cli: Callable) -> None:
    write("x.yaml", register_yaml(purposes=THREE_PURPOSES, add={"legal_basis": "public_task"}))
    lines = problems(cli("check"))
    assert len(lines) == 3 and all("purposes[" in line and "national_law" in line for line in lines)
    write("x.yaml", register_yaml(purposes=THREE_PURPOSES, add=PUBLIC))
    assert problems(cli("check")) == []


def test_the_gdpr_is_never_a_national_law(write: Callable, cli: Callable) -> None:
    gdpr = {"text": {"fi": "EU:n yleinen tietosuoja-asetus (2016/679)", "sv": "Dataskyddsförordningen", "en": "GDPR"}}
    write("x.yaml", register_yaml(purposes=THREE_PURPOSES, add={**PUBLIC, "laws": [*PUBLIC["laws"], gdpr]}))
    [line] = problems(cli("check"))
    assert line.endswith(
        "laws[3]: the General Data Protection Regulation is EU law, not national law, and the notice names it "
        "itself; remove it from the list and name only the national laws (such as data_protection_act) "
        "(Art. 6(3), 13(1)(c)) [gdpr-not-national-law]"
    )


# -- transfers and publication ----------------------------------------------------------------------------

WHEN = {
    "fi": "Vain teknisesti välttämättä.",
    "sv": "Endast när det är tekniskt nödvändigt.",
    "en": "Only where needed.",
}
COPY = {"fi": "Kysy meiltä.", "sv": "Fråga oss.", "en": "Ask us."}


def test_a_conditional_transfer_may_leave_its_destination_unnamed(registers: Path) -> None:
    transfer = {"when": WHEN, "safeguard": "standard_contractual_clauses", "safeguard_copy": COPY}
    html = pages(registers, register_yaml(transfers=[transfer]))
    expected = {
        "fi": ("vain alla kuvatuissa tilanteissa", "EU:n tai ETA:n ulkopuolinen maa", "Milloin tietoja siirretään"),
        "sv": ("endast i de fall som beskrivs nedan", "Ett land utanför EU eller EES", "När uppgifter överförs"),
        "en": ("only in the cases described below", "A country outside the EU or the EEA", "When data is transferred"),
    }
    for lang, words in expected.items():
        transfers = section(html[lang], "transfers")
        assert all(word in transfers for word in words), lang


def test_an_unnamed_destination_needs_a_condition_and_no_adequacy_decision(write: Callable, cli: Callable) -> None:
    write("x.yaml", register_yaml(transfers=[{"safeguard": "standard_contractual_clauses", "safeguard_copy": COPY}]))
    [line] = problems(cli("check"))
    assert line.endswith(
        "transfers[0]: give the destination as a country (country: US) or an international organisation "
        "(organisation: {fi: ..., sv: ..., en: ...}); only a conditional transfer (when: ...) may leave it unnamed"
    )
    write("x.yaml", register_yaml(transfers=[{"when": WHEN, "safeguard": "adequacy_decision"}]))
    [line] = problems(cli("check"))
    assert line.endswith(
        "transfers[0].safeguard: an adequacy decision covers a named country; name the country, or the transfer "
        "mechanism that applies wherever the data goes (such as standard_contractual_clauses) (Art. 45) [adequacy]"
    )


PUBLICATION = [
    {
        "what": {"fi": "Nimet", "sv": "Namnen", "en": "Names"},
        "where": {"fi": "Verkkosivuilla", "sv": "På webbplatsen", "en": "On the website"},
        "web": "https://www.esimerkki.example/valtuusto",
    }
]


def test_publication_says_the_data_can_be_read_anywhere(registers: Path) -> None:
    html = pages(registers, register_yaml(recipients=["tax_administration"], add={"publication": PUBLICATION}))
    expected = {
        "fi": "myös Euroopan unionin (EU)",
        "sv": "även utanför Europeiska unionen (EU)",
        "en": "including outside",
    }
    for lang, words in expected.items():
        recipients = section(html[lang], "recipients")
        assert words in recipients and 'href="https://www.esimerkki.example/valtuusto"' in recipients, lang


def test_publication_contradicts_recipients_none(write: Callable, cli: Callable) -> None:
    write("x.yaml", register_yaml(add={"publication": PUBLICATION}))
    [line] = problems(cli("check"))
    assert line.endswith(
        "recipients: the register publishes data on the internet (publication), which discloses it to anyone; "
        "remove recipients: [], or list the recipients (Art. 13(1)(e), 14(1)(e)) [publication-recipients]"
    )


# -- the commonest YAML slips -------------------------------------------------------------------------------


def test_a_comma_inside_a_text_in_braces_says_to_quote_it(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("{fi: Viisi vuotta,", "{fi: Viisi vuotta, b,"))
    assert problems(cli("check")) == [
        "registers/x.yaml:14:31: retention: a comma inside {fi: ..., sv: ..., en: ...} ends the text, so 'b' became "
        'a key of its own; put the text in quotes, such as fi: "..., b"'
    ]


def test_a_colon_inside_an_unquoted_sentence_says_to_quote_it(write: Callable, cli: Callable) -> None:
    write(
        "x.yaml",
        MINIMAL.replace(
            "retention: {fi: Viisi vuotta, sv: Fem år, en: Five years}",
            "retention:\n  fi: Aika: viisi vuotta\n  sv: Fem år\n  en: Five years",
        ),
    )
    assert problems(cli("check")) == [
        "registers/x.yaml:15:11: a colon followed by a space inside a text that is not in quotes starts a new key; "
        'put the text in quotes, such as "Text: more text"'
    ]


def test_uk_suggests_gb(write: Callable, cli: Callable) -> None:
    write("x.yaml", register_yaml(transfers=[{"country": "UK", "safeguard": "adequacy_decision"}]))
    [line] = problems(cli("check"))
    assert line.endswith("transfers[0].country: 'UK' is not an ISO 3166 country code (write GB)")


def test_a_finnish_date_for_archive_at_names_the_iso_day(cli: Callable) -> None:
    result = cli("archive", "customer-register", "--at", "1.6.2026")
    assert result.exit_code == 2
    assert "'1.6.2026' is not a day written as YYYY-MM-DD; write 2026-06-01" in result.output


def test_the_schema_has_the_new_shapes() -> None:
    schema = json.dumps(editor_schema(REPO / "registers"))
    for name in ('"contacts"', '"email_pattern"', '"people"', '"publication"', '"laws"', '"when"', '"registry"'):
        assert name in schema, name
