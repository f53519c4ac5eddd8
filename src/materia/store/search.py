"""Full-text search in the store: statements and documents matching every term, with a time limit.

SQLite searches the FTS5 tables (Porter-stemmed; items_fts holds no posts or references), PostgreSQL
the stored `search_vector` columns through their GIN indexes (english configuration). Terms come in
already cleaned (knowledge/search.py: words only, repeats collapsed, stop words gone, at most eight),
so no query syntax reaches the database. Ranks are "lower is better" on both.

Snippets cost the most (the text is re-read and re-tokenised), so they are made only for the rows a
page shows. The work of one query is bounded: matches are ranked among the first RANKED and counted
up to COUNTED, so a word found in every other statement costs no more than a rarer one.

Every query runs under a `QueryBudget`: SQLite through a progress handler that aborts the statement
when the time is up or the budget is cancelled, PostgreSQL through `SET LOCAL statement_timeout` and a
cancel request sent from the cancelling thread. Either way the query stops and QueryTimeoutError says why.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from materia.errors import QueryTimeoutError
from materia.store.rows import DocumentMatch, Snippet, StatementMatch
from materia.store.sql import Connection, in_list

# items_fts and the PostgreSQL partial index hold statements only: posts and references are documents' business
UNSEARCHED = ("post", "reference")
SNIPPET_WORDS = 16
# A common word matches tens of thousands of statements; ranking or counting them all would read every
# one. Matches are ranked among the first RANKED (in storage order) and counted up to COUNTED.
RANKED = 5000
COUNTED = 10_000
_HEADLINE = "StartSel=[, StopSel=], MaxWords=24, MinWords=8, ShortWord=2"
_PROGRESS_STEPS = 2000  # SQLite virtual-machine steps between two looks at the clock (well under a millisecond)


class QueryBudget:
    """How long the queries of one request may take, and a way to stop them early (the client left, the
    server is stopping). Thread-safe: `cancel()` may be called from any thread."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._deadline = clock() + seconds
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._on_cancel: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def remaining(self) -> float:
        """Seconds left (0 once cancelled)."""
        return 0.0 if self.cancelled else max(0.0, self._deadline - self._clock())

    def spent(self) -> bool:
        return self.remaining() <= 0.0

    def cancel(self) -> None:
        """Stop the running query and refuse the next ones."""
        with self._lock:
            self._cancelled.set()
            hooks = list(self._on_cancel)
        for hook in hooks:
            hook()

    def check(self) -> None:
        """QueryTimeoutError if no time is left."""
        if self.spent():
            raise QueryTimeoutError(self._why())

    def _why(self) -> str:
        return "the search was stopped" if self.cancelled else f"the search took longer than {self.seconds:g} s"

    @contextmanager
    def limiting(self, conn: Connection) -> Iterator[None]:
        """Run the statements of `conn`'s transaction within the budget."""
        self.check()
        raw: Any = conn.driver
        if conn.dialect == "sqlite":
            raw.set_progress_handler(lambda: 1 if self.spent() else 0, _PROGRESS_STEPS)
            try:
                yield
            except Exception as exc:  # the driver's "interrupted" (wrapped by SQLAlchemy, or not)
                if self.spent():
                    raise QueryTimeoutError(self._why()) from exc
                raise
            finally:
                raw.set_progress_handler(None, 0)
            return
        if conn.dialect != "postgresql":
            yield
            return
        conn.execute(f"SET LOCAL statement_timeout = {max(1, int(self.remaining() * 1000))}")
        hook = _pg_cancel(raw)
        with self._lock:
            self._on_cancel.append(hook)
        try:
            self.check()  # cancelled between the two: the hook was not there to see it
            yield
        except Exception as exc:  # the driver's error, wrapped by SQLAlchemy
            if self.spent() or _pg_cancelled(exc):
                raise QueryTimeoutError(self._why()) from exc
            raise
        finally:
            with self._lock:
                self._on_cancel.remove(hook)


def _pg_cancel(raw: Any) -> Callable[[], None]:
    cancel = getattr(raw, "cancel_safe", None) or raw.cancel
    return lambda: cancel()


def _pg_cancelled(exc: Exception) -> bool:
    driver_error = getattr(exc, "orig", exc)
    return getattr(driver_error, "sqlstate", None) == "57014"  # query_canceled: statement_timeout or a cancel request


def prepare(conn: Connection) -> None:
    """Settings of a search transaction. PostgreSQL: for the first RANKED of a common word's matches the
    planner would read the table from its start (it expects to meet them sooner than it does); the GIN
    index finds them at once."""
    if conn.dialect == "postgresql":
        conn.execute("SET LOCAL enable_seqscan = off")


