"""Dose summaries: stored dose items -> per-purpose daily amounts, screened for slips.

Every daily amount comes from `materia.quantities.grams_per_day`. Doses of another substance
(Dose.substance names a different one: "tipranavir 500 mg" on an atorvastatin label) never count.
Adults and children are separate purposes, as are the indications a text separates.

The sanity screen (rules and their reasons in dose_screen.yaml) flags a daily amount that is
above the daily maximum its own source states for that purpose, or far above what every other source
on the substance states. A flagged amount stays visible with its reason (DoseSummary.flagged) but is
kept out of `ranges` (what the chart draws) and of `highest_g_per_day`.
"""
from __future__ import annotations

import functools
import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from materia.errors import VocabularyError
from materia.knowledge.model import DoseFlag, DoseRange, DoseSummary
from materia.lexicons.loader import load_yaml
from materia.quantities import grams_per_day
from materia.store import StoredItem
from materia.types import Dose, Span

__all__ = ["ScreenRules", "dose_of", "purpose_of", "screen_rules", "summaries"]

_PERS = ("day", "dose", "week")
_TOLERANCE = 1e-9  # relative: rounding of the same amount written in two units


@dataclass(frozen=True, slots=True)
class ScreenRules:
    """dose_screen.yaml: how far above the other sources a daily amount may be."""

    outlier_factor: float
    min_other_sources: int


def parse_screen_rules(data: object) -> ScreenRules:
    if not isinstance(data, dict) or set(data) != {"far_above_others"}:
        raise VocabularyError("dose_screen.yaml: the one top-level key is far_above_others")
    rule = data["far_above_others"]
    if not isinstance(rule, dict) or set(rule) != {"factor", "min_other_sources"}:
        raise VocabularyError("dose_screen.yaml: far_above_others needs exactly factor and min_other_sources")
    factor, minimum = rule["factor"], rule["min_other_sources"]
    if not isinstance(factor, (int, float)) or isinstance(factor, bool) or not factor > 1:
        raise VocabularyError("dose_screen.yaml: factor must be a number above 1")
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        raise VocabularyError("dose_screen.yaml: min_other_sources must be a positive integer")
    return ScreenRules(float(factor), minimum)


@functools.cache
def screen_rules() -> ScreenRules:
    return parse_screen_rules(load_yaml("dose_screen.yaml"))


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return float(value)
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def dose_of(payload: Mapping[str, Any]) -> Dose | None:
    """A stored dose payload (the Dose as JSON) back as a Dose; None when it is not a readable dose."""
    high = _number(payload.get("high"))
    low_raw = payload.get("low")
    low = None if low_raw is None else _number(low_raw)
    unit = _text(payload.get("unit"))
    if high is None or unit is None or (low_raw is not None and low is None):
        return None
    per = payload.get("per")
    times_raw = payload.get("times_per_day")
    times: tuple[int, int] | None = None
    if isinstance(times_raw, (list, tuple)) and len(times_raw) == 2 and all(
            isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in times_raw):
        times = (min(times_raw), max(times_raw))
    elif times_raw is not None:
        return None
    cap = payload.get("daily_cap")
    return Dose(span=Span(0, 0), low=None if low is None else min(low, high), high=high, unit=unit,
                substance=_text(payload.get("substance")), per=per if per in _PERS else None,
                times_per_day=times, per_kg=payload.get("per_kg") is True,
                population=_text(payload.get("population")), context=_text(payload.get("context")),
                supervised=payload.get("supervised") is True, maximum=payload.get("maximum") is True,
                daily_cap=_number(cap) if cap is not None else None)


def purpose_of(context: str | None, population: str | None) -> str:
    """What a dose is for, as shown: its indication, its population, both ('fever (children)') or 'general'."""
    what = " ".join((context or "").split()).lower()
    if what and population and population != "adults" and population not in what:
        return f"{what} ({population})"
    return what or population or "general"


def _owned(dose: Dose, substance: str) -> bool:
    """A dose of the subject. Extraction already names the subject for its own forms ('magnesium
    sulfate' on a magnesium page), so any other name is another substance's dose."""
    owner = (dose.substance or "").strip().lower()
    return not owner or owner == substance.strip().lower()


