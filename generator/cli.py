"""The `seloste` command: a thin layer that parses options, calls the library and sets the exit code."""

import gc
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from .archive import in_force
from .archive import verify as verify_archive
from .build import build as run_build
from .check import Report
from .check import check as run_check
from .errors import ProblemsFound, SelosteError
from .law import rule_book
from .render import PageOptions, normalise_base_url
from .ropa import historic, record_file
from .schema import editor_schema
from .tilt import checked_registers, find_register, tilt_json
from .version import __version__

DEFAULT_REGISTERS = Path("registers")
DEFAULT_OUTPUT = Path("output")


def _paths(given: tuple[Path, ...]) -> list[Path]:
    return list(given) or [DEFAULT_REGISTERS]


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
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The output folder whose archive holds earlier versions (for the translation check).",
)
@click.option(
    "--allow-future-version",
    "allow_future",
    is_flag=True,
    help="Accept version dates more than a year ahead (a notice scheduled that far); otherwise they are errors.",
)
def check(paths: tuple[Path, ...], strict: bool, output_format: str, output: Path, allow_future: bool) -> None:
    """Validate registers (default: registers/) and report every problem.

    Exit status: 0 when clean, 1 when registers have problems, 2 on usage errors.
    """
    report = run_check(_paths(paths), output, allow_future=allow_future)
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
    help="The output folder.",
)
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
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The output folder holding archive/.",
)
def archive_command(register_id: str, day: date, output: Path) -> None:
    """Tell which archived notice of register ID was in force on a day, and print its files."""
    found = in_force(output, register_id, day)
    click.echo(f"{found.register}: version {found.version} was in force on {day}")
    for path in found.files:
        click.echo(str(path))


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The output folder holding archive/.",
)
def verify(output: Path) -> None:
    """Recompute every archived checksum; report files changed, removed or added by hand (exit 1)."""
    problems = verify_archive(output)
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"archive verified: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    sys.exit(1 if problems else 0)


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
