"""Drug, class and food mentions: the two sides an interaction can have."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.errors import VocabularyError
from materia.extract.drug_mentions import (
    _CAPITALS,
    _CLASS_GRAMMAR,
    _class_phrases,
    _written_lower,
    default_recogniser,
    read_gazetteer,
)


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(m.name, m.kind, text[m.span.start:m.span.end]) for m in default_recogniser().find(text)]


def test_drug_mentions_trailing_comma_still_matches_the_food() -> None:
    assert ("alcohol", "food", "alcohol") in _found("Avoid alcohol, sedatives and opioids.")


def test_drug_mentions_water_is_no_partner() -> None:
    """The drug dictionary lists water; beside an interaction it is first aid or how to take a dose."""
    found = _found("If irritation of eyes occurs, flush the eyes with water. Avoid use with warfarin.")
    assert [n for n, _, _ in found] == ["warfarin"]


def test_drug_mentions_abbreviation_in_brackets_names_its_mention_here_and_later() -> None:
    text = "Methotrexate (MTX) and abatacept. MTX lowered its clearance."
    assert [n for n, _, _ in _found(text)] == ["methotrexate", "methotrexate", "abatacept", "methotrexate"]


def test_drug_mentions_class_and_its_abbreviation_are_one_class() -> None:
    names = {n for n, _, _ in _found("Do not use with monoamine oxidase inhibitors (MAOIs).")}
    assert names == {"MAO inhibitors"}


def test_drug_mentions_abbreviation_of_words_is_no_drug_anywhere() -> None:
    text = "Other pulmonary arterial hypertension (PAH) treatments. PAH patients took sildenafil."
    assert [n for n, _, _ in _found(text)] == ["sildenafil"]


@pytest.mark.parametrize("text", ["LDL receptors on the cell surface", "formation of autoantibodies",
                                  "levels of cytokines", "phosphodiesterase type 5", "serum prolactin",
                                  "activates guanylate cyclase"])
def test_drug_mentions_receptors_antibodies_enzymes_hormones_are_no_partners(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(("text", "name"), [("TNF-blocking agents", "TNF blockers"),
                                            ("antipsychotic drugs", "antipsychotics"),
                                            ("anticholinergic drugs", "anticholinergics"),
                                            ("anticholinergics", "anticholinergics"),
                                            ("live vaccines", "live vaccines")])
def test_drug_mentions_new_classes_fold_to_one_name(text: str, name: str) -> None:
    assert _found(text) == [(name, "class", text)]


def test_drug_mentions_gazetteer_rejects_bad_rows() -> None:
    assert read_gazetteer("# comment\nwarfarin\tsubstance\twarfarin\n") == [("warfarin", "substance", "warfarin")]
    with pytest.raises(VocabularyError):
        read_gazetteer("warfarin\tdrug\twarfarin\n")


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_drug_mentions_never_raise_and_spans_index_text(text: str) -> None:
    last = 0
    for m in default_recogniser().find(text):
        assert last <= m.span.start < m.span.end <= len(text)
        last = m.span.end


@pytest.mark.parametrize("text, kept", [
    ("Cimetidine inhibits CYP3A4 and raises amiodarone levels.", ["Cimetidine", "amiodarone"]),
    ("Lapatinib inhibits human P-glycoprotein.", ["Lapatinib"]),
    # the enzyme inside a class is still the class
    ("Avoid strong CYP3A4 inhibitors.", ["strong CYP3A4 inhibitors"]),
])
def test_drug_mentions_an_enzyme_alone_is_no_partner(text: str, kept: list[str]) -> None:
    assert [surface for _, _, surface in _found(text)] == kept


@pytest.mark.parametrize("text, kept", [
    ("Quinolones enhance the anticoagulant effects of warfarin.", ["Quinolones", "warfarin"]),
    ("INDOCIN can reduce the diuretic, natriuretic, and antihypertensive effects of loop diuretics.",
     ["INDOCIN", "loop diuretics"]),
    # the class as a product stays: "effects" is not what follows it
    ("Anticoagulants may increase the effects of aspirin.", ["Anticoagulants", "aspirin"]),
])
def test_drug_mentions_class_word_naming_an_effect_is_no_partner(text: str, kept: list[str]) -> None:
    assert [surface for _, _, surface in _found(text)] == kept


def test_drug_mentions_molecule_the_body_handles_is_no_partner() -> None:
    text = "Ouabain potentiated norepinephrine release; corticosteroids inhibit calcium absorption."
    assert [surface for _, _, surface in _found(text)] == ["Ouabain", "corticosteroids"]


@pytest.mark.parametrize("text, kept", [
    ("Simvastatin (CYP3A4 substrate) in combination with amiodarone.", ["Simvastatin", "amiodarone"]),
    ("Use with caution with propranolol, a CYP3A4 inhibitor, or verapamil.", ["propranolol", "verapamil"]),
    # a class that lists its examples stays
    ("Avoid CYP3A4 inhibitors (e.g., ketoconazole).", ["CYP3A4 inhibitors", "ketoconazole"]),
])
def test_drug_mentions_class_describing_the_drug_before_it_is_no_partner(text: str, kept: list[str]) -> None:
    assert [surface for _, _, surface in _found(text)] == kept


def test_drug_mentions_own_brand_in_capitals_is_the_subject() -> None:
    text = ("ZELVORAN is potentiated by isoflurane. Use ZELVORAN with caution with lithium. "
            "The ED50 of ZELVORAN fell. WARNINGS apply. See WARNINGS and WARNINGS again. LIPITOR LIPITOR LIPITOR.")
    brand = default_recogniser().own_brand(text, "doxacurium")
    assert {text[m.span.start:m.span.end] for m in brand} == {"ZELVORAN"}  # not a heading word, not a known brand
    assert {m.name for m in brand} == {"doxacurium"} and len(brand) == 3


def test_drug_mentions_capitals_written_in_lower_case_too_are_no_brand() -> None:
    text = "CAUTION is advised. Use caution. CAUTION again, CAUTION."
    assert default_recogniser().own_brand(text, "doxacurium") == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["zelvo", "zelvos", "ZELVO", "xzelvo", "nurom", " ", "-", "_", "é", "1", ".", "\n"])))
def test_drug_mentions_written_lower_means_a_whole_lower_case_word(pieces: list[str]) -> None:
    text = "".join(pieces)
    words = {"zelvo", "nurom", "zelvos"}
    assert _written_lower(text, words) == words & {m.group() for m in re.finditer(r"\b[a-z]{5,}\b", text)}


def test_drug_mentions_class_grammar_reads_any_case() -> None:
    text = "Avoid strong or moderate inhibitors of cytochrome P450 3A4, P-gp inducers and UGT1A1 inhibitors."
    classes = [[(m.span, m.name) for m in default_recogniser().find(t) if m.kind == "class"]
               for t in (text, text.upper(), text.lower())]
    assert len(classes[0]) == 3 and classes[0] == classes[1] == classes[2]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ABCDE", "FGHI", "Éb", "a", "1", "_", ":", "-", " ", "\n", "."])))
def test_drug_mentions_capitals_are_whole_words_in_capitals(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = re.finditer(r"\b[A-Z]{5,}\b(?![:\w-])", text)
    assert [m.span() for m in _CAPITALS.finditer(text)] == [m.span() for m in expected]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["strong", "Moderate", " or ", ", ", "/", "CYP3A4", "cyp 2c9", "P-gp", "ſtrong", "İ",
                                 " inhibitors", " Inducer", "substrates", " of ", "the ", "enzymes", "x", "-", ".", ";",
                                 "(", "\n", "1", "é", " "])))
def test_drug_mentions_class_phrases_are_the_grammar_searched_over_the_whole_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [m.span() for m in _class_phrases(text)] == [m.span() for m in _CLASS_GRAMMAR.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["atorva", "statin", "pril", "olol", "vir", "mab", "azole", "xx", "-", "_", " ", "é",
                                 "1", ".", ",", "(", "\n"])))
def test_drug_mentions_names_with_endings_are_the_pattern_searched_over_the_whole_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    recogniser = default_recogniser()
    assert [m.span() for m in recogniser._ended(text)] == [m.span() for m in recogniser._ending.finditer(text)]


def test_drug_mentions_what_stimulates_an_enzyme_is_a_class_the_enzyme_no_partner() -> None:
    assert [(n, k) for n, k, _ in _found("medicines called guanylate cyclase stimulators")] == [
        ("guanylate cyclase stimulators", "class")]
