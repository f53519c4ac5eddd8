"""Items of many documents -> one monograph per substance (pure over stored items)."""
from __future__ import annotations

import functools
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from materia.categories import BY_KEY, CATEGORIES
from materia.knowledge import conflicts as conflict_rules
from materia.knowledge import doses
from materia.knowledge.conditions import canonical
from materia.knowledge.grading import grade, quoted_first, source_kind
from materia.knowledge.model import (
    Citation,
    Claim,
    Community,
    ConditionReports,
    ConditionVerdicts,
    DoseSummary,
    InteractionPair,
    Location,
    Monograph,
    MonographSection,
    Report,
    ReportedEffect,
    SourceInfo,
    UseGrade,
)
from materia.store import DocumentInfo, StoredItem

# (key, title, the statement topics in it), in the order of a typical monograph; the last also takes any other topic
_SECTION_TITLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("usage", "Usage", ()),
    ("dosage", "Dosage", ()),
    ("side_effects", "Side Effects", ()),
    ("mechanism", "How it Works", ("mechanism",)),
    ("precautions", "Precautions", ("long_term_safety",)),
    ("faq", "FAQs and practical matters", ("timing", "administration", "onset", "storage", "preparation")),
)
# (key, title, topics in it): the categories placed in a section (materia.categories) first, then its statement topics
# A section's warning signs come first: a red flag is never a page away, on the page or in `show`.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (key, title, (*sorted((c.key for c in CATEGORIES if c.section == key), key=lambda k: k != "red_flag"),
                  *statements))
    for key, title, statements in _SECTION_TITLES)
_ALL = {t for _, _, topics in SECTIONS for t in topics}


def source_key(document: DocumentInfo) -> str:
    """What makes two stored documents one source: their content key (else each is its own)."""
    return document.content_key or f"document:{document.id}"


def _one_copy(items: Sequence[StoredItem]) -> list[StoredItem]:
    """Items of the first stored copy of each source only, so a source held twice counts once."""
    first: dict[str, int] = {}
    for item in items:
        key = source_key(item.document)
        first[key] = min(first.get(key, item.document.id), item.document.id)
    return [i for i in items if first[source_key(i.document)] == i.document.id]


def topic_of(item: StoredItem) -> str:
    """A claim's topic: its category, or for a practical statement its own topic (its name)."""
    category = BY_KEY.get(item.category)
    return item.name if category is not None and category.claims == "topic" else item.category


def citation(item: StoredItem) -> Citation:
    d = item.document
    return Citation(d.source, d.id, conflict_rules.evidence_span(item), item.text,
                    source_kind(d.kind, d.has_references), d.record)


def claims(items: Sequence[StoredItem]) -> list[Claim]:
    """Items saying the same thing (topic, name, stance) merged, keeping every source."""
    groups: dict[tuple[str, str, str | None], list[StoredItem]] = defaultdict(list)
    for item in items:
        category = BY_KEY.get(item.category)  # a category no longer registered still reads as claims of its own
        kind = category.claims if category is not None else "item"
        if kind == "none" or (item.category == "effect" and item.stance == "negated"):
            continue
        topic = topic_of(item)
        name = canonical(item.name) if category is not None and category.folded_names else item.name
        groups[(topic, name if kind == "item" else topic, item.stance)].append(item)
    out = []
    for (topic, name, stance), group in groups.items():
        # the strongest kind of source first: its sentence is the one the page quotes
        cites = sorted(dict.fromkeys(citation(i) for i in group), key=lambda c: quoted_first(c.source_kind))
        out.append(Claim(topic, name, stance, tuple(cites)))
    return out


def sections(all_claims: Sequence[Claim]) -> tuple[MonographSection, ...]:
    out = []
    for key, title, topics in SECTIONS:
        chosen = [c for c in all_claims if c.topic in topics]
        if key == "faq":
            chosen += [c for c in all_claims if c.topic not in _ALL]
        chosen.sort(key=lambda c: (topics.index(c.topic) if c.topic in topics else 99, -len(c.citations), c.name))
        out.append(MonographSection(key, title, tuple(chosen)))
    return tuple(out)


def dose_summaries(items: Sequence[StoredItem], substance: str) -> tuple[DoseSummary, ...]:
    return doses.summaries(items, substance)


