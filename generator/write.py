"""The one writer that owns output/: every file the build produces passes through here.

A build is staged in a sibling folder, complete, and then swapped with output/ in one atomic
step, so output/ is always either the previous build or the new one, never half-written, even
if the build is killed. Files that did not change are hard-linked from the previous output,
and archived files are only ever added: an archived path that exists is never rewritten. The
writer refuses paths outside output/, the same path twice, and an existing output folder it did
not make itself. A lock keeps two builds from writing at once.
"""

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from .errors import SelosteError, ToolError

LEDGER = ".seloste-files"  # lists what this writer produced; marks the folder as ours
ARCHIVE_PREFIX = "archive/"
ARCHIVE_INDEX = "archive/index.json"  # derived from the manifests, so rewritten as versions are added
RENAME_EXCHANGE = 2


class OutputError(SelosteError):
    """Raised by the writer when output/ cannot be written: permissions, a full disk, a lock held."""


class Writer:
    """Collects the files of one build and installs them as output/ at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, bytes] = {}
        self.archived: set[str] = set()

    def add(self, relative: str, content: str | bytes, *, archive: bool = False) -> None:
        """Plan `content` for output/<relative>; archived files may be added but never changed."""
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or not path.parts or path.name == LEDGER or relative != str(path):
            raise ToolError(f"refusing to write outside the output folder: {relative}")
        if relative in self.files:
            raise ToolError(f"two outputs claim the same file: {relative}")
        if is_archived(relative) != archive:
            raise ToolError(f"only archived files may be written under {ARCHIVE_PREFIX}: {relative}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        existing = self.root / relative
        if archive and existing.is_file() and existing.read_bytes() != data:
            raise ToolError(f"refusing to rewrite the archived file {relative}")
        self.files[relative] = data
        if archive:
            self.archived.add(relative)

    def commit(self) -> list[str]:
        """Stage the new output beside the old one and swap them; return the paths that changed."""
        try:
            with locked(self.root):
                _recover(self.root)
                self._check_ownership()
                staging = self.root.with_name(f".{self.root.name}.staging")
                shutil.rmtree(staging, ignore_errors=True)
                changed = self._stage(staging)
                _swap(staging, self.root)
                shutil.rmtree(staging, ignore_errors=True)  # now the previous output
        except OSError as e:
            raise OutputError(f"cannot write {self.root}: {e.strerror or e}" + (f" ({e.filename})" if e.filename else "")) from e
        return changed

    def _check_ownership(self) -> None:
        if self.root.exists() and any(self.root.iterdir()) and not (self.root / LEDGER).is_file():
            raise OutputError(f"{self.root} exists and was not made by seloste; choose an empty or new output folder")

    def _stage(self, staging: Path) -> list[str]:
        """Write the complete new output into `staging`, reusing unchanged files by hard link."""
        changed = []
        keep = set(self.files) | self._previous_archive()
        for relative in sorted(keep):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = self.root / relative
            content = self.files.get(relative)
            if previous.is_file() and (content is None or previous.read_bytes() == content):
                os.link(previous, target)
            else:
                assert content is not None
                _write(target, content, read_only=is_archived(relative))
                changed.append(relative)
        _write(staging / LEDGER, "".join(f"{name}\n" for name in sorted(keep)).encode(), read_only=False)
        _sync(staging)
        return changed

    def _previous_archive(self) -> set[str]:
        """Every file already in the archive: carried over as it is, whatever this build plans."""
        archive = self.root / ARCHIVE_PREFIX.rstrip("/")
        if not archive.is_dir():
            return set()
        found = {str(p.relative_to(self.root)) for p in archive.rglob("*") if p.is_file()}
        return {relative for relative in found if is_archived(relative)}


def is_archived(relative: str) -> bool:
    """Whether a path is an archived file: added once, never rewritten or removed."""
    return relative.startswith(ARCHIVE_PREFIX) and relative != ARCHIVE_INDEX


def _write(target: Path, content: bytes, *, read_only: bool) -> None:
    with open(target, "xb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(target, 0o444 if read_only else 0o644)


def _sync(folder: Path) -> None:
    """Flush the staged folders to disk before they become output/."""
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _swap(staging: Path, root: Path) -> None:
    """Make `staging` the output in one step; afterwards `staging` holds the previous output."""
    if not root.exists():
        os.rename(staging, root)
        staging.mkdir()
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd = -100
    if renameat2 is not None:
        if renameat2(at_fdcwd, os.fsencode(staging), at_fdcwd, os.fsencode(root), RENAME_EXCHANGE) == 0:
            return
        if ctypes.get_errno() not in (errno.ENOSYS, errno.EINVAL):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(root))
    # Without an atomic exchange (not Linux, or a file system without it): two renames.
    previous = root.with_name(f".{root.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(root, previous)
    os.rename(staging, root)
    os.rename(previous, staging)


def _recover(root: Path) -> None:
    """Finish a swap that was interrupted between its two renames (only without renameat2)."""
    previous = root.with_name(f".{root.name}.previous")
    if not root.exists() and previous.is_dir():
        os.rename(previous, root)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the output folder's lock, or fail at once with a clear message."""
    root.parent.mkdir(parents=True, exist_ok=True)
    lock_path = root.with_name(f".{root.name}.lock")
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another build is writing {root}; wait for it to finish") from None
        yield
