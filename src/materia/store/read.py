"""Reader: every read of the knowledge base the knowledge layer makes, each query written once, as SQL text.

The reads run on a `Connection` (store/sql.py) that `reading()` opens: the `Store`'s SQLAlchemy engine (any
database), or, for an SQLite file, the standard library's sqlite3 (`SqliteReader`, which `open_reader` gives),
so a command that only reads (`materia show`) starts without importing SQLAlchemy. Writing is the Store's
alone: `writer()` is the store itself, or the one an SqliteReader opens the first time it must write (a
summary built by its first reader).
"""
from __future__ import annotations

import functools
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from materia.errors import NotFoundError, StoreError
from materia.store import search
from materia.store.rows import (
    DocumentInfo,
    DocumentMatch,
    HistoryEntry,
    Snippet,
    StatementMatch,
    StoredItem,
    SubstanceSummary,
)
from materia.store.search import QueryBudget, StatementKey
from materia.store.sql import Connection, Row, SqliteConnection, date_value, datetime_value, in_list, json_value
from materia.types import Span

if TYPE_CHECKING:
    from materia.store.db import Store

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
SEARCH_SECONDS = 2.0  # a search query's time limit when the caller sets none
# A document with more items than this is read for summaries and conflicts a sample at a time: the first
# ITEMS_PER_KEY items of each key (category|name|stance). Every item stays stored, and on its document's page.
HUGE_DOCUMENT_ITEMS, ITEMS_PER_KEY = 20_000, 5
# Any insert, update (ingested_at is reset) or delete of a document moves one of these.
_VERSION_SQL = ("SELECT (SELECT count(*) FROM documents), (SELECT max(id) FROM documents), "
                "(SELECT max(ingested_at) FROM documents), (SELECT max(id) FROM history)")
_INFO = ("d.id, d.source, d.kind, d.title, d.modified, d.substance, d.has_references, d.n_items, d.record, "
         "d.text_offset, d.content_key, d.ingested_at")
_ITEM = "i.id, i.category, i.substance, i.name, i.stance, i.evidence, i.text, i.span_start, i.span_end, i.payload"
# Items with their document's id, the documents' info read apart (_stored_items): a document's twelve columns on
# each of its items' rows (forty, in a monograph) made reading a substance's items half as dear again.
_ITEMS_SQL = f"SELECT {_ITEM}, i.document_id FROM items i JOIN documents d ON i.document_id = d.id WHERE "
_ITEMS_ORDER = " ORDER BY d.source, d.text_offset, d.id, i.span_start, i.id"
_CURRENT_SUMMARIES = ("SELECT s.substance, s.body FROM summaries s JOIN substance_generations g "
                      "ON g.substance = s.substance AND g.generation = s.generation "
                      "WHERE s.part = :part AND s.format = :format")


