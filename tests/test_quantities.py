"""materia.quantities: the one grams-per-day function and its invariants."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.quantities import GramsPerDay, grams_per_day, unit_factor
from materia.types import Dose, Span


def _dose(low: float | None, high: float, unit: str = "g", per: str | None = "day",
          times: tuple[int, int] | None = None, per_kg: bool = False, cap: float | None = None) -> Dose:
    return Dose(span=Span(0, 0), low=low, high=high, unit=unit, per=per, times_per_day=times,  # type: ignore[arg-type]
                per_kg=per_kg, daily_cap=cap)


def test_quantities_unit_factor() -> None:
    assert unit_factor("mg", "g") == pytest.approx(0.001)
    assert unit_factor("mcg", "mg") == pytest.approx(0.001)
    assert unit_factor("g", "g") == 1.0
    assert unit_factor("mL", "L") == pytest.approx(0.001)
    assert unit_factor("IU", "g") is None
    assert unit_factor("mL", "g") is None  # volume is not mass
    assert unit_factor("furlong", "g") is None


def test_quantities_convert_without_a_writable_cache_directory(tmp_path, monkeypatch) -> None:
    """A home whose cache cannot be written (read-only, or missing) costs pint's cache, never the conversions."""
    from materia import quantities

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "cache"))
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    quantities._registry.cache_clear()
    quantities.unit_factor.cache_clear()
    try:
        assert unit_factor("mg", "g") == pytest.approx(0.001)
    finally:
        quantities._registry.cache_clear()
        quantities.unit_factor.cache_clear()


@pytest.mark.parametrize(("dose", "expected"), [
    (_dose(1, 2, per="dose", times=(2, 2)), GramsPerDay(2, 4)),  # "1–2 g twice a day": three functions disagreed
    (_dose(2, 5, per="dose", times=(1, 2)), GramsPerDay(2, 10)),
    (_dose(500, 1500, "mg"), GramsPerDay(0.5, 1.5)),
    (_dose(None, 40), GramsPerDay(None, 40)),
    (_dose(14, 14, per="week"), GramsPerDay(2, 2)),
    (_dose(200, 400, "mg", "dose", (4, 6), cap=1200), GramsPerDay(0.8, 1.2)),  # "not exceeding 1200 mg a day"
    (_dose(15, 15, "mcg"), GramsPerDay(1.5e-5, 1.5e-5)),
    (_dose(5, 5, per=None), None),  # no frequency
    (_dose(5, 5, per="dose"), None),  # per intake, but how many a day?
    (_dose(1000, 1000, "IU"), None),
    (_dose(10, 10, "mL"), None),  # a volume: no density to weigh it
    (_dose(0.5, 0.5, per_kg=True), None),  # no body weight to multiply by
])
def test_quantities_grams_per_day_examples(dose: Dose, expected: GramsPerDay | None) -> None:
    got = grams_per_day(dose)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert got.high == pytest.approx(expected.high)
        assert (got.low is None) == (expected.low is None)
        assert got.low is None or got.low == pytest.approx(expected.low)


def test_quantities_grams_per_day_refuses_odd_values() -> None:
    assert grams_per_day(_dose(1, math.nan)) is None
    assert grams_per_day(_dose(-1, 2)) is None
    assert grams_per_day(_dose(1, 2, per="dose", times=(0, 2))) is None


_AMOUNT = st.floats(min_value=1e-3, max_value=1e5, allow_nan=False, allow_infinity=False)
_TIMES = st.tuples(st.integers(1, 12), st.integers(1, 12)).map(lambda t: (min(t), max(t)))
_MASS = st.sampled_from(["mcg", "mg", "g", "kg"])
_PER = st.sampled_from(["day", "dose", "week"])


@st.composite
def _doses(draw: st.DrawFn) -> Dose:
    high = draw(_AMOUNT)
    low = draw(st.none() | _AMOUNT.map(lambda x: min(x, high)))
    per = draw(_PER)
    times = draw(_TIMES) if per == "dose" else None
    cap = draw(st.none() | _AMOUNT)
    return _dose(low, high, draw(_MASS), per, times, False, cap)


