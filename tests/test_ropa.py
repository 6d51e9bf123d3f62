"""`seloste ropa`: the record of processing activities (Art. 30(1)) as XLSX, ODS or CSV, a row per purpose."""

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from conftest import REPO, register_yaml
from odf.opendocument import load as load_ods
from odf.table import TableRow

from generator.facts import GDPR_APPLIES
from generator.ropa import COLUMNS, INTERNAL_COLUMNS, record_words
from generator.validate import validate_paths


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the sample registers."""
    shutil.copytree(REPO / "registers", tmp_path / "registers")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def xlsx_rows(path: Path) -> list[list[str]]:
    sheet = openpyxl.load_workbook(path).active
    return [[cell.value or "" for cell in row] for row in sheet.iter_rows()]


def test_the_record_opens_in_a_spreadsheet_with_a_row_for_every_purpose_of_every_sample(
    samples: Path, cli: Callable[..., Result]
) -> None:
    result = cli("ropa", "-o", "record.xlsx", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = xlsx_rows(samples / "record.xlsx")
    words = record_words("en")
    assert rows[0] == [words["columns"][c] for c in COLUMNS + INTERNAL_COLUMNS]
    assert rows[0][2].startswith("(a)") and rows[0][10].startswith("(g)")
    expected = []
    entries = validate_paths([samples / "registers"]).registers
    current = [e for e in entries if e.register.version >= GDPR_APPLIES]
    assert 0 < len(current) < len(entries)  # the historic sample is left out (below)
    for entry in sorted(current, key=lambda e: e.register.id):
        for purpose in entry.register.purposes:
            label = (
                entry.vocabulary.wording(purpose.term.group, purpose.term.key, "en").label
                if purpose.term
                else purpose.text.get("en")
            )
            expected.append((f"({entry.register.id})", label))
    assert len(expected) > 20
    assert [(row[0][row[0].rindex("(") :], row[3].split("\n")[0]) for row in rows[1:]] == expected


def test_each_row_holds_the_columns_a_to_g_and_the_internal_block(samples: Path, cli: Callable[..., Result]) -> None:
    cli("ropa", "-o", "record.xlsx", "--lang", "en")
    rows = [dict(zip(COLUMNS + INTERNAL_COLUMNS, row, strict=True)) for row in xlsx_rows(samples / "record.xlsx")[1:]]
    credit = next(r for r in rows if r["purpose"].startswith("Checking credit information"))
    assert credit["controller"].startswith("Revontuli Energia Ltd\nBusiness ID 3918274-5")
    assert "Data protection officer: " in credit["controller"]
    assert credit["legal_basis"] == "Legitimate interests (GDPR Art. 6(1)(f))"
    assert "India" in credit["transfers"] and "Standard contractual clauses" in credit["transfers"]
    assert credit["retention"].startswith("We keep personal data only for as long")
    assert credit["security"].startswith("Personal data may be processed only by")
    assert credit["owner"] == "Asiakkuusjohtaja Aino Kaamonen, asiakkuudet-yksikkö"
    assert credit["processors"].splitlines()[0] == (
        "Pilvipolku Oy, Asiakastietojärjestelmän ylläpito ja pilvipalvelu, FI, agreement: Sopimusrekisteri SOP-2023-117"
    )
    assert credit["dpia"].startswith("DPIA-2024-03")
    camera = next(r for r in rows if r["register"].endswith("(camera-surveillance)"))
    assert camera["owner"] == ""  # a register without an internal block


def test_csv_and_ods_hold_the_same_rows_as_xlsx(samples: Path, cli: Callable[..., Result]) -> None:
    for name in ("record.xlsx", "record.csv", "record.ods"):
        assert cli("ropa", "-o", name, "--lang", "sv").exit_code == 0
    rows = xlsx_rows(samples / "record.xlsx")
    assert rows[0][3] == "b) Ändamålet med behandlingen"
    with (samples / "record.csv").open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file)) == rows
    sheet = load_ods(str(samples / "record.ods")).spreadsheet
    ods_rows = sheet.getElementsByType(TableRow)
    assert len(ods_rows) == len(rows)
    assert "".join(str(node) for node in ods_rows[0].childNodes[3].childNodes) == rows[0][3]


def test_without_a_file_the_record_is_csv_on_standard_output(samples: Path, cli: Callable[..., Result]) -> None:
    result = cli("ropa", "--lang", "fi")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "Rekisteri" and rows[0][3] == "b) Käsittelyn tarkoitus"


def test_the_same_registers_give_the_same_bytes(samples: Path, cli: Callable[..., Result]) -> None:
    for name in ("a.xlsx", "b.xlsx", "a.ods", "b.ods"):
        cli("ropa", "-o", name)
    assert (samples / "a.xlsx").read_bytes() == (samples / "b.xlsx").read_bytes()
    assert (samples / "a.ods").read_bytes() == (samples / "b.ods").read_bytes()


def test_the_record_is_not_written_into_the_published_output_folder(samples: Path, cli: Callable[..., Result]) -> None:
    result = cli("ropa", "-o", "output/record.xlsx")
    assert result.exit_code == 2
    assert "the record holds internal information; write it outside output/" in result.stderr
    assert not (samples / "output").exists()


def test_an_unknown_file_kind_is_refused(samples: Path, cli: Callable[..., Result]) -> None:
    result = cli("ropa", "-o", "record.pdf")
    assert result.exit_code == 2
    assert "name the file .xlsx, .ods or .csv" in result.stderr
    assert not (samples / "record.pdf").exists()


def test_a_historic_description_is_left_out_and_the_command_says_so(samples: Path, cli: Callable[..., Result]) -> None:
    result = cli("ropa", "--lang", "en")
    assert result.exit_code == 0
    assert "(energy-advice-visits)" not in result.stdout and "(customer-register)" in result.stdout
    assert (
        "left out of the record: energy-advice-visits: its current version 2016-09-01 is a historic register"
        " description under the Personal Data Act (523/1999)"
    ) in result.stderr
    registers = len(list((samples / "registers").glob("[!_]*.yaml")))
    result = cli("ropa", "-o", "record.csv")
    assert f"wrote record.csv: {registers - 1} registers" in result.stderr


def test_a_transfer_to_an_international_organisation_is_recorded_by_its_name(
    write: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    organisation = {
        "fi": "Maailman terveysjärjestö",
        "sv": "Världshälsoorganisationen",
        "en": "World Health Organization",
    }
    write(
        "customer.yaml",
        register_yaml(transfers=[{"organisation": organisation, "safeguard": "derogation_public_interest"}]),
    )
    result = cli("ropa", "--lang", "en")
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff")), fieldnames=COLUMNS + INTERNAL_COLUMNS))[
        1:
    ]
    assert row["transfers"].startswith("World Health Organization: ")
