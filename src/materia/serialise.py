"""Typed values -> JSON: the one serialiser (stored payloads, the CLI's --json, the web API, exports).

Frozen dataclasses become objects with their fields in declaration order, a `Span` becomes
[start, end] (the contract's shape), dates ISO strings, tuples and sets arrays, enums their
value. Anything else is a TypeError: a value nobody planned for is not silently stringified.
`from_json(cls, data)` is the inverse, guided by `cls`'s type hints (stored summaries are read back with it).
"""
from __future__ import annotations

import dataclasses
import enum
import functools
import json
import operator
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Literal, TypeAlias, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from materia.types import Span

JSON: TypeAlias = "bool | int | float | str | list[JSON] | dict[str, JSON] | None"
T = TypeVar("T")


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass -> its field names (dataclasses.fields is slow)


def field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names in declaration order (cached: dataclasses.fields is slow); None for other types."""
    names = _FIELDS.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def to_json(value: Any) -> JSON:
    """`value` as plain JSON types (None, bool, int, float, str, list, dict)."""
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return value
    if isinstance(value, (list, tuple)):  # a NamedTuple stays an array
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return to_json(shallow(value))


def shallow(value: Any) -> Any:
    """`value`, which is no JSON type, as one: its fields (a dict in declaration order), items or text, themselves
    left as they are (the encoder's `default` hook, which `to_json` applies all the way down)."""
    convert = _SHALLOW.get(type(value))
    if convert is None:
        convert = _SHALLOW[type(value)] = _shallow_of(type(value))
    return convert(value)


_SHALLOW: dict[type, Callable[[Any], Any]] = {}  # a type -> how `shallow` converts it (found once per type)


def _shallow_of(cls: type) -> Callable[[Any], Any]:
    if issubclass(cls, Span):
        return lambda v: [v.start, v.end]
    names = field_names(cls)
    if names is not None:  # its fields read at once (attrgetter): a monograph has a hundred thousand objects
        if len(names) < 2:  # attrgetter of one name gives the value, not a tuple of it
            return lambda v: {name: getattr(v, name) for name in names}
        get = operator.attrgetter(*names)
        return lambda v: dict(zip(names, get(v), strict=True))
    if issubclass(cls, Mapping):
        return lambda v: {str(k): x for k, x in v.items()}
    if issubclass(cls, date):  # datetime too
        return lambda v: v.isoformat()
    if issubclass(cls, enum.Enum):
        return lambda v: v.value
    if issubclass(cls, (set, frozenset)):
        return lambda v: sorted(v, key=repr)
    raise TypeError(f"cannot serialise a {cls.__name__} as JSON")


def encoder(*, indent: int | None = None, sort_keys: bool = False, allow_nan: bool = False) -> Callable[[Any], str]:
    """A JSON encoder of typed values as `to_json` sees them, UTF-8 characters kept: the C encoder, going down
    dataclasses through `shallow`, writes the same text as encoding `to_json(value)`, without building the plain
    copy first (which cost more than encoding it). Compact unless `indent` is given. Make it once: json.dumps
    with options builds a JSONEncoder per call, and JSONEncoder.encode its C encoder per call (a quarter of the
    time to encode an item), so a compact one is that C encoder, made here once."""
    separators = (",", ":") if indent is None else (",", ": ")
    plain = json.JSONEncoder(ensure_ascii=False, allow_nan=allow_nan, indent=indent, separators=separators,
                             sort_keys=sort_keys, default=shallow)
    if indent is not None or c_make_encoder is None:  # the pure-Python encoder: as JSONEncoder.encode makes it
        return plain.encode
    # JSONEncoder.iterencode's arguments (Python 3.11 to 3.13); no circular check: typed values are trees
    made = c_make_encoder(None, shallow, encode_basestring, None, ":", ",", sort_keys, False, allow_nan)
    return lambda value: "".join(made(value, 0))


_COMPACT = encoder()


def dumps(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON text (UTF-8 characters kept, NaN refused); compact unless `indent` is given."""
    return (_COMPACT if indent is None else encoder(indent=indent))(value)


def json_text(plain: JSON, *, indent: int | None = None) -> str:
    """Plain JSON values (what `to_json` returns) as `dumps` writes them."""
    return dumps(plain, indent=indent)


def from_json(cls: type[T], data: Any) -> T:
    """The typed value of type `cls` that `to_json` turned into `data` (the inverse, for stored JSON).

    Follows the type hints: dataclasses from objects (fields missing from `data` take their defaults),
    NamedTuples and tuples from arrays, a Span from [start, end], dates from ISO strings, enums from
    their values, `X | None` from null or X. JSON that does not fit the hints is a TypeError, as in `to_json`."""
    return cast(T, _decoder(cast(Any, cls))(data))


Decode: TypeAlias = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


@functools.cache
def _decoder(tp: Any) -> Decode:
    """How to decode JSON into type `tp` (built once per type)."""
    origin, args = get_origin(tp), get_args(tp)
    if tp in (Any, object, str, int, bool) or origin is Literal:
        return _same
    if tp is float:
        return lambda v: v if v is None else float(v)
    if tp is Span:
        return lambda v: Span(int(v[0]), int(v[1]))
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp  # its value -> its member
    if origin in (Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        if len(present) != 1:  # several kinds (int | str): JSON already says which
            return _same
        inner = _decoder(present[0])
        return _same if inner is _same else (lambda v: None if v is None else inner(v))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _decoder(args[0])
            return tuple if each is _same else (lambda v: tuple(each(x) for x in v))
        parts = [_decoder(a) for a in args]
        return lambda v: tuple(d(x) for d, x in zip(parts, v, strict=True))
    if origin is list:
        each = _decoder(args[0]) if args else _same
        return list if each is _same else (lambda v: [each(x) for x in v])
    if origin in (dict, Mapping):
        value = _decoder(args[1]) if len(args) == 2 else _same
        return dict if value is _same else (lambda v: {k: value(x) for k, x in v.items()})
    if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):  # a NamedTuple
        hints = get_type_hints(tp)
        fields = [_decoder(hints[name]) for name in tp._fields]
        return lambda v: tp(*(d(x) for d, x in zip(fields, v, strict=True)))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    raise TypeError(f"cannot decode JSON as {tp!r}")


def _dataclass_decoder(cls: type) -> Decode:
    hints = get_type_hints(cls)
    names = field_names(cls) or ()
    fields: list[tuple[str, Decode | None]] = []

    def decode(v: Any) -> Any:
        if not fields:  # filled on first use: a dataclass may refer to itself
            fields.extend((n, None if (d := _decoder(hints[n])) is _same else d) for n in names)
        if not isinstance(v, Mapping):
            raise TypeError(f"expected an object for {cls.__name__}, got {type(v).__name__}")
        return cls(**{n: v[n] if d is None else d(v[n]) for n, d in fields if n in v})

    return decode