def use_grades(items: Sequence[StoredItem]) -> tuple[UseGrade, ...]:
    by_name: dict[str, list[StoredItem]] = defaultdict(list)
    for item in items:
        if item.category == "use":
            by_name[canonical(item.name)].append(item)
    out = []
    for name, group in by_name.items():
        counted = _one_copy(group)  # two copies of one trial report are not two trials
        level, reason = grade([i.evidence or "none" for i in counted], [i.stance or "unclear" for i in counted])
        out.append(UseGrade(name, level, reason, tuple(sorted({i.stance or "unclear" for i in group})),
                            tuple(dict.fromkeys(citation(i) for i in group))))
    order = {"high": 0, "moderate": 1, "low": 2, "very low": 3}
    return tuple(sorted(out, key=lambda u: (order[u.grade], -len(u.citations), u.name)))


def _distribution(ratings: Sequence[int]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted(Counter(ratings).items()))


def effects_in_posts(items: Sequence[StoredItem]) -> dict[int, tuple[str, ...]]:
    """The side effects each post names (post item id -> canonical names), for effects found
    inside the post's span; negated ("no headache") and hypothetical ("may cause") ones are not reports."""
    posts: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # document id -> (start, end, post id)
    for p in items:
        if p.category == "post":
            posts[p.document.id].append((p.span.start, p.span.end, p.id))
    for spans in posts.values():
        spans.sort()
    found: dict[int, set[str]] = defaultdict(set)
    for e in items:
        if e.category != "effect" or e.stance in ("negated", "hypothetical") or e.document.id not in posts:
            continue
        spans = posts[e.document.id]
        i = bisect_right(spans, (e.span.start, 1 << 62, 1 << 62)) - 1  # the last post starting at or before it
        if i >= 0 and spans[i][0] <= e.span.start < spans[i][1]:
            found[spans[i][2]].add(canonical(e.name))
    return {post_id: tuple(sorted(names)) for post_id, names in found.items()}


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def report(post: StoredItem, effects: tuple[str, ...]) -> Report:
    p = post.payload
    rating = p.get("rating")
    return Report(post.document.id, (post.span.start, post.span.end), post.text, p.get("author"), p.get("location"),
                  _date(p.get("date")), int(rating) if rating is not None else None, int(p.get("rating_scale") or 5),
                  p.get("topic"), bool(p.get("editors_choice")), effects)


def community(items: Sequence[StoredItem]) -> Community:
    """Posts counted per condition with their ratings; side effects counted by posts mentioning them;
    every post as a report with the side effects named inside it. A review table stored twice counts
    its reports once."""
    items = sorted(_one_copy(items), key=_where)
    posts = [i for i in items if i.category == "post"]
    ratings = [int(p.payload["rating"]) for p in posts if p.payload.get("rating") is not None]
    by_condition: dict[str, list[StoredItem]] = defaultdict(list)
    shown: dict[str, str] = {}  # a condition as first written, for those counted by their words as written
    for p in posts:
        for name in condition_names(str(p.payload.get("condition") or p.payload.get("topic") or "unspecified")):
            by_condition[shown.setdefault(name.lower(), name)].append(p)
    conditions = []
    for cond, group in sorted(by_condition.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        rs = [int(p.payload["rating"]) for p in group if p.payload.get("rating") is not None]
        conditions.append(ConditionReports(cond, len(group), round(sum(rs) / len(rs), 2) if rs else None,
                                           _distribution(rs)))
    effects = effects_in_posts(items)
    mentions = Counter(name for names in effects.values() for name in names)
    starts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p in posts:
        starts[p.document.id].append((p.span.start, p.span.end))
    for spans in starts.values():
        spans.sort()
    reported: dict[str, dict[tuple[int, int], StoredItem]] = defaultdict(dict)  # effect -> post -> first mention
    for e in items:
        if e.category != "effect" or e.stance == "negated":
            continue
        post = _post_of(e, starts)
        if post is not None:
            reported[canonical(e.name)].setdefault(post, e)
    return Community(len(posts), round(sum(ratings) / len(ratings), 2) if ratings else None,
                     _distribution(ratings), tuple(conditions),
                     tuple(sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))),
                     tuple(report(p, effects.get(p.id, ())) for p in posts),
                     verdicts(items, starts), reported_effects(reported))


