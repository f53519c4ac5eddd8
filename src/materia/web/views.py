"""What the pages draw beyond the typed values themselves: readable source names, the dose
chart, red flags grouped by sentence, conflicts split into sides, rating bars, highlighted text.

Pure functions from the knowledge base's values (materia.knowledge.model) to frozen values;
templates receive both and read attributes, never guessed keys.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from materia.knowledge.model import (
    Citation,
    Claim,
    ConditionVerdicts,
    Conflict,
    Location,
    Monograph,
    Position,
    Report,
    ReportedEffect,
    SearchHit,
    SourceInfo,
    StoredDocument,
)
from materia.web.chart import Chart, DoseBar, layout
from materia.web.highlight import Mark, Token, anchor_id, tokens


def evidence_href(document_id: int, span: tuple[int, int] | None = None) -> str:
    """Link to a document view, scrolled to and highlighting one span."""
    base = f"/documents/{document_id}"
    return f"{base}#{anchor_id(*span)}" if span else base


def short_source(source: str) -> str:
    """A path or URL shortened to its last part, for chart labels and badges."""
    tail = source.rstrip("/").rsplit("/", 1)[-1]
    return tail or source


def location_name(location: Location) -> str:
    """Where one copy of a source is: "reviews.tsv, row 12", or the file name alone."""
    where = short_source(location.source)
    return f"{where}, {location.record}" if location.record else where


def source_titles(sources: Iterable[SourceInfo]) -> dict[int, str]:
    """document id -> a readable name: its title when it has one, else the file name (and the record
    of a many-record file: "reviews.tsv, row 12"); names shared by several sources get their id appended."""
    out = {}
    for s in sources:
        title = (s.title or "").strip()
        where = location_name(Location(s.document_id, s.source, s.record))
        out[s.document_id] = title if any(ch.isalpha() for ch in title) else where
    seen = list(out.values())
    return {k: f"{v} (#{k})" if seen.count(v) > 1 else v for k, v in out.items()}


@dataclass(frozen=True, slots=True)
class RedFlag:
    """Red flags named in one sentence, shown as one entry; `claim` is the first, whose sources are shown."""

    names: tuple[str, ...]
    claim: Claim


@dataclass(frozen=True, slots=True)
class ConflictSide:
    stance: str
    positions: tuple[Position, ...]


@dataclass(frozen=True, slots=True)
class ConflictSides:
    """A conflict as its sides: positions grouped by stance, in the order they first appear."""

    topic: str
    sides: tuple[ConflictSide, ...]


@dataclass(frozen=True, slots=True)
class RatingBar:
    stars: int
    count: int
    pct: int


QUOTES_SHOWN = 2  # example quotes the page shows per condition or reported side effect
QUOTE_CHARS = 240  # a longer quote is cut at a word and ends in "…"; its link leads to the whole sentence


def excerpt(text: str, limit: int = QUOTE_CHARS) -> str:
    """A quote on one line, cut at a word boundary when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",;:") + "…"


@dataclass(frozen=True, slots=True)
class CommunityQuote:
    """One example of what a writer said, with the link to its sentence in the source view."""

    text: str
    href: str
    source: str  # the source's readable name
    kind: str  # the source's kind, CSS-safe ("community-report"), for the badge's colour


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """One condition of the community table: the counts as the knowledge base gives them, a few quotes."""

    anchor: str  # id of the table row, linked from the use statement it stands beside
    verdicts: ConditionVerdicts
    quotes: tuple[CommunityQuote, ...]


@dataclass(frozen=True, slots=True)
class EffectRow:
    effect: ReportedEffect
    quotes: tuple[CommunityQuote, ...]


@dataclass(frozen=True, slots=True)
class MonographPage:
    """The monograph page: the monograph, plus what is drawn from it."""

    monograph: Monograph
    titles: Mapping[int, str]
    grades: Mapping[str, str]  # use name (lower case) -> evidence grade
    red_flags: tuple[RedFlag, ...]
    bars: tuple[DoseBar, ...]
    chart: Chart | None
    conflicts: tuple[ConflictSides, ...]
    ratings: tuple[RatingBar, ...]
    verdicts: tuple[VerdictRow, ...]  # community: per condition, helped / did nothing / worse
    reported_effects: tuple[EffectRow, ...]  # community: side effects posts report
    verdict_rows: Mapping[str, VerdictRow]  # condition (lower case) -> its row of `verdicts`

    def title(self, document_id: int, source: str) -> str:
        """The readable name of a source."""
        return self.titles.get(document_id) or short_source(source)

    def grade(self, claim: Claim) -> str:
        """The evidence grade of a use claim ("" for other topics)."""
        return self.grades.get(claim.name.lower(), "") if claim.topic == "use" else ""

    def verdict(self, claim: Claim) -> VerdictRow | None:
        """What people report for the condition of a use claim, shown beside its graded evidence."""
        # both names are the knowledge base's canonical condition names
        return self.verdict_rows.get(claim.name.lower()) if claim.topic == "use" else None


def red_flags(m: Monograph) -> tuple[RedFlag, ...]:
    """Red-flag claims in monograph order; those quoting the same sentence become one entry."""
    groups: dict[str, RedFlag] = {}
    for section in m.sections:
        for claim in section.claims:
            if claim.topic != "red_flag":
                continue
            key = (claim.citations[0].text if claim.citations else "") or claim.name
            prev = groups.get(key)
            groups[key] = RedFlag((*prev.names, claim.name), prev.claim) if prev else RedFlag((claim.name,), claim)
    return tuple(groups.values())


