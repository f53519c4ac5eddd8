from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from materia.extract.sentences import sentence_spans


def test_sentences_keep_citation_numbers_with_their_sentence():
    text = "Low levels are seen in HIV.1 Although it is not known. Two studies agree.2 3 There is more."
    got = [s.of(text) for s in sentence_spans(text)]
    assert got == ["Low levels are seen in HIV.1", "Although it is not known.", "Two studies agree.2 3",
                   "There is more."]


def test_sentences_do_not_split_after_abbreviations_or_list_numbers():
    text = "  1. Herzenberg LA et al. Glutathione deficiency, e.g. in HIV. Next one."
    got = [s.of(text) for s in sentence_spans(text)]
    assert got == ["1. Herzenberg LA et al. Glutathione deficiency, e.g. in HIV.", "Next one."]


def test_sentences_split_bullets_and_headings():
    text = "### Side Effects\nSome may occur:\n\n*   Headaches\n*   Fatigue\n"
    assert [s.of(text) for s in sentence_spans(text)] == [
        "### Side Effects", "Some may occur:", "*   Headaches", "*   Fatigue"]


@given(st.text())
def test_sentences_are_ordered_disjoint_and_inside_the_text(text):
    spans = sentence_spans(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert span.of(text).strip() == span.of(text)
        previous_end = span.end
