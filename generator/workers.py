"""Rendering the notices of a build, in this process or in a pool of forked workers.

A build keeps only the listings of its registers; each register is read and validated again where
it is rendered, and its files are handed back to the build, which alone writes output/.
"""

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import paths
from .check import Listing, Report
from .errors import SourceChanged
from .pdf import preload, write_pdf
from .render import PageOptions, render
from .validate import ValidRegister, validate_file
from .wording import Language, languages
from .write import forget_lock

Task = tuple[int, tuple[str, ...], bool]  # (index of the register in the report, its languages to make, PDFs too)
Made = list[tuple[str, dict[str, bytes]]]  # each notice's key ("fi/customer-register") and its files


@dataclass
class Renderer:
    """What rendering needs: the checked registers, and their languages bound to each vocabulary."""

    report: Report
    options: PageOptions = field(default_factory=PageOptions)  # how the site publishes the notices
    _languages: dict[int, dict[str, Language]] = field(default_factory=dict)

    def languages(self, entry: ValidRegister) -> dict[str, Language]:
        """The notice languages bound to the register's vocabulary, made once per vocabulary."""
        return self._languages.setdefault(id(entry.vocabulary), languages(entry.vocabulary))

    def __call__(self, task: Task) -> Made:
        return render_register(self, *task)


def read_again(report: Report, listing: Listing) -> ValidRegister:
    """A checked register, read and validated again where it is needed: a build does not keep
    hundreds of registers in memory, only their listings. Refuses files changed since the check."""
    entry, _ = validate_file(listing.path, report.shared[listing.path.parent])
    if entry is None or entry.source_hash != listing.source_hash:
        raise SourceChanged(f"{listing.display} or its shared files changed while the build ran; build again")
    return entry


def render_register(renderer: Renderer, index: int, langs: tuple[str, ...], pdf: bool) -> Made:
    """Make one register's files in each of `langs`: page, fragment and, with `pdf`, the PDF."""
    listing = renderer.report.registers[index]
    entry = read_again(renderer.report, listing)
    made = []
    for lang in langs:
        name = paths.pdf_name(listing, lang) if pdf else None
        rendered = render(entry, renderer.languages(entry)[lang], pdf=name, options=renderer.options)
        files = {
            paths.page(listing.id, lang): rendered.page.encode(),
            paths.fragment(listing.id, lang): rendered.fragment.encode(),
            paths.jsonld(listing.id, lang): rendered.jsonld.encode(),
        }
        for purpose, short in rendered.short_notices.items():
            files[paths.short_notice(listing.id, lang, purpose)] = short.encode()
        if pdf:
            sources = [f for f in (entry.source, entry.organisation, entry.vocabulary_file) if f is not None]
            files[paths.pdf(listing, lang)] = write_pdf(
                rendered.print, register_id=listing.id, version=listing.version, sources=sources, assets=[]
            )
        made.append((paths.notice_folder(listing.id, lang), files))
    return made


# The renderer of this worker process, given to it as it starts (inherited through the fork).
_worker: list[Renderer] = []


def _start_worker(renderer: Renderer) -> None:
    forget_lock()
    _worker.append(renderer)


def _in_worker(task: Task) -> Made:
    return _worker[0](task)


def render_all(
    report: Report, todo: set[str], pdf: bool, jobs: int | None, options: PageOptions | None = None
) -> Iterator[Made]:
    """Yield each register's notices as they are finished, from a pool of forked workers when it pays."""
    # A PDF takes long enough that each language is a task of its own (one changed register's three
    # PDFs are made side by side); HTML alone is quick, and a task is a register, read once.
    tasks: list[Task] = []
    for index, listing in enumerate(report.registers):
        langs = tuple(lang for lang in listing.languages if paths.notice_folder(listing.id, lang) in todo)
        if pdf:
            tasks += [(index, (lang,), pdf) for lang in langs]
        elif langs:
            tasks.append((index, langs, pdf))
    renderer = Renderer(report, options or PageOptions())
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(renderer, tasks)
        return
    if pdf:
        preload()  # WeasyPrint is imported before the fork, so each worker inherits it
    # Workers live for the whole build; a notice is rendered once for the page, the fragment and the
    # PDF. PDFs are slow enough to hand out one at a time; HTML goes in batches to spare the messaging.
    chunk = 1 if pdf else max(1, len(tasks) // (workers * 16))
    # A worker is replaced after a few dozen PDFs, so what WeasyPrint keeps between documents does not
    # pile up over a large corpus; forking a new one costs little, WeasyPrint being imported already.
    recycle = 40 if pdf else None
    context = multiprocessing.get_context("fork")  # the renderer is inherited, never pickled
    with context.Pool(workers, _start_worker, (renderer,), maxtasksperchild=recycle) as pool:
        yield from pool.imap_unordered(_in_worker, tasks, chunksize=chunk)
