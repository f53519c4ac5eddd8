"""Shape the knowledge base's plain values into what the templates draw.

The knowledge package owns its dataclasses; these functions read them tolerantly
(`pick` tries the agreed field names) so a renamed or added field degrades to an
empty panel instead of a crash.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from materia.web.chart import Chart, DoseBar, grams_per_day, layout
from materia.web.highlight import Mark, Token, anchor_id, tokens

SECTION_ORDER: tuple[tuple[str, str], ...] = (
    ("usage", "Usage"),
    ("dosage", "Dosage"),
    ("side_effects", "Side Effects"),
    ("mechanism", "How it Works"),
    ("precautions", "Precautions"),
    ("faq", "FAQs"),
)
_SECTION_ALIASES = {
    "uses": "usage", "use": "usage", "doses": "dosage", "dose": "dosage", "effects": "side_effects",
    "side effects": "side_effects", "how_it_works": "mechanism", "how it works": "mechanism",
    "precaution": "precautions", "interactions": "precautions", "contraindications": "precautions",
    "warnings": "precautions", "boxed_warning": "precautions", "faqs": "faq",
}


def pick(obj: Any, *keys: str, default: Any = None) -> Any:
    """The first present, non-None value among `keys` of a mapping."""
    if not isinstance(obj, dict):
        return default
    for key in keys:
        value = obj.get(key)
        if value is not None:
            return value
    return default


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def span_of(obj: Any) -> tuple[int, int] | None:
    """(start, end) from a {start, end} dict or a [start, end] list."""
    if isinstance(obj, dict) and isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
        return obj["start"], obj["end"]
    if isinstance(obj, (list, tuple)) and len(obj) == 2 and all(isinstance(v, int) for v in obj):
        return obj[0], obj[1]
    return None


def anchor_href(doc_id: Any, span: Any) -> str:
    """Link to a document view, scrolled to and highlighting one span."""
    se = span_of(span)
    base = f"/documents/{doc_id}"
    return f"{base}#{anchor_id(*se)}" if se else base


def section_key(raw: Any) -> str:
    """A section's key from its type or title ("FAQs and practical matters" -> "faq")."""
    key = str(raw or "other").strip().lower()
    key = _SECTION_ALIASES.get(key, key)
    for known, title in SECTION_ORDER:
        if key.startswith(title.lower()) or key.startswith(known):
            return known
    return "".join(ch if ch.isalnum() else "_" for ch in key)


def citation(src: Any) -> dict[str, Any]:
    """One source badge: kind, evidence grade, link to the highlighted sentence."""
    doc = pick(src, "document", default={})
    doc_id = pick(src, "document_id", "doc_id", default=pick(doc, "id"))
    span = pick(src, "sentence", "evidence_span", "span")
    return {
        "doc_id": doc_id,
        "kind": pick(src, "source_kind", "kind", default=pick(doc, "source_kind", "kind", default="source")),
        "grade": pick(src, "grade", "evidence_grade", "evidence", default=""),
        "title": pick(src, "title", default=short_source(str(pick(src, "source", default=pick(doc, "source", default=""))))),
        "source": pick(src, "source", default=pick(doc, "source", default="")),
        "date": pick(src, "modified", "date", default=pick(doc, "modified", "published", default="")),
        "quote": pick(src, "quote", "text", "evidence_text", default=""),
        "href": anchor_href(doc_id, span) if doc_id is not None else "",
    }


def statement(st: Any, grades: Mapping[str, str] | None = None) -> dict[str, Any]:
    sources = as_list(pick(st, "sources", "citations", default=[]))
    if not sources and pick(st, "document_id", "doc_id", "document") is not None:
        sources = [st]
    name = str(pick(st, "name", "text", "summary", default=""))
    grade = (grades or {}).get(name.lower(), "") if pick(st, "topic") in ("use", None) else ""
    cites = [citation(s) for s in sources if isinstance(s, dict)]
    for c in cites:
        c["grade"] = c["grade"] or grade
    return {
        "text": name,
        "topic": str(pick(st, "topic", default="")).replace("_", " "),
        "stance": pick(st, "stance", default="") or "",
        "quote": cites[0]["quote"] if cites else "",
        "sources": cites,
    }


