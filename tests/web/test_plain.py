from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from hypothesis import given, strategies as st

from materia.web.plain import script_json, to_plain


@dataclass(frozen=True)
class _Thing:
    name: str
    when: date
    span: tuple[int, int]


def test_plain_converts_dataclasses_dates_and_tuples() -> None:
    assert to_plain(_Thing("x", date(2025, 1, 2), (1, 2))) == {"name": "x", "when": "2025-01-02", "span": [1, 2]}


@given(st.text())
def test_plain_script_json_never_closes_the_script(text: str) -> None:
    out = str(script_json({"name": text}))
    assert "<" not in out and ">" not in out
    assert json.loads(out) == {"name": text}
