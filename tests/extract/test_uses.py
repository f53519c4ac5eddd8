from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from materia.extract import parse, references, uses
from materia.ingest import registry
from materia.types import Document, Reference, Span, Use

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "uses"


def _doc(text: str) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text")


def _find(text: str, refs: tuple[Reference, ...] = ()) -> dict[str, Use]:
    return {u.name: u for u in uses.find(parse(_doc(text)), refs)}


def test_uses_lay_name_in_use_context_is_canonical() -> None:
    found = _find("Many people take it for leaky gut and to support immune function.")
    assert set(found) == {"intestinal permeability", "immune function"}
    assert found["intestinal permeability"].stance == "benefit"


def test_uses_disease_ontology_name_is_found() -> None:
    found = _find("It is used to treat irritable bowel syndrome and short bowel syndrome.")
    assert {"irritable bowel syndrome", "short bowel syndrome"} <= set(found)


def test_uses_proper_name_keeps_capital() -> None:
    found = _find("Some trials in Crohn’s disease show little or no benefit.")
    assert found["Crohn's disease"].stance == "no_benefit"
    assert found["Crohn's disease"].evidence == "clinical"


def test_uses_side_effect_mention_is_not_a_use() -> None:
    text = "Side Effects\n\n• Digestive upset: diarrhea, nausea and constipation.\n"
    assert "diarrhea" not in _find(text)


def test_uses_caution_sentence_is_not_a_use() -> None:
    assert _find("Talk with your doctor if you have kidney disease or diabetes mellitus.") == {}


def test_uses_mixed_and_unclear_stance() -> None:
    assert _find("It can improve glycemic control, though results are mixed.")["blood sugar control"].stance == "mixed"
    text = ("One study compared it with placebo as a treatment for leaky gut. "
            "However, this result was not statistically significant.")
    use = _find(text)["intestinal permeability"]
    assert (use.stance, use.evidence) == ("unclear", "rct")
    assert use.sentence is not None and use.sentence.of(text).endswith("significant.")


def test_uses_evidence_kinds_from_the_sentence() -> None:
    assert _find("A meta-analysis found it can reduce intestinal permeability.")[
        "intestinal permeability"].evidence == "meta_analysis"
    assert _find("A test tube study found it can reduce HIV replication.")["HIV infection"].evidence == "in_vitro"
    assert _find("Users report it helps with sugar cravings.")["sugar cravings"].evidence == "anecdote"


def test_uses_evidence_inherited_from_cited_reference_title() -> None:
    text = "It can also improve diarrhoea in adults.5\n\n5. Bushen OY. A randomized controlled trial. J 1: 1-2, 2004"
    ref = Reference(n=5, span=Span(42, len(text)), title="A randomized controlled trial")
    use = _find(text, (ref,))["diarrhea"]
    assert (use.refs, use.evidence) == ((5,), "rct")


def test_uses_bracket_citations_are_refs() -> None:
    assert _find("It may help reduce muscle wasting [2, 3].")["muscle wasting"].refs == (2, 3)


def test_uses_list_items_under_a_lead_in() -> None:
    text = "People take it for a wide range of issues:\n\n• Mental: Sugar cravings and brain fog.\n"
    assert {"sugar cravings", "brain fog"} <= set(_find(text))


def test_uses_question_is_not_a_use() -> None:
    assert _find("Is it a cure for IBD or leaky gut?") == {}


def test_uses_community_post_reports_improvement() -> None:
    text = ("Posted by Ann on 01/02/2020\n\nMy dad has diverticulosis and muscle loss. "
            "At 3 grams daily both have greatly improved.\n")
    found = _find(text)
    assert found["diverticulosis"].evidence == "anecdote" and found["muscle loss"].stance == "benefit"


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_uses_golden(case: str, assert_golden) -> None:
    parsed = parse(registry.read_path(GOLDEN / f"{case}.txt"))
    found = uses.find(parsed, tuple(references.find(parsed)))
    got = [{"name": u.name, "stance": u.stance, "evidence": u.evidence, "refs": list(u.refs),
            "span": u.span.as_list(), "text": u.span.of(parsed.text)} for u in found]
    assert_golden(GOLDEN / f"{case}.json", got)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_uses_never_raise_and_spans_index_text(text: str) -> None:
    for use in uses.find(parse(_doc(text)), ()):
        assert 0 <= use.span.start < use.span.end <= len(text)
        assert use.sentence is None or use.sentence.contains(use.span)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["leaky gut", "used for", "IBS", "?", "\n\n", "• ", ":", "[2]", ".3 ",
                                 "not statistically significant", "İ", "Posted by x", " "]), max_size=30))
def test_uses_never_raise_on_cue_soup(parts: list[str]) -> None:
    text = "".join(parts)
    for use in uses.find(parse(_doc(text)), ()):
        assert use.span.of(text)
