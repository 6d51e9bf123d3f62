"""The archive: a folder of its own beside registers/, append-only, checksummed, published under
output/archive/, answering which notice was in force and who approved it, and rebuilt byte for byte."""

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from conftest import MINIMAL, REPO, register_yaml

from generator.build import build
from generator.engine import WEASYPRINT, stack
from generator.errors import ProblemsFound

VERSION_FOLDER = "archive/customer-register/2025-03-01"
APPROVAL = (
    "approval:\n  by: Anna Virtanen, General Counsel\n  date: 2025-02-20\n  reference: Board minutes 2/2025 § 4\n"
)
APPROVED = MINIMAL + APPROVAL  # the register every test here starts from
APPROVED_LINE = "approved by Anna Virtanen, General Counsel on 2025-02-20 (Board minutes 2/2025 § 4)"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (a site: its archive and output) but the registers and the build locks."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix != ".lock" and p.relative_to(folder).parts[0] != "registers"
    }


@pytest.fixture(scope="module")
def archived_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """APPROVED built once (pages, PDFs, archive) in a site of its own, as `seloste build` builds it:
    registers/, archive/ beside it, and output/."""
    site = tmp_path_factory.mktemp("archived")
    (site / "registers").mkdir()
    (site / "registers" / "customer.yaml").write_text(APPROVED, encoding="utf-8")
    with contextlib.chdir(site):
        build([Path("registers")], Path("output"), archive=Path("archive"))
    return site


@pytest.fixture
def archived(archived_once: Path, write: Callable, registers: Path) -> Path:
    """A private copy of that site (this test's working directory), to change as the test likes; its output/."""
    write("customer.yaml", APPROVED)
    for folder in ("archive", "output"):
        shutil.copytree(archived_once / folder, registers.parent / folder, symlinks=True)
    return registers.parent / "output"


def build_site(registers: Path) -> Any:
    """Build the site as `seloste build` does: registers/ into output/, with archive/ beside them."""
    return build([registers], registers.parent / "output", archive=registers.parent / "archive")


def test_a_build_archives_the_version_beside_the_registers_and_publishes_it(archived: Path) -> None:
    folder = archived.parent / VERSION_FOLDER
    pdfs = [f"customer-register_2025-03-01_{lang}.pdf" for lang in ("en", "fi", "sv")]
    assert sorted(p.name for p in folder.iterdir()) == [*pdfs, "customer.yaml", "manifest.json", "register.json"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["languages"] == ["fi", "sv", "en"] and len(manifest["files"]) == 3
    assert {"source_sha256", "content_sha256", "generator", "tool", "engine", "source"} <= set(manifest)
    assert manifest["source"]["register"] == "customer.yaml"
    index = json.loads((archived.parent / "archive" / "index.json").read_text())
    assert index["registers"]["customer-register"][0]["effective_from"] == "2025-03-01"
    assert all(oct(p.stat().st_mode)[-3:] == "444" for p in folder.iterdir())
    # output/archive/ publishes it, without the exact source (its comments stay in the archive).
    published = archived / VERSION_FOLDER
    assert sorted(p.name for p in published.iterdir()) == [*pdfs, "manifest.json", "register.json"]
    assert all((published / name).read_bytes() == (folder / name).read_bytes() for name in pdfs)
    assert (archived / "archive" / "index.json").read_bytes() == (
        archived.parent / "archive" / "index.json"
    ).read_bytes()


def test_the_manifest_records_the_supported_engine_stack(archived: Path) -> None:
    engine = json.loads((archived.parent / VERSION_FOLDER / "manifest.json").read_text())["engine"]
    assert engine["weasyprint"] == "70.0" and engine["subsetter"] == "harfbuzz"
    assert engine["pango"].count(".") == 2 and engine["harfbuzz"].count(".") == 2 and engine["fonttools"]
    fonts = REPO / "templates" / "assets" / "fonts"
    assert engine["fonts"] == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(fonts.glob("*.ttf"))}


def test_the_archived_pdf_is_the_published_one(archived: Path) -> None:
    assert (archived.parent / VERSION_FOLDER / "customer-register_2025-03-01_fi.pdf").read_bytes() == (
        archived / "fi" / "customer-register" / "customer-register_2025-03-01_fi.pdf"
    ).read_bytes()


def test_a_rebuild_changes_nothing(archived: Path, registers: Path) -> None:
    before = snapshot(archived.parent)
    result = build_site(registers)
    assert result.changed == [] and result.archived == [] and snapshot(archived.parent) == before


