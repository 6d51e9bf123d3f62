"""What a build publishes about the archive: every version's pages, the change feeds and the index of versions.

From the archive as this build leaves it (its index.json and each version's register.json), for every
archived version of every register and each of its languages:

- `<lang>/<id>/<version>.html`: the notice as it stood, rendered from the archived content;
- `<lang>/<id>/changes-<version>.html`: what changed in it since the version before (changes.py);
- `<lang>/<id>/versions.html`: every version with its dates and links, linked from the notice's history;
- `<lang>/<id>/feed.atom` and `<lang>/feed.atom`: Atom feeds per register and for the organisation;
- `versions.json`: every version with the days it was in force, as `seloste archive --at` answers;
- for a register renamed with `previous_ids`: a redirect page at each old address, and `_redirects`
  and `redirects.nginx` that a web server loads.

Nothing here reads the clock: every date is a version date.
"""

import hashlib
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from pydantic import ValidationError

from . import paths as out
from .changes import CLASSES, MATERIAL, Change, compare, difference, identity
from .check import Report
from .errors import UsageError
from .load import LoadedFile
from .model import Register
from .render import Page, PageOptions, _markdown, _render, data_block
from .validate import ValidRegister
from .vocabulary import TermInfo, Vocabulary, Wording, load_shipped
from .wording import Language, languages
from .workers import read_again

VERSIONS_INDEX = "versions.json"
FEED = "feed.atom"
REDIRECTS = "_redirects"  # Netlify and Cloudflare Pages read it as is
NGINX_MAP = "redirects.nginx"  # a map block for nginx: include it in the http block
ATOM = "http://www.w3.org/2005/Atom"


def version_page(register_id: str, lang: str, version: str) -> str:
    """The notice as it stood: fi/customer-register/2026-09-01.html, beside the current page."""
    return f"{out.notice_folder(register_id, lang)}/{version}.html"


def changes_page(register_id: str, lang: str, version: str) -> str:
    return f"{out.notice_folder(register_id, lang)}/changes-{version}.html"


def versions_page(register_id: str, lang: str) -> str:
    return f"{out.notice_folder(register_id, lang)}/versions.html"


def register_feed(register_id: str, lang: str) -> str:
    return f"{out.notice_folder(register_id, lang)}/{FEED}"


def organisation_feed(lang: str) -> str:
    return f"{lang}/{FEED}"


@dataclass(frozen=True)
class Archived:
    """One archived version, with the days it was in force and what changed in it."""

    register: str
    version: str
    languages: list[str]
    pdfs: dict[str, str]  # language -> file name in its archive folder
    content: dict[str, Any]
    until: str | None  # the last day it was in force; None: it still is
    previous: str | None  # the version before it
    changes: list[Change]  # since the version before (none for the first)

    @property
    def folder(self) -> str:
        return out.version_folder(self.register, date.fromisoformat(self.version))


Read = Callable[[str], bytes | None]


def read_archive(read: Read) -> dict[str, list[Archived]]:
    """Every archived version by register, oldest first, from the archive index and each version's content."""
    raw = read(out.ARCHIVE_INDEX)
    index = json.loads(raw) if raw else {"registers": {}}
    found: dict[str, list[Archived]] = {}
    for register_id, versions in sorted(index.get("registers", {}).items()):
        listed: list[Archived] = []
        for i, entry in enumerate(sorted(versions, key=lambda v: v["effective_from"])):
            content_raw = read(f"{out.ARCHIVE}/{entry['folder']}/{out.CONTENT}")
            content = json.loads(content_raw) if content_raw else {}
            following = versions[i + 1]["effective_from"] if i + 1 < len(versions) else None
            before = listed[-1] if listed else None
            listed.append(
                Archived(
                    register=register_id,
                    version=entry["version"],
                    languages=list(entry["languages"]),
                    pdfs={_language_of(name): name for name in entry["files"]},
                    content=content,
                    until=(date.fromisoformat(following) - timedelta(days=1)).isoformat() if following else None,
                    previous=before.version if before else None,
                    changes=compare(before.content, content) if before else [],
                )
            )
        found[register_id] = listed
    return found


def _language_of(pdf_name: str) -> str:
    """A PDF's language from its name: customer-register_2026-09-01_fi.pdf."""
    return pdf_name.rsplit("_", 1)[-1].removesuffix(".pdf")


