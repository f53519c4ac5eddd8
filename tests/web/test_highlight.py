from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from materia.web.highlight import Mark, anchor_id, tokens


def _render(toks: list) -> str:  # type: ignore[type-arg]
    return "".join(t.text for t in toks if t.kind == "text")


def test_highlight_nested_marks_keep_text_and_ids() -> None:
    text = "Take 5 g a day with food. Then rest."
    toks = tokens(text, [Mark(0, 25, "sentence"), Mark(5, 14, "dose", "5 g")])
    assert _render(toks) == text
    assert [t.anchor for t in toks if t.kind == "open"] == [anchor_id(0, 25), anchor_id(5, 14)]


def test_highlight_overlap_is_clipped_and_duplicates_share_one_id() -> None:
    text = "abcdefghij"
    toks = tokens(text, [Mark(0, 5, "a"), Mark(3, 8, "b"), Mark(0, 5, "c")])
    opens = [t for t in toks if t.kind == "open"]
    assert sum(1 for t in opens if t.anchor == "span-0-5") == 1
    assert all(t.mark is not None and t.mark.end <= 5 for t in opens)
    assert _render(toks) == text


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(-5, 220), st.integers(-5, 220), st.sampled_from("xyz"))))
def test_highlight_tokens_cover_text_and_balance(text: str, raw: list[tuple[int, int, str]]) -> None:
    marks = [Mark(min(a, b), max(a, b), c) for a, b, c in raw if min(a, b) >= 0]
    toks = tokens(text, marks)
    assert _render(toks) == text
    depth = 0
    for t in toks:
        depth += {"open": 1, "close": -1, "text": 0}[t.kind]
        assert depth >= 0
    assert depth == 0


def test_highlight_snippet_parts_mark_only_query_words() -> None:
    from materia.web.views import snippet_parts

    parts = snippet_parts("see [1] for [Nausea], bloating", "nausea")
    assert parts == [("see [1] for ", False), ("Nausea", True), (", bloating", False)]
    assert snippet_parts("", "x") == []
