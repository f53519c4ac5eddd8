from __future__ import annotations

import pytest

from materia.knowledge.grading import grade, source_kind


@pytest.mark.parametrize("evidence, stances, expected", [
    (["rct", "rct", "meta_analysis"], ["benefit"] * 3, "high"),
    (["rct", "rct", "meta_analysis"], ["benefit", "benefit", "no_benefit"], "moderate"),
    (["rct"], ["benefit"], "moderate"),
    (["observational"], ["benefit"], "low"),
    (["none"], ["benefit"], "very low"),
    (["anecdote"], ["unclear"], "very low"),
])
def test_grading_levels(evidence, stances, expected) -> None:
    assert grade(evidence, stances)[0] == expected


def test_grading_reason_names_designs_and_dissent() -> None:
    _level, reason = grade(["rct", "rct", "meta_analysis"], ["benefit", "benefit", "no_benefit"])
    assert reason == "1 meta-analysis, 2 RCTs; one source not showing a clear benefit"


@pytest.mark.parametrize("kind, refs, expected", [
    ("label", False, "label"), ("community", True, "community report"),
    ("article", True, "referenced article"), ("monograph", False, "unreferenced monograph"),
    ("review", False, "user review"), ("abstract", False, "abstract"),
])
def test_grading_source_kind(kind, refs, expected) -> None:
    assert source_kind(kind, refs) == expected


def test_grading_names_animal_and_laboratory_studies_apart() -> None:
    level, reason = grade(["animal", "in_vitro", "animal"], ["unclear"] * 3)
    assert (level, reason) == ("very low", "2 animal studies, 1 laboratory study; 3 sources not showing a clear benefit")
