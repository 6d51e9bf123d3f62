"""Golden HTML: the shipped samples, one per layout, in every language, compared byte for byte.

A change to templates, wording or samples shows up here as a diff to review. Regenerate with
`./tasks test tests/test_golden.py --update-golden` and read `git diff tests/golden`.
"""

from pathlib import Path

import pytest
from conftest import REPO

GOLDEN = REPO / "tests" / "golden"
# One sample register per layout, and the historic register description (Personal Data Act, 2016).
SAMPLES = {
    "gdpr": "customer-register",
    "register-description": "online-service-users",
    "questions": "customer-notice",
    "historic": "energy-advice-visits",
}
CASES = [(layout, register, lang) for layout, register in SAMPLES.items() for lang in ("fi", "sv", "en")]


@pytest.fixture
def site(samples_output: Path) -> Path:
    return samples_output


@pytest.mark.parametrize(("layout", "register", "lang"), CASES)
def test_page_matches_its_golden_copy(
    site: Path, layout: str, register: str, lang: str, request: pytest.FixtureRequest
) -> None:
    produced = (site / lang / register / "index.html").read_text(encoding="utf-8")
    golden = GOLDEN / layout / f"{register}.{lang}.html"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert golden.is_file(), f"no golden copy yet: run with --update-golden and review {golden}"
    assert produced == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs: rerun with --update-golden and review the diff"
    )