def versions_index(archive: dict[str, list[Archived]]) -> bytes:
    """versions.json: every version's validity interval (both days included) and its files and pages."""
    body = {
        "registers": {
            register_id: [
                {
                    "version": v.version,
                    "valid_from": v.version,
                    "valid_until": v.until,
                    "languages": v.languages,
                    "pdf": {lang: f"{v.folder}/{name}" for lang, name in sorted(v.pdfs.items())},
                    "page": {lang: version_page(register_id, lang, v.version) for lang in v.languages},
                    "changes": {lang: changes_page(register_id, lang, v.version) for lang in v.languages},
                    "counts": {cls: sum(1 for c in v.changes if c.cls == cls) for cls in CLASSES},
                }
                for v in versions
            ]
            for register_id, versions in archive.items()
        }
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- build ---------------------------------------------------------------------------------------------------------


# Kept: given a page's path and fingerprint, carry the page over when it was made from the same (True).
Keep = Callable[[str, str], bool]
FINGERPRINT = '<meta name="seloste.fingerprint" content="{}">'  # near the top of a version page


def publish(
    add: Callable[[str, str | bytes], None],
    read: Read,
    report: Report,
    options: PageOptions,
    keep: Keep = lambda relative, fingerprint: False,
) -> None:
    """Write every page, feed and index above through `add`, reading the archive through `read`. A page of
    a version as it stood, as costly to make as a notice, is made again only when `keep` cannot carry it over."""
    archive = read_archive(read)
    current = {listing.id: read_again(report, listing) for listing in report.registers}
    vocabulary = next(iter(current.values())).vocabulary if current else load_shipped()
    shared = next((e.vocabulary_file.sha256 for e in current.values() if e.vocabulary_file), "")
    langs = languages(vocabulary)
    add(VERSIONS_INDEX, versions_index(archive))
    for register_id in sorted(set(archive) | set(current)):
        versions = archive.get(register_id, [])
        for v in versions:
            entry: ValidRegister | None = None  # read only when a page must be made
            for code in v.languages:
                lang = langs[code]
                relative = version_page(register_id, code, v.version)
                made_from = _fingerprint(v, code, options, shared)
                if not keep(relative, made_from):
                    entry = entry or _archived_entry(v, vocabulary)
                    if entry is not None:
                        add(relative, _version_html(entry, v, lang, options, made_from))
                add(changes_page(register_id, code, v.version), _changes_html(v, lang, _vocab(v, vocabulary)))
        shown = current[register_id].register.languages if register_id in current else _languages(versions)
        for code in shown:
            add(versions_page(register_id, code), _versions_html(register_id, versions, langs[code], current, options))
            add(register_feed(register_id, code), _feed([(register_id, versions)], langs[code], current, options))
    for code, lang in langs.items():
        listed = [(rid, [v for v in vs if code in v.languages]) for rid, vs in sorted(archive.items())]
        add(organisation_feed(code), _feed([(r, vs) for r, vs in listed if vs], lang, current, options, whole=True))
    _redirects(add, report, current, langs, options)


def _languages(versions: list[Archived]) -> list[str]:
    return list(dict.fromkeys(code for v in versions for code in v.languages))


# -- the notice as it stood -----------------------------------------------------------------------------------------


def _vocab(v: Archived, base: Vocabulary) -> Vocabulary:
    """The vocabulary the version was published with: the organisation's terms as archived with it."""
    groups = {group: dict(terms) for group, terms in base.groups.items()}
    for name, wording in (v.content.get("_organisation_terms") or {}).items():
        group, key = name.split(".", 1)
        known = groups.setdefault(group, {}).get(key)
        words = {lang: Wording(label=label) for lang, label in wording.items()}
        groups[group][key] = replace(known, wording=words) if known else TermInfo(wording=words, shipped=False)
    return Vocabulary(groups=groups, extensible=base.extensible)


def _as_input(node: Any) -> Any:
    """The archived content in the form a register file writes it: terms by key, `transfers: none`."""
    if isinstance(node, dict):
        if set(node) == {"group", "key"}:
            return node["key"]
        return {key: _as_input(value) for key, value in node.items() if key != "_organisation_terms"}
    if isinstance(node, list):
        return [_as_input(value) for value in node]
    return node


def _archived_entry(v: Archived, base: Vocabulary) -> ValidRegister | None:
    """The archived version as a register to render, or None when today's format no longer reads it
    (its PDFs, which never change, are then its only edition)."""
    data = _as_input(v.content)
    if data.get("transfers") == []:
        data["transfers"] = "none"
    vocabulary = _vocab(v, base)
    try:
        register = Register.model_validate(data, context={"vocabulary": vocabulary, "languages": tuple(v.languages)})
    except ValidationError:
        return None
    source = LoadedFile(Path(f"{out.ARCHIVE}/{v.register}/{v.version}/{out.CONTENT}"), v.folder, b"")
    return ValidRegister(register, source, None, vocabulary)


class _ArchivedPage(Page):
    """A version as it stood: its language switcher leads to the same version in the other languages."""

    @property
    def languages(self) -> dict[str, str]:
        register = self.register
        return {
            code: f"../../{version_page(register.id, code, register.version.isoformat())}"
            for code in register.languages
        }


def _fingerprint(v: Archived, lang: str, options: PageOptions, vocabulary: str) -> str:
    """Everything a version's page as it stood is made from: the tool, the archived content, the day it
    ceased to be in force, its PDF, the site's options and the organisation's vocabulary file."""
    from .cache import tool_fingerprint

    content = json.dumps(v.content, sort_keys=True, ensure_ascii=False)
    parts = [tool_fingerprint(lang), content, v.until or "", v.pdfs.get(lang, ""), options.key(), vocabulary]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _version_html(entry: ValidRegister, v: Archived, lang: Language, options: PageOptions, made_from: str) -> str:
    from .compose import plan
    from .jsonld import notice_document, serialise

    register = entry.register
    prefix = options.base_url or "../../"
    alternates: dict[str, str] = {
        code: prefix + version_page(register.id, code, v.version) for code in register.languages
    }
    pdf = f"../../{v.folder}/{v.pdfs[lang.code]}" if lang.code in v.pdfs else None
    page = _ArchivedPage(
        plan(register, entry.vocabulary),
        lang,
        entry,
        alternates,
        level=1,
        pdf=pdf,
        canonical=alternates[lang.code] if options.base_url else None,
    )
    article = Markup(_render("notice.html.j2", page=page))
    words = lang.words["versions"]
    start, end = lang.date(date.fromisoformat(v.version)), v.until and lang.date(date.fromisoformat(v.until))
    said = (
        Markup(escape(words["stood_until"])).format(start=start, end=end)
        if end
        else Markup(escape(words["stood_from"])).format(start=start)
    )
    jsonld = data_block(serialise(notice_document(entry, lang.code), compact=True))
    return _render(
        "version.html.j2",
        page=page,
        article=article,
        jsonld=jsonld,
        W=words,
        said=said,
        current=f"../../{out.page(register.id, lang.code)}",
        versions="versions.html",
        fingerprint=Markup(FINGERPRINT.format(made_from)),
    )


# -- what changed ----------------------------------------------------------------------------------------------------

# Sections without a heading of their own, shown under the heading of the section they belong to.
SECTION_OF = {
    "representative": "controller",
    "joint_controllers": "controller",
    "joint_arrangement": "controller",
    "children_consent": "purposes",
    "information_exemption": "sources",
    "processors": "recipients",
    "automated_processing": "automated_decisions",
    "exercise_rights": "rights",
    "consent_withdrawal": "rights",
    "rights_restrictions": "rights",
    "restriction_grounds": "rights",
    "first_layer_sign": "summary",
}
FIELD_LABELS = ("legal_basis", "legitimate_interests", "national_law", "country", "special_category_condition")


@dataclass(frozen=True)
class ShownChange:
    """One change as a page shows it in one language."""

    cls: str
    what: str  # its reason or kind, in words
    where: str  # the section and the entry
    articles: str | None
    before: str | None
    after: str | None
    excerpt: tuple[str, str, str, str] | None = None  # for a reworded text: where it differs (changes.difference)


def shown_changes(v: Archived, lang: Language, vocabulary: Vocabulary) -> list[ShownChange]:
    """The version's changes in `lang`, the sections named by the notice's own headings."""
    words = lang.words["versions"]
    found = []
    for change in v.changes:
        if change.languages and lang.code not in change.languages:
            continue  # a translation changed in another language only
        section = change.section
        heading_key = SECTION_OF.get(section, section)
        headings = lang.words["headings"]["gdpr"]
        where = [headings.get(heading_key, words["other_content"])]
        if len(change.path) > 1 and isinstance(change.path[1], str) and ":" in change.path[1]:
            item = _entry_of(change, v.content)
            where.append(_label(item, lang, vocabulary) if item is not None else change.path[1].split(":", 1)[1])
        leaf = str(change.path[-1])
        if leaf in FIELD_LABELS and len(change.path) > 2:
            where.append(lang.label(leaf))
        what = words["reasons"][change.reason] if change.reason else words["kinds"][change.kind]
        articles = change.article.replace("Art. ", "") if change.article else None
        before, after = _value(change.before, lang, vocabulary), _value(change.after, lang, vocabulary)
        reworded = lang.code in change.languages and before and after
        found.append(
            ShownChange(
                change.cls,
                what,
                ": ".join(where),
                articles,
                before,
                after,
                difference(before, after, 80) if reworded and before and after else None,
            )
        )
    return found


def _entry_of(change: Change, content: dict[str, Any]) -> Any:
    """The list entry a change is in: found in the version by its identity, or the removed entry itself."""
    section, name = change.section, change.path[1]
    for item in content.get(section) or []:
        if isinstance(item, dict) and identity((section,), item) == name:
            return item
    return change.before if len(change.path) == 2 else None


def _label(item: Any, lang: Language, vocabulary: Vocabulary) -> str:
    """An entry's name: its term's label, or its own words, or its destination."""
    if isinstance(item, dict):
        term = item.get("term")
        if isinstance(term, dict):
            return _term(term, lang, vocabulary)
        for key in ("text", "name", "organisation", "title", "heading"):
            value = item.get(key)
            if isinstance(value, dict) and value.get(lang.code):
                return str(value[lang.code])
        if item.get("country"):
            return lang.country(str(item["country"]))
    return _value(item, lang, vocabulary) or ""


def _term(term: dict[str, Any], lang: Language, vocabulary: Vocabulary) -> str:
    info = vocabulary.groups.get(str(term.get("group")), {}).get(str(term.get("key")))
    if info is not None and lang.code in info.wording:
        return info.wording[lang.code].label
    return str(term.get("key"))


def _value(value: Any, lang: Language, vocabulary: Vocabulary) -> str | None:
    """A value in `lang`, as plain text: a text in that language, a term's label, an entry's name."""
    if value is None:
        return None
    if isinstance(value, dict):
        if set(value) == {"group", "key"}:
            return _term(value, lang, vocabulary)
        if value and set(value) <= {"fi", "sv", "en"}:
            return str(value.get(lang.code) or "")
        if any(key in value for key in ("term", "text", "name", "organisation", "country")):
            return _label(value, lang, vocabulary)
        return "; ".join(
            f"{key}: {_value(item, lang, vocabulary)}" for key, item in value.items() if item not in (None, [], "")
        )
    if isinstance(value, list):
        return lang.list(str(_value(item, lang, vocabulary)) for item in value)
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, str) and len(value) == 2 and value.isupper():
        return lang.country(value)
    return str(value)


