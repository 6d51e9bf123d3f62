"""Text around lists and layered notices: lead texts, qualifiers, own-text rights, profiling and
direct marketing on purposes of one's own words, the requirement per purpose or data category, a
first layer that names its full notice, and the short notices for forms. Each shape is written
into a real register file, checked by the real rules and rendered in Finnish, Swedish and English."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL_DATA, register_yaml

from generator.build import build
from generator.check import check
from generator.render import PageOptions
from generator.wording import qualified

LANGS = ("fi", "sv", "en")


def words(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def findings(write: Callable[..., Path], registers: Path, remove: tuple[str, ...] = (), **fields: Any) -> list[str]:
    """The problems `seloste check` reports for MINIMAL with `fields` added or changed and `remove` left out."""
    add = {k: v for k, v in fields.items() if k not in MINIMAL_DATA}
    changes = {k: v for k, v in fields.items() if k in MINIMAL_DATA}
    write("customer.yaml", register_yaml(add=add, remove=remove, **changes))
    return [str(p) for p in check([registers]).problems]


def pages(
    write: Callable[..., Path],
    registers: Path,
    options: PageOptions | None = None,
    remove: tuple[str, ...] = (),
    **fields: Any,
) -> Path:
    """Build MINIMAL with `fields` into output/ (HTML only) and return output/."""
    assert findings(write, registers, remove, **fields) == []
    output = registers.parent / "output"
    build([registers], output, pdf=False, options=options)
    return output


def page(output: Path, lang: str, name: str = "index.html") -> str:
    return (output / lang / "customer-register" / name).read_text(encoding="utf-8")


# -- lead texts ----------------------------------------------------------------------------------

LEADS = {
    "purposes": words("Käytämme tietoja näihin:", "Vi använder uppgifterna för dessa:", "We use the data for these:"),
    "data_categories": words("Tietoja ovat:", "Uppgifterna är:", "The data is:"),
    "sources": words("Tiedot saadaan:", "Uppgifterna fås från:", "The data comes from:"),
    "recipients": words("Tietoja luovutetaan:", "Uppgifter lämnas ut till:", "The data is disclosed to:"),
    "rights": words("Oikeutesi ovat nämä.", "Dina rättigheter är dessa.", "Your rights are these."),
}


def test_a_lead_text_stands_above_its_list_in_every_language(write: Callable[..., Path], registers: Path) -> None:
    output = pages(write, registers, leads=LEADS, recipients=["authorities"])
    for lang in LANGS:
        html = page(output, lang)
        for key, text in LEADS.items():
            lead = f'<div class="seloste__lead"><p>{text[lang]}</p></div>'
            assert html.count(lead) == 1, (lang, key)
        purposes = html[html.index('id="seloste-purposes"') :]
        assert purposes.index(LEADS["purposes"][lang]) < purposes.index('<table class="seloste__purposes">')


def test_an_unknown_section_in_leads_is_a_located_error_naming_the_key_meant(
    write: Callable[..., Path], registers: Path
) -> None:
    found = findings(write, registers, leads={"purpose": LEADS["purposes"]})
    assert len(found) == 1
    assert re.fullmatch(r"registers/customer\.yaml:\d+:\d+: leads\.purpose: unknown key 'purpose' .*", found[0])
    assert "did you mean 'purposes'?" in found[0]


# -- qualifiers ----------------------------------------------------------------------------------


def test_a_qualifier_comes_before_the_item_whose_capital_it_lowers() -> None:
    assert qualified("mahdollisesti", "Pankkitilin numero") == "mahdollisesti pankkitilin numero"
    assert qualified("possibly", "Bank account number") == "possibly bank account number"
    assert qualified("possibly", "IBAN") == "possibly IBAN"  # an abbreviation keeps its capitals


def test_a_qualifier_marking_the_items_place_keeps_the_item_as_written() -> None:
    assert qualified("… (with consent)", "Insurance companies") == "Insurance companies (with consent)"
    assert qualified("possibly the ...", "Trade Register") == "possibly the Trade Register"


def test_qualified_items_render_in_every_language(write: Callable[..., Path], registers: Path) -> None:
    categories = [
        "name",
        {"term": "bank_account", "qualifier": words("mahdollisesti", "eventuellt", "possibly")},
        {"term": "contact_details", "qualifier": words("…, jos annettu", "…, om de lämnats", "…, where given")},
    ]
    output = pages(write, registers, data_categories=categories)
    expected = {
        "fi": ("mahdollisesti pankkitilin numero", "Yhteystiedot, jos annettu"),
        "sv": ("eventuellt bankkontonummer", "Kontaktuppgifter, om de lämnats"),
        "en": ("possibly bank account number", "Contact details, where given"),
    }
    for lang, items in expected.items():
        html = page(output, lang)
        for item in items:
            assert f"<li>{item}</li>" in html, (lang, item)


# -- own-text rights -----------------------------------------------------------------------------

BAN = {
    "text": words(
        "Oikeus kieltää tietojen käyttö mielipidetutkimukseen",
        "Rätt att förbjuda att uppgifterna används för opinionsundersökningar",
        "Right to forbid the use of the data for opinion research",
    ),
    "details": words("Kerro kiellosta asiakaspalvelulle.", "Meddela kundtjänsten förbudet.", "Tell customer service."),
}


def test_an_own_right_is_printed_with_the_rights_under_no_laws_name(
    write: Callable[..., Path], registers: Path
) -> None:
    output = pages(write, registers, own_rights=[BAN])
    intros = {"fi": "Sinulla on lisäksi", "sv": "Du har dessutom", "en": "You also have"}
    for lang in LANGS:
        rights = page(output, lang).split('id="seloste-rights"')[1].split("</section>")[0]
        own = rights[rights.index('seloste__rights--own"') :]
        assert f"<dt>{BAN['text'][lang]}</dt>" in own and BAN["details"][lang] in own
        assert intros[lang] in rights[: rights.index('seloste__rights--own"')]
        # printed after the statutory rights, as the organisation's own words
        assert rights.index('<dl class="seloste__rights">') < rights.index('seloste__rights--own"')


def test_an_own_right_must_be_own_text(write: Callable[..., Path], registers: Path) -> None:
    [found] = findings(write, registers, own_rights=["object_direct_marketing"])
    assert found.endswith(
        "own_rights[0]: own_rights take your own text ({fi: ..., sv: ..., en: ...}); a right of the vocabulary "
        "goes in rights"
    )


# -- profiling and direct marketing on purposes in one's own words -----------------------------

NEWSLETTER = {
    "text": words("Uutiskirje", "Nyhetsbrev", "Newsletter"),
    "legal_basis": "legitimate_interests",
    "legitimate_interests": words("Asiakasviestintä", "Kundkommunikation", "Communicating with customers"),
}


def test_direct_marketing_on_a_purpose_of_ones_own_words_brings_the_absolute_right_to_object(
    write: Callable[..., Path], registers: Path
) -> None:
    marketing = dict(NEWSLETTER, direct_marketing="true")
    output = pages(write, registers, purposes=[MINIMAL_DATA["purposes"][0], marketing])
    assert "direct marketing" in page(output, "en").split('id="seloste-right-to-object"')[1].split("</section>")[0]
    # listed by hand, the rights must then include the objection to direct marketing (Art. 21(2))
    listed = ["access", "rectification", "erasure", "restriction", "portability", "object", "complaint"]
    found = findings(write, registers, purposes=[MINIMAL_DATA["purposes"][0], marketing], rights=listed)
    assert [f for f in found if "[rights-stated]" in f] == [
        next(f for f in found if "'object_direct_marketing' (Art. 21(2)) applies but is not listed" in f)
    ]


def test_profiling_on_a_purpose_of_ones_own_words_asks_for_the_statement_on_automated_decisions(
    write: Callable[..., Path], registers: Path
) -> None:
    profiling = dict(NEWSLETTER, profiling="true")
    found = findings(write, registers, purposes=[profiling], remove=("automated_decisions",))
    assert any("[profiling-statement]" in f for f in found)
    assert not any("[profiling-statement]" in f for f in findings(write, registers, purposes=[profiling]))
    # without the flag, the same purpose is not profiling
    write("customer.yaml", register_yaml(purposes=[NEWSLETTER], remove=("automated_decisions",)))
    assert not any("[profiling-statement]" in str(p) for p in check([registers]).problems)


# -- the requirement per purpose or per data category -------------------------------------------

CONTRACT = {"kind": "contract_precondition", "consequences": words("Ei sopimusta.", "Inget avtal.", "No contract.")}
VOLUNTARY = {"kind": "voluntary"}


def test_the_requirement_per_purpose_stands_for_the_register(write: Callable[..., Path], registers: Path) -> None:
    purposes = [dict(MINIMAL_DATA["purposes"][0], requirement=CONTRACT), dict(NEWSLETTER, requirement=VOLUNTARY)]
    output = registers.parent / "output"
    write("customer.yaml", register_yaml(purposes=purposes, remove=("requirement",)))
    assert [str(p) for p in check([registers]).problems] == []
    build([registers], output, pdf=False)
    labels = {"fi": "Tarkoituksittain:", "sv": "Per ändamål:", "en": "By purpose:"}
    for lang in LANGS:
        section = page(output, lang).split('id="seloste-obligation-to-provide"')[1].split("</section>")[0]
        assert f"<p>{labels[lang]}</p>" in section
        assert section.count("<dt>") == 2 and CONTRACT["consequences"][lang] in section
    english = page(output, "en")
    assert "<dt>Newsletter</dt>\n<dd>Providing the personal data is voluntary" in english


def test_a_purpose_without_its_requirement_is_named_when_the_others_state_theirs(
    write: Callable[..., Path], registers: Path
) -> None:
    purposes = [dict(MINIMAL_DATA["purposes"][0], requirement=CONTRACT), NEWSLETTER]
    write("customer.yaml", register_yaml(purposes=purposes, remove=("requirement",)))
    found = [str(p) for p in check([registers]).problems]
    assert len(found) == 1
    assert ": purposes[1].requirement: other purposes say whether providing the data is required" in found[0]
    assert found[0].endswith("[requirement]")


def test_the_requirement_per_data_category_renders_and_its_consequences_are_asked_for(
    write: Callable[..., Path], registers: Path
) -> None:
    categories = [
        {"term": "name", "requirement": {"kind": "contractual"}},
        {"term": "contact_details", "requirement": VOLUNTARY},
    ]
    write("customer.yaml", register_yaml(data_categories=categories, remove=("requirement",)))
    [found] = [str(p) for p in check([registers]).problems]
    assert "warning: data_categories[0].requirement.consequences: say what follows" in found
    categories[0]["requirement"] = CONTRACT
    output = pages(write, registers, data_categories=categories, remove=("requirement",))
    assert "<p>Per uppgiftskategori:</p>" in page(output, "sv")


# -- layers: the first layer and the short notices ---------------------------------------------

FULL = {
    "title": words("Koko seloste", "Hela beskrivningen", "The full notice"),
    "url": "https://esimerkki.example/full",
}


def test_a_first_layer_names_and_links_its_full_notice(write: Callable[..., Path], registers: Path) -> None:
    output = pages(write, registers, full_notice=FULL)
    summary = {"fi": "Tämä ilmoitus on tiivistelmä.", "sv": "en sammanfattning.", "en": "This notice is a summary."}
    for lang in LANGS:
        # In the notice's opening, after who processes the data and how to act on the rights.
        opening = page(output, lang).split("</header>", 1)[1].split('<nav id="seloste-contents"')[0]
        assert opening.index('class="seloste__act"') < opening.index(summary[lang])
        assert f'<a href="https://esimerkki.example/full">{FULL["title"][lang]}</a>.' in opening


def test_a_full_notice_may_have_an_address_in_each_language(write: Callable[..., Path], registers: Path) -> None:
    urls = {lang: f"https://esimerkki.example/{lang}/full" for lang in LANGS}
    output = pages(write, registers, full_notice=dict(FULL, url=urls))
    for lang in LANGS:
        assert f'<a href="{urls[lang]}">' in page(output, lang)
    [found] = findings(write, registers, full_notice=dict(FULL, url=dict(urls, sv="esimerkki.example/sv")))
    assert found.endswith(
        "full_notice.url.sv: 'esimerkki.example/sv' is not a web address starting with https:// or http://"
    )


def short_notices(output: Path) -> list[str]:
    return sorted(str(p.relative_to(output)) for p in output.glob("*/*/short/*.html"))


def test_short_notices_are_written_per_purpose_only_when_asked_for(write: Callable[..., Path], registers: Path) -> None:
    assert short_notices(pages(write, registers)) == []
    purposes = [MINIMAL_DATA["purposes"][0], dict(NEWSLETTER, id="newsletter")]
    output = pages(write, registers, short_notices="true", purposes=purposes)
    assert short_notices(output) == [
        f"{lang}/customer-register/short/{name}.html"
        for lang in sorted(LANGS)
        for name in ("customer-relationship", "newsletter")
    ]


def test_a_short_notice_states_controller_purpose_basis_and_the_full_notice(
    write: Callable[..., Path], registers: Path
) -> None:
    purposes = [dict(MINIMAL_DATA["purposes"][0], requirement=CONTRACT)]
    output = pages(write, registers, short_notices="true", purposes=purposes)
    english = page(output, "en", "short/customer-relationship.html")
    body = english.split("-->\n", 1)[1]
    assert body == (
        '<div class="seloste seloste--short" lang="en">\n'
        "<p>Esimerkki Ltd processes your personal data for the following purpose: Managing the customer relationship. "
        "Legal basis for the processing: Contract (GDPR Art. 6(1)(b)). "
        "Providing the personal data is a requirement necessary to enter into a contract. No contract. "
        'More on the processing and your rights: <a href="../index.html">Customer register</a>.</p>\n'
        "</div>\n"
    )
    openings = {
        "fi": "<p>Esimerkki Oy käsittelee henkilötietojasi tähän tarkoitukseen: Asiakassuhteen hoitaminen. ",
        "sv": "<p>Exempel Ab behandlar dina personuppgifter för följande ändamål: ",
    }
    for lang, opening in openings.items():
        assert opening in page(output, lang, "short/customer-relationship.html")


def test_a_short_notice_links_the_published_page_or_the_full_notice(
    write: Callable[..., Path], registers: Path
) -> None:
    options = PageOptions(base_url="https://esimerkki.example/tietosuoja/")
    output = pages(write, registers, options, short_notices="true")
    link = 'href="https://esimerkki.example/tietosuoja/sv/customer-register/index.html"'
    assert link in page(output, "sv", "short/customer-relationship.html")
    output = pages(write, registers, options, short_notices="true", full_notice=FULL)
    assert '<a href="https://esimerkki.example/full">Hela beskrivningen</a>' in page(
        output, "sv", "short/customer-relationship.html"
    )


@pytest.mark.parametrize(
    ("purposes", "message"),
    [
        ([NEWSLETTER], "purposes[0]: short_notices: true names each short notice after its purpose; give this purpose"),
        (
            [MINIMAL_DATA["purposes"][0], dict(MINIMAL_DATA["purposes"][0])],
            "purposes[1]: short_notices: true names each short notice after its purpose, and 'customer-relationship'",
        ),
    ],
)
def test_each_short_notice_needs_a_name_of_its_own(
    purposes: list[Any], message: str, write: Callable[..., Path], registers: Path
) -> None:
    found = findings(write, registers, short_notices="true", purposes=purposes)
    assert [f for f in found if "[short-notice-name]" in f] == [next(f for f in found if message in f)]


# -- a historic register description ------------------------------------------------------------

HISTORIC = """\
id: customer-register
version: 2016-03-01
layout: register-description
title: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}
controller: {name: Esimerkki Oy, email: tietosuoja@esimerkki.example}
purposes:
  - text: {fi: Asiakassuhteen hoitaminen, sv: Skötsel av kundförhållandet, en: Managing the customer relationship}
data_subjects: [customers]
data_categories: [name, contact_details]
sources: [data_subject]
transfers: none
security: {general: {fi: Lukitut tilat, sv: Låsta utrymmen, en: Locked premises}}
rights: [access, rectification]
"""


def test_a_historic_description_prints_its_own_rights_and_has_no_requirement_per_purpose(
    write: Callable[..., Path], registers: Path
) -> None:
    ban = "own_rights:\n  - {fi: Markkinointikielto, sv: Marknadsföringsförbud, en: Ban on marketing}\n"
    write("customer.yaml", HISTORIC + ban)
    assert [str(p) for p in check([registers]).problems] == []
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    rights = page(output, "en").split('id="seloste-rights"')[1]
    assert "Under the Personal Data Act you have the following rights:" in rights
    assert "You also have the following rights:" in rights and "<dt>Ban on marketing</dt>" in rights
    with_requirement = HISTORIC.replace(
        "en: Managing the customer relationship}\n",
        "en: Managing the customer relationship}\n    requirement: {kind: voluntary}\n",
    )
    write("customer.yaml", with_requirement)
    [found] = [str(p) for p in check([registers]).problems]
    assert "purposes[0].requirement: 'requirement' is not an item of a register description" in found
