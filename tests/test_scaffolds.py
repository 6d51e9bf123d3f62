"""`seloste new`: every scaffold reports its gaps where they stand, and builds once a legal team fills them."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, problems

from generator.cli import main
from generator.scaffold import gaps_in, questions, scaffold_types

TYPES = [
    "access-control",
    "camera-surveillance",
    "contact-persons",
    "customers",
    "employees",
    "events",
    "marketing",
    "members",
    "patients",
    "recruitment",
    "social-services-clients",
    "students",
    "website-users",
    "whistleblowing",
]
PUBLIC = {"patients", "social-services-clients", "students"}

# A fictional organisation's shared facts: what most organisations give once for all their registers.
ORGANISATION = """\
languages: [fi, sv, en]
controller:
  name: {fi: Kuusikko Palvelut Oy, sv: Kuusikko Tjänster Ab, en: Kuusikko Services Ltd}
  business_id: 2104986-6
  email: tietosuoja@kuusikko.example
exercise_rights:
  fi: Lähetä pyyntösi osoitteeseen tietosuoja@kuusikko.example.
  sv: Skicka din begäran till tietosuoja@kuusikko.example.
  en: Send your request to tietosuoja@kuusikko.example.
"""

# What a legal team writes in place of each gap, by the gap's key (list items by their list).
FILLED_TEXT = "{{fi: Täytetty kohta {key} tähän., sv: Ifylld punkt {key} här., en: Filled-in item {key} here.}}"
FILLED_VALUES = {
    "version": "2026-06-01",
    "transfers": "none",
    "national_law": "[basic_education_act]",
    "name": "Kuusikko Palvelut Oy",
    "business_id": "2104986-6",
    "address": "Kuusikkotie 1, 00100 Helsinki",
    "email": "tietosuoja@kuusikko.example",
}
FILLED_ITEMS = {"recipients": "authorities", "processors": "it_service_providers"}
GAP_LINE = re.compile(r'^(\s*)(- )?(?:(\w+):\s*)?!fill "[^"]*"$')


def fill_gaps(text: str) -> str:
    """Fill every gap of a scaffold as a legal team would, line by line, without the tool's help."""
    out, current_list = [], ""
    for line in text.splitlines(keepends=True):
        if re.match(r"^\w+:\s*$", line):
            current_list = line.split(":")[0]
        found = GAP_LINE.match(line.rstrip("\n"))
        if found:
            indent, dash, key = found.groups()
            value = FILLED_ITEMS[current_list] if dash else FILLED_VALUES.get(key, FILLED_TEXT.format(key=key))
            line = f"{indent}- {value}\n" if dash else f"{indent}{key}: {value}\n"
        out.append(line)
    return "".join(out)


def gap_positions(text: str) -> set[tuple[int, int]]:
    """The line and column of every `!fill` in a file, found by reading its lines."""
    return {
        (number, line.index("!fill") + 1)
        for number, line in enumerate(text.splitlines(), start=1)
        if "!fill" in line and not line.lstrip().startswith("#")
    }


@pytest.fixture
def organisation(registers: Path) -> Path:
    (registers / "_organisation.yaml").write_text(ORGANISATION, encoding="utf-8")
    return registers


def test_every_type_of_the_issue_has_a_scaffold():
    assert scaffold_types() == TYPES


@pytest.mark.parametrize("kind", TYPES)
def test_each_gap_is_a_located_error_until_filled_and_then_the_register_builds(kind, organisation, cli):
    made = cli("new", f"our-{kind}", "--type", kind)
    assert made.exit_code == 0, made.output
    path = organisation / f"our-{kind}.yaml"
    text = path.read_text(encoding="utf-8")
    gaps = gap_positions(text)
    assert len(gaps) >= 5  # version, recipients, processors, transfers and retention at least

    checked = cli("check")
    assert checked.exit_code == 1
    lines = problems(checked)
    assert {
        (int(ln), int(col)) for ln, col in (re.match(r"registers/[^:]+:(\d+):(\d+):", p).groups() for p in lines)
    } == gaps
    assert all(re.match(rf"registers/our-{kind}\.yaml:\d+:\d+: [\w.\[\]]+: fill in ", p) for p in lines), lines
    assert len(lines) == len(gaps)  # one error per gap, never an echo of it

    path.write_text(fill_gaps(text), encoding="utf-8")
    strict = cli("check", "--strict")
    assert strict.exit_code == 0, strict.output
    built = cli("build", "--no-pdf")
    assert built.exit_code == 0, built.output
    for lang, words in (
        ("fi", "Täytetty kohta retention"),
        ("sv", "Ifylld punkt retention"),
        ("en", "Filled-in item retention"),
    ):
        page = (organisation.parent / "output" / lang / f"our-{kind}" / "index.html").read_text(encoding="utf-8")
        assert words in page
        assert "!fill" not in page and "fill in" not in page


