"""The preview server (`seloste serve`): the notices as a legal team edits them, current on every save.

The server builds each register's HTML into a temporary folder (never output/), watches the
register folders and the tool's templates and wording, and builds again what a saved file
concerns: the register itself, or every register of the folder when a shared file changed.
What it sends adds two things to a page, and only on the way out: a panel at the top with the
register's `check` findings (file:line:column, field, provision), and a small script that
reloads the page when a build finishes. Nothing it adds is written to disk. A register that
does not load (bad YAML mid-edit) keeps its last good page under a panel naming the located
errors; a register never built shows the errors alone. The PDF is made on request.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup, escape

from . import paths as out
from .check import Listing, Report, check
from .errors import Level, Problem, SelosteError, UsageError, display_path
from .law import RULES
from .project import find_folders, is_register_name
from .render import environment, paper_stylesheet, render, render_index, stylesheet
from .style import style_problems
from .values import LANGUAGES
from .vocabulary import TEMPLATES_DIR, load_shipped
from .wording import Language, languages, read_wording
from .workers import Renderer, read_again, render_register

VERSION_PATH = "/_seloste/version"  # the build counter the page's script (and a test) waits on
# How long a request for the next build waits before answering with the current counter.
LONG_POLL_SECONDS = 20.0
NOTICE_PATH = re.compile(r"/(fi|sv|en)/([^/]+)/(index\.html|fragment\.html|notice\.jsonld|notice\.pdf)?")
TOOL_FILES = (".yaml", ".yml", ".j2", ".css")
GENERATOR_DIR = Path(__file__).resolve().parent

# Reloads the page once the server has finished the next build: a request that waits for it
# (long polling), so a save shows within moments and an idle page costs one request a while.
RELOAD_SCRIPT = """<script>
(function () {
  var seen = %d;
  function wait() {
    fetch("%s?after=" + seen, {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (t) { if (Number(t) > seen) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 2000); });
  }
  wait();
})();
</script>
"""

PANEL_STYLE = (
    "font:15px/1.45 system-ui,sans-serif;margin:0;padding:.75rem 1rem;border-bottom:3px solid #8a5a00;"
    "background:#fff8e5;color:#1a1a1a"
)


@dataclass
class Entry:
    """One register file as the preview knows it: its current findings and its last good build."""

    path: Path
    display: str
    problems: list[Problem] = field(default_factory=list)
    listing: Listing | None = None  # the last build that rendered (it may be older than the file)
    report: Report | None = None  # the check that listing came from, for making the PDF
    current: bool = False  # the listing is of the file as it is now
    failure: str | None = None  # why rendering failed, when it was the tool's fault


class Preview:
    """The registers under `paths`, checked and built into `workdir`; refreshed as files change."""

    def __init__(
        self,
        paths: list[Path],
        archive: Path,
        workdir: Path,
        log: Callable[[str], None] | None = None,
        *,
        style: bool = False,
    ):
        self.paths = paths
        self.style = style  # the plain-language warnings too (check --style)
        self.archive = archive  # read only: the published versions, for the version and translation checks
        self.workdir = workdir
        self.log = log or (lambda line: None)
        self.entries: dict[Path, Entry] = {}
        self.general: list[Problem] = []  # problems of no register: a folder gone, the tool's files
        self._listed: list[Any] | None = None  # what the front page lists, as last made
        self._languages: dict[str, Language] | None = None  # the tool's wording, read again after its files change
        self.version = 0  # how many builds have finished
        self.lock = threading.RLock()
        self.built = threading.Condition(self.lock)
        self.pdf_lock = threading.Lock()  # one PDF at a time: WeasyPrint is not made for threads

    # -- building ------------------------------------------------------------------------------

    def refresh(self, changed: Iterable[Path] | None = None) -> None:
        """Check and build again what the changed files concern (everything when None)."""
        changed = None if changed is None else {path.resolve() for path in changed}
        with self.lock:
            self.general = []
            tool = changed is not None and any(_is_tool_file(path) for path in changed)
            if tool:
                _forget_tool_files()
                self._languages = None
            everything = changed is None or tool or any(not is_register_name(path) for path in changed)
            try:
                files = [path for folder in find_folders(self.paths) for path in folder.registers]
            except SelosteError as e:
                files = []
                self.general.append(Problem(", ".join(map(str, self.paths)), 1, 1, "", str(e)))
            for path in files:
                if everything or path not in self.entries or path.resolve() in (changed or set()):
                    self._build(path)
            for gone in set(self.entries) - set(files):
                self._remove(self.entries.pop(gone))
            self._write_index(again=tool)
            self.version += 1
            self.built.notify_all()

    def _build(self, path: Path) -> None:
        entry = self.entries.setdefault(path, Entry(path, display_path(path)))
        entry.failure = None
        try:
            report = check([path], self.archive)
        except SelosteError as e:  # the file went away between listing and reading: the next event tells
            entry.problems, entry.current = [Problem(entry.display, 1, 1, "", str(e))], False
            return
        entry.problems = report.problems + (style_problems([path]) if self.style else [])
        entry.current = bool(report.registers)
        if not report.registers:
            self.log(f"{entry.display}: {_counted(entry.problems)}; the page shows them")
            return
        listing = report.registers[0]
        try:
            made = render_register(Renderer(report), 0, listing.languages, False)
        except Exception as e:  # noqa: BLE001 - a preview outlives any fault; the page names it
            entry.failure, entry.current = f"{type(e).__name__}: {e}", False
            self.log(f"{entry.display}: the page could not be built: {entry.failure}")
            return
        if entry.listing is not None and entry.listing.id != listing.id:
            self._remove(entry)
        for _, files in made:
            for relative, data in files.items():
                _write(self.workdir / relative, data)
        for lang in set(entry.listing.languages if entry.listing else ()) - set(listing.languages):
            shutil.rmtree(self.workdir / out.notice_folder(listing.id, lang), ignore_errors=True)
        entry.listing, entry.report = listing, report
        self.log(f"built {entry.display} ({', '.join(listing.languages)}): {_counted(entry.problems)}")

    def _remove(self, entry: Entry) -> None:
        if entry.listing is not None:
            for lang in entry.listing.languages:
                shutil.rmtree(self.workdir / out.notice_folder(entry.listing.id, lang), ignore_errors=True)

    def _write_index(self, again: bool = False) -> None:
        """The front page, made again only when what it lists changed (or the tool's files): it costs
        as much as a register, and most saves change a notice's text, not its title."""
        listings = sorted((e.listing for e in self.entries.values() if e.listing), key=lambda listing: listing.id)
        listed = [(x.id, x.version, x.languages, sorted(x.title.items())) for x in listings]
        if listed == self._listed and not again and not self.general:
            return
        self._listed = listed
        try:
            _write(
                self.workdir / out.INDEX_PAGE, render_index(listings, languages(load_shipped()), pdfs=False).encode()
            )
            _write(self.workdir / out.STYLESHEET, stylesheet().encode())
        except Exception as e:  # noqa: BLE001 - a broken template or wording file is shown, not fatal
            self.general.append(Problem("templates", 1, 1, "", f"{type(e).__name__}: {e}"))

    def language(self, code: str) -> Language:
        """A notice language for the panel (its citations), read once until the tool's files change."""
        if self._languages is None:
            self._languages = languages(load_shipped())
        return self._languages[code]

    def wait(self, after: int, timeout: float) -> int:
        """The build counter once it passes `after`, or as it is after `timeout` seconds."""
        with self.built:
            self.built.wait_for(lambda: self.version > after, timeout)
            return self.version

    # -- what is served --------------------------------------------------------------------------

    def find(self, register_id: str) -> Entry | None:
        with self.lock:
            return next((e for e in self.entries.values() if e.listing and e.listing.id == register_id), None)

    def page(self, lang: str, register_id: str) -> tuple[HTTPStatus, bytes]:
        """The page of a register in `lang`, with the panel and the reload script."""
        with self.lock:
            entry = self.find(register_id)
            version = self.version
            built = self.workdir / out.page(register_id, lang)
            if entry is not None and built.is_file():
                html = built.read_text(encoding="utf-8")
                return HTTPStatus.OK, _inject(html, self.panel(lang, [entry]), version).encode()
            # Never built, or not in this language: the registers without a page say why.
            unbuilt = [e for e in self.entries.values() if e.listing is None or e.listing.id == register_id]
            words = _words(lang)
            note = str(escape(words["unknown"]).format(id=register_id)) if entry is None else ""
            body = f"<p>{note}</p>" + self.panel(lang, unbuilt, alone=True)
            status = HTTPStatus.NOT_FOUND if not unbuilt else HTTPStatus.OK
            return status, _bare_page(lang, words["panel"], body, version).encode()

    def index(self, lang: str) -> bytes:
        with self.lock:
            html = (self.workdir / out.INDEX_PAGE).read_text(encoding="utf-8")
            return _inject(html, self.panel(lang, list(self.entries.values()), index=True), self.version).encode()

    def panel(self, lang: str, entries: list[Entry], *, alone: bool = False, index: bool = False) -> str:
        """The findings of `entries` (and the general ones) as a panel in `lang`."""
        words = _words(lang)
        # Errors first: they keep the page from being published; warnings after, in file order.
        problems = sorted(
            {p for e in entries for p in e.problems} | set(self.general), key=lambda p: (p.level != Level.ERROR, p)
        )
        notes = []
        for entry in entries:
            if entry.failure:
                notes.append(f"{words['tool_error']}: {entry.failure}")
            elif not entry.current and not alone and not index:
                notes.append(words["stale"])
            elif entry.listing is None and alone:
                notes.append(words["not_built"])
        links = ""
        if not index and len(entries) == 1 and entries[0].listing and entries[0].current:
            links = f' · <a href="notice.pdf">{escape(words["pdf"])}</a>'
        items = (
            "".join(_item(p, words, self.language(lang)) for p in problems)
            if problems
            else f"<li>{escape(words['no_problems'])}</li>"
        )
        return (
            f'<aside class="seloste-preview" lang="{lang}" aria-label="{escape(words["panel"])}" style="{PANEL_STYLE}">'
            f'<p style="margin:0 0 .25rem;font-weight:bold">{escape(words["panel"])}'
            f' · <a href="/">{escape(words["index"])}</a>{links}</p>'
            + "".join(f'<p style="margin:.25rem 0">{escape(n)}</p>' for n in dict.fromkeys(notes))
            + f'<ul style="margin:.25rem 0;padding-left:1.25rem">{items}</ul></aside>'
        )

    def pdf(self, lang: str, register_id: str) -> bytes | None:
        """The PDF edition of a register's current version, made now; None when it has none."""
        from .pdf import write_pdf

        with self.lock:
            entry = self.find(register_id)
            if entry is None or not entry.current or entry.report is None or entry.listing is None:
                return None
            report, listing = entry.report, entry.listing
        if lang not in listing.languages:
            return None
        with self.pdf_lock:
            valid = read_again(report, listing)
            rendered = render(valid, languages(valid.vocabulary)[lang], pdf=out.pdf_name(listing, lang))
            sources = [f for f in (valid.source, valid.organisation, valid.vocabulary_file) if f is not None]
            return write_pdf(
                rendered.print, register_id=listing.id, version=listing.version, sources=sources, assets=[]
            )


def _item(problem: Problem, words: dict[str, str], lang: Language) -> str:
    """One finding: its level, where it is, the field, the message and the provision it rests on."""
    message, article = _article(problem.message)
    level = words["error"] if problem.level is Level.ERROR else words["warning"]
    colour = "#a4000f" if problem.level is Level.ERROR else "#6b4700"
    where = f"{problem.file}:{problem.line}:{problem.column}"
    parts = [
        f'<strong style="color:{colour}">{escape(level)}</strong>',
        f"<code>{escape(where)}</code>",
    ]
    if problem.field:
        parts.append(f"{escape(words['field'])} <code>{escape(problem.field)}</code>:")
    # The messages of `check` are written in English, whatever the page's language.
    parts.append(f'<span lang="en">{escape(message)}</span>')
    if article is not None:
        cited, rule_id = article
        parts.append(f"({escape(words['article'])}: {cite(cited, lang)}; <code>{escape(rule_id)}</code>)")
    return "<li>" + " ".join(parts) + "</li>"


GDPR_REFERENCE = re.compile(r"\d+(?:\((\d+)\)(?:\(([a-z])\))?)?")


def cite(article: str, lang: Language) -> Markup:
    """A rule's provision in the page's language where it is the GDPR's articles alone ("Art. 13(2)(a),
    14(2)(a)": "tietosuoja-asetuksen 13 artiklan 2 kohdan a alakohta, ..."); anything else (a
    national act, a subparagraph in words) as the rule book writes it."""
    gdpr, semicolon, rest = article.partition(";")
    references = gdpr.removeprefix("Art. ").split(", ")
    if not gdpr.startswith("Art. ") or not all(GDPR_REFERENCE.fullmatch(r) for r in references):
        return escape(article)
    cited = Markup(", ").join(lang.citation(reference) for reference in references)
    tail = Markup("; {}").format(rest.strip()) if semicolon else Markup("")
    return lang.says("legal_basis_article", article=cited) + tail


RULE_TAG = re.compile(r" \[([a-z0-9-]+)\]$")


def _article(message: str) -> tuple[str, tuple[str, str] | None]:
    """A rule's message without its '(Art. …) [rule-id]' tail, and the provision with the rule's id."""
    found = RULE_TAG.search(message)
    if not found:
        return message, None
    rule = next((r for r in RULES if r.id == found.group(1)), None)
    if rule is None:
        return message, None
    tail = f" ({rule.article}) [{rule.id}]"
    return message.removesuffix(tail), (rule.article, rule.id)


def _words(lang: str) -> dict[str, str]:
    return {key: str(value) for key, value in read_wording(lang)["preview"].items()}


def _inject(html: str, panel: str, version: int) -> str:
    """The page with the panel first in its body and the reload script last: only as it is sent."""
    body = re.search(r"<body\b[^>]*>", html)
    at = body.end() if body else 0
    html = html[:at] + "\n" + panel + html[at:]
    script = RELOAD_SCRIPT % (version, VERSION_PATH)
    end = html.rfind("</body>")
    return html[:end] + script + html[end:] if end >= 0 else html + script


def _bare_page(lang: str, title: str, body: str, version: int) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n".replace(
            "</body>", RELOAD_SCRIPT % (version, VERSION_PATH) + "</body>"
        )
    )


