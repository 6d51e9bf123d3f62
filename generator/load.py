"""Read register files: bytes to a located tree of mappings, lists and strings.

Every scalar stays the string the person typed. YAML's implicit typing (``00100`` as
octal 64, ``NO`` as False, ``2025-03-01`` as a date) is never applied here; the schema
decides what a string may mean and refuses what it cannot take. Aliases, tags, merge keys,
duplicate keys and documents that are too large or too deep are refused with a located
problem, so nothing downstream can be made to explode or to silently drop content.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, UnreadableFile, display_path, shown

# A node of the located tree: what a register file can hold once read.
Tree = dict[str, "Tree"] | list["Tree"] | str | None
# Where a value sits inside a file: keys and list indices from the top.
FieldPath = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 50_000
# Bounds on what a file makes the renderer do, far above any real notice (whose longest lists hold a
# few dozen items, and whose text is a few pages in each language): a PDF of a thousand pages takes
# minutes and gigabytes, so a file that would make one is refused by `check`, before a build starts.
MAX_ITEMS = 200
MAX_CHARACTERS = 200_000
# The tag of a gap, a fact a scaffold leaves for the organisation to fill in (see docs/scaffolds.md).
# A tag, not a marker word inside the text: no real value can look like one, and every value can hold one.
GAP_TAG = "!fill"
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

try:  # libyaml is 10-40x faster and keeps marks; fall back only where it is missing.
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader


@dataclass
class LoadedFile:
    """A register file as read: its located tree, or the problems that kept it from loading."""

    path: Path
    display: str
    source: bytes = b""
    data: Tree = None
    marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    gaps: dict[FieldPath, str] = field(default_factory=dict)  # values still marked `!fill`: path to hint

    @property
    def sha256(self) -> str:
        """The hash of the file's bytes, as published in notices and manifests."""
        return hashlib.sha256(self.source).hexdigest()

    def locate(self, path: FieldPath, *, key: bool = False) -> tuple[int, int]:
        """Return the 1-based line and column of the value (or key) at `path`.

        Falls back to the nearest enclosing value that was read, so a missing field is
        reported at the mapping that should have held it.
        """
        table = self.key_marks if key else self.marks
        for end in range(len(path), -1, -1):
            mark = table.get(path[:end]) or self.marks.get(path[:end])
            if mark:
                return mark
        return (1, 1)

    def release(self) -> None:
        """Forget the tree and its marks once every problem is found (the bytes stay, for hashes
        and attachments): a build holds hundreds of registers, and the marks are most of each."""
        self.data = None
        self.marks = {}
        self.key_marks = {}

    def written(self, path: FieldPath) -> FieldPath:
        """The longest part of `path` the file spells out; shorthands (`- name` for `{term: name}`) hide the rest."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.marks or path[:end] in self.key_marks:
                return path[:end]
        return path

    def problem(self, path: FieldPath, message: str, *, key: bool = False) -> Problem:
        """Build a problem located at `path` in this file."""
        line, column = self.locate(path, key=key)
        return Problem(self.display, line, column, format_path(path), message)


def format_path(path: FieldPath) -> str:
    """Write a field path the way users read it: ``purposes[1].legal_basis``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Refused(Exception):
    """Internal: a located reason to stop reading a file."""

    def __init__(self, mark: Any, message: str, path: FieldPath = ()) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else 1
        self.column = mark.column + 1 if mark is not None else 1
        self.message = message
        self.path = path


def load_file(path: Path) -> LoadedFile:
    """Read one YAML file into a located tree; problems are collected, never raised."""
    loaded = LoadedFile(path=path, display=display_path(path))
    try:
        loaded.source = read_source(path)
    except UnreadableFile as e:
        loaded.problems.append(Problem(loaded.display, 1, 1, "", str(e)))
        return loaded
    except OSError as e:
        loaded.problems.append(Problem(loaded.display, 1, 1, "", f"cannot read the file: {e.strerror}"))
        return loaded
    try:
        text = decode(loaded.source)
        loaded.data = _Builder(loaded, text).build()
    except _Refused as e:
        loaded.problems.append(Problem(loaded.display, e.line, e.column, format_path(e.path), e.message))
    return loaded


KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket"}


