"""Extraction -> item records (category, name, stance, key, evidence text, JSON payload).

Pure functions: no database here, so they are easy to test and reuse.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from materia.types import Document, Extraction, Span

MAX_TEXT = 4000  # evidence text kept per item; payload spans still index the full document


@dataclass(frozen=True, slots=True)
class ItemRecord:
    category: str
    name: str
    stance: str | None
    evidence: str | None
    key: str
    text: str
    span: Span
    payload: dict[str, Any]


def to_json(value: Any) -> Any:
    """Dataclasses, spans, dates and tuples as plain JSON values."""
    if isinstance(value, Span):
        return [value.start, value.end]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def normalised_text_key(text: str) -> str:
    """"text:" + SHA-256 of the text case-folded with its whitespace collapsed (layout is not content)."""
    return "text:" + hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def content_key(doc: Document) -> str:
    """What a document says, whichever file it is in: one source however many locations hold it.

    A label is its SPL set id and version (one published version of one label, whether saved
    as SPL XML or served as openFDA JSON); anything else is its normalised text."""
    set_id = doc.metadata.get("set_id", "").strip().lower()
    if set_id:
        return f"label:{set_id}:{doc.metadata.get('version', '').strip()}"
    return normalised_text_key(doc.text)


def _evidence_span(item: Any) -> Span:
    sentence = getattr(item, "sentence", None)
    return sentence if isinstance(sentence, Span) else item.span


def records(x: Extraction) -> list[ItemRecord]:
    """Every item of an extraction as a record to store, in a stable order."""
    text = x.document.text
    out: list[ItemRecord] = []

    def add(category: str, item: Any, name: str, stance: str | None = None, evidence: str | None = None,
            span: Span | None = None) -> None:
        ev = span or _evidence_span(item)
        name = (name or category).strip() or category
        out.append(ItemRecord(category, name[:500], stance, evidence, f"{category}|{name.lower()}|{stance or ''}",
                              ev.of(text)[:MAX_TEXT], item.span, to_json(item)))

    for d in x.doses:
        add("dose", d, d.context or "dose", "supervised" if d.supervised else None)
    for e in x.effects:
        add("effect", e, e.name, "negated" if e.negated else "hypothetical" if e.hypothetical else None)
    for r in x.red_flags:
        add("red_flag", r, r.name)
    for u in x.uses:
        add("use", u, u.name, u.stance, u.evidence)
    for p in x.precautions:
        add("precaution", p, p.name)
    for ref in x.references:
        add("reference", ref, ref.title or (ref.authors[0] if ref.authors else f"reference {ref.n}"), str(ref.n))
    for post in x.posts:
        add("post", post, post.author or "anonymous",
            None if post.rating is None else str(post.rating), None, post.body or post.span)
    for s in x.statements:
        add("statement", s, s.topic, s.stance)
    return out
