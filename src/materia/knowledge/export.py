"""A monograph as Markdown (front matter + footnote citations), JSON-LD (schema.org) or CSV,
and conflicts in the shape of ../shared/contract/EXTRACT.md. The web page embeds `jsonld` too."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, date
from typing import Any

from materia.knowledge.model import Citation, Conflict, InteractionReport, Monograph
from materia.labels import label, statement_label
from materia.serialise import dumps
from materia.store import HistoryEntry

FORMATS = ("markdown", "jsonld", "csv")


def _fmt_g(v: float | None) -> str:
    return "?" if v is None else f"{v:g} g"


def _quote(text: str, limit: int = 200) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[:limit - 1] + "…"


def markdown(m: Monograph) -> str:
    """Front matter, one section per topic, every statement footnoted to its source and span."""
    notes: dict[tuple[int, tuple[int, int]], int] = {}  # by document: two records of a file share spans
    note_text: list[str] = []

    def cite(c: Citation) -> str:
        key = (c.document_id, c.span)
        if key not in notes:
            notes[key] = len(notes) + 1
            where = f"{c.source}, {c.record}" if c.record else c.source
            note_text.append(f"[^{notes[key]}]: {where}, characters {c.span[0]}–{c.span[1]} "
                             f"({c.source_kind}): “{_quote(c.text)}”")
        return f"[^{notes[key]}]"

    modified = [s.modified for s in m.sources if s.modified]
    lines = ["---", f"title: {json.dumps(m.substance.title())}", f"substance: {json.dumps(m.substance)}",
             f"sources: {len(m.sources)}",
             f"modified: {max(modified).isoformat() if modified else date.today().isoformat()}",
             "generator: materia", "---", "", f"# {m.substance.title()}", "",
             "> materia informs; it never advises. Every statement below names its source.", ""]
    grades = {u.name: u for u in m.uses}
    for section in m.sections:
        lines += [f"## {section.title}", ""]
        if section.key == "dosage" and m.doses:
            for d in m.doses:
                high = f"; highest documented {_fmt_g(d.highest_g_per_day)}/day" if d.highest_g_per_day else ""
                sup = " (under supervision)" if d.supervised else ""
                refs = "".join(cite(Citation(r.source, r.document_id, r.span, r.text)) for r in d.ranges)
                lines.append(f"- **{d.purpose}**{sup}{high}{refs}")
                for r in d.flagged:  # kept out of the highest figure by the sanity screen
                    why = r.flag.reason if r.flag else "flagged"
                    lines.append(f"  - left out: {why}{cite(Citation(r.source, r.document_id, r.span, r.text))}")
            lines.append("")
            continue
        if not section.claims:
            lines += ["_Nothing found in the sources._", ""]
            continue
        for c in section.claims:
            extra = ""
            if c.topic == "use" and c.name in grades:
                g = grades[c.name]
                extra = f" — evidence {g.grade} ({g.reason})"
            what, position = statement_label(c.topic, c.name, c.stance)
            stance = f" [{position}]" if position and c.topic == "use" else f" ({position})" if position else ""
            lines.append(f"- {what}{stance}{extra}{''.join(cite(x) for x in c.citations)}")
        lines.append("")
    if m.conflicts:
        lines += ["## Where sources disagree", ""]
        for conflict in m.conflicts:
            lines.append(f"- **{conflict.topic}**: " + "; ".join(
                f"{label('stance', p.stance)}{cite(Citation(p.source, p.document_id, p.span, p.text, record=p.record))}"
                for p in conflict.positions))
        lines.append("")
    if m.interactions:
        lines += ["## Interactions", ""]
        for pair in m.interactions:
            facts = ", ".join(f for f in (pair.severity or "severity not stated", pair.type, *pair.mechanism))
            lines.append(f"- **{pair.b}** ({facts})" + "".join(
                cite(Citation(s.source, s.document_id, s.span, s.text, s.source_kind, s.record))
                for s in pair.sources))
        lines += ["", "_A combination not listed here is not known to be safe._", ""]
    if note_text:
        lines += [*note_text, ""]
    return "\n".join(lines)


def jsonld(m: Monograph) -> dict[str, Any]:
    """schema.org DietarySupplement (or Drug when every source is a label), as JSON values."""
    kind = "Drug" if m.sources and all(s.kind == "label" for s in m.sources) else "DietarySupplement"
    intake = []
    maximum = []
    for d in m.doses:
        for r in d.ranges:
            if r.high_g_per_day is None:
                continue
            intake.append({"@type": "RecommendedDoseSchedule", "name": d.purpose, "doseValue": r.high_g_per_day,
                           "minValue": r.low_g_per_day, "doseUnit": "g", "frequency": "daily",
                           "citation": r.source})
        if d.highest_g_per_day is not None:
            maximum.append({"@type": "MaximumDoseSchedule", "name": d.purpose, "doseValue": d.highest_g_per_day,
                            "doseUnit": "g", "frequency": "daily"})
    by_key = {s.key: s for s in m.sections}
    safety = [c.name for c in by_key["precautions"].claims] if "precautions" in by_key else []
    adverse = [c.name for c in by_key["side_effects"].claims] if "side_effects" in by_key else []
    return {
        "@context": "https://schema.org",
        "@type": kind,
        "name": m.substance,
        "recommendedIntake": intake,
        "maximumIntake": maximum,
        "safetyConsideration": safety,
        "adverseOutcome": [{"@type": "MedicalEntity", "name": a} for a in adverse],
        "citation": [{"@type": "CreativeWork", "name": s.title or s.source,
                      "url": s.source if s.source.startswith(("http://", "https://")) else None,
                      "genre": s.source_kind, "dateModified": s.modified.isoformat() if s.modified else None}
                     for s in m.sources],
    }


def csv_rows(m: Monograph) -> str:
    """One row per (statement, source): section, topic, name, stance, source, span, evidence text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "topic", "name", "stance", "source", "source_kind", "start", "end", "text"])
    for section in m.sections:
        for c in section.claims:
            for x in c.citations:
                w.writerow([section.title, c.topic, c.name, c.stance or "", x.source, x.source_kind,
                            x.span[0], x.span[1], " ".join(x.text.split())])
    return buf.getvalue()


