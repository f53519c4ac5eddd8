"""store/sql.py: the values a column type decodes, decoded once for either connection."""
from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from materia.store.sql import json_loads

_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                  max_size=4), max_leaves=20)


def _outcome(loads: object, data: str | bytes) -> tuple[str, object]:
    try:
        value = loads(data)  # type: ignore[operator]
    except ValueError as exc:  # a JSONDecodeError, or a UnicodeDecodeError of bytes
        return type(exc).__name__, str(exc)
    return "value", json.dumps(value) if not (isinstance(value, float) and math.isnan(value)) else "nan"


@given(_VALUES, st.sampled_from(["", " ", "\n", "\t "]), st.sampled_from(["", " ", "\n", "x", "]", " 1"]),
       st.booleans(), st.booleans())
def test_store_sql_json_loads_reads_what_json_loads_reads(value: object, before: str, after: str, compact: bool,
                                                          as_bytes: bool) -> None:
    """The scanner's shortcut for text as the store writes it decodes what json.loads decodes, and text with
    whitespace around it, extra data or bad bytes fails (or not) as json.loads does."""
    separators = (",", ":") if compact else (", ", ": ")
    text = before + json.dumps(value, ensure_ascii=compact, separators=separators) + after
    data: str | bytes = text.encode("utf-8") if as_bytes else text
    assert _outcome(json_loads, data) == _outcome(json.loads, data)


@given(st.text(max_size=12) | st.binary(max_size=12) | st.binary(max_size=8).map(lambda b: b"\xef\xbb\xbf" * 2 + b))
def test_store_sql_json_loads_fails_as_json_loads_does(data: str | bytes) -> None:
    assert _outcome(json_loads, data) == _outcome(json.loads, data)
