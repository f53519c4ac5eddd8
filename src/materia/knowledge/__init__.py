"""Items from many documents -> substances, monographs, evidence grades, conflicts, search.

Public functions take a `materia.store.Store` and return frozen dataclasses (model.py).
"""
from __future__ import annotations

import re

from materia.errors import NotFoundError
from materia.knowledge import conflicts as _conflicts
from materia.knowledge import monograph as _monograph
from materia.knowledge.model import (Citation, Claim, Community, ConditionReports, ConditionVerdicts, Conflict, DoseRange,
                                     DoseSummary, Monograph, MonographSection, Position, ReportedEffect, SearchHit,
                                     SourceInfo,
                                     StoredDocument, SubstanceSummary, UseGrade)
from materia.store import Store

__all__ = ["Citation", "Claim", "Community", "ConditionReports", "ConditionVerdicts", "Conflict", "DoseRange",
           "DoseSummary", "Monograph", "MonographSection", "Position", "ReportedEffect", "SearchHit", "SourceInfo",
           "StoredDocument",
           "SubstanceSummary", "UseGrade", "conflicts", "get_document", "list_substances", "monograph",
           "normalise_substance", "resolve", "search"]


def normalise_substance(name: str) -> str:
    """Lower case, one space, without the L-/D- stereo prefix: "L-Glutamine" -> "glutamine"."""
    n = re.sub(r"\s+", " ", name.strip().lower().replace("’", "'"))
    return re.sub(r"^(?:l|d|dl)[- ](?=\w{3})", "", n)


def resolve(store: Store, name: str) -> str:
    """The stored substance `name` refers to (synonyms resolved); NotFoundError if none."""
    wanted = normalise_substance(name)
    for stored in store.substance_names():
        if normalise_substance(stored) == wanted:
            return stored
    raise NotFoundError(f"no substance {name!r} in the knowledge base")


def list_substances(store: Store) -> list[SubstanceSummary]:
    return [SubstanceSummary(c.name, c.n_sources, c.n_statements, c.n_reports) for c in store.substances()]


def monograph(store: Store, name: str) -> Monograph:
    substance = resolve(store, name)
    return _monograph.build(substance, store.documents(substance), store.items(substance))


def conflicts(store: Store, name: str) -> list[Conflict]:
    substance = resolve(store, name)
    return _conflicts.find(store.items(substance, ("statement", "use")))


def search(store: Store, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    return [SearchHit(h.kind, h.title, h.snippet, h.substance, h.document_id, h.item_id)
            for h in store.search(query, limit=max(0, limit), offset=max(0, offset))]


def get_document(store: Store, doc_id: int) -> StoredDocument:
    info, fmt, text, items = store.document(doc_id)
    return StoredDocument(info.id, info.source, info.title, info.kind, info.modified, text,
                          tuple((i.category, i.name, (i.span.start, i.span.end)) for i in items),
                          info.substance, fmt)