def _write(path: Path, data: bytes) -> None:
    """Write a file whole (a request never reads half of it): to a neighbour, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


def _counted(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _is_tool_file(path: Path) -> bool:
    """A template, stylesheet or wording file of the tool, or its vocabulary."""
    return path.is_relative_to(TEMPLATES_DIR.resolve()) or path.parent == GENERATOR_DIR


def _forget_tool_files() -> None:
    """Drop what was read once from the tool's own files, so an edited template or stylesheet is read again."""
    for cached in (environment, stylesheet, paper_stylesheet):
        cached.cache_clear()


# -- the server ---------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Answers GET requests at the paths of output/, and the build counter."""

    preview: Preview  # set on the class made for each server
    server_version = "seloste-preview"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        try:
            self._answer(url.path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a reload): nothing to answer
        except Exception as e:  # noqa: BLE001 - one failed request must not stop the preview
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(e).__name__}: {e}\n".encode(), "text/plain")

    def _answer(self, path: str, query: dict[str, list[str]]) -> None:
        preview = self.preview
        if path == VERSION_PATH:
            after = query.get("after", [""])[0]
            version = preview.wait(int(after), LONG_POLL_SECONDS) if after.isdigit() else preview.version
            self._send(HTTPStatus.OK, str(version).encode(), "text/plain")
            return
        lang = query.get("lang", ["fi"])[0]
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, preview.index(lang if lang in LANGUAGES else "fi"), "text/html")
            return
        if path == "/" + out.STYLESHEET:
            self._send(HTTPStatus.OK, stylesheet().encode(), "text/css")
            return
        match = NOTICE_PATH.fullmatch(path)
        if match is None:
            if re.fullmatch(r"/(fi|sv|en)/[^/]+", path):  # the folder without its slash
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
            return
        lang, register_id, name = match.groups()
        if name in (None, "index.html"):
            status, body = preview.page(lang, register_id)
            self._send(status, body, "text/html")
        elif name == "notice.pdf":
            pdf = preview.pdf(lang, register_id)
            if pdf is None:
                status, body = preview.page(lang, register_id)  # says why there is none
                self._send(HTTPStatus.CONFLICT, body, "text/html")
            else:
                self._send(HTTPStatus.OK, pdf, "application/pdf")
        else:
            file = preview.workdir / out.notice_folder(register_id, lang) / name
            if preview.find(register_id) is None or not file.is_file():
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
            else:
                kind = "application/ld+json" if name.endswith(".jsonld") else "text/html"
                self._send(HTTPStatus.OK, file.read_bytes(), kind)

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the signature http.server calls
        pass  # every page polls: a line per request would drown the build messages


