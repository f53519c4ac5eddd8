from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from materia.categories import CATEGORIES, items
from materia.serialise import to_json
from materia.store.serialise import _offset_fields, records
from materia.types import Document, Effect, Extraction, Post, Span, Statement, Use


@st.composite
def extractions(draw) -> Extraction:
    text = draw(st.text(max_size=200))
    n = len(text)

    def span() -> Span:
        a = draw(st.integers(0, n))
        return Span(a, draw(st.integers(a, n)))

    doc = Document("x.txt", "0", text, "article", "text")
    return Extraction(
        doc, draw(st.one_of(st.none(), st.text(max_size=10))),
        effects=tuple(Effect(draw(st.text(max_size=12)), span(), sentence=span()) for _ in range(draw(st.integers(0, 3)))),
        uses=tuple(Use(draw(st.text(max_size=12)), span()) for _ in range(draw(st.integers(0, 3)))),
        posts=tuple(Post(span(), rating=draw(st.one_of(st.none(), st.integers(1, 5))))
                    for _ in range(draw(st.integers(0, 2)))),
        statements=tuple(Statement("timing", "with food", span()) for _ in range(draw(st.integers(0, 2)))),
    )


@given(extractions())
def test_serialise_records_index_the_text_and_are_json(x: Extraction) -> None:
    for r in records(x):
        assert 0 <= r.span.start <= r.span.end <= len(x.document.text)
        assert r.text in x.document.text
        assert r.key.startswith(r.category + "|")
        json.dumps(r.payload)


@given(extractions())
def test_serialise_records_write_the_plain_copy_of_each_item(x: Extraction) -> None:
    """The payload column and the digest, written straight from each item's fields, are the text of its plain copy
    (to_json) as the store wrote it before: stored rows and digests do not move."""
    plain = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    by_sorted_keys = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    made = records(x)
    found = [item for category in CATEGORIES for item in items(x, category)]
    assert len(made) == len(found)
    for r, item in zip(made, found, strict=True):
        payload = to_json(item)
        assert isinstance(payload, dict)
        assert r.payload_json == plain.encode(payload) and r.payload == payload
        meaningful = {k: v for k, v in payload.items() if k not in _offset_fields(type(item))}
        assert r.digest == hashlib.sha256(by_sorted_keys.encode(meaningful).encode("utf-8")).hexdigest()