def _fts_query(terms: Sequence[str]) -> str:
    """Terms as an FTS5 query: each quoted (so no syntax leaks in), all required."""
    return " ".join('"' + t.replace('"', "") + '"' for t in terms)


def _ts_query(terms: Sequence[str]) -> str:
    """Terms for plainto_tsquery: every one required, stemmed by the english configuration."""
    return " ".join(terms)


def match_statements(conn: Connection, terms: Sequence[str], limit: int) -> list[StatementMatch]:
    """Up to `limit` statements holding every term in their name or text, best first (a name match weighs
    more than a text match), ranked among the first RANKED matches."""
    if conn.dialect == "sqlite":
        rows = conn.rows(
            "SELECT i.id, i.document_id, i.substance, i.category, i.name, i.stance, m.rank "
            "FROM (SELECT rowid, bm25(items_fts, 4.0, 1.0) AS rank FROM items_fts WHERE items_fts MATCH :q "
            "LIMIT :scan) AS m JOIN items i ON i.id = m.rowid ORDER BY m.rank, i.id LIMIT :n",
            {"q": _fts_query(terms), "scan": RANKED, "n": limit})
    else:  # search_vector is NULL for posts and references: no need to look at the category
        rows = conn.rows(
            "SELECT id, document_id, substance, category, name, stance, -ts_rank(search_vector, q) "
            "FROM (SELECT id, document_id, substance, category, name, stance, search_vector FROM items "
            "WHERE search_vector @@ plainto_tsquery('english', :q) LIMIT :scan) AS m, "
            "plainto_tsquery('english', :q) AS q ORDER BY 7, id LIMIT :n",
            {"q": _ts_query(terms), "scan": RANKED, "n": limit})
    return [StatementMatch(int(i), int(d), s, c, n, st, float(r)) for i, d, s, c, n, st, r in rows]


def match_documents(conn: Connection, terms: Sequence[str], limit: int) -> list[DocumentMatch]:
    """Up to `limit` documents holding every term in their title or text, best first (title matches first),
    ranked among the first RANKED matches."""
    if conn.dialect == "sqlite":
        rows = conn.rows(
            "SELECT d.id, d.substance, d.title, d.content_key, m.rank "
            "FROM (SELECT rowid, bm25(documents_fts, 4.0, 1.0) AS rank FROM documents_fts "
            "WHERE documents_fts MATCH :q LIMIT :scan) AS m JOIN documents d ON d.id = m.rowid "
            "ORDER BY m.rank, d.id LIMIT :n", {"q": _fts_query(terms), "scan": RANKED, "n": limit})
    else:
        # ts_rank would read each matching document's whole vector: title matches first, then the rest by id.
        rows = conn.rows(
            "SELECT id, substance, title, content_key, "
            "CASE WHEN to_tsvector('english', coalesce(title, '')) @@ q THEN -1.0 ELSE 0.0 END "
            "FROM (SELECT id, substance, title, content_key FROM documents "
            "WHERE search_vector @@ plainto_tsquery('english', :q) LIMIT :scan) AS m, "
            "plainto_tsquery('english', :q) AS q ORDER BY 5, id LIMIT :n",
            {"q": _ts_query(terms), "scan": RANKED, "n": limit})
    return [DocumentMatch(int(i), s, t, k, float(r)) for i, s, t, k, r in rows]


def count_matches(conn: Connection, terms: Sequence[str]) -> tuple[int, int]:
    """How many (statements, documents) hold every term, each counted up to COUNTED (more: COUNTED + 1)."""
    if conn.dialect == "sqlite":
        q, match, tables = _fts_query(terms), "SELECT 1 FROM {0} WHERE {0} MATCH :q LIMIT :cap", ("items_fts",
                                                                                                    "documents_fts")
    else:
        q, tables = _ts_query(terms), ("items", "documents")
        match = "SELECT 1 FROM {0} WHERE search_vector @@ plainto_tsquery('english', :q) LIMIT :cap"
    statements, documents = (conn.rows(f"SELECT count(*) FROM ({match.format(table)}) AS m",
                                       {"q": q, "cap": COUNTED + 1})[0][0] for table in tables)
    return int(statements or 0), int(documents or 0)


