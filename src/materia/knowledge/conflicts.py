"""Statements of one topic whose positions disagree across sources (pure over stored items)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from materia.knowledge.conditions import canonical, lineage
from materia.knowledge.model import Conflict, Position
from materia.store import StoredItem

STATEMENT_TOPICS = {
    "timing": "taking it with food or on an empty stomach",
    "long_term_safety": "long-term safety",
    "onset": "how soon it works",
    "storage": "storage",
    "preparation": "preparation",
}
BENEFIT = "benefit"


def evidence_span(item: StoredItem) -> tuple[int, int]:
    """The sentence saying it when the extractor gave one, else the item's own span."""
    sentence = item.payload.get("sentence")
    if isinstance(sentence, list) and len(sentence) == 2:
        return int(sentence[0]), int(sentence[1])
    return item.span.start, item.span.end


def _position(item: StoredItem) -> Position:
    return Position(item.document.source, item.stance or "", evidence_span(item), item.text, item.document.id)


def _opposed_pairs(items: Sequence[StoredItem], opposed) -> set[tuple[int, int]]:
    """Pairs of item ids from two different sources taking opposed stances."""
    return {(a.id, b.id) for a in items for b in items
            if a.document.id != b.document.id and opposed(a.stance or "", b.stance or "")}


def _disagree(items: Sequence[StoredItem], opposed) -> bool:
    return bool(_opposed_pairs(items, opposed))


def _positions(items: Sequence[StoredItem]) -> tuple[Position, ...]:
    seen: dict[tuple[str, tuple[int, int], str], Position] = {}
    for item in items:
        p = _position(item)
        seen.setdefault((p.source, p.span, p.stance), p)
    return tuple(sorted(seen.values(), key=lambda p: (p.source, p.span)))


def statement_conflicts(items: Sequence[StoredItem]) -> list[Conflict]:
    """Practical statements (timing, long-term safety, ...) whose stances differ between sources."""
    by_topic: dict[str, list[StoredItem]] = defaultdict(list)
    for item in items:
        if item.category == "statement":
            by_topic[item.name].append(item)
    out = []
    for topic, group in by_topic.items():
        if _disagree(group, lambda a, b: a != b):
            out.append(Conflict(STATEMENT_TOPICS.get(topic, topic.replace("_", " ")), _positions(group)))
    return out


def use_conflicts(items: Sequence[StoredItem]) -> list[Conflict]:
    """Uses of one condition (or of a condition and what it is a kind of) where one source
    reports a benefit and another no benefit, an unclear or a mixed result."""
    uses = [i for i in items if i.category == "use"]
    groups: dict[str, list[StoredItem]] = defaultdict(list)
    depth: dict[str, int] = {}
    for use in uses:
        for d, concept in enumerate(lineage(use.name)):
            groups[concept].append(use)
            depth[concept] = min(depth.get(concept, d), d)
    out: list[Conflict] = []
    explained: set[tuple[int, int]] = set()
    for concept in sorted(groups, key=lambda c: (len(groups[c]), depth[c], c)):
        group = groups[concept]
        pairs = _opposed_pairs(group, lambda a, b: a == BENEFIT and b != BENEFIT)
        if not pairs or pairs <= explained:  # nothing new beyond a more specific conflict
            continue
        names = sorted({canonical(i.name) for i in group})
        label = concept if names == [concept] else " / ".join([concept] + [n for n in names if n != concept])
        out.append(Conflict(f"benefit for {label}", _positions(group)))
        explained |= pairs
    return out


def find(items: Sequence[StoredItem]) -> list[Conflict]:
    return statement_conflicts(items) + use_conflicts(items)
