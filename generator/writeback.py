"""Write translations back into register files, keeping their comments, order and formatting.

The file is read with a round-trip YAML reader (ruamel.yaml), which keeps comments, key order,
quoting and block scalars; only the translated values are replaced, each in the style of the
text it replaces (or of its source text, for a new translation). Before anything is changed, the
file is written back unchanged and compared with itself: a file whose layout the reader cannot
reproduce byte for byte is refused rather than reformatted.
"""

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.util import load_yaml_guess_indent

from .load import FieldPath
from .values import LANGUAGES

Change = tuple[FieldPath, str]  # where the text is, and the new target-language text


class Unfaithful(Exception):
    """Internal: the round-trip reader cannot keep this file as it is; the message says where."""


def _reader(mapping: int, sequence: int, offset: int) -> YAML:
    """A round-trip reader with the given indentation, never folding long lines."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _faithful(text: str) -> tuple[YAML, Any]:
    """A reader that writes `text` back unchanged, and the file as it read it; raises Unfaithful if none does.
    The library cannot tell a file's indentation itself, so the common layouts are tried, its guess first."""
    _, indent, offset = load_yaml_guess_indent(text)
    tried = [(indent or 2, (indent or 2) + (offset or 0), offset or 0), (2, 4, 2), (2, 2, 0), (4, 4, 0), (4, 6, 2)]
    differs = 0
    for layout in dict.fromkeys(tried):
        yaml = _reader(*layout)
        try:
            data = yaml.load(text)
        except YAMLError as e:
            raise Unfaithful(f"the file cannot be read as YAML ({e})") from None
        again = _dump(yaml, data)
        if again == text:
            return yaml, data
        differs = max(differs, first_difference(text, again))
    raise Unfaithful(
        f"the YAML library would rewrite line {differs} of this file even without a change; nothing was written "
        "to it. Enter the translations by hand, or make the file's indentation uniform (two spaces, list dashes "
        "indented under their key)"
    )


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def first_difference(before: str, after: str) -> int:
    """The 1-based line where two texts first differ."""
    for number, (a, b) in enumerate(zip(before.splitlines(), after.splitlines(), strict=False), 1):
        if a != b:
            return number
    return min(len(before.splitlines()), len(after.splitlines())) + 1


def apply(text: str, changes: list[Change], source: str, target: str, languages: list[str]) -> str:
    """The file `text` with each change written in `target`; raises Unfaithful when the file's own
    layout would not survive."""
    yaml, data = _faithful(text)
    for path, new in changes:
        _set(data, path, new, source, target, languages)
    return _dump(yaml, data)


def _set(data: Any, path: FieldPath, new: str, source: str, target: str, languages: list[str]) -> None:
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    node = parent[last]
    if isinstance(node, str):  # a plain string, the same in every language: it becomes one text per language
        texts = CommentedMap((lang, _styled(new if lang == target else node, node, False)) for lang in languages)
        parent[last] = texts
        return
    flow = bool(node.fa.flow_style()) if isinstance(node, CommentedMap) else False
    like = node.get(target, node.get(source))
    if target in node:
        node[target] = _styled(new, like, flow)
        return
    position = sum(1 for key in node if key in LANGUAGES and LANGUAGES.index(key) < LANGUAGES.index(target))
    keys = list(node)
    index = keys.index([k for k in keys if k in LANGUAGES][position - 1]) + 1 if position else 0
    node.insert(index, target, _styled(new, like, flow))


def _styled(new: str, like: Any, flow: bool) -> Any:
    """`new` in the style of the text it replaces: a block stays a block, quotes stay quotes."""
    multiline = "\n" in new.rstrip("\n")
    if isinstance(like, DoubleQuotedScalarString) or (flow and (multiline or new.endswith("\n"))):
        return DoubleQuotedScalarString(new)
    if isinstance(like, LiteralScalarString | FoldedScalarString) or multiline or new.endswith("\n"):
        return LiteralScalarString(new)
    if isinstance(like, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    return new
