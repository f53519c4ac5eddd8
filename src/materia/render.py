"""Human-readable terminal output (rich renderables) for the CLI."""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from materia.types import Extraction


def _fmt_amount(low: float | None, high: float, unit: str) -> str:
    def n(v: float) -> str:
        return f"{v:g}"
    return f"up to {n(high)} {unit}" if low is None else (
        f"{n(low)} {unit}" if low == high else f"{n(low)}–{n(high)} {unit}")


def extraction_summary(x: Extraction) -> Panel:
    doc = x.document
    head = Text.assemble((doc.title or doc.source, "bold"), f"  [{doc.kind}]",
                         f"  modified {doc.modified.isoformat()}" if doc.modified else "",
                         f"\nsubject: {x.substance or 'unknown'}   source: {doc.source}")
    parts: list = [head]
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
