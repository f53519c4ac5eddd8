from __future__ import annotations

import pytest

from materia.errors import VocabularyError
from materia.extract.names import canonical
from materia.lexicons.drug_classes import (
    canonical_class,
    classes,
    classes_of,
    members,
    parse_drug_classes,
    read_drug_classes,
)


@pytest.mark.parametrize(("phrase", "expected"), [
    ("potent CYP3A4 inhibitors", "strong CYP3A4 inhibitors"),
    ("strong inhibitors of CYP3A", "strong CYP3A4 inhibitors"),
    ("Strong CYP3A inhibitor", "strong CYP3A4 inhibitors"),
    ("inhibitors of cytochrome P450 3A4", "CYP3A4 inhibitors"),
    ("anticoagulant drugs", "anticoagulants"),
    ("MAOIs", "MAO inhibitors"),
    ("monoamine oxidase inhibitors", "MAO inhibitors"),
    ("other CNS depressants", "CNS depressants"),
    ("P-glycoprotein inhibitors", "P-gp inhibitors"),
    ("HMG-CoA reductase inhibitor", "statins"),
    ("NSAID", "NSAIDs"),
    ("selective serotonin reuptake inhibitors", "SSRIs"),
    ("grapefruit", None),
    ("inhibitors", None),
])
def test_drug_classes_canonical_class_folds_variants(phrase: str, expected: str | None) -> None:
    assert canonical_class(phrase) == expected


def test_drug_classes_narrower_phrase_is_never_widened() -> None:
    assert canonical_class("loop diuretics") == "loop diuretics"
    assert canonical_class("vitamin K antagonists") == "vitamin K antagonists"
    assert members("loop diuretics") < members("diuretics")


def test_drug_classes_members_include_included_classes() -> None:
    serotonergic = members("serotonergic drugs")
    assert {"sertraline", "venlafaxine", "phenelzine", "sumatriptan", "tramadol", "st. john's wort"} <= serotonergic
    assert "warfarin" in members("anticoagulant drugs")
    assert members("no such class") == frozenset()


def test_drug_classes_classes_of_reaches_wider_classes() -> None:
    assert {"strong CYP3A4 inhibitors", "CYP3A4 inhibitors", "P-gp inhibitors"} <= classes_of("clarithromycin")
    assert "strong CYP3A4 inducers" in classes_of("St. John's Wort")
    assert classes_of("water") == frozenset()


def test_drug_classes_every_class_cites_a_source_and_members_are_canonical() -> None:
    for drug_class in classes().values():
        assert drug_class.source
        for drug in drug_class.own_members:
            # a member the resolver knows must be written as the resolver names it
            assert canonical(drug) in (drug, None), (drug_class.name, drug)


def _minimal(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"sources": {"s": "a citation"},
                               "classes": {"statins": {"source": "s", "members": ["atorvastatin"]}}}
    data.update(overrides)
    return data


@pytest.mark.parametrize("data", [
    _minimal(extra={}),
    _minimal(classes={"statins": {"source": "s", "members": ["atorvastatin"], "colour": "red"}}),
    _minimal(classes={"statins": {"source": "nowhere", "members": ["atorvastatin"]}}),
    _minimal(classes={"statins": {"source": "s", "members": ["Atorvastatin"]}}),
    _minimal(classes={"statins": {"source": "s", "members": []}}),
    _minimal(classes={"statins": {"source": "s", "members": ["a"], "includes": ["fibrates"]}}),
    _minimal(classes={"statins": {"source": "s", "members": ["a"], "aliases": ["HMG-CoA reductase inhibitors"]},
                      "others": {"source": "s", "members": ["b"], "aliases": ["HMG-CoA reductase inhibitor"]}}),
    _minimal(classes={"a": {"source": "s", "members": ["x"], "includes": ["b"]},
                      "b": {"source": "s", "members": ["y"], "includes": ["a"]}}),
])
def test_drug_classes_parse_refuses_bad_data(data: object) -> None:
    with pytest.raises(VocabularyError):
        parse_drug_classes(data)


def test_drug_classes_loader_refuses_duplicate_keys() -> None:
    text = ("sources: {s: a citation}\nclasses:\n  statins: {source: s, members: [a]}\n"
            "  statins: {source: s, members: [b]}\n")
    with pytest.raises(VocabularyError, match="duplicate key 'statins'"):
        read_drug_classes(text)


@pytest.mark.parametrize("drug, drug_class", [
    ("nadolol", "beta blockers"),  # no list names it: its stem does
    ("pitavastatin", "statins"),
    ("mometasone", "corticosteroids"),
    ("arformoterol", "beta-2 agonists"),
    ("nadolol", "antihypertensives"),  # and the wider classes that include its class
    ("cisatracurium", "neuromuscular blocking agents"),
    ("roxithromycin", "macrolides"),
])
def test_drug_classes_a_drug_belongs_to_the_class_its_stem_names(drug: str, drug_class: str) -> None:
    assert drug_class in classes_of(drug)


@pytest.mark.parametrize("word", ["nystatin", "cholesterol", "histidine", "ergosterol"])
def test_drug_classes_words_that_merely_end_alike_belong_to_no_class(word: str) -> None:
    assert classes_of(word) == frozenset()


def test_drug_classes_stems_are_checked() -> None:
    data = {"sources": {"s": "a source"}, "classes": {"x": {"source": "s", "members": ["a"], "stems": ["ol"]}}}
    with pytest.raises(VocabularyError, match="stems"):
        parse_drug_classes(data)
