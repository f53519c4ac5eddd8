"""Store: connection, migrations, storing extractions and the queries the knowledge layer needs.

It stores what it is given; reading and extracting files is materia.pipeline's job."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, String, case, cast, create_engine, delete, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, defer
from sqlalchemy.pool import NullPool

from materia.errors import NotFoundError, StoreError
from materia.store.models import DocumentRow, HistoryRow, ItemRow
from materia.store.rows import DocumentInfo, HistoryEntry, SearchHit, StoredItem, SubstanceSummary
from materia.store.serialise import content_key, records
from materia.types import Extraction, Span

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
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
        _migrate(url)
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
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
                        row.content_key)


def _stored_item(item: ItemRow, offset: int) -> dict[str, Any]:
    """An item as the history keeps it: its `span` indexes the file's text (the record's `offset` added,
    as the contract's spans do; the document may be gone), the payload's spans its document's text."""
    return {"category": item.category, "name": item.name, "stance": item.stance, "evidence": item.evidence,
            "text": item.text, "span": [item.span_start + offset, item.span_end + offset],
            "payload": dict(item.payload or {})}


def _changes(old: Sequence[ItemRow], new: Sequence[ItemRow]) -> list[tuple[str, ItemRow, ItemRow | None]]:
    """(change, item, before) turning the items `old` into `new`, each list in text order.

    An item is its key (category|name|stance) and its values' digest: one in both lists is no change,
    wherever it moved. What is left of one key on both sides is paired in text order as "changed"
    (before = the old item); the rest of the old is "removed", of the new "added". An old item stored
    before values were hashed (no digest) matches any new item of its key, so it records no change."""
    unmatched_new: dict[str, list[ItemRow]] = {}
    for item in new:
        unmatched_new.setdefault(item.key, []).append(item)
    left_old: dict[str, list[ItemRow]] = {}
    for item in old:
        same = unmatched_new.get(item.key, [])
        match = next((n for n in same if item.digest is None or n.digest == item.digest), None)
        if match is not None:
            same.remove(match)
        else:
            left_old.setdefault(item.key, []).append(item)
    out: list[tuple[str, ItemRow, ItemRow | None]] = []
    for key in sorted(set(left_old) | set(unmatched_new)):
        gone, came = left_old.get(key, []), unmatched_new.get(key, [])
        out += [("changed", after, before) for before, after in zip(gone, came, strict=False)]
        out += [("removed", before, None) for before in gone[len(came):]]
        out += [("added", after, None) for after in came[len(gone):]]
    return out


def _key_item(item_key: str) -> dict[str, Any]:
    """What a history row made before 0004 knows of its item: category, name and stance."""
    category, _, rest = item_key.partition("|")
    name, _, stance = rest.rpartition("|")
    return {"category": category, "name": name, "stance": stance or None}


