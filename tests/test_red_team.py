"""The defects an outside red team found beyond the hostile corpus (D1-D26), one test or more each.

Every test runs the real command (in-process) on real files; none of them may leave a traceback.
The register is the red team's: one language, so that a PDF build stays short.
"""

import json
import os
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from test_faults import NAMESPACE, in_namespace

from generator import archive
from generator.build import build
from generator.errors import OutputError, Problem
from generator.render import _markdown, resolve_references
from generator.vocabulary import load_shipped
from generator.wording import languages
from generator.write import locked, writing

MINI = """\
id: mini
title: {en: Mini register}
version: 2026-01-01
languages: [en]
controller:
  name: Mini Oy
  email: info@mini.example
purposes:
  - term: contract_performance
    legal_basis: contract
retention: {en: Five years.}
transfers: none
recipients: []
sources: [data_subject]
requirement: {kind: contractual}
automated_decisions: {used: false}
exercise_rights: {en: Write to us.}
"""
SECOND = MINI.replace("version: 2026-01-01", "version: 2026-03-01").replace("Five years.", "Six years.")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# -- D1, D2, D23: the lock and the output folder -----------------------------------------------------


def test_d1_a_symlinked_lock_is_refused_and_its_target_is_not_truncated(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI)
    victim = registers.parent / "victim.txt"
    victim.write_text("important data")
    (registers.parent / ".output.lock").symlink_to(victim)
    result = cli("build", "--no-pdf", "registers")
    assert result.exit_code == 1
    assert victim.read_text() == "important data"
    assert ".output.lock" in result.output and "symbolic link" in result.output
    assert not (registers.parent / "output").exists()


def test_d1_an_existing_lock_file_is_not_truncated(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI)
    (registers.parent / ".output.lock").write_text("kept")
    assert cli("build", "--no-pdf", "registers").exit_code == 0
    assert (registers.parent / ".output.lock").read_text() == "kept"


def test_d2_a_symlinked_output_folder_is_built_into_its_target(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI)
    root = registers.parent
    assert cli("build", "--no-pdf", "registers", "-o", "site").exit_code == 0
    (root / "output").symlink_to("site")
    for retention in ("Six years.", "Seven years."):
        write("mini.yaml", MINI.replace("Five years.", retention))
        result = cli("build", "--no-pdf", "registers")
        assert result.exit_code == 0, result.output
        assert (root / "output").is_symlink() and os.readlink(root / "output") == "site"
        assert retention in (root / "site" / "en" / "mini" / "index.html").read_text()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == [".site.lock"]


def test_d2_the_link_and_its_target_share_one_lock(registers: Path) -> None:
    (registers.parent / "site").mkdir()
    (registers.parent / "output").symlink_to("site")
    with locked(registers.parent / "site"):
        with pytest.raises(OutputError, match="another build"):
            with writing(registers.parent / "output"):
                pass


def test_d2_a_leftover_staging_link_does_not_stop_the_next_build(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI)
    root = registers.parent
    assert cli("build", "--no-pdf", "registers").exit_code == 0
    (root / "site").mkdir()
    (root / "site" / "keep.txt").write_text("kept")
    (root / ".output.staging").symlink_to("site")
    write("mini.yaml", MINI.replace("Five years.", "Six years."))
    assert cli("build", "--no-pdf", "registers").exit_code == 0
    assert not (root / ".output.staging").exists() and not (root / ".output.staging").is_symlink()
    assert (root / "site" / "keep.txt").read_text() == "kept"


def test_d23_an_output_folder_that_is_a_mount_point_gets_a_clear_message(
    write: Callable, registers: Path, cli: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("mini.yaml", MINI)
    assert cli("build", "--no-pdf", "registers").exit_code == 0
    before = snapshot(registers.parent / "output")
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p).name == "output" or real(p))
    write("mini.yaml", MINI.replace("Five years.", "Six years."))
    result = cli("build", "--no-pdf", "registers")
    assert result.exit_code == 1 and "mount point" in result.output and "Traceback" not in result.output
    assert snapshot(registers.parent / "output") == before


