"""Measure seloste's speed on synthetic corpora, side by side in one run, and print the figures.

    .venv/bin/python benchmarks/bench.py                    # sizes 50, 200 and 500
    .venv/bin/python benchmarks/bench.py --sizes 1 2 --pdf-max 1 --speedup-size 1 --floor-docs 1 \
        --naive-docs 1 --languages fi --samples customer-notice    # a smoke run: 7 short PDFs

Every figure comes from real runs of the real command on generated registers (see corpus.py):
check, HTML-only and full builds, a rebuild with no change and one with one register changed,
the speedup of 2 workers over 1, peak memory, the PDF stage against WeasyPrint's own time for
the same HTML (the floor), and the naive pipeline of one `weasyprint` process per file.
Timings are wall-clock seconds on this machine; ratios are what to compare across machines.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from corpus import make_corpus  # noqa: E402

PYTHON = sys.executable

# Run a command and report its wall time and the peak memory of any process it started.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - started
if done.returncode:
    sys.stderr.write(done.stderr)
    sys.exit(done.returncode)
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(args: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one run of `seloste ARGS` in `cwd`."""
    done = subprocess.run(
        [PYTHON, "-c", MEASURE, PYTHON, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"seloste {' '.join(args)} failed:\n{done.stderr}")
    seconds, kib = done.stdout.split()
    return float(seconds), int(kib) / 1024


def change_one(folder: Path) -> None:
    """Edit one register as a legal team would: a new text and a new version date."""
    registers = sorted((folder / "registers").glob("register-*.yaml"))
    path = registers[min(1, len(registers) - 1)]  # register-0001, or the only one of a smoke run
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version: .*$", "version: 2026-11-01", text, count=1)
    path.write_text(text.replace("asiakasrekisteri", "asiakasrekisteri (päivitetty)", 1), encoding="utf-8")


def corpus_figures(
    size: int, pdf: bool, root: Path, languages: list[str] | None, samples: list[str] | None = None
) -> dict[str, float]:
    """Every per-corpus figure for one size."""
    folder = root / f"corpus-{size}"
    make_corpus(folder / "registers", size, languages=languages, samples=samples)
    figures: dict[str, float] = {}
    figures["check"], figures["check_mib"] = measure(["check"], folder)
    figures["html_cold"], figures["html_mib"] = measure(["build", "--no-pdf", "-o", "html"], folder)
    output = ["-o", "full"] if pdf else ["--no-pdf", "-o", "html"]
    if pdf:
        figures["cold"], figures["cold_mib"] = measure(["build", *output], folder)
    figures["no_change"], figures["no_change_mib"] = measure(["build", *output], folder)
    change_one(folder)
    figures["one_changed"], _ = measure(["build", *output], folder)
    return figures


def speedup(root: Path, size: int, languages: list[str] | None, samples: list[str] | None = None) -> dict[str, float]:
    """A cold PDF build with one worker against the same with two."""
    folder = root / f"speedup-{size}"
    make_corpus(folder / "registers", size, languages=languages, samples=samples)
    one, _ = measure(["build", "-j", "1", "-o", "one"], folder)
    two, _ = measure(["build", "-j", "2", "-o", "two"], folder)
    return {"one_worker": one, "two_workers": two, "speedup": one / two}


def preview(
    root: Path, size: int, languages: list[str] | None, samples: list[str] | None = None, edits: int = 3
) -> dict[str, float]:
    """`seloste serve` on a corpus: its first build, then one register edited and saved, timed from the
    save to the moment the server answers with the edited page (the watcher, the check and the build
    of that register in every language, and the request), over a few edits."""
    folder = root / f"preview-{size}"
    make_corpus(folder / "registers", size, languages=languages, samples=samples)
    path = sorted((folder / "registers").glob("register-*.yaml"))[0]
    original = path.read_text(encoding="utf-8")
    register_id = re.search(r"(?m)^id: (\S+)", original).group(1)  # type: ignore[union-attr]
    started = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "generator", "serve", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline())
        if found is None:
            raise SystemExit("seloste serve did not start")
        base = found.group(0)
        first = time.perf_counter() - started
        lang = (languages or ["fi"])[0]

        def get(address: str) -> str:
            with urllib.request.urlopen(base + address, timeout=120) as answer:
                return answer.read().decode()

        times = []
        for edit in range(1, edits + 1):
            before = int(get("_seloste/version"))
            marker = f"(muokkaus {edit})"
            started = time.perf_counter()
            title = rf"(?m)^(title:\s*\n(?:\s+\w\w: .*\n)*?\s+{lang}: )(.*)$"  # the title in the page's language
            path.write_text(re.sub(title, rf"\g<1>\g<2> {marker}", original, count=1), encoding="utf-8")
            while int(get(f"_seloste/version?after={before}")) <= before:
                pass  # the server answers each wait within 20 s; a build always follows a save
            page = get(f"{lang}/{register_id}/")
            times.append(time.perf_counter() - started)
            if marker not in page:
                raise SystemExit(f"the preview did not show the edit {marker}")
    finally:
        server.terminate()
        server.wait(timeout=60)
    times.sort()
    return {"first_build": first, "edit_median": times[len(times) // 2], "edit_max": times[-1], "edits": edits}


FLOOR = """
import json, sys, time
from io import BytesIO
from pathlib import Path
import weasyprint
from generator.pdf import ASSETS_DIR, PDF_VARIANT, write_pdf
from generator.render import render
from generator.validate import validate_paths
from generator.wording import languages

registers = validate_paths([Path(sys.argv[1])]).registers[: int(sys.argv[2])]
docs = []
for entry in registers:
    words = languages(entry.vocabulary)
    for lang in entry.register.languages:
        docs.append((entry, lang, words[lang]))
sources = lambda e: [f for f in (e.source, e.organisation, e.vocabulary_file) if f]
ours, floor = [], []
for entry, lang, all_words in docs:
    words = all_words
    # The floor: WeasyPrint alone, same HTML, same variant, same attachments, its default fetcher.
    html = render(entry, words).print
    started = time.perf_counter()
    weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/").render().write_pdf(
        pdf_variant=PDF_VARIANT, custom_metadata=True,
        attachments=[
            weasyprint.Attachment(file_obj=BytesIO(s.source), name=s.path.name, relationship="Source")
            for s in sources(entry)
        ])
    floor.append(time.perf_counter() - started)
    # Our PDF stage: the print HTML rendered from the register, then our write_pdf with its fetcher.
    started = time.perf_counter()
    write_pdf(
        render(entry, words).print, register_id=entry.register.id, version=entry.register.version,
        sources=sources(entry), assets=[])
    ours.append(time.perf_counter() - started)
print(json.dumps({"documents": len(docs), "ours": sum(ours), "floor": sum(floor)}))
"""


def pdf_floor(
    root: Path, registers: int, languages: list[str] | None, samples: list[str] | None = None
) -> dict[str, float]:
    folder = root / "floor"
    make_corpus(folder / "registers", registers, languages=languages, samples=samples)
    done = subprocess.run(
        [PYTHON, "-c", FLOOR, str(folder / "registers"), str(registers)],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    data = json.loads(done.stdout)
    return {**data, "ratio": data["ours"] / data["floor"]}


NAIVE = """
import sys
from pathlib import Path
from generator.render import render
from generator.validate import validate_paths
from generator.wording import languages
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for entry in validate_paths([Path(sys.argv[1])]).registers[: int(sys.argv[3])]:
    words = languages(entry.vocabulary)
    for lang in entry.register.languages:
        (out / f"{entry.register.id}-{lang}.html").write_text(render(entry, words[lang]).print, encoding="utf-8")
"""


def naive(
    root: Path,
    registers: int,
    languages: list[str] | None,
    samples: list[str] | None = None,
    ours: float | None = None,
) -> dict[str, float]:
    """What a team would script by hand: one `weasyprint` process per HTML file, against seloste's
    cold build with one worker (`ours`, when that build of the same corpus was already timed)."""
    folder = root / "naive"
    make_corpus(folder / "registers", registers, languages=languages, samples=samples)
    subprocess.run(
        [PYTHON, "-c", NAIVE, str(folder / "registers"), str(folder / "html"), str(registers)],
        cwd=HERE.parent,
        check=True,
    )
    files = sorted((folder / "html").glob("*.html"))
    started = time.perf_counter()
    for html in files:
        subprocess.run(
            [
                PYTHON,
                "-m",
                "weasyprint",
                "--pdf-variant",
                "pdf/a-3a",
                "-u",
                (HERE.parent / "templates" / "assets").as_uri() + "/",
                str(html),
                str(html.with_suffix(".pdf")),
            ],
            check=True,
            capture_output=True,
        )
    naive_seconds = time.perf_counter() - started
    if ours is None:
        ours, _ = measure(["build", "-j", "1", "-o", "ours"], folder)
    return {"documents": len(files), "naive": naive_seconds, "ours_one_worker": ours, "ratio": naive_seconds / ours}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {system}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument(
        "--pdf-max",
        type=int,
        default=200,
        help="Largest corpus built with PDFs (a 500-register PDF build takes minutes).",
    )
    parser.add_argument("--speedup-size", type=int, default=50)
    parser.add_argument("--preview-size", type=int, default=200, help="Registers previewed by `seloste serve`.")
    parser.add_argument(
        "--floor-docs", type=int, default=10, help="Registers (x3 languages) timed against WeasyPrint alone."
    )
    parser.add_argument("--naive-docs", type=int, default=5, help="Registers (x3 languages) built the naive way.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument(
        "--languages", nargs="+", choices=["fi", "sv", "en"], help="Publish every register in these languages only."
    )
    parser.add_argument(
        "--samples",
        nargs="+",
        metavar="NAME",
        help="Vary only these shipped samples (e.g. a short one for a smoke run).",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="seloste-bench-") as temporary:
        root = Path(temporary)
        results = {"machine": machine(), "corpora": {}}
        for size in args.sizes:
            results["corpora"][size] = corpus_figures(size, size <= args.pdf_max, root, args.languages, args.samples)
            print(f"corpus {size}: {json.dumps(results['corpora'][size])}", file=sys.stderr)
        speedup_size = min(args.speedup_size, max(args.sizes))
        results["speedup"] = speedup(root, speedup_size, args.languages, args.samples)
        results["floor"] = pdf_floor(root, args.floor_docs, args.languages, args.samples)
        # The naive pipeline is set against a cold one-worker build of its corpus; when that is the
        # speedup's corpus (same size, languages and samples), its one-worker build is that figure.
        ours = results["speedup"]["one_worker"] if args.naive_docs == speedup_size else None
        results["naive"] = naive(root, args.naive_docs, args.languages, args.samples, ours)
        args.preview_size = min(args.preview_size, max(args.sizes))
        results["preview"] = preview(root, args.preview_size, args.languages, args.samples)
    report(results, args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def report(results: dict, args: argparse.Namespace) -> None:
    print(f"Machine: {results['machine']}\n")
    print(
        "| registers | check | HTML only | cold build with PDFs | no-change rebuild | one register changed | "
        "peak memory |"
    )
    print("|---|---|---|---|---|---|---|")
    for size, f in results["corpora"].items():
        cold = f"{f['cold']:.1f} s" if "cold" in f else "—"
        peak = max(v for k, v in f.items() if k.endswith("_mib"))
        print(
            f"| {size} | {f['check']:.2f} s | {f['html_cold']:.2f} s | {cold} | {f['no_change']:.2f} s | "
            f"{f['one_changed']:.2f} s | {peak:.0f} MiB |"
        )
    s, fl, nv = results["speedup"], results["floor"], results["naive"]
    print()
    print(
        f"- PDF stage against WeasyPrint alone ({fl['documents']} documents): {fl['ours']:.1f} s against "
        f"{fl['floor']:.1f} s, ratio {fl['ratio']:.2f} (target at most 1.1)"
    )
    print(
        f"- Two workers over one (cold PDF build, {args.speedup_size} registers): {s['one_worker']:.1f} s against "
        f"{s['two_workers']:.1f} s, speedup {s['speedup']:.2f}x (target at least 1.7x)"
    )
    print(
        f"- Naive pipeline, one weasyprint process per file ({nv['documents']} documents): {nv['naive']:.1f} s "
        f"against {nv['ours_one_worker']:.1f} s "
        f"for seloste with one worker, {nv['ratio']:.1f}x slower"
    )
    pv = results["preview"]
    print(
        f"- Preview, one register edited ({args.preview_size} registers served by `seloste serve`): its page "
        f"current {pv['edit_median']:.2f} s after the save (median of {pv['edits']} edits, at most "
        f"{pv['edit_max']:.2f} s; target within 1 s); the first build before serving {pv['first_build']:.1f} s"
    )
    sizes = list(results["corpora"])
    if len(sizes) > 1:
        small, large = results["corpora"][sizes[0]], results["corpora"][sizes[-1]]
        print(
            f"- Memory as the corpus grows from {sizes[0]} to {sizes[-1]} registers (HTML-only build): "
            f"{small['html_mib']:.0f} MiB to {large['html_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
