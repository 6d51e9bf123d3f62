"""The `seloste` command: a thin layer that parses options, calls the library and sets the exit code."""

import gc
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from .archive import in_force
from .archive import manifests as archived_manifests
from .archive import verify as verify_archive
from .build import build as run_build
from .changes import CURRENT
from .changes import as_json as changes_json
from .changes import as_text as changes_text
from .changes import report as change_report
from .check import Report
from .check import check as run_check
from .errors import ProblemsFound, SelosteError
from .law import rule_book
from .rebuild import rebuild as rebuild_archive
from .render import PageOptions, normalise_base_url
from .ropa import historic, record_file
from .roundtrip import FORMATS, export_translation, import_translations
from .scaffold import gaps_in, interview, languages_of, new_register, scaffold_types, write_new
from .schema import editor_schema
from .style import style_problems
from .tilt import checked_registers, find_register, tilt_json
from .version import __version__

DEFAULT_REGISTERS = Path("registers")
DEFAULT_OUTPUT = Path("output")
DEFAULT_ARCHIVE = Path("archive")  # beside registers/, kept in version control with them


def archive_option(help_text: str, beside: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --archive option every command that reads or adds to the archive takes. Where the command
    is given register folders (`beside`), the default is the archive beside the first of them."""
    return click.option(
        "--archive",
        "archive_folder",
        type=click.Path(path_type=Path),
        default=None if beside else DEFAULT_ARCHIVE,
        show_default="archive/ beside the registers folder" if beside else True,
        help=help_text,
    )


def _paths(given: tuple[Path, ...]) -> list[Path]:
    return list(given) or [DEFAULT_REGISTERS]


def _archive(given: Path | None, paths: list[Path]) -> Path:
    """The archive folder: the one given, else archive/ beside the registers folder (its parent's
    archive/), so that a folder of registers elsewhere is never checked against this one's archive."""
    if given is not None:
        return given
    folder = paths[0] if paths[0].is_dir() or not paths[0].suffix else paths[0].parent
    return folder.parent / DEFAULT_ARCHIVE


class Seloste(click.Group):
    """The command group, with the one place where seloste's own errors become a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SelosteError as error:
            _fail(error, ctx.meta.get(AFTER_FAILURE))


# A command may leave here what to say after its error: a build says output/ was not changed.
AFTER_FAILURE = "seloste.after_failure"


@click.group(cls=Seloste, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="seloste")
def main() -> None:
    """Turn YAML descriptions of personal-data registers into privacy notices."""
    # A run is a short batch over many small objects with few cycles: the default collector
    # thresholds make it spend a third of a 500-register rebuild collecting, so collect rarely.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="How to print the report."
)
@archive_option("The archive folder holding the published versions (for the version and translation checks).")
@click.option(
    "--allow-future-version",
    "allow_future",
    is_flag=True,
    help="Accept version dates more than a year ahead (a notice scheduled that far); otherwise they are errors.",
)
@click.option(
    "--style",
    is_flag=True,
    help="Warn on poor plain-language practice too (WP260): hedges, very long sentences, passive chains.",
)
def check(
    paths: tuple[Path, ...],
    strict: bool,
    output_format: str,
    archive_folder: Path | None,
    allow_future: bool,
    style: bool,
) -> None:
    """Validate registers (default: registers/) and report every problem.

    Exit status: 0 when clean, 1 when registers have problems, 2 on usage errors.
    """
    report = run_check(_paths(paths), _archive(archive_folder, _paths(paths)), allow_future=allow_future)
    if style:
        report.problems = sorted(set(report.problems) | set(style_problems(_paths(paths))))
    if output_format == "json":
        click.echo(report.as_json())
    else:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        click.echo(report.summary())
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The output folder: the site, made again from the registers and the archive.",
)
@archive_option("The archive folder: new versions are added to it, and every version in it is published.")
@click.option("--no-pdf", is_flag=True, help="Build the HTML only: no PDFs, the archive left as it is.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: the number of cores)."
)
@click.option("--force", is_flag=True, help="Make every notice again, even those whose inputs did not change.")
@click.option(
    "--allow-future-version",
    "allow_future",
    is_flag=True,
    help="Accept version dates more than a year ahead (a notice scheduled that far); otherwise they are errors.",
)
@click.option(
    "--base-url",
    metavar="URL",
    callback=lambda _ctx, _param, value: _base_url(value),
    help="The address output/ is published at, e.g. https://example.fi/tietosuoja/ (absolute canonical links).",
)
@click.option(
    "--heading-level",
    type=click.IntRange(2, 3),
    default=2,
    show_default=True,
    help="The heading level of a fragment's title: 2 under the host page's h1, 3 under an h2.",
)
def build(
    paths: tuple[Path, ...],
    output: Path,
    archive_folder: Path | None,
    no_pdf: bool,
    jobs: int | None,
    force: bool,
    allow_future: bool,
    base_url: str | None,
    heading_level: int,
) -> None:
    """Build the notices of registers (default: registers/) into output/.

    Only notices whose inputs changed are made again. Nothing is written unless every register is valid.
    """
    click.get_current_context().meta[AFTER_FAILURE] = f"build failed; {output}/ was not changed"
    warnings: list[int] = []

    def checked(report: Report) -> None:  # the warnings are shown as found, before the rendering
        for problem in report.problems:
            click.echo(str(problem), err=True)
        warnings.append(len(report.problems))

    with Progress() as progress:
        try:
            result = run_build(
                _paths(paths),
                output,
                archive=_archive(archive_folder, _paths(paths)),
                pdf=not no_pdf,
                jobs=jobs,
                force=force,
                progress=progress,
                checked=checked,
                allow_future=allow_future,
                options=PageOptions(base_url=base_url, heading_level=heading_level),
            )
        except ProblemsFound as e:
            progress.close()
            for problem in e.problems:
                click.echo(str(problem), err=True)
            click.echo(f"build stopped: {e}; {output}/ was not changed", err=True)
            sys.exit(1)
    for folder in sorted({name.rsplit("/", 1)[0] for name in result.archived}):
        click.echo(f"archived {folder}/")
    click.echo(
        f"built {result.built}, skipped {result.skipped} notices of {plural(len(result.report.registers), 'register')} "
        f"into {output}/ in {result.seconds:.1f} s ({plural(len(result.changed), 'file')} changed, "
        f"{plural(sum(warnings), 'warning')})"
    )


class Progress:
    """Shows a build's progress: click's bar on a terminal, a plain line per notice made otherwise (a log)."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.bar: Any = None  # click's progress bar, made once the number of notices is known

    def __call__(self, key: str, made: bool, done: int, total: int) -> None:
        if not self.terminal:
            if made:  # a log lists what was made; the summary counts what was not
                click.echo(f"[{done}/{total}] built {key}", err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="building", file=sys.stderr, show_eta=True, item_show_func=lambda item: item
            ).__enter__()
        self.bar.update(1, key)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@main.command("archive")
@click.argument("register_id", metavar="ID")
@click.option("--at", "day", required=True, callback=lambda ctx, param, value: _day(value), help="The day, YYYY-MM-DD.")
@archive_option("The archive folder.", beside=False)
def archive_command(register_id: str, day: date, archive_folder: Path) -> None:
    """Tell which archived notice of register ID was in force on a day, who approved it, and print its files."""
    found = in_force(archive_folder, register_id, day)
    click.echo(f"{found.register}: version {found.version} was in force on {day}")
    click.echo(approval_line(found.approval))
    for path in found.files:
        click.echo(str(path))


@main.command()
@archive_option("The archive folder.", beside=False)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The output folder: every version it publishes must still be in the archive.",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Also make every archived PDF again from the source the archive holds, and compare the bytes.",
)
def verify(archive_folder: Path, output: Path, rebuild: bool) -> None:
    """Recompute every archived checksum; report files changed, removed or added by hand (exit 1).

    With --rebuild, also re-render every archived version and report it reproduced, or what differs (exit 1).
    """
    problems = verify_archive(archive_folder, output)
    for problem in problems:
        click.echo(problem, err=True)
    versions = {} if problems else archived_manifests(archive_folder)
    for relative, raw in versions.items():
        click.echo(f"{archive_folder / relative.rsplit('/', 1)[0]}: {approval_line(json.loads(raw).get('approval'))}")
    click.echo(f"archive verified: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    if rebuild and not problems:
        made = rebuild_archive(archive_folder)
        for one in made:
            click.echo(f"{one.folder}: {one.said}", err=not one.reproduced)
        reproduced = sum(one.reproduced for one in made)
        click.echo(f"archive rebuilt: {reproduced} of {plural(len(made), 'version')} reproduced")
        problems += [one.said for one in made if not one.reproduced]
    sys.exit(1 if problems else 0)


def approval_line(approval: Any) -> str:
    """Who approved a version, as `verify` and `archive --at` show it."""
    if not isinstance(approval, dict):
        return "approval: none recorded"
    reference = f" ({approval['reference']})" if approval.get("reference") else ""
    return f"approved by {approval.get('by')} on {approval.get('date')}{reference}"


@main.command("diff")
@click.argument("register_id", metavar="ID")
@click.argument("versions", nargs=-1, metavar="[FROM [TO]]")
@click.option(
    "--registers",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The register folder, for comparing the current version (default: registers/).",
)
@archive_option("The archive folder holding the published versions.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(
    register_id: str,
    versions: tuple[str, ...],
    paths: tuple[Path, ...],
    archive_folder: Path | None,
    output_format: str,
) -> None:
    """Compare two versions of register ID field by field and classify each change (docs/changes.md).

    FROM and TO are version dates or `current` (the register file as it stands). Without them: the
    last two archived versions; with `current` alone: the register file against the last archived version.
    """
    if len(versions) > 2:
        raise click.UsageError("give at most two versions: FROM and TO")
    current = None
    if CURRENT in versions:
        try:
            current = find_register(_paths(paths), register_id)
        except ProblemsFound as e:
            _report_problems(e)
    found = change_report(_archive(archive_folder, _paths(paths)), register_id, current, *versions)
    click.echo(changes_json(found) if output_format == "json" else changes_text(found), nl=False)


@main.command()
def rules() -> None:
    """Print every rule `seloste check` applies, with its article (the text of docs/checks.md)."""
    click.echo(rule_book(), nl=False)


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["register", "organisation"]),
    default="register",
    help="register: a register file; organisation: registers/_organisation.yaml.",
)
def schema(folder: Path | None, kind: str) -> None:
    """Print the register format as JSON Schema, for editors.

    Given a register folder (default: registers/ when it exists), the organisation's own
    vocabulary terms are included in the completions.
    """
    click.echo(json.dumps(editor_schema(folder or DEFAULT_REGISTERS, kind), ensure_ascii=False, indent=2))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port (0: any free one)."
)
@archive_option("The archive folder holding the published versions (read only; the preview is built elsewhere).")
@click.option("--style", is_flag=True, help="Show the plain-language warnings of check --style too.")
def serve(paths: tuple[Path, ...], port: int, archive_folder: Path | None, style: bool) -> None:
    """Preview registers (default: registers/) at http://127.0.0.1:PORT/, built again on every save.

    Each page shows the register's findings at the top and reloads itself after a save;
    /fi/ID/notice.pdf makes the PDF on request. Nothing is written to output/.
    """
    from .serve import serve as run_serve  # the server and the file watcher are loaded only here

    run_serve(
        _paths(paths),
        _archive(archive_folder, _paths(paths)),
        port,
        announce=click.echo,
        log=lambda line: click.echo(line, err=True),
        style=style,
    )


