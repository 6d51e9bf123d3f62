"""The register format: one declarative schema, the single source of truth.

Every field's description here feeds `seloste schema` (the JSON Schema editors use) and
docs/format.md; its types decide the error messages. Validated registers become frozen,
typed objects that the renderer reads; templates never see raw dictionaries.
"""

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, create_model, field_validator, model_validator

from .values import (
    BusinessId,
    ConditionTerm,
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
    LegalBasisTerm,
    Markdown,
    Name,
    Plain,
    Processor,
    PurposeTerm,
    Recipient,
    Requirement,
    RightTerm,
    SafeguardTerm,
    Slug,
    Source,
    Text,
    Web,
    Webs,
    _fail,
    did_you_mean,
)

# Every standard section of a notice: its key (for headings and templates) and its stable
# anchor id, the same in every language so a website can link to #retention.
ANCHORS = {
    "summary": "summary",
    "register": "register",
    "controller": "controller",
    "contact_person": "contact-person",
    "dpo": "data-protection-officer",
    "purposes": "purposes",
    "legal_basis": "legal-basis",
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


# The roles a notice names its contacts by (wording: labels.role_<key> in each language); a role not
# among them is written as a text of its own.
CONTACT_ROLES = (
    "responsible_person",
    "contact_person",
    "data_requests",
    "customer_service",
    "registry",
    "system_administrator",
)


def _role(value: Any) -> Any:
    """A role key of CONTACT_ROLES, or a text of one's own in each language."""
    if isinstance(value, str):
        if value not in CONTACT_ROLES:
            raise _fail(
                "role",
                "unknown role '{value}'{hint}; use one of {roles}, or write the role in your own words as "
                "{fi: ..., sv: ..., en: ...}",
                value=value,
                hint=did_you_mean(value, CONTACT_ROLES),
                roles=", ".join(CONTACT_ROLES),
            )
        return value
    return value


Role = Annotated[
    str | Text,
    BeforeValidator(_role),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(CONTACT_ROLES)},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string"} for lang in ("fi", "sv", "en")},
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


def _pattern_address(value: Any) -> Any:
    """A pattern address holds an @ and a domain in every language."""
    texts = value.values() if isinstance(value, dict) else [value]
    for text in texts:
        if isinstance(text, str) and not re.fullmatch(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+", text.strip()):
            raise _fail(
                "format",
                "'{value}' is not a pattern address; write it as etunimi.sukunimi@example.fi, with the domain",
                value=text,
            )
    return value


PatternAddress = Annotated[Name, BeforeValidator(_pattern_address)]


class Person(Frozen):
    """One person of a group of contacts (people:), such as one of the study-affairs staff."""

    name: Name = Field(description="The person's name.")
    title: Name | None = Field(None, description="Title or task, such as {fi: Opintosihteeri, sv: ..., en: ...}.")
    phone: Plain | None = Field(None, description="Telephone number as it should be printed.")
    email: Email | None = Field(None, description="E-mail address.")


class RoleContact(Frozen):
    """A contact the notice names by its role: a person, a group of people or a service, and how to reach them."""

    role: Role = Field(
        description=(
            "The role: " + ", ".join(CONTACT_ROLES) + "; or a role of your own as {fi: ..., sv: ..., en: ...}."
        )
    )
    name: Name | None = Field(None, description="Name of the person or body.")
    title: Name | None = Field(None, description="The person's title, such as {fi: Opintopäällikkö, sv: ..., en: ...}.")
    unit: Name | None = Field(None, description="The unit, department or service; a line break separates lines.")
    phone: Plain | None = Field(None, description="Telephone number as it should be printed.")
    email: Email | None = Field(None, description="E-mail address, printed as a link.")
    email_pattern: PatternAddress | None = Field(
        None,
        description=(
            "How the staff's addresses are formed, such as {fi: etunimi.sukunimi@example.fi, sv: "
            "förnamn.efternamn@example.fi, en: firstname.lastname@example.fi}; printed as text, never as a link."
        ),
    )
    address: Name | None = Field(None, description="Postal or visiting address; a line break separates lines.")
    web: Web | None = Field(None, description="Web address (https://...), such as the form through which to write.")
    hours: Name | None = Field(None, description="When the contact can be reached, such as telephone hours.")
    details: Markdown | None = Field(None, description="More about this contact.")
    people: list[Person] = Field(
        default_factory=list, description="The people of a group, each with name and title, phone and e-mail."
    )

    @model_validator(mode="after")
    def _reachable(self) -> "RoleContact":
        reach = (self.name, self.phone, self.email, self.email_pattern, self.address, self.web, self.details)
        if all(value is None for value in reach) and not self.people:
            raise _fail(
                "contact",
                "the contact names a role only; give a name, people, or how to reach them (phone, email, address, web)",
            )
        return self


class Controller(Contact):
    """The controller (rekisterinpitäjä, personuppgiftsansvarig): who decides on the processing."""

    name: Name = Field(
        description="The controller's registered name. Give a mapping where it differs by language (Oy / Ab / Ltd)."
    )
    business_id: BusinessId | None = Field(
        None, description="Finnish Business ID (y-tunnus, FO-nummer), checked including its check digit."
    )
    country: Country | None = Field(
        None,
        description=(
            "The country where the controller is established, as an ISO 3166 code. Outside the EU/EEA, the controller "
            "names its representative in the Union (Art. 27)."
        ),
    )


class JointController(Contact):
    """Another controller that jointly determines the purposes and means of the processing (Art. 26)."""

    name: Name = Field(description="The joint controller's registered name.")


class Purpose(Entry):
    """One purpose of the processing and the legal basis it rests on."""

    group_name: ClassVar[str] = "purposes"
    term: PurposeTerm | None = Field(None, description="A purpose from the vocabulary.")
    id: Slug | None = Field(
        None,
        description=(
            "A short name by which a data category refers to this purpose (data_categories[].purposes), "
            "where the purpose "
            "has no term key."
        ),
    )
    legal_basis: LegalBasisTerm | None = Field(
        None,
        description=(
            "The legal basis under GDPR Art. 6(1): consent, contract, legal_obligation, vital_interests, public_task "
            "or legitimate_interests. Required for a GDPR notice; `seloste check` reports it where missing."
        ),
    )
    special_category_condition: ConditionTerm | None = Field(
        None, description="The Art. 9(2) condition, where special categories of data are processed for this purpose."
    )
    legitimate_interests: Text | None = Field(
        None,
        description="The legitimate interests pursued; required in a notice where the basis is legitimate_interests.",
    )
    national_law: list[Law] = Field(
        default_factory=list, description="National laws this purpose rests on or is governed by."
    )
    direct_marketing: Flag | None = Field(
        None,
        description=(
            "The purpose is direct marketing (the right to object under Art. 21(2) is then stated separately). Terms "
            "of the vocabulary know this themselves."
        ),
    )
    own_customers: Flag | None = Field(
        None,
        description=(
            "Electronic direct marketing without prior consent under the own-customer exception (laki "
            "sähköisen viestinnän "
            "palveluista 917/2014 200 §): the contact details were obtained from the controller's own "
            "customers in connection "
            "with a sale, the marketing is of the controller's own similar products or services, and the customer can "
            "refuse it easily and free of charge when the details are collected and in every message."
        ),
    )
    profiling: Flag | None = Field(
        None,
        description=(
            "The purpose involves profiling (Art. 4(4)), such as grouping customers by their use of the services: the "
            "notice must then say whether automated decisions are made (Art. 13(2)(f), 22). The term "
            "marketing_profiling knows this itself."
        ),
    )
    requirement: Requirement | None = Field(
        None,
        description=(
            "Whether providing the data is required for this purpose, where purposes differ (Art. 13(2)(e)): "
            "such as required for the contract, voluntary for marketing."
        ),
    )
    further_processing: Text | None = Field(
        None,
        description=(
            "For a purpose added after the data was collected for others (Art. 13(3), 14(4)): how and "
            "when the data subjects "
            "were told before the processing for it began, and why it is compatible with the original purposes (Art. "
            "6(4)) or what else it rests on."
        ),
    )


class Transfer(Frozen):
    """A transfer of personal data outside the EU/EEA."""

    country: Country | None = Field(
        None, description="The destination country as an ISO 3166 code, such as US. Give `country` or `organisation`."
    )
    organisation: Text | None = Field(
        None,
        description=(
            "The international organisation receiving the data (Art. 13(1)(f)), such as a United Nations "
            "agency, in place "
            "of a country."
        ),
    )
    recipient: Text | None = Field(None, description="Who receives the data there.")
    safeguard: SafeguardTerm = Field(
        description=(
            "What the transfer rests on: adequacy_decision, standard_contractual_clauses, binding_corporate_rules, "
            "... or a derogation."
        )
    )
    safeguard_copy: Text | None = Field(
        None, description="Where or how the data subject can obtain a copy of the safeguards."
    )
    recipient_covered: Flag | None = Field(
        None,
        description=(
            "true: the recipient falls within a partial adequacy decision (US: certified under the EU-US Data Privacy "
            "Framework; CA: a commercial organisation subject to PIPEDA). Required for a US or CA transfer "
            "on adequacy_decision."
        ),
    )
    details: Markdown | None = Field(None, description="More about this transfer.")
    when: Text | None = Field(
        None,
        description=(
            "A conditional transfer: the case in which data is transferred, such as {fi: vain, jos palvelun tekninen "
            "toteutus sitä edellyttää, ...}. The destination may then be left out: it is printed as outside the "
            "EU/EEA."
        ),
    )
    occasional: Flag | None = Field(
        None,
        description=(
            "The transfer is occasional, not regular or repetitive: the condition for resting it on an "
            "Art. 49 derogation "
            "(EDPB Guidelines 2/2018)."
        ),
    )

    @model_validator(mode="after")
    def _destination(self) -> "Transfer":
        if self.country is not None and self.organisation is not None:
            raise _fail(
                "transfer",
                "give the destination as either a country (country: US) or an international organisation "
                "(organisation: {fi: ..., sv: ..., en: ...}), not both",
            )
        if self.country is None and self.organisation is None and self.when is None:
            raise _fail(
                "transfer",
                "give the destination as a country (country: US) or an international organisation (organisation: "
                "{fi: ..., sv: ..., en: ...}); only a conditional transfer (when: ...) may leave it unnamed",
            )
        return self


class Publication(Frozen):
    """Data published on the public internet: a disclosure to anyone, anywhere, of its own."""

    what: Text = Field(description="What is published, such as {fi: valtuutettujen nimet ja puolueet, ...}.")
    where: Text = Field(description="Where it is published, such as {fi: kaupungin verkkosivuilla, ...}.")
    web: Web | None = Field(None, description="The web address of the publication.")
    details: Markdown | None = Field(None, description="More about the publication, such as how long it stays.")


class InformationExemption(Frozen):
    """Why data obtained from others is processed without informing the data subjects individually (Art. 14(5))."""

    ground: Literal["already_informed", "disproportionate_effort", "laid_down_by_law", "professional_secrecy"] = Field(
        description=(
            "already_informed: the data subject already has the information (14(5)(a)); disproportionate_effort: "
            "informing "
            "is impossible or would involve a disproportionate effort (14(5)(b)); laid_down_by_law: obtaining "
            "or disclosing "
            "the data is expressly laid down by law (14(5)(c)); professional_secrecy: the data must remain "
            "confidential "
            "under an obligation of professional secrecy (14(5)(d))."
        )
    )
    law: list[Law] = Field(
        default_factory=list,
        description=(
            "The law that lays down the obtaining or disclosure (14(5)(c)) or the obligation of secrecy (14(5)(d))."
        ),
    )
    measures: Markdown | None = Field(
        None,
        description=(
            "For disproportionate_effort: the measures taken to protect the data subjects, including "
            "making this information "
            "publicly available (14(5)(b))."
        ),
    )


def _transfers(value: Any) -> Any:
    """`none` declares that no data leaves the EEA, read as the empty list; a bare [] is refused
    because it reads as a list left empty, not as a statement."""
    if value == "none":
        return []
    if isinstance(value, list) and not value:
        raise _fail("transfers", "write transfers: none to state that no data is transferred outside the EEA")
    return value


def _transfers_schema(schema: dict[str, Any]) -> None:
    """In an editor: a list of at least one transfer, or the word none."""
    for option in schema.get("anyOf", []):
        if option.get("type") == "array":
            option["minItems"] = 1
        elif option.get("type") == "null":
            option.pop("type")
            option["const"] = "none"


class Security(Frozen):
    """The principles by which the data is protected."""

    general: Markdown | None = Field(None, description="Principles that apply to all the data.")
    manual: Markdown | None = Field(None, description="Manual (paper) material.")
    electronic: Markdown | None = Field(None, description="Data processed electronically.")


class AutomatedDecisions(Frozen):
    """Automated decision-making, including profiling (Art. 22)."""

    used: Flag = Field(
        description="Whether decisions based solely on automated processing are made. false states that none are made."
    )
    ground: Literal["contract", "law", "explicit_consent"] | None = Field(
        None,
        description=(
            "Where decisions are made: the Art. 22(2) ground that allows them: contract (22(2)(a)), law "
            "(22(2)(b), name "
            "it in `laws`) or explicit_consent (22(2)(c))."
        ),
    )
    laws: list[Law] = Field(
        default_factory=list, description="The law that authorises the decisions, where the ground is law."
    )
    logic: Text | None = Field(None, description="Meaningful information about the logic involved.")
    significance: Text | None = Field(
        None, description="The significance and envisaged consequences for the data subject."
    )
    profiling: Markdown | None = Field(
        None, description="Profiling that does not lead to such decisions (such as grouping customers for marketing)."
    )


class Leads(Frozen):
    """A lead text of the organisation's own above a list section, such as "We use personal data for the
    following purposes:". Each key is a list section; the text is printed above its list, never in place of it."""

    purposes: Markdown | None = Field(None, description="Above the purposes.")
    data_subjects: Markdown | None = Field(None, description="Above the groups of data subjects.")
    data_categories: Markdown | None = Field(None, description="Above the categories of personal data.")
    sources: Markdown | None = Field(None, description="Above the sources of the data.")
    recipients: Markdown | None = Field(None, description="Above the recipients.")
    processors: Markdown | None = Field(None, description="Above the processors.")
    transfers: Markdown | None = Field(None, description="Above the transfers outside the EEA.")
    rights: Markdown | None = Field(None, description="Above the rights of the data subject.")


class OwnRight(Frozen):
    """A right or ban the organisation grants in its own words, beyond the rights of the GDPR, such as the ban
    on using one's data for market and opinion research. Printed with the rights as written, with no article."""

    text: Text = Field(description="The right as a short heading, such as {fi: Oikeus kieltää ..., ...}.")
    details: Markdown | None = Field(None, description="What the right means and how it is used.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise _fail(
                "own_right",
                "own_rights take your own text ({fi: ..., sv: ..., en: ...}); a right of the vocabulary goes in rights",
            )
        if isinstance(value, dict) and set(value) & {"fi", "sv", "en"} and not set(value) & {"text", "details"}:
            return {"text": value}
        return value


class FullNotice(Frozen):
    """The full notice of which this notice is the first layer (a summary)."""

    title: Text = Field(description="The full notice's name, such as {fi: Asiakasrekisterin tietosuojaseloste, ...}.")
    url: Webs = Field(
        description=(
            "Where the full notice is published (https://...): one address, or one per language "
            "({fi: https://..., sv: https://..., en: https://...})."
        )
    )


class Section(Frozen):
    """A section of your own, for what the fields do not cover (cookies, call recordings, ...)."""

    id: Slug = Field(description="The section's anchor in the page (#cookies); unique within the register.")
    title: Text = Field(description="The section heading.")
    body: Markdown = Field(description="The section text.")


class Dates(Frozen):
    """How the organisation dates its notice, each date printed under the title as it is given."""

    drawn_up: IsoDate | None = Field(None, description="When the notice was drawn up (laadittu, upprättad).")
    updated: IsoDate | None = Field(None, description="When the notice was last updated (päivitetty, uppdaterad).")
    published: IsoDate | None = Field(None, description="When the notice was published (julkaistu, publicerad).")

    @model_validator(mode="after")
    def _order(self) -> "Dates":
        if self.drawn_up and self.updated and self.updated < self.drawn_up:
            raise _fail("dates", "the notice is updated before it was drawn up; check dates.drawn_up and dates.updated")
        return self


class Version(Frozen):
    """An earlier version of the notice and what changed in it."""

    version: IsoDate = Field(description="The date that version took effect.")
    changes: Text = Field(description="A short note of what changed.")


class Approval(Frozen):
    """Who approved this version of the notice, when, and where the decision is recorded."""

    by: Plain = Field(description="Who approved it, such as 'Anna Virtanen, General Counsel' or 'the board'.")
    date: IsoDate = Field(description="The day it was approved (YYYY-MM-DD).")
    reference: Plain | None = Field(
        None, description="The decision or its record: a board minute, a case or record number."
    )


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
    previous_ids: list[Slug] = Field(
        default_factory=list,
        # Where the notice was published, not what it says: left out of the archived content, so renaming
        # a register needs no new version of its own.
        exclude=True,
        description=(
            "The ids this register was published under before it was renamed: their addresses redirect to its own."
        ),
    )
    title: Text = Field(
        description="The register's name, such as {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}."
    )
    version: IsoDate = Field(description="The date this version of the notice takes effect (YYYY-MM-DD).")
    history: list[Version] = Field(default_factory=list, description="Earlier versions, each with a short change note.")
    introduction: Markdown | None = Field(None, description="An opening paragraph.")
    full_notice: FullNotice | None = Field(
        None,
        description=(
            "This notice is the first layer of a layered notice: the full notice it summarises, named and linked "
            "at the top of the page and in the short notices."
        ),
    )
    short_notices: Flag = Field(
        False,
        description=(
            "Also write a short notice per purpose, for the forms where the data is collected: controller, purpose, "
            "legal basis and a link to the full notice (output/<lang>/<id>/short/<purpose>.html)."
        ),
    )

    layout: Literal["gdpr", "register-description", "questions", "municipal"] = Field(
        "gdpr",
        description=(
            "gdpr: a full GDPR privacy notice; register-description: the classic numbered Finnish register "
            "description, in the order of the Personal Data Act's form (HetiL 10 §); questions: headings as the data "
            "subject's questions; municipal: the order of a municipality's notices, the responsible and contact "
            "persons before the purpose and its basis."
        ),
    )
    numbered: Flag | None = Field(
        None,
        description=(
            "Number the section headings 1, 2, 3, ... (the summary excepted), in any layout. By default "
            "register-description, municipal and historic descriptions are numbered, gdpr and questions are not."
        ),
    )
    document_name: Text | None = Field(
        None,
        description=(
            "The document's name as the organisation calls it, shown above the title, such as {fi: "
            "Tietosuojailmoitus, sv: Dataskyddsmeddelande, en: Privacy notice}. By default the layout's name."
        ),
    )
    dates: Dates | None = Field(
        None,
        description=(
            "How the organisation dates the notice: drawn_up, updated and published, each printed under the title. "
            "The archive still keys on `version`."
        ),
    )
    show_version_date: Flag = Field(
        True,
        description=(
            "Print 'Effective from' the version date under the title and at the foot of the page. false for a notice "
            "the organisation publishes undated or dated only by `dates`; `version` still keys the archive."
        ),
    )
    summary: Flag = Field(False, description="Open the notice with a short summary (the first layer).")
    languages: list[Lang] = Field(
        default_factory=lambda: list[Lang](["fi", "sv", "en"]), description="The languages the notice is published in."
    )
    public_authority: Flag = Field(
        False,
        description=(
            "The controller is a public authority (which must designate a DPO and cannot rely on legitimate "
            "interests for its tasks)."
        ),
    )
    bilingual: Flag = Field(
        False,
        description=(
            "The controller is a bilingual authority (kielilaki 423/2003 6 §), which informs the public in Finnish and "
            "Swedish (32 §)."
        ),
    )
    aland_public_sector: Flag = Field(
        False,
        description=(
            "The controller is an authority of the Åland provincial government or an Åland municipality, supervised by "
            "Ålands datainspektion rather than the Data Protection Ombudsman."
        ),
    )
    large_scale: Flag = Field(
        False,
        description=(
            "The controller's core activities consist of processing on a large scale: regular and systematic "
            "monitoring "
            "of data subjects, or special categories or criminal data (Art. 37(1)(b)–(c))."
        ),
    )
    occasional_processing: Flag = Field(
        False,
        description=(
            "A controller outside the EU: the processing is occasional, does not include large-scale "
            "special categories "
            "or criminal data and is unlikely to result in a risk (Art. 27(2)(a)), so no EU representative is needed."
        ),
    )

    controller: Controller = Field(description="The controller. Usually given once in _organisation.yaml.")
    representative: Contact | None = Field(
        None,
        description=(
            "The controller's representative in the EU (Art. 27), where the controller is established outside it."
        ),
    )
    contact_person: Contact | None = Field(
        None,
        description=(
            "The contact person for matters concerning the register: shorthand for one contact of role "
            "contact_person; `contacts` names any number."
        ),
    )
    contacts: list[RoleContact] = Field(
        default_factory=list,
        description=(
            "The people and services to contact, each by its role (responsible person, contact person, registry, "
            "...), after the contact_person where both are given."
        ),
    )
    dpo: Contact | None = Field(None, description="The data protection officer.")
    joint_controllers: list[JointController] = Field(
        default_factory=list,
        description="Other controllers who jointly determine the purposes and means of the processing (Art. 26).",
    )
    joint_arrangement: Markdown | None = Field(
        None,
        description=(
            "The essence of the arrangement between the joint controllers: who provides the information "
            "and who answers "
            "requests to exercise the rights (Art. 26(2))."
        ),
    )

    data_subjects: list[DataSubjectGroup] = Field(
        default_factory=list, description="The groups of people whose data is processed."
    )
    children_consent: Markdown | None = Field(
        None,
        description=(
            "Where children's data is processed on consent: how their age is checked and how the consent of the holder "
            "of parental responsibility is obtained for a child under 13 (Art. 8; tietosuojalaki 1050/2018 5 §)."
        ),
    )
    legal_basis: LegalBasisTerm | None = Field(
        None,
        description=(
            "The legal basis of the whole register (GDPR Art. 6(1)), printed once: every purpose that states none "
            "rests on it."
        ),
    )
    laws: list[Law] = Field(
        default_factory=list,
        description=(
            "The national laws the whole register rests on or is governed by, printed once as a list; a purpose "
            "that states no national_law of its own (and rests on this basis) is governed by them. Never the GDPR "
            "itself, which the notice names anyway."
        ),
    )
    purposes: list[Purpose] = Field(
        min_length=1, description="The purposes of the processing, each with its legal basis."
    )
    data_categories: list[DataCategory] = Field(
        default_factory=list, description="The categories of personal data processed."
    )
    sources: list[Source] = Field(default_factory=list, description="Where the data comes from.")
    information_exemption: InformationExemption | None = Field(
        None,
        description=(
            "Where data obtained from others is processed without informing the data subjects individually: the Art. "
            "14(5) ground."
        ),
    )
    recipients: list[Recipient] | None = Field(
        None,
        description=(
            "Recipients to whom data is disclosed. An empty list [] states that data is disclosed to "
            "no one (Art. 13(1)(e))."
        ),
    )
    publication: list[Publication] = Field(
        default_factory=list,
        description=(
            "Data published on the public internet (a disclosure to anyone, readable outside the EU/EEA too), each "
            "with what is published and where."
        ),
    )
    processors: list[Processor] = Field(
        default_factory=list, description="Processors that process data on the controller's behalf."
    )
    transfers: Annotated[list[Transfer] | None, BeforeValidator(_transfers)] = Field(
        None,
        json_schema_extra=_transfers_schema,
        description=(
            "Transfers outside the EEA (to third countries), each with what it rests on; `none` states that no data is "
            "transferred outside the EEA."
        ),
    )
    retention: Markdown | None = Field(None, description="How long the data is kept, or the criteria that decide it.")
    automated_processing: Flag = Field(
        True,
        description=(
            "The data is processed by automated means (in information systems). true by default, as nearly "
            "every register "
            "is; write false for a register kept on paper only, whose notice then states no right to data portability "
            "(Art. 20(1)(b))."
        ),
    )
    security: Security | None = Field(None, description="The principles of protecting the data.")

    rights: list[RightTerm] | None = Field(
        None, description="The rights to state. Leave out to have them follow from the legal bases."
    )
    own_rights: list[OwnRight] = Field(
        default_factory=list,
        description=(
            "Rights and bans the organisation grants in its own words, beyond those of the GDPR (such as the ban on "
            "market and opinion research), printed with the rights."
        ),
    )
    exercise_rights: Markdown | None = Field(None, description="How and where the data subject exercises the rights.")
    consent_withdrawal: Markdown | None = Field(
        None, description="How consent is withdrawn, where processing rests on consent."
    )
    rights_restrictions: Markdown | None = Field(
        None, description="Restrictions of the rights under law, and their grounds."
    )
    restriction_grounds: list[Law] = Field(
        default_factory=list,
        description=(
            "What the restrictions described in rights_restrictions rest on: a provision of the GDPR itself (such as "
            "Art. 15(4) or 17(3)), a section of tietosuojalaki 1050/2018 (31–34 §) or a special law (Art. 23). A law "
            "of the vocabulary, or a text of your own."
        ),
    )
    supervisory_authority: Contact | None = Field(
        None,
        description=(
            "The supervisory authority for complaints. Defaults to the Office of the Data Protection Ombudsman."
        ),
    )

    requirement: Requirement | None = Field(
        None,
        description=(
            "Whether providing the data is a statutory or contractual requirement, and the consequences of not "
            "providing it."
        ),
    )
    automated_decisions: AutomatedDecisions | None = Field(None, description="Automated decision-making and profiling.")
    first_layer_sign: Markdown | None = Field(
        None,
        description=(
            "Camera surveillance: the warning sign at the monitored area, the first layer of the information "
            "(EDPB Guidelines "
            "3/2019): what it says and where it is."
        ),
    )
    leads: Leads | None = Field(
        None,
        description=(
            "Lead texts above list sections, by section: purposes, data_subjects, data_categories, sources, "
            "recipients, processors, transfers, rights."
        ),
    )
    sections: list[Section] = Field(default_factory=list, description="Sections of your own, after the standard ones.")
    internal: Internal | None = Field(
        None,
        description="For the record of processing only (`seloste ropa`); never in a notice, page, PDF or JSON-LD.",
    )
    approval: Approval | None = Field(
        None,
        description=(
            "Who approved this version and when, with the decision's reference: recorded in the archive's manifest "
            "and the PDF's metadata. Required for every new version when _organisation.yaml sets require_approval."
        ),
    )

    @model_validator(mode="after")
    def _inherit_basis(self) -> "Register":
        """Purposes rest on the register's basis and laws unless they state their own: every stage
        after this one (the rules, the notice, the exports) reads each purpose's own fields."""
        if self.legal_basis is None and not self.laws:
            return self
        purposes = [_inherited(p, self.legal_basis, self.laws) for p in self.purposes]
        object.__setattr__(self, "purposes", purposes)  # frozen: set once, while the object is made
        return self

    def follows_basis(self, purpose: Purpose) -> bool:
        """Whether `purpose` rests on the register's own legal basis, which the notice then states once."""
        return self.legal_basis is not None and purpose.legal_basis == self.legal_basis

    def follows_laws(self, purpose: Purpose) -> bool:
        """Whether `purpose` is governed by exactly the register's laws, which the notice then lists once."""
        return bool(self.laws) and list(purpose.national_law) == list(self.laws)

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


def _inherited(purpose: Purpose, basis: Any, laws: list[Law]) -> Purpose:
    """The purpose with the register's basis where it states none, and the register's laws where it
    states none and rests on that basis."""
    update: dict[str, Any] = {}
    if purpose.legal_basis is None and basis is not None:
        update["legal_basis"] = basis
    effective = update.get("legal_basis", purpose.legal_basis)
    if not purpose.national_law and laws and (basis is None or effective == basis):
        update["national_law"] = list(laws)
    return purpose.model_copy(update=update) if update else purpose


def short_notice_key(purpose: Purpose) -> str | None:
    """The name of a purpose's short notice: its id, or its term's key (in file-name form)."""
    if purpose.id is not None:
        return purpose.id
    return purpose.term.key.replace("_", "-") if purpose.term is not None else None


# What _organisation.yaml may state once for every register; a register may override each.
ORGANISATION_FIELDS = (
    "controller",
    "representative",
    "contact_person",
    "contacts",
    "dpo",
    "public_authority",
    "bilingual",
    "aland_public_sector",
    "languages",
    "layout",
    "numbered",
    "document_name",
    "show_version_date",
    "summary",
    "short_notices",
    "security",
    "exercise_rights",
    "consent_withdrawal",
    "supervisory_authority",
    "retention",
)


def _optional(name: str) -> Any:
    info = Register.model_fields[name]
    annotation: Any = info.annotation  # a type made at run time: a form only pydantic reads
    return (annotation | None, Field(None, description=info.description))


Organisation = create_model(
    "Organisation",
    __base__=Frozen,
    __doc__="Facts written once for every register in registers/_organisation.yaml; a register may override each.",
    require_approval=(
        Flag | None,
        Field(None, description="Archive no new version of any register without its `approval` (who, when, what)."),
    ),
    **{name: _optional(name) for name in ORGANISATION_FIELDS},
)
