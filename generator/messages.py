"""Word pydantic's validation errors as located problems a legal team can act on.

This is the one module that reads pydantic's error structures; everything else sees Problems.
"""

import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, shown
from .load import FieldPath, LoadedFile
from .values import LANGUAGES, _found, did_you_mean

MAX_PER_FILE = 100  # problems reported per file; beyond that, one line says how many more

SHAPES = {
    "list_type": "a list",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "string_type": "a text",
}


def translate(
    error: ValidationError,
    source: LoadedFile | Callable[[FieldPath], LoadedFile],
    base: FieldPath,
    model: type[BaseModel],
) -> list[Problem]:
    """Turn every error pydantic found (validating `model` at `base`) into a Problem.

    `source` is the file the data came from, or a function naming the file for each field
    where the data was merged from several files.
    """
    problems = []
    errors = error.errors()
    for item in errors[:MAX_PER_FILE]:
        loc: FieldPath = tuple(item["loc"])
        loaded = source(base + loc) if callable(source) else source
        path = _as_written(loaded, base + loc)
        kind = item["type"]
        if kind == "extra_forbidden":
            problems.append(loaded.problem(path, _unknown_key(str(loc[-1]), fields_at(model, loc[:-1])), key=True))
        elif kind == "missing":
            problems.append(loaded.problem(path, "required field is missing"))
        else:
            problems.append(loaded.problem(loaded.written(path), _message(kind, item)))
    if len(errors) > MAX_PER_FILE:
        last = problems[-1]  # said where the reported ones end, so it reads after them
        problems.append(
            Problem(
                last.file,
                last.line,
                last.column,
                "",
                f"and {len(errors) - MAX_PER_FILE:,} more problems; fix these first",
            )
        )
    return problems


def _as_written(loaded: LoadedFile, path: FieldPath) -> FieldPath:
    """The path as the file spells it: a shorthand entry (`- name`, `- {fi: ...}`) has no `term:`
    or `text:` key of its own, so a problem inside it is reported without one."""
    written: FieldPath = ()
    for part in path:
        candidate = written + (part,)
        known = candidate in loaded.marks or candidate in loaded.key_marks
        if not known and part in ("term", "text") and written in loaded.marks:
            continue
        written = candidate
    return written


def _unknown_key(key: str, allowed: list[str] | None) -> str:
    if allowed is not None and set(allowed) == set(LANGUAGES):
        return f"unknown language '{key}'; texts are written in fi, sv and en"
    hint = did_you_mean(key, allowed) if allowed else ""
    return f"unknown key '{key}'{hint}"


def _message(kind: str, item: Any) -> str:
    if kind in SHAPES:
        return f"expected {SHAPES[kind]}, found {_found(item['input'])}"
    if kind == "literal_error":
        expected = item["ctx"]["expected"]
        if item["input"] is None:
            return f"the value is empty; write one of {expected}"
        choices = [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
        return f"'{shown(str(item['input']))}' is not one of {expected}{did_you_mean(str(item['input']), choices)}"
    if kind == "too_short":
        return "give at least one item"
    return str(item["msg"]).removeprefix("Value error, ")


def fields_at(model: type[BaseModel], loc: FieldPath) -> list[str] | None:
    """The field names of the model found at `loc` inside `model`, or None if it is not a model."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the type that holds the fields."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union or origin is types.UnionType:  # Optional[X] and X | None
            tp = next(arg for arg in typing.get_args(tp) if arg is not type(None))
        else:
            return tp
