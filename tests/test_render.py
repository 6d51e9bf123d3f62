"""Rendering notices: the files a build writes, their markup, their words in each language, and safety."""

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import tinycss2
from conftest import MINIMAL, REPO, register_yaml

from generator.build import build
from generator.errors import ProblemsFound, ToolError
from generator.render import PageOptions

RICH = (
    MINIMAL.replace(
        "purposes:\n  - term: customer_relationship\n    legal_basis: contract\n",
        "purposes:\n  - term: customer_relationship\n    legal_basis: contract\n"
        "  - term: direct_marketing\n    legal_basis: legitimate_interests\n"
        "    legitimate_interests: {fi: Markkinointi omille asiakkaille, sv: Marknadsföring till egna kunder, "
        "en: Marketing to our own customers}\n",
    )
    .replace(
        "transfers: none\n",
        "transfers:\n  - country: US\n    safeguard: standard_contractual_clauses\n"
        "    safeguard_copy: {fi: Pyydä tietosuojavastaavalta., sv: Be dataskyddsombudet., en: Ask the DPO.}\n",
    )
    .replace(
        "retention: {fi: Viisi vuotta, sv: Fem år, en: Five years}",
        "retention: {fi: Kolme vuotta, sv: Tre år, en: Three years}",
    )
    + """\
summary: true
dpo:
  email: dpo@esimerkki.example
history:
  - version: 2024-01-01
    changes: {fi: Ensimmäinen versio, sv: Första versionen, en: First version}
"""
)


def built(write: Callable, registers: Path, text: str, name: str = "customer.yaml") -> Path:
    write(name, text)
    output = registers.parent / "output"
    build([registers], output, pdf=False)  # the HTML alone; tests/test_pdf.py covers PDFs and the archive
    return output


def read(output: Path, lang: str, kind: str = "index") -> str:
    return (output / lang / "customer-register" / f"{kind}.html").read_text(encoding="utf-8")


@pytest.fixture
def rich(write: Callable, registers: Path) -> Path:
    return built(write, registers, RICH)


def test_a_build_writes_a_page_and_a_fragment_per_language_and_an_index(rich: Path) -> None:
    files = sorted(str(p.relative_to(rich)) for p in rich.rglob("*") if p.is_file())
    assert files == [
        ".seloste-cache.json",
        ".seloste-files",
        "en/customer-register/feed.atom",
        "en/customer-register/fragment.html",
        "en/customer-register/index.html",
        "en/customer-register/notice.jsonld",
        "en/customer-register/versions.html",
        "en/feed.atom",
        "fi/customer-register/feed.atom",
        "fi/customer-register/fragment.html",
        "fi/customer-register/index.html",
        "fi/customer-register/notice.jsonld",
        "fi/customer-register/versions.html",
        "fi/feed.atom",
        "index.html",
        "seloste.css",
        "sv/customer-register/feed.atom",
        "sv/customer-register/fragment.html",
        "sv/customer-register/index.html",
        "sv/customer-register/notice.jsonld",
        "sv/customer-register/versions.html",
        "sv/feed.atom",
        "versions.json",
    ]


def test_the_page_declares_its_language_title_alternates_and_metadata(rich: Path) -> None:
    page = read(rich, "sv")
    assert page.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<title>Kundregister – Exempel Ab</title>" in page
    for code in ("fi", "sv", "en"):
        assert f'<link rel="alternate" hreflang="{code}" href="../../{code}/customer-register/index.html">' in page
    assert '<link rel="alternate" hreflang="x-default" href="../../fi/customer-register/index.html">' in page
    assert 'rel="canonical"' not in page  # a canonical URL must be absolute: only with --base-url
    assert '<meta name="dcterms.modified" content="2025-03-01">' in page
    assert '<meta name="dcterms.created" content="2024-01-01">' in page
    assert re.search(r'<meta name="seloste.source-sha256" content="[0-9a-f]{64}">', page)
    assert '<meta name="generator" content="seloste ' in page
    assert 'aria-current="page" lang="sv" hreflang="sv">svenska</a>' in page


