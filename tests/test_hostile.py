"""Hostile and careless register files: every one is refused with its exact, located message,
in bounded memory and time, without a traceback, and without touching an existing output/.

Every case runs through the real command in this process (click's runner), which is what the
messages depend on; a handful also run as real subprocesses, to prove that what a user sees is
the same: no traceback and a non-zero exit.

The corpus lives in tests/hostile/, one case per input file:

- `<name>.yaml` holds the bytes of the register exactly as the tool reads them (binary cases,
  such as UTF-16 or Latin-1, included); `<name>.gen.json` instead holds a recipe for an input
  too large to keep (`{"pieces": [[text, times], ...]}`, joined and written as UTF-8);
- `<name>.expected` holds the expected problem lines, `{file}` standing for
  `registers/<name>.yaml`, after `# key: value` header lines: `# about:` what the case is,
  `# measure:` memory (and a runaway bound on time) of the in-process check are measured, and `# xfail:` /
  `# xfail-build:` the tool bug that makes `check` / `build` misbehave today (the expected
  lines then say what the tool should print).

Adding a case is adding its input and its expected file.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import textwrap
import time
import traceback
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from conftest import MINIMAL, register_yaml
from hostile_kit import Run, cli_env, differences, run_cli, snapshot

from generator.build import build
from generator.cli import main
from generator.load import load_file
from generator.redact import public_source
from generator.validate import validate_paths

HOSTILE = Path(__file__).resolve().parent / "hostile"
# A bound on runaway work (quadratic parsing, an expanding alias), far above the fraction of a
# second the worst case takes: the verdict must not depend on how busy the machine is.
RUNAWAY_SECONDS = 60.0
PEAK_BYTES = 200 * 1024 * 1024
# The cases also run as real subprocesses: a syntax error, an encoding, a resource attack and a value.
IN_SUBPROCESS = ("syntax-tab-indentation", "encoding-utf-16-le", "alias-bomb", "message-terminal-escape-in-value")


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    lines: tuple[str, ...]
    xfail: str | None
    xfail_build: str | None
    measure: bool

    @property
    def file(self) -> str:
        return f"registers/{self.name}.yaml"

    def expected(self) -> list[str]:
        return [line.replace("{file}", self.file) for line in self.lines]

    def source(self) -> bytes:
        raw = HOSTILE / f"{self.name}.yaml"
        if raw.exists():
            return raw.read_bytes()
        recipe = json.loads((HOSTILE / f"{self.name}.gen.json").read_text(encoding="utf-8"))
        return "".join(text * times for text, times in recipe["pieces"]).encode("utf-8")


def read_case(path: Path) -> Case:
    header: dict[str, str] = {}
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(": ")
            header[key] = value
        elif line:
            lines.append(line)
    unknown = set(header) - {"about", "measure", "xfail", "xfail-build"}
    assert not unknown, f"{path.name}: unknown header {unknown}"
    return Case(
        path.name.removesuffix(".expected"),
        header.get("about", ""),
        tuple(lines),
        header.get("xfail"),
        header.get("xfail-build"),
        "measure" in header,
    )


CASES = [read_case(path) for path in sorted(HOSTILE.glob("*.expected"))]
BY_NAME = {case.name: case for case in CASES}


def params(cases: list[Case], which: str) -> list[Any]:
    """The cases as pytest parameters, marked xfail (strict) where the tool is known to misbehave."""
    out = []
    for case in cases:
        reason = case.xfail if which == "check" else case.xfail_build
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def site_with(root: Path, case: Case) -> Path:
    (root / "registers").mkdir(parents=True)
    (root / case.file).write_bytes(case.source())
    return root


def invoke(*args: str, cwd: Path) -> Run:
    """Run the real command in this process, in `cwd`: what it printed and how it ended. An
    exception that escapes it is shown as the traceback a user would have seen."""
    with contextlib.chdir(cwd):
        started = time.perf_counter()
        result = CliRunner().invoke(main, list(args))
        seconds = time.perf_counter() - started
    stderr = result.stderr
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(*result.exc_info))
    return Run(result.exit_code, result.stdout, stderr, seconds)


def representatives(cases: list[Case]) -> list[Case]:
    """One case per failure class (the name's first word: syntax, encoding, type, ...), preferring one
    that builds as it should today, plus every case that is also run as a subprocess."""
    chosen: dict[str, Case] = {}
    for case in cases:
        kind = case.name.split("-")[0]
        if kind not in chosen or (chosen[kind].xfail_build and not case.xfail_build):
            chosen[kind] = case
    return sorted({*chosen.values(), *(BY_NAME[name] for name in IN_SUBPROCESS)}, key=lambda case: case.name)


# -- the corpus itself ------------------------------------------------------------------------------


def test_the_corpus_is_complete() -> None:
    inputs = {
        p.name.removesuffix(".gen.json").removesuffix(".yaml")
        for p in HOSTILE.iterdir()
        if p.name.endswith((".yaml", ".gen.json"))
    }
    assert inputs == set(BY_NAME), "every input needs an .expected file and every .expected file an input"
    assert len(CASES) >= 40
    for case in CASES:
        assert case.about and case.lines, case.name
        assert all(line.startswith("{file}:") for line in case.lines), case.name
        assert not ((HOSTILE / f"{case.name}.yaml").exists() and (HOSTILE / f"{case.name}.gen.json").exists()), (
            case.name
        )


def test_the_corpus_covers_what_the_issue_asks_for() -> None:
    wanted = [
        "syntax-",
        "tab-indentation",
        "wrong-indentation",
        "duplicate-",
        "type-",
        "unknown-top-level-key",
        "unknown-nested-key",
        "missing-",
        "empty-text",
        "date-not-in-calendar",
        "date-finnish-form",
        "date-without-zeros",
        "country-",
        "language-",
        "id-path-separator",
        "id-dots",
        "id-upper-case",
        "id-space",
        "large-",
        "deep-",
        "alias-bomb",
        "encoding-latin-1",
        "encoding-cp1252",
        "encoding-utf-16-le",
        "encoding-utf-16-be",
        "nul-byte",
        "convert-",
        "tag-python-object",
        "tag-binary",
        "tag-str",
        "merge-key",
        "multiple-documents",
        "empty-file",
        "comment-only",
        "top-level-list",
        "top-level-scalar",
    ]
    missing = [w for w in wanted if not any(w in name for name in BY_NAME)]
    assert missing == []
    assert all(len(BY_NAME[n].source()) > 1024 * 1024 for n in ("large-comment", "large-value"))


# -- `seloste check` ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    return {case.name: invoke("check", cwd=site_with(tmp_path_factory.mktemp("check"), case)) for case in CASES}


def assert_check_refuses(case: Case, run: Run) -> None:
    assert "Traceback" not in run.printed
    assert run.returncode == 1, run.printed
    problems = run.stderr.splitlines()
    # One line per problem, each starting with the file: a value cannot add or split lines.
    assert all(line.startswith(case.file + ":") for line in problems), problems
    assert problems == case.expected()
    count = len(case.expected())
    assert run.stdout == f"1 register checked: {count} error{'s' if count != 1 else ''}, 0 warnings\n"


@pytest.mark.parametrize("case", params(CASES, "check"))
def test_check_refuses_the_case_with_its_located_message(case: Case, checked: dict[str, Run]) -> None:
    assert_check_refuses(case, checked[case.name])


@pytest.mark.parametrize("case", params([BY_NAME[name] for name in IN_SUBPROCESS], "check"))
def test_check_in_a_subprocess_prints_the_same_without_a_traceback(case: Case, tmp_path: Path) -> None:
    assert_check_refuses(case, run_cli("check", cwd=site_with(tmp_path, case)))


# -- time and memory of the tool's own work, in-process ---------------------------------------------

HEAVY = [case for case in CASES if case.measure]


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("minimal") / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def warm(minimal: Path) -> None:
    """Import everything and validate a register once, so that measurements are the check alone."""
    assert validate_paths([minimal]).problems == []


@pytest.mark.parametrize("case", params(HEAVY, "check"))
def test_heavy_input_is_refused_in_bounded_memory_without_running_away(
    case: Case, warm: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_with(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    path = Path(case.file)
    started = time.perf_counter()
    catalogue = validate_paths([path])
    seconds = time.perf_counter() - started
    assert seconds < RUNAWAY_SECONDS, f"{case.name}: {seconds:.2f} s"
    tracemalloc.start()
    try:
        validate_paths([path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES / 4, f"{case.name}: {peak / 2**20:.0f} MiB of Python objects"
    assert [str(p) for p in catalogue.problems] == case.expected()


# The peak is the kernel's high-water mark of this process's own memory (VmHWM): unlike
# getrusage's maxrss, it does not carry over the size of the process that started it. One process
# checks every heavy case in turn; the mark is reset to the present size before each (clear_refs 5),
# so a case's peak also counts what earlier cases left behind: never less than its own.
PEAK_SCRIPT = """
import gc, json, re, sys, time
from pathlib import Path
from typing import Any
from generator.validate import validate_paths
def peak():
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1)) * 1024
validate_paths([Path(sys.argv[1])])  # warm: imports and the shipped vocabulary
found = {}
for name in sys.argv[2:]:
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = peak()
    started = time.perf_counter()
    catalogue = validate_paths([Path(name)])
    seconds = time.perf_counter() - started
    found[name] = {"before": before, "peak": peak(), "seconds": seconds, "problems": len(catalogue.problems)}
    del catalogue
