"""The knowledge base: the only package that imports SQLAlchemy.

`connect(url_or_path)` opens (and migrates) an SQLite file or any SQLAlchemy URL;
`Store.put(extraction)` stores one document in one transaction. The store only stores:
reading and extracting files is `materia.pipeline`, which imports the store, never the reverse.
"""
from __future__ import annotations

from materia.store.db import Store, connect
from materia.store.rows import DocumentInfo, HistoryEntry, SearchHit, StoredItem, SubstanceSummary

__all__ = ["DocumentInfo", "HistoryEntry", "SearchHit", "Store", "StoredItem", "SubstanceSummary", "connect"]
