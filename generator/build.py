"""The `build` stage: validate every register, render every notice, then write them all."""

from dataclasses import dataclass
from pathlib import Path

from .errors import Level, ProblemsFound
from .render import render_index, render_notice, stylesheet
from .validate import Catalogue, validate_paths
from .wording import Language, languages
from .write import Writer


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    catalogue: Catalogue
    files: list[str]
    changed: list[str]


def build(paths: list[Path], output: Path) -> BuildResult:
    """Build the notices of every register under `paths` into `output`.

    Nothing is written unless every register is valid and every notice renders.
    """
    # 1. Read and validate; any error stops the build before output/ is touched.
    catalogue = validate_paths(paths)
    if any(p.level is Level.ERROR for p in catalogue.problems):
        raise ProblemsFound(catalogue.problems)

    # 2. Render every register in each of its languages, as a page and as a fragment.
    writer = Writer(output)
    bound: dict[int, dict[str, Language]] = {}
    for entry in catalogue.registers:
        langs = bound.setdefault(id(entry.vocabulary), languages(entry.vocabulary))
        for code in entry.register.languages:
            folder = f"{code}/{entry.register.id}"
            writer.add(f"{folder}/index.html", render_notice(entry, langs[code], fragment=False))
            writer.add(f"{folder}/fragment.html", render_notice(entry, langs[code], fragment=True))

    # 3. The index of every register, and the stylesheet websites link for fragments.
    if catalogue.registers:
        first = bound[id(catalogue.registers[0].vocabulary)]
        writer.add("index.html", render_index(catalogue.registers, first))
    writer.add("seloste.css", stylesheet())

    # 4. Write everything at once.
    changed = writer.commit()
    return BuildResult(catalogue, sorted(writer.files), changed)
