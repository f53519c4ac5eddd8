from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import parse, statements
from materia.ingest import registry
from materia.types import Document


def _doc(text: str) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text")


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(s.topic, s.stance, s.span.of(text)) for s in statements.find(parse(_doc(text)))]


@pytest.mark.parametrize(("text", "topic", "stance"), [
    ("Take it with meals to avoid stomach upset.", "timing", "with food"),
    ("Best taken on an empty stomach.", "timing", "empty stomach"),
    ("Take it 30 minutes before meals.", "timing", "empty stomach"),
    ("Long-term safety appears good in healthy adults.", "long_term_safety", "safe"),
    ("The long-term effects are not fully understood.", "long_term_safety", "unknown"),
    ("It is not considered safe for long-term use.", "long_term_safety", "unsafe"),
    ("Most people notice benefits within a few weeks.", "onset", "within a few weeks"),
    ("Benefits usually take longer, often 2–8 weeks of use.", "onset", "2–8 weeks"),
    ("Store it in a cool, dry place.", "storage", "cool dry place"),
    ("Keep the bottle refrigerated after opening.", "storage", "refrigerated"),
    ("The powder should be dissolved in water or juice.", "preparation", "dissolved in liquid"),
])
def test_statements_topic_and_stance(text: str, topic: str, stance: str) -> None:
    assert (topic, stance, text) in _found(text)


def test_statements_question_takes_no_position() -> None:
    assert _found("Can I take it on an empty stomach?") == []


def test_statements_answer_after_question_in_one_sentence() -> None:
    text = "**Q: Can I take it on an empty stomach?** A: It's best to take it with food."
    assert _found(text) == [("timing", "with food", "It's best to take it with food.")]


def test_statements_first_clause_is_the_main_position() -> None:
    text = "Often taken on an empty stomach, but may be better tolerated with food by some."
    assert _found(text) == [("timing", "empty stomach", text)]


def test_statements_seed_timing_positions_disagree(seeds: dict[str, object]) -> None:
    def timing(key: str) -> set[str]:
        parsed = parse(registry.read_path(seeds[key]))  # type: ignore[arg-type]
        return {s.stance for s in statements.find(parsed) if s.topic == "timing"}
    assert timing("000") == {"with food"} and timing("004") == {"empty stomach"}


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_statements_never_raise_and_spans_index_text(text: str) -> None:
    for s in statements.find(parse(_doc(text))):
        assert 0 <= s.span.start < s.span.end <= len(text)


@pytest.mark.parametrize("text", [
    "In the rat study, the no observed adverse effect dose was 30 mg/kg/day given for 36 days.",  # given for
    "The time course of effect was examined, showing an effect for up to 4 hours.",  # how long it lasted
    "There was no evidence of an effect of azithromycin (500 mg daily for 3 days) on exposure.",
])
def test_statements_a_time_something_was_given_for_or_lasted_is_no_onset(text: str) -> None:
    assert [f for f in _found(text) if f[0] == "onset"] == []
