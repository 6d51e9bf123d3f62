"""The command line: exit codes, summaries, JSON output, the editor schema, and no tracebacks."""

import json
from collections.abc import Callable
from pathlib import Path

from conftest import MINIMAL, run_seloste


def test_check_exits_0_when_clean_and_1_with_problems(write: Callable, cli: Callable) -> None:
    write("a.yaml", MINIMAL)
    assert cli("check").exit_code == 0
    write("b.yaml", "id: [")
    assert cli("check").exit_code == 1


def test_a_path_that_does_not_exist_is_a_usage_error(registers: Path, cli: Callable) -> None:
    result = CliRunnerResult = cli("check", "nowhere")
    assert CliRunnerResult.exit_code == 2
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
