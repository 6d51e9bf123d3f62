"""The shipped sample registers: clean, and together a showcase of every field of the format."""

import re
import typing
from pathlib import Path

import pypdf
from conftest import REPO, run_seloste
from pydantic import BaseModel

from generator.load import load_file
from generator.messages import _unwrap
from generator.model import Register

# A Finnish controller has no representative in the EU (Art. 27), so no sample can use it naturally.
# Fields for situations none of the fictional organisation's registers is in: a controller outside the
# EU, an Åland or bilingual authority, joint controllers, children, an Art. 14(5) exemption, large-scale
# core activities, a transfer to an international organisation or on a derogation, the own-customer
# exception to consent, a purpose added later. tests/test_rules_national.py writes each of them.
NOT_IN_SAMPLES = {
    "representative",
    "laws",
    "occasional_processing",
    "aland_public_sector",
    "bilingual",
    "joint_controllers",
    "joint_arrangement",
    "children",
    "children_consent",
    "information_exemption",
    "ground",
    "law",
    "measures",
    "large_scale",
    "organisation",
    "occasional",
    "own_customers",
    "further_processing",
    # Shown by the forms under tests/data/forms (a university's contacts, a conditional transfer) and
    # by tests/test_shapes.py (publication): an energy company's samples have no use for them.
    "hours",
    "people",
    "unit",
    "when",
    "publication",
    "what",
    "where",
}


def model_fields(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of a model and of the models nested in it."""
    seen = seen if seen is not None else set()
    names: set[str] = set()
    if model in seen:
        return names
    seen.add(model)
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in _types(info.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                names |= model_fields(inner, seen)
    return names


def _types(annotation: typing.Any) -> list[typing.Any]:
    tp = _unwrap(annotation)
    args = typing.get_args(tp)
    return [tp] + [t for arg in args for t in _types(arg)] if args else [tp]


def keys(tree: typing.Any) -> set[str]:
    if isinstance(tree, dict):
        return set(tree) | {k for value in tree.values() for k in keys(value)}
    if isinstance(tree, list):
        return {k for item in tree for k in keys(item)}
    return set()


SAMPLES = [
    "camera-surveillance",
    "customer-notice",
    "customer-register",
    "energy-advice-visits",
    "online-service-users",
    "recruitment",
]


def test_every_sample_passes_strict_from_the_command_line(tmp_path: Path) -> None:
    """No sample needs a warning to be true, the historic (2016) register description included."""
    # An empty archive: the registers alone, whatever versions this checkout has archived.
    result = run_seloste("check", "--strict", "--archive", str(tmp_path), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{len(SAMPLES)} registers checked: no problems\n"
    assert sorted(p.stem for p in (REPO / "registers").glob("[!_]*.yaml")) == SAMPLES


def test_the_samples_together_use_every_field() -> None:
    used = set().union(*(keys(load_file(path).data) for path in (REPO / "registers").glob("*.yaml")))
    expected = model_fields(Register) - {"group", "key"} - NOT_IN_SAMPLES
    assert sorted(expected - used) == []


def test_every_layout_and_language_is_shown_by_a_sample() -> None:
    trees = [load_file(path).data for path in Path(REPO / "registers").glob("[!_]*.yaml")]
    assert all(isinstance(tree, dict) for tree in trees)
    layouts = {tree.get("layout", "gdpr") for tree in trees if isinstance(tree, dict)}
    assert layouts == {"gdpr", "register-description", "questions"}


def test_every_sample_has_its_archive_grade_pdf_in_each_language(samples_output: Path) -> None:
    for path in sorted(REPO.joinpath("registers").glob("[!_]*.yaml")):
        data = load_file(path).data
        assert isinstance(data, dict)
        register_id, version, title = str(data["id"]), str(data["version"]), data["title"]
        assert isinstance(title, dict)
        for lang in ("fi", "sv", "en"):
            reader = pypdf.PdfReader(samples_output / lang / register_id / f"{register_id}_{version}_{lang}.pdf")
            xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
            assert re.search(r"pdfaid:part[>=\"]+3", xmp) and re.search(r"pdfaid:conformance[>=\"]+A", xmp), path
            assert list(reader.attachments) == [path.name, "_organisation.yaml", "_vocabulary.yaml"]
            first_page = " ".join(reader.pages[0].extract_text().split())
            assert " ".join(str(title[lang]).split()) in first_page, (path.name, lang)
