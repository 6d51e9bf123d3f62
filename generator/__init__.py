"""seloste: privacy notices for Finnish personal-data registers, from YAML, in fi, sv and en."""

__version__ = "0.1.0"

from .check import Report, check  # noqa: E402
from .errors import Problem, ProblemsFound, SelosteError  # noqa: E402
from .model import Register  # noqa: E402
from .validate import Catalogue, ValidRegister, validate_paths  # noqa: E402

__all__ = [
    "__version__",
    "check",
    "validate_paths",
    "Catalogue",
    "ValidRegister",
    "Register",
    "Report",
    "Problem",
    "ProblemsFound",
    "SelosteError",
]
