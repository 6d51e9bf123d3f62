"""Generate a synthetic corpus of realistic registers for benchmarks.

Each register is one of the shipped samples with its own id, title and a few varied texts, so
sizes, layouts and languages are those of real notices. The organisation's shared files are
copied beside them.
"""

import argparse
import random
import re
import shutil
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "registers"
WORDS = ("asiakas", "palvelu", "sopimus", "laskutus", "energia", "kulutus", "verkko", "tietoturva")


def make_corpus(
    target: Path, size: int, seed: int = 7, languages: list[str] | None = None, samples: list[str] | None = None
) -> list[Path]:
    """Write `size` registers (and the shared files) into `target`; return the register paths.

    With `languages`, each register is published in those languages only; with `samples` (names of
    shipped samples), only those samples are varied: a smoke run's few, short PDFs."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for shared in SAMPLES.glob("_*.yaml"):
        shutil.copy(shared, target / shared.name)
    paths = sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.startswith("_"))
    if samples:
        paths = [p for p in paths if p.stem in samples]
        if not paths:
            raise SystemExit(f"no shipped sample is named {', '.join(samples)}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    written = []
    for number in range(size):
        text = texts[number % len(texts)]
        register_id = f"register-{number:04d}"
        text = re.sub(r"(?m)^id: .*$", f"id: {register_id}", text, count=1)
        # Vary the title so every notice differs, as real ones do.
        suffix = f" {number} ({rng.choice(WORDS)})".replace("\\", "\\\\")  # a replacement string
        text = re.sub(r"(?m)^(title:\s*\n\s+fi: )(.*)$", r"\g<1>\g<2>" + suffix, text, count=1)
        text = re.sub(r"(?m)^(  sv: )(.*)$", r"\g<1>\g<2>" + suffix, text, count=1)
        text = re.sub(r"(?m)^(  en: )(.*)$", r"\g<1>\g<2>" + suffix, text, count=1)
        if languages:
            text += f"\nlanguages: [{', '.join(languages)}]\n"
        path = target / f"{register_id}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args()
    make_corpus(args.target, args.size)


if __name__ == "__main__":
    main()
