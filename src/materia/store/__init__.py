"""The knowledge base: the only package that imports SQLAlchemy.

`connect(url_or_path)` opens (and migrates) an SQLite file or any SQLAlchemy URL;
`Store.put(extraction)` stores one document in one transaction (`prepare` turns an extraction into the
records stored, where it was extracted), `Store.put_all` every document of
one file, `Store.put_many` many files in one transaction (a large ingest); `Store.summary`/`put_summary` keep
the per-substance summaries knowledge/ computes (stale once a write touches the substance);
`match_statements` and friends search within a `QueryBudget` (a time limit, and cancellable). The store only stores:
reading and extracting files is `materia.pipeline`, which imports the store, never the reverse.

Every read is a `Reader`'s (read.py), one SQL text per query: the Store's on SQLAlchemy's engine, or
`open_reader`'s on the standard library's sqlite3 for an SQLite file, so a command that only reads needs no
SQLAlchemy. That is why `Store` and `connect` are imported when first asked for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from materia.store.read import Reader, open_reader
from materia.store.rows import (
    DocumentInfo,
    DocumentMatch,
    HistoryEntry,
    Snippet,
    StatementMatch,
    StoredItem,
    SubstanceSummary,
)
from materia.store.search import QueryBudget
from materia.store.serialise import Prepared, prepare

if TYPE_CHECKING:
    from materia.store.db import Store, connect

__all__ = ["DocumentInfo", "DocumentMatch", "HistoryEntry", "Prepared", "QueryBudget", "Reader", "Snippet",
           "StatementMatch", "Store", "StoredItem", "SubstanceSummary", "connect", "open_reader", "prepare"]


def __getattr__(name: str) -> Any:
    """`Store` and `connect`, from db.py (which imports SQLAlchemy) the first time one is asked for."""
    if name in ("Store", "connect"):
        from materia.store import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
