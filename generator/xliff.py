"""XLIFF 2.0, the file format of translation tools: writing the units out and reading them back.

One <file> per register or shared file (its `original` is the file's name in the register folder),
one <unit> per text, with one <segment> holding the source and the current target. A unit's notes
tell the translator where the text appears and what it is for; its glossary (the XLIFF 2 Glossary
module) gives the vocabulary's fixed wording of the terms the text uses.

The translator's file is read with expat, refusing any document type declaration: XLIFF 2 has
none, and refusing it means no entity is ever expanded and nothing outside the file is fetched.
"""

import re
from dataclasses import dataclass, field
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from .errors import Problem
from .translation import Term, Unit, terms_in

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
GLOSSARY = "urn:oasis:names:tc:xliff:glossary:2.0"
NMTOKEN = re.compile(r"[\w.:-]+")

LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def state_note(unit: Unit, source: str) -> str | None:
    """What the translator needs to know of a unit's state, in a sentence."""
    name = LANGUAGE_NAMES.get(source, source)
    if unit.plain:
        return (
            "This text is written once and used in every language. Leave the translation as it is to keep it so; "
            "a different translation gives this language its own text."
        )
    if unit.state == "new":
        return "New text: there is no translation yet."
    if unit.state == "stale":
        return (
            f"The {name} text has changed since the notice was last published; the translation is of the earlier "
            f"text, which read: {unit.earlier}"
        )
    return None


def _file_id(name: str, index: int) -> str:
    return name if NMTOKEN.fullmatch(name) else f"f{index}"


