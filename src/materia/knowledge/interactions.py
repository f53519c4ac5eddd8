"""Interaction items of many documents -> pairs with every source, grades and conflicts (pure over stored items).

A pair is unordered: "atorvastatin + clarithromycin" in one label and "clarithromycin + atorvastatin" in
another are one pair. A source may name a drug class ("strong CYP3A4 inhibitors"): a substance asked for
meets that sentence when materia's class list (lexicons/drug_classes.py) counts it a member, and the pair
says which class matched and on whose authority. A source's severity is kept as it states it; the pair's
is the strongest any source states, and sources that disagree are set side by side as conflicts.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from materia.knowledge.grading import LEVELS, source_grade, source_kind
from materia.knowledge.model import (
    CheckedName,
    ClassMatch,
    Conflict,
    InteractionPair,
    InteractionReport,
    InteractionSource,
    Position,
)
from materia.knowledge.monograph import source_key
from materia.knowledge.names import normalise_substance
from materia.lexicons import drug_classes
from materia.store import StoredItem

SEVERITY_RANK = {"major": 3, "moderate": 2, "minor": 1}
NO_INTERACTION = "no interaction"
NOT_STATED = "severity not stated"
# What the checker says of a pair no source mentions. Never "safe": materia has read only what it has read.
NOTHING_KNOWN = ("materia has no record of an interaction between {a} and {b} in its sources; "
                 "this does not mean the combination is safe.")


class DrugClasses(Hashable, Protocol):
    """Which drugs a class has, which classes a drug is in, a class's canonical name, and who says
    which drugs it has. LexiconClasses reads materia's class list; tests may hand in their own."""

    def canonical_class(self, phrase: str) -> str | None: ...

    def members(self, class_name: str) -> frozenset[str]: ...

    def classes_of(self, drug: str) -> frozenset[str]: ...

    def membership_source(self, class_name: str) -> str: ...


class LexiconClasses:
    """DrugClasses from materia's curated class list, lexicons/drug_classes.py."""

    def canonical_class(self, phrase: str) -> str | None:
        return drug_classes.canonical_class(phrase)

    def members(self, class_name: str) -> frozenset[str]:
        return drug_classes.members(class_name)

    def classes_of(self, drug: str) -> frozenset[str]:
        return drug_classes.classes_of(drug)

    def membership_source(self, class_name: str) -> str:
        return drug_classes.citation(class_name) or "materia's drug class list"


def says(payload: dict[str, Any]) -> str:
    """The position a sentence takes: its severity, "severity not stated", or "no interaction"
    (a sentence that says two things do not interact, when the extractor marks it `negated`)."""
    if payload.get("negated") is True:
        return NO_INTERACTION
    severity = payload.get("severity")
    return severity if isinstance(severity, str) and severity in SEVERITY_RANK else NOT_STATED


def _span(value: object, default: tuple[int, int]) -> tuple[int, int]:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return default


def statement(item: StoredItem) -> InteractionSource:
    """One stored interaction item as the sentence of one source (no class matched yet)."""
    d, p = item.document, item.payload
    span = (item.span.start, item.span.end)
    severity = p.get("severity") if p.get("severity") in SEVERITY_RANK else None
    return InteractionSource(d.id, d.source, d.title, d.kind, source_kind(d.kind, d.has_references),
                             source_grade(d.kind), span, item.text, str(p.get("a", "")), str(p.get("b", "")),
                             _span(p.get("a_span"), span), _span(p.get("b_span"), span),
                             str(p.get("b_kind") or "substance"), str(p.get("type") or item.stance or "int"),
                             severity, says(p), p.get("wording"), tuple(map(str, p.get("mechanism") or ())),
                             None, d.record, d.offset)


def _class_match(substance: str, class_name: str, classes: DrugClasses) -> ClassMatch:
    source = classes.membership_source(class_name)
    short = source.split(" (", 1)[0]  # the citation's title, without its details
    return ClassMatch(substance, class_name, source,
                      f"{substance} is among the {class_name} — class membership from {short}")


@functools.lru_cache(maxsize=4096)
def _members(classes: DrugClasses, party: str) -> frozenset[str]:
    """The members of the class `party` names (none for a substance), normalised; asked once per party."""
    return frozenset(map(normalise_substance, classes.members(party)))