def test_a_filled_scaffold_makes_its_pdf_editions(organisation, cli):
    assert cli("new", "potilasrekisteri", "--type", "patients").exit_code == 0
    path = organisation / "potilasrekisteri.yaml"
    path.write_text(fill_gaps(path.read_text(encoding="utf-8")), encoding="utf-8")
    built = cli("build")
    assert built.exit_code == 0, built.output
    pdfs = sorted(p.name for p in (organisation.parent / "output").glob("*/potilasrekisteri/*.pdf"))
    assert pdfs == [f"potilasrekisteri_2026-06-01_{lang}.pdf" for lang in ("en", "fi", "sv")]


@pytest.mark.parametrize("kind", ["customers", "patients"])
def test_without_shared_facts_the_organisation_s_gaps_are_added(kind, registers, cli):
    assert cli("new", "uusi", "--type", kind).exit_code == 0
    text = (registers / "uusi.yaml").read_text(encoding="utf-8")
    lines = problems(cli("check"))
    fields = {line.split(": ")[1] for line in lines}
    assert {"controller.name", "controller.business_id", "controller.email", "exercise_rights"} <= fields
    # A public authority must name its data protection officer: its address is a gap too.
    assert ("dpo.email" in fields) == (kind in PUBLIC)
    (registers / "uusi.yaml").write_text(fill_gaps(text), encoding="utf-8")
    strict = cli("check", "--strict")
    assert strict.exit_code == 0, strict.output