def statement_snippets(conn: Connection, terms: Sequence[str], item_ids: Sequence[int]) -> dict[int, Snippet]:
    """For each statement: its text with the matched words bracketed, and the span of its evidence
    (the sentence saying it, else its own span) in its document's text."""
    if not item_ids:
        return {}
    ids, of_ids = in_list("id", item_ids)
    marked: dict[int, str]
    if conn.dialect == "sqlite":
        marked = dict(conn.rows(
            f"SELECT rowid, snippet(items_fts, 1, '[', ']', '…', {SNIPPET_WORDS}) FROM items_fts "
            f"WHERE items_fts MATCH :q AND rowid IN {ids}", {"q": _fts_query(terms)} | of_ids))
        sentence = "json_extract(payload, '$.sentence[0]'), json_extract(payload, '$.sentence[1]')"
    else:
        marked = dict(conn.rows(
            f"SELECT id, ts_headline('english', text, plainto_tsquery('english', :q), '{_HEADLINE}') FROM items "
            f"WHERE id IN {ids}", {"q": _ts_query(terms)} | of_ids))
        sentence = "(payload->'sentence'->>0)::int, (payload->'sentence'->>1)::int"
    out = {}
    for item_id, item_text, start, end, s0, s1 in conn.rows(
            f"SELECT id, text, span_start, span_end, {sentence} FROM items WHERE id IN {ids}", of_ids):
        span = (int(s0), int(s1)) if s0 is not None and s1 is not None else (int(start), int(end))
        out[int(item_id)] = Snippet(" ".join(str(marked.get(item_id) or item_text).split()), span)
    return out


def document_snippets(conn: Connection, terms: Sequence[str], document_ids: Sequence[int]) -> dict[int, Snippet]:
    """For each document: the words around the first match, bracketed. On PostgreSQL the headline is made
    from a window around where the first term occurs, not from the whole (possibly megabytes of) text."""
    if not document_ids:
        return {}
    ids, of_ids = in_list("id", document_ids)
    if conn.dialect == "sqlite":
        rows = conn.rows(
            f"SELECT rowid, snippet(documents_fts, 1, '[', ']', '…', {SNIPPET_WORDS}) FROM documents_fts "
            f"WHERE documents_fts MATCH :q AND rowid IN {ids}", {"q": _fts_query(terms)} | of_ids)
    else:
        rows = conn.rows(
            f"SELECT id, ts_headline('english', substr(text, greatest(1, strpos(lower(text), :first) - 400), 1600), "
            f"plainto_tsquery('english', :q), '{_HEADLINE}') FROM documents WHERE id IN {ids}",
            {"q": _ts_query(terms), "first": terms[0].lower()} | of_ids)
    return {int(i): Snippet(" ".join(str(s or "").split()), None) for i, s in rows}


StatementKey = tuple[str | None, str, str, str | None]  # substance, category, name, stance


def statement_sources(conn: Connection, keys: Sequence[StatementKey]) -> dict[StatementKey, int]:
    """How many sources (distinct contents, not copies) state each (substance, category, name, stance): one
    query for those of a substance, one for those of none, through the index of items by substance,
    category and name."""
    wanted = list(dict.fromkeys(keys))
    out: dict[StatementKey, int] = dict.fromkeys(wanted, 0)
    for of_none in (False, True):
        chosen = [(n, key) for n, key in enumerate(wanted) if (key[0] is None) == of_none]
        if not chosen:
            continue
        rows: list[str] = []
        params: dict[str, str | None] = {}
        for n, (substance, category, name, stance) in chosen:
            rows.append(f"SELECT {n} AS k, CAST(:s{n} AS VARCHAR) AS s, CAST(:c{n} AS VARCHAR) AS c, "
                        f"CAST(:n{n} AS TEXT) AS n, CAST(:st{n} AS VARCHAR) AS st")
            params |= {f"s{n}": substance, f"c{n}": category, f"n{n}": name, f"st{n}": stance}
        # Equal by the indexed prefix of the name and grouped by the whole name: an equality on the name
        # itself would keep SQLite from using the index, an OR on the substance PostgreSQL.
        same_substance = "i.substance IS NULL" if of_none else "i.substance = w.s"
        found = conn.rows(
            f"SELECT w.k, i.name, count(DISTINCT coalesce(d.content_key, 'document:' || d.id)) "
            f"FROM ({' UNION ALL '.join(rows)}) AS w JOIN items i ON {same_substance} AND i.category = w.c "
            "AND substr(i.name, 1, 200) = substr(w.n, 1, 200) AND (i.stance = w.st OR (i.stance IS NULL AND "
            "w.st IS NULL)) JOIN documents d ON d.id = i.document_id GROUP BY w.k, i.name", params)
        for k, name, count in found:
            if name == wanted[k][2]:
                out[wanted[k]] = int(count)
    return out
