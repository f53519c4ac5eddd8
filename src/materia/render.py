"""Human-readable terminal output (rich renderables) for the CLI."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from materia.types import Extraction

if TYPE_CHECKING:  # `materia extract` needs none of the knowledge base (nor SQLAlchemy) at run time
    from materia.knowledge.model import Citation, Conflict, Monograph, SearchHit
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


def _cites(citations: Iterable[Citation]) -> str:
    return "; ".join(f"{Path(c.source).name} [{c.span[0]}–{c.span[1]}]" for c in citations)


def monograph_view(m: Monograph) -> Panel:
    """Sections in monograph order, each statement with its sources and spans."""
    parts: list[RenderableType] = [Text.assemble((m.substance.title(), "bold"), f"   {len(m.sources)} sources")]
    for s in m.sources:
        parts.append(Text(f"  • {s.source}  [{s.source_kind}]  {s.title or ''}"[:140], style="dim"))
    grades = {u.name: u for u in m.uses}
    for section in m.sections:
        parts.append(Text(f"\n{section.title}", style="bold underline"))
        if section.key == "dosage" and m.doses:
            for d in m.doses:
                ranges = ", ".join(
                    (f"{r.low_g_per_day:g}–" if r.low_g_per_day is not None and r.low_g_per_day != r.high_g_per_day
                     else "") + f"{r.high_g_per_day:g} g/day" for r in d.ranges if r.high_g_per_day is not None)
                maximum = (f"; stated maximum {d.stated_maximum_g_per_day:g} g/day"
                           if d.stated_maximum_g_per_day is not None else "")
                head = Text.assemble(("  " + d.purpose, "bold"), f": {ranges or 'see sources'}", maximum,
                                     " (supervised)" if d.supervised else "")
                parts.append(head)
                for r in d.ranges:
                    parts.append(Text(f"      “{' '.join(r.text.split())[:110]}” — {Path(r.source).name} "
                                      f"[{r.span[0]}–{r.span[1]}]", style="dim"))
                for r in d.flagged:  # kept out of the figures above, shown with why
                    reason = r.flag.reason if r.flag else "flagged"
                    parts.append(Text(f"      left out: “{' '.join(r.text.split())[:90]}” — {Path(r.source).name} "
                                      f"[{r.span[0]}–{r.span[1]}]: {reason}", style="yellow"))
            continue
        if not section.claims:
            parts.append(Text("  nothing found in the sources", style="dim"))
            continue
        for c in section.claims:
            label = c.name if c.topic not in ("timing", "long_term_safety", "onset", "storage", "preparation") \
                else c.topic.replace("_", " ")
            extra = ""
            if c.topic == "use" and c.name in grades:
                extra = f"  evidence: {grades[c.name].grade} ({grades[c.name].reason})"
            parts.append(Text.assemble(f"  • {label}", (f" [{c.stance}]" if c.stance else "", "italic"), extra))
            parts.append(Text(f"      {_cites(c.citations)}", style="dim"))
    if m.conflicts:
        parts += [Text("\nWhere sources disagree", style="bold underline"), conflicts_view(m.conflicts)]
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


def conflicts_view(conflicts: Sequence[Conflict]) -> Group:
    if not conflicts:
        return Group(Text("The sources do not disagree on any topic materia compares."))
    parts: list[RenderableType] = []
    for c in conflicts:
        parts.append(Text(f"  {c.topic}", style="bold"))
        for p in c.positions:
            parts.append(Text(f"    {p.stance:>14}  “{' '.join(p.text.split())[:100]}” — {Path(p.source).name} "
                              f"[{p.span[0]}–{p.span[1]}]"))
    return Group(*parts)


def search_view(query: str, hits: Sequence[SearchHit]) -> Group:
    if not hits:
        return Group(Text(f"Nothing matches {query!r}."))
    table = Table("kind", "title", "snippet", "where", box=None, pad_edge=False)
    for h in hits:
        where = f"doc {h.document_id}" if h.document_id else (h.substance or "")
        table.add_row(h.kind, escape(h.title[:50]), escape(h.snippet[:100]), escape(where))
    return Group(table)


def _values(item: dict[str, Any]) -> str:
    """An item's values in a few words: a dose's amount, else its stance and evidence."""
    p = item.get("payload") or {}
    if item.get("category") == "dose" and isinstance(p.get("high"), (int, float)):
        return _fmt_amount(p.get("low"), p["high"], str(p.get("unit") or "")) + (f"/{p['per']}" if p.get("per") else "")
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
