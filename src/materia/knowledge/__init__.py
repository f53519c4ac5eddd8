"""Items from many documents -> substances, monographs, evidence grades, conflicts, search.

`KnowledgeBase(store)` is the one reader: its methods return the frozen dataclasses of model.py,
which the CLI, the web site, the API and the exports (export.py) render.
"""
from __future__ import annotations

from materia.knowledge.base import KnowledgeBase, LruCache
from materia.knowledge.model import (
    CheckedName,
    Citation,
    Claim,
    ClassMatch,
    Community,
    ConditionReports,
    ConditionVerdicts,
    Conflict,
    DocumentItem,
    DoseFlag,
    DoseRange,
    DoseSummary,
    InteractionPair,
    InteractionReport,
    InteractionSource,
    Location,
    Monograph,
    MonographSection,
    Position,
    Report,
    ReportedEffect,
    SearchHit,
    SearchResults,
    SourceInfo,
    StoredDocument,
    SubstanceSummary,
    UseGrade,
)
from materia.knowledge.names import normalise_substance

__all__ = ["CheckedName", "Citation", "Claim", "ClassMatch", "Community", "ConditionReports", "ConditionVerdicts",
           "Conflict", "DocumentItem", "DoseFlag", "DoseRange", "DoseSummary", "InteractionPair", "InteractionReport",
           "InteractionSource", "KnowledgeBase", "Location", "LruCache", "Monograph", "MonographSection", "Position",
           "Report", "ReportedEffect", "SearchHit", "SearchResults", "SourceInfo", "StoredDocument",
           "SubstanceSummary", "UseGrade", "normalise_substance"]
