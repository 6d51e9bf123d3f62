"""The record of processing activities (GDPR Art. 30(1)) for every register, as XLSX, ODS or CSV.

One row per register and purpose, with the columns (a)-(g) of Art. 30(1) and then the
register's `internal:` block (owner, systems, processors by name, security measures in
detail, DPIA and legitimate interests assessment), which no notice shows. The headings are in
the language asked for (templates/<lang>/record.yaml); a register not published in that
language is written in its first language. The file is the same bytes for the same registers:
the spreadsheet's dates are the latest version date of the registers, never the clock.

The record covers processing under the GDPR as it is now, so it holds a register whose current
version is dated on or after 25 May 2018. A register whose current version is a historic
register description (dated before that day, under the Personal Data Act 523/1999) describes
processing as it stood then and is left out (`historic`), and the command says so; processing
that goes on needs a current, GDPR-era version, which then enters the record.
"""

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ToolError, UsageError
from .facts import law_on
from .load import load_file
from .model import Contact, Internal, Register
from .validate import ValidRegister
from .vocabulary import TEMPLATES_DIR
from .wording import Language, languages

COLUMNS = (
    "register",
    "version",
    "controller",
    "purpose",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security",
)
INTERNAL_COLUMNS = ("owner", "systems", "processors", "security_measures", "dpia", "legitimate_interests_assessment")
FORMATS = (".xlsx", ".ods", ".csv")


@lru_cache(maxsize=3)
def record_words(lang: str) -> dict[str, Any]:
    """templates/<lang>/record.yaml: the record's title, column headings and labels."""
    path = TEMPLATES_DIR / lang / "record.yaml"
    loaded = load_file(path)
    if loaded.problems or not isinstance(loaded.data, dict):
        raise ToolError(f"the shipped file {path} is broken: " + "; ".join(map(str, loaded.problems)))
    missing = set(COLUMNS + INTERNAL_COLUMNS) - set(loaded.data.get("columns") or {})
    if missing:
        raise ToolError(f"{path} has no heading for {', '.join(sorted(missing))}")
    return loaded.data


@dataclass(frozen=True)
class Record:
    """The record as a table: its title, headings and rows of text, and the date it is as of."""

    title: str
    headings: list[str]
    rows: list[list[str]]
    as_of: date


def historic(entries: list[ValidRegister]) -> list[ValidRegister]:
    """The registers whose current version predates the GDPR: historic descriptions the record leaves out."""
    return [e for e in entries if law_on(e.register.version) == "hetil"]


def record(entries: list[ValidRegister], lang: str) -> Record:
    """The Art. 30(1) record of `entries`, headed in `lang`: a row for every purpose of every register
    under the GDPR (a historic register description is left out: see `historic`)."""
    left_out = historic(entries)
    entries = [e for e in entries if e not in left_out]
    words = record_words(lang)
    headings = [words["columns"][c] for c in COLUMNS + INTERNAL_COLUMNS]
    rows = []
    for entry in sorted(entries, key=lambda e: e.register.id):
        register = entry.register
        language = languages(entry.vocabulary)[lang if lang in register.languages else register.languages[0]]
        labels = record_words(language.code)["labels"]
        shared = _register_cells(register, language, labels)
        for purpose in register.purposes:
            cells = {**shared, "purpose": _purpose(purpose, language), "legal_basis": _bases(purpose, language)}
            rows.append([cells[c] for c in COLUMNS] + _internal(register.internal, labels))
    as_of = max((e.register.version for e in entries), default=date(1980, 1, 1))
    return Record(words["title"], headings, rows, as_of)


def _register_cells(register: Register, lang: Language, labels: dict[str, str]) -> dict[str, str]:
    """The cells every row of a register shares."""
    recipients = [lang.item(e) for e in register.recipients or []]
    if register.processors:
        recipients.append(f"{labels['processors']}: {lang.items(register.processors)}")
    security = register.security
    return {
        "register": f"{lang.text(register.title)} ({register.id})",
        "version": register.version.isoformat(),
        "controller": _controller(register, lang, labels),
        "data_subjects": _lines(lang.item(e) for e in register.data_subjects),
        "data_categories": _lines(lang.item(e) for e in register.data_categories),
        "recipients": _lines(recipients),
        "transfers": _transfers(register, lang, labels),
        "retention": lang.text(register.retention) if register.retention else "",
        "security": _lines(
            lang.text(t) for t in (security.general, security.manual, security.electronic) if t is not None
        )
        if security
        else "",
    }


