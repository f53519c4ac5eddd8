"""Frozen values the knowledge layer returns (CLI, web site and API render these).

All serialise with `materia.serialise`; spans are (start, end) tuples into the source's text.
SubstanceSummary is the store's own row, handed on unchanged.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from materia.store.rows import SubstanceSummary

__all__ = ["CheckedName", "Citation", "Claim", "ClassMatch", "Community", "ConditionReports", "Conflict",
           "DocumentItem", "DoseRange", "DoseSummary", "InteractionPair", "InteractionReport", "InteractionSource",
           "Monograph", "MonographSection", "Position", "Report", "SearchHit", "SearchResults", "SourceInfo",
           "SourceKind", "StoredDocument", "SubstanceSummary", "UseGrade"]

# "referenced article", "unreferenced monograph", "label", "community report", "user review", "abstract"
SourceKind = str


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
    n_citations: int = -1  # how many citations it has in all; `citations` may hold only the first (a page)
    n_sources: int = -1  # how many documents those citations are in (two passages of one document: one source)

    def __post_init__(self) -> None:
        if self.n_citations < 0:
            object.__setattr__(self, "n_citations", len(self.citations))
        if self.n_sources < 0:
            object.__setattr__(self, "n_sources", len({c.document_id for c in self.citations}))


@dataclass(frozen=True, slots=True)
class MonographSection:
    key: str  # usage | dosage | side_effects | mechanism | precautions | faq: stable, for anchors
    title: str
    claims: tuple[Claim, ...]
    n_claims: int = -1  # how many claims the whole section has; `claims` may be one page of them
    topics: tuple[tuple[str, int], ...] = ()  # (topic, claims of it) over the whole section, in section order

    def __post_init__(self) -> None:
        if self.n_claims < 0:
            object.__setattr__(self, "n_claims", len(self.claims))
        if not self.topics and self.claims:
            object.__setattr__(self, "topics", tuple(Counter(c.topic for c in self.claims).items()))

    def count(self, topic: str) -> int:
        """How many claims of `topic` the whole section has (its page may show fewer)."""
        return dict(self.topics).get(topic, 0)


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
    ingested: date | None = None  # when materia last read it


@dataclass(frozen=True, slots=True)
class ClassMatch:
    """A named substance met through a drug class a source names, and who says it belongs there:
    note = "clarithromycin is among the strong CYP3A4 inhibitors — class membership from <source>"."""

    substance: str
    class_name: str
    membership_source: str  # where materia's class list (lexicons/drug_classes.py) takes the membership from
    note: str


@dataclass(frozen=True, slots=True)
class InteractionSource:
    """One source's sentence stating an interaction. `span` (the sentence), `a_span` and `b_span` index the
    stored document's text; `offset + span` its file's. `a` and `b` are the parties as the source names them
    (`b` may be a class or a food, as `b_kind` says); `says` is the position it takes: a severity
    ("major", "moderate", "minor"), "severity not stated", or "no interaction"."""

    document_id: int
    source: str
    title: str | None
    kind: str
    source_kind: SourceKind
    grade: str  # how much a statement of this kind of source weighs: high (label) ... very low (community)
    span: tuple[int, int]
    text: str
    a: str
    b: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    b_kind: str  # substance | class | food
    type: str  # mechanism | effect | advise | int (DDI 2013)
    severity: str | None
    says: str
    wording: str | None = None  # the severity words as written ("contraindicated", "avoid", "monitor")
    mechanism: tuple[str, ...] = ()
    via_class: ClassMatch | None = None  # set when a named substance met this sentence through a class
    record: str | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class InteractionPair:
    """Everything the sources say about one unordered pair: the strongest statement first.

    `a` and `b` are the substances (or a substance and the class or food its sources name); `asked`
    the names the user gave for them, when checking a list. `severity` is the strongest any source states,
    `grade` the best of its sources' grades, `type` that of the strongest statement (`types` all stated).
    `conflicts` sets side by side sources that disagree on whether, or how severely, they interact."""

    a: str
    b: str
    type: str
    types: tuple[str, ...]
    severity: str | None
    grade: str
    mechanism: tuple[str, ...]
    sources: tuple[InteractionSource, ...]
    conflicts: tuple[Conflict, ...] = ()
    via_class: tuple[ClassMatch, ...] = ()
    asked: tuple[str, str] | None = None

    @property
    def n_sources(self) -> int:
        """How many sources state it (`sources` holds their sentences, a source's copies already merged)."""
        return len({s.document_id for s in self.sources})


@dataclass(frozen=True, slots=True)
class CheckedName:
    """A name the user gave, the substances it names (a combination product names several, a brand its
    generic), and whether the knowledge base knows anything of them."""

    asked: str
    names: tuple[str, ...]
    known: bool


@dataclass(frozen=True, slots=True)
class InteractionReport:
    """Every pairwise interaction the sources state among some named products, strongest first; the names
    the knowledge base has no record of; the pairs of names it knows nothing about. Nothing known is not
    "safe": it means no source materia has read says anything about that combination."""

    names: tuple[CheckedName, ...]
    pairs: tuple[InteractionPair, ...]
    unknown: tuple[str, ...]
    nothing_known: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Monograph:
    substance: str
    sources: tuple[SourceInfo, ...]
    sections: tuple[MonographSection, ...]
    doses: tuple[DoseSummary, ...]
    uses: tuple[UseGrade, ...]
    conflicts: tuple[Conflict, ...]
    community: Community
    interactions: tuple[InteractionPair, ...] = ()  # what its own sources say it interacts with


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


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: a substance by name, a statement, or a document. A statement hit stands for
    every statement of one substance with its category, name and stance (`n_sources` sources state it);
    its `document_id` and `span` are the sentence of its best match, the one a link leads to."""

    kind: str  # substance | statement | document
    title: str  # the substance's name; "effect: headache"; the document's title
    snippet: str  # the words around the match, matched words bracketed as [word]
    substance: str | None = None
    document_id: int | None = None
    item_id: int | None = None
    span: tuple[int, int] | None = None  # the evidence sentence in the document's text
    n_sources: int = 1  # sources stating it (statement), copies of it (document), sources about it (substance)


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of search results: the substance the query names first, then statements grouped by
    substance (best group first), then documents; `statements` and `documents` count every match."""

    query: str
    terms: tuple[str, ...]  # the words searched for: repeats collapsed, common words dropped, at most eight
    hits: tuple[SearchHit, ...]
    statements: int  # statements holding every term (before merging)
    documents: int  # documents holding every term
    counted_all: bool = True  # False: the counts stopped at a cap ("10000 or more")
    offset: int = 0
    limit: int = 20
    more: bool = False  # a next page has hits
    partial: bool = False  # the time limit cut the search short: matches may be missing, counts low
    note: str = ""  # for people: why the answer is partial, which words were left out
