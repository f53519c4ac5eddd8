"""Store: connection, migrations, storing extractions and the queries the knowledge layer needs.

It stores what it is given; reading and extracting files is materia.pipeline's job."""
from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Engine,
    String,
    Table,
    case,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from materia.errors import NotFoundError, QueryTimeoutError, StoreError
from materia.store import search, summaries
from materia.store.models import Base, DocumentRow, HistoryRow, ItemRow
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
from materia.store.serialise import ItemRecord, Prepared, content_key, prepare
from materia.types import Document, Extraction, Span

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
_TOUCHED = "materia.touched"  # Session.info: substances a write transaction changed (generations moved at its end)
ITEMS, HISTORY = Base.metadata.tables["items"], Base.metadata.tables["history"]  # bulk inserts (Core)
SEARCH_SECONDS = 2.0  # a search query's time limit when the caller sets none
# A document with more items than this is read for summaries and conflicts a sample at a time: the first
# ITEMS_PER_KEY items of each key (category|name|stance). Every item stays stored, and on its document's page.
HUGE_DOCUMENT_ITEMS, ITEMS_PER_KEY = 20_000, 5
# Any insert, update (ingested_at is reset) or delete of a document moves one of these.
_VERSION_SQL = text("SELECT (SELECT count(*) FROM documents), (SELECT max(id) FROM documents), "
                    "(SELECT max(ingested_at) FROM documents), (SELECT max(id) FROM history)")


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


@functools.cache
def latest_revision() -> str:
    """The newest schema revision: migrations are numbered 0001, 0002, ... in one line of descent."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _revision(engine: Engine) -> str | None:
    """The schema revision of the database (None when it has none yet)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def connect(url_or_path: str) -> Store:
    """Open the knowledge base at `url_or_path` and bring its schema up to date."""
    url = _url(url_or_path)
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        if _revision(engine) != latest_revision():  # one cheap query when there is nothing to do
            _migrate(url)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the knowledge base {url_or_path}: {exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}") from exc
    return Store(engine)


