"""What the pages draw beyond the typed values themselves: readable source names, the dose
chart, red flags grouped by sentence, conflicts split into sides, rating bars, highlighted text.

Pure functions from the knowledge base's values (materia.knowledge.model) to frozen values;
templates receive both and read attributes, never guessed keys.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from urllib.parse import quote

from materia.knowledge.model import (
    Citation,
    Claim,
    ConditionVerdicts,
    Conflict,
    InteractionPair,
    Location,
    Monograph,
    MonographSection,
    Position,
    Report,
    ReportedEffect,
    SearchHit,
    SourceInfo,
    StoredDocument,
    UseGrade,
)
from materia.labels import LABELS, label, statement_label
from materia.lexicons.effects import cues as effect_cues
from materia.quantities import daily_text
from materia.web.chart import Chart, DoseBar, layout
from materia.web.highlight import Mark, Token, anchor_id, tokens
from materia.web.text import excerpt

T = TypeVar("T")


WINDOW_CHARS = 40_000  # the source view shows a long document this many characters at a time


def evidence_href(document_id: int, span: tuple[int, int] | None = None) -> str:
    """Link to a document view, scrolled to and highlighting one span (past the first window of a
    long document, the view is asked for the window around the span)."""
    base = f"/documents/{document_id}"
    if not span:
        return base
    at = f"?at={span[0]}" if span[0] >= WINDOW_CHARS // 2 else ""
    return f"{base}{at}#{anchor_id(*span)}"


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def short_source(source: str) -> str:
    """A path or URL shortened to its last part, for chart labels and badges: never a server path."""
    tail = source.rstrip("/").rsplit("/", 1)[-1]
    return tail or source


def public_name(source: str, title: str | None = None) -> str:
    """What the site calls a source: a URL as it is; a file by the title of what it holds, else its file name
    (never the path the server read it from)."""
    if is_url(source):
        return source
    title = (title or "").strip()
    return title if any(ch.isalpha() for ch in title) else short_source(source)


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


# How much of a long monograph its page shows; the rest is one click away on its paged parts
# (/substances/{name}/{part}?page=N), so no page grows with the number of sources.
STATEMENTS_SHOWN = 20  # statements per section on the monograph page
STATEMENTS_PER_PAGE = 50  # statements per page of a section's own pages
SOURCES_LISTED = 10  # sources listed under one statement on the monograph page (all on the section's pages)
ROWS_SHOWN = 15  # conditions and reported side effects in "What people report"
REPORTS_SHOWN = 5  # community reports on the monograph page
REPORTS_PER_PAGE = 25
SOURCE_ROWS_SHOWN = 40  # entries of the sources list on the monograph page
SOURCE_ROWS_PER_PAGE = 100
BARS_SHOWN = 30  # bars of the dose chart (the table beside it lists every range)
POSITIONS_SHOWN = 6  # quotes per side of a conflict
GLANCE_ITEMS = 5  # names per line of "At a glance"
LIMITS = {"statements": STATEMENTS_SHOWN, "sources": SOURCES_LISTED, "rows": ROWS_SHOWN, "reports": REPORTS_SHOWN,
          "source_rows": SOURCE_ROWS_SHOWN, "bars": BARS_SHOWN, "positions": POSITIONS_SHOWN,
          "quote": QUOTE_CHARS}  # as the templates read them


@dataclass(frozen=True, slots=True)
class UsualDose:
    """The middle of what the sources state for their most documented purpose, in g/day."""

    purpose: str
    low: float  # the middle of the sources' lower figures (the lower of the two middle ones)
    high: float  # the middle of their upper figures (the higher of the two middle ones)
    n_sources: int
    supervised: bool

    @property
    def text(self) -> str:
        return daily_text(self.low, self.high)



@dataclass(frozen=True, slots=True)
class Glance:
    """The first thing the monograph page says: uses with their best evidence, the usual amount, common
    side effects, key precautions and interactions, how recent the sources are."""

    used_for: tuple[UseGrade, ...]  # uses some source reports a benefit for, best evidence first
    usual_dose: UsualDose | None
    side_effects: tuple[str, ...]
    n_side_effects: int
    precautions: tuple[str, ...]
    n_precautions: int
    interactions: tuple[str, ...]
    n_interactions: int
    latest_source: date | None  # the newest date a source gives itself
    latest_ingest: date | None  # when materia last read one of them


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
    glance: Glance | None = None
    dates: Mapping[int, date | None] | None = None  # document id -> the date its source gives

    @property
    def href(self) -> str:
        """The monograph page's own URL; its parts are below it."""
        return f"/substances/{quote(self.monograph.substance, safe='')}"

    def part_href(self, part: str, page: int = 1) -> str:
        return f"{self.href}/{part}" + (f"?page={page}" if page > 1 else "")

    @property
    def sections(self) -> tuple[MonographSection, ...]:
        """Sections with something in them, in monograph order."""
        return tuple(s for s in self.monograph.sections if s.claims)

    @property
    def empty_sections(self) -> tuple[MonographSection, ...]:
        return tuple(s for s in self.monograph.sections if not s.claims)

    def title(self, document_id: int, source: str) -> str:
        """The readable name of a source."""
        return self.titles.get(document_id) or short_source(source)

    def date(self, document_id: int) -> date | None:
        return (self.dates or {}).get(document_id)

    def describe(self, c: Citation) -> str:
        """A source as its badge's tooltip says it: title, kind, date."""
        when = self.date(c.document_id)
        return " · ".join([self.title(c.document_id, c.source), c.source_kind,
                           when.isoformat() if when else "undated"])

    def grade(self, claim: Claim) -> str:
        """The evidence grade of a use claim ("" for other topics)."""
        return self.grades.get(claim.name.lower(), "") if claim.topic == "use" else ""

    def verdict_href(self, row: VerdictRow, on_monograph: bool) -> str:
        """Where a use statement's "People report" leads: its row, on the monograph page when shown there."""
        shown = on_monograph and self.verdicts.index(row) < ROWS_SHOWN
        return f"#{row.anchor}" if shown else f"{self.part_href('reported')}#{row.anchor}"

    def verdict(self, claim: Claim) -> VerdictRow | None:
        """What people report for the condition of a use claim, shown beside its graded evidence."""
        # both names are the knowledge base's canonical condition names
        return self.verdict_rows.get(claim.name.lower()) if claim.topic == "use" else None


