"""Frozen values the knowledge layer returns (CLI, web site and API render these).

All serialise with `materia.serialise`; spans are (start, end) tuples into the source's text.
SubstanceSummary and SearchHit are the store's own rows, handed on unchanged.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from materia.store.rows import SearchHit, SubstanceSummary

__all__ = ["Citation", "Claim", "Community", "ConditionReports", "Conflict", "DocumentItem", "DoseRange",
           "DoseSummary", "Monograph", "MonographSection", "Position", "Report", "SearchHit", "SourceInfo",
           "SourceKind", "StoredDocument", "SubstanceSummary", "UseGrade"]

SourceKind = str  # "referenced article" | "unreferenced monograph" | "label" | "community report"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a statement is said: the source as ingested and the span of its evidence."""

    source: str
    document_id: int
    span: tuple[int, int]
    text: str
    source_kind: SourceKind = "unreferenced monograph"
    record: str | None = None  # which record of the file ("row 12"), if it holds many; `span` indexes its text


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement about a substance (grouped across sources), with every source saying it."""

    topic: str  # use | dose | effect | red_flag | precaution | timing | long_term_safety | onset | storage | ...
    name: str
    stance: str | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class MonographSection:
    key: str  # usage | dosage | side_effects | mechanism | precautions | faq: stable, for anchors
    title: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class DoseFlag:
    """Why the sanity screen keeps a daily amount out of the chart and the highest figure."""

    rule: str  # above_own_maximum | far_above_other_sources
    reason: str  # for people: "2.4 g/day is above the 1.2 g/day maximum the same source states"
    limit_g_per_day: float  # the amount it was found above


@dataclass(frozen=True, slots=True)
class DoseRange:
    source: str
    document_id: int
    text: str
    span: tuple[int, int]
    low_g_per_day: float | None
    high_g_per_day: float | None  # None when per kg of body weight or not a daily mass
    supervised: bool = False
    maximum: bool = False  # the source states this amount as a limit
    per_kg: bool = False
    flag: DoseFlag | None = None


@dataclass(frozen=True, slots=True)
class DoseSummary:
    """Doses for one purpose (indication and population), each source's range normalised to g/day
    where the text allows; `flagged` holds the ranges the sanity screen kept out, with the reason."""

    purpose: str
    ranges: tuple[DoseRange, ...]
    highest_g_per_day: float | None
    supervised: bool
    population: str | None = None
    stated_maximum_g_per_day: float | None = None  # the lowest daily maximum its sources state
    flagged: tuple[DoseRange, ...] = ()


@dataclass(frozen=True, slots=True)
class UseGrade:
    """How strong the evidence for one use is (GRADE-like), and why."""

    name: str
    grade: str  # high | moderate | low | very low
    reason: str
    stances: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ConditionReports:
    condition: str
    count: int
    mean_rating: float | None
    distribution: tuple[tuple[int, int], ...]  # (rating, how many)


@dataclass(frozen=True, slots=True)
class Report:
    """One community report (a post or a review row) and the side effects named inside it."""

    document_id: int
    span: tuple[int, int]
    text: str
    author: str | None
    location: str | None
    date: datetime.date | None  # qualified: the field's own name shadows `date` in this class
    rating: int | None
    rating_scale: int
    topic: str | None
    editors_choice: bool
    effects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConditionVerdicts:
    """What posts and reviews say a substance did for one condition or goal: how many said each verdict."""

    condition: str
    helped: int
    nothing: int
    worse: int
    quotes: tuple[Citation, ...]  # a few of the writers' own sentences, each with its span


@dataclass(frozen=True, slots=True)
class ReportedEffect:
    """A side effect people report having had, counted once per post, with example quotes."""

    name: str
    count: int
    quotes: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Community:
    n_posts: int
    mean_rating: float | None
    distribution: tuple[tuple[int, int], ...]
    conditions: tuple[ConditionReports, ...]
    side_effects: tuple[tuple[str, int], ...]  # (effect, posts mentioning it)
    reports: tuple[Report, ...] = ()
    verdicts: tuple[ConditionVerdicts, ...] = ()
    reported_effects: tuple[ReportedEffect, ...] = ()


@dataclass(frozen=True, slots=True)
class Position:
    """One side of a conflict; `span` indexes the stored document's text, `offset + span` its file's."""

    source: str
    stance: str
    span: tuple[int, int]
    text: str
    document_id: int = 0
    record: str | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Conflict:
    """A topic on which sources disagree: every position, with its evidence."""

    topic: str
    positions: tuple[Position, ...]


@dataclass(frozen=True, slots=True)
class Location:
    """One stored copy of a source: a file, or a record of a file."""

    document_id: int
    source: str
    record: str | None = None


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One source: documents with the same content (the same label version, the same text) are one
    source however many files hold them; `locations` lists every copy, the first is `document_id`."""

    document_id: int
    source: str
    title: str | None
    kind: str
    source_kind: SourceKind
    modified: date | None
    record: str | None = None  # which record of the file ("row 12", "PMID 1234"), if it holds many
    locations: tuple[Location, ...] = ()


@dataclass(frozen=True, slots=True)
class Monograph:
    substance: str
    sources: tuple[SourceInfo, ...]
    sections: tuple[MonographSection, ...]
    doses: tuple[DoseSummary, ...]
    uses: tuple[UseGrade, ...]
    conflicts: tuple[Conflict, ...]
    community: Community


class DocumentItem(NamedTuple):
    """An item extracted from a document. A tuple, so the API keeps its [category, name, span] rows."""

    category: str
    name: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """One source document as stored: its text, every item extracted from it, and the
    sentences its items were cited by (the anchors citations link to)."""

    id: int
    source: str
    title: str | None
    kind: str
    modified: date | None
    text: str
    items: tuple[DocumentItem, ...]
    substance: str | None = None
    format: str = ""
    sentences: tuple[tuple[int, int], ...] = ()
    record: str | None = None  # which record of the file ("row 12", "PMID 1234"), if it holds many
    offset: int = 0  # where `text` starts in the file's text
