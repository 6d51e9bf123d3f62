"""The organisation's own form of its notice: numbering in every layout, the HetiL 10 § order, the
municipal order, cross-references to sections by their id, the document's own name and its dates."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import register_yaml

from generator.build import build
from generator.check import check
from generator.errors import ProblemsFound
from generator.render import render
from generator.validate import validate_paths
from generator.wording import languages

CONTACT = {"name": "Maija Mallikas", "email": "rekisteri@esimerkki.example"}
DPO = {"email": "dpo@esimerkki.example"}
DATA_SUBJECTS = [{"text": {"fi": "Asiakkaat", "sv": "Kunder", "en": "Customers"}}]
SECURITY = {"general": {"fi": "Lukitut tilat.", "sv": "Låsta utrymmen.", "en": "Locked premises."}}


def refer(fi: str, sv: str | None = None, en: str | None = None) -> dict[str, str]:
    """An exercise_rights text with a cross-reference, the same words in each language unless given."""
    return {"fi": fi, "sv": sv or fi, "en": en or fi}


def page(registers: Path, lang: str = "fi", kind: str = "index") -> str:
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    return (output / lang / "customer-register" / f"{kind}.html").read_text(encoding="utf-8")


def contents(html: str) -> list[tuple[str, str]]:
    """The notice's contents as (number, anchor), the number empty where the heading has none."""
    return re.findall(r'<li><a href="#seloste-([a-z-]+)">(?:(\d+)\. )?', html)


def numbered(html: str) -> list[str]:
    return [anchor for anchor, number in contents(html) if number]


def messages(registers: Path) -> list[str]:
    return [str(problem) for problem in check([registers]).problems]


@pytest.mark.parametrize(
    ("layout", "by_default"),
    [("gdpr", False), ("questions", False), ("register-description", True), ("municipal", True)],
)
def test_numbering_follows_the_layout_and_can_be_turned_on_or_off_in_every_layout(
    write: Callable, registers: Path, layout: str, by_default: bool
) -> None:
    write("customer.yaml", register_yaml(add={"layout": layout, "dpo": DPO}))
    html = page(registers)
    numbers = [number for _, number in contents(html)]
    assert all(numbers) if by_default else not any(numbers)
    write("customer.yaml", register_yaml(add={"layout": layout, "dpo": DPO, "numbered": not by_default}))
    numbers = [number for _, number in contents(page(registers))]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] if not by_default else not any(numbers)


def test_the_summary_is_never_numbered(write: Callable, registers: Path) -> None:
    write("customer.yaml", register_yaml(add={"numbered": True, "summary": True}))
    first, *rest = contents(page(registers))
    assert first == ("summary", "") and rest[0] == ("controller", "1")


def form_page(write: Callable, registers: Path, layout: str) -> str:
    """The page of a register in `layout` with every item an organisation's own form numbers."""
    add = {"contact_person": CONTACT, "dpo": DPO, "data_subjects": DATA_SUBJECTS, "security": SECURITY}
    add["layout"] = layout
    write("customer.yaml", register_yaml(add=add, recipients=[{"term": "authorities"}]))
    return page(registers)


def test_the_classic_form_numbers_its_items_as_the_personal_data_act_did(write: Callable, registers: Path) -> None:
    html = form_page(write, registers, "register-description")
    # HetiL 10 §: 1 controller, 2 contact person, 3 register, 4 purpose, 5 data content (with the
    # data subjects), 6 sources, 7 disclosures and transfers, 8 security, 9 rights; the GDPR's after.
    assert numbered(html)[:9] == [
        "controller",
        "contact-person",
        "register",
        "purposes",
        "personal-data",
        "sources",
        "recipients",
        "security",
        "rights",
    ]
    assert numbered(html)[9:] == [
        "data-protection-officer",
        "retention",
        "complaint",
        "obligation-to-provide",
        "automated-decisions",
    ]
    assert "data-subjects" not in numbered(html) and "transfers" not in numbered(html)


