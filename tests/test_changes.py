"""Change reports, the archive's pages, feeds and versions.json: a register built in two versions, for real."""

import contextlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL_DATA, register_yaml
from test_browser import axe, axe_here, browser, nu_errors, plain_tab, tab  # noqa: F401 - fixtures among them

from generator.archive import in_force
from generator.build import build
from generator.changes import compare
from generator.check import check
from generator.errors import ArchiveError

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST, SECOND = "2025-03-01", "2025-09-01"

# The second version: a new purpose (told of beforehand), a changed retention period, a new e-mail
# address for the controller, reworded instructions, a history entry for itself, and a new id: the
# register was published as `customers` before.
SECOND_VERSION = register_yaml(
    version=date.fromisoformat(SECOND),
    id="customer-register",
    purposes=[
        *MINIMAL_DATA["purposes"],
        {
            "term": "direct_marketing",
            "legal_basis": "legitimate_interests",
            "legitimate_interests": {
                "fi": "Markkinoimme omia palvelujamme asiakkaillemme.",
                "sv": "Vi marknadsför våra egna tjänster till våra kunder.",
                "en": "We market our own services to our customers.",
            },
            "further_processing": {
                "fi": "Kerroimme markkinoinnista asiakkaille kirjeellä elokuussa 2025.",
                "sv": "Vi informerade kunderna om marknadsföringen per brev i augusti 2025.",
                "en": "We told our customers of the marketing by letter in August 2025.",
            },
        },
    ],
    retention={"fi": "Kymmenen vuotta", "sv": "Tio år", "en": "Ten years"},
    controller={**MINIMAL_DATA["controller"], "email": "asiakas@esimerkki.example"},
    exercise_rights={
        "fi": "Ota yhteyttä asiakaspalveluumme.",
        "sv": "Kontakta vår kundtjänst.",
        "en": "Contact our customer service.",
    },
    add={
        "history": [
            {
                "version": date.fromisoformat(SECOND),
                "changes": {
                    "fi": "Suoramarkkinointi lisättiin ja säilytysaika pidennettiin.",
                    "sv": "Direktmarknadsföring lades till och lagringstiden förlängdes.",
                    "en": "Direct marketing was added and the retention period extended.",
                },
            }
        ],
        "previous_ids": ["customers"],
    },
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MINIMAL built (PDFs and archive), then its second version built over it: two archived versions."""
    site = tmp_path_factory.mktemp("changes")
    (site / "registers").mkdir()
    register = site / "registers" / "customer.yaml"
    register.write_text(register_yaml(), encoding="utf-8")
    with contextlib.chdir(site):
        build([Path("registers")], Path("output"), archive=Path("archive"))
        register.write_text(SECOND_VERSION, encoding="utf-8")
        build([Path("registers")], Path("output"), archive=Path("archive"))
    return site


def run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in the site."""
    return subprocess.run(
        ["python", "-m", "generator", *args], cwd=site, capture_output=True, text=True, env=_env(), timeout=120
    )


def _env() -> dict[str, str]:
    import os
    import sys

    from conftest import REPO

    return {**os.environ, "PYTHONPATH": str(REPO), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


# -- seloste diff ---------------------------------------------------------------------------------------------------


def test_diff_lists_each_change_of_the_last_two_versions_with_its_class(site: Path) -> None:
    result = run(site, "diff", "customer-register", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["from"], report["to"]) == (FIRST, SECOND)
    found = {(c["class"], c["field"], c["reason"]) for c in report["changes"]}
    assert found == {
        ("material", "purposes[term:direct_marketing]", "new_purpose"),
        ("material", "retention", "retention"),
        ("contact", "controller.email", None),
        ("editorial", "exercise_rights", None),
        ("editorial", "history[version:2025-09-01]", None),
    }
    purpose = next(c for c in report["changes"] if c["reason"] == "new_purpose")
    assert purpose["article"].startswith("Art. 13(3), 14(4)")
    retention = next(c for c in report["changes"] if c["field"] == "retention")
    assert retention["languages"] == ["fi", "sv", "en"] and retention["after"]["fi"] == "Kymmenen vuotta"
    assert report["counts"] == {"material": 2, "contact": 1, "editorial": 2}


def test_diff_as_text_names_the_class_the_article_and_the_words_that_changed(site: Path) -> None:
    result = run(site, "diff", "customer-register", FIRST, SECOND)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"customer-register: {FIRST} -> {SECOND}: 2 material, 1 contact, 2 editorial"
    assert "material  purposes[term:direct_marketing]: a new purpose (Art. 13(3), 14(4); 13(1)(c), 14(1)(c))" in lines
    assert "    fi: [Viisi -> Kymmenen] vuotta" in lines


def test_diff_compares_the_register_file_with_the_last_archived_version(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    third = re.sub(f"^version: {SECOND}$", "version: 2026-01-01", SECOND_VERSION, flags=re.M).replace(
        "legal_basis: contract",
        "legal_basis: legitimate_interests\n  legitimate_interests: {fi: Etu., sv: Intresse., en: Interest.}",
    )
    (copy / "registers" / "customer.yaml").write_text(third, encoding="utf-8")
    result = run(copy, "diff", "customer-register", "current")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"customer-register: {SECOND} -> current: 1 material")
    assert "material  purposes[term:customer_relationship].legal_basis: a changed legal basis" in result.stdout


def test_diff_of_a_version_not_in_the_archive_is_refused_with_what_to_write(site: Path) -> None:
    result = run(site, "diff", "customer-register", "2024-01-01", SECOND)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"version 2024-01-01 of 'customer-register' is not in the archive (archived: {FIRST}, {SECOND})" in (
        result.stderr
    )


def test_each_material_kind_is_classified_with_its_article() -> None:
    before = {
        "purposes": [
            {"term": {"group": "purposes", "key": "p"}, "legal_basis": {"group": "legal_bases", "key": "contract"}}
        ],
        "transfers": [{"country": "US", "safeguard": {"group": "safeguards", "key": "scc"}}],
        "automated_decisions": {"used": False},
        "dpo": {"email": "a@x.example"},
    }
    after = {
        "purposes": [
            {"term": {"group": "purposes", "key": "p"}, "legal_basis": {"group": "legal_bases", "key": "consent"}}
        ],
        "transfers": [
            {"country": "US", "safeguard": {"group": "safeguards", "key": "adequacy"}},
            {"country": "IN", "safeguard": {"group": "safeguards", "key": "scc"}},
        ],
        "recipients": [{"text": {"fi": "Perintätoimisto", "sv": "Inkassobyrå", "en": "Debt collector"}}],
        "data_categories": [{"term": {"group": "data_categories", "key": "location"}}],
        "sources": [{"term": {"group": "sources", "key": "public"}}],
        "automated_decisions": {"used": True, "ground": "contract"},
        "dpo": {"email": "b@x.example"},
    }
    found = {(c.cls, c.reason, c.article) for c in compare(before, after)}
    assert found == {
        ("material", "legal_basis", "Art. 13(1)(c), 14(1)(c)"),
        ("material", "transfer_safeguard", "Art. 13(1)(f), 14(1)(f)"),
        ("material", "new_transfer", "Art. 13(1)(f), 14(1)(f)"),
        ("material", "new_recipient", "Art. 13(1)(e), 14(1)(e)"),
        ("material", "new_data_category", "Art. 14(1)(d)"),
        ("material", "new_source", "Art. 14(2)(f)"),
        ("material", "automated_decisions", "Art. 13(2)(f), 14(2)(g)"),
        ("contact", None, "Art. 13(1)(a), (b); 14(1)(a), (b)"),
    }
    removed = compare(after, before)  # taking things away is not material
    assert {c.cls for c in removed if c.kind == "removed"} == {"editorial"}


# -- check ----------------------------------------------------------------------------------------------------------


def test_check_warns_of_a_material_change_without_a_history_entry(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    register = copy / "registers" / "customer.yaml"
    unrecorded = (
        re.sub(f"^version: {SECOND}$", "version: 2026-01-01", SECOND_VERSION, flags=re.M)
        .replace("Kymmenen vuotta", "Kaksitoista vuotta")
        .replace("Tio år", "Tolv år")
        .replace("Ten years", "Twelve years")
    )
    register.write_text(unrecorded, encoding="utf-8")
    found = [str(p) for p in check([copy / "registers"], copy / "archive").problems]
    assert any(
        "warning: version: this version changes the notice materially since version 2025-09-01 (a changed "
        "retention period (it may be longer) at retention); add a history entry for 2026-01-01"
        in p
        and "[unrecorded-change]" in p
        for p in found
    ), found
    recorded = unrecorded.replace(f"- version: {SECOND}", "- version: 2026-01-01")
    register.write_text(recorded, encoding="utf-8")
    assert not [p for p in check([copy / "registers"], copy / "archive").problems if "unrecorded-change" in str(p)]


# -- versions.json, feeds and pages ------------------------------------------------------------------------------------


def test_versions_json_agrees_with_archive_at_for_every_day(site: Path) -> None:
    output = site / "output"
    versions = json.loads((output / "versions.json").read_text())["registers"]["customer-register"]
    assert [(v["valid_from"], v["valid_until"]) for v in versions] == [(FIRST, "2025-08-31"), (SECOND, None)]
    day, last = date.fromisoformat(FIRST) - timedelta(days=3), date.fromisoformat(SECOND) + timedelta(days=3)
    while day <= last:
        listed = [
            v["version"]
            for v in versions
            if v["valid_from"] <= day.isoformat() and (v["valid_until"] is None or day.isoformat() <= v["valid_until"])
        ]
        try:
            answer = [in_force(site / "archive", "customer-register", day).version]
        except ArchiveError:
            answer = []
        assert listed == answer, day
        day += timedelta(days=1)


def feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for element in (root, *root.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):  # RFC 4287 4.1.1, 4.1.2
            assert element.findtext(f"{ATOM}{required}"), (path, element.tag, required)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", element.findtext(f"{ATOM}updated") or "")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # the feed's author stands for every entry
    return root


def test_the_feeds_parse_as_atom_with_stable_ids_and_the_change_summary(site: Path) -> None:
    output = site / "output"
    for lang in ("fi", "sv", "en"):
        register, organisation = (
            feed(output / lang / "customer-register" / "feed.atom"),
            feed(output / lang / "feed.atom"),
        )
        ids = [e.findtext(f"{ATOM}id") for e in register.findall(f"{ATOM}entry")]
        assert len(ids) == 2 and all(i and i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 2
        assert ids == [e.findtext(f"{ATOM}id") for e in organisation.findall(f"{ATOM}entry")]
    entry = feed(output / "en" / "customer-register" / "feed.atom").findall(f"{ATOM}entry")[0]
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert content.text == (
        "<p>Direct marketing was added and the retention period extended.</p>"
        "<p>Material changes: 2. Changes to contact details: 1. Editorial changes: 2.</p>"
        "<ul><li>New purpose: Purposes of and legal bases for the processing: Direct marketing of products and "
        "services</li>"
        "<li>Changed retention period: Retention period</li></ul>"
    )
    link = entry.find(f"{ATOM}link")
    assert (
        link is not None
        and (output / "en" / "customer-register" / link.get("href", "")).resolve()
        == (output / "en" / "customer-register" / f"changes-{SECOND}.html").resolve()
    )


def test_every_archived_version_has_its_page_as_it_stood_and_its_changes_page(site: Path) -> None:
    folder = site / "output" / "fi" / "customer-register"
    stood = (folder / f"{FIRST}.html").read_text()
    assert "Viisi vuotta" in stood and "Kymmenen vuotta" not in stood  # rendered from the archived version
    assert "../../archive/customer-register/2025-03-01/customer-register_2025-03-01_fi.pdf" in stood
    assert "Kymmenen vuotta" in (folder / f"{SECOND}.html").read_text()
    changes = (folder / f"changes-{SECOND}.html").read_text()
    assert "Uusi käyttötarkoitus" in changes and "Tietosuoja-asetuksen artiklat: 13(3), 14(4)" in changes
    assert "<script" not in changes
    assert 'href="versions.html"' in (folder / "index.html").read_text()  # from the notice's history
    versions = (folder / "versions.html").read_text()
    assert versions.index(f"changes-{SECOND}.html") < versions.index(f"changes-{FIRST}.html")  # newest first


def test_a_renamed_register_keeps_its_old_addresses(site: Path) -> None:
    output = site / "output"
    moved = (output / "sv" / "customers" / "index.html").read_text()
    assert '<link rel="canonical" href="../../sv/customer-register/index.html">' in moved
    assert '<meta http-equiv="refresh" content="0; url=../../sv/customer-register/index.html">' in moved
    assert "<script" not in moved
    assert "/fi/customers/*  /fi/customer-register/:splat  301" in (output / "_redirects").read_text()
    assert "~^/en/customers/(?<rest>.*)$  /en/customer-register/$rest;" in (output / "redirects.nginx").read_text()


def test_a_rebuild_writes_the_same_bytes(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    with contextlib.chdir(copy):
        assert build([Path("registers")], Path("output"), archive=Path("archive")).changed == []


# -- the new pages in browsers: the Nu checker and axe-core, as tests/test_browser.py runs them -----------------------


def new_pages(site: Path) -> list[Path]:
    output = site / "output"
    return sorted(
        [
            *output.glob("*/customer-register/20*.html"),
            *output.glob("*/customer-register/changes-*.html"),
            *output.glob("*/customer-register/versions.html"),
            *output.glob("*/customers/index.html"),
        ]
    )


def test_the_new_pages_are_valid_html(site: Path) -> None:
    files = new_pages(site)
    assert nu_errors(files, site / "output") == []
    assert len(files) == 18


def test_the_new_pages_have_no_accessibility_violations(site: Path, tab: Any) -> None:  # noqa: F811
    found = {str(p.relative_to(site)): axe(tab, p.as_uri()) for p in new_pages(site) if "customers" not in p.parts}
    # A redirect page leaves at once, so it is checked as a document of its own, without its refresh (a delay
    # of 0, which axe-core's meta-refresh rule allows; test_a_renamed_register_keeps_its_old_addresses reads it).
    for path in (site / "output").glob("*/customers/index.html"):
        tab.set_content(re.sub(r'<meta http-equiv="refresh"[^>]*>', "", path.read_text(encoding="utf-8")))
        found[str(path.relative_to(site))] = axe_here(tab)
    assert len(found) == 18 and {page: v for page, v in found.items() if v} == {}


def test_the_new_pages_run_no_script(site: Path, plain_tab: Any) -> None:  # noqa: F811
    for path in new_pages(site):
        if "customers" in path.parts:  # a redirect page: it leaves at once, and holds no script (read above)
            continue
        plain_tab.goto(path.as_uri())
        assert plain_tab.evaluate("[...document.scripts].map(s => s.type)") in ([], ["application/ld+json"]), path
