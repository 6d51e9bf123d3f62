"""The kinds of values a register holds: dates, flags, texts per language, vocabulary terms.

Inputs arrive as the strings people typed (see load.py). The types below decide what a
string may mean: dates must be ISO dates, flags must be `true` or `false`, terms must exist
in the vocabulary, texts must exist in every language the register is published in.
"""

import re
from collections.abc import Callable
from datetime import date
from difflib import get_close_matches
from typing import Annotated, Any, ClassVar, Literal

from babel import Locale
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import shown

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
Lang = Literal["fi", "sv", "en"]
LAYOUTS = ("gdpr", "register-description", "questions", "municipal")

# Matched whole (fullmatch): a final line break is not part of an id. Digits are ASCII digits.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TERM_KEY = re.compile(r"[a-z][a-z0-9_]*")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Linear by construction: the local part cannot hold '@' and each domain label ends at a dot, so
# nothing can be matched two ways (the old `[^@\s]+\.[^@\s]+` tried every dot: quadratic).
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
WEB = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
BUSINESS_ID = re.compile(r"([0-9]{7})-([0-9])")
# Names a file or folder cannot have on Windows or an SMB share, whatever follows the dot.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)})

# Lengths no real value reaches, so that every check and every rendering stays short: an e-mail
# address is at most 254 characters (RFC 5321), a web address 2,000 (what browsers keep), an id a
# folder name. A text is a name or a sentence or two; a Markdown text a few pages.
MAX_EMAIL = 254
MAX_WEB = 2000
MAX_SLUG = 100
MAX_PLAIN = 1000
MAX_TEXT = 5000
MAX_MARKDOWN = 12_000
# ISO 3166-1 alpha-2 codes CLDR knows by name; CLDR also lists regions ("150") and "ZZ".
# CLDR also names regions ("150"), groupings (EU, UN) and codes ISO 3166 reserves but does not assign.
NOT_ISO_3166 = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
COUNTRIES = frozenset(
    code for code in map(str, Locale("en").territories) if re.fullmatch(r"[A-Z]{2}", code) and code not in NOT_ISO_3166
)


def _fail(kind: str, message: str, **values: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, {k: shown(v) if isinstance(v, str) else v for k, v in values.items()})


