"""The register format: one declarative schema, the single source of truth.

Every field's description here feeds `seloste schema` (the JSON Schema editors use) and
docs/format.md; its types decide the error messages. Validated registers become frozen,
typed objects that the renderer reads; templates never see raw dictionaries.
"""

from typing import Any, ClassVar, Literal, Optional

from pydantic import Field, create_model, field_validator

from .values import (
    BusinessId,
    Country,
    DataCategory,
    DataSubjectGroup,
    Email,
    Entry,
    Flag,
    Frozen,
    IsoDate,
    Lang,
    Law,
    Markdown,
    Name,
    Plain,
    Processor,
    Recipient,
    Slug,
    Source,
    Text,
    Web,
    _fail,
    entries,
    term_of,
)

# Every standard section of a notice: its key (for headings and templates) and its stable
# anchor id, the same in every language so a website can link to #retention.
ANCHORS = {
    "summary": "summary",
    "register": "register",
    "controller": "controller",
    "dpo": "data-protection-officer",
    "purposes": "purposes",
    "data_subjects": "data-subjects",
    "data_categories": "personal-data",
    "sources": "sources",
    "recipients": "recipients",
    "transfers": "transfers",
    "retention": "retention",
    "rights": "rights",
    "objection": "right-to-object",
    "complaint": "complaint",
    "requirement": "obligation-to-provide",
    "automated_decisions": "automated-decisions",
    "security": "security",
    "history": "changes",
}


class Contact(Frozen):
    """A person, role or body and how to reach them."""

    name: Name | None = Field(
        None, description="Name of the person, role or body. A plain string is the same in every language."
    )
    role: Text | None = Field(
        None, description="Title or unit, such as {fi: Asiakaspalvelu, sv: Kundtjänst, en: Customer service}."
    )
    address: Name | None = Field(None, description="Postal address; a line break separates lines.")
    phone: Plain | None = Field(None, description="Telephone number as it should be printed.")
    email: Email | None = Field(None, description="E-mail address.")
    web: Web | None = Field(None, description="Web address (https://...).")


class Controller(Contact):
    """The controller (rekisterinpitäjä, personuppgiftsansvarig): who decides on the processing."""

    name: Name = Field(
        description="The controller's registered name. Give a mapping where it differs by language (Oy / Ab / Ltd)."
    )
    business_id: BusinessId | None = Field(
        None, description="Finnish Business ID (y-tunnus, FO-nummer), checked including its check digit."
    )


class Purpose(Entry):
    """One purpose of the processing and the legal basis it rests on."""

    group_name: ClassVar[str] = "purposes"
    term: term_of("purposes") | None = Field(None, description="A purpose from the vocabulary.")  # type: ignore[valid-type]
    legal_basis: term_of("legal_bases") | None = Field(
        None,
        description="The legal basis under GDPR Art. 6(1): consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests. Required for a GDPR notice; `seloste check` reports it where missing.",
    )  # type: ignore[valid-type]
    special_category_condition: term_of("special_category_conditions") | None = Field(
        None, description="The Art. 9(2) condition, where special categories of data are processed for this purpose."
    )  # type: ignore[valid-type]
    legitimate_interests: Text | None = Field(
        None,
        description="The legitimate interests pursued; required in a notice where the basis is legitimate_interests.",
    )
    national_law: entries(Law) = Field(
        default_factory=list, description="National laws this purpose rests on or is governed by."
    )
    direct_marketing: Flag | None = Field(
        None,
        description="The purpose is direct marketing (the right to object under Art. 21(2) is then stated separately). Terms of the vocabulary know this themselves.",
    )


class Transfer(Frozen):
    """A transfer of personal data outside the EU/EEA."""

    country: Country = Field(description="The destination country as an ISO 3166 code, such as US.")
    recipient: Text | None = Field(None, description="Who receives the data there.")
    safeguard: term_of("safeguards") = Field(
        description="What the transfer rests on: adequacy_decision, standard_contractual_clauses, binding_corporate_rules, ... or a derogation."
    )  # type: ignore[valid-type]
    safeguard_copy: Text | None = Field(
        None, description="Where or how the data subject can obtain a copy of the safeguards."
    )
    details: Markdown | None = Field(None, description="More about this transfer.")