print(json.dumps(found))
"""


def peaks_of(warmup: Path, paths: list[Path]) -> dict[str, dict[str, float]]:
    """The whole process's peak resident memory (C allocations included) while checking each of `paths`."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(warmup), *map(str, paths)],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return {Path(name).stem: measured for name, measured in json.loads(done.stdout).items()}


def test_heavy_inputs_keep_the_whole_process_under_200_mb(minimal: Path, tmp_path: Path) -> None:
    paths = []
    for case in HEAVY:
        paths.append(tmp_path / f"{case.name}.yaml")
        paths[-1].write_bytes(case.source())
    peaks = peaks_of(minimal, paths)
    assert sorted(peaks) == sorted(case.name for case in HEAVY)
    for name, measured in peaks.items():
        assert measured["problems"] >= 1, name
        assert measured["before"] <= measured["peak"] < PEAK_BYTES, f"{name}: peak {measured['peak'] / 2**20:.0f} MiB"


def many_unknown_keys() -> str:
    """Just under every limit: 49,000 unknown keys close enough to real ones to need a suggestion each."""
    return MINIMAL + "".join(f"retention{i}: v\n" for i in range(49_000))


def test_a_file_full_of_mistakes_is_checked_without_running_away(
    warm: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "registers").mkdir()
    path = tmp_path / "registers" / "mistakes.yaml"
    path.write_text(many_unknown_keys(), encoding="utf-8")
    assert path.stat().st_size < 1024 * 1024
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    catalogue = validate_paths([Path("registers/mistakes.yaml")])
    seconds = time.perf_counter() - started
    assert catalogue.problems[0].message == "unknown key 'retention0' (did you mean 'retention'?)"
    assert seconds < RUNAWAY_SECONDS, f"{seconds:.2f} s for {len(catalogue.problems):,} problems"