def write_xliff(units: list[Unit], contexts: dict[str, str], source: str, target: str, terms: list[Term]) -> bytes:
    """The units as an XLIFF 2.0 document, grouped by file in the order given."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff xmlns="{XLIFF}" xmlns:gls="{GLOSSARY}" version="2.0" srcLang="{source}" trgLang="{target}">',
    ]
    names = list(dict.fromkeys(unit.file for unit in units))
    for index, name in enumerate(names, 1):
        out.append(f'  <file id={quoteattr(_file_id(name, index))} original={quoteattr(name)} xml:space="preserve">')
        out.append(f'    <notes><note category="context">{escape(contexts[name])}</note></notes>')
        for unit in (u for u in units if u.file == name):
            out += _unit(unit, source, terms)
        out.append("  </file>")
    out.append("</xliff>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _unit(unit: Unit, source: str, terms: list[Term]) -> list[str]:
    lines = [f"    <unit id={quoteattr(unit.id)} name={quoteattr(unit.field)}>"]
    used = terms_in(unit.source, terms)
    if used:
        lines.append("      <gls:glossary>")
        for term in used:
            lines.append(
                f"        <gls:glossEntry><gls:term>{escape(term.source)}</gls:term>"
                f"<gls:translation>{escape(term.target)}</gls:translation>"
                "<gls:definition>A term of the notices' fixed vocabulary: use this wording.</gls:definition>"
                "</gls:glossEntry>"
            )
        lines.append("      </gls:glossary>")
    notes = [
        ("location", f"{unit.file}, line {unit.line}: {unit.field}"),
        ("context", unit.context),
        ("description", unit.description),
    ]
    said = state_note(unit, source)
    if said:
        notes.append(("state", said))
    lines.append("      <notes>")
    lines += [f'        <note category="{c}">{escape(text)}</note>' for c, text in notes if text]
    lines.append("      </notes>")
    state = {"new": "initial", "stale": "initial", "translated": "translated"}[unit.state]
    sub = ' subState="seloste:source-changed"' if unit.state == "stale" else ""
    lines.append(f'      <segment state="{state}"{sub}>')
    lines.append(f"        <source>{escape(unit.source)}</source>")
    if unit.target is not None:
        lines.append(f"        <target>{escape(unit.target)}</target>")
    lines += ["      </segment>", "    </unit>"]
    return lines


# --- reading a translator's file ------------------------------------------------------------------


@dataclass(frozen=True)
class Returned:
    """One unit as it came back from the translator: where it is in their file, and its texts."""

    file: str
    id: str
    source: str
    target: str | None
    where: str  # translations.xlf:120:7


@dataclass
class Node:
    """An element of the translator's file, with where it starts."""

    tag: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list["Node"] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def parse_xml(data: bytes) -> Node:
    """Parse an XML document into nodes with their positions; no DTD, so no entities, local or external."""
    parser = expat.ParserCreate(namespace_separator=" ")
    root = Node("", {}, 1, 1)
    stack = [root]

    def start(tag: str, attributes: dict[str, str]) -> None:
        node = Node(tag, attributes, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        stack[-1].children.append(node)
        stack.append(node)

    def refuse_doctype(*_: object) -> None:
        raise _Refused(
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
            "the file declares a document type (<!DOCTYPE ...>), which XLIFF 2 never has; it is not read",
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    parser.CharacterDataHandler = lambda text: stack[-1].text.append(text)
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise _Refused(e.lineno, e.offset + 1, f"not well-formed XML: {expat.ErrorString(e.code)}") from None
    if not root.children:
        raise _Refused(1, 1, "the file holds no XML element")
    return root.children[0]


def _name(tag: str) -> tuple[str, str]:
    namespace, _, local = tag.rpartition(" ")
    return namespace, local


def _text(node: Node, display: str, problems: list[Problem]) -> str:
    """The plain text of a <source> or <target>; inline markup is not ours, so it is refused."""
    for child in node.children:
        problems.append(
            Problem(
                display,
                child.line,
                child.column,
                "",
                f"<{_name(child.tag)[1]}> inside <{_name(node.tag)[1]}>: "
                "seloste's texts hold no inline markup; write the text itself",
            )
        )
    return "".join(node.text)


def read_xliff(data: bytes, display: str) -> tuple[str, str, list[Returned], list[Problem]]:
    """Read a translator's XLIFF 2.0 or 2.1 file: its languages, its units, and every problem found."""
    try:
        root = parse_xml(data)
    except _Refused as e:
        return "", "", [], [Problem(display, e.line, e.column, "", e.message)]
    problems: list[Problem] = []

    def refuse(node: Node, message: str) -> None:
        problems.append(Problem(display, node.line, node.column, "", message))

    if _name(root.tag) != (XLIFF, "xliff"):
        refuse(root, f'expected an XLIFF 2 document (<xliff xmlns="{XLIFF}">), found <{_name(root.tag)[1]}>')
        return "", "", [], problems
    if root.attributes.get("version") not in ("2.0", "2.1"):
        refuse(root, f"XLIFF version {root.attributes.get('version')!r} is not read; export again for XLIFF 2.0")
    source, target = root.attributes.get("srcLang", ""), root.attributes.get("trgLang", "")
    if not source or not target:
        refuse(root, "the <xliff> element names no srcLang and trgLang")
    returned: list[Returned] = []
    for file in (n for n in root.children if _name(n.tag) == (XLIFF, "file")):
        original = file.attributes.get("original")
        if not original:
            refuse(file, 'a <file> without original="...": which register file it belongs to is unknown')
            continue
        for unit in _units(file):
            returned += _read_unit(unit, original, display, problems)
    return source, target, returned, problems


def _units(node: Node) -> list[Node]:
    """The units of a file, also inside groups a tool may have added."""
    found = []
    for child in node.children:
        namespace, local = _name(child.tag)
        if namespace == XLIFF and local == "unit":
            found.append(child)
        elif namespace == XLIFF and local == "group":
            found += _units(child)
    return found


def _read_unit(unit: Node, original: str, display: str, problems: list[Problem]) -> list[Returned]:
    where = f"{display}:{unit.line}:{unit.column}"
    segments = [c for c in unit.children if _name(c.tag) == (XLIFF, "segment")]
    uid = unit.attributes.get("id")
    if not uid or len(segments) != 1:
        what = "has no id" if not uid else f"has {len(segments)} segments; seloste writes one per unit"
        problems.append(Problem(display, unit.line, unit.column, "", f"a <unit> that {what}: export again"))
        return []
    sources = [c for c in segments[0].children if _name(c.tag) == (XLIFF, "source")]
    targets = [c for c in segments[0].children if _name(c.tag) == (XLIFF, "target")]
    if len(sources) != 1 or len(targets) > 1:
        problems.append(
            Problem(
                display,
                segments[0].line,
                segments[0].column,
                "",
                "a <segment> needs one <source> and at most one <target>",
            )
        )
        return []
    source = _text(sources[0], display, problems)
    target = _text(targets[0], display, problems) if targets else None
    return [Returned(original, uid, source, target, where)]