@functools.cache
def latest_revision() -> str:
    """The newest schema revision: migrations are numbered 0001, 0002, ... in one line of descent."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _info(values: Row) -> DocumentInfo:
    """A DocumentInfo from the values of _INFO, in that order."""
    doc_id, source, kind, title, modified, substance, has_references, n_items, record, offset, key, at = values
    return DocumentInfo(doc_id, source, kind, title, date_value(modified) if modified else None, substance,
                        bool(has_references), n_items, record or None, offset, key,
                        datetime_value(at).date() if at else None)


def _item(values: Row, info: DocumentInfo) -> StoredItem:
    """A StoredItem from the values of _ITEM, in that order."""
    item_id, category, substance, name, stance, evidence, text, start, end, payload = values
    return StoredItem(item_id, info, category, substance, name, stance, evidence, text, Span(start, end),
                      dict(json_value(payload) or {}))


def _key_item(item_key: str) -> dict[str, Any]:
    """What a history row made before 0004 knows of its item: category, name and stance."""
    category, _, rest = item_key.partition("|")
    name, _, stance = rest.rpartition("|")
    return {"category": category, "name": name, "stance": stance or None}


def generation(conn: Connection, substance: str) -> int:
    """The substance's current generation (0 if nothing was ever stored about it): how often the documents
    about it changed. A summary is built from one generation."""
    return generations(conn, [substance]).get(substance, 0)


def generations(conn: Connection, substances: Sequence[str]) -> dict[str, int]:
    """The current generation of each of `substances` ever stored about (a query per 500)."""
    found: dict[str, int] = {}
    for start in range(0, len(substances), 500):
        names, params = in_list("s", substances[start:start + 500])
        found.update((str(substance), int(n or 0)) for substance, n in conn.rows(
            f"SELECT substance, generation FROM substance_generations WHERE substance IN {names}", params))
    return found


def _items(conn: Connection, substance: str, categories: Iterable[str] | None = None,
           documents: Sequence[DocumentInfo] | None = None) -> list[StoredItem]:
    """Reader.items, on `conn`; `documents`, when the caller has read them, are the substance's (its huge
    documents, with over HUGE_DOCUMENT_ITEMS items, are found among them, else queried)."""
    huge = None if documents is None else [d.id for d in documents if d.n_items > HUGE_DOCUMENT_ITEMS]
    where, params = "i.substance = :substance", {"substance": substance, "per_key": ITEMS_PER_KEY}
    if categories is not None:
        wanted, of_categories = in_list("category", categories)
        where, params = f"{where} AND i.category IN {wanted}", params | of_categories
    if huge is None:
        huge = [doc_id for (doc_id,) in conn.rows("SELECT id FROM documents WHERE substance = :s AND n_items > :n",
                                                  {"s": substance, "n": HUGE_DOCUMENT_ITEMS})]
    if huge:
        ids, of_huge = in_list("huge", huge)
        where, params = (f"{where} AND (i.document_id NOT IN {ids} OR i.id IN (SELECT id FROM ("
                         "SELECT h.id, row_number() OVER (PARTITION BY h.document_id, h.\"key\" "
                         f"ORDER BY h.span_start, h.id) AS n FROM items h WHERE h.document_id IN {ids}) AS ranked "
                         "WHERE n <= :per_key))"), params | of_huge
    return _stored_items(conn, _ITEMS_SQL + where + _ITEMS_ORDER, params, documents or ())


def _stored_items(conn: Connection, sql: str, params: dict[str, Any],
                  documents: Iterable[DocumentInfo] = ()) -> list[StoredItem]:
    """Rows of _ITEMS_SQL as StoredItems, with the info of their documents: those of `documents` (read by the
    caller in the same transaction), the others read here, 500 a query."""
    rows = conn.rows(sql, params)
    infos = {d.id: d for d in documents}
    unknown = sorted({row[10] for row in rows} - infos.keys())
    for start in range(0, len(unknown), 500):
        ids, of_ids = in_list("d", unknown[start:start + 500])
        infos.update((row[0], _info(row)) for row in conn.rows(f"SELECT {_INFO} FROM documents d WHERE d.id IN {ids}",
                                                                of_ids))
    return [_item(row[:10], infos[row[10]]) for row in rows]


def _documents(conn: Connection, substance: str | None) -> list[DocumentInfo]:
    of_substance = " WHERE d.substance = :s" if substance is not None else ""
    return [_info(row) for row in conn.rows(
        f"SELECT {_INFO} FROM documents d{of_substance} ORDER BY d.source, d.text_offset, d.id", {"s": substance})]


class Reader(ABC):
    """The reads of one knowledge base, as typed rows."""

    @property
    @abstractmethod
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""

    @property
    @abstractmethod
    def errors(self) -> tuple[type[Exception], ...]:
        """The exceptions the driver raises (a failed search is said as a StoreError)."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Connection]:
        """A connection in a transaction of its own, closed (rolled back) after."""

    @abstractmethod
    def writer(self) -> Store:
        """The store that writes to this knowledge base."""

    @abstractmethod
    def close(self) -> None:
        """Release the connections (and a writer opened for a write)."""

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Row]:
        with self.reading() as conn:
            return conn.rows(sql, params)

    def revision(self) -> str | None:
        """The schema revision of the database (None when it has none yet)."""
        try:
            rows = self._rows("SELECT version_num FROM alembic_version")
        except self.errors:
            return None
        return str(rows[0][0]) if rows else None

    def data_version(self) -> tuple[str | None, ...]:
        """A value that changes whenever a document is ingested, updated or removed (one cheap statement):
        readers key their caches on it to see other writers' changes."""
        return tuple(None if v is None else str(v) for v in self._rows(_VERSION_SQL)[0])

    def substances(self, names: Iterable[str] | None = None) -> list[SubstanceSummary]:
        """Every substance (or those of `names`) with how many sources (distinct contents, not copies),
        statements and community reports mention it."""
        wanted, params = in_list("name", sorted(set(names or ())))
        of_names = f" AND substance IN {wanted}" if names is not None else ""
        with self.reading() as conn:
            n_sources: dict[str, int] = dict(conn.rows(
                "SELECT substance, count(DISTINCT coalesce(content_key, CAST(id AS VARCHAR))) FROM documents "
                f"WHERE substance IS NOT NULL{of_names} GROUP BY substance", params))
            rows = conn.rows(
                "SELECT substance, count(id), sum(CASE WHEN category = 'post' THEN 1 ELSE 0 END) FROM items "
                f"WHERE substance IS NOT NULL AND category != 'reference'{of_names} GROUP BY substance", params)
        counts = {name: (int(n or 0), int(p or 0)) for name, n, p in rows}
        return [SubstanceSummary(name, int(n), counts.get(name, (0, 0))[0] - counts.get(name, (0, 0))[1],
                                 counts.get(name, (0, 0))[1]) for name, n in sorted(n_sources.items())]

    def substance_names(self) -> list[str]:
        return sorted(n for (n,) in self._rows("SELECT DISTINCT substance FROM documents") if n)

    def titled_substances(self) -> list[tuple[str, str]]:
        """(title, substance) of the documents that have both: the product names labels file under a generic."""
        return [(str(title), str(substance)) for title, substance in self._rows(
            "SELECT DISTINCT title, substance FROM documents WHERE title IS NOT NULL AND substance IS NOT NULL")]

    def items(self, substance: str, categories: Iterable[str] | None = None) -> list[StoredItem]:
        """Items of the documents whose main subject is `substance`, in document then text order; of a huge
        document (over HUGE_DOCUMENT_ITEMS items), only the first ITEMS_PER_KEY of each category, name and
        stance (it is one source, cited a few times), so a summary of a 40 MB text does not read them all."""
        with self.reading() as conn:
            return _items(conn, substance, categories)

    def summary_sources(self, substance: str) -> tuple[int, list[DocumentInfo], list[StoredItem]]:
        """What a summary of `substance` is built from, read in one transaction (one connection, not one per read):
        its generation, its `documents` and its `items` (the huge documents among them known from `documents`).
        The generation first: data newer than it (PostgreSQL reads what commits meanwhile) only makes the summary
        look stale, never older data current."""
        with self.reading() as conn:
            built_from = generation(conn, substance)
            documents = _documents(conn, substance)
            return built_from, documents, _items(conn, substance, documents=documents)

    def interactions(self, parties: Iterable[str]) -> list[StoredItem]:
        """Interaction items of any document naming one of `parties` (compared case-insensitively) as
        either side, in document then text order: what every source says about those substances or classes."""
        wanted, params = in_list("party", sorted({p.casefold() for p in parties}))
        if not params:
            return []
        side_a, side_b = ((f"json_extract(i.payload, '$.{k}')" if self.dialect == "sqlite" else f"i.payload ->> '{k}'")
                          for k in ("a", "b"))
        with self.reading() as conn:
            return _stored_items(conn, f"{_ITEMS_SQL}i.category = 'interaction' AND (lower({side_a}) IN {wanted} "
                                       f"OR lower({side_b}) IN {wanted}){_ITEMS_ORDER}", params)

    def documents(self, substance: str | None = None) -> list[DocumentInfo]:
        with self.reading() as conn:
            return _documents(conn, substance)

    def document(self, doc_id: int) -> tuple[DocumentInfo, str, str, list[StoredItem]]:
        """(info, format, text, items) of one document; NotFoundError if there is none."""
        with self.reading() as conn:
            found = conn.rows(f"SELECT {_INFO}, d.format, d.text FROM documents d WHERE d.id = :id", {"id": doc_id})
            if not found:
                raise NotFoundError(f"no document {doc_id}")
            info = _info(found[0][:12])
            items = [_item(row, info) for row in conn.rows(
                f"SELECT {_ITEM} FROM items i WHERE i.document_id = :id ORDER BY i.span_start, i.id", {"id": doc_id})]
        return info, found[0][12], found[0][13], items

    def history(self, substances: Iterable[str] | None = None, source: str | None = None) -> list[HistoryEntry]:
        """Item changes, oldest first: of the documents about any of `substances` (as they were when the
        change was made, so removed documents are included), and/or of the file stored as `source`."""
        where, params = ["1 = 1"], {"source": source}
        if substances is not None:
            wanted, of_substances = in_list("substance", substances)
            where, params = [*where, f"substance IN {wanted}"], params | of_substances
        if source is not None:
            where.append("source = :source")
        rows = self._rows('SELECT id, at, document_id, source, record, substance, change, item, item_key, "before" '
                          f"FROM history WHERE {' AND '.join(where)} ORDER BY id", params)
        out = []
        for entry_id, at, document_id, source_, record, substance, change, item, item_key, before in rows:
            item, before = json_value(item), json_value(before)
            out.append(HistoryEntry(entry_id, datetime_value(at), document_id, source_, record or None,
                                    substance, change, dict(item) if item else _key_item(item_key),
                                    dict(before) if before else None))
        return out

    def history_substances(self) -> list[str]:
        """Every substance the history names, including those whose documents are all gone."""
        return sorted(n for (n,) in self._rows("SELECT DISTINCT substance FROM history") if n)

    # --- search (see store/search.py) -------------------------------------------------------

    def _searching(self, budget: QueryBudget | None, run: Callable[[Connection], T]) -> T:
        """`run` on one connection, within `budget` (by default SEARCH_SECONDS)."""
        budget = budget or QueryBudget(SEARCH_SECONDS)
        try:
            with self.reading() as conn, budget.limiting(conn):
                search.prepare(conn)
                return run(conn)
        except self.errors as exc:
            raise StoreError(f"search failed: {str(exc).splitlines()[0]}") from exc

    def match_statements(self, terms: Sequence[str], limit: int,
                         budget: QueryBudget | None = None) -> list[StatementMatch]:
        """Statements holding every term (in their name or sentence), best first; QueryTimeoutError past the budget."""
        return self._searching(budget, lambda conn: search.match_statements(conn, terms, limit))

    def match_documents(self, terms: Sequence[str], limit: int,
                        budget: QueryBudget | None = None) -> list[DocumentMatch]:
        """Documents holding every term (in their title or text), best first."""
        return self._searching(budget, lambda conn: search.match_documents(conn, terms, limit))

    def count_matches(self, terms: Sequence[str], budget: QueryBudget | None = None) -> tuple[int, int]:
        """How many (statements, documents) hold every term."""
        return self._searching(budget, lambda conn: search.count_matches(conn, terms))

    def snippets(self, terms: Sequence[str], item_ids: Sequence[int], document_ids: Sequence[int],
                 budget: QueryBudget | None = None) -> tuple[dict[int, Snippet], dict[int, Snippet]]:
        """Snippets of the statements and documents one page shows (by item and document id)."""
        return self._searching(budget, lambda conn: (search.statement_snippets(conn, terms, item_ids),
                                                     search.document_snippets(conn, terms, document_ids)))

    def statement_sources(self, keys: Sequence[StatementKey],
                          budget: QueryBudget | None = None) -> dict[StatementKey, int]:
        """How many sources state each (substance, category, name, stance)."""
        return self._searching(budget, lambda conn: search.statement_sources(conn, keys))

    # --- summaries (written by the Store: see store/summaries.py) ----------------------------

    def summary_generation(self, substance: str) -> int:
        """How often the documents about `substance` changed: a summary is built from one generation."""
        with self.reading() as conn:
            return generation(conn, substance)

    def summary(self, substance: str, part: str, fmt: str) -> bytes | None:
        """A summary part of `substance`, if it is current (built from its present documents by code `fmt`)."""
        rows = self._rows(f"{_CURRENT_SUMMARIES} AND s.substance = :substance",
                          {"part": part, "format": fmt, "substance": substance})
        return bytes(rows[0][1]) if rows else None

    def stale_summaries(self, part: str, fmt: str) -> list[str]:
        """Substances (those with documents) whose summary `part` is missing, or was built from older data or
        by other code."""
        current = _CURRENT_SUMMARIES.replace("s.substance, s.body", "s.substance", 1)
        return sorted(n for (n,) in self._rows(
            "SELECT DISTINCT substance FROM documents WHERE substance IS NOT NULL "
            f"AND substance NOT IN ({current})", {"part": part, "format": fmt}) if n)

    def substances_called(self, alias: str) -> list[str]:
        """The substances `alias` (normalised as it was stored) is another name of: a brand, a synonym, a
        product title."""
        return sorted(n for (n,) in self._rows("SELECT substance FROM substance_aliases WHERE alias = :alias",
                                               {"alias": alias}))


