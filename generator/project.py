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
        candidate = self.path / ORGANISATION_FILE
        return candidate if candidate.is_file() else None

    @property
    def vocabulary(self) -> Path | None:
        """registers/_vocabulary.yaml: the organisation's own terms."""
        candidate = self.path / VOCABULARY_FILE
        return candidate if candidate.is_file() else None


def find_folders(paths: list[Path]) -> list[Folder]:
    """Group the given files and folders into register folders, in a stable order.

    A folder contributes every *.yaml file not starting with '_'; a file given by name is
    read with the shared files of its own folder.
    """
    folders: dict[Path, Folder] = {}
    for path in paths:
        if path.is_dir():
            folder = folders.setdefault(path, Folder(path))
            folder.registers += sorted(
                p
                for p in path.iterdir()
                if p.suffix in REGISTER_SUFFIXES and not p.name.startswith("_") and p.is_file()
            )
        elif path.is_file():
            folders.setdefault(path.parent, Folder(path.parent)).registers.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    for folder in folders.values():
        folder.registers = sorted(set(folder.registers))
    return list(folders.values())
