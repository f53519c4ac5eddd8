from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from materia.web.chart import DoseBar, grams_per_day, layout


def test_chart_grams_per_day_converts_units_and_periods() -> None:
    assert grams_per_day(500, "mg", "day", None) == 0.5
    assert grams_per_day(5, "g", "dose", (2, 3)) == 15
    assert grams_per_day(14, "g", "week", None) == 2
    assert grams_per_day(1, "IU", "day", None) is None
    assert grams_per_day(5, "g", "dose", None) is None


def test_chart_marks_the_highest_amount() -> None:
    chart = layout([DoseBar("a", "gut", 5, 30), DoseBar("b", "diarrhoea", 5, 40)])
    assert chart is not None
    assert [r.is_max for r in chart.rects] == [False, True]
    assert chart.max_label == "max 40 g/day"
    assert chart.rects[1].x + chart.rects[1].width == chart.max_x


def test_chart_nothing_to_draw() -> None:
    assert layout([]) is None


@given(st.lists(st.tuples(st.floats(0, 1e4), st.floats(0, 1e4)), max_size=12))
def test_chart_bars_stay_inside_the_plot(pairs: list[tuple[float, float]]) -> None:
    chart = layout([DoseBar("s", "p", lo, hi) for lo, hi in pairs])
    if chart is None:
        return
    for r in chart.rects:
        assert chart.left <= r.x and r.x + r.width <= chart.width - 20 + 4.01