class SqliteReader(Reader):
    """The reads of an SQLite knowledge base through the standard library's sqlite3, a connection per read
    (as the Store opens one per read); the first write opens the Store."""

    dialect = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: str, target: str) -> None:
        self.path = path
        self.target = target  # what the Store opens, should one be needed
        self._writer: Store | None = None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        driver = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            driver.execute("PRAGMA busy_timeout=30000")
            driver.execute("PRAGMA query_only=ON")
            driver.execute("BEGIN")
            yield SqliteConnection(driver)
        finally:
            driver.close()  # and the transaction with it: it only read

    def writer(self) -> Store:
        if self._writer is None:
            from materia.store.db import connect

            self._writer = connect(self.target)
        return self._writer

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def sqlite_file(url_or_path: str) -> str | None:
    """The file of an SQLite knowledge base (None for in-memory SQLite and other databases)."""
    if "://" not in url_or_path:
        return str(Path(url_or_path).expanduser())
    prefix = "sqlite:///"
    if not url_or_path.startswith(prefix):
        return None
    path = url_or_path[len(prefix):].split("?", 1)[0]
    return path if path and path != ":memory:" else None


def open_reader(url_or_path: str) -> Reader:
    """A reader of the knowledge base at `url_or_path`: for an SQLite file at the latest schema, an SqliteReader
    (no SQLAlchemy imported); else the Store, as `connect` opens it (creating or migrating it)."""
    path = sqlite_file(url_or_path)
    if path is not None and "?" not in url_or_path and Path(path).is_file():
        reader = SqliteReader(path, url_or_path)
        if reader.revision() == latest_revision():
            return reader
    from materia.store.db import connect

    return connect(url_or_path)