class Security(Frozen):
    """The principles by which the data is protected."""

    general: Markdown | None = Field(None, description="Principles that apply to all the data.")
    manual: Markdown | None = Field(None, description="Manual (paper) material.")
    electronic: Markdown | None = Field(None, description="Data processed electronically.")


class Requirement(Frozen):
    """Whether providing the data is required, and what follows if it is not provided (Art. 13(2)(e))."""

    kind: term_of("requirements") = Field(description="statutory, contractual, contract_precondition or voluntary.")  # type: ignore[valid-type]
    consequences: Text | None = Field(None, description="What follows if the data subject does not provide the data.")


class AutomatedDecisions(Frozen):
    """Automated decision-making, including profiling (Art. 22)."""

    used: Flag = Field(
        description="Whether decisions based solely on automated processing are made. false states that none are made."
    )
    logic: Text | None = Field(None, description="Meaningful information about the logic involved.")
    significance: Text | None = Field(
        None, description="The significance and envisaged consequences for the data subject."
    )
    profiling: Markdown | None = Field(
        None, description="Profiling that does not lead to such decisions (such as grouping customers for marketing)."
    )


class Section(Frozen):
    """A section of your own, for what the fields do not cover (cookies, call recordings, ...)."""

    id: Slug = Field(description="The section's anchor in the page (#cookies); unique within the register.")
    title: Text = Field(description="The section heading.")
    body: Markdown = Field(description="The section text.")


class Version(Frozen):
    """An earlier version of the notice and what changed in it."""

    version: IsoDate = Field(description="The date that version took effect.")
    changes: Text = Field(description="A short note of what changed.")


class InternalProcessor(Frozen):
    """A processor named for the record of processing: who, doing what, under which agreement."""

    name: Plain = Field(description="The processor's name, such as Pilvipalvelu Oy.")
    service: Plain | None = Field(None, description="What the processor does for the controller.")
    agreement: Plain | None = Field(None, description="Where the data processing agreement (Art. 28) is kept.")
    country: Country | None = Field(None, description="Where the processor processes the data (ISO 3166 code).")


class Internal(Frozen):
    """What only the record of processing (Art. 30) holds: never printed in a notice or any public file."""

    owner: Plain | None = Field(None, description="Who inside the organisation is responsible for the register.")
    systems: list[Plain] = Field(default_factory=list, description="The information systems the data is kept in.")
    processors: list[InternalProcessor] = Field(default_factory=list, description="The processors, by name.")
    security_measures: Plain | None = Field(
        None, description="The technical and organisational security measures in detail (Art. 32)."
    )
    dpia: Plain | None = Field(None, description="The data protection impact assessment: its reference, or why none.")
    legitimate_interests_assessment: Plain | None = Field(
        None, description="The legitimate interests assessment: its reference, where a purpose rests on them."
    )


