"""Properties over many registers: every valid register, however it is written, validates and
builds; every mutated register either builds or fails with located problems, never with an
unexpected exception.

Valid registers are drawn from the schema itself: vocabulary terms from generator/vocabulary.yaml,
texts in fi, sv and en with any Unicode a person might type, dates, and random subsets of the
optional fields, written out as YAML in several styles (block or flow, plain or quoted, LF or
CRLF, with or without a byte order mark). Mutated registers are real ones with lines deleted,
duplicated, swapped or re-indented, characters inserted, bytes replaced and values swapped for
other types.
"""

from __future__ import annotations

import functools
import inspect
import re
import tempfile
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from conftest import MINIMAL, REPO
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.build import build
from generator.errors import Problem, ProblemsFound, RendererWarning, display_path
from generator.facts import GDPR_APPLIES
from generator.law import ADEQUATE
from generator.load import NBSP_INDENT
from generator.model import ANCHORS
from generator.rules import ABROAD_HINTS, AUTHORITIES, FEES, PERIOD
from generator.validate import validate_paths
from generator.values import COUNTRIES, LANGUAGES
from generator.vocabulary import load_shipped

VOCABULARY = load_shipped()
# One worker keeps an example's build in this process (no fork per example) where the option exists.
SERIAL: dict[str, Any] = {"jobs": 1} if "jobs" in inspect.signature(build).parameters else {}
# The same examples on every run (derandomize): a run passes or fails on the code, never on chance. A
# counterexample found while developing is kept by pasting its @example, or its blob (print_blob).
SETTINGS: dict[str, Any] = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    derandomize=True,
)


# Strategies are made once, not within each draw: hypothesis reads a filter's source code every
# time a filtered strategy is made, which cost more than a register's build.
@functools.cache
def terms(group: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(VOCABULARY.keys(group)))


# -- values ---------------------------------------------------------------------------------------

# Anything a person can type or paste: every assigned character but control characters, lone
# surrogates and the line and paragraph separators a register file may not hold raw (they start
# hidden YAML lines). (U+FEFF, bidirectional controls and characters beyond the BMP are included.)
CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Zl", "Zp"))
WORDS = st.text(CHARACTERS, min_size=1, max_size=30).filter(lambda s: s.strip())
# A line of several may not start with a non-breaking space: in the file it would stand where the
# indentation is, which the loader refuses as pasted word-processor indentation (docs/security.md).
LINES = st.text(st.one_of(CHARACTERS, st.just("\n")), min_size=1, max_size=80).filter(
    lambda s: s.strip() and not NBSP_INDENT.search(s)
)
# Values YAML 1.1 would turn into something else, and which must arrive as typed.
CONVERTIBLE = st.sampled_from(
    [
        "NO",
        "no",
        "yes",
        "on",
        "off",
        "00100",
        "0o17",
        "0x1F",
        "1.10",
        "1e3",
        "12:30",
        "2025-03-01",
        ".inf",
        ".nan",
        "-",
        "=",
        "<<",
        "true",
        "False",
        "1_000",
        "+358 20 555 0100",
    ]
)
PLAIN = st.one_of(WORDS, CONVERTIBLE)
MARKDOWN = st.one_of(
    LINES,
    st.lists(
        st.sampled_from(
            [
                "**bold**",
                "*em*",
                "- item",
                "1. one",
                "> quote",
                "[link](https://example.invalid/a)",
                "<https://example.invalid>",
                "`code`",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "\n\n",
                "mailto:x@example.invalid",
                "[t](tel:+358201234)",
                "&amp; &lt;",
            ]
        ),
        min_size=1,
        max_size=6,
    )
    .map(" ".join)
    .filter(lambda s: s.strip()),
)


def says_nothing_weighed(value: str) -> bool:
    """A drawn text that none of the rules comparing a register's own words with the notice's
    sentences would weigh: no fee, no data going abroad, no retention period, no authority; and no
    cross-reference ([[...]]), which must name a section of the notice."""
    lower = value.lower()
    authorities = [word for words in AUTHORITIES.values() for word in words]
    weighed = FEES.search(value) or PERIOD.search(lower) or any(w in lower for w in (*ABROAD_HINTS, *authorities))
    return "[[" not in value and not weighed