def test_dates_lists_and_countries_are_in_the_pages_language(rich: Path) -> None:
    assert "Voimassa 1.3.2025 alkaen" in read(rich, "fi")
    assert "Gäller från och med 1.3.2025" in read(rich, "sv")
    assert "Effective from 1 March 2025" in read(rich, "en")
    assert "Yhdysvallat" in read(rich, "fi") and "USA" in read(rich, "sv") and "United States" in read(rich, "en")


def test_legal_bases_are_cited_in_each_languages_form(rich: Path) -> None:
    assert "Sopimus (tietosuoja-asetuksen 6 artiklan 1 kohdan b alakohta)" in read(rich, "fi")
    assert "Avtal (artikel 6.1 b i dataskyddsförordningen)" in read(rich, "sv")
    assert "Contract (GDPR Art. 6(1)(b))" in read(rich, "en")


def test_every_section_has_a_stable_anchor_in_every_language(rich: Path) -> None:
    anchors = {lang: re.findall(r'<section id="seloste-([a-z-]+)"', read(rich, lang)) for lang in ("fi", "sv", "en")}
    assert anchors["fi"] == anchors["sv"] == anchors["en"]
    assert anchors["en"] == [
        "summary",
        "controller",
        "data-protection-officer",
        "purposes",
        "personal-data",
        "sources",
        "transfers",
        "retention",
        "rights",
        "right-to-object",
        "complaint",
        "obligation-to-provide",
        "automated-decisions",
        "changes",
    ]


def test_the_fragment_is_the_notice_alone_without_script_or_styles(rich: Path) -> None:
    fragment = read(rich, "en", "fragment")
    assert not re.search(r"<(html|head|body|script|style|link)\b", fragment)
    assert not re.search(r"\son\w+=", fragment)
    assert fragment.count('<article class="seloste') == 1
    assert '<h2 id="seloste-title"' in fragment and "<h1" not in fragment


