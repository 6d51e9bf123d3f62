"""The one writer that owns output/: every file the build produces passes through here.

Files are collected first and written only when the whole build has succeeded, each through
a temporary file and an atomic rename, so a failed build leaves output/ as it was. The
writer refuses paths outside output/ and the same path twice, and removes what an earlier
build wrote but this one no longer produces (never anything it did not write itself).
"""

import os
import tempfile
from pathlib import Path, PurePosixPath

from .errors import SelosteError, ToolError

LEDGER = ".seloste-files"  # what the last build wrote, so stale outputs can be removed safely


class OutputError(SelosteError):
    """Raised by the writer when output/ cannot be written (permissions, a full disk)."""


class Writer:
    """Collects the files of one build and writes them to output/ at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, bytes] = {}

    def add(self, relative: str, content: str | bytes) -> None:
        """Plan `content` for output/<relative>; refuse escaping or duplicate paths."""
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or not path.parts or path.name == LEDGER:
            raise ToolError(f"refusing to write outside the output folder: {relative}")
        if relative in self.files:
            raise ToolError(f"two outputs claim the same file: {relative}")
        self.files[relative] = content.encode("utf-8") if isinstance(content, str) else content

    def commit(self) -> list[str]:
        """Write every planned file (skipping unchanged ones); return the paths that changed."""
        changed = []
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            for relative, content in sorted(self.files.items()):
                target = self.root / relative
                if target.is_file() and target.read_bytes() == content:
                    continue
                _atomic_write(target, content)
                changed.append(relative)
            self._remove_stale()
            _atomic_write(self.root / LEDGER, "".join(f"{name}\n" for name in sorted(self.files)).encode())
        except OSError as e:
            raise OutputError(f"cannot write to {self.root}: {e.strerror} ({e.filename})") from e
        return changed

    def _remove_stale(self) -> None:
        ledger = self.root / LEDGER
        if not ledger.is_file():
            return
        for name in ledger.read_text(encoding="utf-8").splitlines():
            path = PurePosixPath(name)
            if name and name not in self.files and ".." not in path.parts and not path.is_absolute():
                (self.root / name).unlink(missing_ok=True)


def _atomic_write(target: Path, content: bytes) -> None:
    """Write through a temporary file in the same folder and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
