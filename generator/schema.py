"""The register format as JSON Schema, so editors can complete keys and underline mistakes.

Generated from the pydantic models (the single source of truth), with each vocabulary
field's allowed keys filled in from the shipped vocabulary and the organisation's own terms.
"""

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .load import load_file
from .model import ORGANISATION_FIELDS, Organisation, Register
from .project import VOCABULARY_FILE
from .values import Entry
from .vocabulary import Vocabulary, extend, load_shipped

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS: dict[str, type[BaseModel]] = {"register": Register, "organisation": Organisation}


def editor_schema(folder: Path, kind: str = "register") -> dict[str, Any]:
    """Return the JSON Schema of a register file (or of _organisation.yaml) for `folder`."""
    vocabulary = load_shipped()
    if (folder / VOCABULARY_FILE).is_file():
        extend(vocabulary, load_file(folder / VOCABULARY_FILE))  # its problems are `check`'s to report
    schema = KINDS[kind].model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    # A register may take these from _organisation.yaml, which the editor cannot see.
    schema["required"] = [name for name in schema.get("required", []) if name not in ORGANISATION_FIELDS]
    for name, definition in schema.get("$defs", {}).items():
        group = _entry_group(name)
        if group:
            schema["$defs"][name] = {"anyOf": [_term_schema(group, vocabulary), {"$ref": "#/$defs/Text"}, definition]}
    filled: dict[str, Any] = _fill_vocabularies(schema, vocabulary)
    return filled


def _entry_group(definition: str) -> str | None:
    """The vocabulary group of an Entry model's definition, if it is one."""
    for model in Entry.__subclasses__():
        if model.__name__ == definition:
            return model.group_name
    return None


def _term_schema(group: str, vocabulary: Vocabulary) -> dict[str, Any]:
    return {"type": "string", "enum": vocabulary.keys(group), "description": f"A key of the '{group}' vocabulary."}


def _fill_vocabularies(node: Any, vocabulary: Vocabulary) -> Any:
    """Replace every {"x-vocabulary": group} marker with the group's keys."""
    if isinstance(node, dict):
        if "x-vocabulary" in node:
            return {
                **_term_schema(node["x-vocabulary"], vocabulary),
                **{k: v for k, v in node.items() if k not in ("x-vocabulary", "type")},
            }
        return {key: _fill_vocabularies(value, vocabulary) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill_vocabularies(item, vocabulary) for item in node]
    return node
