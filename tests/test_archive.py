"""The archive: append-only, checksummed, answering which notice was in force, and never half-written."""

import contextlib
import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL, register_yaml

from generator.build import build
from generator.errors import ProblemsFound

VERSION_FOLDER = "archive/customer-register/2025-03-01"


def snapshot(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def archived_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MINIMAL built once (pages, PDFs, archive), as `seloste build` in its site would build it."""
    site = tmp_path_factory.mktemp("archived")
    (site / "registers").mkdir()
    (site / "registers" / "customer.yaml").write_text(MINIMAL, encoding="utf-8")
    with contextlib.chdir(site):
        build([Path("registers")], Path("output"))
    return site / "output"


@pytest.fixture
def archived(archived_once: Path, write: Callable, registers: Path) -> Path:
    """A private copy of that build in this test's site, its register beside it, to change as the test likes."""
    write("customer.yaml", MINIMAL)
    output = registers.parent / "output"
    shutil.copytree(archived_once, output, symlinks=True)
    return output


def test_a_build_archives_the_version_with_a_manifest_and_an_index(archived: Path) -> None:
    folder = archived / VERSION_FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [
        "customer-register_2025-03-01_en.pdf",
        "customer-register_2025-03-01_fi.pdf",
        "customer-register_2025-03-01_sv.pdf",
        "manifest.json",
        "register.json",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["languages"] == ["fi", "sv", "en"] and len(manifest["files"]) == 3
    assert {"source_sha256", "content_sha256", "generator"} <= set(manifest)
    index = json.loads((archived / "archive" / "index.json").read_text())
    assert index["registers"]["customer-register"][0]["effective_from"] == "2025-03-01"
    assert all(oct(p.stat().st_mode)[-3:] == "444" for p in folder.iterdir())


def test_the_archived_pdf_is_the_published_one(archived: Path) -> None:
    assert (archived / VERSION_FOLDER / "customer-register_2025-03-01_fi.pdf").read_bytes() == (
        archived / "fi" / "customer-register" / "customer-register_2025-03-01_fi.pdf"
    ).read_bytes()


def test_a_rebuild_changes_nothing(archived: Path, registers: Path) -> None:
    before = snapshot(archived)
    result = build([registers], archived)
    assert result.changed == [] and snapshot(archived) == before


def test_a_change_of_form_but_not_content_leaves_the_archive_as_published(
    archived: Path, write: Callable, registers: Path
) -> None:
    archive_before = {k: v for k, v in snapshot(archived).items() if k.startswith("archive/")}
    write("customer.yaml", "# Reviewed by the legal team.\n" + MINIMAL)
    build([registers], archived)
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
    before = snapshot(archived)
    write("customer.yaml", register_yaml(data_categories=["name", "contact_details", "customer_number"]))
    with pytest.raises(ProblemsFound) as stopped:
        build([registers], archived)
    assert [str(p) for p in stopped.value.problems] == [
        "registers/customer.yaml:2:10: version: the content changed, but version 2025-03-01 is already archived "
        "as published; "
        "set a new version date for the changed notice (the archived one stays as it was)"
    ]
    assert snapshot(archived) == before
    result = cli("build")
    assert result.exit_code == 1 and result.output.endswith("output/ was not changed\n")


def test_a_new_version_date_adds_a_version_and_keeps_the_old(
    archived: Path, write: Callable, registers: Path, cli: Callable
) -> None:
    old = {k: v for k, v in snapshot(archived).items() if k.startswith(VERSION_FOLDER)}
    write(
        "customer.yaml",
        register_yaml(version=date(2025, 9, 1), data_categories=["name", "contact_details", "customer_number"]),
    )
    build([registers], archived)
    assert {k: v for k, v in snapshot(archived).items() if k.startswith(VERSION_FOLDER)} == old
    versions = json.loads((archived / "archive" / "index.json").read_text())["registers"]["customer-register"]
    assert [v["version"] for v in versions] == ["2025-03-01", "2025-09-01"]
    assert not (archived / "fi" / "customer-register" / "customer-register_2025-03-01_fi.pdf").exists()
    result = cli("archive", "--at", "2025-06-01", "customer-register")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "customer-register: version 2025-03-01 was in force on 2025-06-01",
        *(f"output/{VERSION_FOLDER}/customer-register_2025-03-01_{lang}.pdf" for lang in ("en", "fi", "sv")),
    ]
    assert cli("archive", "--at", "2025-09-01", "customer-register").output.startswith(
        "customer-register: version 2025-09-01"
    )
    assert cli("archive", "--at", "2025-01-01", "customer-register").exit_code == 1


def test_a_version_older_than_the_archived_one_is_refused(archived: Path, write: Callable, registers: Path) -> None:
    write("customer.yaml", register_yaml(version=date(2024, 12, 1), data_categories=["name"]))
    with pytest.raises(ProblemsFound) as stopped:
        build([registers], archived)
    assert "version 2024-12-01 is older than the archived version 2025-03-01" in str(stopped.value.problems[0])


def test_verify_catches_files_changed_removed_and_added_by_hand(archived: Path, cli: Callable) -> None:
    assert cli("verify").output == "archive verified: 0 problems\n"
    changed = archived / VERSION_FOLDER / "customer-register_2025-03-01_fi.pdf"
    changed.chmod(0o644)
    changed.write_bytes(changed.read_bytes() + b"%tampered")
    (archived / VERSION_FOLDER / "customer-register_2025-03-01_sv.pdf").unlink()
    (archived / VERSION_FOLDER / "notes.txt").write_text("added")
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
    build([registers], archived)
    write("customer.yaml", MINIMAL)  # the 2025-03-01 version again, as it was archived
    with pytest.raises(ProblemsFound) as stopped:
        build([registers], archived)
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
    output = registers.parent / "output"
    build([registers], output)
    write("_vocabulary.yaml", "sources:\n  portal: {fi: Portaali, sv: Portalen, en: The customer portal}\n")
    with pytest.raises(ProblemsFound) as stopped:
        build([registers], output)
    assert "the content changed, but version 2025-03-01 is already archived" in str(stopped.value.problems[0])


def test_verify_catches_an_index_changed_by_hand_and_a_damaged_archive_stops_the_build(
    archived: Path, registers: Path, cli: Callable
) -> None:
    index = archived / "archive" / "index.json"
    index.write_text(index.read_text().replace('"effective_from": "2025-03-01"', '"effective_from": "2027-01-01"'))
    result = cli("verify")
    assert result.exit_code == 1 and "archive/index.json: changed (it no longer matches the manifests)" in result.output
    before = snapshot(archived)
    built = cli("build")
    assert built.exit_code == 1 and "has been changed by hand" in built.output
    assert snapshot(archived) == before


def test_an_archive_restored_from_a_backup_into_a_new_output_is_built_upon(
    archived: Path, registers: Path, tmp_path: Path
) -> None:
    restored = tmp_path / "restored"
    (restored).mkdir()
    subprocess.run(["cp", "-a", str(archived / "archive"), str(restored / "archive")], check=True)
    result = build([registers], restored)
    assert result.archived == [] and (restored / "en" / "customer-register" / "index.html").is_file()
