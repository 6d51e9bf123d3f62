"""Change reports: what changed between two versions of a notice, field by field, and how much it matters.

Two versions are compared in their archived form (register.json, see archive.content): every list
entry is matched by what it is (its term, its own text, its destination), never by its position,
and every difference is classified:

- **material**: a change the data subjects must be told of before it applies (Art. 13(3), 14(4)
  for a new purpose; for the rest, the Art. 13/14 item it changes): a new purpose, group of data
  subjects, data category, source, recipient, transfer or destination country; a changed legal
  basis or transfer safeguard; a changed retention period (seloste cannot tell from the words
  whether it is longer, so every change of it counts); automated decisions begun or changed;
- **contact**: the controller's, representative's, contact person's, DPO's or supervisory
  authority's details (Art. 13(1)(a)-(b), 14(1)(a)-(b));
- **editorial**: everything else: wording, an entry removed, presentation.

An entry whose identifying text changed (a purpose of the register's own words, reworded in
Finnish) is reported as removed and added: a material change, for seloste cannot tell a
rewording from a new purpose. That is the same identity the `new-purpose` rule uses.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import archive
from .archive import archived_versions, read_manifest
from .errors import ArchiveError, UsageError
from .paths import CONTENT, in_archive
from .validate import ValidRegister

MATERIAL, CONTACT, EDITORIAL = "material", "contact", "editorial"
CLASSES = (MATERIAL, CONTACT, EDITORIAL)
ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# What is compared as a whole, not field by field: the register's own version and how it is set.
SKIPPED = {"version"}
CONTACT_SECTIONS = {
    "controller",
    "representative",
    "contact_person",
    "dpo",
    "supervisory_authority",
    "joint_controllers",
}
CONTACT_ARTICLE = "Art. 13(1)(a), (b); 14(1)(a), (b)"

# A new entry in one of these lists is a material change: (reason, article).
NEW_ENTRY = {
    "purposes": ("new_purpose", "Art. 13(3), 14(4); 13(1)(c), 14(1)(c)"),
    "data_subjects": ("new_data_subjects", "Art. 13(3), 14(4)"),
    "data_categories": ("new_data_category", "Art. 14(1)(d)"),
    "sources": ("new_source", "Art. 14(2)(f)"),
    "recipients": ("new_recipient", "Art. 13(1)(e), 14(1)(e)"),
    "processors": ("new_recipient", "Art. 13(1)(e), 14(1)(e)"),
    "transfers": ("new_transfer", "Art. 13(1)(f), 14(1)(f)"),
}
# A changed field of this name, anywhere, is a material change: (reason, article).
MATERIAL_FIELDS = {
    "legal_basis": ("legal_basis", "Art. 13(1)(c), 14(1)(c)"),
    "special_category_condition": ("legal_basis", "Art. 9(2); 13(1)(c), 14(1)(c)"),
    "country": ("new_country", "Art. 13(1)(f), 14(1)(f)"),
    "safeguard": ("transfer_safeguard", "Art. 13(1)(f), 14(1)(f)"),
}
RETENTION = ("retention", "Art. 13(2)(a), 14(2)(a)")
AUTOMATED = ("automated_decisions", "Art. 13(2)(f), 14(2)(g)")


@dataclass(frozen=True)
class Change:
    """One difference between two versions."""

    kind: str  # added, removed or changed
    cls: str  # material, contact or editorial
    path: tuple[str | int, ...]  # where in the register, entries named by their identity ("term:contract")
    before: Any  # the value in the earlier version (None: there was none)
    after: Any  # the value in the later version (None: there is none)
    reason: str | None = None  # why it is material: new_purpose, legal_basis, ... (None for the other classes)
    article: str | None = None  # the GDPR article the change concerns, for material and contact changes
    languages: tuple[str, ...] = ()  # for a text: the languages whose wording changed

    @property
    def section(self) -> str:
        return str(self.path[0])

    def as_json(self) -> dict[str, Any]:
        return {
            "class": self.cls,
            "kind": self.kind,
            "field": dotted(self.path),
            "reason": self.reason,
            "article": self.article,
            "languages": list(self.languages),
            "before": self.before,
            "after": self.after,
        }


def dotted(path: tuple[str | int, ...]) -> str:
    """A path as text: purposes[term:contract].legal_basis."""
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) or ":" in str(part) else (f".{part}" if shown else str(part))
    return shown


# -- comparing ----------------------------------------------------------------------------------------------------


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every change from `before` to `after` (two versions in their archived form), classified."""
    changes: list[Change] = []
    for key in sorted(set(before) | set(after), key=lambda k: _order(k, after, before)):
        if key in SKIPPED:
            continue
        for kind, path, old, new in _walk(before.get(key), after.get(key), (key,)):
            changes.append(classify(kind, path, old, new, after))
    return sorted(changes, key=lambda change: CLASSES.index(change.cls))  # stable: in the register's order within


