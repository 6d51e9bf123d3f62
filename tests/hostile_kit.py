"""Helpers for the hostile-input, injection, property and fault tests: the real CLI in a
subprocess, snapshots of a folder, and inspectors that look for anything executable in the
HTML and PDF a build publishes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# -- the command line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One run of `python -m generator ...`: what it printed, how it ended, how long it took."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def printed(self) -> str:
        return self.stdout + self.stderr


def cli_env() -> dict[str, str]:
    """The environment of a CLI run: warnings are errors, output is UTF-8, no bytecode is written.

    WeasyPrint leaves its sRGB colour profile open when writing PDF/A (pyproject.toml ignores the
    same warning in the tests); as an error it would print a traceback from a destructor."""
    return {
        **os.environ,
        "PYTHONWARNINGS": "error,ignore:unclosed file:ResourceWarning",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def run_cli(
    *args: str,
    cwd: Path,
    timeout: float = 120,
    preexec_fn: Callable[[], None] | None = None,
    prefix: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> Run:
    """Run the real `seloste` command in a subprocess (after `prefix`, such as setpriv), with `env`
    added to its environment; its output must be valid UTF-8."""
    started = time.perf_counter()
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**cli_env(), **(env or {})},
        capture_output=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )
    seconds = time.perf_counter() - started
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"), seconds)


# -- folders ------------------------------------------------------------------------------------

Entry = tuple[Any, ...]


def snapshot(root: Path, *, skip: tuple[str, ...] = ("registers",), inodes: bool = True) -> dict[str, Entry]:
    """Everything under `root` (but the top-level names in `skip`): kind, mode, and for files the
    modification time, inode and bytes, so that a rewrite with the same bytes still shows."""
    found: dict[str, Entry] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skip:
            continue
        info = path.lstat()
        if path.is_symlink():
            found[str(relative)] = ("link", os.readlink(path))
        elif path.is_dir():
            found[str(relative)] = ("dir", info.st_mode)
        else:
            found[str(relative)] = (
                "file",
                info.st_mode,
                info.st_mtime_ns,
                info.st_ino if inodes else None,
                path.read_bytes(),
            )
    return found


def differences(before: dict[str, Entry], after: dict[str, Entry]) -> list[str]:
    """What changed between two snapshots, named for an assertion message."""
    changed = [f"added {name}" for name in sorted(set(after) - set(before))]
    changed += [f"removed {name}" for name in sorted(set(before) - set(after))]
    changed += [f"changed {name}" for name in sorted(set(before) & set(after)) if before[name] != after[name]]
    return changed


# -- HTML ---------------------------------------------------------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "longdesc",
    "srcset",
    "ping",
}
# Elements a notice never needs and that can run code, load something or submit something.
FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "img",
    "picture",
    "video",
    "audio",
    "source",
    "track",
    "portal",
    "template",
    "noscript",
    "param",
    "marquee",
}


def scheme(url: str) -> str | None:
    """The scheme a browser would see in `url` (entities already decoded by the parser): browsers drop
    tabs and line breaks anywhere and controls and spaces at either end, and ignore case."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x20))) + " ")
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


class Markup(HTMLParser):
    """Every start tag with its attributes, every <style> element's text, every link and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self.links: list[tuple[str | None, str]] = []  # (href, text) of every <a>
        self._in_style = False
        self._link: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        if tag == "a":
            self._link = [dict(attrs).get("href"), ""]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1]))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data
        if self._link is not None:
            self._link[1] += data


def parse(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def executable_markup(html: str) -> list[str]:
    """Everything in `html` that could run code or fetch something: forbidden elements, event
    handler and style attributes, and URLs with a scheme other than http(s), mailto and tel."""
    found = []
    for tag, attrs in parse(html).tags:
        if tag in FORBIDDEN_TAGS and not (tag == "script" and attrs == [("type", DATA_BLOCK)]):
            found.append(f"<{tag}>")
        if tag == "link" and dict(attrs).get("rel") != "alternate":
            found.append(f"<link rel={dict(attrs).get('rel')}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            found.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None and scheme(value) not in (None, *SAFE_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    # The one script element allowed is the page's JSON-LD data block, which a browser never runs;
    # its JSON may not hold a "<" (the renderer writes \u003c), so nothing in it can end it early.
    inert = re.sub(rf'<script type="{re.escape(DATA_BLOCK)}">[^<]*</script>', "", html)
    if re.search(r"<\s*script", inert, re.IGNORECASE):
        found.append("<script (raw text)")
    return found


DATA_BLOCK = "application/ld+json"


# -- PDF ----------------------------------------------------------------------------------------


def pdf_objects(path: Path) -> Iterator[Any]:
    """Every object of a PDF, those in object streams included."""
    reader = pypdf.PdfReader(path)
    numbers = {(number, generation) for generation, table in reader.xref.items() for number in table}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    for number, generation in sorted(numbers):
        yield reader.get_object(IndirectObject(number, generation, reader))


def _dictionaries(value: Any) -> Iterator[DictionaryObject]:
    if isinstance(value, DictionaryObject):
        yield value
        for inner in value.values():
            yield from _dictionaries(inner)
    elif isinstance(value, ArrayObject):
        for inner in value:
            yield from _dictionaries(inner)


def pdf_dictionaries(path: Path) -> Iterator[DictionaryObject]:
    """Every dictionary of a PDF, nested ones (such as link actions) included."""
    for obj in pdf_objects(path):
        yield from _dictionaries(obj)


def pdf_everything(path: Path) -> bytes:
    """The raw file and the decoded data of every stream (attachments, page content, metadata)."""
    parts = [path.read_bytes()]
    for obj in pdf_objects(path):
        if isinstance(obj, StreamObject):
            parts.append(obj.get_data())
    return b"\n".join(parts)


def pdf_active_content(path: Path) -> list[str]:
    """Anything in a PDF that runs or opens something: JavaScript, launch and submit actions,
    open actions, additional actions, and links with schemes other than http(s), mailto and tel."""
    found = []
    for d in pdf_dictionaries(path):
        for key in ("/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/XFA", "/RichMedia"):
            if key in d:
                found.append(f"{key} in {dict(d)!r}"[:200])
        action = d.get("/S")
        if action in (
            "/JavaScript",
            "/Launch",
            "/SubmitForm",
            "/ImportData",
            "/GoToR",
            "/GoToE",
            "/Rendition",
            "/Sound",
            "/Movie",
        ):
            found.append(f"action {action}")
        if action == "/URI" and scheme(str(d.get("/URI", ""))) not in SAFE_SCHEMES:
            found.append(f"link {d.get('/URI')!r}")
    return found