def conflicts_contract(conflicts: Iterable[Conflict]) -> list[dict[str, Any]]:
    """Conflicts as `materia conflicts --json` prints them (EXTRACT.md): each position's source,
    stance, evidence span and text; spans index the file as ingested (a record's offset added)."""
    return [{"topic": c.topic, "positions": [{"source": p.source, "stance": p.stance,
                                              "span": [p.span[0] + p.offset, p.span[1] + p.offset],
                                              "text": p.text} for p in c.positions]} for c in conflicts]


def history_contract(entries: Iterable[HistoryEntry]) -> list[dict[str, Any]]:
    """History entries as `materia history --json` prints them (EXTRACT.md): when (ISO 8601, UTC), the
    document's id, the change, the item as stored (after, for a change) and `before` (null unless changed)."""
    return [{"when": e.when.replace(tzinfo=UTC).isoformat(timespec="seconds"), "document_id": e.document_id, "change": e.change,  # noqa: E501
             "item": e.item, "before": e.before} for e in entries]


def interactions_contract(report: InteractionReport) -> list[dict[str, Any]]:
    """The pairs found as `materia interactions --json` prints them (EXTRACT.md): a, b, type, severity and
    each source's document id, sentence span and text; spans index the file as ingested (a record's offset
    added). Extra keys: what was asked, every type stated, mechanism, grade, the classes that matched,
    conflicts, and per source its title, kinds, grade, position, wording and the parties as it names them."""
    def at(span: tuple[int, int], offset: int) -> list[int]:
        return [span[0] + offset, span[1] + offset]

    return [{"a": p.a, "b": p.b, "type": p.type, "severity": p.severity,
             "sources": [{"document_id": s.document_id, "span": at(s.span, s.offset), "text": s.text,
                          "title": s.title, "kind": s.kind, "source_kind": s.source_kind, "grade": s.grade,
                          "type": s.type, "severity": s.severity, "says": s.says, "wording": s.wording,
                          "stated": {"a": s.a, "b": s.b, "b_kind": s.b_kind},
                          "via_class": s.via_class.note if s.via_class else None} for s in p.sources],
             "asked": list(p.asked) if p.asked else None, "types": list(p.types), "mechanism": list(p.mechanism),
             "grade": p.grade, "via_class": [m.note for m in p.via_class],
             "conflicts": conflicts_contract(p.conflicts)} for p in report.pairs]


def export(m: Monograph, fmt: str) -> str:
    if fmt == "markdown":
        return markdown(m)
    if fmt == "jsonld":
        return dumps(jsonld(m), indent=2)
    if fmt == "csv":
        return csv_rows(m)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
