from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from materia.knowledge.doses import grams_per_day


def test_doses_range_times_frequency() -> None:
    assert grams_per_day({"low": 2, "high": 5, "unit": "g", "per": "dose", "times_per_day": [1, 2]}) == (2, 10)


def test_doses_milligrams_per_day() -> None:
    assert grams_per_day({"low": 500, "high": 1500, "unit": "mg", "per": "day"}) == (0.5, 1.5)


def test_doses_unknown_frequency_or_unit() -> None:
    assert grams_per_day({"low": None, "high": 20, "unit": "g"}) is None
    assert grams_per_day({"low": 1, "high": 2, "unit": "IU", "per": "day"}) is None
    assert grams_per_day({"low": 1, "high": 2, "unit": "g", "per": "day", "per_kg": True}) is None


@given(st.dictionaries(st.sampled_from(["low", "high", "unit", "per", "times_per_day", "per_kg"]),
                       st.one_of(st.none(), st.floats(0, 1e6), st.sampled_from(["g", "mg", "day", "week"]), st.text(max_size=3),
                                 st.tuples(st.integers(1, 6), st.integers(1, 6)))))
def test_doses_never_raise_on_odd_payloads(payload) -> None:
    result = grams_per_day(payload)
    assert result is None or (result[0] is None or result[0] >= 0) and result[1] >= 0