def selectors(rules: list) -> list[str]:
    """Every selector of a stylesheet, from a real CSS parser, including those inside @media."""
    found = []
    for rule in rules:
        if rule.type == "qualified-rule":
            depth, current = 0, ""
            for char in tinycss2.serialize(rule.prelude):
                depth += {"(": 1, ")": -1}.get(char, 0)
                if char == "," and depth == 0:
                    found.append(current.strip())
                    current = ""
                else:
                    current += char
            found.append(current.strip())
        elif rule.type == "at-rule" and rule.content is not None:
            found += selectors(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
    return found


def test_the_stylesheet_cannot_leak_into_a_host_page(rich: Path) -> None:
    css = (rich / "seloste.css").read_text()
    found = selectors(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    assert len(found) > 30
    # Each rule's subject is a seloste element; the styled layer's only condition is an ancestor's class.
    assert [s for s in found if not re.match(r"(:where\(\.seloste--styled\) )?\.seloste(-page)?\b", s)] == []


def test_rights_follow_from_the_legal_bases(rich: Path, write: Callable, registers: Path) -> None:
    page = read(rich, "en")
    assert "Right to data portability" in page  # contract
    objection = page.split('id="seloste-right-to-object"')[1].split("</section>")[0]
    assert "Right to object" in objection and "direct marketing" in objection  # Art. 21(1) and 21(2), stated separately
    statutory = MINIMAL.replace(
        "term: customer_relationship\n    legal_basis: contract",
        "term: accounting\n    legal_basis: legal_obligation\n    national_law: [accounting_act]",
    )
    output = built(write, registers, statutory)
    page = read(output, "en")
    assert "Right to data portability" not in page and "Right to erasure" not in page
    assert 'id="seloste-right-to-object"' not in page


def test_nothing_from_a_register_runs_as_markup_script_or_template(write: Callable, registers: Path) -> None:
    hostile = MINIMAL.replace("en: Customer register}", 'en: "<script>alert(1)</script>{{ 7*7 }}"}').replace(
        "retention: {fi: Viisi vuotta, sv: Fem år, en: Five years}\n", ""
    ) + (
        "retention:\n"
        '  fi: "<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](data:text/html,x) <b>raw</b>"\n'
        '  sv: "{% for x in range(3) %}x{% endfor %}"\n'
        '  en: "[ok](https://tietosuoja.fi) ![i](file:///etc/passwd)"\n'
    )
    output = built(write, registers, hostile)
    # The page's one data block is ours (tests/test_jsonld.py), removed only when it holds no "<" at all.
    everything = "".join(p.read_text() for p in output.rglob("*.html"))
    everything = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", everything)
    assert "<script" not in everything and "onerror" not in everything.replace("onerror=alert(1)&gt;", "")
    assert "javascript:" not in everything and "data:text" not in everything and "file://" not in everything
    assert "<img" not in everything and "<b>raw</b>" not in everything
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in read(output, "en")
    assert "{% for x in range(3) %}x{% endfor %}" in read(output, "sv")
    assert '<a href="https://tietosuoja.fi" rel="noopener noreferrer">ok</a>' in read(output, "en")


def test_an_invalid_register_stops_the_build_and_leaves_output_untouched(write: Callable, registers: Path) -> None:
    output = built(write, registers, MINIMAL)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    write("customer.yaml", MINIMAL.replace("contract", "contrat"))
    with pytest.raises(ProblemsFound):
        build([registers], output, pdf=False)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_two_builds_of_the_same_input_give_the_same_bytes(write: Callable, registers: Path, tmp_path: Path) -> None:
    write("customer.yaml", RICH)
    build([registers], tmp_path / "one", pdf=False)
    build([registers], tmp_path / "two", pdf=False)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_a_register_that_disappears_takes_its_outputs_with_it(write: Callable, registers: Path) -> None:
    output = built(write, registers, MINIMAL)
    other = built(write, registers, MINIMAL.replace("id: customer-register", "id: other"), name="other.yaml")
    (registers / "other.yaml").unlink()
    build([registers], output, pdf=False)
    assert other == output and not (output / "en" / "other").exists() or not any((output / "en" / "other").iterdir())
    assert (output / "en" / "customer-register" / "index.html").is_file()


def test_numbered_register_description_numbers_its_headings(write: Callable, registers: Path) -> None:
    description = MINIMAL + "layout: register-description\nsecurity: {general: {fi: Lukittu, sv: Låst, en: Locked}}\n"
    output = built(write, registers, description)
    page = read(output, "fi")
    assert '<h2 id="seloste-controller-heading" class="seloste__heading">1. Rekisterinpitäjä</h2>' in page
    assert '<h2 id="seloste-register-heading" class="seloste__heading">2. Rekisterin nimi</h2>' in page
    unnumbered = built(write, registers, description + "numbered: false\n")
    assert '<h2 id="seloste-controller-heading" class="seloste__heading">Rekisterinpitäjä</h2>' in read(
        unnumbered, "fi"
    )


def test_questions_layout_asks_the_data_subjects_questions(write: Callable, registers: Path) -> None:
    output = built(write, registers, MINIMAL + "layout: questions\n")
    assert (
        '<h2 id="seloste-personal-data-heading" class="seloste__heading">What personal data do we process?</h2>'
        in read(output, "en")
    )


def test_rights_listed_explicitly_are_stated_exactly_once(write: Callable, registers: Path) -> None:
    consent = MINIMAL.replace("legal_basis: contract", "legal_basis: consent") + (
        "rights: [access, rectification, erasure, restriction, portability, withdraw_consent, complaint]\n"
        "consent_withdrawal: {fi: Peru suostumus verkossa., sv: Återkalla samtycket på nätet., en: Withdraw "
        "consent online.}\n"
    )
    page = read(built(write, registers, consent), "en")
    rights = page.split('id="seloste-rights"')[1].split("</section>")[0]
    assert rights.count("<dt>") == 6 and rights.count("Right to withdraw consent") == 1


def test_a_wording_key_missing_in_one_language_is_named_with_its_file(tmp_path: Path) -> None:
    # A copy of the tool whose Swedish wording lacks a key, as a translator might leave it.
    tool = tmp_path / "tool"
    shutil.copytree(REPO / "generator", tool / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", tool / "templates")
    wording = tool / "templates" / "sv" / "wording.yaml"
    text = wording.read_text(encoding="utf-8")
    assert text.count("\n  contents: ") == 1
    wording.write_text(re.sub(r"\n  contents: [^\n]*", "", text), encoding="utf-8")
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "customer.yaml").write_text(MINIMAL, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--no-pdf"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tool)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, "Traceback" in done.stderr) == (1, False), done.stderr
    assert done.stderr.splitlines()[0] == (
        "seloste: templates/sv/wording.yaml: the key labels.contents is missing; templates/fi/wording.yaml has it"
    )
    assert not (tmp_path / "output").exists()


def test_a_base_url_makes_the_canonical_and_language_links_absolute(write: Callable, registers: Path) -> None:
    write("customer.yaml", MINIMAL)
    output = registers.parent / "output"
    build([registers], output, pdf=False, options=PageOptions(base_url="https://example.fi/tietosuoja"))
    page = read(output, "sv")
    base = "https://example.fi/tietosuoja/"
    assert f'<link rel="canonical" href="{base}sv/customer-register/index.html">' in page
    for code in ("fi", "sv", "en"):
        assert f'<link rel="alternate" hreflang="{code}" href="{base}{code}/customer-register/index.html">' in page
    # x-default: the register's first language, the one the organisation writes in.
    assert f'<link rel="alternate" hreflang="x-default" href="{base}fi/customer-register/index.html">' in page
    # The language switcher stays relative, so a copy of output/ works wherever it is opened.
    assert '<a href="../../fi/customer-register/index.html" lang="fi" hreflang="fi">suomi</a>' in page


def test_a_base_url_must_be_an_http_address() -> None:
    with pytest.raises(ToolError, match="not a base URL"):
        PageOptions(base_url="javascript:alert(1)//")


def test_a_site_may_put_the_fragments_title_at_h3(write: Callable, registers: Path) -> None:
    write("customer.yaml", RICH)
    output = registers.parent / "output"
    build([registers], output, pdf=False, options=PageOptions(heading_level=3))
    fragment = read(output, "en", "fragment")
    assert '<h3 id="seloste-title"' in fragment and not re.search(r"<h[12]\b", fragment)
    assert '<h4 id="seloste-rights-heading" class="seloste__heading">' in fragment
    assert "<h1" in read(output, "en")  # the standalone page keeps its own outline
    with pytest.raises(ToolError):
        PageOptions(heading_level=4)


def test_every_id_in_a_notice_is_prefixed(rich: Path) -> None:
    for lang in ("fi", "sv", "en"):
        article = read(rich, lang, "fragment")
        ids = re.findall(r'\sid="([^"]+)"', article)
        assert ids and [i for i in ids if not i.startswith("seloste-")] == []
        targets = set(re.findall(r'href="#([^"]+)"', article))
        assert targets and targets <= set(ids)


def test_the_title_and_description_name_the_notice_and_its_controller(rich: Path, write: Callable) -> None:
    page = read(rich, "en")
    assert "<title>Customer register – Esimerkki Ltd</title>" in page
    assert '<meta name="description" content="How Esimerkki Ltd processes personal data: Customer register.">' in page


def test_the_description_is_the_introductions_first_paragraph_as_plain_text(write: Callable, registers: Path) -> None:
    intro = "A **short** text & more [with a link](https://tietosuoja.fi).\n\nA second paragraph.\n"
    register = MINIMAL + "introduction: {fi: " + repr(intro) + ", sv: " + repr(intro) + ", en: " + repr(intro) + "}\n"
    page = read(built(write, registers, register.replace("'", '"')), "en")
    assert '<meta name="description" content="A short text &amp; more with a link.">' in page


def test_e_mail_addresses_in_running_text_become_links(write: Callable, registers: Path) -> None:
    text = "Write to dpo@esimerkki.example or [us](mailto:us@esimerkki.example); not a@b or x@y.z"
    register = re.sub(r"exercise_rights: .*", f'exercise_rights: {{fi: "{text}", sv: "{text}", en: "{text}"}}', MINIMAL)
    page = read(built(write, registers, register), "en")
    assert '<a href="mailto:dpo@esimerkki.example">dpo@<wbr>esimerkki<wbr>.example</a>' in page
    assert page.count("mailto:us@esimerkki.example") == 1  # a link already is not linked again
    assert "not a@b or x@y.z" in page


def test_the_first_screen_says_who_processes_the_data_and_how_to_act(rich: Path) -> None:
    page = read(rich, "en")
    first = page.split('<nav id="seloste-contents"')[0]
    assert '<span class="seloste__org">Esimerkki Ltd</span>' in first
    assert '<a href="mailto:tietosuoja@esimerkki.example">' in first  # the controller
    assert '<a href="mailto:dpo@esimerkki.example">' in first  # the DPO
    assert '<a href="#seloste-rights">How to exercise your rights</a>' in first
    assert "<details>\n<summary>Contents</summary>" in page


def test_the_summary_summarises_retention_and_rights_and_names_the_dpo(rich: Path) -> None:
    summary = read(rich, "en").split('id="seloste-summary"')[1].split("</section>")[0]
    assert "Three years" in summary and "See the section" not in summary
    assert "<li>Right of access</li>" in summary and "<li>Right to data portability</li>" in summary
    assert "mailto:dpo@esimerkki.example" in summary


def test_each_legal_basis_is_explained_once(rich: Path) -> None:
    page = read(rich, "fi")
    purposes = page.split('id="seloste-purposes"')[1].split("</section>")[0]
    assert purposes.count("tietosuoja-asetuksen 6 artiklan 1 kohdan f alakohta") == 1
    assert '<th scope="col">Käyttötarkoitus</th><th scope="col">Oikeusperuste</th>' in purposes


def test_what_the_law_makes_a_register_state_is_printed_in_its_notice(write: Callable, registers: Path) -> None:
    # Each of these fields is required by a rule in some situation; a notice that passes the check
    # must also say it (Art. 26(2), 8, 14(5), 23).
    def text(word: str) -> dict[str, str]:
        return {"fi": f"{word} fi", "sv": f"{word} sv", "en": f"{word} en"}

    write(
        "customer.yaml",
        register_yaml(
            sources=["data_subject", "credit_information_register"],
            add={
                "joint_controllers": [{"name": "Toinen Oy", "email": "tietosuoja@toinen.example"}],
                "joint_arrangement": text("Järjestely"),
                "data_subjects": ["customers", "children"],
                "children_consent": text("Huoltaja"),
                "information_exemption": {"ground": "laid_down_by_law", "law": ["credit_information_act"]},
                "rights_restrictions": text("Rajoitus"),
                "restriction_grounds": ["data_protection_act"],
            },
        ),
    )
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    fi, en = read(output, "fi"), read(output, "en")
    for expected in ("Toinen Oy", "Järjestely fi", "Huoltaja fi", "Rajoitus fi", "Rajoitusten perusteet: "):
        assert expected in fi, expected
    assert "Yhteisrekisterinpitäjät" in fi and "Poikkeus informointivelvollisuudesta" in fi
    assert "expressly laid down by law (GDPR Art. 14(5)(c))" in en and "Credit Information Act" in en
