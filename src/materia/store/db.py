"""Store: connection, migrations and storing extractions; the reads the knowledge layer needs are its
Reader's (store/read.py), run here on SQLAlchemy's engine.

It stores what it is given; reading and extracting files is materia.pipeline's job."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import operator
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy import Connection as SqlConnection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from materia.errors import StoreError
from materia.store import summaries
from materia.store.models import Base, DocumentRow, ItemRow
from materia.store.read import MIGRATIONS, Reader, generations, latest_revision
from materia.store.serialise import ItemRecord, Prepared, content_key, json_column, prepare
from materia.store.sql import Connection, Row, json_loads
from materia.types import Document, Extraction, Span

T = TypeVar("T")

_TOUCHED = "materia.touched"  # Session.info: substances a write transaction changed (generations moved at its end)
_INSERTED = "materia.inserted"  # Session.info: ids of documents whose rows are inserted (_insert_documents), by id()
_QUEUED = "materia.queued"  # Session.info: item and history rows a write transaction inserts before it commits
SQLITE_ROWS_PER_INSERT = 500  # rows of one INSERT statement on SQLite (fewer when its columns would pass its limit)
SQLITE_CACHE_KIB = 64 << 10  # SQLite's page cache per connection, at most
SQLITE_CHECKPOINT_PAGES = 16384  # pages of WAL (4 KB each) that set off a checkpoint
DOCUMENTS, ITEMS, HISTORY = (Base.metadata.tables[t] for t in ("documents", "items", "history"))  # writes (Core)
ITEM_COLUMNS = ("document_id", "category", "substance", "name", "stance", "evidence", "key", "digest", "text",
                "payload", "span_start", "span_end")
HISTORY_COLUMNS = ("source", "record", "item_key", "change", "at", "document_id", "substance", "item", "before")


def _url(url_or_path: str) -> str:
    """An SQLAlchemy URL for a URL or a plain path (whose parent directories are created)."""
    if "://" in url_or_path:
        try:
            make_url(url_or_path)
        except ArgumentError as exc:
            raise StoreError(f"bad database URL {url_or_path!r}: {exc}") from exc
        return url_or_path
    path = Path(url_or_path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from exc
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, foreign_keys: bool = True) -> None:
    # The driver's own transaction handling is off (isolation_level None): `_sqlite_begin` emits BEGIN,
    # so a write transaction can take the write lock up front and never meet a stale snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL waits for other openers too
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # An ingest's transaction writes a few MB of pages, more than the default 2 MB cache holds: it spilled pages to
    # the WAL before its commit and read its indexes' pages back (a quarter of the writer's system time). Taken only
    # as pages are read, so a connection that reads little holds little.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    # Checkpoints (copying the WAL into the database, with a sync) every 64 MB of WAL, not every 4 MB: a page written
    # by many transactions in between is copied once. Durability is the WAL's either way.
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.close()


def _sqlite_migration_pragmas(dbapi_connection: Any, record: Any) -> None:
    # Foreign keys off while migrating: rebuilding a parent table (0002) must not cascade into items.
    _sqlite_pragmas(dbapi_connection, record, foreign_keys=False)


def _sqlite_begin(conn: Any) -> None:
    """BEGIN IMMEDIATE for writers (the `write` execution option), plain BEGIN for readers."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


_MIGRATION_LOCK = 0x6D617465  # PostgreSQL advisory lock id: one migrating connection per database


