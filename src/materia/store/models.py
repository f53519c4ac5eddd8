"""SQLAlchemy 2 table models: documents, their items, and the history of item changes.

The migration in migrations/versions creates exactly these tables; models are used for
querying only, so the schema has one owner (the migration).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    """One document: a file, or one record of a many-record file (`record` '' for a whole file)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("source", "record", name="uq_documents_source_record"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(1024))
    record: Mapped[str] = mapped_column(String(200), default="")
    text_offset: Mapped[int] = mapped_column(Integer, default=0)  # where `text` starts in the file's text
    content_key: Mapped[str | None] = mapped_column(String(120))  # what it says: one source across copies
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    modified: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    substance: Mapped[str | None] = mapped_column(String(200))
    has_references: Mapped[bool] = mapped_column(default=False)
    n_items: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class ItemRow(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(32))
    substance: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(64))
    evidence: Mapped[str | None] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(Text)  # category|name|stance
    digest: Mapped[str | None] = mapped_column(String(64))  # its values (serialise.values_digest)
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class HistoryRow(Base):
    __tablename__ = "history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(1024))
    record: Mapped[str] = mapped_column(String(200), default="")
    item_key: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(String(16))  # added | removed | changed
    at: Mapped[datetime] = mapped_column(DateTime)
    document_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the document may be gone
    substance: Mapped[str | None] = mapped_column(String(200))
    item: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the item as stored (after, for a change)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a changed item as it was


class GenerationRow(Base):
    """Per substance, a counter every write touching its documents moves: summaries built from an older
    generation are stale."""

    __tablename__ = "substance_generations"

    substance: Mapped[str] = mapped_column(String(200), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)


class SummaryRow(Base):
    """One part of a substance's summary, as the knowledge layer encoded it (opaque to the store)."""

    __tablename__ = "summaries"

    substance: Mapped[str] = mapped_column(String(200), primary_key=True)
    part: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(64))  # the code that computed it
    body: Mapped[bytes] = mapped_column(LargeBinary)
    built_at: Mapped[datetime] = mapped_column(DateTime)


class AliasRow(Base):
    """Another name of a stored substance (a brand, a synonym, a product title), normalised."""

    __tablename__ = "substance_aliases"

    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    substance: Mapped[str] = mapped_column(String(200), primary_key=True)
