"""Store: connection, migrations, ingestion and the queries the knowledge layer needs."""
from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, case, create_engine, delete, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, defer

from materia.errors import MateriaError, NotFoundError, StoreError
from materia.settings import Settings
from materia.store.models import DocumentRow, HistoryRow, ItemRow
from materia.store.rows import DocumentInfo, IngestReport, RawHit, StoredItem, SubstanceCounts
from materia.store.serialise import records
from materia.types import Extraction, Span

MIGRATIONS = Path(__file__).parent / "migrations"
Progress = Callable[[str, int, int], None]  # (path, done, total)


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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def connect(url_or_path: str) -> "Store":
    """Open the knowledge base at `url_or_path` and bring its schema up to date."""
    url = _url(url_or_path)
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the knowledge base {url_or_path}: {exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}") from exc
    return Store(engine)


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files named by `paths` (files, directories walked recursively, globs), and the misses."""
    files: list[str] = []
    missing: list[tuple[str, str]] = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).rglob("*")
                           if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
            files.extend(found)
        elif os.path.exists(p):
            files.append(p)
        elif glob.has_magic(p):
            matched = sorted(m for m in glob.glob(p, recursive=True) if os.path.isfile(m))
            files.extend(matched) if matched else missing.append((p, "no file matches"))
        else:
            missing.append((p, "no such file"))
    return list(dict.fromkeys(files)), missing


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _info(row: DocumentRow) -> DocumentInfo:
    return DocumentInfo(row.id, row.source, row.kind, row.title, row.modified, row.substance,
                        bool(row.has_references), row.n_items)


def _fts_query(query: str) -> str:
    """User words as an FTS5 query: every word must occur (quoted, so no syntax leaks in)."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{w}"' for w in words)