@settings(max_examples=300, deadline=None)
@given(_doses())
def test_quantities_range_low_at_most_high(dose: Dose) -> None:
    got = grams_per_day(dose)
    assert got is not None
    assert got.high >= 0 and (got.low is None or 0 <= got.low <= got.high)


@settings(max_examples=300, deadline=None)
@given(_doses(), st.floats(min_value=1.0, max_value=100.0))
def test_quantities_monotone_in_amount(dose: Dose, k: float) -> None:
    more = _dose(None if dose.low is None else dose.low * k, dose.high * k, dose.unit, dose.per,
                 dose.times_per_day, False, dose.daily_cap)
    a, b = grams_per_day(dose), grams_per_day(more)
    assert a is not None and b is not None
    assert b.high >= a.high
    assert a.low is None or b.low is None or b.low >= a.low


@settings(max_examples=300, deadline=None)
@given(_AMOUNT, _MASS, _TIMES, st.integers(0, 6), st.none() | _AMOUNT)
def test_quantities_monotone_in_frequency(amount: float, unit: str, times: tuple[int, int], extra: int,
                                          cap: float | None) -> None:
    fewer = grams_per_day(_dose(amount, amount, unit, "dose", times, cap=cap))
    more = grams_per_day(_dose(amount, amount, unit, "dose", (times[0] + extra, times[1] + extra), cap=cap))
    assert fewer is not None and more is not None
    assert more.high >= fewer.high and (more.low or 0) >= (fewer.low or 0)


@settings(max_examples=300, deadline=None)
@given(_doses())
def test_quantities_unit_invariance(dose: Dose) -> None:
    """The same amount written in mcg, mg or g is the same daily mass."""
    base = grams_per_day(dose)
    assert base is not None
    for unit in ("mcg", "mg", "g"):
        k = 1 / (unit_factor(dose.unit, unit) or math.nan)
        same = _dose(None if dose.low is None else dose.low / k, dose.high / k, unit, dose.per,
                     dose.times_per_day, False, None if dose.daily_cap is None else dose.daily_cap / k)
        got = grams_per_day(same)
        assert got is not None
        assert got.high == pytest.approx(base.high, rel=1e-9)
        assert (got.low is None) == (base.low is None)
        assert got.low is None or got.low == pytest.approx(base.low, rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(_doses())
def test_quantities_caps_respected(dose: Dose) -> None:
    got = grams_per_day(dose)
    assert got is not None
    if dose.daily_cap is not None:
        cap_g = dose.daily_cap * (unit_factor(dose.unit, "g") or math.nan)
        assert got.high <= cap_g * (1 + 1e-9)


@settings(max_examples=200, deadline=None)
@given(_doses())
def test_quantities_per_kg_is_never_a_daily_mass(dose: Dose) -> None:
    per_kg = _dose(dose.low, dose.high, dose.unit, dose.per, dose.times_per_day, True, dose.daily_cap)
    assert grams_per_day(per_kg) is None


def test_quantities_extract_knowledge_and_chart_agree() -> None:
    """Issue 8: "1–2 g twice a day" gave (1, 2), (2, 4) and (1, 2) in three places; one function now."""
    from materia.extract.doses import find_in
    from materia.knowledge.doses import dose_of
    from materia.serialise import to_json

    [dose] = find_in("1–2 g twice a day")
    assert grams_per_day(dose) == (2, 4)
    stored = dose_of(to_json(dose))
    assert stored is not None and grams_per_day(stored) == (2, 4)
    # the chart draws the dose summaries' figures (tests/web/test_chart.py): no third formula


def test_quantities_amounts_in_the_unit_people_read() -> None:
    from materia.quantities import daily_text, grams_text

    assert [grams_text(g) for g in (5.0, 0.5, 0.00005, 1.25)] == ["5 g", "500 mg", "50 µg", "1.25 g"]
    assert daily_text(0.005, 0.01) == "5–10 mg a day"
    assert daily_text(0.5, 1.0) == "500 mg–1 g a day"
    assert daily_text(None, 2.0) == daily_text(2.0, 2.0) == "2 g a day"
