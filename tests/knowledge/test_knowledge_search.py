"""Search: terms cut to what is worth searching, matches merged and grouped by substance, names (brands
too) first, and a time limit that gives a partial answer rather than a stall."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from materia.knowledge import KnowledgeBase
from materia.knowledge.search import MAX_TERMS, merge_documents, merge_statements, search_terms
from materia.store import DocumentMatch, QueryBudget, StatementMatch
from materia.types import Document, Effect, Extraction, Span

TEXT = "Zinc may cause headaches. It may cause nausea."


def _doc(source: str, substance: str, text: str = TEXT, title: str | None = None) -> Extraction:
    doc = Document(source=source, sha256=source, text=text, kind="article", format="text",
                   title=title or substance.title())
    return Extraction(document=doc, substance=substance,
                      effects=(Effect("headache", Span(15, 24), sentence=Span(0, 25)),
                               Effect("nausea", Span(39, 45), sentence=Span(26, 46))))


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    from materia.store import connect

    store = connect(str(tmp_path / "kb.sqlite"))
    for n in range(8):  # eight sources say zinc causes headaches: one hit, eight sources
        store.put(_doc(f"/kb/zinc-{n}.md", "zinc", TEXT + f" Source {n}."))
    store.put(_doc("/kb/iron.md", "iron"))
    store.put(_doc("/kb/lipitor.xml", "atorvastatin", title="Lipitor (atorvastatin calcium) tablets"))
    with KnowledgeBase(store) as kb:
        kb.refresh_summaries()
        yield kb


@pytest.mark.parametrize(("query", "words", "common", "beyond"), [
    ("Headache headache HEADACHE", ("headache",), (), ()),
    ("the the", (), ("the",), ()),
    ("a a a a a a a a", (), ("a",), ()),
    ("what is the usual dose of calcium", ("usual", "dose", "calcium"), ("what", "is", "the", "of"), ()),
    (" ".join(f"w{n}" for n in range(12)), tuple(f"w{n}" for n in range(MAX_TERMS)), (),
     tuple(f"w{n}" for n in range(MAX_TERMS, 12))),
    ('"; DROP TABLE items; --', ("drop", "table", "items"), (), ()),
])
def test_search_terms_collapse_repeats_drop_common_words(query: str, words: tuple[str, ...],
                                                         common: tuple[str, ...], beyond: tuple[str, ...]) -> None:
    terms = search_terms(query)
    assert (terms.words, terms.common, terms.beyond) == (words, common, beyond)


def test_search_merge_one_hit_per_statement_grouped_by_substance() -> None:
    def m(n: int, substance: str, name: str, stance: str | None = None) -> StatementMatch:
        return StatementMatch(n, n, substance, "effect", name, stance, float(n))

    merged = merge_statements([m(1, "zinc", "headache"), m(2, "iron", "headache"), m(3, "zinc", "nausea"),
                               m(4, "zinc", "headache"), m(5, "iron", "rash"), m(6, "zinc", "headache", "negated")])
    assert [(s.key[0], s.key[2], s.key[3], s.best.item_id, s.n_matches) for s in merged] == [
        ("zinc", "headache", None, 1, 2), ("zinc", "nausea", None, 3, 1), ("zinc", "headache", "negated", 6, 1),
        ("iron", "headache", None, 2, 1), ("iron", "rash", None, 5, 1)]
    docs = merge_documents([DocumentMatch(1, "zinc", "Zinc", "text:a", 0.0), DocumentMatch(2, "iron", "Iron", None, 1),
                            DocumentMatch(3, "zinc", "Zinc copy", "text:a", 2.0)])
    assert [(d.document_id, copies) for d, copies in docs] == [(1, 2), (2, 1)]


def test_search_merges_duplicates_and_links_the_sentence(kb: KnowledgeBase) -> None:
    results = kb.search("headaches")
    statements = [h for h in results.hits if h.kind == "statement"]
    assert sorted((h.substance, h.title, h.n_sources) for h in statements) == [
        ("atorvastatin", "effect: headache", 1), ("iron", "effect: headache", 1), ("zinc", "effect: headache", 8)]
    assert all(h.span == (0, 25) and "[headaches]" in h.snippet for h in statements)
    assert results.statements == 10 and results.documents == 10 and not results.partial
    for kind in ("statement", "document"):  # each substance's hits together
        order = [h.substance for h in results.hits if h.kind == kind]
        assert order == sorted(order, key=order.index)
    documents = [h for h in results.hits if h.kind == "document"]
    assert [h.n_sources for h in documents if h.substance == "zinc"] == [1] * 8  # eight texts: eight sources


def test_search_names_first_brands_included(kb: KnowledgeBase) -> None:
    assert [(h.kind, h.substance) for h in kb.search("Lipitor").hits[:1]] == [("substance", "atorvastatin")]
    first = kb.search("zinc").hits[0]
    assert (first.kind, first.substance, first.n_sources) == ("substance", "zinc", 8)


def test_search_only_common_words_searches_nothing(kb: KnowledgeBase) -> None:
    results = kb.search("the the the the the the the the")
    assert results.hits == () and results.terms == () and "left out common word: the" in results.note
    assert kb.search("a a a a a a a a").hits == ()


def test_search_past_its_time_limit_is_a_partial_answer(kb: KnowledgeBase) -> None:
    spent = kb.search("zinc headaches", budget=QueryBudget(0))
    assert spent.partial and "longer than 0 s" in spent.note
    assert [h.kind for h in spent.hits] == ["substance"]  # names need no full-text query
    cancelled = QueryBudget(60)
    cancelled.cancel()
    assert "stopped" in kb.search("headaches", budget=cancelled).note


def test_search_pages(kb: KnowledgeBase) -> None:
    whole = kb.search("headaches nausea", limit=50)
    assert len(whole.hits) > 2 and not whole.more
    first, second = kb.search("headaches nausea", limit=2), kb.search("headaches nausea", limit=2, offset=2)
    assert first.more and first.hits + second.hits == whole.hits[:4]


def test_search_work_is_bounded_for_common_words(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Matches are ranked among the first RANKED and counted up to COUNTED, and the answer says so."""
    monkeypatch.setattr("materia.store.search.RANKED", 3)
    monkeypatch.setattr("materia.store.search.COUNTED", 4)
    monkeypatch.setattr("materia.knowledge.base.COUNTED", 4)
    assert len(kb.store.match_statements(["headaches"], 50)) == 3
    results = kb.search("headaches")
    assert (results.statements, results.documents, results.counted_all) == (4, 4, False)