def _migrate(url: str) -> None:
    """Bring the schema at `url` to the latest revision, on a connection of its own.

    Migrations are serialised: on SQLite the migration is one BEGIN IMMEDIATE transaction, on
    PostgreSQL it holds a transaction-scoped advisory lock, so of several processes opening a new
    database at once one migrates and the others wait, then find it at head and do nothing."""
    engine = create_engine(url, future=True, poolclass=NullPool).execution_options(write=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_migration_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    from alembic import command  # only when migrating: importing alembic costs a tenth of a second
    from alembic.config import Config

    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def connect(url_or_path: str) -> Store:
    """Open the knowledge base at `url_or_path` and bring its schema up to date."""
    url = _url(url_or_path)
    try:
        engine = create_engine(url, future=True, json_deserializer=json_loads)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        store = Store(engine)
        if store.revision() != latest_revision():  # one cheap query when there is nothing to do
            _migrate(url)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the knowledge base {url_or_path}: {exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}") from exc
    return store


def _lock_key(source: str) -> int:
    """A signed 64-bit advisory lock id for one source."""
    return int.from_bytes(hashlib.blake2b(source.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class _JsonText(str):
    """A JSON column's value already written as JSON text (json_column): stored as it is."""


def _stored_item(item: ItemRecord, offset: int) -> _JsonText:
    """An item as the history keeps it, as JSON text: its `span` indexes the file's text (the record's `offset`
    added, as the contract's spans do; the document may be gone), the payload's spans its document's text.
    Written here, key by key, as json_column writes the object (encoding a dict per item was a tenth of what the
    writer spent); the payload as the worker encoded it, or encoded here when read back from the store."""
    payload = item.payload_json if item.payload_json is not None else json_column(item.held_payload or {})
    # category, name and text are never None (NOT NULL columns, and so made): encoded without _string's check
    return _JsonText(f'{{"category":{encode_basestring(item.category)},"name":{encode_basestring(item.name)},'
                     f'"stance":{_string(item.stance)},"evidence":{_string(item.evidence)},'
                     f'"text":{encode_basestring(item.text)},'
                     f'"span":[{item.span.start + offset},{item.span.end + offset}],"payload":{payload}}}')


def _string(value: str | None) -> str:
    """A string (or None) as json_column writes it."""
    return "null" if value is None else encode_basestring(value)


def _queue_rows(s: Session, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` (values of `columns`) before the transaction commits (or reads items), with the rows of its
    other documents: on SQLite, the fewer the statements, the fewer times items_fts writes what its trigger
    gathered."""
    if rows:
        s.info.setdefault(_QUEUED, {}).setdefault((table, columns), []).extend(rows)


def _insert_queued(s: Session) -> None:
    for (table, columns), rows in s.info.pop(_QUEUED, {}).items():
        _insert_rows(s, table, columns, rows)


def _stored_records(s: Session, document_id: int) -> list[ItemRecord]:
    """The items stored for a document, in text order."""
    _insert_queued(s)  # the document's items may be queued (a file given twice in one transaction)
    rows = s.execute(select(ItemRow.category, ItemRow.name, ItemRow.stance, ItemRow.evidence, ItemRow.key,
                            ItemRow.text, ItemRow.span_start, ItemRow.span_end, ItemRow.payload, ItemRow.digest)
                     .where(ItemRow.document_id == document_id).order_by(ItemRow.span_start, ItemRow.id))
    return [ItemRecord(r.category, r.name, r.stance, r.evidence, r.key, r.text, Span(r.span_start, r.span_end),
                       r.payload, r.digest) for r in rows]


def _insert_rows(s: Session, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert many rows of one shape (values of `columns`, as tuples: a dict per row, and taking each apart again,
    was a tenth of what the writer spent) through the driver: COPY on PostgreSQL (measured: an eighth of
    executemany's client CPU and wall time for a document's items), multi-row INSERTs on SQLite (SQLAlchemy's
    processing of each row's parameters was a third of the writer's CPU in a large ingest; one statement per
    row, with items_fts's trigger, half of what SQLite spent storing 1,000 monographs), SQLAlchemy's
    executemany elsewhere. JSON columns are written as JSON text, NULL for None."""
    if not rows:
        return
    connection = s.connection()
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):  # SQLAlchemy encodes JSON columns itself
        connection.execute(insert(table), [{c: json.loads(v) if isinstance(v, _JsonText) else v
                                            for c, v in zip(columns, row, strict=True)} for row in rows])
        return
    convert = _converters(table, dialect)
    table_rows: Sequence[tuple[Any, ...]] = rows
    if any(c in convert for c in columns):  # a column at a time: a call per column, not per value
        by_column = list(zip(*rows, strict=True))
        for i, column in enumerate(columns):
            if column in convert:
                by_column[i] = tuple(convert[column](by_column[i]))
        table_rows = list(zip(*by_column, strict=True))
    quoted = ", ".join(f'"{c}"' for c in columns)  # "key", "text", "before" are words of SQL
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection inside the transaction
    try:
        if dialect == "sqlite":
            # Many rows per statement, not executemany's one: an FTS5 table (items_fts, filled by a trigger)
            # writes what it has gathered to disk at the end of every statement that fires its trigger.
            limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            per = max(1, min(SQLITE_ROWS_PER_INSERT, limit // len(columns)))
            one_row = "(" + ", ".join("?" * len(columns)) + ")"
            for start in range(0, len(table_rows), per):
                chunk = table_rows[start:start + per]
                driver.execute(f"INSERT INTO {table.name} ({quoted}) VALUES {', '.join([one_row] * len(chunk))}",
                               list(itertools.chain.from_iterable(chunk)))
            return
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
            for row in table_rows:
                copy.write_row(row)
    except connection.dialect.loaded_dbapi.Error as exc:
        raise StoreError(f"could not store: {type(exc).__name__}: {str(exc).splitlines()[0]}") from exc


def _json_texts(found: Iterable[Any]) -> list[Any]:
    return [v if v is None or isinstance(v, _JsonText) else json_column(v) for v in found]


def _time_texts(found: Iterable[datetime | None]) -> list[str | None]:
    """Times as SQLAlchemy's SQLite DateTime stores them (so it reads them back), each distinct one written once
    (a transaction's history rows share one time)."""
    texts: dict[datetime, str] = {}
    return [None if v is None else texts.get(v) or texts.setdefault(v, v.isoformat(" ", "microseconds"))
            for v in found]


def _date_texts(found: Iterable[date | None]) -> list[str | None]:
    return [None if v is None else v.isoformat() for v in found]


@functools.cache
def _converters(table: Table, dialect: str) -> dict[str, Callable[[Iterable[Any]], list[Any]]]:
    """How the values of a column of `table` are handed to the driver, by column, where they need converting:
    JSON columns as JSON text; on SQLite, times and dates as ISO text."""
    out: dict[str, Callable[[Iterable[Any]], list[Any]]] = {}
    for c in table.columns:
        if isinstance(c.type, JSON):
            out[c.name] = _json_texts
        elif isinstance(c.type, DateTime) and dialect == "sqlite":
            out[c.name] = _time_texts
        elif isinstance(c.type, Date) and dialect == "sqlite":
            out[c.name] = _date_texts
    return out


def _check_file(source: str, sha256: str, extractions: Sequence[Extraction | Prepared]) -> None:
    """Refuse what is not the documents of one file, each record once."""
    if not extractions or any(x.document.source != source or x.document.sha256 != sha256 for x in extractions):
        raise StoreError(f"{source}: expected the documents of this one file")
    records = [x.document.record or "" for x in extractions]
    if len(set(records)) != len(records):
        raise StoreError(f"{source}: two documents of this file claim the same record")


def _changes(old: Sequence[ItemRecord], new: Sequence[ItemRecord]) -> list[tuple[str, ItemRecord, ItemRecord | None]]:
    """(change, item, before) turning the items `old` into `new`, each list in text order.

    An item is its key (category|name|stance) and its values' digest: one in both lists is no change,
    wherever it moved. What is left of one key on both sides is paired in text order as "changed"
    (before = the old item); the rest of the old is "removed", of the new "added". An old item stored
    before values were hashed (no digest) matches any new item of its key, so it records no change."""
    if not old:  # a new document: every item added, by key (a stable sort keeps the text order within one)
        return [("added", item, None) for item in sorted(new, key=operator.attrgetter("key"))]
    unmatched_new: dict[str, list[ItemRecord]] = {}
    for item in new:
        unmatched_new.setdefault(item.key, []).append(item)
    left_old: dict[str, list[ItemRecord]] = {}
    for item in old:
        same = unmatched_new.get(item.key, [])
        match = next((n for n in same if item.digest is None or n.digest == item.digest), None)
        if match is not None:
            same.remove(match)
        else:
            left_old.setdefault(item.key, []).append(item)
    out: list[tuple[str, ItemRecord, ItemRecord | None]] = []
    for key in sorted(set(left_old) | set(unmatched_new)):
        gone, came = left_old.get(key, []), unmatched_new.get(key, [])
        out += [("changed", after, before) for before, after in zip(gone, came, strict=False)]
        out += [("removed", before, None) for before in gone[len(came):]]
        out += [("added", after, None) for after in came[len(gone):]]
    return out


@dataclass(frozen=True, slots=True)
class _StoredRow:
    """What a write needs of a stored document's row (read and written through Core, not the ORM: its unit of
    work was a third of what the writer spent storing 1,000 monographs)."""

    id: int
    source: str
    record: str
    sha256: str
    substance: str | None
    text_offset: int


def _stored_rows(s: Session, sources: Iterable[str]) -> dict[str, dict[str, _StoredRow]]:
    """The stored rows of each of `sources` that is stored, by record, in id order (a query per thousand)."""
    wanted = list(dict.fromkeys(sources))
    found: dict[str, dict[str, _StoredRow]] = {}
    columns = [DOCUMENTS.c[f.name] for f in dataclasses.fields(_StoredRow)]
    for i in range(0, len(wanted), 1000):
        for row in s.connection().execute(select(*columns).where(DOCUMENTS.c.source.in_(wanted[i:i + 1000]))
                                          .order_by(DOCUMENTS.c.id)):
            found.setdefault(row.source, {})[row.record] = _StoredRow(*row)
    return found


@dataclass(frozen=True, slots=True)
class _Written:
    """A document row being written, with what the history needs of it and of what it replaced."""

    row: _StoredRow
    document: Document
    old: list[ItemRecord]
    old_substance: str | None
    old_offset: int


def _substance(x: Prepared) -> str | None:
    return x.substance.strip().lower() if x.substance else None


def _document_values(x: Prepared, n_items: int, now: datetime) -> dict[str, Any]:
    """A document row's values but its source and record (which an update keeps)."""
    doc = x.document
    return {"sha256": doc.sha256, "kind": doc.kind, "format": doc.format, "text_offset": doc.offset,
            "title": doc.title, "modified": doc.modified, "text": doc.text, "content_key": content_key(doc),
            "substance": _substance(x), "has_references": x.has_references, "n_items": n_items, "ingested_at": now}


def _new_row(x: Prepared, doc_id: int) -> _StoredRow:
    doc = x.document
    return _StoredRow(doc_id, doc.source, doc.record or "", doc.sha256, _substance(x), doc.offset)


def _written_new(x: Prepared, doc_id: int) -> _Written:
    """A document stored for the first time: no old items, and its substance and offset as they were."""
    return _Written(_new_row(x, doc_id), x.document, [], _substance(x), x.document.offset)


def _all_new(batch: Sequence[tuple[int, str, str, Sequence[Prepared]]],
             stored: Mapping[str, Mapping[str, _StoredRow]]) -> bool:
    """Whether every file of a batch is stored for the first time, each once: then its documents' rows can be
    inserted first, together, and take the ids they would one by one (no row of the batch is deleted first)."""
    sources = [source for _, source, _, _ in batch]
    return len(set(sources)) == len(sources) and not any(source in stored for source in sources)


def _insert_documents(s: Session, documents: Sequence[Prepared], now: datetime) -> dict[int, int]:
    """Insert the rows of new documents, in order, with one statement (a statement per document, each firing
    documents_fts's trigger, was a fifth of what the writer spent storing 1,000 monographs): their ids, read back
    by source and record, by id() of each Prepared."""
    values = [{"source": x.document.source, "record": x.document.record or "",
               **_document_values(x, len(x.records), now)} for x in documents]
    _insert_rows(s, DOCUMENTS, tuple(values[0]) if values else (), [tuple(row.values()) for row in values])
    rows = _stored_rows(s, [x.document.source for x in documents])
    return {id(x): rows[x.document.source][x.document.record or ""].id for x in documents}


class _Matching:
    """`_changes` for new items that come a part at a time: a new item that matches an old one (same key and
    digest) is no change, and is forgotten; with no old items, every new item is "added" as it comes. What is
    left unmatched on both sides is paired at the end (`rest`), as `_changes` pairs it."""

    def __init__(self, old: Sequence[ItemRecord]) -> None:
        self.old: dict[str, list[ItemRecord]] = {}
        for item in old:
            self.old.setdefault(item.key, []).append(item)
        self.came: dict[str, list[ItemRecord]] = {}

    def feed(self, new: Iterable[ItemRecord]) -> list[tuple[str, ItemRecord, ItemRecord | None]]:
        if not self.old:
            return [("added", item, None) for item in new]
        for item in new:
            same = self.old.get(item.key, [])
            match = next((k for k, o in enumerate(same) if o.digest is None or o.digest == item.digest), None)
            if match is None:
                self.came.setdefault(item.key, []).append(item)
            else:
                del same[match]
        return []

    def rest(self) -> list[tuple[str, ItemRecord, ItemRecord | None]]:
        out: list[tuple[str, ItemRecord, ItemRecord | None]] = []
        for key in sorted(set(self.old) | set(self.came)):
            gone, came = self.old.get(key, []), self.came.get(key, [])
            out += [("changed", after, before) for before, after in zip(gone, came, strict=False)]
            out += [("removed", before, None) for before in gone[len(came):]]
            out += [("added", after, None) for after in came[len(gone):]]
        return out


_BIND = re.compile(r"(?<![:\w\x5c]):(\w+)(?![:\w])")  # a :name parameter, as SQLAlchemy's text() finds one


@functools.lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """SQL text with :name parameters as a pyformat driver (psycopg) takes it: %(name)s, a literal % doubled."""
    return _BIND.sub(r"%(\1)s", sql.replace("%", "%%"))


class EngineConnection:
    """A Connection (store/sql.py) over a connection of SQLAlchemy's."""

    def __init__(self, connection: SqlConnection) -> None:
        self.connection = connection

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    @property
    def driver(self) -> Any:
        return self.connection.connection.driver_connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        # SQLite and PostgreSQL: the SQL as their driver takes it, its rows as the driver's tuples (compiling a text
        # construct and making a Row of each row cost more than the query of a summary's few hundred items)
        if self.dialect == "sqlite":
            result = self.connection.exec_driver_sql(sql, dict(params or {}))
        elif self.dialect == "postgresql":
            result = self.connection.exec_driver_sql(_pyformat(sql), dict(params or {}))
        else:
            return [tuple(row) for row in self.connection.execute(text(sql), dict(params or {}))]
        try:
            return list(result.cursor.fetchall())
        except self.connection.dialect.loaded_dbapi.Error as exc:  # SQLite steps through rows as they are fetched
            raise DBAPIError.instance(sql, params, exc, self.connection.dialect.loaded_dbapi.Error) from exc
        finally:
            result.close()

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.connection.execute(text(sql), dict(params or {}))


class Store(Reader):
    """A knowledge base: its reads (the Reader's) and its writes. Not thread-safe; one per thread (the engine
    pools connections)."""

    errors = (SQLAlchemyError,)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(write=True)  # SQLite: BEGIN IMMEDIATE (see _sqlite_begin)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:  # begins (SQLite: BEGIN, see _sqlite_begin); rolled back after
            yield EngineConnection(connection)

    def writer(self) -> Store:
        return self

    @property
    def shared_url(self) -> str | None:
        """The URL another process opens this knowledge base by (password included), or None for an
        in-memory SQLite database, which only this process sees."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return None
        return url.render_as_string(hide_password=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def stored_sha256(self, source: str) -> str | None:
        """The hash of the file stored as `source`, or None if it is not stored."""
        with Session(self.engine) as s:
            return s.scalar(select(DocumentRow.sha256).where(DocumentRow.source == source).limit(1))

    def stored_sha256s(self, sources: Iterable[str]) -> dict[str, str]:
        """The stored hash of each of `sources` that is stored (a query per thousand sources)."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        with Session(self.engine) as s:
            for i in range(0, len(wanted), 1000):
                found.update(s.execute(select(DocumentRow.source, DocumentRow.sha256)
                                       .where(DocumentRow.source.in_(wanted[i:i + 1000]))).tuples().all())
        return found

    def put_all(self, source: str, sha256: str, extractions: Sequence[Extraction | Prepared]) -> str:
        """Store every document of one file (one per record of a many-record file) in one transaction,
        dropping records the file no longer has: 'added', 'updated' or 'unchanged'."""
        _check_file(source, sha256, extractions)
        ready = [prepare(x) for x in extractions]
        return self._writing([source], lambda s: self._put_file(s, source, sha256, ready, _stored_rows(s, [source]),
                                                                _now()))

    def put_many(self, files: Sequence[tuple[str, str, Sequence[Extraction | Prepared]]]) -> list[str | StoreError]:
        """Store several files, each (source, sha256, extractions) as `put_all` does, in one transaction:
        an outcome per file, in order ('added', 'updated', 'unchanged' or the error). One commit for many
        files is what makes a large ingest fast; should the database refuse the batch, each file is
        stored again alone, so one bad file costs only itself."""
        outcomes: list[str | StoreError | None] = [None] * len(files)
        for i, (source, sha256, extractions) in enumerate(files):
            try:
                _check_file(source, sha256, extractions)
            except StoreError as exc:
                outcomes[i] = exc
        batch = [(i, source, sha256, [prepare(x) for x in extractions])
                 for i, (source, sha256, extractions) in enumerate(files) if outcomes[i] is None]

        def store(s: Session) -> list[str]:
            now = _now()
            stored = _stored_rows(s, [source for _, source, _, _ in batch])
            if _all_new(batch, stored):
                s.info[_INSERTED] = _insert_documents(s, [x for *_, extractions in batch for x in extractions], now)
            return [self._put_file(s, source, sha256, extractions, stored, now)
                    for _, source, sha256, extractions in batch]

        try:
            for (i, *_), outcome in zip(batch, self._writing([f[1] for f in batch], store), strict=True):
                outcomes[i] = outcome
        except StoreError:
            for i, source, sha256, extractions in batch:
                try:
                    outcomes[i] = self.put_all(source, sha256, extractions)
                except StoreError as exc:
                    outcomes[i] = exc
        return [o if o is not None else StoreError("unreachable") for o in outcomes]

    def _put_file(self, s: Session, source: str, sha256: str, extractions: Sequence[Prepared],
                  stored: dict[str, dict[str, _StoredRow]], now: datetime) -> str:
        """Store one file's documents; `stored` holds its rows (by source, then record), and is told the new ones
        (a file given twice in one transaction finds its first copy)."""
        records = [x.document.record or "" for x in extractions]
        rows = stored.get(source, {})
        if set(rows) == set(records) and all(r.sha256 == sha256 for r in rows.values()):
            return "unchanged"
        stored[source] = {x.document.record or "": self._write(s, rows.get(x.document.record or ""), x, now)
                          for x in extractions}
        for record in sorted(set(rows) - set(records)):
            self._drop(s, rows[record], now)
        return "updated" if rows else "added"

    def put(self, x: Extraction) -> str:
        """Store one document atomically: 'added', 'updated' (items replaced, history kept) or 'unchanged'.

        Other records of the same file are left as they are; `put_all` stores a whole file."""
        doc = x.document

        def store(s: Session) -> str:
            row = _stored_rows(s, [doc.source]).get(doc.source, {}).get(doc.record or "")
            if row is not None and row.sha256 == doc.sha256:
                return "unchanged"
            self._write(s, row, prepare(x), _now())
            return "added" if row is None else "updated"

        return self._writing([doc.source], store)

    def _writing(self, sources: Sequence[str], store: Callable[[Session], T], attempts: int = 3) -> T:
        """Run `store` in one write transaction that no other writer of `sources` interleaves with.

        SQLite: BEGIN IMMEDIATE takes the database's write lock first, so the transaction reads what
        the last writer committed. PostgreSQL: a transaction-scoped advisory lock on each source, taken
        in one order by every writer, so two writers of overlapping batches never wait on each other in
        a circle. A unique violation all the same (a writer that holds no such lock) is retried: the
        retry reads the winner's rows and updates them, or finds them unchanged."""
        for attempt in range(attempts):
            try:
                with Session(self._write_engine) as s, s.begin():
                    if self.dialect == "postgresql":
                        for key in sorted({_lock_key(source) for source in sources}):
                            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
                    done = store(s)
                    _insert_queued(s)
                    summaries.touch(s, s.info.pop(_TOUCHED, ()))  # once per transaction, not per document
                    return done
            except IntegrityError as exc:
                if attempt == attempts - 1:
                    raise StoreError(f"could not store: {str(exc).splitlines()[0]}") from exc
            except SQLAlchemyError as exc:
                raise StoreError(f"could not store: {str(exc).splitlines()[0]}") from exc
        raise AssertionError("unreachable")

    def sources_under(self, folder: str) -> list[str]:
        """Stored sources (resolved file paths) inside `folder` (a resolved path), at any depth."""
        prefix = folder.rstrip(os.sep) + os.sep
        with Session(self.engine) as s:
            rows = s.scalars(select(DocumentRow.source).distinct()
                             .where(func.substr(DocumentRow.source, 1, len(prefix)) == prefix))
            return sorted(rows)

    def remove(self, source: str) -> int:
        """Delete every document of the file stored as `source`, items and all, in one transaction,
        keeping each removed item in the history: how many documents there were (0 if none)."""
        def store(s: Session) -> int:
            now = _now()
            rows = list(_stored_rows(s, [source]).get(source, {}).values())
            for row in rows:
                self._drop(s, row, now)
            return len(rows)

        return self._writing([source], store)

    @staticmethod
    def _write(s: Session, row: _StoredRow | None, x: Prepared, now: datetime) -> _StoredRow:
        """Insert or replace one document and its items, recording in the history which items came,
        went, or kept their category, name and stance with other values (one "changed" entry): its row."""
        recs = x.records
        doc_id = s.info.get(_INSERTED, {}).get(id(x))
        written = (Store._document_row(s, row, x, len(recs), now) if doc_id is None  # else its row is in already
                   else _written_new(x, doc_id))
        Store._add_items(s, written, recs)
        Store._add_history(s, written, _changes(written.old, recs), now)
        s.info.setdefault(_TOUCHED, set()).update((written.old_substance, written.row.substance))
        return written.row

    @staticmethod
    def _document_row(s: Session, row: _StoredRow | None, x: Prepared, n_items: int, now: datetime) -> _Written:
        """Insert or update the row of one document, its old items deleted (and returned, for the history)."""
        doc = x.document
        values = _document_values(x, n_items, now)
        connection = s.connection()
        if row is None:  # the values as parameters of one statement: built and compiled once, not per document
            key = connection.execute(insert(DOCUMENTS), {"source": doc.source, "record": doc.record or "", **values}
                                     ).inserted_primary_key
            assert key is not None  # one row inserted
            return _written_new(x, key[0])
        old = _stored_records(s, row.id)
        connection.execute(delete(ITEMS).where(ITEMS.c.document_id == row.id))
        connection.execute(update(DOCUMENTS).where(DOCUMENTS.c.id == bindparam("row_id")), {"row_id": row.id, **values})
        return _Written(_new_row(x, row.id), doc, old, row.substance, row.text_offset)

    @staticmethod
    def _add_items(s: Session, w: _Written, recs: Sequence[ItemRecord]) -> None:
        # Items and their history as plain rows, inserted in bulk: the ORM's unit of work per item was most
        # of the cost of storing a document.
        doc_id, substance = w.row.id, w.row.substance
        _queue_rows(s, ITEMS, ITEM_COLUMNS, [
            (doc_id, r.category, substance, r.name, r.stance, r.evidence, r.key, r.digest, r.text,
             r.held_payload if r.payload_json is None else _JsonText(r.payload_json), r.span.start, r.span.end)
            for r in recs])

    @staticmethod
    def _add_history(s: Session, w: _Written, changes: Iterable[tuple[str, ItemRecord, ItemRecord | None]],
                     now: datetime) -> None:
        doc = w.document
        source, record = doc.source, doc.record or ""
        _queue_rows(s, HISTORY, HISTORY_COLUMNS, [
            (source, record, item.key, change, now, w.row.id,
             w.old_substance if change == "removed" else w.row.substance,
             _stored_item(item, w.old_offset if change == "removed" else doc.offset),
             None if before is None else _stored_item(before, w.old_offset))
            for change, item, before in changes])

    def put_parts(self, source: str, sha256: str, parts: Iterable[Extraction]) -> str:
        """Store a file of one document whose items come a part at a time (extract.blocks.extract_parts, for a
        huge document) in one transaction, as `put_all` stores a file: 'added', 'updated' or 'unchanged'. The
        document is the first part's; each part's items are written as it comes, so only one part's items are
        held (and, when the file was stored before, its old items, to record what changed)."""
        def store(s: Session) -> str:
            now = _now()
            rows = _stored_rows(s, [source]).get(source, {})
            if set(rows) == {""} and rows[""].sha256 == sha256:
                return "unchanged"
            written: _Written | None = None
            matching: _Matching | None = None
            n_items = 0
            for part in parts:
                _check_file(source, sha256, [part])
                if part.document.record:
                    raise StoreError(f"{source}: parts are of a file of one document")
                x = prepare(part)
                recs = x.records
                if written is None:
                    written = self._document_row(s, rows.get(""), x, 0, now)
                    matching = _Matching(written.old)
                assert matching is not None
                self._add_items(s, written, recs)
                self._add_history(s, written, matching.feed(recs), now)
                _insert_queued(s)  # a part at a time: only one part's rows are held
                n_items += len(recs)
            if written is None or matching is None:
                raise StoreError(f"{source}: no document to store")
            self._add_history(s, written, matching.rest(), now)
            if n_items:  # the row was written with none
                s.connection().execute(update(DOCUMENTS).where(DOCUMENTS.c.id == written.row.id)
                                       .values(n_items=n_items))
            for record in sorted(set(rows) - {""}):
                self._drop(s, rows[record], now)
            s.info.setdefault(_TOUCHED, set()).update((written.old_substance, written.row.substance))
            return "updated" if rows else "added"

        return self._writing([source], store)

    @staticmethod
    def _drop(s: Session, row: _StoredRow, now: datetime) -> None:
        """Delete a document (a record its file no longer has, or a file that is gone), keeping the
        removal of each of its items in the history."""
        items = _stored_records(s, row.id)
        _queue_rows(s, HISTORY, HISTORY_COLUMNS, [
            (row.source, row.record, i.key, "removed", now, row.id, row.substance, _stored_item(i, row.text_offset),
             None) for i in items])
        connection = s.connection()
        connection.execute(delete(ITEMS).where(ITEMS.c.document_id == row.id))
        connection.execute(delete(DOCUMENTS).where(DOCUMENTS.c.id == row.id))
        s.info.setdefault(_TOUCHED, set()).add(row.substance)

    def check(self) -> list[str]:
        """Integrity problems: documents whose stored items are not their complete set."""
        problems = []
        with Session(self.engine) as s:
            counts = dict(s.execute(select(ItemRow.document_id, func.count(ItemRow.id))
                                    .group_by(ItemRow.document_id)).all())
            for doc_id, source, n in s.execute(select(DocumentRow.id, DocumentRow.source, DocumentRow.n_items)):
                if counts.get(doc_id, 0) != n:
                    problems.append(f"{source}: {counts.get(doc_id, 0)} items stored, {n} expected")
            if self.dialect == "sqlite":
                result = s.scalar(text("PRAGMA integrity_check"))
                if result != "ok":
                    problems.append(f"sqlite integrity_check: {result}")
        return problems

    # --- summaries (the reads are the Reader's) -------------------------------------------------

    def put_summary(self, substance: str, built_from: int, fmt: str, parts: Mapping[str, bytes],
                    aliases: Iterable[str] | None = None) -> bool:
        """Store the summary parts of `substance` built from generation `built_from` (and its other names,
        when given), replacing its old parts; False when its documents changed meanwhile (nothing stored)."""
        return self.put_summaries(fmt, [(substance, built_from, parts, aliases)])[0]

    def put_summaries(self, fmt: str, built: Sequence[tuple[str, int, Mapping[str, bytes], Iterable[str] | None]]
                      ) -> list[bool]:
        """`put_summary` for many substances (substance, built from, parts, aliases) in one transaction: one
        commit, not one per substance, after an ingest. Per substance, whether it was stored."""
        return self._writing([f"summary:{substance}" for substance, *_ in built],
                             lambda s: self._replace_summaries(s, fmt, built))

    @staticmethod
    def _replace_summaries(s: Session, fmt: str,
                           built: Sequence[tuple[str, int, Mapping[str, bytes], Iterable[str] | None]]) -> list[bool]:
        """Store each substance's parts (and aliases, when given) if it was built from the substance's current
        generation, replacing its old ones; False for one whose generation a writer moved since (nothing stored).
        A few statements for them all: a query, a delete and an insert per substance were most of what storing
        the summaries of 1,000 monographs cost the writer."""
        named = list(dict.fromkeys(substance for substance, *_ in built))
        current = generations(EngineConnection(s.connection()), named)
        stored = [current.get(substance, 0) == built_from for substance, built_from, *_ in built]
        fresh = {substance: (built_from, parts, aliases)  # a substance given twice: its last
                 for (substance, built_from, parts, aliases), ok in zip(built, stored, strict=True) if ok}
        renamed = {substance: sorted({a for a in aliases if a}) for substance, (_, _, aliases) in fresh.items()
                   if aliases is not None}
        connection = s.connection()
        for table, names in ((summaries.SUMMARIES, list(fresh)), (summaries.ALIASES, list(renamed))):
            for start in range(0, len(names), 500):
                connection.execute(delete(table).where(table.c.substance.in_(names[start:start + 500])))
        now = _now()
        _insert_rows(s, summaries.SUMMARIES, ("substance", "part", "generation", "format", "body", "built_at"), [
            (substance, part, built_from, fmt, body, now)
            for substance, (built_from, parts, _) in fresh.items() for part, body in parts.items()])
        _insert_rows(s, summaries.ALIASES, ("alias", "substance"), [
            (alias, substance) for substance, aliases in renamed.items() for alias in aliases])
        return stored
