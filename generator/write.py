"""The one writer that owns output/: every file the build produces passes through here.

A build is staged in a sibling folder, complete, and then swapped with output/ in one atomic
step, so output/ is always either the previous build or the new one, never half-written, even
if the build is killed. Files arrive one at a time and go straight to the staging folder, so
memory stays flat however large the corpus. Files that did not change are hard-linked from the
previous output, and when nothing changed at all nothing is staged or swapped. output/ is a
site made again from the registers and the archive (which lives outside it, see archive.py), so
nothing in it is kept that this build did not make. The writer refuses paths outside output/, the
same path twice, and an existing output folder it did not make itself. A lock keeps two builds
from writing at once.
"""

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import OutputError, ToolError, UsageError
from .paths import LEDGER

RENAME_EXCHANGE = 2


# Test hook: with SELOSTE_TEST_STOP_AT=<stage> in the environment, a build kills itself (SIGKILL,
# as a power cut or the OOM killer would) when it reaches that stage, so tests can kill it at a
# known point instead of after a guessed delay. SELOSTE_TEST_PAUSE_AT=<stage> stops it (SIGSTOP)
# there instead, holding the lock until it is continued. Unset, both cost one dictionary look-up.
STOP_AT = "SELOSTE_TEST_STOP_AT"
PAUSE_AT = "SELOSTE_TEST_PAUSE_AT"
STAGES = (
    "locked",  # output/ locked, nothing staged yet
    "rendered",  # every notice staged (build.py), the archive not yet
    "staged",  # the whole new output staged with its ledger, not yet swapped in
    "swapped",  # the new output installed, the previous one not yet removed
)


def stage_reached(stage: str) -> None:
    """Test hook (see STOP_AT): kill or pause this process if the environment asks for it at `stage`."""
    if os.environ.get(STOP_AT) == stage:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(PAUSE_AT) == stage:
        os.kill(os.getpid(), signal.SIGSTOP)


