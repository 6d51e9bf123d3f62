"""Find the files of a register folder: the registers and the shared files beside them."""

from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

ORGANISATION_FILE = "_organisation.yaml"
VOCABULARY_FILE = "_vocabulary.yaml"
REGISTER_SUFFIXES = (".yaml", ".yml")


@dataclass
class Folder:
    """One folder of registers: its register files and, when present, its shared files."""

    path: Path
    registers: list[Path] = field(default_factory=list)

    @property
    def organisation(self) -> Path | None:
        """registers/_organisation.yaml: facts that apply to every register in the folder."""
        return _present(self.path / ORGANISATION_FILE)

    @property
    def vocabulary(self) -> Path | None:
        """registers/_vocabulary.yaml: the organisation's own terms."""
        return _present(self.path / VOCABULARY_FILE)


def _present(candidate: Path) -> Path | None:
    """A shared file when anything has its name, so the loader can say what is wrong with a folder
    or a pipe of that name instead of every register missing its facts."""
    return candidate if candidate.exists() or candidate.is_symlink() else None


def is_register_name(path: Path) -> bool:
    """A register file's name: *.yaml or *.yml in any case, not a shared file (starting with '_')."""
    return path.suffix.lower() in REGISTER_SUFFIXES and not path.name.startswith("_")


def find_folders(paths: list[Path]) -> list[Folder]:
    """Group the given files and folders into register folders, in a stable order.

    A folder contributes everything named *.yaml (or *.yml, in any case) not starting with '_':
    what is not a regular file is listed too, for the loader to report. A file given by name is
    read with the shared files of its own folder. A folder given twice (`r r/../r`, or through a
    link) is read once, under the first name given.
    """
    folders: dict[Path, Folder] = {}
    names: dict[Path, set[str]] = {}
    for path in paths:
        if path.is_dir():
            key = path.resolve()
            folder = folders.setdefault(key, Folder(path))
            found = [p for p in path.iterdir() if is_register_name(p)]
        elif path.exists() or path.is_symlink():
            if path.name.startswith("_"):
                raise UsageError(
                    f"{path} is a shared file of its folder, not a register; check the folder ({path.parent})"
                )
            key = path.parent.resolve()
            folder = folders.setdefault(key, Folder(path.parent))
            found = [folder.path / path.name]
        else:
            raise UsageError(f"{path}: no such file or folder")
        seen = names.setdefault(key, set())
        folder.registers += [folder.path / p.name for p in found if p.name not in seen]
        seen.update(p.name for p in found)
    for folder in folders.values():
        folder.registers = sorted(folder.registers)
    return list(folders.values())
