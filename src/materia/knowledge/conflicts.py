"""Statements of one topic whose positions disagree across sources (pure over stored items)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import partial

from materia.knowledge.conditions import canonical, lineage
from materia.knowledge.model import Conflict, Position
from materia.store import StoredItem

STATEMENT_TOPICS: dict[str, str] = {  # how a conflict names its topic: every StatementTopic (a test checks)
    "timing": "taking it with food or on an empty stomach",
    "long_term_safety": "long-term safety",
    "onset": "how soon it works",
    "storage": "storage",
    "preparation": "preparation",
}
BENEFIT = "benefit"


def sentence_span(item: StoredItem) -> tuple[int, int] | None:
    """The span of the sentence saying it, when the extractor gave one."""
    sentence = item.payload.get("sentence")
    if isinstance(sentence, list) and len(sentence) == 2:
        return int(sentence[0]), int(sentence[1])
    return None


def evidence_span(item: StoredItem) -> tuple[int, int]:
    """The sentence saying it when the extractor gave one, else the item's own span."""
    return sentence_span(item) or (item.span.start, item.span.end)


def _position(item: StoredItem) -> Position:
    d = item.document
    return Position(d.source, item.stance or "", evidence_span(item), item.text, d.id, d.record, d.offset)


Side = tuple[int, str]  # (document id, stance)


def _opposed_pairs(items: Sequence[StoredItem], opposed: Callable[[str, str], bool]) -> set[tuple[Side, Side]]:
    """Pairs of (source, stance) from two different sources taking opposed stances.

    Compared over distinct (source, stance) pairs, not items, so thousands of
    community reports cost no more than a handful of sources."""
    sides = {(i.document.id, i.stance or "") for i in items}
    return {(a, b) for a in sides for b in sides if a[0] != b[0] and opposed(a[1], b[1])}


def _disagree(items: Sequence[StoredItem], opposed: Callable[[str, str], bool]) -> bool:
    return bool(_opposed_pairs(items, opposed))


def _positions(items: Sequence[StoredItem]) -> tuple[Position, ...]:
    seen: dict[tuple[str, tuple[int, int], str], Position] = {}
    for item in items:
        p = _position(item)
        seen.setdefault((p.source, p.span, p.stance), p)
    return tuple(sorted(seen.values(), key=lambda p: (p.source, p.span)))


# Topics whose stances can contradict each other, and how: stance -> side. Stances of
# other topics (preparation methods, onset times) are alternatives, not disagreements.
SIDES: dict[str, dict[str, str]] = {
    "timing": {"with food": "with food", "with meals": "with food", "empty stomach": "without food",
               "without food": "without food", "before meals": "without food"},
    "long_term_safety": {"safe": "safe", "unknown": "not shown safe", "unsafe": "not shown safe",
                         "caution": "not shown safe", "supervised": "not shown safe"},
}


def _on_other_sides(sides: dict[str, str], a: str, b: str) -> bool:
    return sides[a] != sides[b]


def statement_conflicts(items: Sequence[StoredItem]) -> list[Conflict]:
    """Practical statements (timing, long-term safety) taking opposite sides in different sources."""
    by_topic: dict[str, list[StoredItem]] = defaultdict(list)
    for item in items:
        if item.category == "statement" and item.name in SIDES and (item.stance or "") in SIDES[item.name]:
            by_topic[item.name].append(item)
    out = []
    for topic, group in by_topic.items():
        if _disagree(group, partial(_on_other_sides, SIDES[topic])):
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
    explained: set[tuple[Side, Side]] = set()
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
