"""Dose amounts normalised to grams per day, where the text gives enough to do so."""
from __future__ import annotations

from typing import Any

TO_GRAMS = {"mcg": 1e-6, "µg": 1e-6, "ug": 1e-6, "mg": 1e-3, "g": 1.0, "kg": 1e3}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and value >= 0


def grams_per_day(dose: dict[str, Any]) -> tuple[float | None, float] | None:
    """(low, high) g/day for a stored dose payload, or None when unit or frequency is unknown.

    "2–5 g 1–2×/day" -> (2, 10): the low end times the fewest doses, the high end times the most.
    """
    factor = TO_GRAMS.get(str(dose.get("unit") or "").lower())
    high, low = dose.get("high"), dose.get("low")
    if factor is None or not _number(high) or dose.get("per_kg") or not (low is None or _number(low)):
        return None
    per = dose.get("per")
    times = dose.get("times_per_day")
    if times is not None and not (isinstance(times, (list, tuple)) and len(times) == 2
                                  and all(isinstance(t, int) and t > 0 for t in times)):
        return None
    t_low, t_high = (times[0], times[1]) if times else (1, 1)
    if per == "week":
        scale_low = scale_high = 1 / 7
    elif per == "day" and not times:
        scale_low = scale_high = 1.0
    elif times:
        scale_low, scale_high = float(t_low), float(t_high)
    else:
        return None
    lo = None if low is None else round(float(low) * factor * scale_low, 6)
    return lo, round(float(high) * factor * scale_high, 6)