def dose_bars(m: Monograph, titles: Mapping[int, str]) -> tuple[DoseBar, ...]:
    """One bar per source and purpose, spanning every g/day range that source gives for it."""
    merged: dict[tuple[str, str], DoseBar] = {}
    for dose in m.doses:
        for r in dose.ranges:
            if r.high_g_per_day is None:
                continue
            label = titles.get(r.document_id) or short_source(r.source)
            low = r.low_g_per_day if r.low_g_per_day is not None else r.high_g_per_day
            high = r.high_g_per_day
            prev = merged.get((label, dose.purpose))
            if prev is not None:
                low, high = min(prev.low, low), max(prev.high, high)
            href = evidence_href(r.document_id, r.span)
            merged[(label, dose.purpose)] = DoseBar(label, dose.purpose, low, high, href)
    return tuple(merged.values())


def conflict_sides(c: Conflict) -> ConflictSides:
    by_stance: dict[str, list[Position]] = {}
    for p in c.positions:
        by_stance.setdefault(p.stance, []).append(p)
    return ConflictSides(c.topic.replace("_", " "),
                         tuple(ConflictSide(stance.replace("_", " "), tuple(ps)) for stance, ps in by_stance.items()))


def rating_bars(distribution: Sequence[tuple[int, int]]) -> tuple[RatingBar, ...]:
    """The rating distribution, best rating first, each with its share in per cent."""
    total = sum(count for _, count in distribution)
    return tuple(RatingBar(stars, count, round(100 * count / total) if total else 0)
                 for stars, count in sorted(distribution, reverse=True))


def community_quotes(citations: Sequence[Citation], titles: Mapping[int, str]) -> tuple[CommunityQuote, ...]:
    """The first few quotes, each linked to its exact span in the source view."""
    return tuple(CommunityQuote(excerpt(c.text), evidence_href(c.document_id, c.span),
                                titles.get(c.document_id) or short_source(c.source), c.source_kind.replace(" ", "-"))
                 for c in citations[:QUOTES_SHOWN])


def monograph_page(m: Monograph) -> MonographPage:
    titles = source_titles(m.sources)
    bars = dose_bars(m, titles)
    verdicts = tuple(VerdictRow(f"reported-{i}", v, community_quotes(v.quotes, titles))
                     for i, v in enumerate(m.community.verdicts, 1))
    effects = tuple(EffectRow(r, community_quotes(r.quotes, titles)) for r in m.community.reported_effects)
    return MonographPage(m, titles, {u.name.lower(): u.grade for u in m.uses}, red_flags(m), bars,
                         layout(list(bars)), tuple(conflict_sides(c) for c in m.conflicts),
                         rating_bars(m.community.distribution), verdicts, effects,
                         {row.verdicts.condition.lower(): row for row in reversed(verdicts)})


def stars(report: Report) -> str:
    """★★★☆☆ for a rating of 3 of 5; "" when the report has no rating."""
    if report.rating is None:
        return ""
    return "★" * report.rating + "☆" * max(report.rating_scale - report.rating, 0)


CATEGORY_LABELS = {
    "sentence": "Evidence sentence", "dose": "Dose", "effect": "Side effect", "red_flag": "Red flag",
    "use": "Use", "precaution": "Precaution", "reference": "Reference", "post": "Report", "statement": "Statement",
}


def css_category(category: str) -> str:
    """A CSS-safe category name (the class is `cat-<name>`)."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in category.lower()) or "item"


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """The source view: the document's text as tokens with every item and cited sentence marked."""

    document: StoredDocument
    tokens: tuple[Token, ...]
    legend: tuple[tuple[str, str], ...]  # (category, label) of the marks present

    @property
    def title(self) -> str:
        return self.document.title if self.document.title is not None else self.document.source


def document_page(doc: StoredDocument) -> DocumentPage:
    marks = [Mark(s, e, "sentence") for s, e in doc.sentences]
    marks += [Mark(item.span[0], item.span[1], css_category(item.category), item.name) for item in doc.items]
    present = sorted({m.category for m in marks})
    return DocumentPage(doc, tuple(tokens(doc.text, marks)),
                        tuple((c, CATEGORY_LABELS.get(c, c.replace("_", " ").title())) for c in present))


def hit_href(hit: SearchHit) -> str:
    """Where a search hit leads: a substance's monograph, else the document it was found in."""
    if hit.kind == "substance" and hit.substance:
        return f"/substances/{hit.substance}"
    if hit.document_id is not None:
        return evidence_href(hit.document_id)
    return f"/substances/{hit.substance}" if hit.substance else ""


_BRACKETED = re.compile(r"\[([^\[\]]{1,80})\]")


def snippet_parts(snippet: str, query: str) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, is_match) runs. The store brackets matches as
    [word]; only bracketed words that contain a query word count, so brackets that were in
    the source text stay as they were."""
    words = [w for w in re.findall(r"\w+", query.lower()) if w]
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _BRACKETED.finditer(snippet):
        inner = m.group(1)
        if words and any(w in inner.lower() for w in words):
            parts.append((snippet[pos:m.start()], False))
            parts.append((inner, True))
            pos = m.end()
    parts.append((snippet[pos:], False))
    return [p for p in parts if p[0]]