def _sections(mono: Mapping[str, Any], grades: Mapping[str, str]) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    raw = pick(mono, "sections", default=None)
    if isinstance(raw, dict):
        for key, items in raw.items():
            grouped.setdefault(section_key(key), []).extend(statement(s, grades) for s in as_list(items))
    else:
        for sec in as_list(raw):
            key = section_key(pick(sec, "type", "key", "title"))
            grouped.setdefault(key, []).extend(statement(s, grades) for s in as_list(pick(sec, "statements", "claims", "items")))
    for st in as_list(pick(mono, "statements", "claims", default=[])):
        grouped.setdefault(section_key(pick(st, "section", "category", "type")), []).append(statement(st, grades))
    out = [{"key": k, "title": t, "statements": grouped.pop(k, [])} for k, t in SECTION_ORDER]
    out += [{"key": k, "title": k.replace("_", " ").capitalize(), "statements": v} for k, v in grouped.items() if v]
    return out


def source_titles(mono: Mapping[str, Any]) -> dict[Any, str]:
    """document id -> a readable name: its title when it has one, else the file name."""
    out = {}
    for s in as_list(pick(mono, "sources", default=[])):
        title = str(pick(s, "title", default="")).strip()
        if not any(ch.isalpha() for ch in title):
            title = short_source(str(pick(s, "source", default="")))
        out[pick(s, "document_id", "id")] = title
    seen = list(out.values())
    return {k: f"{v} (#{k})" if seen.count(v) > 1 else v for k, v in out.items()}


def dose_bars(mono: Mapping[str, Any]) -> list[DoseBar]:
    """One bar per source and purpose, amounts converted to g/day."""
    titles = source_titles(mono)
    merged: dict[tuple[str, str], DoseBar] = {}
    flat: list[Mapping[str, Any]] = []
    for d in as_list(pick(mono, "doses", "dose_ranges", default=[])):
        if isinstance(d, dict) and "ranges" in d:
            flat.extend({**r, "purpose": d.get("purpose")} for r in as_list(d["ranges"]) if isinstance(r, dict))
        elif isinstance(d, dict):
            flat.append(d)
    for d in flat:
        src = citation(pick(d, "source", default=d) if isinstance(pick(d, "source"), dict) else d)
        unit = pick(d, "unit", default="g")
        per = pick(d, "per", default="day")
        tpd = pick(d, "times_per_day")
        tpd_t = (int(tpd[0]), int(tpd[1])) if isinstance(tpd, list) and len(tpd) == 2 else None
        high_raw = pick(d, "high_g_per_day", "high", default=None)
        low_raw = pick(d, "low_g_per_day", "low", default=None)
        if "high_g_per_day" in d:
            high, low = high_raw, low_raw
        else:
            high = grams_per_day(float(high_raw), unit, per, tpd_t) if isinstance(high_raw, (int, float)) else None
            low = grams_per_day(float(low_raw), unit, per, tpd_t) if isinstance(low_raw, (int, float)) else None
        if not isinstance(high, (int, float)) or pick(d, "per_kg", default=False):
            continue
        label = titles.get(src["doc_id"]) or short_source(str(src["source"] or f"document {src['doc_id']}"))
        purpose = str(pick(d, "purpose", "context", "use", "population", default="general") or "general")
        key = (label, purpose)
        lo = float(low) if isinstance(low, (int, float)) else float(high)
        prev = merged.get(key)
        if prev is not None:
            lo, high = min(prev.low, lo), max(prev.high, float(high))
        merged[key] = DoseBar(source=label, purpose=purpose, low=lo, high=float(high), href=src["href"])
    return list(merged.values())


def short_source(source: str) -> str:
    """A path or URL shortened to its last part, for chart labels and badges."""
    tail = source.rstrip("/").rsplit("/", 1)[-1]
    return tail or source


def conflict(c: Any) -> dict[str, Any]:
    """A conflict as its sides: positions grouped by stance, each with its sources."""
    sides: dict[str, list[dict[str, Any]]] = {}
    for pos in as_list(pick(c, "positions", "sides", default=[])):
        if isinstance(pos, dict):
            sides.setdefault(str(pick(pos, "stance", default="")), []).append(citation(pos))
    return {"topic": str(pick(c, "topic", default="")).replace("_", " "),
            "sides": [{"stance": k.replace("_", " "), "sources": v} for k, v in sides.items()]}


