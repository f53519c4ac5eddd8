"""Per-substance summaries: opaque parts the knowledge layer computes, kept with the generation of the
data they were built from.

Every write that touches a substance's documents moves its generation (`touch`, in the writer's own
transaction). A summary part is current when it was built from the current generation by code of the
same `format`; anything else is stale and is never handed out. So the store needs to know nothing of
what a summary holds: knowledge/ builds the parts, the pipeline (after an ingest) or the first reader
stores them. Reading them (the current part, the stale ones, the generation) is the Reader's (store/read.py).

Written through Core, many rows per statement (Store.put_summaries): the ORM's unit of work per part was most
of what storing the summaries of 1,000 monographs cost the writer.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from materia.store.models import Base

SUMMARIES, ALIASES = Base.metadata.tables["summaries"], Base.metadata.tables["substance_aliases"]
_MOVE = text("INSERT INTO substance_generations (substance, generation) VALUES (:substance, 1) "
             "ON CONFLICT (substance) DO UPDATE SET generation = substance_generations.generation + 1")


def touch(s: Session, substances: Iterable[str | None]) -> None:
    """Move the generation of each substance named (inside the caller's write transaction)."""
    names = sorted({n for n in substances if n})
    if names:
        s.connection().execute(_MOVE, [{"substance": n} for n in names])