def test_the_organisation_s_own_facts_are_not_repeated_in_the_new_register(registers, cli):
    (registers / "_organisation.yaml").write_text(ORGANISATION + "public_authority: false\n", encoding="utf-8")
    assert cli("new", "potilaat", "--type", "patients").exit_code == 0
    text = (registers / "potilaat.yaml").read_text(encoding="utf-8")
    for key in ("controller", "exercise_rights", "public_authority", "dpo"):
        assert not re.search(rf"^{key}:", text, re.MULTILINE), key


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Asiakkaat", "--type", "customers"), "'Asiakkaat' is not a valid id: use lower-case letters a-z, digits"),
        (
            ("uusi", "--type", "kassa"),
            "no scaffold of type 'kassa'; the types are: access-control, camera-surveillance,",
        ),
        (("olemassa", "--type", "customers"), "registers/olemassa.yaml already exists; choose another id"),
        (
            ("customer-register", "--type", "customers"),
            "the id 'customer-register' is already used by registers/toinen",
        ),
    ],
)
def test_new_refuses_and_writes_nothing(args, message, organisation, cli):
    (organisation / "olemassa.yaml").write_text(MINIMAL.replace("customer-register", "olemassa"), encoding="utf-8")
    (organisation / "toinen.yaml").write_text(MINIMAL, encoding="utf-8")
    before = snapshot(organisation.parent)
    result = cli("new", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot(organisation.parent) == before


@pytest.mark.parametrize(
    "key",
    [
        "id",
        "version",
        "title",
        "controller",
        "purposes",
        "data_categories",
        "sources",
        "transfers",
        "retention",
        "exercise_rights",
        "requirement",
        "automated_decisions",
        "recipients",
    ],
)
def test_a_gap_is_refused_in_whatever_field_it_stands(key, registers, cli):
    lines = MINIMAL.splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = number + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    lines[number:end] = [f'{key}: !fill "the {key} of this register"']
    (registers / "gap.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    column = len(key) + 3
    assert problems(result) == [
        f"registers/gap.yaml:{number + 1}:{column}: {key}: fill in the {key} of this register (in place of !fill)"
    ]


def test_a_gap_inside_a_text_or_in_the_shared_file_is_refused_too(registers, cli):
    (registers / "_organisation.yaml").write_text('dpo:\n  email: !fill "the DPO\'s address"\n', encoding="utf-8")
    text = MINIMAL.replace("en: Five years", 'en: !fill "the period in English"')
    (registers / "r.yaml").write_text(text, encoding="utf-8")
    ((line, column),) = gap_positions(text)
    result = cli("check")
    assert result.exit_code == 1
    assert problems(result) == [
        "registers/_organisation.yaml:2:10: dpo.email: fill in the DPO's address (in place of !fill)",
        f"registers/r.yaml:{line}:{column}: retention.en: fill in the period in English (in place of !fill)",
    ]


def test_every_gap_of_every_scaffold_has_a_question_in_each_language(registers, cli):
    book = questions()
    for kind in TYPES:
        folder = registers / kind
        assert cli("new", "x", "--type", kind, "--folder", str(folder)).exit_code == 0
        for gap in gaps_in((folder / "x.yaml").read_text(encoding="utf-8")):
            assert all(book[gap.question_key][lang] for lang in ("fi", "sv", "en")), (kind, gap.question_key)


def interactive(args: list[str], answers: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", *args, "--interactive"], input="".join(a + "\n" for a in answers))
    return result.exit_code, result.output


def test_the_interview_asks_in_the_organisation_s_language_and_writes_the_answers_in(organisation, cli):
    answers = [
        "1.6.2026",  # not a date as YYYY-MM-DD: asked again
        "2026-06-01",
        "Perintätoimisto",  # the recipients, in each language
        "Inkassobyrå",
        "Debt collection agency",
        "-",  # no processors beyond those listed: the item goes
        "-",  # no transfers
        "Viisi vuotta asiakkuuden päättymisestä.",
        "Fem år efter att kundrelationen upphört.",
        "Five years after the customer relationship ends.",
    ]
    code, output = interactive(["asiakkaat", "--type", "customers"], answers)
    assert code == 0, output
    assert "Mistä päivästä alkaen seloste on voimassa (VVVV-KK-PP)?" in output
    assert "Kirjoita päivä muodossa VVVV-KK-PP." in output
    assert "ruotsiksi" in output and "wrote registers/asiakkaat.yaml: no gaps" in output
    text = (organisation / "asiakkaat.yaml").read_text(encoding="utf-8")
    assert "version: 2026-06-01\n" in text
    assert "transfers: none\n" in text
    assert "processors: []\n" in text
    assert "  - fi: Perintätoimisto\n    sv: Inkassobyrå\n    en: Debt collection agency\n" in text
    assert "retention:\n  fi: Viisi vuotta asiakkuuden päättymisestä.\n" in text
    # Every comment of the scaffold is still there, in its order.
    assert cli("new", "vertailu", "--type", "customers").exit_code == 0
    plain = (organisation / "vertailu.yaml").read_text(encoding="utf-8")
    comments = [line for line in plain.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    (organisation / "vertailu.yaml").unlink()
    strict = cli("check", "--strict")
    assert strict.exit_code == 0, strict.output


def test_enter_leaves_a_gap_for_later_and_a_swedish_organisation_is_asked_in_swedish(registers, cli):
    (registers / "_organisation.yaml").write_text(ORGANISATION.replace("[fi, sv, en]", "[sv, fi]"), encoding="utf-8")
    code, output = interactive(["kameror", "--type", "camera-surveillance"], ["2026-06-01", "", "", "-", "", ""])
    assert code == 0, output
    assert "Från vilken dag gäller beskrivningen (ÅÅÅÅ-MM-DD)?" in output
    assert "Mistä" not in output
    assert "wrote registers/kameror.yaml: 4 gaps to fill in" in output
    fields = [line.split(": ")[1] for line in problems(cli("check"))]
    assert fields == ["recipients[2]", "processors[0]", "retention", "first_layer_sign"]


def test_a_list_whose_only_item_is_declined_becomes_empty(organisation, cli):
    code, output = interactive(["yhteydet", "--type", "contact-persons"], ["", "-", "", "", ""])
    assert code == 0, output
    text = (organisation / "yhteydet.yaml").read_text(encoding="utf-8")
    assert "\nrecipients: []\n\nprocessors:\n  - !fill" in text
    assert "recipients" not in " ".join(problems(cli("check")))


def test_an_interrupted_interview_writes_nothing(organisation):
    result = CliRunner().invoke(main, ["new", "kesken", "--type", "events", "-i"], input="2026-06-01\n")
    assert result.exit_code != 0
    assert not (organisation / "kesken.yaml").exists()


def test_the_docs_list_every_type():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "scaffolds.md").read_text(encoding="utf-8")
    for kind in TYPES:
        assert f"`{kind}`" in docs
    assert "!fill" in docs


def test_the_interview_takes_laws_only_by_their_vocabulary_keys(organisation):
    answers = ["", "perusopetuslaki", "basic_education_act, study_registers_act", "", "", "", "", ""]
    code, output = interactive(["oppilaat", "--type", "students"], answers)
    assert code == 0, output
    assert "Kirjoita sanaston lakien avaimia pilkuin erotettuina." in output
    text = (organisation / "oppilaat.yaml").read_text(encoding="utf-8")
    assert "    national_law: [basic_education_act, study_registers_act]\n" in text


def test_a_gap_standing_for_a_list_or_mapping_says_how_a_gap_is_written(registers, cli):
    (registers / "r.yaml").write_text(MINIMAL.replace("recipients: []", "recipients: !fill [police]"), encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert problems(result) == [
        "registers/r.yaml:18:13: recipients: a gap (!fill) stands for one value and takes a description: "
        '!fill "what to write"'
    ]


def test_a_gap_in_the_organisation_s_vocabulary_is_refused_once(registers, cli):
    (registers / "_vocabulary.yaml").write_text(
        'purposes:\n  loyalty:\n    fi: !fill "the Finnish label"\n    sv: Stamkund\n    en: Loyalty\n',
        encoding="utf-8",
    )
    (registers / "r.yaml").write_text(MINIMAL, encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert problems(result) == [
        "registers/_vocabulary.yaml:3:9: purposes.loyalty.fi: fill in the Finnish label (in place of !fill)"
    ]


def test_a_text_given_in_one_language_only_is_left_as_a_gap_and_the_interview_says_so(organisation):
    answers = ["2026-06-01", "Perintätoimisto", "", "-", "-", "", ""]
    code, output = interactive(["asiakkaat", "--type", "customers"], answers)
    assert code == 0, output
    assert "Kohta jäi täyttämättä, koska teksti tarvitaan jokaisella kielellä." in output
    text = (organisation / "asiakkaat.yaml").read_text(encoding="utf-8")
    assert "Perintätoimisto" not in text
    assert "recipients:\n  - !fill" in text
