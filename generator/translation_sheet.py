"""The translation round trip as a spreadsheet (.xlsx), for translators who work without a CAT tool.

One row per text: the file, the text's id, where it appears, its status, the source text, the
translation (the one column to fill in) and notes. A second sheet lists the vocabulary's fixed
wording of statutory terms. The import reads the sheet back by its column headings.
"""

import io
import zipfile
from datetime import datetime

from .errors import Problem
from .translation import Term, Unit
from .xliff import LANGUAGE_NAMES, Returned, state_note

SHEET = "Translations"
GLOSSARY_SHEET = "Glossary"
FILE, ID, FIELD, STATUS = "File", "Text id", "Where", "Status"
NOTES = "Notes for the translator"
STATUS_WORDS = {
    "new": "new: not translated yet",
    "stale": "needs translation: the source changed",
    "translated": "translated",
}
# Zip members and document properties carry this date, not the clock's: the same texts give the same bytes.
STAMP = datetime(1980, 1, 1)


def headings(source: str, target: str) -> list[str]:
    return [
        FILE,
        ID,
        FIELD,
        STATUS,
        f"{LANGUAGE_NAMES[source]} ({source}): source",
        f"{LANGUAGE_NAMES[target]} ({target}): translation",
        NOTES,
    ]


def write_sheet(units: list[Unit], source: str, target: str, terms: list[Term]) -> bytes:
    """The units as an .xlsx workbook: the texts to translate, and the glossary."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headings(source, target))
    for unit in units:
        notes = [unit.context, unit.description, state_note(unit, source) or ""]
        row = [unit.file, unit.id, f"line {unit.line}: {unit.field}", STATUS_WORDS[unit.state], unit.source]
        sheet.append([*row, unit.target or "", "\n".join(n for n in notes if n)])
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"  # a text starting with '=' is a text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (22, 18, 24, 18, 60, 60, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "E2"
    glossary = book.create_sheet(GLOSSARY_SHEET)
    glossary.append(
        [f"{LANGUAGE_NAMES[source]} ({source})", f"{LANGUAGE_NAMES[target]} ({target})", "Vocabulary group"]
    )
    for term in terms:
        glossary.append([term.source, term.target, term.group])
    for letter in "ABC":
        glossary.column_dimensions[letter].width = 50
    book.properties.creator = "seloste"
    book.properties.created = book.properties.modified = STAMP
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # save_workbook stamps the clock
    return _stamped(buffer.getvalue())


def _stamped(data: bytes) -> bytes:
    """The zip archive again, every member dated STAMP instead of the moment it was written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, STAMP.timetuple()[:6])
            member.compress_type = info.compress_type
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def read_sheet(data: bytes, display: str) -> tuple[str, str, list[Returned], list[Problem]]:
    """Read a filled-in workbook: its languages (from the headings), its rows, and every problem found."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # openpyxl reads the workbook's XML through defusedxml: no entity is expanded.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = book.sheetnames
        rows = list(book[SHEET].iter_rows(values_only=True)) if SHEET in sheets else []
        book.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, SyntaxError, OSError) as e:
        return "", "", [], [Problem(display, 1, 1, "", f"not an .xlsx workbook seloste can read ({type(e).__name__})")]
    if SHEET not in sheets:
        return "", "", [], [Problem(display, 1, 1, "", f"the workbook has no sheet '{SHEET}'; export again")]
    top = [str(c) if c is not None else "" for c in (rows[0] if rows else ())]
    languages = [h.split("(")[1][:2] for h in top[4:6] if "(" in h]
    if top[:4] != [FILE, ID, FIELD, STATUS] or len(languages) != 2 or top[4:6] != headings(*languages)[4:6]:
        return "", "", [], [Problem(display, 1, 1, "", "the first row is not seloste's headings; export again")]
    source, target = languages
    returned: list[Returned] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows[1:], 2):
        cells = [c if c is None or isinstance(c, str) else str(c) for c in (*row, *[None] * 7)[:7]]
        if not any(cells):
            continue
        if not cells[0] or not cells[1] or cells[4] is None:
            problems.append(Problem(display, number, 1, "", f"row {number} names no file, text id or source text"))
            continue
        target_text = cells[5] if cells[5] else None
        returned.append(Returned(cells[0], cells[1], cells[4], target_text, f"{display}:{number}:6"))
    return source, target, returned, problems