@dataclass(frozen=True, slots=True)
class _Read:
    item: StoredItem
    dose: Dose
    range: DoseRange


def _above(value: float, limit: float) -> bool:
    return value > limit * (1 + _TOLERANCE)


def _own_maximum_flags(reads: list[_Read]) -> dict[int, DoseFlag]:
    """Amounts above a daily maximum their own source states for the same population and indication
    (a maximum stated without a population or an indication covers all of them)."""
    flags: dict[int, DoseFlag] = {}
    by_source: dict[int, list[_Read]] = defaultdict(list)
    for read in reads:
        by_source[read.item.document.id].append(read)
    for group in by_source.values():
        maxima = [r for r in group if r.dose.maximum and r.range.high_g_per_day is not None]
        for read in group:
            high = read.range.high_g_per_day
            if high is None or read.dose.maximum:
                continue
            limits = [m.range.high_g_per_day for m in maxima
                      if m.dose.population in (None, read.dose.population)
                      and m.dose.context in (None, read.dose.context)
                      and m.dose.per_kg == read.dose.per_kg and m.range.high_g_per_day is not None]
            if limits and _above(high, min(limits)):
                limit = min(limits)
                flags[read.item.id] = DoseFlag(
                    "above_own_maximum", f"{high:g} g/day is above the {limit:g} g/day maximum the same source states",
                    limit)
    return flags


def _outlier_flags(reads: list[_Read], flagged: Mapping[int, DoseFlag], rules: ScreenRules) -> dict[int, DoseFlag]:
    """Amounts far above the highest amounts every other source on the substance states."""
    source_high: dict[int, float] = {}
    for read in reads:
        high = read.range.high_g_per_day
        if high is not None and read.item.id not in flagged:
            doc = read.item.document.id
            source_high[doc] = max(source_high.get(doc, 0.0), high)
    flags: dict[int, DoseFlag] = {}
    for read in reads:
        high = read.range.high_g_per_day
        if high is None or read.item.id in flagged:
            continue
        others = [h for doc, h in source_high.items() if doc != read.item.document.id]
        if len(others) < rules.min_other_sources:
            continue
        median = statistics.median(others)
        limit = rules.outlier_factor * median
        if _above(high, limit):
            flags[read.item.id] = DoseFlag(
                "far_above_other_sources",
                f"{high:g} g/day is more than {rules.outlier_factor:g}x the median ({median:g} g/day) of the highest "
                f"daily amounts of {len(others)} other sources", limit)
    return flags


def summaries(items: Sequence[StoredItem], substance: str, rules: ScreenRules | None = None) -> tuple[DoseSummary, ...]:
    """One summary per (indication, population) of the subject's doses, screened."""
    rules = rules or screen_rules()
    reads: list[_Read] = []
    for item in items:
        if item.category != "dose":
            continue
        dose = dose_of(item.payload)
        if dose is None or not _owned(dose, substance):
            continue
        g = grams_per_day(dose)
        reads.append(_Read(item, dose, DoseRange(
            item.document.source, item.document.id, item.text, (item.span.start, item.span.end),
            None if g is None else g.low, None if g is None else g.high, dose.supervised,
            maximum=dose.maximum, per_kg=dose.per_kg)))
    flags = _own_maximum_flags(reads)
    flags.update(_outlier_flags(reads, flags, rules))
    groups: dict[tuple[str, str | None], list[_Read]] = defaultdict(list)
    for read in reads:
        groups[(purpose_of(read.dose.context, read.dose.population), read.dose.population)].append(read)
    out = []
    for (purpose, population), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        kept = tuple(r.range for r in group if r.item.id not in flags)
        flagged = tuple(replace(r.range, flag=flags[r.item.id]) for r in group if r.item.id in flags)
        highs = [r.high_g_per_day for r in kept if r.high_g_per_day is not None]
        maxima = [r.high_g_per_day for r in kept if r.maximum and r.high_g_per_day is not None]
        out.append(DoseSummary(purpose, kept, max(highs) if highs else None,
                               any(r.supervised for r in kept), population=population,
                               stated_maximum_g_per_day=min(maxima) if maxima else None, flagged=flagged))
    return tuple(out)