@main.command("new")
@click.argument("register_id", metavar="ID")
@click.option(
    "--type", "kind", required=True, metavar="TYPE", help=f"The kind of register: {', '.join(scaffold_types())}."
)
@click.option(
    "--folder",
    type=click.Path(path_type=Path),
    default=DEFAULT_REGISTERS,
    show_default=True,
    help="The register folder to write into.",
)
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask for the facts the scaffold leaves open, in the organisation's language.",
)
def new(register_id: str, kind: str, folder: Path, interactive: bool) -> None:
    """Write a new register ID of a typical kind, with gaps for the facts only you know (docs/scaffolds.md).

    Each gap is a value written !fill "..."; `seloste check` reports every gap until it is filled.
    """
    path, text = new_register(folder, register_id, kind)
    if interactive:
        text = interview(
            text, languages_of(path, text), lambda q: str(click.prompt(q, default="", show_default=False)), click.echo
        )
    write_new(path, text)
    left = len(gaps_in(text))
    click.echo(
        f"wrote {path}: " + (f"{plural(left, 'gap')} to fill in (seloste check lists them)" if left else "no gaps")
    )


# -- the machine-readable twin and the record of processing (docs/machine-readable.md, docs/record-of-processing.md)


@main.group()
def export() -> None:
    """Export a notice in a machine-readable format."""


