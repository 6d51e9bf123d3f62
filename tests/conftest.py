"""Shared fixtures: real register files written into a temporary folder, and the real CLI."""

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.build import build
from generator.cli import main

REPO = Path(__file__).resolve().parent.parent

# A complete, valid register that meets every rule of `seloste check`, small enough to read at
# a glance. Tests that need a broken register start from it and change one thing, so each
# failure has exactly one cause. Its first eleven lines are what validation tests point into.
MINIMAL = """\
id: customer-register
version: 2025-03-01
title: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}
controller:
  name: {fi: Esimerkki Oy, sv: Exempel Ab, en: Esimerkki Ltd}
  business_id: 2104986-6
  email: tietosuoja@esimerkki.example
purposes:
  - term: customer_relationship
    legal_basis: contract
data_categories: [name, contact_details]
sources: [data_subject]
transfers: none
retention: {fi: Viisi vuotta, sv: Fem år, en: Five years}
exercise_rights: {fi: Ota yhteyttä asiakaspalveluun., sv: Kontakta kundtjänsten., en: Contact customer service.}
requirement: {kind: contractual, consequences: {fi: Sopimusta ei voi tehdä., sv: Avtal kan inte ingås., en: No contract can be made.}}
automated_decisions: {used: false}
recipients: []
"""  # noqa: E501 - a register as users write it


# MINIMAL as data, for the variants made by `register(...)`.
MINIMAL_DATA: dict[str, Any] = yaml.safe_load(MINIMAL)


def register_yaml(*, add: dict[str, Any] | None = None, remove: tuple[str, ...] = (), **changes: Any) -> str:
    """MINIMAL with some top-level keys changed (`changes`), added (`add`) or removed (`remove`), as YAML.

    Each change names a key MINIMAL has and each addition one it lacks, so a variant cannot
    silently stay the same register: a misspelt key fails here, loudly.
    """
    data = dict(MINIMAL_DATA)
    for key in [*changes, *remove]:
        if key not in data:
            raise KeyError(f"MINIMAL has no key {key!r} to change or remove")
    for key in add or {}:
        if key in data:
            raise KeyError(f"MINIMAL already has {key!r}; change it instead of adding it")
    data.update(changes)
    data.update(add or {})
    for key in remove:
        del data[key]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output, to review as a diff.",
    )


@pytest.fixture
def registers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty registers/ folder inside a working directory of its own."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "registers"
    folder.mkdir()
    return folder


@pytest.fixture
def write(registers: Path) -> Callable[..., Path]:
    """Write a register file (text, dedented) into registers/ and return its path."""

    def write(name: str, text: str | bytes) -> Path:
        path = registers / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the `seloste` command in-process, as a user would type it."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def problems(result: Result) -> list[str]:
    """The problem lines `seloste check` printed (everything but the summary)."""
    return [line for line in result.output.splitlines() if line.startswith("registers/")]


def run_seloste(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `seloste` entry point in a real subprocess."""
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (a file made for it), across the test processes."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """A folder `make` fills once per test run, shared by every test process (pytest-xdist worker).

    The first process to get here makes it under a lock; the others wait for it and reuse it, so a
    costly build (the samples with their PDFs) is made once, not once per worker. The folder is only
    read afterwards: a test that changes it works on a copy.
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the workers' common folder
    folder = root / f"shared-{name}"
    with _locked(root / f"shared-{name}.lock"):
        if not (root / f"shared-{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"shared-{name}.done").touch()
    return folder


@pytest.fixture(scope="session")
def samples_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample registers built once (pages, fragments, PDFs) for tests that only read it, with
    a copy of the shipped archive (archive/, beside output/): the repository's own is never written.

    A test that changes the output works on a copy: see `samples_copy`."""

    def make(site: Path) -> None:
        shutil.copytree(REPO / "archive", site / "archive")
        build([REPO / "registers"], site / "output", archive=site / "archive")

    site = shared_once(tmp_path_factory, "samples", make)
    return site / "output"


@pytest.fixture
def samples_copy(samples_output: Path, tmp_path: Path) -> Path:
    """A private copy of the samples' output and archive, for a test that adds to them or changes them."""
    copy = tmp_path / "output"
    shutil.copytree(samples_output, copy, symlinks=True)
    shutil.copytree(samples_output.parent / "archive", tmp_path / "archive", symlinks=True)
    return copy