def _found(value: Any) -> str:
    """Name the shape of a value the way a YAML author sees it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return f"'{shown(str(value))}'"


def _scalar(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _fail("type", f"expected {what}, found {_found(value)}")
    return value


def did_you_mean(word: str, choices: Any) -> str:
    """Return " (did you mean 'x'?)" for the closest choice, or nothing."""
    close = get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --- scalar types --------------------------------------------------------------------------


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = _scalar(value, "a date such as 2025-03-01")
    if not ISO_DATE.fullmatch(text):
        raise _fail("date", "'{value}' is not a date; write it as YYYY-MM-DD, such as 2025-03-01", value=text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail("date", "'{value}' is not a date in the calendar", value=text) from None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _scalar(value, "true or false")
    if text not in ("true", "false"):
        raise _fail("flag", "'{value}' is not true or false; write true or false", value=text)
    return text == "true"


def _bounded(text: str, limit: int) -> str:
    """Refuse a value longer than `limit` before any pattern reads it."""
    if len(text) > limit:
        raise _fail(
            "length",
            "the value is {length} characters long; the limit is {limit}",
            length=f"{len(text):,}",
            limit=f"{limit:,}",
        )
    return text


def _matching(pattern: re.Pattern[str], what: str, limit: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _bounded(_scalar(value, what), limit)
        if not pattern.fullmatch(text):
            raise _fail("format", "'{value}' is not " + what, value=text)
        return text

    return check


# How staff addresses are published as a pattern ("etunimi.sukunimi@kunta.fi"): the local part names
# the first and last name in one of the three languages. Such a text is no address to write to.
EMAIL_PATTERN = re.compile(
    r"(etunimi|firstname|first|förnamn|fornamn)[._-]?(sukunimi|lastname|last|surname|efternamn)@", re.IGNORECASE
)
# Addresses written against harvesting: "kirjaamo[at]kunta.fi", "info (at) yritys.fi", "x(dot)fi".
OBFUSCATED_AT = re.compile(r"\s*[\[(]\s*(at|ät|miuku|ät-merkki)\s*[\])]\s*", re.IGNORECASE)
OBFUSCATED_DOT = re.compile(r"\s*[\[(]\s*(dot|piste|punkt)\s*[\])]\s*", re.IGNORECASE)


def _email(value: Any) -> str:
    """An e-mail address written plainly; the forms written against harvesting and pattern
    addresses are refused with what to write instead."""
    text = _bounded(_scalar(value, "an e-mail address"), MAX_EMAIL)
    if OBFUSCATED_AT.search(text) or OBFUSCATED_DOT.search(text):
        plain = OBFUSCATED_DOT.sub(".", OBFUSCATED_AT.sub("@", text))
        raise _fail(
            "format",
            "'{value}' is not an e-mail address; write the plain form, such as {plain} (the notice publishes it as a "
            "link, and hiding it from harvesters does not work for a published address)",
            value=text,
            plain=plain,
        )
    if EMAIL_PATTERN.search(text):
        raise _fail(
            "format",
            "'{value}' is a pattern, not an address; write it as email_pattern: {fi: etunimi.sukunimi@..., sv: "
            "förnamn.efternamn@..., en: firstname.lastname@...}, which is printed as text, not as a link",
            value=text,
        )
    if not EMAIL.fullmatch(text):
        raise _fail("format", "'{value}' is not an e-mail address", value=text)
    return text


def _slug(value: Any) -> str:
    text = _bounded(_scalar(value, "an identifier"), MAX_SLUG)
    if text in DEVICE_NAMES:
        raise _fail(
            "slug",
            "'{value}' is a device name on Windows, which no file or folder may have there; choose another id",
            value=text,
        )
    if not SLUG.fullmatch(text):
        raise _fail(
            "slug",
            "'{value}' is not a safe file name; use lower-case letters a-z, digits and single hyphens, such as "
            "customer-register",
            value=text,
        )
    return text


def _business_id(value: Any) -> str:
    """Check a Finnish Business ID (y-tunnus), including its check digit."""
    text = _scalar(value, "a Business ID")
    match = BUSINESS_ID.fullmatch(text)
    if not match:
        raise _fail(
            "business_id",
            "'{value}' is not a Business ID; write seven digits, a hyphen and the check digit, such as 1234567-1",
            value=text,
        )
    remainder = sum(int(d) * w for d, w in zip(match.group(1), (7, 9, 10, 5, 8, 4, 2), strict=False)) % 11
    if remainder == 1 or (11 - remainder) % 11 != int(match.group(2)):
        raise _fail("business_id", "'{value}' is not a valid Business ID: the check digit does not match", value=text)
    return text


# Codes people write for a country that ISO 3166 spells otherwise: the EU's own codes for the United
# Kingdom and Greece, and the United Kingdom's top-level domain.
COUNTRY_SLIPS = {"UK": "GB", "EL": "GR"}


def _country(value: Any) -> str:
    text = _scalar(value, "a country code")
    if text not in COUNTRIES:
        slip = COUNTRY_SLIPS.get(text.upper())
        raise _fail(
            "country",
            "'{value}' is not an ISO 3166 country code{hint}",
            value=text,
            hint=f" (write {slip})" if slip else did_you_mean(text.upper(), COUNTRIES),
        )
    return text


def _string(value: Any) -> str:
    text = _bounded(_scalar(value, "a text"), MAX_PLAIN)
    if not text.strip():
        raise _fail("empty", "the value is empty")
    return text


IsoDate = Annotated[
    date, BeforeValidator(_iso_date, json_schema_input_type=str), WithJsonSchema({"type": "string", "format": "date"})
]
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]
Slug = Annotated[str, BeforeValidator(_slug), WithJsonSchema({"type": "string", "pattern": f"^{SLUG.pattern}$"})]
Plain = Annotated[str, BeforeValidator(_string), WithJsonSchema({"type": "string", "minLength": 1})]
Email = Annotated[
    str,
    BeforeValidator(_email),
    WithJsonSchema({"type": "string", "format": "email"}),
]
Web = Annotated[
    str,
    BeforeValidator(_matching(WEB, "a web address starting with https:// or http://", MAX_WEB)),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
BusinessId = Annotated[
    str, BeforeValidator(_business_id), WithJsonSchema({"type": "string", "pattern": f"^{BUSINESS_ID.pattern}$"})
]
Country = Annotated[str, BeforeValidator(_country), WithJsonSchema({"type": "string", "enum": sorted(COUNTRIES)})]


# --- texts ---------------------------------------------------------------------------------


class Frozen(BaseModel):
    """Base of every model: immutable, and unknown keys are errors so a typo never drops content."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def published_languages(info: ValidationInfo) -> tuple[str, ...]:
    """The languages the register being validated is published in (from the validation context)."""
    context = info.context or {}
    return tuple(context.get("languages", LANGUAGES))


