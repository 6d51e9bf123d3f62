"""The benchmark runs end to end on a tiny corpus (its figures are measured, never asserted here).

Tiny: one and two registers published in Finnish only, all made from one short shipped sample,
so the whole benchmark path (check, HTML and PDF builds, rebuilds, two workers over one, the
WeasyPrint floor, the naive pipeline, the preview) runs with a handful of short PDFs.
"""

import subprocess
import sys

from conftest import REPO

SMOKE = ["--sizes", "1", "2", "--pdf-max", "1", "--speedup-size", "1", "--floor-docs", "1", "--naive-docs", "1"]
SMOKE += ["--languages", "fi", "--samples", "customer-notice"]


def test_the_benchmark_runs_on_a_tiny_corpus_and_reports_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/bench.py", *SMOKE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = done.stdout
    figures = [
        "Machine:",
        "| registers | check | HTML only | cold build with PDFs | no-change rebuild | one register changed | "
        "peak memory |",
        "| 1 |",  # with PDFs
        "| 2 |",  # HTML only
        "PDF stage against WeasyPrint alone (1 documents)",
        "Two workers over one",
        "Naive pipeline, one weasyprint process per file (1 documents)",
        "Memory as the corpus grows from 1 to 2 registers",
        "Preview, one register edited (2 registers served by `seloste serve`): its page current",
    ]
    assert [figure for figure in figures if figure not in report] == []
    assert "nan" not in report and "inf" not in report.replace("Machine:", "")
