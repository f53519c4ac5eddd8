from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import parse, precautions
from materia.ingest import registry
from materia.types import Document, Section, Span

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "precautions"


def _doc(text: str, sections: tuple[Section, ...] = ()) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text", sections=sections)


def _names(text: str, sections: tuple[Section, ...] = ()) -> list[str]:
    return [p.name for p in precautions.find(parse(_doc(text, sections)))]


def test_precautions_clinician_sentence_lists_conditions() -> None:
    text = ("Talk with your clinician before using it if you have liver or kidney disease, active cancer, "
            "seizures, pregnancy, or are on prescription medications.")
    assert _names(text) == ["liver disease", "kidney disease", "cancer", "seizures", "pregnancy", "drug interactions"]


def test_precautions_coordinated_disease_span_starts_at_first_organ() -> None:
    text = "Use with caution in people with liver or kidney disease."
    found = precautions.find(parse(_doc(text)))
    assert found[0].name == "liver disease" and found[0].span.of(text) == "liver or kidney disease"


def test_precautions_heading_makes_list_items_cautions() -> None:
    text = "Who Should Be Extra Cautious\n\n• People with bipolar disorder.\n• Breastfeeding women.\n"
    assert _names(text) == ["bipolar disorder", "breastfeeding"]


def test_precautions_section_type_counts() -> None:
    text = "Notes\nChildren and those with allergies."
    section = Section(title="Notes", type="precautions", span=Span(0, len(text)), body=Span(6, len(text)))
    assert _names(text, (section,)) == ["children", "allergy"]


def test_precautions_red_flag_and_plain_sentences_are_not_precautions() -> None:
    assert _names("Stop taking it if you develop seizures or chest pain.") == []
    assert _names("It is studied in children with kidney disease.") == []


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_precautions_golden(case: str, assert_golden) -> None:
    parsed = parse(registry.read_path(GOLDEN / f"{case}.txt"))
    got = [{"name": p.name, "span": p.span.as_list(), "text": p.span.of(parsed.text)}
           for p in precautions.find(parsed)]
    assert_golden(GOLDEN / f"{case}.json", got)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_precautions_never_raise_and_spans_index_text(text: str) -> None:
    for p in precautions.find(parse(_doc(text))):
        assert 0 <= p.span.start < p.span.end <= len(text)
        assert p.sentence is None or p.sentence.contains(p.span)


# precautions search names by one dictionary scan and coordinations only near their head word: the same as the
# plain patterns would find
_PRECAUTION_PIECES = ["liver", "kidney", "heart", " disease", " diseases", " disorder", " disorders", " problems",
                      " impairment", " failure", " or ", " and ", " / ", " ", "-", "pregnancy", "seizures", "cancer",
                      "bipolar", "x", "é", ",", "(", "\n", "s"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PRECAUTION_PIECES), max_size=20))
def test_precautions_fast_searches_find_what_the_plain_patterns_find(pieces: list[str]) -> None:
    import re

    from materia.lexicons.cues import alternation, precaution_lexicon

    low = "".join(pieces)
    concepts, _ = precaution_lexicon()
    plain = re.compile(r"(?<!\w)(?:" + alternation(concepts) + r")(?!\w)")  # the longest name first
    assert [(s, e) for s, e, _ in precautions._names(low)] == [m.span() for m in plain.finditer(low)]
    assert [m.span() for m in precautions._coordinated(low)] == [m.span() for m in
                                                                 precautions._COORDINATED.finditer(low)]