def _order(key: str, *versions: dict[str, Any]) -> int:
    """Keys in the order the register writes them (the later version first), the others last."""
    for version in versions:
        if key in version:
            return list(version).index(key)
    return 0


def _walk(old: Any, new: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str, tuple[str | int, ...], Any, Any]]:
    """The differences between two values: (kind, path, before, after), a text or a term taken whole."""
    if old == new:
        return
    if old is None or old == [] and new:
        if isinstance(new, list) and _entries(new):
            for item in new:
                yield ADDED, (*path, identity(path, item)), None, item
        else:
            yield ADDED, path, None, new
        return
    if new is None or new == [] and old:
        yield REMOVED, path, old, None
        return
    if isinstance(old, dict) and isinstance(new, dict) and not _whole(old) and not _whole(new):
        for key in sorted(set(old) | set(new), key=lambda k: _order(k, new, old)):
            yield from _walk(old.get(key), new.get(key), (*path, key))
        return
    if isinstance(old, list) and isinstance(new, list) and _entries(old) and _entries(new):
        earlier = {identity(path, item): item for item in old}
        later = {identity(path, item): item for item in new}
        for name, item in earlier.items():
            if name not in later:
                yield REMOVED, (*path, name), item, None
        for name, item in later.items():
            if name not in earlier:
                yield ADDED, (*path, name), None, item
            else:
                yield from _walk(earlier[name], item, (*path, name))
        return
    yield CHANGED, path, old, new


def _whole(value: dict[str, Any]) -> bool:
    """A text ({fi, sv, en}) or a term ({group, key}): compared as one value."""
    return bool(value) and (set(value) <= {"fi", "sv", "en"} or set(value) == {"group", "key"})


def _entries(items: list[Any]) -> bool:
    """A list of entries (mappings), matched by identity; other lists are compared whole."""
    return bool(items) and all(isinstance(item, dict) and not _whole(item) for item in items)


def identity(path: tuple[str | int, ...], item: dict[str, Any]) -> str:
    """What an entry is, across versions: its term, its id, its destination, its name or its own words."""
    if path == ("purposes",):
        from .rules_finland import _purpose_ids  # here: importing the rules registers them, in their own order

        found = _purpose_ids([item])  # the identity the new-purpose rule compares by
        if found:
            return next(iter(found))
    term = item.get("term")
    if isinstance(term, dict) and "key" in term:
        return f"term:{term['key']}"
    if item.get("country"):
        return f"country:{item['country']}"
    if isinstance(item.get("version"), str):  # a history entry
        return f"version:{item['version']}"
    for key in ("id", "name", "organisation", "text", "title", "heading"):
        value = item.get(key)
        if isinstance(value, str) and value:
            return f"{key}:{value}"
        if isinstance(value, dict) and value:
            return f"{key}:" + next((v for v in value.values() if isinstance(v, str) and v), "")
    return "entry:" + json.dumps(item, sort_keys=True, ensure_ascii=False)


