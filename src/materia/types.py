"""Typed values that flow between materia's stages.

read (ingest/) -> Document
extract/       -> Extraction (Dose, Effect, RedFlag, Use, Precaution, Reference, Post, Statement)
knowledge/     -> monographs, claims, grades, conflicts (defined there, built from these)

Every item found in a document carries a `span`: character offsets (code points) into
`Document.text`, so `document.text[span.start:span.end]` is its evidence. Items found
inside a sentence also carry `sentence`, the span of that whole sentence.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = ["Document", "DocumentKind", "Dose", "Effect", "Evidence", "Extraction", "Interaction",
           "InteractionType", "MarkedName", "Partner", "Per", "Post", "Precaution", "RedFlag", "Reference", "Section",
           "SectionType", "Severity", "Span", "Stance", "Statement", "StatementTopic", "Use", "Verdict"]

DocumentKind = Literal["article", "monograph", "community", "label", "abstract", "review", "other"]

# What a section is for decides what a sentence in it can be (doses only from dosage text,
# uses only from usage and efficacy text, animal findings never as benefits...).
SectionType = Literal[
    "usage", "dosage", "side_effects", "mechanism", "precautions", "interactions",
    "contraindications", "warnings", "boxed_warning", "faq", "references", "posts",
    "disclaimer", "boilerplate", "other",
    "clinical_studies",   # efficacy trials of the subject (label 14, an article's results)
    "nonclinical",        # animal, carcinogenicity, mutagenicity, fertility, in vitro toxicology
    "pharmacokinetics",   # absorption, levels, clearance; doses here are study doses, not advice
    "overdosage",         # what too much does; amounts here are never recommended doses
    "abuse",              # abuse and dependence
    "product",            # description, strengths, how supplied, storage, ingredients, package label
    "patient_info",       # patient counselling, medication guide, patient package insert
]

Per = Literal["day", "dose", "week"]
Stance = Literal["benefit", "no_benefit", "mixed", "unclear"]
Evidence = Literal["meta_analysis", "rct", "clinical", "observational", "animal", "in_vitro", "anecdote", "none"]
Verdict = Literal["helped", "nothing", "worse"]  # a writer's verdict on what they took something for
# DDI 2013: mechanism (pharmacokinetic), effect (pharmacodynamic outcome), advise (a recommendation),
# int (an interaction stated without detail)
InteractionType = Literal["mechanism", "effect", "advise", "int"]
Severity = Literal["major", "moderate", "minor"]
Partner = Literal["substance", "class", "food"]  # what the other side of an interaction is


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range [start, end) into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start:self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a document. `span` covers heading and body; `body` the body only."""

    title: str
    type: SectionType
    span: Span
    body: Span
    level: int = 1


@dataclass(frozen=True, slots=True)
class MarkedName:
    """A drug or drug class the file itself marks up (an <entity> of the DDI corpus's XML), by its span."""

    span: Span
    kind: Partner


@dataclass(frozen=True, slots=True)
class Post:
    """One user report: a community post or a row of a review data set."""

    span: Span
    author: str | None = None
    location: str | None = None
    date: date | None = None
    rating: int | None = None
    rating_scale: int = 5
    topic: str | None = None
    editors_choice: bool = False
    author_post_count: int | None = None
    body: Span | None = None
    drug: str | None = None
    condition: str | None = None
    effectiveness: str | None = None
    side_effect_severity: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    """One source file, or one record of a many-record file, as read. `text` is what every
    span indexes: the file's decoded text for text formats, the extracted main text for HTML,
    XML and JSON labels. A record ("row 12", "PMID 1234", "label 3") has its own `text`:
    for text formats its slice of the file's decoded text starting at `offset`, so
    `file_text[offset + start:offset + end]` is the evidence of a span in the file."""

    source: str
    sha256: str
    text: str
    kind: DocumentKind
    format: str
    title: str | None = None
    modified: date | None = None
    published: date | None = None
    author: str | None = None
    sections: tuple[Section, ...] = ()
    posts: tuple[Post, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()  # what the reader assumed or repaired, for the user
    record: str | None = None  # which record of a many-record file; None for a one-document file
    offset: int = 0  # where `text` starts in the file's decoded text
    marked: tuple[MarkedName, ...] = ()  # the drugs and classes the file marks up itself, in text order

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing `offset`."""
        best: Section | None = None
        for section in self.sections:
            if section.span.start <= offset < section.span.end and (
                    best is None or section.span.start >= best.span.start):
                best = section
        return best


@dataclass(frozen=True, slots=True)
class Dose:
    span: Span
    low: float | None
    high: float
    unit: str
    substance: str | None = None
    per: Per | None = None
    times_per_day: tuple[int, int] | None = None
    per_kg: bool = False
    route: str | None = None
    population: str | None = None
    context: str | None = None
    supervised: bool = False
    sentence: Span | None = None
    maximum: bool = False  # a stated upper limit ("do not exceed 4 g a day"), not an amount to take
    daily_cap: float | None = None  # the most per day the same text allows for this dose, in `unit`


@dataclass(frozen=True, slots=True)
class Effect:
    name: str
    span: Span
    negated: bool = False
    hypothetical: bool = False
    serious: bool | None = None
    sentence: Span | None = None
    # reported experience (posts, reviews): when it began and how long it lasted, as written; the writer unsure
    onset: str | None = None
    duration: str | None = None
    hedged: bool = False
    # a discontinuous mention's pieces ("increased" + "AST" in "increased ALT and AST"), `span` covering
    # them all; empty for a mention in one piece
    parts: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class RedFlag:
    name: str
    span: Span
    sentence: Span | None = None


@dataclass(frozen=True, slots=True)
class Use:
    name: str
    span: Span
    stance: Stance = "benefit"
    evidence: Evidence = "none"
    refs: tuple[int, ...] = ()
    sentence: Span | None = None
    verdict: Verdict | None = None  # posts and reviews: helped / did nothing / made it worse


@dataclass(frozen=True, slots=True)
class Precaution:
    name: str
    span: Span
    sentence: Span | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    n: int
    span: Span
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None


@dataclass(frozen=True, slots=True)
class Interaction:
    """Two things that should not meet, as one sentence states it: `a` and `b` canonical names, each
    with the span of its mention; `span` is the sentence. `b` may be a drug class ("strong CYP3A4
    inhibitors") or a food ("grapefruit juice"), as `b_kind` says; `a` is a substance."""

    a: str
    a_span: Span
    b: str
    b_span: Span
    type: InteractionType
    span: Span
    severity: Severity | None = None
    b_kind: Partner = "substance"
    mechanism: tuple[str, ...] = ()  # enzymes and transporters named ("CYP3A4", "P-gp")
    wording: str | None = None  # the severity words as written ("contraindicated", "avoid", "monitor")


StatementTopic = Literal["timing", "long_term_safety", "onset", "storage", "preparation"]


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence on a practical topic with the position it takes, e.g.
    topic="timing", stance="with food"; the knowledge base compares these across sources."""

    topic: StatementTopic
    stance: str
    span: Span


@dataclass(frozen=True, slots=True, eq=False)
class Extraction:
    document: Document
    substance: str | None = None
    substances: tuple[str, ...] = ()  # every active ingredient it is about, main first (combinations name all)
    doses: tuple[Dose, ...] = ()
    effects: tuple[Effect, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    uses: tuple[Use, ...] = ()
    precautions: tuple[Precaution, ...] = ()
    references: tuple[Reference, ...] = ()
    posts: tuple[Post, ...] = ()
    statements: tuple[Statement, ...] = ()
    interactions: tuple[Interaction, ...] = ()