class Writer:
    """Stages the files of one build and installs them as output/ at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root.with_name(f".{root.name}.staging")
        self.files: list[str] = []
        self.changed: list[str] = []
        self._claimed: set[str] = set()
        self._staged = False  # the staging folder is made at the first difference from output/

    def add(self, relative: str, content: str | bytes) -> None:
        """Write output/<relative> (to the staging folder), or carry it over when its bytes are the same."""
        self._claim(relative)
        data = content.encode("utf-8") if isinstance(content, str) else content
        previous = self.root / relative
        same = previous.is_file() and previous.stat().st_size == len(data) and previous.read_bytes() == data
        if same:
            self._carry(relative)
        else:
            self._stage()
            self._write(relative, data)
            self.changed.append(relative)

    def keep(self, relative: str) -> None:
        """Carry output/<relative> over unchanged: its inputs have not changed since it was made."""
        self._claim(relative)
        if not (self.root / relative).is_file():
            raise ToolError(f"cannot keep {relative}: it is not in {self.root}")
        self._carry(relative)

    def staged(self, relative: str) -> bytes:
        """The bytes this build has given output/<relative>, written or carried over."""
        if relative not in self._claimed:
            raise ToolError(f"{relative} is not part of this build")
        path = self.staging / relative if self._staged else self.root / relative
        return path.read_bytes()

    def commit(self) -> list[str]:
        """Install the staged output; return the paths that changed (none: nothing was touched)."""
        listing = sorted(self.files)
        before = self._previous_listing()
        if not self._staged and listing == before:
            return []
        self._stage()
        self._write(LEDGER, "".join(f"{name}\n" for name in listing).encode())
        stage_reached("staged")
        _sync_folders(self.staging)  # the staged files (each synced as written) are all found before the swap
        _swap(self.staging, self.root)
        _sync_folder(self.root.parent)  # the swap itself
        stage_reached("swapped")
        shutil.rmtree(self.staging, ignore_errors=True)  # now the previous output
        return sorted(self.changed + sorted(set(before) - set(listing)))

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    # -- internals -------------------------------------------------------------------------------

    def _claim(self, relative: str) -> None:
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or not path.parts or path.name == LEDGER or relative != str(path):
            raise ToolError(f"refusing to write outside the output folder: {relative}")
        if relative in self._claimed:
            raise ToolError(f"two outputs claim the same file: {relative}")
        self._claimed.add(relative)

    def _carry(self, relative: str) -> None:
        self.files.append(relative)
        if self._staged:
            self._link(relative)

    def _stage(self) -> None:
        """Make the staging folder at the first difference, linking in everything carried so far."""
        if self._staged:
            return
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._staged = True
        for relative in self.files:
            self._link(relative)

    def _link(self, relative: str) -> None:
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(self.root / relative, target)

    def _write(self, relative: str, data: bytes) -> None:
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # on the disk before the swap makes it output/
        os.chmod(target, 0o644)
        if relative != LEDGER:
            self.files.append(relative)

    def _previous_listing(self) -> list[str]:
        ledger = self.root / LEDGER
        return ledger.read_text(encoding="utf-8").splitlines() if ledger.is_file() else []


@contextmanager
def writing(root: Path) -> Iterator[Writer]:
    """Lock output/, hand out its writer, and remove the staging folder if the build fails.

    When output/ is a symbolic link (to a web root, say), the build goes into the folder it points
    to: that folder is what is published, and the link is left as it is."""
    root = output_folder(root)
    try:
        with locked(root):
            _recover(root)
            _clear_leftovers(root)
            if root.exists() and not os.access(root, os.W_OK):
                raise OutputError(
                    f"cannot write {root}: Permission denied; make the folder writable or choose another output folder"
                )
            # Ours: empty, or marked by the ledger.
            if root.exists() and not (root / LEDGER).is_file() and any(root.iterdir()):
                raise OutputError(f"{root} exists and was not made by seloste; choose an empty or new output folder")
            writer = Writer(root)
            stage_reached("locked")
            try:
                yield writer
            except BaseException:
                writer.abort()
                raise
    except OSError as e:
        if e.errno in (errno.EBUSY, errno.EXDEV) and os.path.ismount(root):
            raise OutputError(
                f"cannot write {root}: it is a mount point (a volume of its own), and a build replaces the output "
                "folder in one step, which a mount point does not allow; mount the volume one level up and build "
                f"into a folder inside it (such as -o {root}/site)"
            ) from e
        raise OutputError(f"cannot write {root}: {e.strerror or e}" + (f" ({e.filename})" if e.filename else "")) from e


def output_folder(root: Path) -> Path:
    """The folder a build writes: `root`, or the folder it links to. A path without a name of its
    own (`.`, `/`, `..`) is refused: the build replaces the output folder as a whole."""
    if root.name in ("", ".", ".."):
        raise UsageError(
            f"-o {root}: name the output folder itself (such as -o output); "
            "a build replaces that folder as a whole, so it cannot be the current folder, its parent or the root"
        )
    if root.is_symlink():
        target = Path(os.path.realpath(root))
        if target.name in ("", ".", ".."):  # pragma: no cover - realpath gives a name unless it is /
            raise UsageError(f"-o {root}: the link points to {target}, which cannot be an output folder")
        return target
    return root


def _swap(staging: Path, root: Path) -> None:
    """Make `staging` the output in one step; afterwards `staging` holds the previous output."""
    if not root.exists():
        os.rename(staging, root)
        return
    if os.path.ismount(root):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(root))
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


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (names added, renamed or linked in it) to the disk."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folders(root: Path) -> None:
    """Flush `root` and every folder under it, so that every staged name survives a power cut."""
    for folder, _, _ in os.walk(root):
        _sync_folder(Path(folder))


def _clear_leftovers(root: Path) -> None:
    """Remove what a killed build left beside output/: its staging folder, never published."""
    for leftover in root.parent.glob(f".{root.name}.staging*"):
        if leftover.is_symlink():  # never followed: whatever it points to is not ours
            leftover.unlink()
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _recover(root: Path) -> None:
    """Finish a swap that was interrupted between its two renames (only without renameat2)."""
    previous = root.with_name(f".{root.name}.previous")
    if not root.exists() and previous.is_dir():
        os.rename(previous, root)


_held: list[int] = []  # the descriptors of locks this process holds


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the output folder's lock, or fail at once with a clear message."""
    root = output_folder(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    lock_path = root.with_name(f".{root.name}.lock")
    # Never truncated and never followed: a link planted here must not make a build empty the file it names.
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise OutputError(
                f"the lock file {lock_path} is a symbolic link; remove it (seloste makes the lock file itself)"
            ) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OutputError(f"the lock file {lock_path} is not a regular file; remove it")
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another build is writing {root}; wait for it to finish") from None
        _held.append(descriptor)
        try:
            yield
        finally:
            _held.remove(descriptor)
    finally:
        os.close(descriptor)


def forget_lock() -> None:
    """In a forked worker: close the inherited lock, so that it dies with the build that took it."""
    for descriptor in _held:
        os.close(descriptor)
    _held.clear()