def test_a_fresh_clone_rebuilds_the_site_byte_for_byte(archived: Path, registers: Path, tmp_path: Path) -> None:
    """What CI does: a clone holds registers/ and archive/, never output/; its build is the same site."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for folder in ("registers", "archive"):
        subprocess.run(["cp", "-r", str(registers.parent / folder), str(clone / folder)], check=True)  # as git would
    with contextlib.chdir(clone):
        result = build([Path("registers")], Path("output"), archive=Path("archive"))
    assert result.archived == [] and snapshot(clone / "archive") == snapshot(registers.parent / "archive")
    assert snapshot(clone / "output") == snapshot(archived)


def test_approval_is_recorded_and_shown_by_verify_and_archive_at(archived: Path, cli: Callable) -> None:
    manifest = json.loads((archived.parent / VERSION_FOLDER / "manifest.json").read_text())
    assert manifest["approval"] == {
        "by": "Anna Virtanen, General Counsel",
        "date": "2025-02-20",
        "reference": "Board minutes 2/2025 § 4",
    }
    custom = pypdf.PdfReader(archived.parent / VERSION_FOLDER / "customer-register_2025-03-01_sv.pdf").metadata
    assert custom is not None
    keys = ("/selosteapprovedby", "/selosteapprovaldate", "/selosteapprovalreference")
    assert tuple(str(custom[key]) for key in keys) == (
        "Anna Virtanen, General Counsel",
        "2025-02-20",
        "Board minutes 2/2025 § 4",
    )
    assert cli("verify").output.splitlines() == [f"{VERSION_FOLDER}: {APPROVED_LINE}", "archive verified: 0 problems"]
    assert cli("archive", "--at", "2025-06-01", "customer-register").output.splitlines()[1] == APPROVED_LINE


def test_an_organisation_that_requires_approval_archives_no_version_without_one(
    archived: Path, write: Callable, cli: Callable
) -> None:
    write("_organisation.yaml", "require_approval: true\n")
    assert cli("check", "--strict").exit_code == 0  # the archived version has its approval, and is not new
    write("customer.yaml", register_yaml(version=date(2025, 9, 1)))
    before = snapshot(archived.parent)
    result = cli("build")
    assert result.exit_code == 1
    assert (
        "registers/customer.yaml:2:10: version: version 2025-09-01 is not yet archived, and _organisation.yaml "
        "requires an approval for every new version: add `approval:` with `by:` (who approved it), `date:` and "
        "`reference:` (the decision or record)"
    ) in result.output
    assert snapshot(archived.parent) == before


def test_verify_rebuild_reproduces_the_archive_and_names_a_changed_engine(archived: Path, cli: Callable) -> None:
    result = cli("verify", "--rebuild")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        f"{VERSION_FOLDER}: reproduced",
        "archive rebuilt: 1 of 1 version reproduced",
    ]
    # A version archived where Pango was another release: other bytes, recorded as such.
    folder = archived.parent / VERSION_FOLDER
    pdf, manifest_path = folder / "customer-register_2025-03-01_fi.pdf", folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = pdf.read_bytes() + b"\n% laid out by another Pango\n"
    for path in (pdf, manifest_path):
        path.chmod(0o644)
    pdf.write_bytes(other)
    manifest["files"] = [
        {**f, "sha256": hashlib.sha256(other).hexdigest()} if f["language"] == "fi" else f for f in manifest["files"]
    ]
    manifest["engine"]["pango"] = "1.44.7"
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    result = cli("verify", "--rebuild")
    assert result.exit_code == 1
    found = stack()["pango"]
    assert (
        f"{VERSION_FOLDER}: differs (customer-register_2025-03-01_fi.pdf): changed since it was archived: "
        f"pango 1.44.7 when archived, {found} now"
    ) in result.output.splitlines()
    assert result.output.splitlines()[-1] == "archive rebuilt: 0 of 1 version reproduced"


def test_the_documented_content_hash_is_reproduced_from_register_json(archived: Path) -> None:
    folder = archived / VERSION_FOLDER
    data = json.loads((folder / "register.json").read_text(encoding="utf-8"))
    compact = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert hashlib.sha256(compact.encode("utf-8")).hexdigest() == manifest["content_sha256"]
    assert hashlib.sha256((folder / "register.json").read_bytes()).hexdigest() == manifest["content"]["sha256"]


def test_the_source_hash_is_reproduced_from_the_archived_sources(archived: Path) -> None:
    folder = archived.parent / VERSION_FOLDER
    manifest = json.loads((folder / "manifest.json").read_text())
    digest = hashlib.sha256((folder / "customer.yaml").read_bytes() + b"\0" + b"\0" + b"\0").hexdigest()
    assert digest == manifest["source_sha256"]


def test_a_change_of_form_but_not_content_leaves_the_archive_as_published(
    archived: Path, write: Callable, registers: Path
) -> None:
    archive_before = {k: v for k, v in snapshot(archived).items() if k.startswith("archive/")}
    write("customer.yaml", "# Reviewed by the legal team.\n" + APPROVED)
    build_site(registers)
    after = snapshot(archived)
    assert {k: v for k, v in after.items() if k.startswith("archive/")} == archive_before
    # The current PDF carries the new source (its hash); the archived one stays as it was published.
    assert (
        after["fi/customer-register/customer-register_2025-03-01_fi.pdf"]
        != archive_before[f"{VERSION_FOLDER}/customer-register_2025-03-01_fi.pdf"]
    )


def test_changed_content_under_an_archived_version_date_stops_the_build(
    archived: Path, write: Callable, registers: Path, cli: Callable
) -> None:
    before = snapshot(archived.parent)
    write("customer.yaml", register_yaml(data_categories=["name", "contact_details", "customer_number"]))
    with pytest.raises(ProblemsFound) as stopped:
        build_site(registers)
    assert [str(p) for p in stopped.value.problems] == [
        "registers/customer.yaml:2:10: version: the content changed, but version 2025-03-01 is already archived "
        "as published; "
        "set a new version date for the changed notice (the archived one stays as it was)"
    ]
    assert snapshot(archived.parent) == before
    result = cli("build")
    assert result.exit_code == 1 and result.output.endswith("output/ was not changed\n")


def test_a_new_version_date_adds_a_version_and_keeps_the_old(
    archived: Path, write: Callable, registers: Path, cli: Callable
) -> None:
    old = {k: v for k, v in snapshot(archived.parent).items() if k.startswith(VERSION_FOLDER)}
    write(
        "customer.yaml",
        register_yaml(version=date(2025, 9, 1), data_categories=["name", "contact_details", "customer_number"]),
    )
    result = build_site(registers)
    assert result.archived == [
        str(archived.parent / "archive" / "customer-register" / "2025-09-01" / name)
        for name in sorted(
            ["customer.yaml", "manifest.json", "register.json"]
            + [f"customer-register_2025-09-01_{lang}.pdf" for lang in ("fi", "sv", "en")]
        )
    ]
    assert {k: v for k, v in snapshot(archived.parent).items() if k.startswith(VERSION_FOLDER)} == old
    versions = json.loads((archived.parent / "archive" / "index.json").read_text())["registers"]["customer-register"]
    assert [v["version"] for v in versions] == ["2025-03-01", "2025-09-01"]
    assert not (archived / "fi" / "customer-register" / "customer-register_2025-03-01_fi.pdf").exists()
    result = cli("archive", "--at", "2025-06-01", "customer-register")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "customer-register: version 2025-03-01 was in force on 2025-06-01",
        APPROVED_LINE,
        *(f"{VERSION_FOLDER}/customer-register_2025-03-01_{lang}.pdf" for lang in ("en", "fi", "sv")),
    ]
    assert cli("archive", "--at", "2025-09-01", "customer-register").output.startswith(
        "customer-register: version 2025-09-01"
    )
    assert cli("archive", "--at", "2025-01-01", "customer-register").exit_code == 1


def test_a_version_older_than_the_archived_one_is_refused(archived: Path, write: Callable, registers: Path) -> None:
    write("customer.yaml", register_yaml(version=date(2024, 12, 1), data_categories=["name"]))
    with pytest.raises(ProblemsFound) as stopped:
        build_site(registers)
    assert "version 2024-12-01 is older than the archived version 2025-03-01" in str(stopped.value.problems[0])


def test_verify_catches_files_changed_removed_and_added_by_hand(archived: Path, cli: Callable) -> None:
    assert cli("verify").exit_code == 0
    folder = archived.parent / VERSION_FOLDER
    changed = folder / "customer-register_2025-03-01_fi.pdf"
    changed.chmod(0o644)
    changed.write_bytes(changed.read_bytes() + b"%tampered")
    (folder / "customer-register_2025-03-01_sv.pdf").unlink()
    (folder / "notes.txt").write_text("added")
    result = cli("verify")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{VERSION_FOLDER}/customer-register_2025-03-01_fi.pdf: changed (its checksum no longer matches the manifest)",
        f"{VERSION_FOLDER}/customer-register_2025-03-01_sv.pdf: removed",
        f"{VERSION_FOLDER}/notes.txt: added by hand (not in any manifest)",
        "archive verified: 3 problems",
    ]


def test_an_output_folder_not_made_by_seloste_is_not_touched(write: Callable, registers: Path, cli: Callable) -> None:
    write("customer.yaml", MINIMAL)
    (registers.parent / "output").mkdir()
    (registers.parent / "output" / "precious.txt").write_text("mine")
    result = cli("build")
    assert result.exit_code == 1
    assert "exists and was not made by seloste" in result.output
    assert (registers.parent / "output" / "precious.txt").read_text() == "mine"


# A build killed at any stage leaves the old or the new output: tests/test_faults.py kills it at
# each named stage of the writer (SELOSTE_TEST_STOP_AT) and checks exactly that.


def test_going_back_to_an_earlier_archived_version_is_refused(archived: Path, write: Callable, registers: Path) -> None:
    write("customer.yaml", register_yaml(version=date(2025, 9, 1), data_categories=["name"]))
    build_site(registers)
    write("customer.yaml", APPROVED)  # the 2025-03-01 version again, as it was archived
    with pytest.raises(ProblemsFound) as stopped:
        build_site(registers)
    assert "version 2025-03-01 is older than the archived version 2025-09-01, which is in force" in str(
        stopped.value.problems[0]
    )


def test_check_warns_before_build_that_a_published_version_would_change(
    archived: Path, write: Callable, cli: Callable
) -> None:
    write("customer.yaml", register_yaml(data_categories=["name"]))
    result = cli("check")
    assert result.exit_code == 1 and "version 2025-03-01 is already archived as published" in result.output


def test_the_wording_of_the_organisations_own_terms_is_content(write: Callable, registers: Path) -> None:
    write("_vocabulary.yaml", "sources:\n  portal: {fi: Portaali, sv: Portalen, en: The portal}\n")
    write("customer.yaml", register_yaml(sources=["data_subject", "portal"]))
    build_site(registers)
    write("_vocabulary.yaml", "sources:\n  portal: {fi: Portaali, sv: Portalen, en: The customer portal}\n")
    with pytest.raises(ProblemsFound) as stopped:
        build_site(registers)
    assert "the content changed, but version 2025-03-01 is already archived" in str(stopped.value.problems[0])


def test_verify_catches_an_index_changed_by_hand_and_a_damaged_archive_stops_the_build(
    archived: Path, registers: Path, cli: Callable
) -> None:
    index = archived.parent / "archive" / "index.json"
    index.write_text(index.read_text().replace('"effective_from": "2025-03-01"', '"effective_from": "2027-01-01"'))
    result = cli("verify")
    assert result.exit_code == 1 and "archive/index.json: changed (it no longer matches the manifests)" in result.output
    before = snapshot(archived.parent)
    built = cli("build")
    assert built.exit_code == 1 and "seloste: the archive archive is not as seloste left it" in built.output
    assert snapshot(archived.parent) == before


def test_a_version_missing_that_the_archive_names_stops_the_build(
    archived: Path, registers: Path, cli: Callable
) -> None:
    """A version deleted from the archive is restored from version control, never archived again as if new."""
    folder = archived.parent / VERSION_FOLDER
    shutil.rmtree(folder)
    before = snapshot(archived.parent)
    result = cli("build")
    assert result.exit_code == 1
    assert (
        f"{VERSION_FOLDER}: removed (listed in archive/index.json, its manifest is gone); "
        f"restore it from version control (git checkout -- {VERSION_FOLDER})"
    ) in result.output
    assert "\narchived " not in result.output and snapshot(archived.parent) == before
    shutil.rmtree(archived.parent / "archive")  # the whole archive gone: output/ still names what it published
    result = cli("build")
    assert (
        result.exit_code == 1 and f"{VERSION_FOLDER}/: removed (published in output/{VERSION_FOLDER}/" in result.output
    )
    assert not (archived.parent / "archive").exists()


def test_pdfs_are_refused_where_fonts_would_be_subset_another_way(write: Callable, registers: Path) -> None:
    """A machine without HarfBuzz's subsetter (WeasyPrint would fall back to fontTools, other bytes):
    the library is taken away where WeasyPrint looks for it, in a real `seloste build` process."""
    write("customer.yaml", APPROVED)
    without = (
        "import sys, weasyprint.text.ffi as ffi; ffi.harfbuzz_subset = None; "
        "from generator.cli import main; sys.argv[0] = 'seloste'; main()"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", without, "build"], cwd=registers.parent, env=env, capture_output=True, text=True
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (
        "seloste: refusing to write PDFs on an unsupported PDF engine, whose bytes would differ from the archive's: "
        "WeasyPrint would subset the fonts with fontTools, as HarfBuzz's subsetter is missing (install it with: "
        "sudo apt-get install libharfbuzz-subset0, or run ./tasks setup as root); or build without PDFs (--no-pdf)"
    ) in run.stderr
    assert not (registers.parent / "output").exists() and not (registers.parent / "archive").exists()
    html_only = subprocess.run(
        [sys.executable, "-c", without, "build", "--no-pdf"], cwd=registers.parent, env=env, capture_output=True
    )
    assert html_only.returncode == 0 and not (registers.parent / "archive").exists()


def test_the_supported_weasyprint_is_the_pinned_one() -> None:
    pinned = re.search(r"^weasyprint==(\S+)$", (REPO / "constraints.txt").read_text(), re.MULTILINE)
    assert pinned is not None and pinned.group(1) == WEASYPRINT