def classify(kind: str, path: tuple[str | int, ...], old: Any, new: Any, after: dict[str, Any]) -> Change:
    """Decide the class of one difference."""
    languages = _languages_changed(old, new)
    section = str(path[0])
    leaf = next((str(p) for p in reversed(path) if not isinstance(p, int) and ":" not in str(p)), section)

    def made(cls: str, reason: str | None = None, article: str | None = None) -> Change:
        return Change(kind, cls, path, old, new, reason, article, languages)

    if section in CONTACT_SECTIONS:
        return made(CONTACT, None, CONTACT_ARTICLE)
    if section in NEW_ENTRY and kind == ADDED and len(path) <= 2:
        return made(MATERIAL, *NEW_ENTRY[section])
    if kind != REMOVED and leaf in MATERIAL_FIELDS:
        return made(MATERIAL, *MATERIAL_FIELDS[leaf])
    if section == "retention" and kind != REMOVED:
        return made(MATERIAL, *RETENTION)
    if section in ("automated_decisions", "automated_processing") and _automated(after):
        return made(MATERIAL, *AUTOMATED)
    return made(EDITORIAL)


def _automated(content: dict[str, Any]) -> bool:
    """Whether the later version makes automated decisions (Art. 22): a change to them is then material."""
    decisions = content.get("automated_decisions")
    return bool(isinstance(decisions, dict) and decisions.get("used")) or bool(content.get("automated_processing"))


def _languages_changed(old: Any, new: Any) -> tuple[str, ...]:
    if not (isinstance(old, dict) and isinstance(new, dict) and _whole(old) and _whole(new)):
        return ()
    if set(old) == {"group", "key"} or set(new) == {"group", "key"}:
        return ()
    return tuple(lang for lang in ("fi", "sv", "en") if old.get(lang) != new.get(lang))


# -- versions to compare -----------------------------------------------------------------------------------------

CURRENT = "current"


@dataclass(frozen=True)
class Version:
    """One version of a register in its archived form."""

    register: str
    label: str  # its date, or "current" for the register as it stands in its file
    content: dict[str, Any]

    @property
    def day(self) -> date:
        return date.fromisoformat(str(self.content.get("version")))


@dataclass(frozen=True)
class ChangeReport:
    """What changed from one version of a register to another."""

    register: str
    before: Version
    after: Version
    changes: list[Change] = field(default_factory=list)

    def count(self, cls: str) -> int:
        return sum(1 for change in self.changes if change.cls == cls)

    @property
    def material(self) -> list[Change]:
        return [change for change in self.changes if change.cls == MATERIAL]


def archived_content(root: Path, register_id: str, version: date) -> dict[str, Any]:
    """An archived version's content (register.json) in the archive folder `root`."""
    path = root / in_archive(register_id, version) / CONTENT
    data = read_manifest(path)
    if data is None:
        raise ArchiveError(f"{path}: not readable as the archived content of version {version}")
    return data


def content_of(entry: ValidRegister) -> dict[str, Any]:
    """A register as it stands, in the form its version would be archived in."""
    data: dict[str, Any] = json.loads(archive.content(entry))
    return data


def report(
    root: Path,
    register_id: str,
    current: ValidRegister | None,
    earlier: str | None = None,
    later: str | None = None,
) -> ChangeReport:
    """The change report `seloste diff` prints. Each of `earlier` and `later` is a version date or
    "current" (the register file as it stands). Without them: the last two archived versions; with
    only "current" (or one date): that against the last archived version before it."""
    versions = archived_versions(root, register_id)
    if later is None and earlier is not None:
        earlier, later = None, earlier
    if later is None:
        if len(versions) < 2:
            held = ", ".join(v.isoformat() for v in versions) or "none"
            raise UsageError(
                f"'{register_id}' has {len(versions)} archived version{'s' if len(versions) != 1 else ''} ({held}); "
                f"name the two to compare (seloste diff {register_id} FROM TO), or compare the register file "
                f"with the last archived version: seloste diff {register_id} current"
            )
        later = versions[-1].isoformat()
    after = _version(root, register_id, later, versions, current)
    if earlier is None:
        before_days = [v for v in versions if v < after.day]
        if not before_days:
            raise UsageError(
                f"no archived version of '{register_id}' is earlier than {after.label}; nothing to compare"
            )
        earlier = before_days[-1].isoformat()
    before = _version(root, register_id, earlier, versions, current)
    return ChangeReport(register_id, before, after, compare(before.content, after.content))