def test_the_municipal_form_keeps_its_own_order(write: Callable, registers: Path) -> None:
    html = form_page(write, registers, "municipal")
    assert numbered(html)[:12] == [
        "controller",
        "contact-person",
        "data-protection-officer",
        "purposes",
        "legal-basis",
        "personal-data",
        "sources",
        "recipients",
        "retention",
        "security",
        "rights",
        "complaint",
    ]
    purposes = html.split('id="seloste-purposes"')[1].split("</section>")[0]
    basis = html.split('id="seloste-legal-basis"')[1].split("</section>")[0]
    assert "Oikeusperuste" not in purposes and "Sopimus" in basis  # the basis under its own heading


def test_a_cross_reference_prints_the_sections_number_and_heading_and_links_to_it(
    write: Callable, registers: Path
) -> None:
    text = refer(
        "Pyynnöt kohdassa [[#contact-person]] mainitulle henkilölle ([[contact-person]]).",
        "Begäran till personen som nämns i punkt [[#contact-person]] ([[contact-person]]).",
        "Requests to the person named in item [[#contact-person]] ([[contact-person]]).",
    )
    write(
        "customer.yaml",
        register_yaml(add={"layout": "register-description", "contact_person": CONTACT}, exercise_rights=text),
    )
    fi = page(registers)
    link = '<a href="#seloste-contact-person" class="seloste__ref">'
    assert f"kohdassa {link}2</a> mainitulle" in fi
    assert f"({link}2. Rekisteriasioita hoitava henkilö tai yhteyshenkilö</a>)" in fi
    assert f"punkt {link}2</a> ({link}2. Kontaktperson" in page(registers, "sv")
    assert f"item {link}2</a> ({link}2. Person handling matters concerning the register</a>)" in page(registers, "en")
    assert "[[" not in page(registers, "en", "fragment")


def test_a_cross_reference_follows_the_section_when_the_order_changes(write: Callable, registers: Path) -> None:
    text = refer("Säilytyksestä kerrotaan kohdassa [[#retention]].")
    write("customer.yaml", register_yaml(add={"numbered": True}, exercise_rights=text))
    before = dict(contents(page(registers)))["retention"]
    assert f'kohdassa <a href="#seloste-retention" class="seloste__ref">{before}</a>.' in page(registers)
    # A data protection officer comes before retention in the gdpr layout: retention moves down one.
    write("customer.yaml", register_yaml(add={"numbered": True, "dpo": DPO}, exercise_rights=text))
    after = dict(contents(page(registers)))["retention"]
    assert int(after) == int(before) + 1
    assert f'kohdassa <a href="#seloste-retention" class="seloste__ref">{after}</a>.' in page(registers)


def test_a_cross_reference_to_no_section_is_a_located_error(write: Callable, registers: Path) -> None:
    write(
        "customer.yaml",
        register_yaml(exercise_rights=refer("Ota yhteyttä: [[contact_person]].", "Kontakta oss.", "Contact us.")),
    )
    [message] = messages(registers)
    assert re.search(r"customer\.yaml:\d+:\d+: exercise_rights\.fi: ", message)
    assert "[[contact_person]] names no section of this notice" in message
    assert "[cross-reference]" in message
    with pytest.raises(ProblemsFound) as refused:
        build([registers], registers.parent / "output", pdf=False)
    assert [str(p) for p in refused.value.problems] == [message]
    assert not (registers.parent / "output").exists()


def test_a_cross_reference_suggests_the_id_it_resembles(write: Callable, registers: Path) -> None:
    write("customer.yaml", register_yaml(exercise_rights=refer("Katso [[retension]].", "Se nedan.", "See below.")))
    [message] = messages(registers)
    assert (
        "[[retension]] names no section of this notice; write a section id in double brackets "
        "(did you mean [[retention]]?)" in message
    )


def test_a_section_number_is_asked_for_only_in_a_numbered_notice(write: Callable, registers: Path) -> None:
    write(
        "customer.yaml", register_yaml(exercise_rights=refer("Katso kohta [[#retention]].", "Se nedan.", "See below."))
    )
    [message] = messages(registers)
    assert (
        "[[#retention]] asks for a section number, but this notice is not numbered; write [[retention]] "
        "to name the section by its heading, or set numbered: true" in message
    )


