"""Amounts between units, and a dose's daily amount in grams: the one implementation.

Extraction, the knowledge layer (dose summaries, the sanity screen), the web chart and the
exports all call `grams_per_day`; nothing else turns a dose into grams per day.

Units are the canonical symbols of lexicons/units.yaml; pint (named there) does the arithmetic,
imported on first use so importing this module stays cheap.
"""
from __future__ import annotations

import functools
import math
from typing import NamedTuple

from materia.lexicons.units import units
from materia.types import Dose

__all__ = ["GramsPerDay", "daily_text", "grams_per_day", "grams_text", "unit_factor"]

_DAYS_PER_WEEK = 7
_SIGNIFICANT = 12  # digits kept, so 1000 mg, 1 g and 1e6 mcg give the same float


@functools.cache
def _registry() -> object:
    import pint  # importing pint takes a quarter of a second: only when a conversion is needed

    # the parsed unit definitions are cached in the user's cache directory (pint's own): 0.15 s -> 0.03 s;
    # without one that can be written (a read-only home), they are parsed each time
    try:
        return pint.UnitRegistry(cache_folder=":auto:")
    except OSError:
        return pint.UnitRegistry()


@functools.cache
def unit_factor(unit_from: str, unit_to: str) -> float | None:
    """How many `unit_to` make one `unit_from` ("mg", "g" -> 0.001); None when either is not a
    convertible unit or they measure different things (mass vs volume, IU)."""
    if unit_from == unit_to:
        return 1.0
    names = units().pint_names
    a, b = names.get(unit_from), names.get(unit_to)
    if a is None or b is None:
        return None
    try:
        return float(_registry().Quantity(1, a).to(b).magnitude)  # type: ignore[attr-defined]
    except Exception:
        return None


class GramsPerDay(NamedTuple):
    """A dose's daily amount in grams; `low` is None for "up to N"."""

    low: float | None
    high: float


def _round(value: float) -> float:
    return float(f"{value:.{_SIGNIFICANT}g}")


def _valid_times(times: object) -> tuple[int, int] | None:
    if (isinstance(times, tuple) and len(times) == 2
            and all(isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in times)):
        return (min(times), max(times))
    return None


def grams_per_day(dose: Dose) -> GramsPerDay | None:
    """Low/high grams per day, or None when the dose cannot be made a daily mass: per kg of body
    weight (no weight to multiply by), a unit that is not a mass, or no stated frequency.

    "2–5 g, 1–2 times daily" -> (2, 10): the low end times the fewest intakes, the high end times
    the most. A daily maximum the same text states (`dose.daily_cap`, in the dose's unit) bounds both.
    """
    if dose.per_kg or dose.per is None:
        return None
    factor = unit_factor(dose.unit, "g")
    high = dose.high
    low = dose.low
    if factor is None or not _amount(high) or not (low is None or _amount(low)):
        return None
    if dose.per == "day":
        scale_low = scale_high = 1.0
    elif dose.per == "week":
        scale_low = scale_high = 1 / _DAYS_PER_WEEK
    elif dose.per == "dose":
        times = _valid_times(dose.times_per_day)
        if times is None:
            return None
        scale_low, scale_high = float(times[0]), float(times[1])
    else:
        return None
    high_g = high * factor * scale_high
    low_g = None if low is None else min(low * factor * scale_low, high_g)
    if dose.daily_cap is not None and _amount(dose.daily_cap):
        cap = dose.daily_cap * factor
        high_g = min(high_g, cap)
        low_g = None if low_g is None else min(low_g, cap)
    return GramsPerDay(None if low_g is None else _round(low_g), _round(high_g))


def _amount(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)


def grams_text(grams: float) -> str:
    """An amount in the unit people read it in: "5 g", "500 mg", "50 µg" (pages, `show`)."""
    for unit, per_gram in (("g", 1.0), ("mg", 1e3), ("µg", 1e6)):
        if grams * per_gram >= 1 or unit == "µg":
            return f"{grams * per_gram:.3g} {unit}"
    return f"{grams:g} g"  # pragma: no cover - the loop always returns


def daily_text(low: float | None, high: float) -> str:
    """A daily range in grams as people read it: "5–10 mg a day", "500 mg–1 g a day", "2 g a day"."""
    low_text, high_text = grams_text(high if low is None else low), grams_text(high)
    if low_text == high_text:
        return f"{high_text} a day"
    (low_n, low_unit), high_unit = low_text.split(" "), high_text.split(" ")[1]
    return f"{low_n}–{high_text} a day" if low_unit == high_unit else f"{low_text}–{high_text} a day"