class Store:
    """A knowledge base. Not thread-safe; one per thread (the engine pools connections)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def ingest(self, paths: list[str], settings: Settings | None = None,
               progress: Progress | None = None, kind: str | None = None) -> IngestReport:
        """Read, extract and store each file in its own transaction; bad files are reported, not fatal.
        `kind` overrides the sniffed kind of every file (materia ingest --kind)."""
        from materia.extract import extract
        from materia.ingest import read_path

        settings = settings or Settings.from_env()
        files, failed = expand_paths(paths)
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        notes: list[tuple[str, str]] = []
        for i, path in enumerate(files):
            if progress:
                progress(path, i, len(files))
            try:
                document = read_path(path, settings, kind)
                notes.extend((path, n) for n in document.notes)
                if self._unchanged(document.source, document.sha256):
                    unchanged.append(path)
                    continue
                extraction = extract(document)
            except MateriaError as exc:
                failed.append((path, getattr(exc, "reason", str(exc))))
                continue
            except (ValueError, UnicodeError, RecursionError) as exc:  # an extractor choked: report, go on
                failed.append((path, f"could not extract: {exc.__class__.__name__}: {exc}"))
                continue
            outcome = self.put(extraction)
            (added if outcome == "added" else updated if outcome == "updated" else unchanged).append(path)
        if progress:
            progress("", len(files), len(files))
        return IngestReport(tuple(added), tuple(updated), tuple(unchanged), tuple(failed), tuple(notes))

    def _unchanged(self, source: str, sha256: str) -> bool:
        with Session(self.engine) as s:
            return s.scalar(select(DocumentRow.sha256).where(DocumentRow.source == source)) == sha256

    def put(self, x: Extraction) -> str:
        """Store one extraction atomically: 'added', 'updated' (items replaced, history kept) or 'unchanged'."""
        doc = x.document
        recs = records(x)
        now = _now()
        substance = x.substance.strip().lower() if x.substance else None
        try:
            with Session(self.engine) as s, s.begin():
                row = s.scalar(select(DocumentRow).where(DocumentRow.source == doc.source))
                if row is not None and row.sha256 == doc.sha256:
                    return "unchanged"
                outcome = "added" if row is None else "updated"
                old_keys: set[str] = set()
                if row is None:
                    row = DocumentRow(source=doc.source, ingested_at=now)
                    s.add(row)
                else:
                    old_keys = set(s.scalars(select(ItemRow.key).where(ItemRow.document_id == row.id)))
                    s.execute(delete(ItemRow).where(ItemRow.document_id == row.id))
                row.sha256, row.kind, row.format = doc.sha256, doc.kind, doc.format
                row.title, row.modified, row.text = doc.title, doc.modified, doc.text
                row.substance, row.has_references, row.n_items = substance, bool(x.references), len(recs)
                row.ingested_at = now
                s.flush()
                s.add_all(ItemRow(document_id=row.id, category=r.category, substance=substance, name=r.name,
                                  stance=r.stance, evidence=r.evidence, key=r.key, text=r.text, payload=r.payload,
                                  span_start=r.span.start, span_end=r.span.end) for r in recs)
                new_keys = {r.key for r in recs}
                if outcome == "updated":
                    s.add_all(HistoryRow(source=doc.source, item_key=k, change="removed", at=now)
                              for k in sorted(old_keys - new_keys))
                s.add_all(HistoryRow(source=doc.source, item_key=k, change="added", at=now)
                          for k in sorted(new_keys - old_keys))
                return outcome
        except SQLAlchemyError as exc:
            raise StoreError(f"{doc.source}: could not store: {str(exc).splitlines()[0]}") from exc

    # --- reading -------------------------------------------------------------------------

    def substances(self) -> list[SubstanceCounts]:
        """Every substance with how many sources, statements and community reports mention it."""
        with Session(self.engine) as s:
            n_sources = dict(s.execute(select(DocumentRow.substance, func.count(DocumentRow.id))
                                       .where(DocumentRow.substance.is_not(None))
                                       .group_by(DocumentRow.substance)).all())
            posts = func.sum(case((ItemRow.category == "post", 1), else_=0))
            rows = s.execute(select(ItemRow.substance, func.count(ItemRow.id), posts)
                             .where(ItemRow.substance.is_not(None), ItemRow.category != "reference")
                             .group_by(ItemRow.substance)).all()
        counts = {name: (int(n or 0), int(p or 0)) for name, n, p in rows}
        return [SubstanceCounts(name, n, counts.get(name, (0, 0))[0] - counts.get(name, (0, 0))[1],
                                counts.get(name, (0, 0))[1]) for name, n in sorted(n_sources.items())]

    def substance_names(self) -> list[str]:
        with Session(self.engine) as s:
            return sorted(n for n in s.scalars(select(DocumentRow.substance).distinct()) if n)

    def items(self, substance: str, categories: Iterable[str] | None = None) -> list[StoredItem]:
        """Items of the documents whose main subject is `substance`, in document then text order."""
        with Session(self.engine) as s:
            q = (select(ItemRow, DocumentRow).join(DocumentRow, ItemRow.document_id == DocumentRow.id)
                 .where(ItemRow.substance == substance)
                 .options(defer(DocumentRow.text))  # never copy a document's text once per item
                 .order_by(DocumentRow.source, ItemRow.span_start, ItemRow.id))
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
            q = select(DocumentRow).order_by(DocumentRow.source)
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

    def history(self, source: str | None = None) -> list[tuple[str, str, str, datetime]]:
        with Session(self.engine) as s:
            q = select(HistoryRow).order_by(HistoryRow.id)
            if source is not None:
                q = q.where(HistoryRow.source == source)
            return [(h.source, h.item_key, h.change, h.at) for h in s.scalars(q)]

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

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[RawHit]:
        """Substances by name, then statements and documents by full-text match."""
        words = re.findall(r"\w+", query.lower())
        if not words:
            return []
        hits: list[RawHit] = []
        needle = " ".join(words)
        for name in self.substance_names():
            if needle in name or name in needle:
                hits.append(RawHit("substance", name, name, substance=name))
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
                    "WHERE to_tsvector('english', coalesce(title, '') || ' ' || text) @@ plainto_tsquery('english', :q) "
                    "ORDER BY ts_rank(to_tsvector('english', coalesce(title, '') || ' ' || text), "
                    "plainto_tsquery('english', :q)) DESC, id LIMIT :n"), {"q": query, "n": limit + offset}).all()
        hits += [RawHit("statement", f"{cat}: {name}", " ".join(snip.split()), doc_id, item_id, subst)
                 for item_id, doc_id, cat, name, subst, snip in item_rows]
        hits += [RawHit("document", title, " ".join(snip.split()), doc_id, None, subst)
                 for doc_id, title, subst, snip in doc_rows]
        return hits[offset:offset + limit]
