"""Per-substance summaries: opaque parts the knowledge layer computes, kept with the generation of the
data they were built from.

Every write that touches a substance's documents moves its generation (`touch`, in the writer's own
transaction). A summary part is current when it was built from the current generation by code of the
same `format`; anything else is stale and is never handed out. So the store needs to know nothing of
what a summary holds: knowledge/ builds the parts, the pipeline (after an ingest) or the first reader
stores them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.orm import Session

from materia.store.models import AliasRow, DocumentRow, GenerationRow, SummaryRow


def touch(s: Session, substances: Iterable[str | None]) -> None:
    """Move the generation of each substance named (inside the caller's write transaction)."""
    for substance in sorted({n for n in substances if n}):
        moved = s.execute(update(GenerationRow).where(GenerationRow.substance == substance)
                          .values(generation=GenerationRow.generation + 1))
        if not getattr(moved, "rowcount", 0):
            s.execute(insert(GenerationRow).values(substance=substance, generation=1))


def generation(s: Session, substance: str) -> int:
    """The substance's current generation (0 if nothing was ever stored about it)."""
    return int(s.scalar(select(GenerationRow.generation).where(GenerationRow.substance == substance)) or 0)


def current_part(s: Session, substance: str, part: str, fmt: str) -> bytes | None:
    """The part as stored, if it was built from the current generation by code of format `fmt`."""
    body = s.scalar(select(SummaryRow.body)
                    .join(GenerationRow, and_(GenerationRow.substance == SummaryRow.substance,
                                              GenerationRow.generation == SummaryRow.generation))
                    .where(SummaryRow.substance == substance, SummaryRow.part == part, SummaryRow.format == fmt))
    return None if body is None else bytes(body)


def replace(s: Session, substance: str, built_from: int, fmt: str, parts: Mapping[str, bytes],
            aliases: Iterable[str] | None) -> bool:
    """Store `parts` (replacing every part of the substance) and, when given, its aliases, if `built_from`
    is still its generation; False (nothing stored) when a writer moved it since."""
    if generation(s, substance) != built_from:
        return False
    s.execute(delete(SummaryRow).where(SummaryRow.substance == substance))
    now = datetime.now(UTC).replace(tzinfo=None)
    s.add_all(SummaryRow(substance=substance, part=name, generation=built_from, format=fmt, body=body, built_at=now)
              for name, body in parts.items())
    if aliases is not None:
        s.execute(delete(AliasRow).where(AliasRow.substance == substance))
        s.add_all(AliasRow(alias=alias, substance=substance) for alias in sorted(set(aliases)) if alias)
    return True


def stale(s: Session, part: str, fmt: str) -> list[str]:
    """Stored substances (those with documents) whose `part` is missing, or was built from older data or
    by other code."""
    current = (select(SummaryRow.substance)
               .join(GenerationRow, and_(GenerationRow.substance == SummaryRow.substance,
                                         GenerationRow.generation == SummaryRow.generation))
               .where(SummaryRow.part == part, SummaryRow.format == fmt))
    stored = select(DocumentRow.substance).distinct().where(DocumentRow.substance.is_not(None))
    return sorted(n for n in s.scalars(stored.where(DocumentRow.substance.not_in(current))) if n)


def substances_called(s: Session, alias: str) -> list[str]:
    """The stored substances `alias` (normalised as it was stored) is another name of."""
    return sorted(s.scalars(select(AliasRow.substance).where(AliasRow.alias == alias)))