def _note(v: Archived, lang: Language) -> str | None:
    """The controller's own note on the version, from its history entry (in this version or a later one)."""
    for entry in v.content.get("history") or []:
        if entry.get("version") == v.version and isinstance(entry.get("changes"), dict):
            return str(entry["changes"].get(lang.code) or "") or None
    return None


def _changes_html(v: Archived, lang: Language, vocabulary: Vocabulary) -> str:
    words = lang.words["versions"]
    shown = shown_changes(v, lang, vocabulary)
    title = Markup(escape(words["changes_title"])).format(date=lang.date(date.fromisoformat(v.version)))
    counts = Markup(escape(words["counts"])).format(**{cls: sum(1 for c in shown if c.cls == cls) for cls in CLASSES})
    return _render(
        "changes.html.j2",
        L=lang,
        W=words,
        r=v.content,
        v=v,
        title=title,
        counts=counts,
        groups=[(cls, [c for c in shown if c.cls == cls]) for cls in CLASSES],
        compared=v.previous
        and Markup(escape(words["compared"])).format(date=lang.date(date.fromisoformat(v.previous))),
        note=_note(v, lang),
        name=_text(v.content.get("title"), lang),
        controller=_text((v.content.get("controller") or {}).get("name"), lang),
        pdf=f"../../{v.folder}/{v.pdfs[lang.code]}" if lang.code in v.pdfs else None,
        stood=f"{v.version}.html",
        versions="versions.html",
        languages={code: f"../../{changes_page(v.register, code, v.version)}" for code in v.languages},
        md=_markdown,  # a text of the register, as the notice renders it: sanitised, raw HTML refused
    )