class Text(Frozen):
    """A text written in each language the register is published in: {fi: ..., sv: ..., en: ...}."""

    fi: str | None = Field(None, description="The Finnish text.")
    sv: str | None = Field(None, description="The Swedish text (Finland-Swedish usage).")
    en: str | None = Field(None, description="The English text (British usage).")

    limit: ClassVar[int] = MAX_TEXT

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise _fail(
                "text",
                f"expected a text in each language, such as {{fi: ..., sv: ..., en: ...}}; found {_found(value)}",
            )
        for lang in LANGUAGES:
            # A mapping or list in a language's place is left to the type check, which names what was found.
            if lang in value and (value[lang] is None or (isinstance(value[lang], str) and not value[lang].strip())):
                raise _fail("empty", "the '{lang}' text is empty", lang=lang)
            if isinstance(value.get(lang), str):
                cls._bound(value[lang], lang)
        return value

    @classmethod
    def _bound(cls, text: str, lang: str) -> None:
        if len(text) > cls.limit:
            raise _fail(
                "length",
                "the text is {length} characters long in '{lang}'; the limit is {limit}: shorten it, "
                "or split it into sections",
                length=f"{len(text):,}",
                lang=lang,
                limit=f"{cls.limit:,}",
            )

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> "Text":
        missing = [lang for lang in published_languages(info) if getattr(self, lang) is None]
        if missing:
            raise _fail(
                "language",
                "the text has no {missing} version, but the register is published in {languages}",
                missing=" or ".join(f"'{m}'" for m in missing),
                languages=", ".join(published_languages(info)),
            )
        return self

    def get(self, lang: str) -> str:
        """Return the text in `lang`; validation guarantees it exists for published languages."""
        value = getattr(self, lang)
        if value is None:
            raise KeyError(lang)
        return str(value)


class Markdown(Text):
    """A longer text in each language, written in Markdown (paragraphs, lists, emphasis, links)."""

    limit: ClassVar[int] = MAX_MARKDOWN


def _same_in_every_language(value: Any) -> Any:
    """A plain string in a name field means the same in every language."""
    if isinstance(value, str):
        if not value.strip():
            raise _fail("empty", "the value is empty")
        return {lang: value for lang in LANGUAGES}
    return value


