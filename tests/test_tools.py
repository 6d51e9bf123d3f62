"""The team's tools: the pre-commit hook names a command that exists and passes on the samples, and
the CI and editor examples in docs/ci.md parse and call only commands seloste has."""

import json
import re
import shlex
import tomllib

import yaml
from click.testing import CliRunner
from conftest import REPO

from generator.cli import main

HOOKS = REPO / ".pre-commit-hooks.yaml"
CI_DOCS = REPO / "docs" / "ci.md"


def scripts() -> dict[str, str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]


def test_the_hook_file_parses_and_its_hook_runs_a_command_seloste_has() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["seloste-check"]
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
    program, *args = shlex.split(hook["entry"])
    assert program in scripts()
    assert args[0] in main.commands and "--strict" in args
    # The samples pass it: run the command the entry names, on the folder the hook matches.
    result = CliRunner().invoke(main, [*args, str(REPO / "registers")], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_the_hook_runs_on_registers_and_shared_files_only() -> None:
    files = re.compile(yaml.safe_load(HOOKS.read_text(encoding="utf-8"))[0]["files"])
    for name in ("registers/customer-register.yaml", "registers/_organisation.yaml", "sub/registers/x.yml"):
        assert files.search(name), name
    for name in (".gitlab-ci.yml", "registers/notes.txt", "registers/old/x.yaml", "myregisters/x.yaml"):
        assert not files.search(name), name


def test_the_ci_and_editor_examples_parse_and_call_only_commands_that_exist() -> None:
    text = CI_DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```(yaml|json)\n(.*?)```", text, re.DOTALL)
    assert {kind for kind, _ in blocks} == {"yaml", "json"}
    for kind, block in blocks:
        # An indented fragment (a hook's override) parses once its common indentation is removed.
        body = "\n".join(
            line[min(len(x) - len(x.lstrip()) for x in block.splitlines() if x.strip()) :]
            for line in block.splitlines()
        )
        yaml.safe_load(body) if kind == "yaml" else json.loads(body)
    workflows = [
        yaml.safe_load(block) for kind, block in blocks if kind == "yaml" and ("jobs:" in block or "stages:" in block)
    ]
    assert len(workflows) == 2  # GitHub Actions and GitLab CI
    code = "\n".join(block for _, block in blocks) + "\n".join(
        re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    )
    used = set(re.findall(r"\bseloste (\w+)", code))
    assert used and used <= set(main.commands), used - set(main.commands)
    assert {"check", "build", "verify"} <= used
