from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kb_helpers import make_doc, make_item

from materia.errors import VocabularyError
from materia.knowledge.doses import ScreenRules, dose_of, parse_screen_rules, purpose_of, screen_rules, summaries
from materia.quantities import grams_per_day

RULES = ScreenRules(outlier_factor=5.0, min_other_sources=2)


def _dose(doc_id: int, high: float, unit: str = "g", per: str | None = "day", **payload: object):
    return make_item(make_doc(doc_id), "dose", str(payload.get("context") or "dose"), high=high, unit=unit, per=per,
                     low=payload.pop("low", high), **payload)


def test_doses_payload_back_to_a_dose() -> None:
    dose = dose_of({"low": 2, "high": 5, "unit": "g", "per": "dose", "times_per_day": [1, 2], "maximum": False})
    assert dose is not None and grams_per_day(dose) == (2, 10)
    assert dose_of({"low": 1, "high": 2, "unit": "g", "per": "day", "per_kg": True}).per_kg  # type: ignore[union-attr]
    assert dose_of({"high": "a lot", "unit": "g"}) is None
    assert dose_of({"high": 1, "unit": "g", "times_per_day": [0, 2]}) is None


@given(st.dictionaries(st.sampled_from(["low", "high", "unit", "per", "times_per_day", "per_kg", "daily_cap", "maximum"]),
                       st.one_of(st.none(), st.floats(-1, 1e6), st.sampled_from(["g", "mg", "day", "week", "dose"]),
                                 st.text(max_size=3), st.booleans(),
                                 st.tuples(st.integers(-1, 6), st.integers(-1, 6)))))
def test_doses_never_raise_on_odd_payloads(payload: dict[str, object]) -> None:
    dose = dose_of(payload)
    result = None if dose is None else grams_per_day(dose)
    assert result is None or (result.low is None or 0 <= result.low <= result.high)


def test_doses_purposes_separate_populations_and_indications() -> None:
    assert purpose_of(None, None) == "general"
    assert purpose_of(None, "adults") == "adults"
    assert purpose_of("Fever", "children") == "fever (children)"
    assert purpose_of("Fever", "adults") == "fever"
    items = [_dose(1, 4, context="Fever", population="adults"), _dose(1, 1, context="Fever", population="children")]
    found = {s.purpose: s for s in summaries(items, "glutamine", RULES)}
    assert found["fever"].highest_g_per_day == 4 and found["fever (children)"].highest_g_per_day == 1
    assert found["fever (children)"].population == "children"


def test_doses_of_another_substance_never_count() -> None:
    items = [_dose(1, 0.08, "g", substance="glutamine"), _dose(1, 2.8, substance="tipranavir"), _dose(1, 1)]
    [summary] = summaries(items, "glutamine", RULES)
    assert summary.highest_g_per_day == 1
    assert len(summary.ranges) == 2


def test_doses_per_kg_has_no_highest() -> None:
    [summary] = summaries([_dose(1, 0.3, per_kg=True, population="children")], "glutamine", RULES)
    assert summary.highest_g_per_day is None and summary.ranges[0].per_kg


def test_doses_above_own_stated_maximum_is_flagged() -> None:
    items = [_dose(1, 2.4, per="day", low=0.8), _dose(1, 1.2, maximum=True, low=None),
             _dose(2, 3.0, population="children"), _dose(2, 1.0, maximum=True, low=None, population="children")]
    found = {s.purpose: s for s in summaries(items, "glutamine", RULES)}
    general = found["general"]
    assert general.highest_g_per_day == 1.2 and general.stated_maximum_g_per_day == 1.2
    assert [r.high_g_per_day for r in general.ranges] == [1.2]
    [flagged] = general.flagged
    assert flagged.flag is not None and flagged.flag.rule == "above_own_maximum"
    assert flagged.flag.reason == "2.4 g/day is above the 1.2 g/day maximum the same source states"
    assert found["children"].highest_g_per_day == 1.0  # a children's maximum covers children only


def test_doses_far_above_every_other_source_is_flagged() -> None:
    items = [_dose(1, 30), _dose(2, 40), _dose(3, 20), _dose(4, 400)]
    [summary] = summaries(items, "glutamine", RULES)
    assert summary.highest_g_per_day == 40
    [flagged] = summary.flagged
    assert flagged.document_id == 4 and flagged.flag is not None and flagged.flag.rule == "far_above_other_sources"
    assert "more than 5x the median (30 g/day)" in flagged.flag.reason
    assert flagged.flag.limit_g_per_day == 150


def test_doses_outlier_needs_enough_other_sources() -> None:
    [summary] = summaries([_dose(1, 1), _dose(2, 400)], "glutamine", RULES)
    assert summary.highest_g_per_day == 400 and not summary.flagged


def test_doses_screen_rules_are_data_loaded_strictly() -> None:
    assert screen_rules().outlier_factor > 1 and screen_rules().min_other_sources >= 1
    with pytest.raises(VocabularyError):
        parse_screen_rules({"far_above_others": {"factor": 5}})
    with pytest.raises(VocabularyError):
        parse_screen_rules({"far_above_others": {"factor": 0.5, "min_other_sources": 2}})
    with pytest.raises(VocabularyError):
        parse_screen_rules({"far_above_others": {"factor": 5, "min_other_sources": 2}, "extra": 1})
