"""The one JSON serialiser: typed values -> plain JSON."""
from __future__ import annotations

import enum
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from materia.knowledge import DocumentItem, Monograph
from materia.serialise import dumps, encoder, from_json, to_json
from materia.types import Dose, Span


class _Colour(enum.Enum):
    RED = "red"


@dataclass(frozen=True, slots=True)
class _Thing:
    name: str
    when: date
    span: tuple[int, int]
    colour: _Colour = _Colour.RED


def test_serialise_dataclasses_dates_tuples_enums() -> None:
    assert to_json(_Thing("x", date(2025, 1, 2), (1, 2))) == {
        "name": "x", "when": "2025-01-02", "span": [1, 2], "colour": "red"}
    assert to_json({"at": datetime(2025, 1, 2, 3, 4), 1: frozenset({2})}) == {"at": "2025-01-02T03:04:00", "1": [2]}


def test_serialise_spans_and_named_tuples_are_arrays() -> None:
    """The contract's [start, end]; the API's [category, name, span] document rows."""
    dose = Dose(Span(3, 9), None, 5.0, "g", per="day", sentence=Span(0, 20))
    data = to_json(dose)
    assert isinstance(data, dict) and data["span"] == [3, 9] and data["sentence"] == [0, 20]
    assert to_json(DocumentItem("dose", "5 g", (3, 9))) == ["dose", "5 g", [3, 9]]


def test_serialise_refuses_what_nobody_planned_for() -> None:
    with pytest.raises(TypeError, match="Path"):
        to_json(Path("x"))
    with pytest.raises(ValueError):
        dumps({"x": math.nan})


def test_serialise_dumps_keeps_characters_and_indents_on_request() -> None:
    assert dumps({"a": "é"}) == '{"a":"é"}'
    assert dumps([1], indent=2) == "[\n  1\n]"


def test_serialise_monograph_round_trips_as_json(monograph: Monograph) -> None:
    data = json.loads(dumps(monograph))
    assert data["substance"] == "glutamine"
    assert data["sources"][0] == {"document_id": 1, "source": "docs/article.txt", "title": "Glutamine review",
                                  "kind": "article", "source_kind": "referenced article", "modified": "2024-05-01",
                                  "record": None, "ingested": None,
                                  "locations": [{"document_id": 1, "source": "docs/article.txt", "record": None}]}
    assert data["community"]["reports"][0]["date"] == "2020-01-02"


_SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False)


@given(st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20))
def test_serialise_plain_values_survive(value: object) -> None:
    assert json.loads(dumps(value)) == json.loads(json.dumps(value))


_TYPED = st.recursive(
    _SCALARS | st.floats() | st.builds(Span, st.just(0), st.integers(0, 9))
    | st.builds(_Thing, st.text(max_size=5), st.dates(), st.tuples(st.integers(), st.integers())),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.frozensets(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@given(_TYPED, st.booleans())
def test_serialise_encoder_writes_what_json_writes_of_to_json(value: object, sort_keys: bool) -> None:
    """The C encoder made once, going down typed values, writes the text json writes of their plain copy."""
    plain = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    assert encoder(sort_keys=sort_keys, allow_nan=True)(value) == plain.encode(to_json(value))


def test_serialise_from_json_inverts_to_json(monograph: Monograph) -> None:
    """Stored summaries are read back typed: every field, nested dataclass, tuple, Span and date as it was."""
    assert from_json(Monograph, json.loads(dumps(monograph))) == monograph
    dose = Dose(Span(3, 9), None, 5.0, "g", per="day", sentence=Span(0, 20))
    assert from_json(Dose, to_json(dose)) == dose
    assert from_json(DocumentItem, ["dose", "5 g", [3, 9]]) == DocumentItem("dose", "5 g", (3, 9))
    assert from_json(tuple[DocumentItem, ...], [["a", "b", [0, 1]]]) == (DocumentItem("a", "b", (0, 1)),)
    assert from_json(_Thing, {"name": "x", "when": "2025-01-02", "span": [1, 2]}) == _Thing("x", date(2025, 1, 2),
                                                                                             (1, 2))


def test_serialise_from_json_refuses_what_does_not_fit() -> None:
    with pytest.raises(TypeError, match="expected an object"):
        from_json(_Thing, ["x"])
    with pytest.raises(TypeError, match="Path"):
        from_json(Path, "x")