Name = Annotated[
    Text,
    BeforeValidator(_same_in_every_language, json_schema_input_type=Any),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string"} for lang in LANGUAGES},
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


class WebText(Text):
    """A web address per language, or one for every language: a page may be published at a
    different address in each language."""

    fi: Web | None = Field(None, description="The Finnish page's address.")
    sv: Web | None = Field(None, description="The Swedish page's address.")
    en: Web | None = Field(None, description="The English page's address.")


Webs = Annotated[
    WebText,
    BeforeValidator(_same_in_every_language, json_schema_input_type=Any),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "uri", "pattern": "^https?://"},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string", "format": "uri"} for lang in LANGUAGES},
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


# --- vocabulary terms ----------------------------------------------------------------------


class Term(Frozen):
    """A reference to a vocabulary term; the renderer looks up its wording per language."""

    group: str
    key: str


def term_check(group: str) -> Callable[[Any, ValidationInfo], Term]:
    """The validator of a field whose value is a key of the vocabulary `group`."""

    def check(value: Any, info: ValidationInfo) -> Term:
        if isinstance(value, Term):
            return value
        key = _scalar(value, f"a term of the '{group}' vocabulary")
        vocabulary = (info.context or {}).get("vocabulary")
        if vocabulary is not None:
            if not vocabulary.has(group, key):
                raise _fail(
                    "term", "unknown term '{key}'{hint}", key=key, hint=did_you_mean(key, vocabulary.keys(group))
                )
            missing = [lang for lang in published_languages(info) if not vocabulary.has_wording(group, key, lang)]
            if missing:
                raise _fail(
                    "term",
                    "the term '{key}' has no {missing} wording in the organisation's vocabulary",
                    key=key,
                    missing=" or ".join(f"'{m}'" for m in missing),
                )
        return Term(group=group, key=key)

    return check


def in_schema(group: str) -> WithJsonSchema:
    """How a term of the vocabulary `group` appears in the editor schema."""
    return WithJsonSchema({"type": "string", "x-vocabulary": group})


# The type of each field whose value is a key of one vocabulary group: written out, so that type
# checkers read them as the Term they are.
DataSubjectTerm = Annotated[Term, BeforeValidator(term_check("data_subjects")), in_schema("data_subjects")]
DataCategoryTerm = Annotated[Term, BeforeValidator(term_check("data_categories")), in_schema("data_categories")]
SourceTerm = Annotated[Term, BeforeValidator(term_check("sources")), in_schema("sources")]
RecipientTerm = Annotated[Term, BeforeValidator(term_check("recipients")), in_schema("recipients")]
ProcessorTerm = Annotated[Term, BeforeValidator(term_check("processors")), in_schema("processors")]
LawTerm = Annotated[Term, BeforeValidator(term_check("laws")), in_schema("laws")]
PurposeTerm = Annotated[Term, BeforeValidator(term_check("purposes")), in_schema("purposes")]
LegalBasisTerm = Annotated[Term, BeforeValidator(term_check("legal_bases")), in_schema("legal_bases")]
ConditionTerm = Annotated[
    Term, BeforeValidator(term_check("special_category_conditions")), in_schema("special_category_conditions")
]
SafeguardTerm = Annotated[Term, BeforeValidator(term_check("safeguards")), in_schema("safeguards")]
RequirementTerm = Annotated[Term, BeforeValidator(term_check("requirements")), in_schema("requirements")]
RightTerm = Annotated[Term, BeforeValidator(term_check("rights")), in_schema("rights")]


class Entry(Frozen):
    """A list item: a vocabulary term (`term`) or a text of your own (`text`), with optional details.

    Shorthand: a bare key (`- customers`) is a term; a language mapping (`- {fi: ..., sv: ..., en: ...}`)
    is a text.
    """

    group_name: ClassVar[str]  # the vocabulary group of the entry's terms, set by each kind of entry
    term: Term | None = Field(None, description="A key of the shipped or organisation vocabulary.")
    text: Text | None = Field(None, description="The item in your own words, when no term fits.")
    qualifier: Text | None = Field(
        None,
        description=(
            "A word or phrase that qualifies the item, such as {fi: mahdollisesti, sv: eventuellt, en: possibly}: "
            "printed before the item, whose first letter is then written in lower case; where a language puts it "
            "elsewhere, mark the item's place with … (such as {en: … where given}), and the item is kept as written."
        ),
    )
    details: Markdown | None = Field(None, description="More about this item, shown after it.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"term": value}
        if isinstance(value, dict) and value and set(value) & set(LANGUAGES) and not set(value) & set(cls.model_fields):
            return {"text": value}  # a text, perhaps with a language too many: Text names it
        return value

    @model_validator(mode="after")
    def _one_of(self) -> "Entry":
        if (self.term is None) == (self.text is None):
            raise _fail(
                "entry",
                "write either a term key (term: ...) or your own text (text: {fi: ..., sv: ..., en: ...}), not "
                "both and not neither",
            )
        return self


class Requirement(Frozen):
    """Whether providing the data is required, and what follows if it is not provided (Art. 13(2)(e))."""

    kind: RequirementTerm = Field(description="statutory, contractual, contract_precondition or voluntary.")
    consequences: Text | None = Field(None, description="What follows if the data subject does not provide the data.")


class DataSubjectGroup(Entry):
    """A group of data subjects (customers, job applicants, ...)."""

    group_name: ClassVar[str] = "data_subjects"
    term: DataSubjectTerm | None = None
    children: Flag | None = Field(
        None,
        description=(
            "The group is or includes children (GDPR Art. 8, tietosuojalaki 1050/2018 5 §). The term `children` knows "
            "this itself."
        ),
    )


class DataCategory(Entry):
    """A category of personal data; special categories (Art. 9) and criminal data (Art. 10) are marked."""

    group_name: ClassVar[str] = "data_categories"
    term: DataCategoryTerm | None = None
    special: Flag | None = Field(
        None,
        description="A special category of personal data (GDPR Art. 9). Terms of the vocabulary know this themselves.",
    )
    criminal: Flag | None = Field(None, description="Data on criminal convictions and offences (GDPR Art. 10).")
    purposes: list[Plain] | None = Field(
        None,
        description=(
            "The purposes this data is processed for, each by its term key or its id. Where left out, every purpose of "
            "the register is taken to use it; a special category then needs an Art. 9(2) condition on every purpose."
        ),
    )
    consent: Flag | None = Field(
        None,
        description=(
            "This data is collected only with the data subject's consent, where a special law requires consent (such "
            "as personality and aptitude tests, laki yksityisyyden suojasta työelämässä 759/2004 13 §)."
        ),
    )
    requirement: Requirement | None = Field(
        None,
        description=(
            "Whether providing this data is required, where it differs from the rest of the data (Art. 13(2)(e)): "
            "such as the bank account number, voluntary where the rest is required for the contract."
        ),
    )


class Source(Entry):
    """Where the data comes from."""

    group_name: ClassVar[str] = "sources"
    term: SourceTerm | None = None
    data_subject: Flag | None = Field(
        None, description="The data comes from the data subject (GDPR Art. 13 rather than Art. 14)."
    )
    public: Flag | None = Field(None, description="A publicly accessible source (GDPR Art. 14(2)(f)).")
    consent: Flag | None = Field(
        None,
        description=(
            "Data is obtained from this source only with the data subject's consent (for job applicants and employees, "
            "laki yksityisyyden suojasta työelämässä 759/2004 4 §)."
        ),
    )


class Recipient(Entry):
    """A recipient or category of recipients to whom data is regularly disclosed."""

    group_name: ClassVar[str] = "recipients"
    term: RecipientTerm | None = None


class Processor(Entry):
    """A processor (or category of processors) processing data on the controller's behalf."""

    group_name: ClassVar[str] = "processors"
    term: ProcessorTerm | None = None


class Law(Entry):
    """A national law the processing rests on or is governed by."""

    group_name: ClassVar[str] = "laws"
    term: LawTerm | None = None
