"""Shared fixtures: real register files written into a temporary folder, and the real CLI."""

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

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
transfers: []
retention: {fi: Viisi vuotta, sv: Fem år, en: Five years}
exercise_rights: {fi: Ota yhteyttä asiakaspalveluun., sv: Kontakta kundtjänsten., en: Contact customer service.}
requirement: {kind: contractual, consequences: {fi: Sopimusta ei voi tehdä., sv: Avtal kan inte ingås., en: No contract can be made.}}
automated_decisions: {used: false}
recipients: []
"""


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