@pytest.mark.skipif(NAMESPACE is None, reason="cannot mount in a private mount namespace here")
def test_d23_a_real_mount_point_as_output_gets_a_clear_message(write: Callable, registers: Path) -> None:
    write("mini.yaml", MINI)
    (registers.parent / "output").mkdir()
    script = 'mount -t tmpfs -o size=4m tmpfs output && "$PYTHON" -m generator build --no-pdf registers'
    done = in_namespace(script, cwd=registers.parent)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "it is a mount point" in done.stderr and "build failed; output/ was not changed" in done.stderr


def test_d8_the_current_folder_or_the_root_as_output_is_a_usage_error(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI)
    for given in (".", "/", ".."):
        result = cli("build", "--no-pdf", "registers", "-o", given)
        assert result.exit_code == 2, (given, result.output)
        assert "name the output folder" in result.output


# -- D3, D9, D15, D17, D19: which files are read, and how they are named --------------------------------


def test_d3_a_register_linked_to_a_file_outside_its_folder_is_refused(
    registers: Path, write: Callable, cli: Callable
) -> None:
    elsewhere = registers.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text("# CONFIDENTIAL hunter2\n" + MINI.replace("id: mini", "id: outside"))
    (registers / "linked.yaml").symlink_to(elsewhere / "secret.yaml")
    result = cli("build", "registers")
    assert result.exit_code == 1
    assert "registers/linked.yaml:1:1: the file is a symbolic link to a file outside its folder" in result.output
    assert "hunter2" not in result.output and not (registers.parent / "output").exists()


def test_d3_shared_files_linked_outside_are_refused_and_links_inside_are_read(
    registers: Path, write: Callable, cli: Callable
) -> None:
    elsewhere = registers.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "org.yaml").write_text("controller:\n  name: Secret Oy\n  email: a@b.example\n")
    (registers / "_organisation.yaml").symlink_to(elsewhere / "org.yaml")
    (registers / "drafts").mkdir()
    (registers / "drafts" / "real.yaml").write_text(MINI)
    (registers / "mini.yaml").symlink_to("drafts/real.yaml")
    result = cli("check", "registers")
    assert "registers/_organisation.yaml:1:1: the file is a symbolic link to a file outside its folder" in result.output
    assert "registers/mini.yaml:1:1" not in result.output  # a link inside the folder is read as the file


def test_d9_a_file_name_that_is_not_utf8_gets_a_located_message(registers: Path, cli: Callable) -> None:
    with open(os.path.join(os.fsencode(registers), b"s\xe4ilytys.yaml"), "wb") as stream:
        stream.write(MINI.encode())
    for command in (("check", "registers"), ("build", "--no-pdf", "registers")):
        result = cli(*command)
        assert result.exit_code == 1, result.output
        assert "registers/s\\xe4ilytys.yaml:1:1: the file name is not valid UTF-8" in result.output


def test_d15_a_file_name_cannot_forge_a_message_line(write: Callable, registers: Path, cli: Callable) -> None:
    write("x\nforged.yaml:1:1: error: a forged problem line.yaml", MINI.replace("retention: {en: Five years.}\n", ""))
    write("esc\x1b[31mRED.yaml", MINI.replace("id: mini", "id: other").replace("retention: {en: Five years.}\n", ""))
    result = cli("check", "registers")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("registers/")]
    assert problems and all("\\n" in line or "\\x1b" in line for line in problems)
    assert "\x1b" not in result.output and not any(
        line.startswith("forged.yaml") for line in result.output.splitlines()
    )
    assert str(Problem("a\nb\x1b.yaml", 1, 1, "", "m")) == "a\\nb\\x1b.yaml:1:1: m"


