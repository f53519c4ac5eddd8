"""Items of many documents -> one monograph per substance (pure over stored items)."""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from materia.knowledge import conflicts as conflict_rules
from materia.knowledge.conditions import canonical
from materia.knowledge import doses
from materia.knowledge.grading import grade, source_kind
from materia.knowledge.model import (Citation, Claim, Community, ConditionReports, DoseSummary,
                                     Location, Monograph, MonographSection, Report, SourceInfo, UseGrade)
from materia.store import DocumentInfo, StoredItem

# (key, title, topics in it), in the order of a typical monograph; the last also takes any other topic
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("usage", "Usage", ("use",)),
    ("dosage", "Dosage", ("dose",)),
    ("side_effects", "Side Effects", ("effect", "red_flag")),
    ("mechanism", "How it Works", ("mechanism",)),
    ("precautions", "Precautions", ("precaution", "long_term_safety")),
    ("faq", "FAQs and practical matters", ("timing", "administration", "onset", "storage", "preparation")),
)
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
    return item.name if item.category == "statement" else item.category


def citation(item: StoredItem) -> Citation:
    d = item.document
    return Citation(d.source, d.id, conflict_rules.evidence_span(item), item.text,
                    source_kind(d.kind, d.has_references), d.record)


def claims(items: Sequence[StoredItem]) -> list[Claim]:
    """Items saying the same thing (topic, name, stance) merged, keeping every source."""
    groups: dict[tuple[str, str, str | None], list[StoredItem]] = defaultdict(list)
    for item in items:
        if item.category in ("reference", "post") or (item.category == "effect" and item.stance == "negated"):
            continue
        topic = topic_of(item)
        name = canonical(item.name) if item.category in ("use", "precaution", "effect", "red_flag") else item.name
        groups[(topic, name if item.category != "statement" else topic, item.stance)].append(item)
    out = []
    for (topic, name, stance), group in groups.items():
        cites = list(dict.fromkeys(citation(i) for i in group))
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
    items = _one_copy(items)
    posts = [i for i in items if i.category == "post"]
    ratings = [int(p.payload["rating"]) for p in posts if p.payload.get("rating") is not None]
    by_condition: dict[str, list[StoredItem]] = defaultdict(list)
    for p in posts:
        by_condition[str(p.payload.get("condition") or p.payload.get("topic") or "unspecified")].append(p)
    conditions = []
    for cond, group in sorted(by_condition.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        rs = [int(p.payload["rating"]) for p in group if p.payload.get("rating") is not None]
        conditions.append(ConditionReports(cond, len(group), round(sum(rs) / len(rs), 2) if rs else None,
                                           _distribution(rs)))
    effects = effects_in_posts(items)
    mentions = Counter(name for names in effects.values() for name in names)
    return Community(len(posts), round(sum(ratings) / len(ratings), 2) if ratings else None,
                     _distribution(ratings), tuple(conditions),
                     tuple(sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))),
                     tuple(report(p, effects.get(p.id, ())) for p in posts))


def sources(documents: Sequence[DocumentInfo]) -> tuple[SourceInfo, ...]:
    """One SourceInfo per distinct content, in document order, listing every location that holds it."""
    groups: dict[str, list[DocumentInfo]] = defaultdict(list)
    for d in documents:
        groups[source_key(d)].append(d)
    out = []
    for group in groups.values():
        d = group[0]
        out.append(SourceInfo(d.id, d.source, d.title, d.kind, source_kind(d.kind, d.has_references), d.modified,
                              d.record, tuple(Location(g.id, g.source, g.record) for g in group)))
    return tuple(out)


def build(substance: str, documents: Sequence[DocumentInfo], items: Sequence[StoredItem]) -> Monograph:
    return Monograph(substance, sources(documents), sections(claims(items)), dose_summaries(items, substance), use_grades(items),
                     tuple(conflict_rules.find(items)), community(items))
