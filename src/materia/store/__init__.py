"""The knowledge base: the only package that imports SQLAlchemy.

`connect(url_or_path)` opens (and migrates) an SQLite file or any SQLAlchemy URL;
`Store.put(extraction)` stores one document in one transaction (`prepare` turns an extraction into the
records stored, where it was extracted), `Store.put_all` every document of
one file, `Store.put_many` many files in one transaction (a large ingest); `Store.summary`/`put_summary` keep
the per-substance summaries knowledge/ computes (stale once a write touches the substance);
`match_statements` and friends search within a `QueryBudget` (a time limit, and cancellable). The store only stores:
reading and extracting files is `materia.pipeline`, which imports the store, never the reverse.
"""
from __future__ import annotations

from materia.store.db import Store, connect
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

__all__ = ["DocumentInfo", "DocumentMatch", "HistoryEntry", "Prepared", "QueryBudget", "Snippet", "StatementMatch",
           "Store", "StoredItem", "SubstanceSummary", "connect", "prepare"]