@export.command("tilt")
@click.argument("register_id", metavar="ID")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), help="The language (default: the register's first).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="The file to write (default: standard output).")
def export_tilt(register_id: str, paths: tuple[Path, ...], lang: str | None, output: Path | None) -> None:
    """Write register ID's notice as a TILT document (Transparency Information Language, JSON)."""
    try:
        entry = find_register(_paths(paths), register_id)
        text = tilt_json(entry, lang or entry.register.languages[0])
    except ProblemsFound as e:
        _report_problems(e)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True, help="The headings' language."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="An .xlsx, .ods or .csv file (default: CSV on standard output).",
)
def ropa(paths: tuple[Path, ...], lang: str, output: Path | None) -> None:
    """Write the record of processing activities (GDPR Article 30(1)) of registers (default: registers/).

    One row per register and purpose, with the internal block of each register: keep the file internal.
    """
    try:
        entries = checked_registers(_paths(paths))
        data = record_file(entries, lang, output or Path("record.csv"), DEFAULT_OUTPUT)
    except ProblemsFound as e:
        _report_problems(e)
    for entry in historic(entries):
        click.echo(
            f"left out of the record: {entry.register.id}: its current version {entry.register.version.isoformat()}"
            " is a historic register description under the Personal Data Act (523/1999), not processing under"
            " the GDPR; publish a current version to record it",
            err=True,
        )
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output}: {plural(len(entries) - len(historic(entries)), 'register')}", err=True)