def _lock_key(source: str) -> int:
    """A signed 64-bit advisory lock id for one source."""
    return int.from_bytes(hashlib.blake2b(source.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _info(row: DocumentRow) -> DocumentInfo:
    return DocumentInfo(row.id, row.source, row.kind, row.title, row.modified, row.substance,
                        bool(row.has_references), row.n_items, row.record or None, row.text_offset,
                        row.content_key, row.ingested_at.date() if row.ingested_at else None)


_INFO_COLUMNS = (DocumentRow.id, DocumentRow.source, DocumentRow.kind, DocumentRow.title, DocumentRow.modified,
                 DocumentRow.substance, DocumentRow.has_references, DocumentRow.n_items, DocumentRow.record,
                 DocumentRow.text_offset, DocumentRow.content_key, DocumentRow.ingested_at)


def _info_of(values: Sequence[Any]) -> DocumentInfo:
    """A DocumentInfo from the values of _INFO_COLUMNS, in that order."""
    doc_id, source, kind, title, modified, substance, has_references, n_items, record, offset, key, at = values
    return DocumentInfo(doc_id, source, kind, title, modified, substance, bool(has_references), n_items,
                        record or None, offset, key, at.date() if at else None)


# Items with their document's info as columns, not ORM entities: a large substance has tens of thousands
# of items (and never the documents' text, which would be copied once per item).
_ITEMS_QUERY = (select(ItemRow.id, ItemRow.category, ItemRow.substance, ItemRow.name, ItemRow.stance, ItemRow.evidence,
                       ItemRow.text, ItemRow.span_start, ItemRow.span_end, ItemRow.payload, *_INFO_COLUMNS)
                .join(DocumentRow, ItemRow.document_id == DocumentRow.id)
                .order_by(DocumentRow.source, DocumentRow.text_offset, DocumentRow.id, ItemRow.span_start, ItemRow.id))


def _stored_item(item: ItemRecord, offset: int) -> dict[str, Any]:
    """An item as the history keeps it: its `span` indexes the file's text (the record's `offset` added,
    as the contract's spans do; the document may be gone), the payload's spans its document's text."""
    return {"category": item.category, "name": item.name, "stance": item.stance, "evidence": item.evidence,
            "text": item.text, "span": [item.span.start + offset, item.span.end + offset],
            "payload": dict(item.payload or {})}


def _stored_records(s: Session, document_id: int) -> list[ItemRecord]:
    """The items stored for a document, in text order."""
    rows = s.execute(select(ItemRow.category, ItemRow.name, ItemRow.stance, ItemRow.evidence, ItemRow.key,
                            ItemRow.text, ItemRow.span_start, ItemRow.span_end, ItemRow.payload, ItemRow.digest)
                     .where(ItemRow.document_id == document_id).order_by(ItemRow.span_start, ItemRow.id))
    return [ItemRecord(r.category, r.name, r.stance, r.evidence, r.key, r.text, Span(r.span_start, r.span_end),
                       r.payload, r.digest) for r in rows]


def _insert_rows(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows of one shape through the driver: COPY on PostgreSQL (measured: an eighth of
    executemany's client CPU and wall time for a document's items), the driver's executemany on SQLite
    (SQLAlchemy's processing of each row's parameters was a third of the writer's CPU in a large ingest),
    SQLAlchemy's executemany elsewhere. JSON columns are written as JSON text, NULL for None."""
    if not rows:
        return
    connection = s.connection()
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    as_time = {c.name for c in table.columns if isinstance(c.type, DateTime)} if dialect == "sqlite" else set()

    def value(column: str, v: Any) -> Any:
        if v is None:
            return None
        if column in as_json:
            return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        if column in as_time:  # as SQLAlchemy's SQLite DateTime stores it, so it reads it back
            return v.isoformat(" ", "microseconds")
        return v

    quoted = ", ".join(f'"{c}"' for c in columns)  # "key", "text", "before" are words of SQL
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection inside the transaction
    try:
        if dialect == "sqlite":
            placeholders = ", ".join("?" * len(columns))
            driver.executemany(f"INSERT INTO {table.name} ({quoted}) VALUES ({placeholders})",
                               [[value(c, row[c]) for c in columns] for row in rows])
            return
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([value(c, row[c]) for c in columns])
    except connection.dialect.loaded_dbapi.Error as exc:
        raise StoreError(f"could not store: {type(exc).__name__}: {str(exc).splitlines()[0]}") from exc


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
class _Written:
    """A document row being written, with what the history needs of it and of what it replaced."""

    row: DocumentRow
    document: Document
    substance: str | None
    old: list[ItemRecord]
    old_substance: str | None
    old_offset: int


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


def _key_item(item_key: str) -> dict[str, Any]:
    """What a history row made before 0004 knows of its item: category, name and stance."""
    category, _, rest = item_key.partition("|")
    name, _, stance = rest.rpartition("|")
    return {"category": category, "name": name, "stance": stance or None}


class Store:
    """A knowledge base. Not thread-safe; one per thread (the engine pools connections)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(write=True)  # SQLite: BEGIN IMMEDIATE (see _sqlite_begin)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

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
        return self._writing([source], lambda s: self._put_file(s, source, sha256, ready, _now()))

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
            return [self._put_file(s, source, sha256, extractions, now) for _, source, sha256, extractions in batch]

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
                  now: datetime) -> str:
        records = [x.document.record or "" for x in extractions]
        rows = {r.record: r for r in s.scalars(select(DocumentRow).where(DocumentRow.source == source))}
        if set(rows) == set(records) and all(r.sha256 == sha256 for r in rows.values()):
            return "unchanged"
        for x in extractions:
            self._write(s, rows.get(x.document.record or ""), x, now)
        for record in sorted(set(rows) - set(records)):
            self._drop(s, rows[record], now)
        return "updated" if rows else "added"

    def put(self, x: Extraction) -> str:
        """Store one document atomically: 'added', 'updated' (items replaced, history kept) or 'unchanged'.

        Other records of the same file are left as they are; `put_all` stores a whole file."""
        doc = x.document

        def store(s: Session) -> str:
            row = s.scalar(select(DocumentRow).where(DocumentRow.source == doc.source,
                                                     DocumentRow.record == (doc.record or "")))
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
                with Session(self._writer) as s, s.begin():
                    if self.dialect == "postgresql":
                        for key in sorted({_lock_key(source) for source in sources}):
                            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
                    done = store(s)
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
            rows = list(s.scalars(select(DocumentRow).where(DocumentRow.source == source)))
            for row in rows:
                self._drop(s, row, now)
            return len(rows)

        return self._writing([source], store)

    @staticmethod
    def _write(s: Session, row: DocumentRow | None, x: Prepared, now: datetime) -> None:
        """Insert or replace one document and its items, recording in the history which items came,
        went, or kept their category, name and stance with other values (one "changed" entry)."""
        recs = x.records
        written = Store._document_row(s, row, x, len(recs), now)
        Store._add_items(s, written, recs)
        Store._add_history(s, written, _changes(written.old, recs), now)
        s.info.setdefault(_TOUCHED, set()).update((written.old_substance, written.substance))

    @staticmethod
    def _document_row(s: Session, row: DocumentRow | None, x: Prepared, n_items: int, now: datetime) -> _Written:
        """Insert or update the row of one document, its old items deleted (and returned, for the history)."""
        doc = x.document
        substance = x.substance.strip().lower() if x.substance else None
        old: list[ItemRecord] = []
        old_substance, old_offset = substance, doc.offset
        if row is None:
            row = DocumentRow(source=doc.source, record=doc.record or "", ingested_at=now)
            s.add(row)
        else:
            old = _stored_records(s, row.id)
            old_substance, old_offset = row.substance, row.text_offset
            s.execute(delete(ItemRow).where(ItemRow.document_id == row.id))
        row.sha256, row.kind, row.format, row.text_offset = doc.sha256, doc.kind, doc.format, doc.offset
        row.title, row.modified, row.text, row.content_key = doc.title, doc.modified, doc.text, content_key(doc)
        row.substance, row.has_references, row.n_items = substance, x.has_references, n_items
        row.ingested_at = now
        s.flush()
        return _Written(row, doc, substance, old, old_substance, old_offset)

    @staticmethod
    def _add_items(s: Session, w: _Written, recs: Sequence[ItemRecord]) -> None:
        # Items and their history as plain rows, one executemany each: the ORM's unit of work per item
        # was most of the cost of storing a document.
        if recs:
            _insert_rows(s, ITEMS, [
                {"document_id": w.row.id, "category": r.category, "substance": w.substance, "name": r.name,
                 "stance": r.stance, "evidence": r.evidence, "key": r.key, "digest": r.digest, "text": r.text,
                 "payload": r.payload, "span_start": r.span.start, "span_end": r.span.end} for r in recs])

    @staticmethod
    def _add_history(s: Session, w: _Written, changes: Iterable[tuple[str, ItemRecord, ItemRecord | None]],
                     now: datetime) -> None:
        doc = w.document
        history = [{"source": doc.source, "record": doc.record or "", "item_key": item.key, "change": change,
                    "at": now, "document_id": w.row.id,
                    "substance": w.old_substance if change == "removed" else w.substance,
                    "item": _stored_item(item, w.old_offset if change == "removed" else doc.offset),
                    "before": None if before is None else _stored_item(before, w.old_offset)}
                   for change, item, before in changes]
        if history:
            _insert_rows(s, HISTORY, history)

    def put_parts(self, source: str, sha256: str, parts: Iterable[Extraction]) -> str:
        """Store a file of one document whose items come a part at a time (extract.blocks.extract_parts, for a
        huge document) in one transaction, as `put_all` stores a file: 'added', 'updated' or 'unchanged'. The
        document is the first part's; each part's items are written as it comes, so only one part's items are
        held (and, when the file was stored before, its old items, to record what changed)."""
        def store(s: Session) -> str:
            now = _now()
            rows = {r.record: r for r in s.scalars(select(DocumentRow).where(DocumentRow.source == source))}
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
                n_items += len(recs)
            if written is None or matching is None:
                raise StoreError(f"{source}: no document to store")
            self._add_history(s, written, matching.rest(), now)
            written.row.n_items = n_items
            for record in sorted(set(rows) - {""}):
                self._drop(s, rows[record], now)
            s.info.setdefault(_TOUCHED, set()).update((written.old_substance, written.substance))
            return "updated" if rows else "added"

        return self._writing([source], store)

    @staticmethod
    def _drop(s: Session, row: DocumentRow, now: datetime) -> None:
        """Delete a document (a record its file no longer has, or a file that is gone), keeping the
        removal of each of its items in the history."""
        items = _stored_records(s, row.id)
        if items:
            _insert_rows(s, HISTORY, [
                {"source": row.source, "record": row.record, "item_key": i.key, "change": "removed", "at": now,
                 "document_id": row.id, "substance": row.substance, "item": _stored_item(i, row.text_offset),
                 "before": None} for i in items])
        s.execute(delete(ItemRow).where(ItemRow.document_id == row.id))
        s.delete(row)
        s.info.setdefault(_TOUCHED, set()).add(row.substance)

    # --- reading -------------------------------------------------------------------------

    def data_version(self) -> tuple[str | None, ...]:
        """A value that changes whenever a document is ingested, updated or removed (one cheap statement):
        readers key their caches on it to see other writers' changes."""
        with self.engine.connect() as conn:
            row = conn.execute(_VERSION_SQL).one()
        return tuple(None if v is None else str(v) for v in row)

    def substances(self, names: Iterable[str] | None = None) -> list[SubstanceSummary]:
        """Every substance (or those of `names`) with how many sources (distinct contents, not copies),
        statements and community reports mention it."""
        one_source = func.coalesce(DocumentRow.content_key, cast(DocumentRow.id, String))
        sources = (select(DocumentRow.substance, func.count(func.distinct(one_source)))
                   .where(DocumentRow.substance.is_not(None)).group_by(DocumentRow.substance))
        posts = func.sum(case((ItemRow.category == "post", 1), else_=0))
        statements = (select(ItemRow.substance, func.count(ItemRow.id), posts)
                      .where(ItemRow.substance.is_not(None), ItemRow.category != "reference")
                      .group_by(ItemRow.substance))
        if names is not None:
            wanted = sorted(set(names))
            sources = sources.where(DocumentRow.substance.in_(wanted))
            statements = statements.where(ItemRow.substance.in_(wanted))
        with Session(self.engine) as s:
            n_sources = dict(s.execute(sources).all())
            rows = s.execute(statements).all()
        counts = {name: (int(n or 0), int(p or 0)) for name, n, p in rows}
        return [SubstanceSummary(name, n, counts.get(name, (0, 0))[0] - counts.get(name, (0, 0))[1],
                                 counts.get(name, (0, 0))[1]) for name, n in sorted(n_sources.items())
                if name is not None]  # already filtered by the query; narrows the type

    def substance_names(self) -> list[str]:
        with Session(self.engine) as s:
            return sorted(n for n in s.scalars(select(DocumentRow.substance).distinct()) if n)

    def titled_substances(self) -> list[tuple[str, str]]:
        """(title, substance) of the documents that have both: the product names labels file under a generic."""
        with Session(self.engine) as s:
            rows = s.execute(select(DocumentRow.title, DocumentRow.substance).distinct()
                             .where(DocumentRow.title.is_not(None), DocumentRow.substance.is_not(None))).all()
            return [(str(title), str(substance)) for title, substance in rows]

    def items(self, substance: str, categories: Iterable[str] | None = None) -> list[StoredItem]:
        """Items of the documents whose main subject is `substance`, in document then text order; of a huge
        document (over HUGE_DOCUMENT_ITEMS items), only the first ITEMS_PER_KEY of each category, name and
        stance (it is one source, cited a few times), so a summary of a 40 MB text does not read them all."""
        q = _ITEMS_QUERY.where(ItemRow.substance == substance)
        if categories is not None:
            q = q.where(ItemRow.category.in_(list(categories)))
        with Session(self.engine) as s:
            huge = list(s.scalars(select(DocumentRow.id).where(DocumentRow.substance == substance,
                                                               DocumentRow.n_items > HUGE_DOCUMENT_ITEMS)))
        if huge:
            ranked = (select(ItemRow.id, func.row_number().over(partition_by=(ItemRow.document_id, ItemRow.key),
                                                                order_by=(ItemRow.span_start, ItemRow.id)).label("n"))
                      .where(ItemRow.document_id.in_(huge)).subquery())
            firsts = select(ranked.c.id).where(ranked.c.n <= ITEMS_PER_KEY)
            q = q.where(ItemRow.document_id.not_in(huge) | ItemRow.id.in_(firsts))
        return self._stored_items(q)

    def interactions(self, parties: Iterable[str]) -> list[StoredItem]:
        """Interaction items of any document naming one of `parties` (compared case-insensitively) as
        either side, in document then text order: what every source says about those substances or classes."""
        wanted = sorted({p.casefold() for p in parties})
        if not wanted:
            return []
        side_a = func.lower(ItemRow.payload["a"].as_string())
        side_b = func.lower(ItemRow.payload["b"].as_string())
        return self._stored_items(_ITEMS_QUERY.where(ItemRow.category == "interaction",
                                                     side_a.in_(wanted) | side_b.in_(wanted)))

    def _stored_items(self, q: Any) -> list[StoredItem]:
        """Rows of _ITEMS_QUERY as StoredItems, each document's info built once."""
        out = []
        infos: dict[int, DocumentInfo] = {}
        with Session(self.engine) as s:
            for row in s.execute(q):
                info = infos.get(row[10]) or infos.setdefault(row[10], _info_of(row[10:]))
                out.append(StoredItem(row[0], info, row[1], row[2], row[3], row[4], row[5], row[6],
                                      Span(row[7], row[8]), dict(row[9] or {})))
        return out

    def documents(self, substance: str | None = None) -> list[DocumentInfo]:
        with Session(self.engine) as s:
            q = select(DocumentRow).order_by(DocumentRow.source, DocumentRow.text_offset, DocumentRow.id)
            if substance is not None:
                q = q.where(DocumentRow.substance == substance)
            return [_info(r) for r in s.scalars(q)]

    def document(self, doc_id: int) -> tuple[DocumentInfo, str, str, list[StoredItem]]:
        """(info, format, text, items) of one document; NotFoundError if there is none."""
        with Session(self.engine) as s:
            row = s.get(DocumentRow, doc_id)
            if row is None:
                raise NotFoundError(f"no document {doc_id}")
            info = _info(row)
            items = [StoredItem(i.id, info, i.category, i.substance, i.name, i.stance, i.evidence, i.text,
                                Span(i.span_start, i.span_end), dict(i.payload or {}))
                     for i in s.scalars(select(ItemRow).where(ItemRow.document_id == doc_id)
                                        .order_by(ItemRow.span_start, ItemRow.id))]
            return info, row.format, row.text, items

    def history(self, substances: Iterable[str] | None = None, source: str | None = None) -> list[HistoryEntry]:
        """Item changes, oldest first: of the documents about any of `substances` (as they were when the
        change was made, so removed documents are included), and/or of the file stored as `source`."""
        with Session(self.engine) as s:
            q = select(HistoryRow).order_by(HistoryRow.id)
            if substances is not None:
                q = q.where(HistoryRow.substance.in_(list(substances)))
            if source is not None:
                q = q.where(HistoryRow.source == source)
            return [HistoryEntry(h.id, h.at, h.document_id, h.source, h.record or None, h.substance, h.change,
                                 dict(h.item) if h.item else _key_item(h.item_key),
                                 dict(h.before) if h.before else None) for h in s.scalars(q)]

    def history_substances(self) -> list[str]:
        """Every substance the history names, including those whose documents are all gone."""
        with Session(self.engine) as s:
            return sorted(n for n in s.scalars(select(HistoryRow.substance).distinct()) if n)

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

    # --- search (see store/search.py) -------------------------------------------------------

    def _searching(self, budget: QueryBudget | None, run: Callable[[Connection], T]) -> T:
        """`run` on one connection, within `budget` (by default SEARCH_SECONDS)."""
        budget = budget or QueryBudget(SEARCH_SECONDS)
        try:
            with self.engine.connect() as conn, budget.limiting(conn):
                search.prepare(conn)
                return run(conn)
        except QueryTimeoutError:
            raise
        except SQLAlchemyError as exc:
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

    # --- summaries (see store/summaries.py) --------------------------------------------------

    def summary_generation(self, substance: str) -> int:
        """How often the documents about `substance` changed: a summary is built from one generation."""
        with Session(self.engine) as s:
            return summaries.generation(s, substance)

    def summary(self, substance: str, part: str, fmt: str) -> bytes | None:
        """A summary part of `substance`, if it is current (built from its present documents by code `fmt`)."""
        with Session(self.engine) as s:
            return summaries.current_part(s, substance, part, fmt)

    def put_summary(self, substance: str, built_from: int, fmt: str, parts: Mapping[str, bytes],
                    aliases: Iterable[str] | None = None) -> bool:
        """Store the summary parts of `substance` built from generation `built_from` (and its other names,
        when given), replacing its old parts; False when its documents changed meanwhile (nothing stored)."""
        return self._writing([f"summary:{substance}"],
                             lambda s: summaries.replace(s, substance, built_from, fmt, parts, aliases))

    def put_summaries(self, fmt: str, built: Sequence[tuple[str, int, Mapping[str, bytes], Iterable[str] | None]]
                      ) -> list[bool]:
        """`put_summary` for many substances (substance, built from, parts, aliases) in one transaction: one
        commit, not one per substance, after an ingest. Per substance, whether it was stored."""
        return self._writing([f"summary:{substance}" for substance, *_ in built],
                             lambda s: [summaries.replace(s, substance, built_from, fmt, parts, aliases)
                                        for substance, built_from, parts, aliases in built])

    def stale_summaries(self, part: str, fmt: str) -> list[str]:
        """Substances whose summary `part` is missing or out of date."""
        with Session(self.engine) as s:
            return summaries.stale(s, part, fmt)

    def substances_called(self, alias: str) -> list[str]:
        """The substances `alias` is a stored other name of (a brand, a synonym, a product title)."""
        with Session(self.engine) as s:
            return summaries.substances_called(s, alias)