def test_brackets_outside_a_markdown_text_are_printed_as_typed(write: Callable, registers: Path) -> None:
    consequences = {"fi": "Katso [[retention]].", "sv": "Se [[retention]].", "en": "See [[retention]]."}
    write("customer.yaml", register_yaml(requirement={"kind": "contractual", "consequences": consequences}))
    assert messages(registers) == []
    assert "<p>Katso [[retention]].</p>" in page(registers)


def test_the_organisations_own_document_name_heads_page_fragment_and_pdf(write: Callable, registers: Path) -> None:
    name = {"fi": "Tietosuojailmoitus", "sv": "Dataskyddsmeddelande", "en": "Privacy statement"}
    write("customer.yaml", register_yaml(add={"document_name": name}))
    assert '<p class="seloste__kind">Tietosuojailmoitus</p>' in page(registers)
    assert '<p class="seloste__kind">Dataskyddsmeddelande</p>' in page(registers, "sv", "fragment")
    [entry] = validate_paths([registers]).registers
    printed = render(entry, languages(entry.vocabulary)["en"]).print
    assert "<title>Customer register: Privacy statement</title>" in printed


def test_the_organisations_dates_are_printed_and_the_version_date_can_be_left_out(
    write: Callable, registers: Path
) -> None:
    dates = {"drawn_up": "2024-11-05", "updated": "2025-02-14", "published": "2025-03-01"}
    write("customer.yaml", register_yaml(add={"dates": dates}))
    fi = page(registers)
    assert "Laadittu 5.11.2024" in fi and "Päivitetty 14.2.2025" in fi and "Julkaistu 1.3.2025" in fi
    assert "Voimassa 1.3.2025 alkaen" in fi
    sv, en = page(registers, "sv"), page(registers, "en")
    assert "Upprättad 5.11.2024" in sv and "Uppdaterad 14.2.2025" in sv and "Publicerad 1.3.2025" in sv
    assert "Drawn up 5 November 2024" in en and "Updated 14 February 2025" in en and "Published 1 March 2025" in en

    write("customer.yaml", register_yaml(add={"dates": {"updated": "2025-02-14"}, "show_version_date": False}))
    fi = page(registers)
    assert "Päivitetty 14.2.2025" in fi and "Voimassa" not in fi and "Laadittu" not in fi
    # The version still keys the notice (and its archive): it is in the page's metadata, unprinted.
    assert '<meta name="seloste.version" content="2025-03-01">' in fi


def test_a_notice_updated_before_it_was_drawn_up_is_refused(write: Callable, registers: Path) -> None:
    write("customer.yaml", register_yaml(add={"dates": {"drawn_up": "2025-02-14", "updated": "2024-11-05"}}))
    [message] = messages(registers)
    assert re.search(r"customer\.yaml:\d+:\d+: dates: ", message)
    assert message.endswith("the notice is updated before it was drawn up; check dates.drawn_up and dates.updated")


def test_a_reference_to_an_own_section_prints_its_title_escaped_and_never_nests_links(
    write: Callable, registers: Path
) -> None:
    title = {"fi": "Evästeet <i>ja</i> seuranta", "sv": "Kakor", "en": "Cookies"}
    body = {"fi": "Evästeistä.", "sv": "Om kakor.", "en": "On cookies."}
    text = refer("Katso [[cookies]] tai [lisää: [[cookies]]](https://esimerkki.example/evasteet).", "Se.", "See.")
    sections = [{"id": "cookies", "title": title, "body": body}]
    write("customer.yaml", register_yaml(add={"sections": sections, "numbered": True}, exercise_rights=text))
    assert messages(registers) == []
    fi = page(registers)
    number = dict(contents(fi))["cookies"]
    heading = f"{number}. Evästeet &lt;i&gt;ja&lt;/i&gt; seuranta"
    assert f'Katso <a href="#seloste-cookies" class="seloste__ref">{heading}</a>' in fi
    assert f'<a href="https://esimerkki.example/evasteet" rel="noopener noreferrer">lisää: {heading}</a>' in fi
