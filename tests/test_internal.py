"""A register's `internal:` block: validated like everything else, in the record, and in no file under output/."""

import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import Result
from conftest import MINIMAL, REPO, problems

from generator.archive import content_hash
from generator.build import build
from generator.load import load_file
from generator.redact import public_source, public_tree
from generator.validate import validate_paths

# Every value of the internal block, and a comment: none may reach a published file. ASCII only,
# so that no escaping (JSON, PDF strings) could hide one from the scan.
SECRETS = {
    "owner": "OWNER-SECRET-7731",
    "system": "SYSTEM-SECRET-4410",
    "processor": "PROCESSOR-SECRET-9921",
    "service": "SERVICE-SECRET-1180",
    "agreement": "AGREEMENT-SECRET-5512",
    "security": "SECURITY-SECRET-8870",
    "dpia": "DPIA-SECRET-3301",
    "lia": "LIA-SECRET-6602",
    "comment": "COMMENT-SECRET-1209",
    "organisation comment": "ORGANISATION-COMMENT-SECRET-4242",
}

REGISTER = (
    f"# Written by the DPO: {SECRETS['comment']}\n"
    + MINIMAL
    + f"""\
internal:
  owner: {SECRETS["owner"]}  # inline comment {SECRETS["comment"]}
  systems: [{SECRETS["system"]}]
  processors:
    - name: {SECRETS["processor"]}
      service: {SECRETS["service"]}
      agreement: {SECRETS["agreement"]}
      country: US
  security_measures: |
    Line one.
    {SECRETS["security"]}
  dpia: {SECRETS["dpia"]}
  legitimate_interests_assessment: {SECRETS["lia"]}
"""
)
ORGANISATION = f"# {SECRETS['organisation comment']}\nsummary: false\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register with an internal block and secret comments, built with its PDFs."""
    root = tmp_path_factory.mktemp("internal")
    (root / "registers").mkdir()
    (root / "registers" / "customer.yaml").write_text(REGISTER, encoding="utf-8")
    (root / "registers" / "_organisation.yaml").write_text(ORGANISATION, encoding="utf-8")
    build([root / "registers"], root / "output", archive=root / "archive")
    return root


def readable(path: Path) -> Iterator[tuple[str, str]]:
    """Everything a reader of `path` can get out of it: its bytes as text and, for a PDF, its page
    text, metadata and attachments."""
    data = path.read_bytes()
    yield "bytes", data.decode("utf-8", errors="replace")
    if path.suffix == ".pdf":
        reader = pypdf.PdfReader(path)
        yield "text", " ".join(page.extract_text() for page in reader.pages)
        root: Any = reader.trailer["/Root"]  # a pypdf dictionary
        xmp = root.get("/Metadata")
        yield "metadata", str(reader.metadata) + (xmp.get_object().get_data().decode("utf-8") if xmp else "")
        for name, contents in reader.attachments.items():
            for content in contents:
                yield f"attachment {name}", content.decode("utf-8", errors="replace")


def test_no_file_under_output_holds_any_internal_value_or_comment(site: Path) -> None:
    files = sorted(p for p in (site / "output").rglob("*") if p.is_file())
    kinds = {p.suffix for p in files}
    assert {".html", ".jsonld", ".pdf", ".json", ".css"} <= kinds, kinds
    assert len([p for p in files if p.suffix == ".pdf"]) == 6  # current and archived, in three languages
    found = []
    for path in files:
        for where, text in readable(path):
            squeezed = re.sub(r"\s+", "", text)
            found += [(str(path.relative_to(site)), where, s) for s in SECRETS.values() if s in text or s in squeezed]
    assert found == []


def test_only_the_archive_keeps_the_exact_source_with_its_hash(site: Path) -> None:
    folder = site / "archive" / "customer-register" / "2025-03-01"
    exact = (site / "registers" / "customer.yaml").read_bytes()
    assert (folder / "customer.yaml").read_bytes() == exact and SECRETS["dpia"].encode() in exact
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {"name": "customer.yaml", "sha256": hashlib.sha256(exact).hexdigest()} in manifest["source"]["files"]
    published = site / "output" / "archive" / "customer-register" / "2025-03-01"
    assert published.is_dir() and not list(published.glob("*.yaml"))


def test_the_scan_reads_what_it_should(site: Path) -> None:
    """The attachments are there and readable, so the scan above could have found a leak."""
    pdf = next((site / "output" / "en" / "customer-register").glob("*.pdf"))
    attachments = dict(readable(pdf))
    assert "customer_relationship" in attachments["attachment customer.yaml"]
    assert "summary: 'false'" in attachments["attachment _organisation.yaml"]
    assert "Customer register" in attachments["text"]


def test_the_record_holds_the_internal_values(site: Path, cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("ropa", str(site / "registers"), "-o", str(tmp_path / "record.csv"))
    assert result.exit_code == 0, result.output
    record = (tmp_path / "record.csv").read_text(encoding="utf-8-sig")
    assert all(s in record for k, s in SECRETS.items() if "comment" not in k)
    assert SECRETS["comment"] not in record


def test_the_public_source_reads_back_to_the_same_values_without_the_internal_block(tmp_path: Path) -> None:
    for path in sorted((REPO / "registers").glob("*.yaml")):
        loaded = load_file(path)
        public = tmp_path / path.name
        public.write_bytes(public_source(loaded))
        expected = loaded.data
        assert isinstance(expected, dict)
        expected = {k: v for k, v in expected.items() if k != "internal"}
        assert load_file(public).data == expected == public_tree(loaded), path.name
        comments = [line for line in public.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
        assert len(comments) == 1  # the line that says what the file is


def test_a_change_to_the_internal_block_alone_needs_no_new_version(registers: Path, write: Callable[..., Path]) -> None:
    write("customer.yaml", REGISTER)
    before = content_hash(validate_paths([registers]).registers[0])
    write("customer.yaml", REGISTER.replace(SECRETS["dpia"], "DPIA-2026-01"))
    assert content_hash(validate_paths([registers]).registers[0]) == before


def test_the_internal_block_is_validated_with_located_messages(
    write: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    write(
        "customer.yaml",
        MINIMAL + "internal:\n  owner: Aino\n  sytems: [CRM]\n  processors:\n    - name: Pilvi Oy\n      country: XX\n",
    )
    result = cli("check")
    assert result.exit_code == 1
    assert problems(result) == [
        "registers/customer.yaml:21:3: internal.sytems: unknown key 'sytems' (did you mean 'systems'?)",
        "registers/customer.yaml:24:16: internal.processors[0].country: 'XX' is not an ISO 3166 country code",
    ]


def test_the_internal_block_belongs_in_each_register_not_the_shared_file(
    write: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    write("customer.yaml", MINIMAL)
    write("_organisation.yaml", "internal:\n  owner: Aino\n")
    result = cli("check")
    assert result.exit_code == 1
    assert problems(result) == [
        "registers/_organisation.yaml:1:1: internal: 'internal' belongs in each register, not in _organisation.yaml"
    ]


def test_samples_are_untouched(tmp_path: Path) -> None:
    """The customer register sample's internal block is in the record and nowhere else (built without PDFs here)."""
    shutil.copytree(REPO / "registers", tmp_path / "registers")
    build([tmp_path / "registers"], tmp_path / "output", pdf=False)
    owner = "Aino Kaamonen"
    for path in (tmp_path / "output").rglob("*"):
        if path.is_file():
            assert owner not in path.read_text(encoding="utf-8", errors="replace"), path
