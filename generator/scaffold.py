"""`seloste new`: a register file for one of the typical registers of a Finnish organisation.

A scaffold (generator/scaffolds/<type>.yaml) carries what such a register normally says, in
Finnish, Swedish and English, and leaves every fact only the organisation knows as a gap: a value
tagged `!fill "what to write"`. The loader reports each gap as an error where it stands, so a
register with one can be checked but never published. `interview` asks the questions of
generator/scaffolds/_questions.yaml for the gaps and writes the answers into the text in place,
leaving every other byte of the file (its comments, order and quoting) as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import ToolError, UsageError
from .load import GAP_TAG, FieldPath, format_path, load_file
from .model import ORGANISATION_FIELDS
from .project import ORGANISATION_FILE, is_register_name
from .values import LANGUAGES, MAX_SLUG, SLUG
from .vocabulary import load_shipped

SCAFFOLDS_DIR = Path(__file__).resolve().parent / "scaffolds"
ORGANISATION_PART = SCAFFOLDS_DIR / "_organisation.yaml"
QUESTIONS_FILE = SCAFFOLDS_DIR / "_questions.yaml"
TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:\s|$)")
# The organisation's facts a register may give itself; retention is one, but each scaffold states its own.
INHERITABLE = frozenset(ORGANISATION_FIELDS) - {"retention"}


def scaffold_types() -> list[str]:
    """The types `seloste new` can make, by the names of the scaffold files."""
    return sorted(p.stem for p in SCAFFOLDS_DIR.glob("*.yaml") if not p.name.startswith("_"))


# -- making the file


def new_register(folder: Path, register_id: str, kind: str) -> tuple[Path, str]:
    """The path and text of a new register `register_id` of type `kind` in `folder`.

    Raises UsageError, naming what to do instead, for an invalid id, an unknown type, or an id or
    file name the folder already has; nothing is written here.
    """
    if not SLUG.fullmatch(register_id) or len(register_id) > MAX_SLUG:
        raise UsageError(
            f"'{register_id}' is not a valid id: use lower-case letters a-z, digits and single hyphens, "
            "such as customer-register"
        )
    if kind not in scaffold_types():
        raise UsageError(f"no scaffold of type '{kind}'; the types are: {', '.join(scaffold_types())}")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    path = folder / f"{register_id}.yaml"
    taken = _taken(folder, register_id, path)
    if taken:
        raise UsageError(taken)
    organisation = _organisation(folder)
    return path, render(kind, register_id, organisation)


def write_new(path: Path, text: str) -> None:
    """Write a new register file; never over an existing one, even one made meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; choose another id") from None
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror}") from e


def _taken(folder: Path, register_id: str, path: Path) -> str | None:
    """Why `register_id` cannot be used in `folder`, or None when it is free."""
    if path.exists() or path.is_symlink() or path.with_suffix(".yml").exists():
        return f"{path} already exists; choose another id"
    if not folder.is_dir():
        return None
    for other in sorted(folder.iterdir()):
        if is_register_name(other) and other.is_file():
            data = load_file(other).data
            if isinstance(data, dict) and data.get("id") == register_id:
                return f"the id '{register_id}' is already used by {other}; choose another id"
    return None


def _organisation(folder: Path) -> dict[str, Any]:
    """The folder's _organisation.yaml as read (empty when it is absent or unreadable: `check` reports that)."""
    path = folder / ORGANISATION_FILE
    data = load_file(path).data if path.is_file() else None
    return data if isinstance(data, dict) else {}


def render(kind: str, register_id: str, organisation: dict[str, Any]) -> str:
    """The scaffold `kind` as the text of register `register_id` in a folder whose shared file holds
    `organisation`: the organisation's facts it gives are left to it, those it lacks are added as gaps."""
    head, blocks = _blocks(_read(SCAFFOLDS_DIR / f"{kind}.yaml"))
    kept = [(key, text) for key, text in blocks if key not in INHERITABLE or key not in organisation]
    kept = [(key, _with_id(text, register_id) if key == "id" else text) for key, text in kept]
    present = {key for key, _ in kept} | set(organisation)
    public = _public(kept, organisation)
    _, extra = _blocks(_read(ORGANISATION_PART))
    added = [(k, t) for k, t in extra if k not in present and (k != "dpo" or public)]
    out = head + "".join(text for _, text in kept)
    if added:
        out = (
            out.rstrip("\n") + "\n\n# The organisation's facts, which the folder's _organisation.yaml does not give:\n"
        )
        out += "".join(text for _, text in added)
    return out.rstrip("\n") + "\n"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise ToolError(f"the scaffold {path.name} cannot be read: {e.strerror}; reinstall seloste") from e


