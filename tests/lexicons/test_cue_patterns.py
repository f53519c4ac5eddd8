"""lexicons/cues.py: helpers that build patterns from word lists."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from materia.lexicons.cues import alternation

_WORDS = st.lists(st.text(alphabet="ab -.", min_size=1, max_size=5), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(words=_WORDS, text=st.text(alphabet="ab -.x", max_size=40))
def test_cues_alternation_matches_as_the_list_longest_first(words: list[str], text: str) -> None:
    listed = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    for around in ("{}", r"(?<!\w)(?:{})(?!\w)", r"\b(?:{})\b"):
        expected = [m.span() for m in re.finditer(around.format(listed), text)]
        assert [m.span() for m in re.finditer(around.format(alternation(words)), text)] == expected


def test_cues_alternation_prefers_the_longer_word() -> None:
    assert re.match(alternation(["kidney", "kidney disease"]), "kidney disease").group() == "kidney disease"
    assert re.match(alternation(["kidney", "kidney disease"]) + r"\b", "kidney diseased").group() == "kidney"