def _fts_query(query: str) -> str:
    """User words as an FTS5 query: every word must occur (quoted, so no syntax leaks in)."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


class Store:
    """A knowledge base. Not thread-safe; one per thread (the engine pools connections)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(write=True)  # SQLite: BEGIN IMMEDIATE (see _sqlite_begin)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

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

    def put_all(self, source: str, sha256: str, extractions: Sequence[Extraction]) -> str:
        """Store every document of one file (one per record of a many-record file) in one transaction,
        dropping records the file no longer has: 'added', 'updated' or 'unchanged'."""
        if not extractions or any(x.document.source != source or x.document.sha256 != sha256 for x in extractions):
            raise StoreError(f"{source}: expected the documents of this one file")
        records = [x.document.record or "" for x in extractions]
        if len(set(records)) != len(records):
            raise StoreError(f"{source}: two documents of this file claim the same record")

        def store(s: Session) -> str:
            now = _now()
            rows = {r.record: r for r in s.scalars(select(DocumentRow).where(DocumentRow.source == source))}
            if set(rows) == set(records) and all(r.sha256 == sha256 for r in rows.values()):
                return "unchanged"
            for x in extractions:
                self._write(s, rows.get(x.document.record or ""), x, now)
            for record in sorted(set(rows) - set(records)):
                self._drop(s, rows[record], now)
            return "updated" if rows else "added"

        return self._writing(source, store)

    def put(self, x: Extraction) -> str:
        """Store one document atomically: 'added', 'updated' (items replaced, history kept) or 'unchanged'.

        Other records of the same file are left as they are; `put_all` stores a whole file."""
        doc = x.document

        def store(s: Session) -> str:
            row = s.scalar(select(DocumentRow).where(DocumentRow.source == doc.source,
                                                     DocumentRow.record == (doc.record or "")))
            if row is not None and row.sha256 == doc.sha256:
                return "unchanged"
            self._write(s, row, x, _now())
            return "added" if row is None else "updated"

        return self._writing(doc.source, store)

    def _writing(self, source: str, store: Callable[[Session], T], attempts: int = 3) -> T:
        """Run `store` in one write transaction that no other writer of `source` interleaves with.

        SQLite: BEGIN IMMEDIATE takes the database's write lock first, so the transaction reads what
        the last writer committed. PostgreSQL: a transaction-scoped advisory lock on the source. A
        unique violation all the same (a writer that holds no such lock) is retried: the retry reads
        the winner's rows and updates them, or finds them unchanged."""
        for attempt in range(attempts):
            try:
                with Session(self._writer) as s, s.begin():
                    if self.dialect == "postgresql":
                        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(source)})
                    return store(s)
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

        return self._writing(source, store)

    @staticmethod
    def _write(s: Session, row: DocumentRow | None, x: Extraction, now: datetime) -> None:
        """Insert or replace one document and its items, recording in the history which items came,
        went, or kept their category, name and stance with other values (one "changed" entry)."""
        doc = x.document
        record = doc.record or ""
        recs = records(x)
        substance = x.substance.strip().lower() if x.substance else None
        old: list[ItemRow] = []
        old_substance, old_offset = substance, doc.offset
        if row is None:
            row = DocumentRow(source=doc.source, record=record, ingested_at=now)
            s.add(row)
        else:
            old = list(s.scalars(select(ItemRow).where(ItemRow.document_id == row.id)
                                 .order_by(ItemRow.span_start, ItemRow.id)))
            old_substance, old_offset = row.substance, row.text_offset
            s.execute(delete(ItemRow).where(ItemRow.document_id == row.id))
        row.sha256, row.kind, row.format, row.text_offset = doc.sha256, doc.kind, doc.format, doc.offset
        row.title, row.modified, row.text, row.content_key = doc.title, doc.modified, doc.text, content_key(doc)
        row.substance, row.has_references, row.n_items = substance, bool(x.references), len(recs)
        row.ingested_at = now
        s.flush()
        new = [ItemRow(document_id=row.id, category=r.category, substance=substance, name=r.name,
                       stance=r.stance, evidence=r.evidence, key=r.key, digest=r.digest, text=r.text,
                       payload=r.payload, span_start=r.span.start, span_end=r.span.end) for r in recs]
        s.add_all(new)

        def entry(change: str, item: ItemRow, before: ItemRow | None = None) -> HistoryRow:
            return HistoryRow(source=doc.source, record=record, item_key=item.key, change=change, at=now,
                              document_id=row.id, substance=old_substance if change == "removed" else substance,
                              item=_stored_item(item, old_offset if change == "removed" else doc.offset),
                              before=None if before is None else _stored_item(before, old_offset))

        s.add_all(entry(change, item, before) for change, item, before in _changes(old, new))

    @staticmethod
    def _drop(s: Session, row: DocumentRow, now: datetime) -> None:
        """Delete a document (a record its file no longer has, or a file that is gone), keeping the
        removal of each of its items in the history."""
        items = list(s.scalars(select(ItemRow).where(ItemRow.document_id == row.id)
                               .order_by(ItemRow.span_start, ItemRow.id)))
        s.add_all(HistoryRow(source=row.source, record=row.record, item_key=i.key, change="removed", at=now,
                             document_id=row.id, substance=row.substance, item=_stored_item(i, row.text_offset))
                  for i in items)
        s.execute(delete(ItemRow).where(ItemRow.document_id == row.id))
        s.delete(row)

    # --- reading -------------------------------------------------------------------------

    def data_version(self) -> tuple[str | None, ...]:
        """A value that changes whenever a document is ingested, updated or removed (one cheap statement):
        readers key their caches on it to see other writers' changes."""
        with self.engine.connect() as conn:
            row = conn.execute(_VERSION_SQL).one()
        return tuple(None if v is None else str(v) for v in row)

    def substances(self) -> list[SubstanceSummary]:
        """Every substance with how many sources (distinct contents, not copies), statements and community
        reports mention it."""
        one_source = func.coalesce(DocumentRow.content_key, cast(DocumentRow.id, String))
        with Session(self.engine) as s:
            n_sources = dict(s.execute(select(DocumentRow.substance, func.count(func.distinct(one_source)))
                                       .where(DocumentRow.substance.is_not(None))
                                       .group_by(DocumentRow.substance)).all())
            posts = func.sum(case((ItemRow.category == "post", 1), else_=0))
            rows = s.execute(select(ItemRow.substance, func.count(ItemRow.id), posts)
                             .where(ItemRow.substance.is_not(None), ItemRow.category != "reference")
                             .group_by(ItemRow.substance)).all()
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
        """Items of the documents whose main subject is `substance`, in document then text order."""
        with Session(self.engine) as s:
            q = (select(ItemRow, DocumentRow).join(DocumentRow, ItemRow.document_id == DocumentRow.id)
                 .where(ItemRow.substance == substance)
                 .options(defer(DocumentRow.text))  # never copy a document's text once per item
                 .order_by(DocumentRow.source, DocumentRow.text_offset, DocumentRow.id, ItemRow.span_start,
                           ItemRow.id))
            if categories is not None:
                q = q.where(ItemRow.category.in_(list(categories)))
            out = []
            infos: dict[int, DocumentInfo] = {}
            for item, doc in s.execute(q).all():
                info = infos.setdefault(doc.id, _info(doc))
                out.append(StoredItem(item.id, info, item.category, item.substance, item.name, item.stance,
                                      item.evidence, item.text, Span(item.span_start, item.span_end),
                                      dict(item.payload or {})))
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

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Substances by name, then statements and documents by full-text match."""
        words = re.findall(r"\w+", query.lower())
        if not words:
            return []
        hits: list[SearchHit] = []
        needle = " ".join(words)
        for name in self.substance_names():
            if needle in name or name in needle:
                hits.append(SearchHit("substance", name, name, substance=name))
        with Session(self.engine) as s:
            if self.dialect == "sqlite":
                fts = _fts_query(query)
                item_rows = s.execute(text(
                    "SELECT items.id, items.document_id, items.category, items.name, items.substance, "
                    "snippet(items_fts, 1, '[', ']', '…', 16) FROM items_fts JOIN items ON items.id = items_fts.rowid "
                    "WHERE items_fts MATCH :q AND items.category NOT IN ('reference', 'post') "
                    "ORDER BY rank LIMIT :n"), {"q": fts, "n": limit + offset}).all()
                doc_rows = s.execute(text(
                    "SELECT documents.id, coalesce(documents.title, documents.source), documents.substance, "
                    "snippet(documents_fts, 1, '[', ']', '…', 16) FROM documents_fts "
                    "JOIN documents ON documents.id = documents_fts.rowid "
                    "WHERE documents_fts MATCH :q ORDER BY rank LIMIT :n"), {"q": fts, "n": limit + offset}).all()
            else:
                item_rows = s.execute(text(
                    "SELECT id, document_id, category, name, substance, "
                    "ts_headline('english', text, plainto_tsquery('english', :q), "
                    "'StartSel=[, StopSel=], MaxWords=24, MinWords=8') FROM items "
                    "WHERE to_tsvector('english', name || ' ' || text) @@ plainto_tsquery('english', :q) "
                    "AND category NOT IN ('reference', 'post') "
                    "ORDER BY ts_rank(to_tsvector('english', name || ' ' || text), plainto_tsquery('english', :q)) "
                    "DESC, id LIMIT :n"), {"q": query, "n": limit + offset}).all()
                doc_rows = s.execute(text(
                    "SELECT id, coalesce(title, source), substance, "
                    "ts_headline('english', text, plainto_tsquery('english', :q), "
                    "'StartSel=[, StopSel=], MaxWords=24, MinWords=8') FROM documents "
                    "WHERE to_tsvector('english', coalesce(title, '') || ' ' || text) "
                    "@@ plainto_tsquery('english', :q) "
                    "ORDER BY ts_rank(to_tsvector('english', coalesce(title, '') || ' ' || text), "
                    "plainto_tsquery('english', :q)) DESC, id LIMIT :n"), {"q": query, "n": limit + offset}).all()
        hits += [SearchHit("statement", f"{cat}: {name}", " ".join(snip.split()), substance=subst,
                           document_id=doc_id, item_id=item_id)
                 for item_id, doc_id, cat, name, subst, snip in item_rows]
        hits += [SearchHit("document", title, " ".join(snip.split()), substance=subst, document_id=doc_id)
                 for doc_id, title, subst, snip in doc_rows]
        return hits[offset:offset + limit]