def _meets(party: str, name: str, classes: DrugClasses) -> tuple[bool, ClassMatch | None]:
    """Whether a sentence's party is the named substance, directly or as a class that has it as a member."""
    wanted = normalise_substance(name)
    if normalise_substance(party) == wanted:
        return True, None
    if wanted in _members(classes, party):
        return True, _class_match(name, party, classes)
    return False, None


def pair_key(a: str, b: str) -> frozenset[str]:
    """Two names as an unordered pair, compared as the knowledge base compares names."""
    return frozenset((normalise_substance(a), normalise_substance(b)))


def _rank(source: InteractionSource) -> tuple[int, int]:
    """How strong a statement is: its severity (no interaction lowest), then the grade of its source."""
    severity = -1 if source.says == NO_INTERACTION else SEVERITY_RANK.get(source.severity or "", 0)
    return severity, LEVELS.index(source.grade)


def _position(s: InteractionSource) -> Position:
    return Position(s.source, s.says, s.span, s.text, s.document_id, s.record, s.offset)


def _who(s: InteractionSource, keys: dict[int, str]) -> str:
    return keys.get(s.document_id, f"document:{s.document_id}")


def conflicts(sources: Sequence[InteractionSource], keys: dict[int, str]) -> tuple[Conflict, ...]:
    """Sources (distinct contents, `keys`: document id -> source key) that disagree on whether the pair
    interacts, or on how severely; every position on that question, side by side."""
    out = []
    none = [s for s in sources if s.says == NO_INTERACTION]
    some = [s for s in sources if s.says != NO_INTERACTION]
    if {_who(s, keys) for s in none} and {_who(s, keys) for s in some} and \
            len({_who(s, keys) for s in sources}) > 1:
        out.append(Conflict("whether they interact", tuple(_position(s) for s in sources)))
    stated = [s for s in sources if s.severity is not None and s.says != NO_INTERACTION]
    by_severity: dict[str, set[str]] = defaultdict(set)
    for s in stated:
        by_severity[s.severity or ""].add(_who(s, keys))
    if len(by_severity) > 1 and len({w for who in by_severity.values() for w in who}) > 1:
        out.append(Conflict("how severe the interaction is", tuple(_position(s) for s in stated)))
    return tuple(out)


def _pair(a: str, b: str, sources: Sequence[InteractionSource], keys: dict[int, str],
          asked: tuple[str, str] | None = None) -> InteractionPair:
    # ties by where the sentence is (source, record, span), never by the order the files were stored in
    ordered = sorted(sources, key=lambda s: (*(-r for r in _rank(s)), s.source, s.record or "", s.span, s.document_id))
    severities = [s.severity for s in ordered if s.severity is not None and s.says != NO_INTERACTION]
    strongest = max(severities, key=SEVERITY_RANK.__getitem__) if severities else None
    best_grade = LEVELS[max(LEVELS.index(s.grade) for s in ordered)]
    mechanism = tuple(dict.fromkeys(m for s in ordered for m in s.mechanism))
    matched = tuple(dict.fromkeys(s.via_class for s in ordered if s.via_class is not None))
    return InteractionPair(a, b, ordered[0].type, tuple(dict.fromkeys(s.type for s in ordered)), strongest,
                           best_grade, mechanism, tuple(ordered), conflicts(ordered, keys), matched, asked)


def _strength(pair: InteractionPair) -> tuple[int, int, int, int]:
    """Strongest first: the severity stated (a pair only ever said not to interact last), the best grade of
    its sources, how many sources state it, in how many sentences."""
    only_none = all(s.says == NO_INTERACTION for s in pair.sources)
    severity = -1 if only_none else SEVERITY_RANK.get(pair.severity or "", 0)
    return -severity, -LEVELS.index(pair.grade), -pair.n_sources, -len(pair.sources)


def _one_copy(found: Iterable[tuple[StoredItem, InteractionSource]]) -> tuple[list[InteractionSource], dict[int, str]]:
    """Each sentence about one pair once: from the first stored copy of its source (two copies of one label
    are one source), and as a direct statement when the sentence also names the pair through a class
    ("strong CYP3A4 inhibitors (e.g., clarithromycin)"). Also each document's source key."""
    keys: dict[int, str] = {}
    first: dict[tuple[str, tuple[int, int]], InteractionSource] = {}
    for item, source in sorted(found, key=lambda f: (f[0].document.id, f[1].via_class is not None, f[1].span)):
        key = keys[item.document.id] = source_key(item.document)
        first.setdefault((key, source.span), source)
    return list(first.values()), keys


