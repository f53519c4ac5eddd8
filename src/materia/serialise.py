"""Typed values -> JSON: the one serialiser (stored payloads, the CLI's --json, the web API, exports).

Frozen dataclasses become objects with their fields in declaration order, a `Span` becomes
[start, end] (the contract's shape), dates ISO strings, tuples and sets arrays, enums their
value. Anything else is a TypeError: a value nobody planned for is not silently stringified.
"""
from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from datetime import date
from typing import Any, TypeAlias

from materia.types import Span

JSON: TypeAlias = "bool | int | float | str | list[JSON] | dict[str, JSON] | None"


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass -> its field names (dataclasses.fields is slow)


def _field_names(cls: type) -> tuple[str, ...] | None:
    names = _FIELDS.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def to_json(value: Any) -> JSON:
    """`value` as plain JSON types (None, bool, int, float, str, list, dict)."""
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return value
    if isinstance(value, Span):
        return [value.start, value.end]
    if isinstance(value, (list, tuple)):  # a NamedTuple stays an array, as it reads positionally
        return [to_json(v) for v in value]
    names = _field_names(type(value))
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, (set, frozenset)):
        return [to_json(v) for v in sorted(value, key=repr)]
    raise TypeError(f"cannot serialise a {type(value).__name__} as JSON")


def dumps(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON text (UTF-8 characters kept, NaN refused); compact unless `indent` is given."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(to_json(value), ensure_ascii=False, allow_nan=False, indent=indent, separators=separators)