class Register(Frozen):
    """One personal-data register and its privacy notice."""

    id: Slug = Field(description="A file-safe identifier, unique among the registers; names the output folder.")
    title: Text = Field(
        description="The register's name, such as {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}."
    )
    version: IsoDate = Field(description="The date this version of the notice takes effect (YYYY-MM-DD).")
    history: list[Version] = Field(default_factory=list, description="Earlier versions, each with a short change note.")
    introduction: Markdown | None = Field(None, description="An opening paragraph.")

    layout: Literal["gdpr", "register-description", "questions"] = Field(
        "gdpr",
        description="gdpr: a full GDPR privacy notice; register-description: the classic numbered Finnish register description; questions: headings as the data subject's questions.",
    )
    numbered: Flag = Field(True, description="Number the section headings (register-description layout).")
    summary: Flag = Field(False, description="Open the notice with a short summary (the first layer).")
    languages: list[Lang] = Field(
        default_factory=lambda: ["fi", "sv", "en"], description="The languages the notice is published in."
    )
    public_authority: Flag = Field(
        False,
        description="The controller is a public authority (which must designate a DPO and cannot rely on legitimate interests for its tasks).",
    )

    controller: Controller = Field(description="The controller. Usually given once in _organisation.yaml.")
    representative: Contact | None = Field(
        None,
        description="The controller's representative in the EU (Art. 27), where the controller is established outside it.",
    )
    contact_person: Contact | None = Field(None, description="The contact person for matters concerning the register.")
    dpo: Contact | None = Field(None, description="The data protection officer.")

    data_subjects: entries(DataSubjectGroup) = Field(
        default_factory=list, description="The groups of people whose data is processed."
    )
    purposes: entries(Purpose) = Field(
        min_length=1, description="The purposes of the processing, each with its legal basis."
    )
    data_categories: entries(DataCategory) = Field(
        default_factory=list, description="The categories of personal data processed."
    )
    sources: entries(Source) = Field(default_factory=list, description="Where the data comes from.")
    recipients: entries(Recipient) = Field(
        default_factory=list, description="Recipients to whom data is regularly disclosed."
    )
    processors: entries(Processor) = Field(
        default_factory=list, description="Processors that process data on the controller's behalf."
    )
    transfers: list[Transfer] | None = Field(
        None,
        description="Transfers outside the EU/EEA. An empty list [] states that data is not transferred outside the EU/EEA.",
    )
    retention: Markdown | None = Field(None, description="How long the data is kept, or the criteria that decide it.")
    security: Security | None = Field(None, description="The principles of protecting the data.")

    rights: list[term_of("rights")] | None = Field(
        None, description="The rights to state. Leave out to have them follow from the legal bases."
    )  # type: ignore[valid-type]
    exercise_rights: Markdown | None = Field(None, description="How and where the data subject exercises the rights.")
    consent_withdrawal: Markdown | None = Field(
        None, description="How consent is withdrawn, where processing rests on consent."
    )
    rights_restrictions: Markdown | None = Field(
        None, description="Restrictions of the rights under law, and their grounds."
    )
    supervisory_authority: Contact | None = Field(
        None,
        description="The supervisory authority for complaints. Defaults to the Office of the Data Protection Ombudsman.",
    )

    requirement: Requirement | None = Field(
        None,
        description="Whether providing the data is a statutory or contractual requirement, and the consequences of not providing it.",
    )
    automated_decisions: AutomatedDecisions | None = Field(None, description="Automated decision-making and profiling.")
    sections: list[Section] = Field(default_factory=list, description="Sections of your own, after the standard ones.")
    internal: Internal | None = Field(
        None,
        description="For the record of processing only (`seloste ropa`); never in a notice, page, PDF or JSON-LD.",
    )

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        if not value:
            raise _fail("languages", "name at least one language: fi, sv or en")
        if len(set(value)) != len(value):
            raise _fail("languages", "a language is named twice")
        return value

    @field_validator("sections")
    @classmethod
    def _section_ids(cls, value: list[Section]) -> list[Section]:
        ids = [section.id for section in value]
        taken = sorted(i for i in ids if i in ANCHORS.values() or i.startswith("seloste") or i.endswith("-heading"))
        if taken:
            raise _fail("sections", "the section id '{id}' is taken by the notice itself; choose another", id=taken[0])
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise _fail("sections", "the section id '{id}' is used twice; section ids must be unique", id=repeated[0])
        return value


# What _organisation.yaml may state once for every register; a register may override each.
ORGANISATION_FIELDS = (
    "controller",
    "representative",
    "contact_person",
    "dpo",
    "public_authority",
    "languages",
    "layout",
    "numbered",
    "summary",
    "security",
    "exercise_rights",
    "consent_withdrawal",
    "supervisory_authority",
    "retention",
)


def _optional(name: str) -> Any:
    info = Register.model_fields[name]
    return (Optional[info.annotation], Field(None, description=info.description))  # type: ignore[valid-type]


Organisation = create_model(  # type: ignore[call-overload]
    "Organisation",
    __base__=Frozen,
    __doc__="Facts written once for every register in registers/_organisation.yaml; a register may override each.",
    **{name: _optional(name) for name in ORGANISATION_FIELDS},
)