def _version(root: Path, register_id: str, label: str, versions: list[date], current: ValidRegister | None) -> Version:
    if label == CURRENT:
        if current is None:
            raise UsageError(f"no register file with the id '{register_id}' to compare as the current version")
        return Version(register_id, CURRENT, content_of(current))
    try:
        day = date.fromisoformat(label)
    except ValueError:
        raise UsageError(f"'{label}' is not a version: write a date such as 2026-09-01, or current") from None
    if day not in versions:
        held = ", ".join(v.isoformat() for v in versions) or "none"
        raise UsageError(f"version {label} of '{register_id}' is not in the archive (archived: {held})")
    return Version(register_id, label, archived_content(root, register_id, day))


# -- as text and JSON ---------------------------------------------------------------------------------------------

REASONS_EN = {
    "new_purpose": "a new purpose",
    "new_data_subjects": "a new group of data subjects",
    "new_data_category": "a new category of personal data",
    "new_source": "a new source",
    "new_recipient": "a new recipient",
    "new_transfer": "a new transfer outside the EEA",
    "new_country": "a new destination country",
    "transfer_safeguard": "a changed transfer safeguard",
    "legal_basis": "a changed legal basis",
    "retention": "a changed retention period (it may be longer)",
    "automated_decisions": "automated decisions changed",
}


def as_text(found: ChangeReport) -> str:
    """The report for a terminal: one line per change, then the wording before and after."""
    lines = [
        f"{found.register}: {found.before.label} -> {found.after.label}: "
        + ", ".join(f"{found.count(cls)} {cls}" for cls in CLASSES)
    ]
    for change in found.changes:
        what = REASONS_EN.get(change.reason or "", change.kind)
        cited = f" ({change.article})" if change.article else ""
        langs = f" in {', '.join(change.languages)}" if change.languages else ""
        lines.append(f"{change.cls:<9} {dotted(change.path)}: {what}{langs}{cited}")
        for lang in change.languages:
            lines.append(f"    {lang}: {excerpt(change.before.get(lang) or '', change.after.get(lang) or '')}")
        if not change.languages and change.kind == CHANGED:
            lines.append(f"    before: {_short(change.before)}")
            lines.append(f"    after:  {_short(change.after)}")
    if not found.changes:
        lines.append("no changes")
    return "\n".join(lines) + "\n"


def excerpt(before: str, after: str, context: int = 40) -> str:
    """Where two wordings differ, with a little of what surrounds it: "…ajan ja [kolme -> viisi] vuotta…"."""
    head, old, new, tail = difference(before, after, context)
    return " ".join(f"{head}[{old} -> {new}]{tail}".split())


def difference(before: str, after: str, context: int = 40) -> tuple[str, str, str, str]:
    """Two wordings split into what precedes their difference, the two different parts (whole words),
    and what follows, each of the surrounding parts cut to about `context` characters."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    while start > 0 and not before[start - 1].isspace():  # whole words
        start -= 1
    while end > 0 and not before[len(before) - end].isspace():
        end -= 1
    head = before[max(0, start - context) : start]
    tail = before[len(before) - end : len(before) - end + context]
    old, new = before[start : len(before) - end], after[start : len(after) - end]
    return (
        ("…" if start > context else "") + head,
        old,
        new,
        tail + ("…" if end > context else ""),
    )


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_json(found: ChangeReport) -> str:
    """The report as JSON, for other tools."""
    body = {
        "register": found.register,
        "from": found.before.label,
        "to": found.after.label,
        "counts": {cls: found.count(cls) for cls in CLASSES},
        "changes": [change.as_json() for change in found.changes],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
