"""The benchmark runs end to end on a tiny corpus (its figures are measured, never asserted here)."""

import subprocess
import sys

from conftest import REPO


def test_the_benchmark_runs_on_a_tiny_corpus_and_reports_every_figure() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "benchmarks/bench.py",
            "--sizes",
            "2",
            "--pdf-max",
            "2",
            "--speedup-size",
            "2",
            "--floor-docs",
            "1",
            "--naive-docs",
            "1",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = done.stdout
    for figure in ("| 2 |", "PDF stage against WeasyPrint alone", "Two workers over one", "Naive pipeline", "Machine:"):
        assert figure in report
