from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from materia.knowledge import Monograph
from materia.knowledge.doses import dose_of, summaries
from materia.quantities import grams_per_day
from materia.store import DocumentInfo, StoredItem
from materia.types import Span
from materia.web import views
from materia.web.chart import DoseBar, layout


def test_chart_draws_the_dose_summary_figures(monograph: Monograph) -> None:
    """Issue 10: the chart had its own grams-per-day function; it now draws the dose summaries' ranges,
    which materia.quantities.grams_per_day computed, so chart, summary and formula cannot disagree."""
    source = DocumentInfo(1, "docs/a.txt", "article", "A", None, "glutamine", False)
    payloads = [{"low": 1, "high": 2, "unit": "g", "per": "dose", "times_per_day": [2, 2]},  # "1–2 g twice a day"
                {"low": 500, "high": 1500, "unit": "mg", "per": "day"},
                {"low": None, "high": 14, "unit": "g", "per": "week"}]
    items = [StoredItem(n, source, "dose", "glutamine", "dose", None, None, "a dose", Span(10 * n, 10 * n + 5), p)
             for n, p in enumerate(payloads)]
    [summary] = summaries(items, "glutamine")
    formula = [grams_per_day(dose) for dose in map(dose_of, payloads) if dose is not None]
    assert formula == [(2, 4), (0.5, 1.5), (None, 2)]
    assert [(r.low_g_per_day, r.high_g_per_day) for r in summary.ranges] == formula

    page = views.monograph_page(replace(monograph, doses=(summary,)))
    assert [(b.low, b.high) for b in page.bars] == [(0.5, 4)]  # one bar per source and purpose spans them all
    assert page.chart is not None and page.chart.max_label == f"max {summary.highest_g_per_day:g} g/day"
    assert summary.highest_g_per_day == max(g.high for g in formula if g is not None)


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
