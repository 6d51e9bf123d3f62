"""The documentation kept true by tests: the messages docs/format.md quotes are the tool's own, every
model field is documented, and docs/archive.md's recipe reproduces an archived checksum.

(docs/checks.md is generated and compared in test_law.py.)"""

import ast
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from pydantic import BaseModel

from generator import model, values

DOCS = REPO / "docs"


def quoted_values_as_one(text: str) -> str:
    """A message with every quoted value ('contrat', 'en') written the same, so only the wording counts."""
    return re.sub(r"'[^'\n]*'", "'…'", text)


def messages_the_tests_expect() -> list[str]:
    """Every string in the tests and the hostile corpus's expected lines: the messages the code is
    shown to print, each ending a line as it ends a message."""
    found = []
    for path in (REPO / "tests" / "hostile").glob("*.expected"):
        found += path.read_text(encoding="utf-8").splitlines()
    for path in (REPO / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return [quoted_values_as_one(line) for text in found for line in text.splitlines()]


def test_every_message_docs_format_quotes_is_one_the_tool_prints() -> None:
    doc = (DOCS / "format.md").read_text(encoding="utf-8")
    start = doc.index("| Message | Meaning |")
    quoted = re.findall(r"^\| `(.+?)` \|", doc[start : doc.index("\n\n", start)], re.MULTILINE)
    assert len(quoted) > 20
    printed = messages_the_tests_expect()
    unknown = []
    for message in map(quoted_values_as_one, quoted):
        if "..." in message.replace("{fi: ..., sv: ..., en: ...}", "").replace("(term: ...)", ""):
            head = message.split("...")[0]  # `invalid YAML: ...`: the rest is the parser's
            known = any(head in line for line in printed)
        else:
            known = any(line.endswith(message) for line in printed)
        if not known:
            unknown.append(message)
    assert unknown == [], "docs/format.md quotes messages no test shows the tool printing"


def model_fields() -> dict[str, dict[str, str]]:
    """Every field of every model of the register format, with its description, by model."""
    found: dict[str, dict[str, str]] = {}
    for module in (model, values):
        for name, item in vars(module).items():
            if isinstance(item, type) and issubclass(item, BaseModel) and item.__module__ == module.__name__:
                found[name] = {field: info.description or "" for field, info in item.model_fields.items()}
    del found["Term"]  # what a vocabulary key becomes once read, not something a register writes
    return found


def test_every_field_of_the_register_format_is_documented() -> None:
    doc = (DOCS / "format.md").read_text(encoding="utf-8")
    missing = sorted(
        f"{owner}.{field}" for owner, fields in model_fields().items() for field in fields if f"`{field}`" not in doc
    )
    assert missing == []


RECIPE = re.compile(r"<!-- content_sha256 recipe -->\n```sh\n\$ (.+?)\n```", re.DOTALL)


def test_the_archive_docs_recipe_reproduces_content_sha256(samples_output: Path) -> None:
    [command] = RECIPE.findall((DOCS / "archive.md").read_text(encoding="utf-8"))
    assert command.startswith("python3 -c ") and command.endswith(" register.json")
    folders = sorted(p.parent for p in (samples_output / "archive").glob("*/*/register.json"))
    assert folders
    for folder in folders:
        script = re.fullmatch(r"python3 -c '(.+)' register.json", command)
        assert script is not None
        done = subprocess.run(
            [sys.executable, "-c", script.group(1), "register.json"], cwd=folder, capture_output=True, text=True
        )
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert done.stdout.strip() == manifest["content_sha256"], folder
        # ... and it is not the checksum of the file itself, which the manifest lists under `content`.
        assert manifest["content"]["sha256"] == hashlib.sha256((folder / "register.json").read_bytes()).hexdigest()