@functools.cache
def unweighed(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The texts of `values` that say nothing weighed (made once per strategy)."""
    return values.filter(says_nothing_weighed)


LI = "legitimate_interests"
GROUNDS = ["contract", "explicit_consent"]
AUTHORITY_BASES = terms("legal_bases").filter(lambda b: b != LI)
# Up to a day already past: a version more than a year ahead of today is an error of its own.
DATES = st.dates(min_value=date(1995, 1, 2), max_value=date(2026, 12, 1))
# A version the GDPR governs (historic descriptions under the Personal Data Act are tested apart).
GDPR_VERSIONS = DATES.filter(lambda day: day >= GDPR_APPLIES)
SLUGS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
EMAILS = st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,10}@[a-z0-9][a-z0-9-]{0,10}\.[a-z]{2,6}", fullmatch=True)
WEBS = st.from_regex(r"https?://[a-z0-9][a-z0-9.-]{0,15}\.[a-z]{2,6}(/[A-Za-z0-9._~%-]{0,10}){0,3}", fullmatch=True)
PHONES = st.from_regex(r"\+?[0-9][0-9 ]{4,14}[0-9]", fullmatch=True)
ADDRESSES = st.one_of(LINES, CONVERTIBLE)
# Section ids the notice does not use itself.
SECTION_IDS = SLUGS.filter(
    lambda s: s not in ANCHORS.values() and not s.startswith("seloste") and not s.endswith("-heading")
)


@st.composite
def business_ids(draw: Any) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=7, max_size=7))
    remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=False)) % 11
    if remainder == 1:
        digits[0] = (digits[0] + 1) % 10
        remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=False)) % 11
    if remainder == 1:
        digits[1] = (digits[1] + 1) % 10
        remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=False)) % 11
    return "".join(map(str, digits)) + f"-{(11 - remainder) % 11}"


class Draw:
    """Draws the parts of one register published in `langs`."""

    def __init__(self, draw: Any, langs: list[str]) -> None:
        self.draw = draw
        self.langs = langs

    def maybe(self, value: Any) -> Any:
        return value if self.draw(st.booleans()) else None

    def text(self, values: st.SearchStrategy[str] = PLAIN) -> dict[str, str]:
        extra = [lang for lang in LANGUAGES if lang not in self.langs and self.draw(st.booleans())]
        return {lang: self.draw(unweighed(values)) for lang in [*self.langs, *extra]}

    def markdown(self) -> dict[str, str]:
        return self.text(MARKDOWN)

    def name(self) -> Any:
        return self.draw(PLAIN) if self.draw(st.booleans()) else self.text()

    def contact(self, *, reachable: bool = False) -> dict[str, Any]:
        found = {
            "name": self.maybe(self.name()),
            "role": self.maybe(self.text()),
            "address": self.maybe(self.text(ADDRESSES)),
            "phone": self.maybe(self.draw(st.one_of(PHONES, CONVERTIBLE))),
            "email": self.maybe(self.draw(EMAILS)),
            "web": self.maybe(self.draw(WEBS)),
        }
        if reachable or not any(found.values()):
            found["email"] = self.draw(EMAILS)
        return {k: v for k, v in found.items() if v is not None}

    def entry(self, group: str, facts: tuple[str, ...] = ()) -> Any:
        form = self.draw(st.sampled_from(["key", "text", "term", "own"]))
        if form == "key":
            return self.draw(terms(group))
        if form == "text":
            return {lang: self.draw(unweighed(PLAIN)) for lang in self.langs}
        item: dict[str, Any] = {"term": self.draw(terms(group))} if form == "term" else {"text": self.text()}
        if self.draw(st.booleans()):
            item["details"] = self.markdown()
        for fact in facts:
            if self.draw(st.booleans()):
                item[fact] = self.draw(st.sampled_from(["true", "false"]))
        return item

    def entries(self, group: str, facts: tuple[str, ...] = (), min_size: int = 0) -> list[Any]:
        return [self.entry(group, facts) for _ in range(self.draw(st.integers(min_size, 3)))]


@st.composite
def valid_registers(draw: Any) -> dict[str, Any]:
    """A register that the schema and every error-level rule of the law accept."""
    langs = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True))
    d = Draw(draw, langs)
    layout = draw(st.sampled_from(["gdpr", "register-description", "questions", "municipal"]))
    version = draw(GDPR_VERSIONS)
    register: dict[str, Any] = {"id": draw(SLUGS), "title": d.text(), "version": version.isoformat()}
    if langs != list(LANGUAGES) or draw(st.booleans()):
        register["languages"] = langs
    if layout != "gdpr" or draw(st.booleans()):
        register["layout"] = layout
    for flag in ("numbered", "summary"):
        if draw(st.booleans()):
            register[flag] = draw(st.sampled_from(["true", "false"]))
    if draw(st.booleans()):
        history = draw(st.lists(st.integers(1, 3000), max_size=3, unique=True))
        register["history"] = [
            {"version": (version - timedelta(days=days)).isoformat(), "changes": d.text()} for days in history
        ]
    if draw(st.booleans()):
        register["introduction"] = d.markdown()

    authority = draw(st.booleans())
    if authority:
        register["public_authority"] = "true"
    controller = d.contact(reachable=True)
    controller["name"] = d.name()
    if draw(st.booleans()):
        controller["business_id"] = draw(business_ids())
    register["controller"] = controller
    for role in ("representative", "contact_person", "dpo"):
        if draw(st.booleans()) or (role == "dpo" and authority):
            register[role] = d.contact(reachable=True)

    purposes = []
    for _ in range(draw(st.integers(1, 3))):
        purpose: dict[str, Any] = {"term": draw(terms("purposes"))} if draw(st.booleans()) else {"text": d.text()}
        # A public authority cannot rely on legitimate interests for its tasks (Art. 6(1), 2nd subparagraph).
        purpose["legal_basis"] = draw(AUTHORITY_BASES if authority else terms("legal_bases"))
        if purpose["legal_basis"] == "legitimate_interests":
            purpose["legitimate_interests"] = d.text()
        if draw(st.booleans()):
            purpose["special_category_condition"] = draw(terms("special_category_conditions"))
        if draw(st.booleans()):
            purpose["national_law"] = d.entries("laws")
        if draw(st.booleans()):
            purpose["details"] = d.markdown()
        purposes.append(purpose)
    # Special and criminal data, which the categories below may hold, need an Art. 9(2) condition and
    # the Data Protection Act (1050/2018 7 §) on a purpose; explicit consent also allows Art. 22(4).
    purposes[0]["special_category_condition"] = "explicit_consent"
    purposes[0]["national_law"] = [*purposes[0].get("national_law", []), "data_protection_act"]
    register["purposes"] = purposes

    register["data_subjects"] = d.entries("data_subjects", min_size=1 if layout == "register-description" else 0)
    register["data_categories"] = d.entries("data_categories", ("special", "criminal"), min_size=1)
    register["sources"] = d.entries("sources", ("data_subject", "public"), min_size=1)  # Art. 13 or 14 follows
    register["recipients"] = d.entries("recipients")
    register["processors"] = d.entries("processors")
    # Every notice says whether data leaves the EEA (Art. 13(1)(f)).
    transfers = []
    for _ in range(draw(st.integers(0, 2))):
        safeguard = draw(terms("safeguards"))
        # An adequacy decision only to a country that has one; the partial ones need a covered recipient.
        countries = sorted(ADEQUATE - {"US", "CA"}) if safeguard == "adequacy_decision" else sorted(COUNTRIES)
        transfers.append(
            {
                "country": draw(st.sampled_from(countries)),
                "safeguard": safeguard,
                "safeguard_copy": d.text(),
                **({"recipient": d.text()} if draw(st.booleans()) else {}),
            }
        )
    register["transfers"] = transfers or "none"
    register["retention"] = d.markdown()
    if layout == "register-description" or draw(st.booleans()):
        register["security"] = {
            part: d.markdown() for part in ("general", "manual", "electronic") if draw(st.booleans())
        } or {"general": d.markdown()}
    if draw(st.booleans()):
        register["rights"] = sorted(VOCABULARY.keys("rights"))  # every right: nothing the law requires is missing
    for field in ("exercise_rights", "consent_withdrawal", "rights_restrictions"):
        if draw(st.booleans()):
            register[field] = d.markdown()
    if draw(st.booleans()):
        register["supervisory_authority"] = d.contact(reachable=True)
    register["requirement"] = {
        "kind": draw(terms("requirements")),
        **({"consequences": d.text()} if draw(st.booleans()) else {}),
    }
    if draw(st.booleans()):
        used = draw(st.booleans())
        decisions: dict[str, Any] = {"used": "true" if used else "false"}
        if used:
            decisions |= {"logic": d.text(), "significance": d.text(), "ground": draw(st.sampled_from(GROUNDS))}
        if draw(st.booleans()):
            decisions["profiling"] = d.markdown()
        register["automated_decisions"] = decisions
    section_ids = draw(
        st.lists(
            SECTION_IDS,
            max_size=2,
            unique=True,
        )
    )
    if section_ids:
        register["sections"] = [{"id": i, "title": d.text(), "body": d.markdown()} for i in section_ids]
    keep_national_rules(register, d)
    return register


def _as_entry(item: Any) -> dict[str, Any]:
    """An entry as a mapping keys can be added to: a bare key becomes {term: ...}, a bare text {text: ...}."""
    if isinstance(item, str):
        return {"term": item}
    return item if "term" in item or "text" in item else {"text": item}


def _fact(item: dict[str, Any], name: str) -> bool:
    term = item.get("term")
    return item.get(name) == "true" or bool(term and VOCABULARY.fact("data_categories", term, name))


def keep_national_rules(register: dict[str, Any], d: Draw) -> None:
    """Complete a drawn register with what the error-level rules of rules_finland.py ask of it."""
    purposes = register["purposes"]
    categories = register["data_categories"] = [_as_entry(c) for c in register["data_categories"]]
    special = any(_fact(c, "special") for c in categories)
    criminal = any(_fact(c, "criminal") for c in categories)
    for p in purposes:
        if special and not p.get("special_category_condition"):
            p["special_category_condition"] = "explicit_consent"
        if (criminal or p["legal_basis"] in ("legal_obligation", "public_task")) and not p.get("national_law"):
            p["national_law"] = ["data_protection_act"]
        if p.get("term") == "electronic_direct_marketing":
            p["own_customers"] = "true"
    for c in categories:
        if c.get("term") == "aptitude_test_results":
            c["consent"] = "true"
    recruitment = any(p.get("term") in ("recruitment", "talent_pool") for p in purposes) or any(
        s == "job_applicants" or (isinstance(s, dict) and s.get("term") == "job_applicants")
        for s in register["data_subjects"]
    )
    if recruitment:
        register["sources"] = [{**_as_entry(s), "consent": "true"} for s in register["sources"]]
    if "rights_restrictions" in register:
        register["restriction_grounds"] = ["data_protection_act"]
    transfers = register.get("transfers")
    for t in transfers if isinstance(transfers, list) else []:  # or "none"
        if t["safeguard"] == "derogation_compelling_interests":
            t |= {"occasional": "true", "details": d.markdown()}


# -- writing YAML as people do --------------------------------------------------------------------


class RegisterDumper(yaml.SafeDumper):
    """Writes every string plain where YAML syntax allows, as a person would type it. Only the null
    words need quotation marks, as the tool reads every other plain value as the text it is."""


RegisterDumper.yaml_implicit_resolvers = {}
RegisterDumper.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


@st.composite
def written(draw: Any, data: dict[str, Any]) -> bytes:
    text = yaml.dump(
        data,
        Dumper=RegisterDumper,
        allow_unicode=True,
        sort_keys=False,
        width=draw(st.sampled_from([80, 100_000])),
        indent=draw(st.sampled_from([2, 4])),
        default_flow_style=draw(st.sampled_from([False, None])),
        default_style=draw(st.sampled_from([None, None, '"', "'"])),
    )
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


# -- (a) valid registers validate and build ---------------------------------------------------------


def check_valid(register: dict[str, Any], source: bytes, *, pdf: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        folder.mkdir()
        (folder / "register.yaml").write_bytes(source)
        catalogue = validate_paths([folder])
        assert catalogue.problems == [], "\n".join(map(str, catalogue.problems)) + "\n" + source.decode("utf-8-sig")
        model = catalogue.registers[0].register
        assert model.id == register["id"] and model.version.isoformat() == register["version"]
        for lang in model.languages:
            assert model.title.get(lang) == register["title"][lang]
            assert model.controller.name.get(lang) == (
                register["controller"]["name"]
                if isinstance(register["controller"]["name"], str)
                else register["controller"]["name"][lang]
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RendererWarning)
            result = build([folder], Path(tmp) / "output", pdf=pdf, **SERIAL)
        # Any text may be written, so a character no shipped font has is shown as a missing glyph (and
        # said so); anything else WeasyPrint says would be about our own templates and CSS.
        said = [str(w.message) for w in caught if issubclass(w.category, RendererWarning)]
        assert [m for m in said if "glyph rendered for Unicode string unsupported by fonts" not in m] == []
        assert not [p for p in result.report.problems if p.level.value == "error"]
        for lang in model.languages:
            page = (Path(tmp) / "output" / lang / model.id / "index.html").read_text(encoding="utf-8")
            assert f">{escape(model.title.get(lang))}</h1>" in page
            # The one script element is the JSON-LD data block, which no browser runs.
            assert re.findall(r"<script\b[^>]*>", page.lower()) == ['<script type="application/ld+json">']
            if pdf:
                assert (
                    Path(tmp) / "output" / lang / model.id / f"{model.id}_{model.version.isoformat()}_{lang}.pdf"
                ).is_file()


# Example budgets keep this file to seconds on a busy machine: HTML builds are cheap; the PDF
# property runs twice per run (each run draws anew), the PDF's own checks being in test_pdf.py.
@settings(max_examples=40, **SETTINGS)
@given(st.data())
def test_every_valid_register_validates_and_builds(data: st.DataObject) -> None:
    register = data.draw(valid_registers())
    check_valid(register, data.draw(written(register)), pdf=False)


@settings(max_examples=2, **SETTINGS)
@given(st.data())
def test_valid_registers_build_to_pdf(data: st.DataObject) -> None:
    register = data.draw(valid_registers())
    check_valid(register, data.draw(written(register)), pdf=True)


# -- (b) mutated registers build or fail with located problems ---------------------------------------

INSERTS = st.text(
    st.one_of(
        st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\\~ \t\n")),
        st.sampled_from(list("äö€\u00a0\u200b\ufeff\u2028\x00\x0b\x1b")),
        CHARACTERS,
    ),
    min_size=1,
    max_size=6,
)
FLIPS = st.sampled_from(
    [
        "[]",
        "{}",
        "~",
        "",
        "true",
        "[a, b]",
        "{fi: x}",
        "&a x",
        "*a",
        "!!str x",
        "!!binary eA==",
        "|",
        ">-",
        "'",
        '"',
        "2025-02-30",
        "- x",
        "{<<: {}}",
        "!!python/object/apply:os.system [x]",
        "NO",
        "00100",
        "12:30",
        "[[[[",
        "}",
        '"\\x07\\n"',
        "'a' b",
        "x: y: z",
        "? a",
        "%YAML 1.1",
    ]
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("delete"), st.integers(0, 999)),
        st.tuples(st.just("duplicate"), st.integers(0, 999)),
        st.tuples(st.just("swap"), st.integers(0, 999), st.integers(0, 999)),
        st.tuples(st.just("insert"), st.integers(0, 10**6), INSERTS),
        st.tuples(st.just("indent"), st.integers(0, 999), st.sampled_from([-4, -2, -1, 1, 2, 4, "\t", "\u00a0"])),
        st.tuples(st.just("flip"), st.integers(0, 999), FLIPS),
        st.tuples(st.just("byte"), st.integers(0, 10**6), st.integers(0, 255)),
        st.tuples(st.just("truncate"), st.integers(0, 10**6)),
    ),
    min_size=1,
    max_size=4,
)


def mutate(source: str, operations: list[tuple[Any, ...]]) -> bytes:
    lines = source.split("\n")
    raw: bytes | None = None
    for op, *args in operations:
        n = len(lines)
        if op == "delete" and n > 1:
            del lines[args[0] % n]
        elif op == "duplicate":
            i = args[0] % n
            lines.insert(i, lines[i])
        elif op == "swap":
            i, j = args[0] % n, args[1] % n
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            text = "\n".join(lines)
            at = args[0] % (len(text) + 1)
            lines = (text[:at] + args[1] + text[at:]).split("\n")
        elif op == "indent":
            i = args[0] % n
            by = args[1]
            lines[i] = (
                by + lines[i]
                if isinstance(by, str)
                else (
                    " " * by + lines[i] if by > 0 else lines[i][min(-by, len(lines[i]) - len(lines[i].lstrip(" "))) :]
                )
            )
        elif op == "flip":
            i = args[0] % n
            key, sep, _ = lines[i].partition(": ")
            lines[i] = f"{key}: {args[1]}" if sep else f"{lines[i]} {args[1]}"
        elif op == "truncate":
            text = "\n".join(lines)
            lines = text[: args[0] % (len(text) + 1)].split("\n")
    raw = "\n".join(lines).encode("utf-8")
    for op, *args in operations:
        if op == "byte" and raw:
            at = args[0] % len(raw)
            raw = raw[:at] + bytes([args[1]]) + raw[at + 1 :]
    return raw


def sample(name: str) -> str:
    return (REPO / "registers" / name).read_text(encoding="utf-8")


BASES = {
    "minimal": ({"register.yaml": MINIMAL}, "register.yaml"),
    "recruitment": (
        {
            "recruitment.yaml": sample("recruitment.yaml"),
            "_organisation.yaml": sample("_organisation.yaml"),
            "_vocabulary.yaml": sample("_vocabulary.yaml"),
        },
        "recruitment.yaml",
    ),
    "organisation": (
        {
            "register.yaml": MINIMAL.replace(
                "controller:\n  name: {fi: Esimerkki Oy, sv: Exempel Ab, en: Esimerkki Ltd}\n"
                "  business_id: 2104986-6\n  email: tietosuoja@esimerkki.example\n",
                "",
            ),
            "_organisation.yaml": sample("_organisation.yaml"),
        },
        "_organisation.yaml",
    ),
    "vocabulary": (
        {
            "register.yaml": MINIMAL.replace(
                "data_categories: [name, contact_details]", "data_categories: [name, district_heating_contract_details]"
            ).replace("sources: [data_subject]", "sources: [customer_portal]"),
            "_vocabulary.yaml": sample("_vocabulary.yaml"),
        },
        "_vocabulary.yaml",
    ),
}


def assert_located(problems: list[Problem], files: dict[str, bytes]) -> None:
    for p in problems:
        assert p.file in files, p
        assert p.line >= 1 and p.column >= 1, p
        assert p.message.strip(), p
        assert p.line <= files[p.file].count(b"\n") + 2, p


@settings(max_examples=200, **SETTINGS)
@given(base=st.sampled_from(sorted(BASES)), operations=OPERATIONS)
def test_a_mutated_register_builds_or_fails_with_located_problems(base: str, operations: list[tuple[Any, ...]]) -> None:
    contents, target = BASES[base]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        folder.mkdir()
        files = {}
        for name, text in contents.items():
            data = mutate(text, operations) if name == target else text.encode("utf-8")
            (folder / name).write_bytes(data)
            files[display_path(folder / name)] = data
        catalogue = validate_paths([folder])
        assert_located(catalogue.problems, files)
        if catalogue.problems:
            event("refused by the reader or the schema")
            return
        try:
            build([folder], Path(tmp) / "output", pdf=False, **SERIAL)
            event("built")
        except ProblemsFound as stopped:  # the law's rules: located like every other problem
            event("stopped by the law's rules")
            assert stopped.problems
            assert_located(stopped.problems, files)