# -- `seloste build` leaves an existing output/ exactly as it was -----------------------------------

EXISTING = register_yaml(id="existing-register")
BUILT = representatives(CASES)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose output/ holds a complete build (pages, PDFs, archive) of a valid register."""
    site = tmp_path_factory.mktemp("published")
    (site / "registers").mkdir()
    (site / "registers" / "existing.yaml").write_text(EXISTING, encoding="utf-8")
    with contextlib.chdir(site):
        build([Path("registers")], Path("output"), archive=Path("archive"))
    assert (site / "archive" / "existing-register" / "2025-03-01" / "manifest.json").is_file()
    return site


def rebuild(case: Case, published: Path, root: Path, *, subprocess: bool) -> tuple[Run, dict, dict]:
    """The case put beside the valid register, then `seloste build`: the run and the site before and after."""
    site = root / "site"
    shutil.copytree(published, site, symlinks=True)
    (site / case.file).write_bytes(case.source())
    before = snapshot(site)
    run = run_cli("build", cwd=site) if subprocess else invoke("build", cwd=site)
    return run, before, snapshot(site)


def assert_build_stops(run: Run, before: dict, after: dict) -> None:
    assert "Traceback" not in run.printed
    assert run.returncode == 1, run.printed
    assert run.stderr.splitlines()[-1].startswith("build stopped: ") and run.stderr.rstrip().endswith(
        "; output/ was not changed"
    )
    assert differences(before, after) == []


@pytest.mark.parametrize("case", params(BUILT, "build"))
def test_build_stops_on_the_case_and_leaves_output_untouched(case: Case, published: Path, tmp_path: Path) -> None:
    assert_build_stops(*rebuild(case, published, tmp_path, subprocess=False))


@pytest.mark.parametrize("case", params([BY_NAME[name] for name in IN_SUBPROCESS[:3]], "build"))
def test_build_in_a_subprocess_stops_without_a_traceback(case: Case, published: Path, tmp_path: Path) -> None:
    assert_build_stops(*rebuild(case, published, tmp_path, subprocess=True))


# -- what is accepted: a byte order mark, Windows line endings, values exactly as typed -------------


def test_a_byte_order_mark_and_windows_line_endings_are_accepted_and_build(tmp_path: Path) -> None:
    (tmp_path / "registers").mkdir()
    # Published in English only: what is read is the same for every language, and so are two PDFs.
    bom = b"\xef\xbb\xbf" + register_yaml(id="with-bom", add={"languages": ["en"]}).encode()
    crlf = register_yaml(id="with-crlf", add={"languages": ["en"]}).replace("\n", "\r\n").encode()
    (tmp_path / "registers" / "bom.yaml").write_bytes(bom)
    (tmp_path / "registers" / "crlf.yaml").write_bytes(crlf)
    checked = run_cli("check", cwd=tmp_path)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "2 registers checked: no problems\n", "")
    built = run_cli("build", cwd=tmp_path)
    assert built.returncode == 0, built.printed
    for register, name in (("with-bom", "bom.yaml"), ("with-crlf", "crlf.yaml")):
        page = (tmp_path / "output" / "en" / register / "index.html").read_text(encoding="utf-8")
        assert "<title>Customer register – Esimerkki Ltd</title>" in page
        assert "\ufeff" not in page and "\r" not in page
        # The PDF carries the source in its public form, written anew: no BOM, no comments, the same values.
        pdf = tmp_path / "output" / "en" / register / f"{register}_2025-03-01_en.pdf"
        loaded = load_file(tmp_path / "registers" / name)
        assert pypdf.PdfReader(pdf).attachments[name] == [public_source(loaded)]
        (tmp_path / name).write_bytes(public_source(loaded))
        assert load_file(tmp_path / name).data == loaded.data


AS_TYPED = MINIMAL.replace("transfers: none\n", "") + textwrap.dedent("""\
    contact_person:
      name: NO
      role: {fi: on, sv: yes, en: no}
      address: Esimerkkikatu 1, 00100 Helsinki
      phone: 00100
    transfers:
      - country: NO
        safeguard: adequacy_decision
        recipient: {fi: 1.10, sv: '12:30', en: 2025-03-01}
    sections:
      - id: figures
        title: {fi: 0o17, sv: 0x1F, en: 1e3}
        body: {fi: .inf, sv: '~', en: 'null'}
    """)


def test_values_yaml_would_convert_reach_the_notice_exactly_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "typed.yaml").write_text(AS_TYPED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    catalogue = validate_paths([Path("registers")])
    assert catalogue.problems == []
    register = catalogue.registers[0].register
    person = register.contact_person
    assert (person.name.fi, person.role.fi, person.role.sv, person.role.en) == ("NO", "on", "yes", "no")
    assert (person.address.en, person.phone) == ("Esimerkkikatu 1, 00100 Helsinki", "00100")
    transfer = register.transfers[0]
    assert (transfer.country, transfer.recipient.fi, transfer.recipient.sv, transfer.recipient.en) == (
        "NO",
        "1.10",
        "12:30",
        "2025-03-01",
    )
    section = register.sections[0]
    assert (section.title.fi, section.title.sv, section.title.en) == ("0o17", "0x1F", "1e3")
    assert (section.body.fi, section.body.sv, section.body.en) == (".inf", "~", "null")

    build([Path("registers")], Path("output"), pdf=False)
    pages = {
        lang: (tmp_path / "output" / lang / "customer-register" / "index.html").read_text(encoding="utf-8")
        for lang in ("fi", "sv", "en")
    }
    for typed in ("<dd>00100</dd>", "Esimerkkikatu 1, 00100 Helsinki", "NO<br>"):
        assert all(typed in page for page in pages.values()), typed
    assert "<dd>1.10</dd>" in pages["fi"] and "<dd>12:30</dd>" in pages["sv"] and "<dd>2025-03-01</dd>" in pages["en"]
    assert "Norja" in pages["fi"] and "Norge" in pages["sv"] and "Norway" in pages["en"]
    assert "0o17" in pages["fi"] and "0x1F" in pages["sv"] and "1e3" in pages["en"]
    assert "<p>.inf</p>" in pages["fi"] and "<p>~</p>" in pages["sv"] and "<p>null</p>" in pages["en"]