def claim_text(claim: Claim) -> tuple[str, str]:
    """(what, position) of a statement as the page says it (materia.labels.statement_label)."""
    return statement_label(claim.topic, claim.name, claim.stance)


def usual_dose(m: Monograph) -> UsualDose | None:
    """The median of the sources' figures for the purpose most sources give an amount for; between purposes as
    well documented, one for adults in general before one for a special population ("children"), then the one
    with more stated ranges."""
    best: UsualDose | None = None
    best_key: tuple[int, bool, int] | None = None
    for d in m.doses:
        ranges = [r for r in d.ranges if r.high_g_per_day is not None and not r.per_kg and not r.maximum]
        if not ranges:
            continue
        sources = {r.document_id for r in ranges}
        key = (len(sources), d.population is None, len(ranges))
        if best_key is not None and key <= best_key:
            continue
        highs = [r.high_g_per_day for r in ranges if r.high_g_per_day is not None]
        lows = [r.low_g_per_day if r.low_g_per_day is not None else h for r, h in zip(ranges, highs, strict=True)]
        # each end is a figure a source states, never an average of two (25 and 50 mg are not "37.5 mg")
        best = UsualDose(d.purpose, statistics.median_low(lows), statistics.median_high(highs), len(sources),
                         d.supervised)
        best_key = key
    return best


def interaction_names(m: Monograph) -> tuple[str, ...]:
    """What the substance interacts with, strongest first (the monograph's order), each partner once."""
    partners = (pair.b if pair.a == m.substance else pair.a for pair in m.interactions)
    return tuple(dict.fromkeys(partners))


def glance(m: Monograph) -> Glance:
    by_key = {s.key: s for s in m.sections}
    # a word of severity named as a reaction ("infections, some fatal": TAC annotates "fatal") says how bad
    # another effect was; it stays in Side Effects, but is no side effect to list at a glance
    severity = set(effect_cues().phrases["serious"])
    effects = [c.name for c in by_key["side_effects"].claims if c.topic == "effect" and c.name not in severity] \
        if "side_effects" in by_key else []
    cautions = [c.name for c in by_key["precautions"].claims if c.topic == "precaution"] if "precautions" in by_key \
        else []
    # counted over the whole sections: `m` may be the monograph's first page
    n_effects = by_key["side_effects"].count("effect") if "side_effects" in by_key else 0
    n_cautions = by_key["precautions"].count("precaution") if "precautions" in by_key else 0
    interactions = interaction_names(m)
    dated = [s.modified for s in m.sources if s.modified]
    ingested = [s.ingested for s in m.sources if s.ingested]
    return Glance(tuple(u for u in m.uses if "benefit" in u.stances)[:GLANCE_ITEMS], usual_dose(m),
                  tuple(effects[:GLANCE_ITEMS + 1]), n_effects, tuple(cautions[:GLANCE_ITEMS]), n_cautions,
                  interactions[:GLANCE_ITEMS], len(interactions), max(dated, default=None), max(ingested, default=None))


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
    return ConflictSides(label("topic", c.topic),
                         tuple(ConflictSide(label("stance", stance), tuple(ps)) for stance, ps in by_stance.items()))