def _watched(paths: list[Path]) -> list[Path]:
    folders = [folder.path.resolve() for folder in find_folders(paths)]
    return [*dict.fromkeys([*folders, TEMPLATES_DIR.resolve(), GENERATOR_DIR])]


def _relevant(_change: Any, name: str) -> bool:
    path = Path(name)
    return path.suffix.lower() in TOOL_FILES and not path.name.startswith(".")


def watch(preview: Preview, stop: threading.Event, ready: threading.Event) -> None:
    """Build again whenever a watched file is saved, until `stop` is set. `ready` is set once the
    folders are watched (the watcher's first quiet spell), so no save after it is missed."""
    import watchfiles

    for changes in watchfiles.watch(
        *_watched(preview.paths),
        watch_filter=_relevant,
        stop_event=stop,
        step=30,
        debounce=1000,
        rust_timeout=500,
        yield_on_timeout=True,
    ):
        ready.set()
        if not changes:
            continue
        try:
            preview.refresh({Path(name) for _, name in changes})
        except Exception as e:  # noqa: BLE001 - the preview keeps watching whatever one build does
            print(f"seloste serve: {type(e).__name__}: {e}", file=sys.stderr)


def serve(
    paths: list[Path],
    archive: Path,
    port: int,
    announce: Callable[[str], None],
    log: Callable[[str], None],
    *,
    style: bool = False,
) -> None:
    """Serve the preview at http://127.0.0.1:PORT/ until interrupted (port 0: any free port)."""
    with tempfile.TemporaryDirectory(prefix="seloste-preview-") as folder:
        preview = Preview(paths, archive, Path(folder), log, style=style)
        handler = type("PreviewHandler", (Handler,), {"preview": preview})
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as e:
            raise UsageError(f"cannot serve on port {port}: {e.strerror}; give another with --port") from e
        server.daemon_threads = True
        stop, ready = threading.Event(), threading.Event()
        watcher = threading.Thread(target=watch, args=(preview, stop, ready), daemon=True)
        watcher.start()
        ready.wait(timeout=30)  # the folders watched first: a save during the first build is seen
        preview.refresh()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        announce(f"serving the preview of {', '.join(map(str, paths))} at {base} (Ctrl+C stops it)")
        for entry in sorted(preview.entries.values(), key=lambda e: e.display):
            if entry.listing:
                announce(f"  {base}{entry.listing.languages[0]}/{entry.listing.id}/  ({entry.display})")
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()
            watcher.join(timeout=5)