def community(mono: Mapping[str, Any], extra_reports: list[Any] | None = None) -> dict[str, Any]:
    comm = pick(mono, "community", default={})
    reports = as_list(pick(comm, "reports", "posts", default=[])) or list(extra_reports or [])
    dist = pick(comm, "distribution", "rating_distribution", default=None)
    if isinstance(dist, list):
        dist = {str(p[0]): p[1] for p in dist if isinstance(p, list) and len(p) == 2}
    if not isinstance(dist, dict):
        counts: dict[str, int] = {}
        for r in reports:
            rating = pick(r, "rating")
            if isinstance(rating, int):
                counts[str(rating)] = counts.get(str(rating), 0) + 1
        dist = counts
    total = sum(v for v in dist.values() if isinstance(v, int)) or 0
    bars = [{"stars": k, "count": v, "pct": round(100 * v / total) if total else 0}
            for k, v in sorted(dist.items(), key=lambda kv: str(kv[0]), reverse=True) if isinstance(v, int)]
    return {
        "distribution": bars,
        "reports": [_report(r) for r in reports if isinstance(r, dict)],
        "side_effects": [{"name": p[0], "count": p[1]} if isinstance(p, list) else {"name": p, "count": ""}
                         for p in as_list(pick(comm, "side_effects", default=[]))],
        "n_posts": pick(comm, "n_posts", default=len(reports)),
        "mean_rating": pick(comm, "mean_rating"),
        "conditions": as_list(pick(comm, "conditions", default=[])),
    }


def _report(r: Mapping[str, Any]) -> dict[str, Any]:
    post = pick(r, "post", default=r)
    rating = pick(post, "rating")
    scale = pick(post, "rating_scale", default=5)
    return {
        "author": pick(post, "author", default="anonymous"), "location": pick(post, "location", default=""),
        "date": pick(post, "date", default=""), "rating": rating, "scale": scale,
        "stars": ("★" * int(rating) + "☆" * max(int(scale) - int(rating), 0)) if isinstance(rating, int) else "",
        "topic": pick(post, "topic", default=""), "editors_choice": bool(pick(post, "editors_choice", default=False)),
        "text": pick(r, "text", "excerpt", "body_text", default=""),
        "effects": as_list(pick(r, "effects", "side_effects", default=[])),
        "href": citation(r)["href"],
    }


def _titled(conflicts: list[dict[str, Any]], titles: Mapping[Any, str]) -> list[dict[str, Any]]:
    """Name each conflict source by its document title rather than its file path."""
    for c in conflicts:
        for side in c["sides"]:
            for src in side["sources"]:
                src["title"] = titles.get(src["doc_id"]) or src["title"]
    return conflicts


