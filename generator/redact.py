"""What of a register's source may be published: the YAML without its comments and its `internal:` block.

A PDF carries the register files it was made from, so that anyone can see what the notice
was made of. Comments are the authors' notes and the `internal:` block is for the record of
processing only; neither may leave the organisation. The public source is written afresh from
the file's located tree (every scalar the string the author typed), so no comment can survive
and it reads back, through the same loader, to the same values.
"""

from typing import Any

import yaml

from .load import LoadedFile, Tree, _Builder, decode

INTERNAL = "internal"  # the register's block for the record of processing (model.Internal)


class _Dumper(yaml.SafeDumper):
    """Writes multi-line texts as literal blocks (|), as people write them in registers."""


def _text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def public_tree(loaded: LoadedFile) -> Tree:
    """The file's tree without the `internal:` block, read afresh from its bytes (its tree may be released)."""
    # The loader's own builder, so the tree is what validation read: no YAML typing, no aliases, no tags.
    tree = _Builder(LoadedFile(loaded.path, loaded.display, loaded.source), decode(loaded.source)).build()
    if isinstance(tree, dict):
        tree.pop(INTERNAL, None)
    return tree


def public_source(loaded: LoadedFile) -> bytes:
    """The register file as it may be published: no comments, no `internal:` block, the same values otherwise."""
    header = f"# {loaded.path.name}: the register as published, without comments or internal notes\n"
    body = yaml.dump(
        public_tree(loaded), Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120
    )
    return (header + body).encode("utf-8")
