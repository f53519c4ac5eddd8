"""Per-substance summaries: opaque parts the knowledge layer computes, kept with the generation of the
data they were built from.

Every write that touches a substance's documents moves its generation (`touch`, in the writer's own
transaction). A summary part is current when it was built from the current generation by code of the
same `format`; anything else is stale and is never handed out. So the store needs to know nothing of
what a summary holds: knowledge/ builds the parts, the pipeline (after an ingest) or the first reader
stores them. Reading them (the current part, the stale ones, the generation) is the Reader's (store/read.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from materia.store.models import AliasRow, GenerationRow, SummaryRow


def touch(s: Session, substances: Iterable[str | None]) -> None:
    """Move the generation of each substance named (inside the caller's write transaction)."""
    for substance in sorted({n for n in substances if n}):
        moved = s.execute(update(GenerationRow).where(GenerationRow.substance == substance)
                          .values(generation=GenerationRow.generation + 1))
        if not getattr(moved, "rowcount", 0):
            s.execute(insert(GenerationRow).values(substance=substance, generation=1))


def replace(s: Session, substance: str, built_from: int, fmt: str, parts: Mapping[str, bytes],
            aliases: Iterable[str] | None) -> None:
    """Store `parts`, built from generation `built_from` (replacing every part of the substance) and, when
    given, its aliases."""
    s.execute(delete(SummaryRow).where(SummaryRow.substance == substance))
    now = datetime.now(UTC).replace(tzinfo=None)
    s.add_all(SummaryRow(substance=substance, part=name, generation=built_from, format=fmt, body=body, built_at=now)
              for name, body in parts.items())
    if aliases is not None:
        s.execute(delete(AliasRow).where(AliasRow.substance == substance))
        s.add_all(AliasRow(alias=alias, substance=substance) for alias in sorted(set(aliases)) if alias)
