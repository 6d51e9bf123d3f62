"""The forms real notices take, each written as a register of a fictional organisation and kept as golden HTML.

Every folder under tests/data/forms/ is a registers/ folder of its own (with its _organisation.yaml):
one mirrors each seed notice's form (the classic numbered register description with its
cross-references, the question headings with a first layer, the parallel Finnish and English
summary page, ...) and others the customary forms of the public sector (a municipal register, a
university's student register, a wellbeing services county's patient register). Each must pass
`seloste check --strict` and render exactly as its golden copy under tests/golden/forms/<form>/.
Regenerate with `./tasks test tests/test_forms.py --update-golden` and read the diff.
"""

from pathlib import Path

import pytest
from conftest import REPO

from generator.build import build
from generator.check import check

FORMS = REPO / "tests" / "data" / "forms"
GOLDEN = REPO / "tests" / "golden" / "forms"
NAMES = sorted(path.name for path in FORMS.iterdir() if path.is_dir()) if FORMS.is_dir() else []


def _problems(form: str) -> list[str]:
    report = check([FORMS / form])
    return [str(problem) for problem in report.problems]


@pytest.mark.parametrize("form", NAMES)
def test_form_passes_the_strict_check(form: str) -> None:
    assert _problems(form) == []


@pytest.mark.parametrize("form", NAMES)
def test_form_renders_as_its_golden_copy(form: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    output = tmp_path / "output"
    build([FORMS / form], output, pdf=False, jobs=1)
    pages = {
        f"{page.parent.name}.{page.parent.parent.name}.html": page.read_text(encoding="utf-8")
        for page in sorted(output.glob("*/*/index.html"))
    }
    assert pages, f"the form {form} produced no pages"
    golden = GOLDEN / form
    if request.config.getoption("--update-golden"):
        golden.mkdir(parents=True, exist_ok=True)
        for stale in golden.glob("*.html"):
            stale.unlink()
        for name, text in pages.items():
            (golden / name).write_text(text, encoding="utf-8")
    kept = {path.name: path.read_text(encoding="utf-8") for path in sorted(golden.glob("*.html"))}
    assert sorted(kept) == sorted(pages), f"pages differ from tests/golden/forms/{form}: rerun with --update-golden"
    for name, text in pages.items():
        assert text == kept[name], f"{form}/{name} differs: rerun with --update-golden and review the diff"
