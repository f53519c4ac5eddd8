"""Typed rows the store hands out (no SQLAlchemy types leave the store package)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from materia.types import Span


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: int
    source: str
    kind: str
    title: str | None
    modified: date | None
    substance: str | None
    has_references: bool
    n_items: int = 0
    record: str | None = None  # which record of its file ("row 12"); None for a whole file
    offset: int = 0  # where this document's text starts in its file's text
    content_key: str | None = None  # documents with one content key are one source in several locations
    ingested: date | None = None  # when it was last stored (read, extracted) here


@dataclass(frozen=True, slots=True)
class StoredItem:
    """One extracted item as stored, with the document it came from."""

    id: int
    document: DocumentInfo
    category: str
    substance: str | None
    name: str
    stance: str | None
    evidence: str | None
    text: str
    span: Span
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change to one item of one document: added, removed, or changed (same category, name
    and stance, other values; `before` holds the values it had). Items are as stored: category,
    name, stance, evidence, text, span and payload."""

    id: int
    when: datetime
    document_id: int | None
    source: str
    record: str | None
    substance: str | None
    change: str  # added | removed | changed
    item: dict[str, Any]
    before: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class SubstanceSummary:
    """A substance with how many sources, statements and community reports mention it."""

    name: str
    n_sources: int
    n_statements: int
    n_reports: int


@dataclass(frozen=True, slots=True)
class StatementMatch:
    """A statement (an extracted item) holding every search term in its name or text; lower `rank` is better."""

    item_id: int
    document_id: int
    substance: str | None
    category: str
    name: str
    stance: str | None
    rank: float


@dataclass(frozen=True, slots=True)
class DocumentMatch:
    """A document holding every search term in its title or text; lower `rank` is better."""

    document_id: int
    substance: str | None
    title: str | None
    content_key: str | None
    rank: float


@dataclass(frozen=True, slots=True)
class Snippet:
    """The words around a match with the matched words bracketed as [word], and (for a statement) the span
    of its evidence (the sentence saying it) in its document's text."""

    text: str
    span: tuple[int, int] | None
