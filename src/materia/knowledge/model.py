"""Frozen values the knowledge layer returns (CLI, web site and API render these).

All serialise with `dataclasses.asdict`; spans are (start, end) tuples into the source's text.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SourceKind = str  # "referenced article" | "unreferenced monograph" | "label" | "community report"


@dataclass(frozen=True, slots=True)
class SubstanceSummary:
    name: str
    n_sources: int
    n_statements: int
    n_reports: int


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a statement is said: the source as ingested and the span of its evidence."""

    source: str
    document_id: int
    span: tuple[int, int]
    text: str
    source_kind: SourceKind = "unreferenced monograph"


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement about a substance (grouped across sources), with every source saying it."""

    topic: str  # use | dose | effect | red_flag | precaution | timing | long_term_safety | onset | storage | ...
    name: str
    stance: str | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class MonographSection:
    title: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class DoseRange:
    source: str
    document_id: int
    text: str
    span: tuple[int, int]
    low_g_per_day: float | None
    high_g_per_day: float | None
    supervised: bool = False


@dataclass(frozen=True, slots=True)
class DoseSummary:
    """Doses for one purpose, each source's range normalised to g/day where the text allows."""

    purpose: str
    ranges: tuple[DoseRange, ...]
    highest_g_per_day: float | None
    supervised: bool


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


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str  # substance | statement | document
    title: str
    snippet: str
    substance: str | None = None
    document_id: int | None = None
    item_id: int | None = None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    source: str
    title: str | None
    kind: str
    modified: date | None
    text: str
    items: tuple[tuple[str, str, tuple[int, int]], ...]  # (category, name, span)
    substance: str | None = None
    format: str = ""
