"""Items from many documents -> substances, monographs, evidence grades, conflicts, search.

`KnowledgeBase(store)` is the one reader: its methods return the frozen dataclasses of model.py,
which the CLI, the web site, the API and the exports (export.py) render.
"""
from __future__ import annotations

from materia.knowledge.base import KnowledgeBase, LruCache, normalise_substance
from materia.knowledge.model import (
    Citation,
    Claim,
    Community,
    ConditionReports,
    ConditionVerdicts,
    Conflict,
    DocumentItem,
    DoseFlag,
    DoseRange,
    DoseSummary,
    Location,
    Monograph,
    MonographSection,
    Position,
    Report,
    ReportedEffect,
    SearchHit,
    SourceInfo,
    StoredDocument,
    SubstanceSummary,
    UseGrade,
)

__all__ = ["Citation", "Claim", "Community", "ConditionReports", "ConditionVerdicts", "Conflict", "DocumentItem",
           "DoseFlag", "DoseRange", "DoseSummary", "KnowledgeBase", "Location", "LruCache", "Monograph",
           "MonographSection", "Position", "Report", "ReportedEffect", "SearchHit", "SourceInfo", "StoredDocument",
           "SubstanceSummary", "UseGrade", "normalise_substance"]