def _text(value: Any, lang: Language) -> str:
    return str(value.get(lang.code) or "") if isinstance(value, dict) else ""


# -- every version ---------------------------------------------------------------------------------------------------


def _versions_html(
    register_id: str,
    versions: list[Archived],
    lang: Language,
    current: dict[str, ValidRegister],
    options: PageOptions,
) -> str:
    words = lang.words["versions"]
    latest = versions[-1].content if versions else {}
    register = current[register_id].register if register_id in current else None
    name = lang.text(register.title) if register else _text(latest.get("title"), lang)
    controller = (
        lang.text(register.controller.name) if register else _text((latest.get("controller") or {}).get("name"), lang)
    )
    codes = list(register.languages) if register else _languages(versions)
    rows = []
    for v in reversed(versions):
        if lang.code not in v.languages:
            continue
        start = lang.date(date.fromisoformat(v.version))
        span = (
            Markup(escape(words["from_to"])).format(start=start, end=lang.date(date.fromisoformat(v.until)))
            if v.until
            else Markup(escape(words["from_only"])).format(start=start)
        )
        rows.append(
            {
                "version": v.version,
                "span": span,
                "stood": f"{v.version}.html",
                "changes": f"changes-{v.version}.html",
                "pdf": f"../../{v.folder}/{v.pdfs[lang.code]}" if lang.code in v.pdfs else None,
                "counts": {cls: sum(1 for c in v.changes if c.cls == cls) for cls in CLASSES},
            }
        )
    return _render(
        "versions.html.j2",
        L=lang,
        W=words,
        name=name,
        controller=controller,
        rows=rows,
        current=f"../../{out.page(register_id, lang.code)}" if register else None,
        feed=FEED,
        languages={code: f"../../{versions_page(register_id, code)}" for code in codes},
    )


