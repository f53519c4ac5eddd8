"""Human-readable terminal output (rich renderables) for the CLI."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from materia.labels import statement_label
from materia.quantities import daily_text
from materia.types import Extraction

if TYPE_CHECKING:  # `materia extract` needs none of the knowledge base (nor SQLAlchemy) at run time
    from materia.knowledge.model import (
        Citation,
        Conflict,
        InteractionPair,
        InteractionReport,
        Monograph,
        SearchResults,
    )
    from materia.store import HistoryEntry


def _fmt_amount(low: float | None, high: float, unit: str) -> str:
    def n(v: float) -> str:
        return f"{v:g}"
    return f"up to {n(high)} {unit}" if low is None else (
        f"{n(low)} {unit}" if low == high else f"{n(low)}–{n(high)} {unit}")


def extraction_summary(x: Extraction) -> Panel:
    doc = x.document
    head = Text.assemble((doc.title or doc.source, "bold"), f"  [{doc.kind}]",
                         f"  modified {doc.modified.isoformat()}" if doc.modified else "",
                         f"\nsubject: {x.substance or 'unknown'}   source: {doc.source}"
                         + (f"   record: {doc.record}" if doc.record else ""))
    parts: list[RenderableType] = [head]
    if x.doses:
        table = Table("dose", "per", "times/day", "route", "for", "evidence", box=None, pad_edge=False)
        for d in x.doses:
            times = "" if not d.times_per_day else (
                f"{d.times_per_day[0]}" if d.times_per_day[0] == d.times_per_day[1] else
                f"{d.times_per_day[0]}–{d.times_per_day[1]}")
            table.add_row(_fmt_amount(d.low, d.high, d.unit) + ("/kg" if d.per_kg else ""), d.per or "",
                          times, d.route or "", d.context or "", repr(d.span.of(doc.text)[:50]))
        parts += [Text("\nDoses", style="bold"), table]
    for label, names in (
        ("Side effects", [e.name + (" (negated)" if e.negated else "") for e in x.effects]),
        ("Red flags", [r.name for r in x.red_flags]),
        ("Uses", [f"{u.name} [{u.stance}, {u.evidence}{', refs ' + ','.join(map(str, u.refs)) if u.refs else ''}]"
                  for u in x.uses]),
        ("Precautions", [p.name for p in x.precautions]),
    ):
        if names:
            parts += [Text(f"\n{label}", style="bold"), Text("; ".join(dict.fromkeys(names)))]
    if x.references:
        parts.append(Text(f"\nReferences ({len(x.references)})", style="bold"))
        for r in x.references:
            first = r.authors[0] if r.authors else "?"
            parts.append(Text(f"  {r.n}. {first} et al. {r.journal or ''} {r.year or ''}"))
    if x.posts:
        rated = [p.rating for p in x.posts if p.rating is not None]
        mean = f", mean rating {sum(rated) / len(rated):.1f}" if rated else ""
        parts.append(Text(f"\nUser reports: {len(x.posts)}{mean}", style="bold"))
        for p in x.posts[:5]:
            parts.append(Text(f"  {p.author or 'anonymous'} ({p.location or '?'}) {p.date or ''} "
                              f"{'★' * (p.rating or 0)} {p.topic or ''}"))
    return Panel(Group(*parts), expand=False)


SHOWN = 10  # sources, dose ranges per purpose and claims per section `show` prints; the rest are counted
CITED = 3  # citations `show` prints per statement


def _more(n: int, what: str, indent: str = "  ") -> Text:
    return Text(f"{indent}… and {n} more {what} (all of them: --json)", style="dim italic")


def _cites(citations: Sequence[Citation], n_citations: int | None = None) -> str:
    shown = "; ".join(f"{Path(c.source).name} [{c.span[0]}–{c.span[1]}]" for c in citations[:CITED])
    more = (n_citations if n_citations is not None else len(citations)) - min(len(citations), CITED)
    return f"{shown}; and {more} more" if more > 0 else shown


def monograph_view(m: Monograph) -> Panel:
    """Sections in monograph order, each statement with its sources and spans: the first SHOWN of each
    list and how many more there are (`m` may be the monograph's first page, whose counts say so)."""
    parts: list[RenderableType] = [Text.assemble((m.substance.title(), "bold"), f"   {len(m.sources)} sources")]
    for s in m.sources[:SHOWN]:
        parts.append(Text(f"  • {s.source}  [{s.source_kind}]  {s.title or ''}"[:140], style="dim"))
    if len(m.sources) > SHOWN:
        parts.append(_more(len(m.sources) - SHOWN, "sources"))
    grades = {u.name: u for u in m.uses}
    for section in m.sections:
        parts.append(Text(f"\n{section.title}", style="bold underline"))
        if section.key == "dosage" and m.doses:
            for d in m.doses[:SHOWN]:
                figures = [daily_text(r.low_g_per_day, r.high_g_per_day)
                           for r in d.ranges if r.high_g_per_day is not None]
                ranges = ", ".join(figures[:SHOWN]) + (f", … {len(figures) - SHOWN} more" if len(figures) > SHOWN
                                                        else "")
                maximum = (f"; stated maximum {daily_text(None, d.stated_maximum_g_per_day)}"
                           if d.stated_maximum_g_per_day is not None else "")
                head = Text.assemble(("  " + d.purpose, "bold"), f": {ranges or 'see sources'}", maximum,
                                     " (supervised)" if d.supervised else "")
                parts.append(head)
                for r in d.ranges[:CITED]:
                    parts.append(Text(f"      “{' '.join(r.text.split())[:110]}” — {Path(r.source).name} "
                                      f"[{r.span[0]}–{r.span[1]}]", style="dim"))
                if len(d.ranges) > CITED:
                    parts.append(_more(len(d.ranges) - CITED, "ranges", "      "))
                for r in d.flagged[:CITED]:  # kept out of the figures above, shown with why
                    reason = r.flag.reason if r.flag else "flagged"
                    parts.append(Text(f"      left out: “{' '.join(r.text.split())[:90]}” — {Path(r.source).name} "
                                      f"[{r.span[0]}–{r.span[1]}]: {reason}", style="yellow"))
                if len(d.flagged) > CITED:
                    parts.append(_more(len(d.flagged) - CITED, "left out", "      "))
            if len(m.doses) > SHOWN:
                parts.append(_more(len(m.doses) - SHOWN, "purposes"))
            continue
        if not section.claims:
            parts.append(Text("  nothing found in the sources", style="dim"))
            continue
        for c in section.claims[:SHOWN]:
            what, position = statement_label(c.topic, c.name, c.stance)
            extra = ""
            if c.topic == "use" and c.name in grades:
                extra = f"  evidence: {grades[c.name].grade} ({grades[c.name].reason})"
            parts.append(Text.assemble(f"  • {what}", (f" [{position}]" if position else "", "italic"), extra))
            parts.append(Text(f"      {_cites(c.citations, c.n_citations)}", style="dim"))
        if section.n_claims > SHOWN:
            parts.append(_more(section.n_claims - min(len(section.claims), SHOWN), "statements"))
    parts.append(Text("\nInteractions", style="bold underline"))
    if m.interactions:
        parts += [_interaction(pair) for pair in m.interactions]
    else:
        parts.append(Text("  no source about it states an interaction (which does not mean there is none)",
                          style="dim"))
    if m.conflicts:
        parts += [Text("\nWhere sources disagree", style="bold underline"), conflicts_view(m.conflicts, SHOWN)]
    if m.community.n_posts:
        community = m.community
        mean = f", mean rating {community.mean_rating}" if community.mean_rating is not None else ""
        parts.append(Text(f"\nCommunity reports: {community.n_posts}{mean}", style="bold underline"))
        for cond in community.conditions[:8]:
            parts.append(Text(f"  • {cond.condition}: {cond.count} reports"
                              + (f", mean {cond.mean_rating}" if cond.mean_rating is not None else "")))
        if community.side_effects:
            mentioned = ", ".join(f"{n} ({k})" for n, k in community.side_effects[:10])
            parts.append(Text(f"  side effects mentioned: {mentioned}"))
        if community.verdicts:
            parts.append(Text("  what people took it for (helped / did nothing / worse):", style="bold"))
            for v in community.verdicts[:10]:
                parts.append(Text(f"  • {v.condition}: {v.helped} / {v.nothing} / {v.worse}"))
                parts += [_quote(q) for q in v.quotes[:1]]
        if community.reported_effects:
            parts.append(Text("  side effects people report (posts):", style="bold"))
            for reported in community.reported_effects[:10]:
                parts.append(Text(f"  • {reported.name} ({reported.count})"))
                parts += [_quote(q) for q in reported.quotes[:1]]
    parts.append(Text("\nmateria informs; it never advises.", style="dim italic"))
    return Panel(Group(*parts), expand=False)


def _quote(citation: Citation) -> Text:
    """A writer's words, shortened to one line, with the file and span they come from."""
    words = " ".join(citation.text.split())[:110]
    return Text(f"      “{words}” — {Path(citation.source).name} [{citation.span[0]}–{citation.span[1]}]", style="dim")


def conflicts_view(conflicts: Sequence[Conflict], limit: int | None = None) -> Group:
    """Each topic the sources disagree on, with its positions (the first `limit` of each, when given)."""
    if not conflicts:
        return Group(Text("The sources do not disagree on any topic materia compares."))
    parts: list[RenderableType] = []
    for c in conflicts:
        parts.append(Text(f"  {c.topic}", style="bold"))
        for p in c.positions[:limit]:
            parts.append(Text(f"    {p.stance:>14}  “{' '.join(p.text.split())[:100]}” — {Path(p.source).name} "
                              f"[{p.span[0]}–{p.span[1]}]"))
        if limit is not None and len(c.positions) > limit:
            parts.append(_more(len(c.positions) - limit, "positions", "    "))
    return Group(*parts)


def _interaction(pair: InteractionPair) -> Group:
    """One pair: what it is and how strong, then each source's sentence with its span, grade and the class
    that matched; disagreements last."""
    facts = [pair.severity or "severity not stated", pair.type]
    if pair.mechanism:
        facts.append("via " + ", ".join(pair.mechanism))
    n, sentences = pair.n_sources, len(pair.sources)
    facts.append(f"{sentences} statement{'s' if sentences != 1 else ''} in {n} source{'s' if n != 1 else ''}, "
                 f"best: {pair.sources[0].source_kind} (grade {pair.grade})")
    parts: list[RenderableType] = [Text.assemble((f"  {pair.a} + {pair.b}", "bold"), "  " + " · ".join(facts))]
    for s in pair.sources:
        said = s.says + (f" ({s.wording})" if s.wording else "")
        parts.append(Text(f"    • {s.title or Path(s.source).name} [{s.source_kind}, {s.type}, {said}] "
                          f"“{' '.join(s.text.split())[:160]}” — {Path(s.source).name} [{s.span[0]}–{s.span[1]}]"))
        if s.via_class is not None:
            parts.append(Text(f"        {s.via_class.note}", style="dim"))
    for c in pair.conflicts:
        sides = "; ".join(f"{p.stance} ({Path(p.source).name} [{p.span[0]}–{p.span[1]}])" for p in c.positions)
        parts.append(Text(f"    sources disagree on {c.topic}: {sides}", style="yellow"))
    return Group(*parts)


def interactions_view(report: InteractionReport) -> Group:
    """Every pair found, strongest first; then, in plain words, each pair nothing is known about and each
    name materia has no record of."""
    from materia.knowledge.interactions import NOTHING_KNOWN

    asked = ", ".join(n.asked if n.names == (n.asked,) else f"{n.asked} ({' + '.join(n.names)})"
                      for n in report.names)
    parts: list[RenderableType] = [Text(f"Interactions among {asked}", style="bold")]
    for pair in report.pairs:
        parts += [Text(""), _interaction(pair)]
    if report.nothing_known:
        parts.append(Text(""))
        parts += [Text(NOTHING_KNOWN.format(a=a, b=b)) for a, b in report.nothing_known]
    for name in report.unknown:
        parts.append(Text(f"materia's sources say nothing about {name}: no document it has read names it "
                          f"(check the spelling, or ingest a source about it)."))
    parts.append(Text("\nmateria informs; it never advises. Ask a doctor or pharmacist before combining medicines "
                      "or supplements.", style="dim italic"))
    return Group(*parts)


def search_view(results: SearchResults) -> Group:
    """The hits of one page, grouped by substance, each with where it is: the document and the span of
    its sentence, how many sources say it."""
    if not results.hits:
        empty = f"Nothing matches {results.query!r}."
        return Group(Text(empty), *([Text(results.note, style="dim")] if results.note else []))
    first, last = results.offset + 1, results.offset + len(results.hits)
    more = "" if results.counted_all else " or more"
    counts = f"{results.statements}{more} statements and {results.documents}{more} documents match"
    pages = f"results {first}–{last}{', more with --offset' if results.more else ''}"
    parts: list[RenderableType] = [Text(f"{counts}; {pages}")]
    if results.note:
        parts.append(Text(results.note, style="yellow" if results.partial else "dim"))
    table = Table("substance", "kind", "title", "snippet", "where", box=None, pad_edge=False)
    for h in results.hits:
        where = (f"doc {h.document_id}" + (f" [{h.span[0]}–{h.span[1]}]" if h.span else "")) if h.document_id \
            else ""
        sources = f"{h.n_sources} sources" if h.kind != "document" and h.n_sources != 1 else \
            (f"{h.n_sources} copies" if h.n_sources > 1 else "")
        table.add_row(escape(h.substance or ""), h.kind, escape(h.title[:50]), escape(h.snippet[:100]),
                      escape(", ".join(p for p in (where, sources) if p)))
    parts.append(table)
    return Group(*parts)


def _values(item: dict[str, Any]) -> str:
    """An item's values in a few words: a dose's amount, else its stance and evidence."""
    p = item.get("payload") or {}
    if item.get("category") == "dose" and isinstance(p.get("high"), (int, float)):
        return _fmt_amount(p.get("low"), p["high"], str(p.get("unit") or "")) + (f"/{p['per']}" if p.get("per") else "")
    if item.get("category") == "interaction":
        return " ".join(str(v) for v in (p.get("type"), p.get("severity"), p.get("wording")) if v)
    return " ".join(str(v) for v in (item.get("stance"), item.get("evidence")) if v)


def history_view(entries: Sequence[HistoryEntry]) -> Group:
    if not entries:
        return Group(Text("No changes recorded."))
    table = Table("when", "document", "change", "item", "values", "before", box=None, pad_edge=False)
    for e in entries:
        where = f"{e.document_id or '?'} {Path(e.source).name}" + (f" ({e.record})" if e.record else "")
        table.add_row(e.when.strftime("%Y-%m-%d %H:%M"), escape(where), e.change,
                      escape(f"{e.item.get('category', '')}: {e.item.get('name', '')}"), escape(_values(e.item)),
                      escape(_values(e.before)) if e.before else "")
    return Group(table)