def _contact(contact: Contact, lang: Language) -> list[str]:
    """A contact's name, role, address (on one line), phone, e-mail and web address, as the register gives them."""
    parts = [lang.text(v) for v in (contact.name, contact.role) if v is not None]
    if contact.address is not None:
        parts.append(", ".join(line.strip() for line in lang.text(contact.address).splitlines() if line.strip()))
    return parts + [v for v in (contact.phone, contact.email, contact.web) if v]


def _controller(register: Register, lang: Language, labels: dict[str, str]) -> str:
    """(a): the controller, its EU representative and the DPO, each with the contact details the register gives."""
    lines = _contact(register.controller, lang)
    if register.controller.business_id:
        lines.insert(1, f"{labels['business_id']} {register.controller.business_id}")
    for key, contact in (("representative", register.representative), ("dpo", register.dpo)):
        if contact is not None:
            lines.append(f"{labels[key]}: " + ", ".join(_contact(contact, lang)))
    return _lines(lines)


def _purpose(purpose: Any, lang: Language) -> str:
    return lang.item(purpose) + (f"\n{lang.text(purpose.details)}" if purpose.details else "")


def _bases(purpose: Any, lang: Language) -> str:
    terms = [t for t in (purpose.legal_basis, purpose.special_category_condition) if t is not None]
    return _lines(f"{lang.term(t)} ({lang.article(t).unescape()})" for t in terms)


def _transfers(register: Register, lang: Language, labels: dict[str, str]) -> str:
    """(e): each transfer's country (or international organisation), recipient and safeguard; an empty list
    says there are none."""
    if register.transfers is None:
        return ""
    if not register.transfers:
        return labels["no_transfers"]
    return _lines(
        (lang.country(t.country) if t.country else lang.text(t.organisation) if t.organisation else "")
        + (f", {lang.text(t.recipient)}" if t.recipient else "")
        + f": {lang.term(t.safeguard)} ({lang.article(t.safeguard).unescape()})"
        for t in register.transfers
    )


def _internal(internal: Internal | None, labels: dict[str, str]) -> list[str]:
    """The internal columns: what the record holds and no notice shows."""
    if internal is None:
        return [""] * len(INTERNAL_COLUMNS)
    processors = [
        ", ".join(
            [p.name]
            + [v for v in (p.service, p.country) if v]
            + ([f"{labels['agreement']}: {p.agreement}"] if p.agreement else [])
        )
        for p in internal.processors
    ]
    return [
        internal.owner or "",
        _lines(internal.systems),
        _lines(processors),
        (internal.security_measures or "").strip(),
        internal.dpia or "",
        internal.legitimate_interests_assessment or "",
    ]


def _lines(items: Any) -> str:
    return "\n".join(str(item).strip() for item in items)


# -- writing ---------------------------------------------------------------------------------------


def write_record(table: Record, suffix: str) -> bytes:
    """The record as the bytes of a file of kind `suffix`: .xlsx, .ods or .csv."""
    writers: dict[str, Callable[[Record], bytes]] = {".xlsx": _xlsx, ".ods": _ods, ".csv": _csv}
    if suffix not in writers:
        raise UsageError(f"cannot write a record as '{suffix}'; name the file .xlsx, .ods or .csv")
    return writers[suffix](table)


def _csv(table: Record) -> bytes:
    # With a byte order mark, spreadsheet programs read the file as UTF-8 (ä, ö, å) without asking.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headings)
    writer.writerows(table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(table: Record) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "Art. 30"
    sheet.append(table.headings)
    for row in table.rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 40
    sheet.freeze_panes = "B2"
    moment = datetime.combine(table.as_of, time(0, 0))
    book.properties.title = table.title
    book.properties.creator = "seloste"
    book.properties.created = book.properties.modified = moment
    buffer = io.BytesIO()
    # ExcelWriter, not save_workbook: that stamps the file with the clock.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _stamped(buffer.getvalue(), table.as_of)


def _ods(table: Record) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Art. 30")
    for row in [table.headings, *table.rows]:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            for line in value.split("\n"):
                cell.addElement(P(text=line))
            table_row.addElement(cell)
        sheet.addElement(table_row)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return _stamped(buffer.getvalue(), table.as_of)


def _stamped(data: bytes, day: date) -> bytes:
    """The zip archive again, every member dated `day`: the writers date them by the clock."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():  # in order: an ODS file's uncompressed mimetype stays first
            member = zipfile.ZipInfo(info.filename, stamp)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def record_file(entries: list[ValidRegister], lang: str, path: Path, output: Path) -> bytes:
    """The record of `entries` as the file `path` names by its extension. It holds the internal
    blocks, so it may not be written into the published output folder `output`."""
    if path.resolve().is_relative_to(output.resolve()):
        raise UsageError(f"the record holds internal information; write it outside {output}/, which is published")
    return write_record(record(entries, lang), path.suffix.lower())