def read_source(path: Path) -> bytes:
    """The bytes of a register or shared file, read only when it may be read: a regular file inside
    its folder (a link may point within the folder, never out of it: a repository's link must not
    publish a file of the build machine), with a UTF-8 name, and at most MAX_BYTES + 1 of it, so a
    huge file costs no memory. Raises UnreadableFile with the reason, or OSError."""
    try:
        os.fsencode(path.name).decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("the file name is not valid UTF-8; rename the file (letters as UTF-8)") from None
    if path.is_symlink():
        target, folder = Path(os.path.realpath(path)), Path(os.path.realpath(path.parent))
        if not target.is_relative_to(folder):
            raise UnreadableFile(
                "the file is a symbolic link to a file outside its folder, which is never read; "
                "copy the file into the folder instead"
            )
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        kind = KINDS.get(stat.S_IFMT(mode), "a device")
        raise UnreadableFile(f"the file is not a regular file ({kind}); a register is a YAML file")
    # O_NONBLOCK: a named pipe put in its place after the check above must not hang the build.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(descriptor, "rb") as stream:
        size = os.fstat(descriptor).st_size
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnreadableFile("the file is not a regular file; a register is a YAML file")
        if size > MAX_BYTES:
            raise UnreadableFile(f"the file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        return stream.read(MAX_BYTES + 1)


def decode(source: bytes) -> str:
    """Turn a file's bytes into text, refusing anything but UTF-8 with a located reason."""
    if len(source) > MAX_BYTES:
        raise _Refused(None, f"the file is too large ({len(source):,} bytes; the limit is {MAX_BYTES:,})")
    if source.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _Refused(None, "the file is UTF-32; save it as UTF-8")
    if source.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refused(None, "the file is UTF-16; save it as UTF-8")
    if source.startswith(b"\xef\xbb\xbf"):  # Windows editors add a BOM; it carries no content.
        source = source[3:]
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as e:
        line, column = _position(source, e.start)
        raise _Refused(
            _Mark(line, column), f"the file is not UTF-8 (byte 0x{source[e.start]:02x}); save it as UTF-8"
        ) from e
    if "\x00" in text:
        line, column = _position(source, source.index(b"\x00"))
        raise _Refused(_Mark(line, column), "the file contains a NUL byte; it is probably not a text file")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise _Refused(None, "the file is empty")
    _refuse_pasted_characters(text)
    return text


# What word processors leave in pasted text that YAML cannot read: control characters (a vertical
# tab is Word's manual line break) and non-breaking spaces where indentation should be.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
NBSP_INDENT = re.compile(r"^[ \t]*\u00a0", re.MULTILINE)
# Line breaks that YAML obeys but editors, terminals and reviews do not show: after one, a comment
# goes on as a live line nobody sees. And characters that are no text at all: noncharacters, and a
# byte-order mark anywhere but at the start (an invisible character that breaks keys).
HIDDEN_BREAK = re.compile(r"[\u2028\u2029\u0085]|\r(?!\n)")
INVISIBLE = re.compile(r"[\ufdd0-\ufdef\ufffe\uffff\ufeff]")
BREAK_NAMES = {
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
    "\u0085": "a next-line character",
    "\r": "a carriage return without a line feed",
}


def _refuse_pasted_characters(text: str) -> None:
    for pattern, message in (
        (NBSP_INDENT, "a non-breaking space is used for indentation; indent with ordinary spaces"),
        (CONTROL, "invalid YAML: unacceptable character #x{code:04x}: control characters are not allowed"),
        (
            HIDDEN_BREAK,
            "the file contains U+{code:04X} ({name}), which YAML reads as a line break but editors and reviews "
            "do not show, so what follows it is a hidden line; remove it and break lines with ordinary line breaks",
        ),
        (
            INVISIBLE,
            "the file contains U+{code:04X}, {name}; remove it (it is invisible in most editors)",
        ),
    ):
        found = pattern.search(text)
        if found:
            before = text[: found.end() - 1] if pattern is NBSP_INDENT else text[: found.start()]
            line = before.count("\n")
            column = 0 if pattern is NBSP_INDENT else len(before) - (before.rfind("\n") + 1)
            char = text[found.end() - 1]
            name = BREAK_NAMES.get(char) or (
                "a byte-order mark inside the text"
                if char == "\ufeff"
                else "a noncharacter (no letter, symbol or space)"
            )
            raise _Refused(_Mark(line, column), message.format(code=ord(char), name=name))


@dataclass
class _Mark:
    """A 0-based position, shaped like PyYAML's marks."""

    line: int
    column: int


def _position(source: bytes, offset: int) -> tuple[int, int]:
    """Return the 0-based line and column (in characters) of a byte offset."""
    before = source[:offset]
    line = before.count(b"\n")
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", errors="replace"))


class _Events:
    """The parser's events as an iterator, without a generator in between."""

    def __init__(self, parser: Any) -> None:
        self.get = parser.get_event
        self.check = parser.check_event

    def __iter__(self) -> _Events:
        return self

    def __next__(self) -> Any:
        if not self.check():
            raise StopIteration
        return self.get()


def _place(mark: Any) -> tuple[int, int]:
    """The line and column (1-based, as editors count) of a PyYAML mark (0-based)."""
    return mark.line + 1, mark.column + 1


class _Builder:
    """Builds the located tree from PyYAML's event stream, refusing what registers must not use."""

    def _report(self, place: tuple[int, int], path: FieldPath, message: str) -> None:
        """Note a problem at a line and column (1-based) of the file; the file is read on."""
        self.loaded.problems.append(Problem(self.loaded.display, place[0], place[1], format_path(path), message))

    def _refuse_control(self, event: Any, path: FieldPath) -> None:
        """Control characters written as escapes ("\\0", "\\e") are refused like typed ones."""
        found = CONTROL.search(event.value)
        if found:
            self._report(
                _place(event.start_mark),
                path,
                f"the text contains a control character (U+{ord(found.group(0)):04X}); remove it",
            )
            # Read on without them, so the rest of the value is checked as typed and nothing is said twice.
            event.value = CONTROL.sub("", event.value)

    def __init__(self, loaded: LoadedFile, text: str) -> None:
        self.loaded = loaded
        self.text = text
        self.nodes = 0
        self.characters = 0  # of every value: what a notice made of this file would have to lay out

    def build(self) -> Tree:
        parser = _Parser(self.text)
        # The parser's own get_event, called directly: yaml.parse wraps it in a generator that
        # costs a third of the reading time.
        events = _Events(parser)
        try:
            next(events), next(events)  # StreamStart, DocumentStart
            first = next(events)
            root = self._node(first, events, ())
            next(events)  # DocumentEnd
            following = next(events)
            if isinstance(following, yaml.DocumentStartEvent):
                raise _Refused(
                    following.start_mark, "the file holds more than one YAML document; keep one register per file"
                )
        except yaml.MarkedYAMLError as e:
            raise _Refused(_where(e, self.text), _yaml_message(e, self.text)) from e
        except yaml.YAMLError as e:  # pragma: no cover - libyaml reports marks for syntax errors
            raise _Refused(None, f"invalid YAML: {e}") from e
        finally:
            parser.dispose()
        if not isinstance(root, dict):
            raise _Refused(first.start_mark, "the top level must be a mapping of keys to values (such as 'id: ...')")
        if self.characters > MAX_CHARACTERS:
            raise _Refused(
                None,
                f"the register holds {self.characters:,} characters of text; the limit is {MAX_CHARACTERS:,} "
                "(a notice that long would make a PDF of hundreds of pages): shorten it or split it into registers",
            )
        return root

    def _node(self, event: Any, events: Any, path: FieldPath) -> Tree:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"the file has more than {MAX_NODES:,} values; split it", path)
        if len(path) > MAX_DEPTH:
            raise _Refused(event.start_mark, f"the values are nested more than {MAX_DEPTH} levels deep", path)
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark, f"aliases (*{event.anchor}) are not supported; write the value out in full", path
            )
        tag = getattr(event, "tag", None)
        if tag == GAP_TAG and isinstance(event, yaml.ScalarEvent):
            return self._gap(event, path)
        if tag == GAP_TAG:
            raise _Refused(
                event.start_mark,
                'a gap (!fill) stands for one value and takes a description: !fill "what to write"',
                path,
            )
        if tag not in (None, "!"):
            raise _Refused(event.start_mark, f"YAML tags ({tag}) are not supported; write the plain value", path)
        self.loaded.marks[path] = _place(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style in (None, "") and event.implicit[0]
            if event.style == '"':  # only double quotes have escapes; raw control characters were refused whole
                self._refuse_control(event, path)
            self.characters += len(event.value)
            return None if plain and event.value in NULL_WORDS else event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Tree] = []
            for item in events:
                if isinstance(item, yaml.SequenceEndEvent):
                    self._bound_list(event, items, path)
                    return items
                items.append(self._node(item, events, path + (len(items),)))
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(events, path, flow=bool(event.flow_style))
        raise _Refused(event.start_mark, "unexpected YAML structure", path)  # pragma: no cover

    def _gap(self, event: Any, path: FieldPath) -> str:
        """A fact left for the organisation (`!fill "what to write"`): an error wherever it stands, so a
        file holding one can never be published, while the rest of the file is read and checked on."""
        self.loaded.marks[path] = _place(event.start_mark)
        hint = " ".join(event.value.split()) or "this value"
        self.loaded.gaps[path] = hint
        self._report(_place(event.start_mark), path, f"fill in {hint} (in place of !fill)")
        self.characters += len(event.value)
        return str(event.value)

    def _bound_list(self, event: Any, items: list[Tree], path: FieldPath) -> None:
        if len(items) > MAX_ITEMS:
            raise _Refused(
                event.start_mark,
                f"the list has {len(items):,} items; the limit is {MAX_ITEMS}: group them, or describe them in words",
                path,
            )

    def _mapping(self, events: Any, path: FieldPath, flow: bool = False) -> dict[str, Tree]:
        mapping: dict[str, Tree] = {}
        strays: list[tuple[str, tuple[int, int]]] = []
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                self._comma_slips(mapping, strays, path, flow)
                return mapping
            if not isinstance(key_event, yaml.ScalarEvent) or getattr(key_event, "tag", None) not in (None, "!"):
                raise _Refused(key_event.start_mark, "keys must be plain words", path)
            key = key_event.value
            if key == "<<":
                raise _Refused(
                    key_event.start_mark, "merge keys (<<) are not supported; write the values out in full", path
                )
            start = key_event.start_mark
            assert start is not None  # the parser marks every event it makes
            mark = _place(start)
            if key in mapping:
                # Reported, and the repeated value is read but dropped: never last-one-wins.
                first = self.loaded.key_marks[path + (key,)][0]
                once = f"duplicate key '{key}' (first given on line {first}); each key may appear once"
                self._report(mark, path + (key,), once)
                self._node(next(events), events, path + ("<duplicate>",))
                continue
            self.loaded.key_marks[path + (key,)] = mark
            mapping[key] = self._node(next(events), events, path + (key,))
            if flow and mapping[key] is None and key_event.style in (None, ""):
                strays.append((key, mark))
        return mapping  # pragma: no cover - the stream always closes the mapping

    def _comma_slips(
        self, mapping: dict[str, Tree], strays: list[tuple[str, tuple[int, int]]], path: FieldPath, flow: bool
    ) -> None:
        """In `{fi: a, b}` the comma ends the Finnish text and makes `b` a key without a value. Where a
        text in braces has such a key, say so and drop it, so that it is not also an unknown language."""
        if not flow or not set(mapping) & {"fi", "sv", "en"}:
            return
        for key, (line, column) in strays:
            if key in ("fi", "sv", "en"):
                continue
            del mapping[key]
            self._report(
                (line, column),
                path,
                f"a comma inside {{fi: ..., sv: ..., en: ...}} ends the text, so '{shown(key)}' became a key of "
                'its own; put the text in quotes, such as fi: "..., ' + shown(key) + '"',
            )


def _where(e: yaml.MarkedYAMLError, text: str) -> Any:
    """Where to point for a syntax error: where the parser gave up, or, when that is the end of
    the file (an unclosed quote or bracket), where the unclosed thing began."""
    at_end = e.problem_mark is not None and e.problem_mark.index >= len(text.rstrip())
    return e.context_mark if at_end and e.context_mark is not None else e.problem_mark


def _yaml_message(e: yaml.MarkedYAMLError, text: str) -> str:
    """Rephrase PyYAML's syntax errors for the people who write registers."""
    problem = e.problem or "invalid YAML"
    mark = e.problem_mark
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return "a tab character is used for indentation; indent with spaces"
    if problem.startswith("found character") and "cannot start any token" in problem:
        return f"invalid YAML: {problem}; quote the value if it starts with a special character"
    if problem.startswith("mapping values are not allowed"):
        # A sentence such as `purpose: Tietoja käytetään: laskutukseen` holds a colon and a space.
        return (
            "a colon followed by a space inside a text that is not in quotes starts a new key; put the text in "
            'quotes, such as "Text: more text"'
        )
    context = f" ({e.context})" if e.context else ""
    return f"invalid YAML: {problem}{context}"