def of_substance(substance: str, items: Iterable[StoredItem]) -> tuple[InteractionPair, ...]:
    """What the sources among `items` say `substance` interacts with, one pair per partner (a substance,
    a class or a food), strongest first. Only sentences naming `substance` itself count."""
    wanted = normalise_substance(substance)
    found: list[tuple[StoredItem, InteractionSource]] = []
    for item in items:
        if item.category != "interaction":
            continue
        s = statement(item)
        if wanted in (normalise_substance(s.a), normalise_substance(s.b)) and pair_key(s.a, s.b) != {wanted}:
            found.append((item, s))
    by_partner: dict[str, list[tuple[StoredItem, InteractionSource]]] = defaultdict(list)
    names: dict[str, str] = {}
    for item, s in found:
        partner = s.b if normalise_substance(s.a) == wanted else s.a
        by_partner[normalise_substance(partner)].append((item, s))
        names.setdefault(normalise_substance(partner), partner)
    pairs = [_pair(substance, names[k], *_one_copy(group)) for k, group in by_partner.items()]
    return tuple(sorted(pairs, key=lambda p: (*_strength(p), p.b)))


def check(products: Sequence[CheckedName], items: Iterable[StoredItem], stored: Iterable[str],
          classes: DrugClasses) -> InteractionReport:
    """Every pairwise interaction the sentences among `items` state between the substances of different
    `products` (a class a sentence names counts for each of its members), strongest first. A product is
    known when one of its substances is a `stored` substance or a party of a sentence (directly or as a
    class member); pairs of products no sentence mentions are listed as nothing known."""
    stored_names = {normalise_substance(n) for n in stored}
    items = [i for i in items if i.category == "interaction"]
    statements = [(i, statement(i)) for i in items]
    seen_parties = {normalise_substance(p) for _, s in statements for p in (s.a, s.b)}
    member_of = {p for _, s in statements for party in (s.a, s.b) for p in _members(classes, party)}

    def known(product: CheckedName) -> bool:
        return any(normalise_substance(n) in stored_names | seen_parties | member_of for n in product.names)

    checked = [CheckedName(p.asked, p.names, known(p)) for p in products]
    found: dict[frozenset[str], list[tuple[StoredItem, InteractionSource]]] = defaultdict(list)
    named: dict[frozenset[str], tuple[str, str, tuple[str, str]]] = {}
    answered: set[tuple[int, int]] = set()
    for i, p in enumerate(checked):
        for j in range(i + 1, len(checked)):
            q = checked[j]
            for x in p.names:
                for y in q.names:
                    key = pair_key(x, y)
                    if len(key) < 2:
                        continue
                    for item, s in statements:
                        met = _meet_pair(s, x, y, classes)
                        if met is None:
                            continue
                        found[key].append((item, met))
                        named.setdefault(key, (x, y, (p.asked, q.asked)))
                        answered.add((i, j))
    pairs = []
    for key, group in found.items():
        sources, keys = _one_copy(group)
        a, b, asked = named[key]
        pairs.append(_pair(a, b, sources, keys, asked))
    pairs.sort(key=lambda pair: (*_strength(pair), pair.a, pair.b))
    same = {(i, j) for i, p in enumerate(checked) for j, q in enumerate(checked)
            if i < j and {normalise_substance(n) for n in p.names} == {normalise_substance(n) for n in q.names}}
    nothing = tuple((p.asked, q.asked) for i, p in enumerate(checked) for j, q in enumerate(checked)
                    if i < j and (i, j) not in answered and (i, j) not in same)
    return InteractionReport(tuple(checked), tuple(pairs), tuple(c.asked for c in checked if not c.known), nothing)


def _meet_pair(s: InteractionSource, x: str, y: str, classes: DrugClasses) -> InteractionSource | None:
    """The sentence `s` as a statement about x and y (either order), with the class that matched; else None."""
    for first, second in ((x, y), (y, x)):
        met_a, via_a = _meets(s.a, first, classes)
        if not met_a:
            continue
        met_b, via_b = _meets(s.b, second, classes)
        if met_b:
            via = via_a or via_b
            return s if via is None else replace(s, via_class=via)
    return None
