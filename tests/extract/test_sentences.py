from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract.sentences import _BOUNDARY, _boundaries, sentence_spans


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


# Sentence-like text: the characters _BOUNDARY looks at, in runs a boundary can be made of.
_PROSE = st.lists(st.sampled_from(["Dose", "e.g", "a", "1", "12", " ", "  ", "\t", "\n", "\n\n", ".", "!", "?", ":",
                                   "\"", "”", ")", "]", "[3]", "\\[1-2\\]", "¹²", "- ", "• ", "2) ", "(", "“"]),
                  max_size=30).map("".join)


@settings(max_examples=1000)
@given(_PROSE, st.integers(0, 40), st.integers(0, 40))
def test_sentences_boundaries_are_those_the_boundary_pattern_finds(text, start, length):
    """_boundaries tries the pattern only where a boundary can begin, and finds what finditer finds."""
    start = min(start, len(text))
    end = min(start + length, len(text))
    assert [(m.span(), m.group("keep")) for m in _boundaries(text, start, end)] == \
        [(m.span(), m.group("keep")) for m in _BOUNDARY.finditer(text, start, end)]