@functools.lru_cache(maxsize=4096)
def condition_names(written: str) -> tuple[str, ...]:
    """The conditions a review's condition field (or a post's topic) names, as the lay vocabulary names them, so
    reviews that write one condition differently are counted together ("depression/anxiety" is depression and
    anxiety, "migranes" migraine); a body part or an everyday word alone names none ("back"). Else the field as
    written, its spaces folded."""
    from materia.extract.lay_mentions import core_words, mentions
    from materia.lexicons.lay import experience_cues

    cues = experience_cues()
    everyday = cues.everyday
    found = dict.fromkeys(canonical(m.name) for m in mentions(written) if core_words(written, m) not in everyday)
    return tuple(found) or (" ".join(written.split()),)


def _where(item: StoredItem) -> tuple[str, str, int, int]:
    """Where an item is written: the order reports and quotes are shown in, the same whichever order the files
    were stored in (document ids follow the order workers finish)."""
    return item.document.source, item.document.record or "", item.span.start, item.document.id


def _post_of(item: StoredItem, starts: dict[int, list[tuple[int, int]]]) -> tuple[int, int] | None:
    """(document id, post start) of the post an item lies in, or None outside every post. A review table's row
    is a document with one post, so each row counts as one report."""
    spans = starts.get(item.document.id)
    if not spans:
        return None
    i = bisect_right(spans, (item.span.start, 1 << 62)) - 1  # the last post starting at or before it
    return (item.document.id, spans[i][0]) if i >= 0 and spans[i][0] <= item.span.start < spans[i][1] else None


QUOTES = 3  # example quotes kept per condition or effect


def verdicts(items: Sequence[StoredItem],
             starts: dict[int, list[tuple[int, int]]] | None = None) -> tuple[ConditionVerdicts, ...]:
    """Per condition, how many posts and reviews said it helped, did nothing, or made it worse: each post once
    per condition, with the verdict it gives most often (ties: the first it gives)."""
    said: dict[str, dict[tuple[int, int], list[StoredItem]]] = defaultdict(lambda: defaultdict(list))
    for u in sorted(items, key=_where):
        if u.category == "use" and u.payload.get("verdict") in ("helped", "nothing", "worse"):
            post = _post_of(u, starts or {}) or (u.document.id, -1)  # outside a post: its document is the report
            said[canonical(u.name)][post].append(u)
    out = []
    for name, by_post in said.items():
        count: Counter[str] = Counter()
        quotes: list[Citation] = []
        for group in by_post.values():
            verdict = Counter(str(u.payload["verdict"]) for u in group).most_common(1)[0][0]
            count[verdict] += 1
            quotes.append(citation(next(u for u in group if u.payload["verdict"] == verdict)))
        out.append(ConditionVerdicts(name, count["helped"], count["nothing"], count["worse"],
                                     tuple(dict.fromkeys(quotes))[:QUOTES]))
    return tuple(sorted(out, key=lambda v: (-(v.helped + v.nothing + v.worse), v.condition)))


def reported_effects(reported: dict[str, dict[tuple[int, int], StoredItem]]) -> tuple[ReportedEffect, ...]:
    """Side effects posts report, counted once per post, with the writers' words as quotes."""
    out = [ReportedEffect(name, len(posts), tuple(Citation(e.document.source, e.document.id,
                                                           (e.span.start, e.span.end), e.text,
                                                           source_kind(e.document.kind, e.document.has_references),
                                                           e.document.record)
                                                  for e in list(posts.values())[:QUOTES]))
           for name, posts in reported.items()]
    return tuple(sorted(out, key=lambda r: (-r.count, r.name)))


def sources(documents: Sequence[DocumentInfo]) -> tuple[SourceInfo, ...]:
    """One SourceInfo per distinct content, in document order, listing every location that holds it."""
    groups: dict[str, list[DocumentInfo]] = defaultdict(list)
    for d in documents:
        groups[source_key(d)].append(d)
    out = []
    for group in groups.values():
        d = group[0]
        out.append(SourceInfo(d.id, d.source, d.title, d.kind, source_kind(d.kind, d.has_references), d.modified,
                              d.record, tuple(Location(g.id, g.source, g.record) for g in group),
                              max((g.ingested for g in group if g.ingested), default=None)))
    return tuple(out)


def build(substance: str, documents: Sequence[DocumentInfo], items: Sequence[StoredItem],
          interactions: Sequence[InteractionPair] = ()) -> Monograph:
    """The monograph; `interactions` are consolidated by knowledge/interactions.py (which reads this module)."""
    return Monograph(substance, sources(documents), sections(claims(items)), dose_summaries(items, substance),
                     use_grades(items), tuple(conflict_rules.find(items)), community(items), tuple(interactions))