# -- the translation round trip (docs/translation.md)


@main.group()
def translate() -> None:
    """Send the texts to translators and take their translations back (XLIFF 2.0 or .xlsx)."""


@translate.command("export")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, type=click.Choice(["fi", "sv", "en"]), help="The target language.")
@click.option("--only-stale", is_flag=True, help="Only the texts that are new or whose source changed.")
@click.option("--format", "kind", type=click.Choice(FORMATS), help="xliff (default) or xlsx; else from -o's suffix.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="The file to write (default: standard output).")
@click.option(
    "--from-output",
    "output_folder",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The build's output folder, whose archive tells what was published (when there is no archive/ beside the "
    "registers).",
)
def translate_export(
    folder: Path | None, target: str, only_stale: bool, kind: str | None, output: Path | None, output_folder: Path
) -> None:
    """Write the texts of FOLDER (default: registers/) for translation into another language."""
    chosen = kind or ("xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "xliff")
    if chosen == "xlsx" and output is None:
        raise click.UsageError("an .xlsx workbook is not written to standard output; name the file with -o")
    try:
        data = export_translation(
            folder or DEFAULT_REGISTERS, output_folder, target, only_stale=only_stale, kind=chosen
        )
    except ProblemsFound as e:
        _report_problems(e)
    if data is None:
        click.echo(f"no text needs translating into '{target}'; no file written", err=True)
    elif output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)


@translate.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option(
    "--from-output",
    "output_folder",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The build's output folder (its archive is read as by export).",
)
def translate_import(file: Path, folder: Path | None, output_folder: Path) -> None:
    """Write the translations of FILE (.xlf or .xlsx) into the files of FOLDER (default: registers/)."""
    try:
        result = import_translations(file, folder or DEFAULT_REGISTERS, output_folder)
    except ProblemsFound as e:
        _report_problems(e)
    for problem in result.skipped:
        click.echo(str(problem), err=True)
    for name, count in sorted(result.written.items()):
        click.echo(f"{name}: {plural(count, 'translation')} written", err=True)
    written = sum(result.written.values())
    click.echo(
        f"imported {plural(written, 'translation')} into {plural(len(result.written), 'file')}; "
        f"{result.unchanged} unchanged, {len(result.skipped)} skipped"
        + ("; run `seloste check` to check them" if written else ""),
        err=True,
    )


def _report_problems(error: ProblemsFound) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"seloste: {error}", err=True)
    sys.exit(1)


def _base_url(value: str | None) -> str | None:
    try:
        return None if value is None else normalise_base_url(value)
    except SelosteError as e:
        raise click.BadParameter(str(e)) from e


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _day(value: str) -> date:
    """A day as the ISO form YYYY-MM-DD; any other form is refused with what to write."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    # The Finnish way of writing a day (1.6.2026): name the ISO form of that very day.
    finnish = re.fullmatch(r"\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*", value)
    if finnish:
        day, month, year = (int(part) for part in finnish.groups())
        try:
            iso = date(year, month, day).isoformat()
        except ValueError:
            raise click.BadParameter(f"'{value}' is not a day in the calendar") from None
        raise click.BadParameter(f"'{value}' is not a day written as YYYY-MM-DD; write {iso}")
    raise click.BadParameter(f"'{value}' is not a day written as YYYY-MM-DD, such as 2026-06-01")


def _fail(error: SelosteError, after: str | None = None) -> NoReturn:
    """Print the error (first: its cause), then what the command adds, and exit with the error's code."""
    click.echo(f"seloste: {error}", err=True)
    if after:
        click.echo(after, err=True)
    sys.exit(error.exit_code)