def _with_id(text: str, register_id: str) -> str:
    return re.sub(r"^id: .*$", f"id: {register_id}", text, count=1, flags=re.MULTILINE)


def _public(blocks: list[tuple[str, str]], organisation: dict[str, Any]) -> bool:
    """Whether the new register is a public authority's (which must name a DPO)."""
    if "public_authority" in organisation:
        return bool(organisation["public_authority"] == "true")
    return any(key == "public_authority" and "true" in text for key, text in blocks)


def _blocks(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a YAML file into its head (the comments before the first key) and its top-level blocks,
    each with the comment lines written directly above its key."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if TOP_KEY.match(line)]
    if not starts:
        return text, []
    cuts = []
    for start in starts:
        while start > 0 and lines[start - 1].startswith("#"):
            start -= 1
        cuts.append(start)
    head = "".join(lines[: cuts[0]])
    blocks = []
    for n, cut in enumerate(cuts):
        end = cuts[n + 1] if n + 1 < len(cuts) else len(lines)
        key = TOP_KEY.match(lines[starts[n]])
        assert key is not None
        blocks.append((key.group(1), "".join(lines[cut:end])))
    return head, blocks


# -- the gaps and the interview


@dataclass(frozen=True)
class Gap:
    """A value tagged !fill: where it is in the text, and where its key or list item begins."""

    path: FieldPath
    hint: str
    start: int  # the tag's first character
    end: int  # just after the value
    column: int  # of the value's key, or of the list item's value
    only_item: bool  # the single item of its list

    @property
    def question_key(self) -> str:
        """The gap's field with list positions written [], as _questions.yaml names it."""
        return format_path(tuple("[]" if isinstance(p, int) else p for p in self.path)).replace(".[]", "[]")

    @property
    def in_list(self) -> bool:
        return isinstance(self.path[-1], int)


def gaps_in(text: str) -> list[Gap]:
    """Every !fill gap of a register text, in the order of the file."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise UsageError(f"the file is not valid YAML, so its gaps cannot be found: {e}") from e
    found: list[Gap] = []
    _walk(root, (), 0, False, found)
    return found


def _walk(node: Any, path: FieldPath, column: int, only_item: bool, found: list[Gap]) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == GAP_TAG:
        found.append(
            Gap(path, " ".join(node.value.split()), node.start_mark.index, node.end_mark.index, column, only_item)
        )
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, path + (str(key.value),), key.start_mark.column, False, found)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            _walk(item, path + (n,), item.start_mark.column, len(node.value) == 1, found)


def questions() -> dict[str, Any]:
    """The interview's questions and wording, from generator/scaffolds/_questions.yaml."""
    data = yaml.safe_load(_read(QUESTIONS_FILE))
    if not isinstance(data, dict):
        raise ToolError(f"{QUESTIONS_FILE.name} is not a mapping; reinstall seloste")
    return data


def interview(
    text: str, languages: list[str], ask: Callable[[str], str], tell: Callable[[str], None] = lambda _: None
) -> str:
    """Ask the question of each gap of `text` in the first of `languages` (through `ask`, which returns
    the answer, "" to leave the gap) and return the text with the answers written in. `tell` hears
    why an answer was not written in."""
    book = questions()
    words = book["_wording"]
    edits: list[tuple[int, int, str]] = []
    for gap in gaps_in(text):
        question = book.get(gap.question_key)
        if question is None:  # a gap a person wrote by hand: asked in its own words
            question = {"kind": "plain", **{code: f"{gap.path[-1]}: {gap.hint}" for code in LANGUAGES}}
        edit = _answer(gap, question, languages, ask, tell, words, text)
        if edit is not None:
            edits.append(edit)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _answer(
    gap: Gap,
    question: dict[str, Any],
    languages: list[str],
    ask: Callable[[str], str],
    tell: Callable[[str], None],
    words: dict[str, Any],
    text: str,
) -> tuple[int, int, str] | None:
    """The edit that writes the answer to `gap` into `text`, or None when the gap is left."""
    lang, kind = languages[0], question["kind"]
    prompt = f"{question[lang]} {words['leave'][lang]}"
    if kind in ("text", "item"):
        first = ask(f"{prompt}\n{words['in'][lang][lang]}").strip()
        if first == "-" and kind == "item":
            return _remove_item(gap, text)
        if not first:
            return None
        answers = {lang: first}
        for other in languages[1:]:
            answers[other] = ask(f"{question[lang]}\n{words['in'][lang][other]}").strip()
            if not answers[other]:  # a text is published in every language, or not at all
                tell(words["incomplete"][lang])
                return None
        return _replace(gap, text, _texts(answers, gap))
    while True:
        answer = ask(prompt).strip()
        if not answer:
            return None
        value = _value(kind, answer)
        if value is not None:
            return _replace(gap, text, " " + value if not gap.in_list else value)
        ask_again = words.get(f"bad_{kind}", words["bad"])[lang]
        prompt = f"{ask_again} {question[lang]} {words['leave'][lang]}"


def _value(kind: str, answer: str) -> str | None:
    """The YAML of a one-line answer, or None when it is not an answer of that kind."""
    if kind == "date":
        try:
            return date.fromisoformat(answer).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", answer) else None
        except ValueError:
            return None
    if kind == "none":
        return "none" if answer == "-" else None
    if kind == "laws":
        keys = [k.strip() for k in answer.replace(";", ",").split(",") if k.strip()]
        known = set(load_shipped().groups["laws"])
        return f"[{', '.join(keys)}]" if keys and all(k in known for k in keys) else None
    return _scalar(answer)


def _scalar(value: str) -> str:
    """One value as a YAML scalar on one line, quoted only where YAML needs it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_style=None)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _texts(answers: dict[str, str], gap: Gap) -> str:
    """A text in each language as a block mapping placed where the gap stood."""
    indent = " " * (gap.column if gap.in_list else gap.column + 2)
    lines = []
    for lang, value in answers.items():
        if "\n" in value:
            body = "".join(f"{indent}  {line}".rstrip() + "\n" for line in value.splitlines())
            lines.append(f"{lang}: |\n{body.rstrip(chr(10))}")
        else:
            lines.append(f"{lang}: {_scalar(value)}")
    if gap.in_list:  # the first key stays on the item's line, after "- "
        return lines[0] + "".join(f"\n{indent}{line}" for line in lines[1:])
    return "".join(f"\n{indent}{line}" for line in lines)


def _replace(gap: Gap, text: str, new: str) -> tuple[int, int, str]:
    """Replace the gap's value; for a value after its key, the spaces after the colon go too."""
    start = gap.start
    if not gap.in_list:
        while start > 0 and text[start - 1] == " ":
            start -= 1
    return start, gap.end, new


def _remove_item(gap: Gap, text: str) -> tuple[int, int, str]:
    """Remove a list item the organisation does not need; a list left empty becomes []."""
    line_start = text.rfind("\n", 0, gap.start) + 1
    line_end = text.find("\n", gap.end)
    line_end = len(text) if line_end < 0 else line_end + 1
    if not gap.only_item:
        return line_start, line_end, ""
    colon = text.rfind(":", 0, line_start)
    return colon + 1, line_end, " []\n"


def languages_of(path: Path, text: str) -> list[str]:
    """The languages a new register is written in: its own `languages`, the organisation's, or all three."""
    for data in (yaml.safe_load(_strip_gaps(text)), _organisation(path.parent)):
        value = data.get("languages") if isinstance(data, dict) else None
        if isinstance(value, list) and value and all(v in LANGUAGES for v in value):
            return [str(v) for v in value]
    return list(LANGUAGES)


def _strip_gaps(text: str) -> str:
    """The text with its gap tags removed, for reading it with a loader that knows no tags."""
    return text.replace(GAP_TAG + " ", "")
