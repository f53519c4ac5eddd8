"""Full-text search in the store: statements and documents matching every term, snippets for a page,
source counts, and the time limit (a QueryBudget) that stops a query mid-way, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
import time

import pytest

from materia.errors import QueryTimeoutError
from materia.store import QueryBudget
from materia.types import Document, Effect, Extraction, Post, Span

TEXT = "Zinc may cause headaches. It may cause nausea. Take it with food. I took it and got headaches."


def _zinc(source: str, text: str = TEXT, substance: str = "zinc") -> Extraction:
    doc = Document(source=source, sha256=source, text=text, kind="article", format="text", title=f"Zinc {source}")
    return Extraction(document=doc, substance=substance,
                      effects=(Effect("headache", Span(15, 24), sentence=Span(0, 25)),
                               Effect("nausea", Span(39, 45), sentence=Span(26, 46))),
                      posts=(Post(Span(66, 94)),))


class StepClock:
    """A clock that jumps an hour after `calls` readings: the budget runs out in the middle of a query."""

    def __init__(self, calls: int) -> None:
        self.calls = calls

    def __call__(self) -> float:
        self.calls -= 1
        return 0.0 if self.calls >= 0 else 3600.0


def test_store_search_statements_stemmed_and_without_posts(store) -> None:
    store.put(_zinc("/kb/a.md"))
    store.put(_zinc("/kb/b.md"))
    store.put(_zinc("/kb/c.md", substance="iron"))
    found = store.match_statements(["headache"], 10)  # stemmed: the sentence says "headaches"
    assert sorted((m.substance, m.category, m.name) for m in found) == [
        ("iron", "effect", "headache"), ("zinc", "effect", "headache"), ("zinc", "effect", "headache")]
    assert store.match_statements(["took"], 10) == []  # only the post says it: posts are documents' business
    assert len(store.match_documents(["took"], 10)) == 3
    assert store.count_matches(["headaches"]) == (3, 3)
    assert store.count_matches(["headache", "food"]) == (0, 3)  # every term, in one statement


def test_store_search_snippets_and_sources_for_one_page(store) -> None:
    store.put(_zinc("/kb/a.md"))
    store.put(_zinc("/kb/b.md"))
    store.put(_zinc("/kb/copy.md"))  # the same text again: one source, two locations
    store.put(_zinc("/kb/other.md", TEXT + " More."))
    [first, *_] = store.match_statements(["nausea"], 10)
    [doc, *_] = store.match_documents(["nausea"], 10)
    statements, documents = store.snippets(["nausea"], [first.item_id], [doc.document_id])
    assert statements[first.item_id].span == (26, 46)  # the sentence saying it: where a link leads
    assert "[nausea]" in statements[first.item_id].text and "[nausea]" in documents[doc.document_id].text
    key = ("zinc", "effect", "nausea", None)
    rash = ("zinc", "effect", "rash", None)
    assert store.statement_sources([key, rash]) == {key: 2, rash: 0}


def test_store_search_spent_or_cancelled_budget_stops_before_querying(store) -> None:
    store.put(_zinc("/kb/a.md"))
    with pytest.raises(QueryTimeoutError, match="longer than 0 s"):
        store.match_statements(["headache"], 10, QueryBudget(0))
    budget = QueryBudget(60)
    budget.cancel()
    with pytest.raises(QueryTimeoutError, match="stopped"):
        store.count_matches(["headache"], budget)


def _slow(dialect: str) -> str:
    """A statement that runs for minutes unless stopped."""
    if dialect == "sqlite":
        return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    return "SELECT pg_sleep(120)"


def test_store_search_budget_stops_a_running_query(store) -> None:
    """The time runs out mid-query: SQLite's progress handler aborts it, PostgreSQL's statement_timeout."""
    budget = QueryBudget(0.2) if store.dialect == "postgresql" else QueryBudget(1, clock=StepClock(3))
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="longer than"), store.reading() as conn, \
            budget.limiting(conn):
        conn.rows(_slow(store.dialect))
    assert time.monotonic() - started < 30
    assert store.match_statements(["headache"], 10) == []  # the connection went back to the pool usable


def test_store_search_cancel_from_another_thread_stops_the_query(store) -> None:
    """What the web site does when the client leaves: cancel() stops the query at once."""
    budget = QueryBudget(120)
    timer = threading.Timer(0.3, budget.cancel)
    timer.start()
    try:
        with pytest.raises(QueryTimeoutError, match="stopped"), store.reading() as conn, \
                budget.limiting(conn):
            conn.rows(_slow(store.dialect))
    finally:
        timer.cancel()
