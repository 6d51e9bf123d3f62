"""The command line: exit codes, summaries, JSON output, the editor schema, and no tracebacks."""

import contextlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import MINIMAL, REPO, register_yaml, run_seloste

from generator.cli import main


def test_check_exits_0_when_clean_and_1_with_problems(write: Callable, cli: Callable) -> None:
    write("a.yaml", MINIMAL)
    assert cli("check").exit_code == 0
    write("b.yaml", "id: [")
    assert cli("check").exit_code == 1


def test_a_path_that_does_not_exist_is_a_usage_error(registers: Path, cli: Callable) -> None:
    result = cli("check", "nowhere")
    assert result.exit_code == 2
    assert result.output == "seloste: nowhere: no such file or folder\n"


def test_check_takes_single_files(write: Callable, cli: Callable) -> None:
    good = write("a.yaml", MINIMAL)
    write("b.yaml", "id: [")
    assert cli("check", str(good)).exit_code == 0


def test_json_output_lists_each_problem_with_its_location(write: Callable, cli: Callable) -> None:
    write("x.yaml", MINIMAL.replace("legal_basis: contract", "legal_basis: contrat"))
    result = cli("check", "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 1
    assert report["problems"] == [
        {
            "file": "registers/x.yaml",
            "line": 10,
            "column": 18,
            "field": "purposes[0].legal_basis",
            "level": "error",
            "message": "unknown term 'contrat' (did you mean 'contract'?)",
        }
    ]
    assert (report["registers"], report["errors"], report["warnings"]) == (1, 1, 0)


def test_no_input_ever_produces_a_traceback(write: Callable, registers: Path) -> None:
    write("a.yaml", b"\xff\xfe\x00garbage")
    write("b.yaml", "id: &a [*a]\n")
    write("c.yaml", "? [complex]\n: key\n")
    write("d.yaml", "purposes: {a: b}\ncontroller: 5\n")
    result = run_seloste("check", cwd=registers.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.strip() == "4 registers checked: 8 errors, 0 warnings"


def test_the_schema_lists_vocabulary_keys_for_editors(write: Callable, cli: Callable) -> None:
    write(
        "_vocabulary.yaml",
        "data_categories:\n  heating_contract: {fi: Lämpösopimus, sv: Värmeavtal, en: Heating contract}\n",
    )
    schema = json.loads(cli("schema").output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    purpose = schema["$defs"]["Purpose"]["anyOf"][2]  # a purpose term, a text, or the full mapping
    assert "contract" in purpose["properties"]["legal_basis"]["anyOf"][0]["enum"]
    category_terms = schema["$defs"]["DataCategory"]["anyOf"][0]["enum"]
    assert "personal_identity_code" in category_terms and "heating_contract" in category_terms
    # controller may come from _organisation.yaml, so the editor must not demand it in each register.
    assert set(schema["required"]) == {"id", "title", "version", "purposes"}


def test_the_organisation_schema_holds_only_shared_fields(registers: Path, cli: Callable) -> None:
    schema = json.loads(cli("schema", "--kind", "organisation").output)
    assert "controller" in schema["properties"] and "purposes" not in schema["properties"]


def test_warnings_are_printed_before_the_rendering_and_counted_at_the_end(write: Callable, cli: Callable) -> None:
    # Saying nothing of automated decisions is a warning (rule automated-decisions), not an error.
    write("warned.yaml", register_yaml(remove=("automated_decisions",)))
    result = cli("build", "--no-pdf")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    warnings = [n for n, line in enumerate(lines) if line.startswith("registers/warned.yaml:")]
    built = [n for n, line in enumerate(lines) if "] built " in line]
    assert warnings and built and max(warnings) < min(built), lines
    assert result.stdout.rstrip().endswith(f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''})")


def test_an_empty_registers_folder_is_reported_and_nothing_is_built(registers: Path, cli: Callable) -> None:
    for args in (("build",), ("build", "--no-pdf")):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            "seloste: nothing to build: no register files in registers/; add one first",
            "build failed; output/ was not changed",
        ]
    assert not (registers.parent / "output").exists()


def test_without_a_registers_folder_the_cause_comes_first(tmp_path: Path, monkeypatch: Any, cli: Callable) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "seloste: registers: no such file or folder",
        "build failed; output/ was not changed",
    ]


def test_a_day_not_written_as_yyyy_mm_dd_is_told_how_to_write_it(registers: Path, cli: Callable) -> None:
    result = CliRunner().invoke(main, ["archive", "--at", "1.6.2026", "customer-register"])
    assert result.exit_code == 2
    assert "'1.6.2026' is not a day written as YYYY-MM-DD; write 2026-06-01" in result.stderr
    result = CliRunner().invoke(main, ["archive", "--at", "June 2026", "customer-register"])
    assert "'June 2026' is not a day written as YYYY-MM-DD, such as 2026-06-01" in result.stderr


def test_the_readme_archive_example_works_on_the_samples(samples_output: Path, tmp_path: Path, cli: Callable) -> None:
    [example] = re.findall(r"^seloste (archive --at \S+ \S+)", (REPO / "README.md").read_text(), re.MULTILINE)
    shutil.copytree(samples_output.parent / "archive", tmp_path / "archive", symlinks=True)
    with contextlib.chdir(tmp_path):
        result = cli(*example.split())
    assert result.exit_code == 0, result.output
    register, day = example.split()[3], example.split()[2]
    assert result.stdout.startswith(f"{register}: version ") and f" was in force on {day}\n" in result.stdout


def test_the_library_api_builds_and_checks_as_the_readme_says(write: Callable, registers: Path) -> None:
    import generator

    write("customer.yaml", MINIMAL)
    assert generator.check([registers]).summary() == "1 register checked: no problems"
    result = generator.build([registers], registers.parent / "output", pdf=False)
    assert isinstance(result, generator.BuildResult) and result.built == 3
    assert {"build", "check", "SelosteError", "ProblemsFound", "__version__"} <= set(generator.__all__)
