"""The `seloste` command: a thin layer that parses options, calls the library and sets the exit code."""

import gc
import json
import sys
import time
from datetime import datetime
from pathlib import Path

import click

from . import __version__
from .archive import in_force
from .archive import verify as verify_archive
from .build import build as run_build
from .check import check as run_check
from .errors import ProblemsFound, SelosteError
from .law import rule_book
from .render import PageOptions, normalise_base_url
from .schema import editor_schema

DEFAULT_REGISTERS = Path("registers")
DEFAULT_OUTPUT = Path("output")


def _paths(given: tuple[Path, ...]) -> list[Path]:
    return list(given) or [DEFAULT_REGISTERS]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
def check(paths: tuple[Path, ...], strict: bool, output_format: str, output: Path) -> None:
    """Validate registers (default: registers/) and report every problem.

    Exit status: 0 when clean, 1 when registers have problems, 2 on usage errors.
    """
    try:
        report = run_check(_paths(paths), output)
    except SelosteError as e:
        _fail(e)
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
    base_url: str | None,
    heading_level: int,
) -> None:
    """Build the notices of registers (default: registers/) into output/.

    Only notices whose inputs changed are made again. Nothing is written unless every register is valid.
    """
    progress = Progress()
    try:
        options = PageOptions(base_url=base_url, heading_level=heading_level)
        result = run_build(
            _paths(paths), output, pdf=not no_pdf, jobs=jobs, force=force, progress=progress, options=options
        )
    except ProblemsFound as e:
        progress.close()
        for problem in e.problems:
            click.echo(str(problem), err=True)
        click.echo(f"build stopped: {e}; {output}/ was not changed", err=True)
        sys.exit(1)
    except SelosteError as e:
        progress.close()
        click.echo(f"build failed; {output}/ was not changed", err=True)
        _fail(e)
    progress.close()
    for problem in result.report.problems:
        click.echo(str(problem), err=True)
    for folder in sorted({name.rsplit("/", 1)[0] for name in result.archived}):
        click.echo(f"archived {folder}/")
    click.echo(
        f"built {result.built}, skipped {result.skipped}, failed 0 notices of {plural(len(result.report.registers), 'register')} "
        f"into {output}/ in {result.seconds:.1f} s ({plural(len(result.changed), 'file')} changed)"
    )


class Progress:
    """Shows a build's progress: a bar with counts and time left on a terminal, a line per notice made otherwise."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, key: str, made: bool, done: int, total: int) -> None:
        if not self.terminal:
            if made:  # a log lists what was made; the summary counts what was not
                click.echo(f"[{done}/{total}] built {key}", err=True)
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / done * (total - done) if done else 0
        filled = int(30 * done / total) if total else 30
        bar = "#" * filled + "-" * (30 - filled)
        click.echo(
            f"\r[{bar}] {done}/{total}  {key[:40]:40}  {int(left) // 60}:{int(left) % 60:02d} left", err=True, nl=False
        )
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo(err=True)
            self.shown = False


@main.command("archive")
@click.argument("register_id", metavar="ID")
@click.option("--at", "day", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The day, YYYY-MM-DD.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The output folder holding archive/.",
)
def archive_command(register_id: str, day: datetime, output: Path) -> None:
    """Tell which archived notice of register ID was in force on a day, and print its files."""
    try:
        found = in_force(output, register_id, day.date())
    except SelosteError as e:
        _fail(e)
    click.echo(f"{found.register}: version {found.version} was in force on {day.date()}")
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
    try:
        problems = verify_archive(output)
    except SelosteError as e:
        _fail(e)
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
    try:
        click.echo(json.dumps(editor_schema(folder or DEFAULT_REGISTERS, kind), ensure_ascii=False, indent=2))
    except SelosteError as e:
        _fail(e)


def _base_url(value: str | None) -> str | None:
    try:
        return None if value is None else normalise_base_url(value)
    except SelosteError as e:
        raise click.BadParameter(str(e)) from e


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _fail(error: SelosteError) -> None:
    click.echo(f"seloste: {error}", err=True)
    sys.exit(error.exit_code)