def _group_by_quote(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Red flags named in one sentence become one entry listing every name."""
    groups: dict[str, dict[str, Any]] = {}
    for st in statements:
        key = st["quote"] or st["text"]
        if key in groups:
            groups[key]["text"] += f", {st['text']}"
        else:
            groups[key] = dict(st)
    return list(groups.values())


def monograph_view(mono: Any, conflicts: Any, reports: Any = None) -> dict[str, Any]:
    """Everything the monograph page draws, in section order."""
    mono = mono if isinstance(mono, dict) else {}
    grades = {str(pick(u, "name", default="")).lower(): str(pick(u, "grade", default=""))
              for u in as_list(pick(mono, "uses", default=[])) if isinstance(u, dict)}
    sections = _sections(mono, grades)
    red = _group_by_quote([st for sec in sections for st in sec["statements"] if st["topic"] == "red flag"])
    bars = dose_bars(mono)
    chart: Chart | None = layout(bars)
    return {
        "name": pick(mono, "name", "substance", default=""),
        "aliases": as_list(pick(mono, "aliases", default=[])),
        "sections": sections,
        "chart": chart,
        "bars": bars,
        "conflicts": _titled([conflict(c) for c in as_list(conflicts) if isinstance(c, dict)], source_titles(mono)),
        "red_flags": red + [statement(r) for r in as_list(pick(mono, "red_flags", default=[])) if isinstance(r, dict)],
        "uses": [{"name": pick(u, "name"), "grade": pick(u, "grade"), "reason": pick(u, "reason", default="")}
                 for u in as_list(pick(mono, "uses", default=[])) if isinstance(u, dict)],
        "community": community(mono, as_list(reports)),
        "sources": [citation(s) | {"href": f"/documents/{pick(s, 'document_id', 'id')}",
                                   "title": source_titles(mono).get(pick(s, "document_id", "id"), "")}
                    for s in as_list(pick(mono, "sources", "documents", default=[])) if isinstance(s, dict)],
    }


def jsonld(model: Mapping[str, Any]) -> dict[str, Any]:
    """schema.org description of the monograph page (data only, never executed)."""
    return {
        "@context": "https://schema.org",
        "@type": "DietarySupplement",
        "name": model["name"],
        "alternateName": model["aliases"],
        "citation": [{"@type": "CreativeWork", "name": s["title"] or s["kind"], "dateModified": s["date"] or None}
                     for s in model["sources"]],
    }


CATEGORY_LABELS = {
    "sentence": "Evidence sentence", "dose": "Dose", "effect": "Side effect", "red_flag": "Red flag",
    "use": "Use", "precaution": "Precaution", "reference": "Reference", "post": "Report", "statement": "Statement",
}


def _category(raw: Any) -> str:
    """A CSS-safe category name (the class is `cat-<name>`)."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in str(raw or "item").lower()) or "item"


def document_view(doc: Any, evidence: Iterable[tuple[int, int]] = ()) -> dict[str, Any]:
    """The source text as tokens with every extracted item and its sentence marked."""
    doc = doc if isinstance(doc, dict) else {}
    inner = pick(doc, "document", default=doc)
    text = str(pick(inner, "text", default=pick(doc, "text", default="")))
    marks: list[Mark] = [Mark(s, e, "sentence", "") for s, e in evidence]
    for raw in as_list(pick(doc, "items", "extracted", default=[])):
        item = ({"category": raw[0], "name": raw[1], "span": raw[2]} if isinstance(raw, list) and len(raw) == 3
                else raw)
        cat = _category(pick(item, "category", "kind", "type"))
        name = str(pick(item, "name", default=""))
        sent = span_of(pick(item, "sentence"))
        if sent:
            marks.append(Mark(sent[0], sent[1], "sentence", ""))
        se = span_of(pick(item, "span"))
        if se:
            marks.append(Mark(se[0], se[1], cat, name))
    toks: list[Token] = tokens(text, marks)
    present = sorted({m.category for m in marks})
    info = pick(doc, "info", default=doc)
    return {
        "id": pick(doc, "id", default=pick(info, "id")),
        "title": pick(inner, "title", default=pick(info, "title", "source", default="Document")),
        "source": pick(inner, "source", default=pick(info, "source", default="")),
        "kind": pick(inner, "kind", default=pick(info, "kind", default="")),
        "modified": pick(inner, "modified", "published", default=pick(info, "modified", default="")),
        "tokens": toks,
        "legend": [(c, CATEGORY_LABELS.get(c, c.replace("_", " ").title())) for c in present],
        "n_items": len(as_list(pick(doc, "items", "extracted", default=[]))),
    }


_BRACKETED = re.compile(r"\[([^\[\]]{1,80})\]")


def snippet_parts(snippet: str, query: str) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, is_match) runs. The store brackets matches as
    [word]; only bracketed words that contain a query word count, so brackets that were in
    the source text stay as they were."""
    words = [w for w in re.findall(r"\w+", query.lower()) if w]
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _BRACKETED.finditer(snippet):
        inner = m.group(1)
        if words and any(w in inner.lower() for w in words):
            parts.append((snippet[pos:m.start()], False))
            parts.append((inner, True))
            pos = m.end()
    parts.append((snippet[pos:], False))
    return [p for p in parts if p[0]]


def hits_view(hits: Iterable[Any], query: str = "") -> list[dict[str, Any]]:
    out = []
    for h in hits:
        if not isinstance(h, dict):
            continue
        kind = pick(h, "kind", default="")
        doc_id, sub = pick(h, "document_id"), pick(h, "substance")
        span = pick(h, "span", "sentence")
        if kind == "substance" and sub:
            href = f"/substances/{sub}"
        elif doc_id is not None:
            href = anchor_href(doc_id, span)
        elif sub:
            href = f"/substances/{sub}"
        else:
            href = ""
        snippet = str(pick(h, "snippet", default=""))
        out.append({"kind": kind, "title": pick(h, "title", default=""), "snippet": snippet_parts(snippet, query),
                    "href": href, "substance": sub})
    return out