def test_d17_the_same_folder_given_twice_is_read_once(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI)
    (registers.parent / "again").symlink_to("registers")
    result = cli("check", "registers", "registers/../registers", "again")
    assert result.exit_code == 0 and "1 register checked" in result.output
    result = cli("build", "--no-pdf", "registers", "registers/../registers")
    assert result.exit_code == 0, result.output
    assert (registers.parent / "output" / "index.html").read_text().count("en/mini/index.html") == 1


def test_d19_files_that_cannot_be_registers_are_reported_not_skipped(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("UPPER.YAML", MINI.replace("id: mini", "id: upper"))
    os.mkfifo(registers / "pipe.yaml")
    (registers / "folder.yaml").mkdir()
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert "3 registers checked" in result.output
    assert "registers/pipe.yaml:1:1: the file is not a regular file (a named pipe)" in result.output
    assert "registers/folder.yaml:1:1: the file is not a regular file (a folder)" in result.output
    result = cli("check", "registers/pipe.yaml")
    assert "registers/pipe.yaml:1:1: the file is not a regular file (a named pipe)" in result.output


def test_d19_a_shared_file_that_is_not_a_file_is_reported(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI)
    (registers / "_organisation.yaml").mkdir()
    result = cli("check", "registers")
    assert "registers/_organisation.yaml:1:1: the file is not a regular file (a folder)" in result.output
    (registers / "_organisation.yaml").rmdir()
    write("_organisation.yaml", "controller:\n  name: Mini Oy\n  email: info@mini.example\n")
    result = cli("check", "registers/_organisation.yaml")
    assert result.exit_code == 2 and "shared file" in result.output


# -- D5, D6, D7, D24, D26: the archive -------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose archive holds two versions of mini (PDFs made once for every test here)."""
    root = tmp_path_factory.mktemp("archived")
    (root / "registers").mkdir()
    (root / "registers" / "mini.yaml").write_text(MINI)
    build([root / "registers"], root / "output", archive=root / "archive", jobs=1)
    (root / "registers" / "mini.yaml").write_text(SECOND)
    build([root / "registers"], root / "output", archive=root / "archive", jobs=1)
    return root


@pytest.fixture
def project(two_versions: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the two-version project to damage, as the working directory."""
    copy = tmp_path / "project"
    shutil.copytree(two_versions, copy, symlinks=True)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)  # archived files are read-only; these tests damage them
    monkeypatch.chdir(copy)
    return copy


def test_d5_a_deleted_archive_is_not_recreated(project: Path, cli: Callable) -> None:
    shutil.rmtree(project / "archive")
    result = cli("build", "registers")
    assert result.exit_code == 1
    assert "archive/mini/2026-01-01/" in result.output and "restore" in result.output
    assert "\narchived " not in result.output and not (project / "archive").exists()
    assert cli("verify").exit_code == 1


def test_d5_a_deleted_version_with_a_consistent_index_is_noticed(project: Path, cli: Callable) -> None:
    root = project / "archive"
    shutil.rmtree(root / "mini" / "2026-01-01")
    manifest = "mini/2026-03-01/manifest.json"
    (root / "index.json").write_bytes(archive.index({manifest: (root / manifest).read_bytes()}))
    result = cli("verify")  # output/ still publishes it
    assert result.exit_code == 1 and "archive/mini/2026-01-01/" in result.output
    result = cli("build", "registers")
    assert result.exit_code == 1 and "archive/mini/2026-01-01/" in result.output
    assert "\narchived " not in result.output


def test_d6_a_version_far_in_the_future_is_an_error_unless_allowed(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI.replace("version: 2026-01-01", "version: 2062-04-01"))
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert "registers/mini.yaml:3:10: version: version 2062-04-01 is more than a year ahead" in result.output
    assert cli("check", "--allow-future-version", "registers").exit_code == 0
    assert cli("build", "--no-pdf", "registers").exit_code == 1
    assert cli("build", "--no-pdf", "--allow-future-version", "registers").exit_code == 0


def test_d6_a_later_version_not_yet_in_force_is_not_called_in_force(project: Path, cli: Callable) -> None:
    folder = project / "archive" / "mini"
    # An archive made before the check: a typo date archived.
    (folder / "2026-03-01").rename(folder / "2062-03-01")
    manifest = json.loads((folder / "2062-03-01" / "manifest.json").read_text())
    manifest["version"] = "2062-03-01"
    (folder / "2062-03-01" / "manifest.json").write_text(json.dumps(manifest))
    (project / "registers" / "mini.yaml").write_text(SECOND.replace("2026-03-01", "2026-04-01"))
    result = cli("check", "registers")
    assert result.exit_code == 1 and "not yet in force" in result.output and "which is in force" not in result.output


def _damage(root: Path, kind: str) -> None:
    version = root / "mini" / "2026-01-01"
    manifest_path = version / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    index_path = root / "index.json"
    index = json.loads(index_path.read_text())
    if kind == "backup copy":
        shutil.copytree(version, version.with_name("old-copy"))
    elif kind == "empty manifest":
        manifest_path.write_text("{}")
    elif kind == "files not a list":
        manifest_path.write_text(json.dumps({**manifest, "files": "x"}))
    elif kind == "absolute name":
        manifest["files"][0]["name"] = "/etc/shadow"
        manifest_path.write_text(json.dumps(manifest))
    elif kind == "escaping name":
        manifest["files"][0]["name"] = "../../../../../../../../etc/hostname"
        manifest["files"][0]["sha256"] = archive.sha256(Path("/etc/hostname").read_bytes())
        manifest_path.write_text(json.dumps(manifest))
        index_path.write_bytes(_reindex(root))
    elif kind == "relabelled manifest":
        manifest.update(register="customer-register", version="2020-01-01")
        manifest_path.write_text(json.dumps(manifest))
        index_path.write_bytes(_reindex(root))
    elif kind == "index a list":
        index_path.write_text('{"registers": []}')
    elif kind == "index without folder":
        del index["registers"]["mini"][0]["folder"]
        index_path.write_text(json.dumps(index))
    elif kind == "index date a number":
        index["registers"]["mini"][0]["effective_from"] = 5
        index_path.write_text(json.dumps(index))
    elif kind == "index versions a string":
        index["registers"]["mini"] = "x"
        index_path.write_text(json.dumps(index))
    elif kind == "index folder escapes":
        index["registers"]["mini"][0]["folder"] = "../../../../etc"
        index_path.write_text(json.dumps(index))
    elif kind == "index effective date moved":
        index["registers"]["mini"][1]["effective_from"] = "2026-02-01"
        index_path.write_text(json.dumps(index))


def _reindex(root: Path) -> bytes:
    found = {str(p.relative_to(root)): p.read_bytes() for p in root.glob("*/*/manifest.json")}
    return archive.index(found)


DAMAGE = [
    "backup copy",
    "empty manifest",
    "files not a list",
    "absolute name",
    "escaping name",
    "relabelled manifest",
    "index a list",
    "index without folder",
    "index date a number",
    "index versions a string",
    "index folder escapes",
    "index effective date moved",
]


@pytest.mark.parametrize("kind", DAMAGE)
def test_d7_d24_every_archive_reader_survives_damage_and_verify_finds_it(
    project: Path, cli: Callable, kind: str
) -> None:
    _damage(project / "archive", kind)
    for command in (
        ("check", "registers"),
        ("build", "--no-pdf", "registers"),
        ("build", "registers"),
        ("verify",),
        ("archive", "mini", "--at", "2026-02-15"),
        ("archive", "customer-register", "--at", "2021-01-01"),
    ):
        result = cli(*command)  # a traceback raises here
        assert "Traceback" not in result.output
        if command[0] in ("verify", "archive"):
            assert result.exit_code == 1, (command, result.output)
        if command == ("build", "registers"):
            assert result.exit_code == 1 and "restore it" in result.output, result.output
    answer = cli("archive", "mini", "--at", "2026-02-15").output
    assert answer.startswith("seloste: the archive") and answer.count("\n") == 1  # no file listed


# -- D4, D21: the PDF's fonts ---------------------------------------------------------------------------


def _fonts(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(__import__("io").BytesIO(pdf))
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]  # a pypdf dictionary object
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_d4_code_in_markdown_uses_the_shipped_font(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI.replace("Five years.", '"Kept for `five` years, *then* **deleted**."'))
    assert cli("build", "-j", "1", "registers").exit_code == 0
    pdf = (registers.parent / "output" / "en" / "mini" / "mini_2026-01-01_en.pdf").read_bytes()
    fonts = _fonts(pdf)
    assert fonts and all(name.split("+")[-1].startswith("Seloste-Sans") for name in fonts), fonts


def test_d21_a_character_the_shipped_font_lacks_is_a_located_error(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI.replace("Five years.", '"Five years \U0001f9e0 or \u3008so\u3009."'))
    assert cli("check", "--strict", "registers").exit_code == 1
    result = cli("check", "registers")
    assert "registers/mini.yaml:11:17: warning: retention.en: the font of the PDF has no" in result.output
    assert "U+1F9E0" in result.output and "U+3008" in result.output


# -- D10-D14, D20: bounds and hidden content ---------------------------------------------------------------


def test_d10_an_overlong_email_is_refused_by_its_length(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI.replace("info@mini.example", '"a@' + "." * 5000 + '@"'))
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert "registers/mini.yaml:7:10: controller.email: the value is 5,003 characters long" in result.output


def test_d10_the_email_pattern_still_tells_good_from_bad() -> None:
    from generator.values import EMAIL

    good = ["info@mini.example", "a.b+c@x.y.example", "tietosuoja@esimerkki.example"]
    bad = ["a@b", "a@@b.c", "a b@c.d", "@b.c", "a@.b", "a@b.", "a@" + "." * 200 + "@"]
    assert [bool(EMAIL.fullmatch(s)) for s in good] == [True] * len(good)
    assert [bool(EMAIL.fullmatch(s)) for s in bad] == [False] * len(bad)


def test_d11_a_markdown_field_full_of_brackets_is_refused_by_check(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI.replace("Five years.", '"' + "[" * 20000 + '"'))
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert "registers/mini.yaml:11:12: retention: the text is 20,000 characters long in 'en'" in result.output


def test_d11_brackets_that_cannot_close_reach_markdown_inert_and_links_stay_links() -> None:
    # Linear by construction: every '[' or '(' left for python-Markdown has its own partner, nested at
    # most two deep, so no search for the end of a link runs past its partner.
    assert str(_markdown("![" * 6000)) == "<p>" + "![" * 6000 + "</p>"
    assert str(_markdown("[a](" * 3000)) == "<p>" + "[a](" * 3000 + "</p>"
    # The inner [[x]] is set aside as a cross-reference; one that names no section prints as written.
    assert str(resolve_references(_markdown("[[[[x]]]]"), None, languages(load_shipped())["en"])) == "<p>[[[[x]]]]</p>"
    assert str(_markdown("See [the law](https://example.fi/a_(b)) (Art. 13(2)(e)) [`x`(")) == (
        '<p>See <a href="https://example.fi/a_(b)" rel="noopener noreferrer">the law</a> (Art. 13(2)(e)) '
        "[<code>x</code>(</p>"
    )


def test_d12_the_size_limit_is_applied_before_the_file_is_read(registers: Path, cli: Callable) -> None:
    with open(registers / "big.yaml", "wb") as stream:
        stream.truncate(300 * 1024 * 1024)  # sparse: no disk used
    tracemalloc.start()
    result = cli("check", "registers")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "registers/big.yaml:1:1: the file is too large (314,572,800 bytes" in result.output
    assert peak < 50 * 1024 * 1024


def test_d13_a_list_longer_than_a_notice_needs_is_refused(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI + "data_subjects:\n" + "  - customers\n" * 12000)
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert "registers/mini.yaml:19:3: data_subjects: the list has 12,000 items" in result.output


def test_d13_a_register_with_more_text_than_a_notice_needs_is_refused(
    write: Callable, registers: Path, cli: Callable
) -> None:
    body = "word " * 3000
    sections = "".join(f"  - id: s{i}\n    title: {{en: S{i}}}\n    body: {{en: {body}}}\n" for i in range(40))
    write("mini.yaml", MINI + "sections:\n" + sections)
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert "registers/mini.yaml:1:1: the register holds 600," in result.output


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\r"])
def test_d14_a_hidden_line_break_is_refused(write: Callable, registers: Path, cli: Callable, separator: str) -> None:
    write("mini.yaml", MINI + f"# reviewed by legal, nothing to add{separator}transfers: none\n")
    result = cli("check", "registers")
    assert result.exit_code == 1
    assert f"registers/mini.yaml:18:36: the file contains U+{ord(separator):04X}" in result.output


def test_d14_windows_line_ends_are_still_read(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI.replace("\n", "\r\n").encode())
    assert cli("check", "registers").exit_code == 0


def test_d20_noncharacters_and_a_stray_byte_order_mark_get_clear_messages(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI.replace("Five years.", "Five\uffff years."))
    result = cli("check", "registers")
    assert "registers/mini.yaml:11:21: the file contains U+FFFF, a noncharacter" in result.output
    assert "position" not in result.output and "control character" not in result.output
    write("mini.yaml", MINI.replace("transfers:", "\ufefftransfers:"))
    result = cli("check", "registers")
    assert "registers/mini.yaml:12:1: the file contains U+FEFF" in result.output


def test_d22_windows_device_names_are_refused_as_ids(write: Callable, registers: Path, cli: Callable) -> None:
    for device in ("con", "nul", "aux", "prn", "com1", "lpt9"):
        write("mini.yaml", MINI.replace("id: mini", f"id: {device}"))
        result = cli("check", "registers")
        assert result.exit_code == 1
        assert f"registers/mini.yaml:1:5: id: '{device}' is a device name on Windows" in result.output


# -- D16, D18, D25: incremental builds --------------------------------------------------------------------


def test_d16_building_one_file_does_not_unpublish_the_others(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI)
    write("other.yaml", MINI.replace("id: mini", "id: other"))
    assert cli("build", "--no-pdf", "registers").exit_code == 0
    before = snapshot(registers.parent / "output")
    result = cli("build", "--no-pdf", "registers/mini.yaml")
    assert result.exit_code == 2 and "en/other" in result.output and "registers/" in result.output
    assert snapshot(registers.parent / "output") == before


def test_d18_a_renamed_register_file_gives_its_pdf_the_new_attachment_name(
    write: Callable, registers: Path, cli: Callable
) -> None:
    write("mini.yaml", MINI)
    assert cli("build", "-j", "1", "registers").exit_code == 0
    (registers / "mini.yaml").rename(registers / "renamed.yaml")
    archived = snapshot(registers.parent / "archive")
    assert cli("build", "-j", "1", "registers").exit_code == 0
    published = registers.parent / "output" / "en" / "mini" / "mini_2026-01-01_en.pdf"
    assert list(pypdf.PdfReader(published).attachments) == ["renamed.yaml"]
    assert snapshot(registers.parent / "archive") == archived  # the archive keeps what was published
    made = published.read_bytes()
    assert cli("build", "-j", "1", "--force", "registers").exit_code == 0
    assert published.read_bytes() == made


def test_d25_a_published_file_deleted_by_hand_is_made_again(write: Callable, registers: Path, cli: Callable) -> None:
    write("mini.yaml", MINI)
    assert cli("build", "--no-pdf", "registers").exit_code == 0
    page = registers.parent / "output" / "en" / "mini" / "index.html"
    made = page.read_bytes()
    page.unlink()
    result = cli("build", "--no-pdf", "registers")
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == made