# -- Atom ------------------------------------------------------------------------------------------------------------


def entry_id(content: dict[str, Any], register_id: str, version: str, lang: str) -> str:
    """A stable id for one version in one language: the same name-based UUID as its TILT document's
    `_id` (tilt.py), from the controller's business ID (or name), the register id and the version."""
    controller = content.get("controller") or {}
    owner = controller.get("business_id") or (controller.get("name") or {}).get(lang)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"seloste:{owner}/{register_id}/{version}/{lang}"))


def _feed(
    listed: list[tuple[str, list[Archived]]],
    lang: Language,
    current: dict[str, ValidRegister],
    options: PageOptions,
    *,
    whole: bool = False,
) -> bytes:
    """An Atom feed (RFC 4287) of the versions listed, newest first; every date a version date."""
    words = lang.words["versions"]
    vocabulary = next(iter(current.values())).vocabulary if current else load_shipped()
    entries = sorted(
        ((rid, v) for rid, versions in listed for v in versions if lang.code in v.languages),
        key=lambda item: (item[1].version, item[0]),
        reverse=True,
    )
    base = options.base_url or ""
    any_content = entries[0][1].content if entries else next((e.dump for e in current.values()), {})
    controller = _text((any_content.get("controller") or {}).get("name"), lang)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang.code})
    if whole:
        owner = (any_content.get("controller") or {}).get("business_id") or controller
        feed_id = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"seloste:{owner}/feed/{lang.code}"))
        title = str(Markup(escape(words["organisation_feed_title"])).format(controller=controller))
        self_href = organisation_feed(lang.code)
    else:
        register_id = listed[0][0]
        content = listed[0][1][-1].content if listed[0][1] else current[register_id].dump
        feed_id = entry_id(content, register_id, "feed", lang.code)
        name = _text(content.get("title"), lang)
        title = str(Markup(escape(words["feed_title"])).format(title=name))
        self_href = register_feed(register_id, lang.code)
    ET.SubElement(feed, "id").text = feed_id
    ET.SubElement(feed, "title").text = title
    updated = max((v.version for _, v in entries), default="1970-01-01")
    ET.SubElement(feed, "updated").text = f"{updated}T00:00:00Z"
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = controller or "-"
    if base:
        ET.SubElement(feed, "link", {"rel": "self", "href": base + self_href, "type": "application/atom+xml"})
    for register_id, v in entries:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "id").text = entry_id(v.content, register_id, v.version, lang.code)
        name = _text(v.content.get("title"), lang)
        ET.SubElement(entry, "title").text = f"{name}: {lang.date(date.fromisoformat(v.version))}"
        ET.SubElement(entry, "updated").text = f"{v.version}T00:00:00Z"
        href = (
            base + changes_page(register_id, lang.code, v.version)
            if base
            else _relative(self_href, changes_page(register_id, lang.code, v.version))
        )
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": href})
        summary = ET.SubElement(entry, "content", {"type": "html"})
        summary.text = str(_entry_html(v, lang, _vocab(v, vocabulary)))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode").encode("utf-8") + b"\n"


