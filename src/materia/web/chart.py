"""Geometry of the dose-range chart, drawn server-side as SVG (no scripts).

One bar per (source, purpose) on a grams-per-day axis; the highest documented amount
is marked. Pure arithmetic here, the template only draws. The bars carry the dose summaries'
figures (knowledge.model.DoseRange, from materia.quantities.grams_per_day): the chart converts
no units itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DoseBar:
    source: str
    purpose: str
    low: float  # g/day
    high: float  # g/day
    href: str = ""


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    label: str
    title: str
    href: str
    is_max: bool


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    bar_height: int
    rects: tuple[Rect, ...]
    ticks: tuple[tuple[float, str], ...]
    axis_y: float
    max_x: float
    max_label: str


def _nice_max(value: float) -> float:
    """The axis end: the smallest 1, 2, 2.5, 5 x 10^k at or above `value`."""
    if value <= 0:
        return 1.0
    exp: float = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _fmt(value: float) -> str:
    return f"{value:g}"


def layout(bars: list[DoseBar], width: int = 640, left: int = 230, bar_height: int = 18) -> Chart | None:
    """Place each bar; None when there is nothing to draw."""
    bars = [b for b in bars if b.high > 1e-9]  # below a nanogram is a parsing slip, not a dose
    if not bars:
        return None
    top = max(b.high for b in bars)
    axis_max = _nice_max(top)
    plot = width - left - 20
    scale = plot / axis_max
    gap = 8
    rects = []
    for i, bar in enumerate(bars):
        low = bar.low if 0 < bar.low <= bar.high else bar.high
        x0 = left + low * scale
        w = max((bar.high - low) * scale, 4.0)
        rng = _fmt(bar.high) if low == bar.high else f"{_fmt(low)}–{_fmt(bar.high)}"
        rects.append(Rect(
            x=round(x0, 1), y=10 + i * (bar_height + gap), width=round(w, 1),
            label=_clip(f"{bar.source} · {bar.purpose}", 34),
            title=f"{bar.source}, {bar.purpose}: {rng} g/day",
            href=bar.href, is_max=bar.high == top,
        ))
    axis_y = 10 + len(bars) * (bar_height + gap)
    ticks = tuple((round(left + axis_max * k / 4 * scale, 1), _fmt(axis_max * k / 4)) for k in range(5))
    return Chart(width=width, height=int(axis_y + 40), left=left, bar_height=bar_height, rects=tuple(rects),
                 ticks=ticks, axis_y=axis_y, max_x=round(left + top * scale, 1), max_label=f"max {_fmt(top)} g/day")
