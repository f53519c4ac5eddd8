"""Extraction -> the JSON object of ../shared/contract/EXTRACT.md (one per file, or per record).

A record of a many-record file keeps the file's `source` and `sha256`; its spans are shifted
by the record's `offset` so they index the file's text, as the contract says."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from materia.categories import CATEGORIES, items
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


# One item of each category in the contract as its JSON object; `at` gives a span in the file's offsets.
_Shape = Callable[[Any, Callable[[Span], list[int]]], dict[str, Any]]
SHAPES: dict[str, _Shape] = {
    "dose": lambda d, at: {"substance": d.substance, "low": _number(d.low), "high": _number(d.high), "unit": d.unit,
                           "per": d.per, "times_per_day": list(d.times_per_day) if d.times_per_day else None,
                           "route": d.route, "context": d.context, "span": at(d.span)},
    "effect": lambda e, at: {"name": e.name, "span": at(e.span), "negated": e.negated, "serious": e.serious,
                             **_experience(e)},
    "red_flag": lambda r, at: {"name": r.name, "span": at(r.span)},
    "use": lambda u, at: {"name": u.name, "span": at(u.span), "stance": u.stance,
                          "evidence": _CONTRACT_EVIDENCE.get(u.evidence, u.evidence),
                          "refs": list(u.refs), **({"verdict": u.verdict} if u.verdict else {})},
    "precaution": lambda p, at: {"name": p.name, "span": at(p.span)},
    "reference": lambda r, at: {"n": r.n, "authors": list(r.authors), "title": r.title, "journal": r.journal,
                                "year": r.year, "volume": r.volume, "pages": r.pages, "pmid": r.pmid, "doi": r.doi,
                                "span": at(r.span)},
    "post": lambda p, at: {"author": p.author, "location": p.location, "date": _date(p.date), "rating": p.rating,
                           "topic": p.topic, "span": at(p.span)},
    "interaction": lambda i, at: {"a": i.a, "a_span": at(i.a_span), "b": i.b, "b_span": at(i.b_span),
                                  "type": i.type, "severity": i.severity, "span": at(i.span)},
}


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
        # one list per category of the contract, in the registry's order (materia.categories)
        **{c.field: [SHAPES[c.key](item, at) for item in items(x, c)] for c in CATEGORIES if c.contract},
    }