def _relative(start: str, target: str) -> str:
    """A link from the file `start` to `target`, both relative to output/."""
    depth = start.count("/")
    return "../" * depth + target


def _entry_html(v: Archived, lang: Language, vocabulary: Vocabulary) -> Markup:
    """An entry's content: the controller's note, the counts and every material change."""
    words = lang.words["versions"]
    shown = shown_changes(v, lang, vocabulary)
    parts = []
    note = _note(v, lang)
    if note:
        parts.append(Markup("<p>{}</p>").format(note))
    if v.previous is None:
        parts.append(Markup("<p>{}</p>").format(words["first"]))
    else:
        counts = Markup(escape(words["counts"])).format(
            **{cls: sum(1 for c in shown if c.cls == cls) for cls in CLASSES}
        )
        parts.append(Markup("<p>{}</p>").format(counts))
        material = [c for c in shown if c.cls == MATERIAL]
        if material:
            items = Markup("").join(Markup("<li>{}: {}</li>").format(c.what, c.where) for c in material)
            parts.append(Markup("<ul>{}</ul>").format(items))
    return Markup("").join(parts)


# -- renamed registers -----------------------------------------------------------------------------------------------


def _redirects(
    add: Callable[[str, str | bytes], None],
    report: Report,
    current: dict[str, ValidRegister],
    langs: dict[str, Language],
    options: PageOptions,
) -> None:
    """A redirect page at every old address of a renamed register, and the same as server rules."""
    rules: list[tuple[str, str]] = []
    for register_id, entry in sorted(current.items()):
        register = entry.register
        for old in register.previous_ids:
            if old in current:
                raise UsageError(
                    f"{entry.source.display}: previous_ids: '{old}' is the id of a register still published; "
                    "a register renamed from it cannot take its addresses"
                )
            for code in register.languages:
                lang = langs[code]
                target = out.page(register_id, code)
                page = _render(
                    "redirect.html.j2",
                    L=lang,
                    W=lang.words["versions"],
                    name=lang.text(register.title),
                    href=(options.base_url or "../../") + target,
                )
                add(out.page(old, code), page)
                rules.append((f"/{out.notice_folder(old, code)}/", f"/{out.notice_folder(register_id, code)}/"))
    prefix = urlsplit(options.base_url).path.rstrip("/") if options.base_url else ""
    redirects = "".join(f"{prefix}{old}*  {prefix}{new}:splat  301\n" for old, new in rules)
    nginx = "".join(f"    ~^{prefix}{old}(?<rest>.*)$  {prefix}{new}$rest;\n" for old, new in rules)
    if rules:
        add(REDIRECTS, redirects)
        add(
            NGINX_MAP,
            "# Old addresses of renamed registers. In the http block: include this file; in the server block:\n"
            "#   if ($seloste_moved) { return 301 $seloste_moved; }\n"
            "map $uri $seloste_moved {\n" + nginx + "}\n",
        )
