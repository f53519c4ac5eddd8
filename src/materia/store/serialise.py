"""Extraction -> item records (category, name, stance, key, evidence text, JSON payload).

Pure functions: no database here, so they are easy to test and reuse.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from materia.categories import CATEGORIES, items
from materia.serialise import encoder, shallow
from materia.types import Document, Extraction, Span

MAX_TEXT = 4000  # evidence text kept per item; payload spans still index the full document


@dataclass(frozen=True, slots=True)
class ItemRecord:
    category: str
    name: str
    stance: str | None
    evidence: str | None
    key: str  # category|name|stance: what the item is about, the same across value edits
    text: str
    span: Span
    held_payload: dict[str, Any] | None  # the payload's values; None when only its JSON text is held (see `payload`)
    digest: str | None  # what the item says (values_digest), None if stored before migration 0004
    payload_json: str | None = None  # the payload as a JSON column stores it (json_column), made where the item
    # was extracted, so the one writer does not encode it for the items and again for the history; None: read back

    @property
    def payload(self) -> dict[str, Any]:
        """The payload's values: held (a record read back from the store), or decoded from `payload_json` (a record
        made by `records` holds only the text, which is all the writer reads: unpickling the dicts was a fifth of
        what it spent receiving them from a worker, and making them more than encoding them)."""
        if self.held_payload is not None:
            return self.held_payload
        assert self.payload_json is not None  # a record holds one or the other
        decoded: dict[str, Any] = json.loads(self.payload_json)
        return decoded

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its values (a slotted dataclass's own pickling calls dataclasses.fields for each record and
        # its span); Prepared sends its records as plain tuples, which this reads back.
        return _record, _values(self)


def _values(r: ItemRecord) -> tuple[Any, ...]:
    """A record as the plain values it is sent as: the payload's dict only when there is no JSON text of it."""
    return (r.category, r.name, r.stance, r.evidence, r.key, r.text, r.span.start, r.span.end,
            r.held_payload if r.payload_json is None else None, r.digest, r.payload_json)


def _record(category: str, name: str, stance: str | None, evidence: str | None, key: str, text: str, start: int,
            end: int, payload: dict[str, Any] | None, digest: str | None, payload_json: str | None) -> ItemRecord:
    return ItemRecord(category, name, stance, evidence, key, text, Span(start, end), payload, digest, payload_json)


_COLUMN_JSON = encoder(allow_nan=True)


def json_column(value: Any) -> str:
    """A value of a JSON column as the store writes it (the items' payloads, the history's items); typed values
    (an item's dataclass) are written as their plain JSON (materia.serialise.to_json) would be."""
    return _COLUMN_JSON(value)


_PIECE = 1 << 20  # characters normalised at a time
_SPACE = re.compile(r"\s")


def normalised_text_key(text: str) -> str:
    """"text:" + SHA-256 of the text case-folded with its whitespace collapsed (layout is not content).

    A piece of about a million characters at a time, each cut at whitespace (which no word crosses and
    case folding leaves as it is): the words of a 40 MB text at once are millions of strings, 400 MB."""
    digest = hashlib.sha256()
    start, first = 0, True
    while start < len(text):
        space = _SPACE.search(text, start + _PIECE) if len(text) - start > _PIECE else None
        end = space.start() if space else len(text)
        words = " ".join(text[start:end].casefold().split())
        if words:
            digest.update((words if first else " " + words).encode("utf-8"))
            first = False
        start = end
    return "text:" + digest.hexdigest()


def content_key(doc: Document) -> str:
    """What a document says, whichever file it is in: one source however many locations hold it.

    A label is its SPL set id and version (one published version of one label, whether saved
    as SPL XML or served as openFDA JSON); anything else is its normalised text."""
    set_id = doc.metadata.get("set_id", "").strip().lower()
    if set_id:
        return f"label:{set_id}:{doc.metadata.get('version', '').strip()}"
    return normalised_text_key(doc.text)


_OFFSET_FIELDS: dict[type, frozenset[str]] = {}


def _offset_fields(cls: type) -> frozenset[str]:
    """Fields of an item dataclass declared as spans: where it is said, not what it says."""
    names = _OFFSET_FIELDS.get(cls)
    if names is None:
        names = _OFFSET_FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls) if "Span" in str(f.type))
    return names


_DIGEST_JSON = encoder(sort_keys=True, allow_nan=True)


def values_digest(payload: dict[str, Any], offset_fields: frozenset[str]) -> str:
    """SHA-256 of an item's payload without its offsets, keys sorted: the same values anywhere in a
    file hash alike, and "30 g" becoming "40 g" changes it. Migration 0004 holds a frozen copy. The payload's
    values may be typed (an item's fields): they hash as their plain JSON."""
    meaningful = {k: v for k, v in payload.items() if k not in offset_fields}
    blob = _DIGEST_JSON(meaningful)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _evidence_span(item: Any) -> Span:
    sentence = getattr(item, "sentence", None)
    return sentence if isinstance(sentence, Span) else item.span


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document's extraction as the store writes it: its row's values and its item records. Made where
    the document was extracted (a worker process), so the one writer of an ingest serialises no items."""

    document: Document  # without its sections and marks, which the store does not keep (nor a worker send)
    substance: str | None
    has_references: bool
    records: tuple[ItemRecord, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        # Its records as tuples of plain values, read back by one call: a call per record was most of what
        # unpickling a document cost the writer, beside the payloads' dicts (which it never reads: not sent).
        return _prepared, (self.document, self.substance, self.has_references, tuple(map(_values, self.records)))


def _prepared(document: Document, substance: str | None, has_references: bool,
              records: tuple[tuple[Any, ...], ...]) -> Prepared:
    return Prepared(document, substance, has_references, tuple(
        ItemRecord(category, name, stance, evidence, key, text, Span(start, end), payload, digest, payload_json)
        for category, name, stance, evidence, key, text, start, end, payload, digest, payload_json in records))


def prepare(x: Extraction | Prepared) -> Prepared:
    """An extraction ready to store (a prepared one as it is)."""
    if isinstance(x, Prepared):
        return x
    # unpickling a document's sections was a third of what the writer spent receiving it from a worker
    document = dataclasses.replace(x.document, sections=(), marked=())
    return Prepared(document, x.substance, bool(x.references), tuple(records(x)))


def records(x: Extraction) -> list[ItemRecord]:
    """Every item of an extraction as a record to store, in a stable order; each category says how
    (materia.categories: name, stance, evidence and evidence span)."""
    text = x.document.text
    out: list[ItemRecord] = []

    def add(category: str, item: Any, name: str, stance: str | None = None, evidence: str | None = None,
            span: Span | None = None) -> None:
        ev = span or _evidence_span(item)
        name = (name or category).strip() or category
        # The item's fields as they are, encoded by the C encoder going down them (no plain copy made first, which
        # cost more than both encodings); the record holds only the JSON text, decoded if its payload is asked for.
        fields = shallow(item)
        out.append(ItemRecord(category, name[:500], stance, evidence, f"{category}|{name.lower()}|{stance or ''}",
                              ev.of(text)[:MAX_TEXT], item.span, None,
                              values_digest(fields, _offset_fields(type(item))), json_column(fields)))

    for category in CATEGORIES:  # the registry's order: the order records are stored in
        for item in items(x, category):
            shape = category.stored(item)
            add(category.key, item, shape.name, shape.stance, shape.evidence, shape.span)
    return out
