"""Items from many documents -> substances, monographs, evidence grades, conflicts, search.

Public functions take a `materia.store.Store` and return frozen dataclasses (model.py).
"""
from __future__ import annotations

import re
from collections import Counter

from materia.errors import NotFoundError
from materia.extract.names import headline_name, resolve_name
from materia.knowledge import conflicts as _conflicts
from materia.knowledge import monograph as _monograph
from materia.knowledge.model import (Citation, Claim, Community, ConditionReports, ConditionVerdicts, Conflict,
                                     DoseRange, DoseSummary, Location, Monograph, MonographSection, Position,
                                     ReportedEffect, SearchHit, SourceInfo, StoredDocument, SubstanceSummary, UseGrade)
from materia.store import Store

__all__ = ["Citation", "Claim", "Community", "ConditionReports", "ConditionVerdicts", "Conflict", "DoseRange",
           "DoseSummary", "Location", "Monograph", "MonographSection", "Position", "ReportedEffect", "SearchHit",
           "SourceInfo", "StoredDocument",
           "SubstanceSummary", "UseGrade", "conflicts", "get_document", "list_substances", "monograph",
           "normalise_substance", "resolve", "search"]


def normalise_substance(name: str) -> str:
    """Lower case, one space, without the L-/D- stereo prefix: "L-Glutamine" -> "glutamine"."""
    n = re.sub(r"\s+", " ", name.strip().lower().replace("’", "'"))
    return re.sub(r"^(?:l|d|dl)[- ](?=\w{3})", "", n)


def resolve(store: Store, name: str) -> str:
    """The stored substance `name` refers to; NotFoundError if none. The one place a user's name for a
    substance is resolved (`show`, `conflicts`, `export`, the web site and API).

    In order: a stored name ("L-Glutamine" -> glutamine); what the vocabularies call it, brands and
    synonyms included ("Lipitor" -> atorvastatin, the same resolver extraction uses); the substance of
    stored documents titled with that name (a label's product name, for brands no vocabulary knows)."""
    stored = {normalise_substance(s): s for s in store.substance_names()}
    wanted = normalise_substance(name)
    if wanted in stored:
        return stored[wanted]
    named = resolve_name(name).names
    for candidate in named:
        if normalise_substance(candidate) in stored:
            return stored[normalise_substance(candidate)]
    wanted_names = {wanted, *map(normalise_substance, named)}

    def titled_so(title: str) -> bool:  # "Quuxol (quuxamide) tablets" is titled Quuxol
        head = headline_name(title)
        return bool(wanted_names & {normalise_substance(head), *map(normalise_substance, resolve_name(head).names)})

    titled = Counter(substance for title, substance in store.titled_substances() if titled_so(title))
    if titled:
        return titled.most_common(1)[0][0]
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
