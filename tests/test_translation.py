"""The translation round trip on the sample registers: export, a translator's edits, import."""

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import REPO
from openpyxl import load_workbook

from generator.cli import main
from generator.load import load_file
from generator.translation import open_project, units

SAMPLES = REPO / "registers"
SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.yaml"))
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


def seloste(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample registers, to translate."""
    return Path(shutil.copytree(SAMPLES, tmp_path / "registers"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def export(folder: Path, target: str, *options: str, suffix: str = ".xlf") -> Path:
    out = folder.parent / f"{target}{suffix}"
    result = seloste(
        "translate", "export", folder, "--to", target, "-o", out, "--from-output", folder.parent / "out", *options
    )
    assert result.exit_code == 0, result.output
    return out


def import_(path: Path, folder: Path) -> Result:
    return seloste("translate", "import", path, folder, "--from-output", folder.parent / "out")


def replace_target(xliff: Path, file: str, unit_id: str, old: str, new: str) -> None:
    """Edit one unit's <target> as a translator's tool would."""
    text = xliff.read_text(encoding="utf-8")
    start = text.index(f'<unit id="{unit_id}"', text.index(f'original="{file}"'))
    end = text.index("</unit>", start)
    unit = text[start:end]
    assert old in unit
    xliff.write_text(text[:start] + unit.replace(old, new, 1) + text[end:], encoding="utf-8")


# --- unchanged round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlf", ".xlsx"])
@pytest.mark.parametrize("target", ["sv", "en"])
def test_export_then_import_without_edits_changes_no_byte_of_any_sample(folder: Path, target: str, suffix: str) -> None:
    before = snapshot(folder)
    exported = export(folder, target, suffix=suffix)
    result = import_(exported, folder)
    assert result.exit_code == 0, result.output
    assert "imported 0 translations into 0 files" in result.output
    assert snapshot(folder) == before
    assert set(before) == set(SAMPLE_FILES)


def test_nothing_to_translate_writes_no_file(folder: Path) -> None:
    out = folder.parent / "nothing.xlf"
    result = seloste("translate", "export", folder, "--to", "sv", "--only-stale", "-o", out)
    assert result.exit_code == 0
    assert "no text needs translating into 'sv'; no file written" in result.output
    assert not out.exists()


def test_every_text_of_every_sample_is_a_unit(folder: Path) -> None:
    found = units(open_project(folder, folder.parent / "out"), "sv")
    assert {u.file for u in found} == set(SAMPLE_FILES)
    assert ("_vocabulary.yaml", "sources.customer_portal") in {(u.file, u.id) for u in found}
    assert {u.state for u in found} == {"translated"}  # the samples are complete, and nothing is archived here
    ids = [(u.file, u.id) for u in found]
    assert len(ids) == len(set(ids))


def test_export_is_the_same_bytes_every_time(folder: Path) -> None:
    first = export(folder, "sv", suffix=".xlsx").read_bytes()
    assert export(folder, "sv", suffix=".xlsx").read_bytes() == first
    xliff = export(folder, "en").read_bytes()
    assert export(folder, "en").read_bytes() == xliff


def test_the_xliff_has_the_structure_of_xliff_2(folder: Path) -> None:
    import xml.etree.ElementTree as ET  # our own output, read to check its shape

    root = ET.parse(export(folder, "sv")).getroot()
    assert root.tag == f"{XLIFF}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "fi", "sv")
    files = root.findall(f"{XLIFF}file")
    assert sorted(f.get("original", "") for f in files) == SAMPLE_FILES
    for unit in root.iter(f"{XLIFF}unit"):
        children = [child.tag for child in unit]
        # Modules first, then notes, then the segment: the order the XLIFF 2.0 schema requires.
        assert children[-2:] == [f"{XLIFF}notes", f"{XLIFF}segment"], unit.get("id")
        segment = unit.find(f"{XLIFF}segment")
        assert segment is not None and segment.get("state") in ("initial", "translated")
        assert [c.tag for c in segment] in ([f"{XLIFF}source", f"{XLIFF}target"], [f"{XLIFF}source"])
    title = root.find(f"{XLIFF}file[@original='customer-register.yaml']/{XLIFF}unit[@id='title']")
    assert title is not None
    notes = [n.text for n in title.iter(f"{XLIFF}note")]
    line = next(
        n
        for n, text in enumerate((SAMPLES / "customer-register.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("title:")
    )
    assert f"customer-register.yaml, line {line}: title" in notes
    assert "Register: Sähkön ja energiapalvelujen asiakasrekisteri" in notes


def test_the_vocabulary_is_each_units_glossary(folder: Path) -> None:
    text = export(folder, "sv").read_text(encoding="utf-8")
    unit = text[text.index('<unit id="consent_withdrawal"') :]
    unit = unit[: unit.index("</unit>")]
    assert "<gls:term>Oma Revontuli -asiointipalvelu</gls:term><gls:translation>E-tjänsten Mitt Norrsken" in unit


# --- a translator's edits ------------------------------------------------------------------------


def test_an_edited_translation_lands_in_its_place_and_nothing_else_changes(folder: Path) -> None:
    before = snapshot(folder)
    exported = export(folder, "sv")
    replace_target(
        exported, "customer-register.yaml", "sections.0.title", "Inspelning av samtal", "Inspelning av telefonsamtal"
    )
    result = import_(exported, folder)
    assert result.exit_code == 0, result.output
    assert "customer-register.yaml: 1 translation written" in result.output
    after = snapshot(folder)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["customer-register.yaml"]
    old, new = before[changed[0]].decode().splitlines(), after[changed[0]].decode().splitlines()
    assert len(old) == len(new)
    differ = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert differ == [("      sv: Inspelning av samtal", "      sv: Inspelning av telefonsamtal")]
    assert new[0].startswith("# Sample register")  # the comments are kept


def test_every_translation_edited_at_once_lands_in_its_place(folder: Path) -> None:
    """Every text of every sample, block texts, quoted ones and flow mappings alike."""
    exported = export(folder, "en")

    def edit(match: re.Match[str]) -> str:
        text = match.group(1)
        return "<target>" + (text[:-1] + " (rev.)\n" if text.endswith("\n") else text + " (rev.)") + "</target>"

    exported.write_text(re.sub(r"<target>(.*?)</target>", edit, exported.read_text(), flags=re.S), encoding="utf-8")
    project = open_project(folder, folder.parent / "out")
    before = {(u.file, u.id): u for u in units(project, "en")}
    comments = {
        p.name: [line for line in p.read_text().splitlines() if line.lstrip().startswith("#")] for p in folder.iterdir()
    }
    assert import_(exported, folder).exit_code == 0
    after = {(u.file, u.id): u for u in units(open_project(folder, folder.parent / "out"), "en")}
    assert after.keys() == before.keys()
    for key, unit in before.items():
        assert unit.target is not None
        assert after[key].source == unit.source
        assert after[key].target == unit.target.rstrip("\n") + " (rev.)" + ("\n" if unit.target.endswith("\n") else "")
    for path in folder.iterdir():
        assert [line for line in path.read_text().splitlines() if line.lstrip().startswith("#")] == comments[path.name]
        assert not load_file(path).problems


def test_a_plain_name_translated_differently_becomes_a_text_per_language(folder: Path) -> None:
    exported = export(folder, "sv")
    replace_target(
        exported,
        "energy-advice-visits.yaml",
        "contact_person.name",
        "<target>Mikko Mallikas</target>",
        "<target>Mikael Mallikas</target>",
    )
    assert import_(exported, folder).exit_code == 0
    text = (folder / "energy-advice-visits.yaml").read_text()
    assert "  name:\n    fi: Mikko Mallikas\n    sv: Mikael Mallikas\n    en: Mikko Mallikas\n" in text


def test_the_workbook_imports_like_the_xliff(folder: Path) -> None:
    exported = export(folder, "en", suffix=".xlsx")
    book = load_workbook(exported)
    sheet = book["Translations"]
    row = next(r for r in sheet.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("customer-register.yaml", "title"))
    assert row[5].value == "Customer register for electricity and energy services"
    row[5].value = "Customer register for electricity and energy services (EN)"
    book.save(exported)
    result = import_(exported, folder)
    assert result.exit_code == 0, result.output
    assert (
        "  en: Customer register for electricity and energy services (EN)\n"
        in (folder / "customer-register.yaml").read_text()
    )
    assert "Glossary" in load_workbook(exported).sheetnames


def test_a_translation_of_a_source_that_changed_meanwhile_is_skipped_and_located(folder: Path) -> None:
    exported = export(folder, "sv")
    replace_target(
        exported, "customer-register.yaml", "sections.0.title", "Inspelning av samtal", "Inspelning av telefonsamtal"
    )
    register = folder / "customer-register.yaml"
    register.write_text(register.read_text().replace("fi: Puhelujen tallentaminen", "fi: Puhelujen nauhoittaminen"))
    before = snapshot(folder)
    result = import_(exported, folder)
    assert result.exit_code == 0
    assert re.search(
        r"customer-register\.yaml:\d+:\d+: warning: sections\[0\]\.title: the Finnish text changed after the export, "
        r"so the translation in .*sv\.xlf:\d+:\d+ was not imported",
        result.output,
    )
    assert "1 skipped" in result.output
    assert snapshot(folder) == before


# --- bad files -----------------------------------------------------------------------------------------


HEAD = '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fi" trgLang="sv">'


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("<xliff", r"bad\.xlf:1:\d+: not well-formed XML"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<x>&b;</x>',
            r"bad\.xlf:2:\d+: the file declares a document type",
        ),
        ('<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<x/>', r"bad\.xlf:2:\d+: the file declares"),
        ("<html/>", r"bad\.xlf:1:1: expected an XLIFF 2 document"),
        (
            HEAD + '\n<file original="customer-register.yaml">\n<unit id="titel"><segment><source>x</source>'
            "<target>y</target></segment></unit></file></xliff>",
            r"bad\.xlf:3:1: customer-register\.yaml has no text 'titel' in Finnish",
        ),
        (
            HEAD + '\n<file original="../../etc/passwd"><unit id="title"><segment><source>x</source>'
            "<target>y</target></segment></unit></file></xliff>",
            r"bad\.xlf:2:\d+: \.\./\.\./etc/passwd: no such register file",
        ),
        (
            HEAD + '\n<file original="customer-register.yaml"><unit id="title"><segment><source>x</source>'
            '<target>a <pc id="1">b</pc></target></segment></unit></file></xliff>',
            r"bad\.xlf:2:\d+: <pc> inside <target>",
        ),
    ],
    ids=[
        "not-xml",
        "entity-expansion",
        "external-entity",
        "not-xliff",
        "unknown-field",
        "unknown-file",
        "inline-markup",
    ],
)
def test_a_bad_file_is_refused_with_located_errors_and_nothing_written(folder: Path, content: str, said: str) -> None:
    bad = folder.parent / "bad.xlf"
    bad.write_text(content, encoding="utf-8")
    before = snapshot(folder)
    result = import_(bad, folder)
    assert result.exit_code == 1
    assert re.search(said, result.output), result.output
    assert "Traceback" not in result.output
    assert snapshot(folder) == before


def test_errors_anywhere_in_the_file_stop_every_translation(folder: Path) -> None:
    exported = export(folder, "sv")
    replace_target(
        exported, "customer-register.yaml", "sections.0.title", "Inspelning av samtal", "Inspelning av telefonsamtal"
    )
    text = exported.read_text()
    exported.write_text(text.replace('<unit id="title"', '<unit id="titel"', 1))
    before = snapshot(folder)
    result = import_(exported, folder)
    assert result.exit_code == 1
    assert "has no text 'titel'" in result.output
    assert snapshot(folder) == before


def test_a_register_that_cannot_be_read_stops_the_export_with_its_location(folder: Path) -> None:
    (folder / "broken.yaml").write_text("id: broken\ntitle: {fi: [\n", encoding="utf-8")
    result = seloste("translate", "export", folder, "--to", "sv")
    assert result.exit_code == 1
    assert re.search(r"broken\.yaml:\d+:\d+: ", result.output), result.output
    assert "Traceback" not in result.output


def test_a_workbook_that_is_not_one_is_refused(folder: Path) -> None:
    bad = folder.parent / "bad.xlsx"
    bad.write_bytes(b"PK not a workbook")
    result = import_(bad, folder)
    assert result.exit_code == 1
    assert "bad.xlsx:1:1: not an .xlsx workbook" in result.output


# --- against what was published ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The customer register and the shared files, with the shipped archive beside them (archive/), which
    holds its published version."""
    base = tmp_path_factory.mktemp("published")
    folder = base / "registers"
    folder.mkdir()
    for name in ("_organisation.yaml", "_vocabulary.yaml", "customer-register.yaml"):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copytree(SAMPLES.parent / "archive", base / "archive")
    return base


# Each edit of the Finnish, and the one text it changes: in a register, in the shared facts, in the vocabulary.
EDITS = [
    (
        "customer-register.yaml",
        "Tallennamme asiakaspalveluumme",
        "Tallennamme aina asiakaspalveluumme",
        "sections.0.body",
    ),
    (
        "_organisation.yaml",
        "fi: Paperiasiakirjat säilytetään",
        "fi: Paperiset asiakirjat säilytetään",
        "security.manual",
    ),
    ("_vocabulary.yaml", "fi: Oma Revontuli -asiointipalvelu", "fi: Oma Revontuli -palvelu", "sources.customer_portal"),
]


def test_one_finnish_edit_marks_exactly_its_translations_as_needing_translation(
    published: Path, tmp_path: Path
) -> None:
    # One test over every edit and language, so that the one build with PDFs is made once, on one worker.
    for index, (file, old, new, unit) in enumerate(EDITS):
        edited = Path(shutil.copytree(published, tmp_path / str(index), symlinks=True)) / "registers"
        for target in ("sv", "en"):
            assert {u.state for u in units(open_project(edited, edited.parent / "out"), target)} == {"translated"}
        path = edited / file
        assert path.read_text().count(old) == 1
        path.write_text(path.read_text().replace(old, new))
        for target in ("sv", "en"):
            found = units(open_project(edited, edited.parent / "out"), target)
            assert [(u.file, u.id) for u in found if u.state != "translated"] == [(file, unit)], (file, target)
            stale = next(u for u in found if u.state == "stale")
            assert stale.earlier is not None and old.removeprefix("fi: ") in stale.earlier
            only = export(edited, target, "--only-stale").read_text(encoding="utf-8")
            assert only.count("<unit ") == 1
            assert 'subState="seloste:source-changed"' in only
            assert "has changed since the notice was last published" in only


def test_a_text_without_a_translation_is_new(folder: Path) -> None:
    path = folder / "customer-register.yaml"
    text = path.read_text()
    path.write_text(text.replace("      sv: Inspelning av samtal\n", ""))
    found = {u.id: u for u in units(open_project(folder, folder.parent / "out"), "sv") if u.file == path.name}
    assert found["sections.0.title"].state == "new"
    assert found["sections.0.title"].target is None
    exported = export(folder, "sv", "--only-stale")
    assert exported.read_text().count("<unit ") == 1
    replace_target(
        exported,
        "customer-register.yaml",
        "sections.0.title",
        "</source>",
        "</source>\n        <target>Inspelning av samtal</target>",
    )
    assert import_(exported, folder).exit_code == 0
    assert path.read_text() == text