def rating_bars(distribution: Sequence[tuple[int, int]]) -> tuple[RatingBar, ...]:
    """The rating distribution, best rating first, each with its share in per cent."""
    total = sum(count for _, count in distribution)
    return tuple(RatingBar(stars, count, round(100 * count / total) if total else 0)
                 for stars, count in sorted(distribution, reverse=True))


def community_quotes(citations: Sequence[Citation], titles: Mapping[int, str]) -> tuple[CommunityQuote, ...]:
    """The first few quotes, each linked to its exact span in the source view."""
    return tuple(CommunityQuote(excerpt(c.text, QUOTE_CHARS), evidence_href(c.document_id, c.span),
                                titles.get(c.document_id) or short_source(c.source), c.source_kind.replace(" ", "-"))
                 for c in citations[:QUOTES_SHOWN])


def monograph_page(m: Monograph) -> MonographPage:
    titles = source_titles(m.sources)
    bars = dose_bars(m, titles)
    verdicts = tuple(VerdictRow(f"reported-{i}", v, community_quotes(v.quotes, titles))
                     for i, v in enumerate(m.community.verdicts, 1))
    effects = tuple(EffectRow(r, community_quotes(r.quotes, titles)) for r in m.community.reported_effects)
    return MonographPage(m, titles, {u.name.lower(): u.grade for u in m.uses}, red_flags(m), bars,
                         layout(list(bars[:BARS_SHOWN])), tuple(conflict_sides(c) for c in m.conflicts),
                         rating_bars(m.community.distribution), verdicts, effects,
                         {row.verdicts.condition.lower(): row for row in reversed(verdicts)},
                         glance(m), {s.document_id: s.modified for s in m.sources})


@dataclass(frozen=True, slots=True)
class PartPage:
    """One page of a part of a long monograph: a section's statements, what people report, the
    community reports or the sources; `first` numbers its first entry."""

    part: str
    title: str
    page: int
    n_pages: int
    first: int = 1
    claims: tuple[Claim, ...] = ()
    verdicts: tuple[VerdictRow, ...] = ()
    reported_effects: tuple[EffectRow, ...] = ()
    reports: tuple[Report, ...] = ()
    sources: tuple[SourceInfo, ...] = ()
    interactions: tuple[InteractionPair, ...] = ()


def part_page(p: MonographPage, part: str, page: int, section: MonographSection | None = None) -> PartPage | None:
    """Page `page` of `part` (a section key, "reported", "reports", "interactions" or "sources"); None past its
    end. `section`, when given, is that page of the section's claims (read from the store a page at a time);
    else the page is cut from the section as `p` holds it."""
    m = p.monograph
    sections = {s.key: s for s in m.sections}
    if part in sections:
        whole = sections[part]
        claims = section.claims if section is not None else page_of(whole.claims, page, STATEMENTS_PER_PAGE)
        view = PartPage(part, whole.title, page, n_pages(whole.n_claims, STATEMENTS_PER_PAGE),
                        (page - 1) * STATEMENTS_PER_PAGE + 1, claims=claims)
    elif part == "reported":
        view = PartPage(part, "What people report", page, 1, verdicts=p.verdicts, reported_effects=p.reported_effects)
    elif part == "reports":
        reports = m.community.reports
        view = PartPage(part, "Community reports", page, n_pages(len(reports), REPORTS_PER_PAGE),
                        (page - 1) * REPORTS_PER_PAGE + 1, reports=page_of(reports, page, REPORTS_PER_PAGE))
    elif part == "interactions":
        pairs = m.interactions
        view = PartPage(part, "Interactions", page, n_pages(len(pairs), STATEMENTS_PER_PAGE),
                        (page - 1) * STATEMENTS_PER_PAGE + 1, interactions=page_of(pairs, page, STATEMENTS_PER_PAGE))
    elif part == "sources":
        view = PartPage(part, "Sources", page, n_pages(len(m.sources), SOURCE_ROWS_PER_PAGE),
                        (page - 1) * SOURCE_ROWS_PER_PAGE + 1,
                        sources=page_of(m.sources, page, SOURCE_ROWS_PER_PAGE))
    else:
        return None
    return view if page <= view.n_pages else None


def page_of(items: Sequence[T], page: int, per_page: int) -> tuple[T, ...]:
    """Items of one page (pages count from 1)."""
    return tuple(items[(page - 1) * per_page:page * per_page])


