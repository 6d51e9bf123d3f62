"""Fast builds: only what changed is made again, in parallel, with the same bytes as one by one."""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL, REPO, register_yaml

from generator.build import build


def snapshot(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def two_registers(write: Callable) -> None:
    write("a.yaml", register_yaml(id="a"))
    write("b.yaml", register_yaml(id="b"))


def test_a_rebuild_with_no_change_makes_nothing(write: Callable, registers: Path) -> None:
    two_registers(write)
    output = registers.parent / "output"
    first = build([registers], output, pdf=False)
    again = build([registers], output, pdf=False)
    assert (first.built, first.skipped) == (6, 0)
    assert (again.built, again.skipped, again.changed) == (0, 6, [])


def test_changing_one_register_remakes_only_that_register(write: Callable, registers: Path) -> None:
    two_registers(write)
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    write(
        "b.yaml",
        register_yaml(id="b", title={"fi": "Asiakasrekisteri", "sv": "Kundregistret", "en": "Customer register"}),
    )
    result = build([registers], output, pdf=False)
    assert (result.built, result.skipped) == (3, 3)
    assert {name.split("/")[1] for name in result.changed if "/" in name} == {"b"}


def test_force_remakes_everything_with_the_same_bytes(write: Callable, registers: Path) -> None:
    two_registers(write)
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    before = snapshot(output)
    result = build([registers], output, pdf=False, force=True)
    assert (result.built, result.skipped, result.changed) == (6, 0, [])
    assert snapshot(output) == before


def test_parallel_workers_give_the_same_bytes_as_one(write: Callable, registers: Path, tmp_path: Path) -> None:
    # One language each: the two PDFs are made side by side all the same (a PDF is a task of its own).
    write("a.yaml", register_yaml(id="a", add={"languages": ["fi"]}))
    write("b.yaml", register_yaml(id="b", add={"languages": ["sv"]}))
    build([registers], tmp_path / "one", jobs=1)
    build([registers], tmp_path / "two", jobs=2)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_changing_one_languages_wording_remakes_only_that_language(tmp_path: Path) -> None:
    # A copy of the tool, so its Swedish wording can be changed as a translator would.
    tool = tmp_path / "tool"
    shutil.copytree(REPO / "generator", tool / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", tool / "templates")
    # Two of the samples, with their shared files: the other samples would only be more of the same.
    (tmp_path / "registers").mkdir()
    for name in ("_organisation.yaml", "_vocabulary.yaml", "recruitment.yaml", "customer-notice.yaml"):
        shutil.copy(REPO / "registers" / name, tmp_path / "registers" / name)
    env = {**os.environ, "PYTHONPATH": str(tool)}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--no-pdf"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[-1]

    assert run().startswith("built 6, skipped 0")
    wording = tool / "templates" / "sv" / "wording.yaml"
    wording.write_text(
        wording.read_text(encoding="utf-8").replace(
            '"Dina rättigheter"', '"Dina rättigheter enligt dataskyddsförordningen"'
        ),
        encoding="utf-8",
    )
    assert run().startswith("built 2, skipped 4")
    assert "enligt dataskyddsförordningen" in (tmp_path / "output" / "sv" / "recruitment" / "index.html").read_text(
        encoding="utf-8"
    )


def test_progress_is_plain_lines_when_not_on_a_terminal(write: Callable, registers: Path) -> None:
    from conftest import run_seloste

    two_registers(write)
    first = run_seloste("build", "--no-pdf", cwd=registers.parent)
    assert first.returncode == 0
    assert sorted(line.split("] ")[1] for line in first.stderr.splitlines()) == [
        f"built {lang}/{r}" for lang in ("en", "fi", "sv") for r in ("a", "b")
    ]
    assert first.stdout.startswith("built 6, skipped 0 notices of 2 registers into output/ in ")
    assert first.stdout.rstrip().endswith("files changed, 0 warnings)")
    again = run_seloste("build", "--no-pdf", cwd=registers.parent)
    assert again.stderr == ""  # nothing made, nothing listed; the summary counts the skipped
    assert again.stdout.startswith("built 0, skipped 6 notices of 2 registers")


# A register the law warns about: the findings of an unchanged register are recalled, not lost.
# (Written as text, not with register_yaml: the test reads the warning's line in MINIMAL's layout.)
# Says nothing on automated decisions: a warning (good practice), not an error.
WARNED = MINIMAL.replace("id: customer-register", "id: warned").replace("automated_decisions: {used: false}\n", "")


def test_an_unchanged_register_is_not_checked_again_and_its_findings_are_repeated(
    write: Callable, registers: Path
) -> None:
    two_registers(write)
    write("warned.yaml", WARNED)
    output = registers.parent / "output"
    first = build([registers], output, pdf=False)
    again = build([registers], output, pdf=False)
    assert (first.report.recalled, again.report.recalled) == (0, 3)
    assert again.report.problems == first.report.problems
    assert [p.message.rsplit("[", 1)[1] for p in again.report.problems] == ["automated-decisions]"]
    assert (again.report.problems[0].file, again.report.problems[0].line) == ("registers/warned.yaml", 1)


def test_a_changed_register_or_shared_file_is_checked_again(write: Callable, registers: Path) -> None:
    two_registers(write)
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    write("b.yaml", register_yaml(id="b", retention={"fi": "Viisi vuotta", "sv": "Fem år", "en": "Six years"}))
    assert build([registers], output, pdf=False).report.recalled == 1
    write("_organisation.yaml", "dpo: {email: tietosuojavastaava@esimerkki.example}\n")
    rebuilt = build([registers], output, pdf=False)
    assert (rebuilt.report.recalled, rebuilt.built) == (0, 6)
    assert "tietosuojavastaava@esimerkki.example" in (output / "fi" / "a" / "index.html").read_text(encoding="utf-8")


def test_a_forced_build_checks_every_register_again(write: Callable, registers: Path) -> None:
    two_registers(write)
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    assert build([registers], output, pdf=False, force=True).report.recalled == 0


def test_a_damaged_record_of_the_last_build_means_checking_again(write: Callable, registers: Path) -> None:
    two_registers(write)
    output = registers.parent / "output"
    build([registers], output, pdf=False)
    record = output / ".seloste-cache.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["registers"]["registers/a.yaml"]["problems"] = [["only", "three", "items"]]
    data["registers"]["registers/b.yaml"]["title"] = ["not", "a", "mapping"]
    record.write_text(json.dumps(data), encoding="utf-8")
    again = build([registers], output, pdf=False)
    assert (again.report.recalled, again.report.problems, again.built) == (0, [], 0)
    record.write_text("{not json", encoding="utf-8")
    assert build([registers], output, pdf=False).report.recalled == 0


def test_a_register_changed_after_its_check_stops_the_build(write: Callable, registers: Path) -> None:
    from generator.check import check
    from generator.errors import SourceChanged
    from generator.workers import read_again

    two_registers(write)
    report = check([registers], registers.parent / "output")
    write("a.yaml", register_yaml(id="a", retention={"fi": "Viisi vuotta", "sv": "Fem år", "en": "Six years"}))
    with pytest.raises(
        SourceChanged, match="registers/a.yaml or its shared files changed while the build ran; build again"
    ):
        read_again(report, report.registers[0])
    assert read_again(report, report.registers[1]).register.id == "b"
