"""Extraction -> the JSON object of ../shared/contract/EXTRACT.md (one per file, or per record).

A record of a many-record file keeps the file's `source` and `sha256`; its spans are shifted
by the record's `offset` so they index the file's text, as the contract says."""
from __future__ import annotations

from datetime import date
from typing import Any

from materia.types import Effect, Extraction, Span


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


# The contract's evidence kinds have no "animal" yet: animal work is reported there as in_vitro
# (preclinical), and keeps its own kind inside materia (store, monographs, grades).
_CONTRACT_EVIDENCE = {"animal": "in_vitro"}


def _experience(e: Effect) -> dict[str, Any]:
    """What a post adds to an effect (onset, duration, the writer unsure), only when it says so."""
    extra: dict[str, Any] = {}
    if e.onset:
        extra["onset"] = e.onset
    if e.duration:
        extra["duration"] = e.duration
    if e.hedged:
        extra["hedged"] = True
    return extra


def to_contract(x: Extraction) -> dict[str, Any]:
    doc = x.document

    def at(span: Span) -> list[int]:
        return [span.start + doc.offset, span.end + doc.offset]

    return {
        "source": doc.source,
        "sha256": doc.sha256,
        "kind": doc.kind,
        "title": doc.title,
        "modified": _date(doc.modified),
        "substance": x.substance,
        "record": doc.record,
        "substances": list(x.substances),
        "doses": [{"substance": d.substance, "low": _number(d.low), "high": _number(d.high), "unit": d.unit,
                   "per": d.per, "times_per_day": list(d.times_per_day) if d.times_per_day else None,
                   "route": d.route, "context": d.context, "span": at(d.span)} for d in x.doses],
        "effects": [{"name": e.name, "span": at(e.span), "negated": e.negated, "serious": e.serious,
                     **_experience(e)} for e in x.effects],
        "red_flags": [{"name": r.name, "span": at(r.span)} for r in x.red_flags],
        "uses": [{"name": u.name, "span": at(u.span), "stance": u.stance,
                  "evidence": _CONTRACT_EVIDENCE.get(u.evidence, u.evidence),
                  "refs": list(u.refs), **({"verdict": u.verdict} if u.verdict else {})} for u in x.uses],
        "precautions": [{"name": p.name, "span": at(p.span)} for p in x.precautions],
        "references": [{"n": r.n, "authors": list(r.authors), "title": r.title, "journal": r.journal,
                        "year": r.year, "volume": r.volume, "pages": r.pages, "pmid": r.pmid, "doi": r.doi,
                        "span": at(r.span)} for r in x.references],
        "posts": [{"author": p.author, "location": p.location, "date": _date(p.date), "rating": p.rating,
                   "topic": p.topic, "span": at(p.span)} for p in x.posts],
    }
