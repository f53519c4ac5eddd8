"""The knowledge base: the only package that imports SQLAlchemy.

`connect(url_or_path)` opens (and migrates) an SQLite file or any SQLAlchemy URL;
`Store.ingest(paths, settings)` reads, extracts and stores documents, one transaction each.
"""
from __future__ import annotations

from materia.store.db import Store, connect, expand_paths
from materia.store.rows import DocumentInfo, IngestReport, SearchHit, StoredItem, SubstanceSummary

__all__ = ["DocumentInfo", "IngestReport", "SearchHit", "Store", "StoredItem", "SubstanceSummary", "connect",
           "expand_paths"]