def n_pages(n: int, per_page: int) -> int:
    return max(1, -(-n // per_page))


def stars(report: Report) -> str:
    """★★★☆☆ for a rating of 3 of 5; "" when the report has no rating."""
    if report.rating is None:
        return ""
    return "★" * report.rating + "☆" * max(report.rating_scale - report.rating, 0)


def css_category(category: str) -> str:
    """A CSS-safe category name (the class is `cat-<name>`)."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in category.lower()) or "item"


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """The source view: the document's text as tokens with every item and cited sentence marked; a long
    document one window at a time, with the offsets of the windows before and after it."""

    document: StoredDocument
    tokens: tuple[Token, ...]
    legend: tuple[tuple[str, str], ...]  # (category, label) of the marks present
    window: tuple[int, int] = (0, 0)  # the characters shown, [start, end)
    previous_at: int | None = None  # `at` of the window before, if any
    next_at: int | None = None

    @property
    def title(self) -> str:
        return public_name(self.document.source, self.document.title)

    @property
    def partial(self) -> bool:
        return self.window != (0, len(self.document.text))


LINE_SEARCH = 2_000  # how far a window's edge may move to fall at a line break


def window_around(text: str, at: int | None) -> tuple[int, int]:
    """The characters the source view shows: all of a short text; of a long one, WINDOW_CHARS starting
    a quarter window before `at` (or at the beginning), its edges moved to line breaks nearby."""
    n = len(text)
    if n <= WINDOW_CHARS:
        return 0, n
    start = 0 if at is None else max(0, min(at, n) - WINDOW_CHARS // 4)
    if start > 0 and (nl := text.rfind("\n", max(0, start - LINE_SEARCH), start)) >= 0:
        start = nl + 1
    end = min(n, start + WINDOW_CHARS)
    if end < n and (nl := text.find("\n", end, min(n, end + LINE_SEARCH))) >= 0:
        end = nl + 1
    return start, end


def document_page(doc: StoredDocument, at: int | None = None) -> DocumentPage:
    start, end = window = window_around(doc.text, at)
    marks = [Mark(s, e, "sentence") for s, e in doc.sentences]
    marks += [Mark(item.span[0], item.span[1], css_category(item.category), item.name) for item in doc.items]
    shown = [m for m in marks if m.start < end and m.end > start]
    present = sorted({m.category for m in shown})
    previous_at = None if start == 0 else max(0, start - WINDOW_CHARS + WINDOW_CHARS // 4)
    next_at = None if end >= len(doc.text) else end + WINDOW_CHARS // 4
    return DocumentPage(doc, tuple(tokens(doc.text, shown, window)),
                        tuple((c, label("topic", c) if c in LABELS["topic"] else c.replace("_", " ").capitalize())
                              for c in present), window, previous_at, next_at)


def hit_href(hit: SearchHit) -> str:
    """Where a search hit leads: a substance's monograph, a statement's sentence in its document, a document."""
    if hit.kind == "substance" and hit.substance:
        return f"/substances/{quote(hit.substance)}"
    if hit.document_id is not None:
        return evidence_href(hit.document_id, hit.span)
    return f"/substances/{quote(hit.substance)}" if hit.substance else ""


@dataclass(frozen=True, slots=True)
class SearchGroup:
    """Consecutive hits of one kind about one substance, shown under its name."""

    kind: str  # substance | statement | document
    substance: str | None
    hits: tuple[SearchHit, ...]

    @property
    def href(self) -> str:
        return f"/substances/{quote(self.substance)}" if self.substance else ""


def search_groups(hits: Sequence[SearchHit]) -> tuple[SearchGroup, ...]:
    """The hits of a page in runs of one kind and substance (the knowledge base already orders them so)."""
    groups: list[SearchGroup] = []
    for hit in hits:
        kind = "substance" if hit.kind == "substance" else hit.kind
        last = groups[-1] if groups else None
        if last is not None and last.kind == kind and (kind == "substance" or last.substance == hit.substance):
            groups[-1] = SearchGroup(kind, last.substance, (*last.hits, hit))
        else:
            groups.append(SearchGroup(kind, None if kind == "substance" else hit.substance, (hit,)))
    return tuple(groups)


_BRACKETED = re.compile(r"\[([^\[\]]{1,80})\]")


def snippet_parts(snippet: str, query: str) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, is_match) runs. The store brackets matches as
    [word]; only bracketed words that contain a query word (or its stem: "headaches" matched
    "headache") count, so brackets that were in the source text stay as they were."""
    words = [w[:max(3, len(w) - 2)] for w in re.findall(r"\w+", query.lower()) if w]
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
