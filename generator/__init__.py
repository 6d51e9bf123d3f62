"""seloste: privacy notices for Finnish personal-data registers, from YAML, in fi, sv and en.

The library behind the `seloste` command:

    import generator
    report = generator.check([Path("registers")])          # every problem, as the command reports them
    result = generator.build([Path("registers")], Path("output"))  # raises ProblemsFound on errors
"""

from .build import BuildResult, build
from .check import Report, check
from .errors import Problem, ProblemsFound, SelosteError
from .model import Register
from .validate import Catalogue, ValidRegister, validate_paths
from .version import __version__

__all__ = [
    "__version__",
    "build",
    "check",
    "validate_paths",
    "BuildResult",
    "Catalogue",
    "ValidRegister",
    "Register",
    "Report",
    "Problem",
    "ProblemsFound",
    "SelosteError",
]
