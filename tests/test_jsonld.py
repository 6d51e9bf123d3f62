"""The JSON-LD twin of every notice: RDF that parses, in DPV terms that exist, saying what the notice says."""

import csv
import json
import shutil
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from conftest import MINIMAL, REPO, register_yaml
from rdflib.namespace import RDF, RDFS

from generator.build import build
from generator.jsonld import CONTEXT, dpv_map
from generator.load import load_file
from generator.validate import validate_paths

# rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7 deprecates: not ours to change.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

PINNED = REPO / "tests" / "data" / "dpv" / "terms.csv"
DPV = rdflib.Namespace(CONTEXT["dpv"])
GDPR = rdflib.Namespace(CONTEXT["eu-gdpr"])
BASE = "https://notices.example/{lang}/{id}/index.html"


@pytest.fixture(scope="module")
def pinned() -> set[str]:
    with PINNED.open(encoding="utf-8") as file:
        return {row["iri"] for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample registers built (HTML only) into output/."""
    root = tmp_path_factory.mktemp("jsonld")
    shutil.copytree(REPO / "registers", root / "registers")
    build([root / "registers"], root / "output", pdf=False)
    return root


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return CONTEXT[prefix] + local


class DataBlocks(HTMLParser):
    """Collects the text of every <script> element of a page, with its type."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str | None, str]] = []
        self._type: str | None = None
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._type, self._open = dict(attrs).get("type"), True
            self.blocks.append((self._type, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            kind, text = self.blocks[-1]
            self.blocks[-1] = (kind, text + data)


def data_blocks(page: Path) -> list[tuple[str | None, str]]:
    parser = DataBlocks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.blocks


def graph(text: str, base: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="json-ld", base=base)


def pages(root: Path) -> list[Path]:
    # Notices only: a folder kept for a register's earlier id holds a redirect page, and no notice.
    return sorted(p for p in (root / "output").glob("*/*/index.html") if (p.parent / "notice.jsonld").is_file())


def test_every_shipped_term_is_mapped_to_dpv_or_says_why_not() -> None:
    shipped = load_file(REPO / "generator" / "vocabulary.yaml").data
    assert isinstance(shipped, dict)
    mapping = dpv_map()
    assert set(mapping) == set(shipped)
    for group, spec in shipped.items():
        assert isinstance(spec, dict) and isinstance(spec["terms"], dict), group
        assert set(mapping[group]) == set(spec["terms"]), group
        for key, entry in mapping[group].items():
            assert set(entry) in ({"dpv"}, {"dpv", "note"}, {"none"}), f"{group}.{key}: {entry}"
            assert all(value.strip() for value in entry.values()), f"{group}.{key}"


def test_every_mapped_dpv_term_exists_in_the_pinned_dpv(pinned: set[str]) -> None:
    mapped = {entry["dpv"] for group in dpv_map().values() for entry in group.values() if "dpv" in entry}
    assert sorted(term for term in mapped if expand(term) not in pinned) == []


def test_every_page_carries_one_data_block_equal_to_its_notice_jsonld(samples: Path) -> None:
    found = pages(samples)
    registers = validate_paths([samples / "registers"]).registers
    assert len(found) == sum(len(entry.register.languages) for entry in registers) > 0
    for page in found:
        blocks = data_blocks(page)
        assert [kind for kind, _ in blocks] == ["application/ld+json"], page
        twin = (page.parent / "notice.jsonld").read_text(encoding="utf-8")
        assert json.loads(blocks[0][1]) == json.loads(twin)


def test_every_page_parses_as_rdf_using_only_dpv_terms_that_exist(samples: Path, pinned: set[str]) -> None:
    for page in pages(samples):
        lang, register_id = page.parent.parent.name, page.parent.name
        parsed = graph(data_blocks(page)[0][1], BASE.format(lang=lang, id=register_id))
        assert len(parsed) > 50, page
        used = {str(node) for triple in parsed for node in triple if isinstance(node, rdflib.URIRef)}
        dpv_terms = {iri for iri in used if iri.startswith("https://w3id.org/dpv")}
        assert sorted(dpv_terms - pinned) == [], page
        notice = rdflib.URIRef(BASE.format(lang=lang, id=register_id))
        assert (notice, RDF.type, DPV.PrivacyNotice) in parsed


def test_the_graph_states_each_purpose_with_the_legal_bases_of_the_register(samples: Path) -> None:
    catalogue = validate_paths([samples / "registers"])
    for entry in catalogue.registers:
        register = entry.register
        expected = sorted(
            sorted(expand(dpv_map()[t.group][t.key]["dpv"]) for t in (p.legal_basis, p.special_category_condition) if t)
            for p in register.purposes
        )
        lang = register.languages[0]
        parsed = graph(
            (samples / "output" / lang / register.id / "notice.jsonld").read_text(encoding="utf-8"),
            BASE.format(lang=lang, id=register.id),
        )
        found = []
        for process in parsed.subjects(DPV.hasPurpose, None):
            found.append(sorted(str(o) for o in parsed.objects(process, DPV.hasLegalBasis)))
        assert sorted(found) == expected, register.id


def test_art_13_and_14_notices_and_rights_follow_the_register(samples: Path) -> None:
    parsed = graph(
        (samples / "output" / "en" / "customer-register" / "notice.jsonld").read_text(encoding="utf-8"),
        BASE.format(lang="en", id="customer-register"),
    )
    notice = rdflib.URIRef(BASE.format(lang="en", id="customer-register"))
    # Data comes from the customer and from registers such as the credit information register.
    assert (notice, RDF.type, GDPR.DirectDataCollectionNotice) in parsed
    assert (notice, RDF.type, GDPR.IndirectDataCollectionNotice) in parsed
    rights = {str(o) for o in parsed.objects(None, DPV.hasRight)}
    # Exactly what the notice states: the rights section (no own list, so the rights the bases give:
    # portability for contract and consent, objection for legitimate interests and direct marketing),
    # withdrawing consent, the Art. 22(3) safeguards of the automated decisions (made on a contract),
    # and the complaint. The register lists no right of Art. 22 itself, so A22 is not stated.
    stated = ("A15", "A16", "A17", "A18", "A20", "A21", "A7-3", "A22-3-a", "A22-3-b", "A22-3-c", "A77")
    assert rights == {str(GDPR[a]) for a in stated}
    page = (samples / "output" / "en" / "customer-register" / "index.html").read_text(encoding="utf-8")
    assert "human intervention on our part, to express your point of view and to contest the decision" in page
    countries = {str(o) for o in parsed.objects(None, DPV.hasThirdCountry)}
    assert countries == {CONTEXT["loc"] + "IN"}


def test_a_notice_whose_data_all_comes_from_the_data_subject_is_an_art_13_notice_only(
    write: Callable[..., Path], registers: Path
) -> None:
    write("customer.yaml", MINIMAL)
    build([registers], registers.parent / "output", pdf=False)
    text = (registers.parent / "output" / "fi" / "customer-register" / "notice.jsonld").read_text(encoding="utf-8")
    notice = json.loads(text)["@graph"][0]
    assert notice["@type"] == ["dpv:PrivacyNotice", "eu-gdpr:DirectDataCollectionNotice"]
    assert notice["dct:title"] == {"@language": "fi", "@value": "Asiakasrekisteri"}


def test_no_register_text_can_close_the_data_block(write: Callable[..., Path], registers: Path) -> None:
    hostile = "</script><script>alert(1)</script><!-- x"
    write("customer.yaml", MINIMAL.replace("en: Customer register}", f'en: "{hostile}"}}'))
    build([registers], registers.parent / "output", pdf=False)
    page = registers.parent / "output" / "en" / "customer-register" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("</script>") == 1 and "<!-- x" not in html.split("<body")[0]
    blocks = data_blocks(page)
    assert len(blocks) == 1
    assert json.loads(blocks[0][1])["@graph"][0]["dct:title"]["@value"] == hostile


def test_the_same_registers_give_the_same_bytes(samples: Path, tmp_path: Path) -> None:
    build([samples / "registers"], tmp_path / "again", pdf=False)
    for twin in sorted((samples / "output").glob("*/*/notice.jsonld")):
        assert (tmp_path / "again" / twin.relative_to(samples / "output")).read_bytes() == twin.read_bytes()


def test_a_historic_description_is_described_under_the_personal_data_act_with_no_gdpr_term(samples: Path) -> None:
    """A version dated before 25 May 2018 was never under the GDPR: no Art. 13/14 type, basis, right or complaint."""
    catalogue = validate_paths([samples / "registers"])
    historic = [e.register for e in catalogue.registers if e.register.version < date(2018, 5, 25)]
    assert [r.id for r in historic] == ["energy-advice-visits"]
    labels = {
        "fi": "Henkilötietolaki (523/1999)",
        "sv": "Personuppgiftslag (523/1999)",
        "en": "Personal Data Act (523/1999)",
    }
    for lang in historic[0].languages:
        text = (samples / "output" / lang / "energy-advice-visits" / "notice.jsonld").read_text(encoding="utf-8")
        parsed = graph(text, BASE.format(lang=lang, id="energy-advice-visits"))
        used = {str(node) for triple in parsed for node in triple if isinstance(node, rdflib.URIRef)}
        assert sorted(iri for iri in used if iri.startswith(CONTEXT["eu-gdpr"])) == [], lang
        notice = rdflib.URIRef(BASE.format(lang=lang, id="energy-advice-visits"))
        assert set(parsed.objects(notice, RDF.type)) == {DPV.PrivacyNotice}
        assert (notice, DPV.hasJurisdiction, rdflib.URIRef(CONTEXT["loc"] + "FI")) in parsed
        law = parsed.value(notice, DPV.hasApplicableLaw)
        assert str(parsed.value(law, RDFS.label)) == labels[lang]
        assert list(parsed.objects(None, DPV.hasAuthority)) == []
        # The rights the description lists (access, rectification, prohibition), named as its page names them.
        rights = [parsed.value(r, RDFS.label) for r in parsed.objects(None, DPV.hasRight)]
        assert len(rights) == 3
        page = (samples / "output" / lang / "energy-advice-visits" / "index.html").read_text(encoding="utf-8")
        assert all(f"<dt>{right}</dt>" in page for right in rights), lang


def test_a_transfer_to_an_international_organisation_names_it_and_no_country(
    write: Callable[..., Path], registers: Path
) -> None:
    organisation = {
        "fi": "Maailman terveysjärjestö",
        "sv": "Världshälsoorganisationen",
        "en": "World Health Organization",
    }
    transfer = {"organisation": organisation, "safeguard": "derogation_public_interest"}
    write("customer.yaml", register_yaml(transfers=[transfer]))
    build([registers], registers.parent / "output", pdf=False)
    text = (registers.parent / "output" / "en" / "customer-register" / "notice.jsonld").read_text(encoding="utf-8")
    parsed = graph(text, BASE.format(lang="en", id="customer-register"))
    assert list(parsed.objects(None, DPV.hasThirdCountry)) == []
    (process,) = parsed.subjects(DPV.hasProcessing, DPV.CrossBorderTransfer)
    assert parsed.value(process, DPV.hasLegalBasis) == GDPR["A49-1-d"]
    recipient = parsed.value(process, DPV.hasRecipient)
    assert str(parsed.value(recipient, RDFS.label)) == "World Health Organization"


def test_the_art_22_3_safeguards_are_stated_where_the_page_states_them(samples: Path) -> None:
    stated = "human intervention on our part, to express your point of view and to contest the decision"
    seen = set()
    for twin in sorted((samples / "output" / "en").glob("*/notice.jsonld")):
        page = (twin.parent / "index.html").read_text(encoding="utf-8")
        rights = {str(o) for o in graph(twin.read_text(encoding="utf-8"), BASE).objects(None, DPV.hasRight)}
        safeguards = {str(GDPR[a]) for a in ("A22-3-a", "A22-3-b", "A22-3-c")}
        assert (safeguards <= rights) == (stated in page), twin
        assert not (safeguards & rights) or safeguards <= rights, twin
        seen.add(stated in page)
    assert seen == {True, False}  # the samples hold both cases
