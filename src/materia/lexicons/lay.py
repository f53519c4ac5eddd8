"""Lay vocabulary and experience cues for posts and reviews, loaded strictly from data files beside this module.

Files (each names its source and licence in its header):
  lay_terms.tsv          surface<TAB>canonical<TAB>HPO id<TAB>kind<TAB>source: symptoms, conditions and health
                         goals as patients write them (HPO names and synonyms incl. layperson ones, materia's effect
                         vocabulary, healthsea NER entities, DrugLib side-effect fragments); built by
                         scripts/build_lay_lexicon.py
  lay_words.tsv          word<TAB>count in patient-written training text: the fuzzy matcher's guard
  experience_cues.yaml   cue lists: what makes a mention an effect, a use with a verdict, history, negated, hedged
  polarity_weights.tsv   a linear model of the writer's verdict on a mention (helped / nothing / worse / history),
                         trained by scripts/train_polarity.py on healthsea clausecat train
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal, TypeAlias

import yaml

from materia.errors import VocabularyError

TermKind = Literal["symptom", "condition", "benefit"]
_KINDS = frozenset({"symptom", "condition", "benefit"})
_TOKEN = re.compile(r"[^\W_]+")
_CUE_KEYS = frozenset({
    "source", "licence", "negation", "negation_post", "hedge", "terminators", "effect", "effect_after",
    "effect_headings", "use_before", "use_after", "helped", "no_benefit", "worse", "worse_after", "history",
    "history_after", "modifiers_left", "symptom_adjectives", "body_parts", "onset", "duration", "stop_words",
})


def normalise(surface: str) -> str:
    """The form keys and text share: lower-case tokens joined by single spaces (as extract.effects does)."""
    return " ".join(_TOKEN.findall(surface.lower()))


@dataclass(frozen=True, slots=True)
class LayTerm:
    canonical: str
    hpo_id: str | None
    kind: TermKind
    source: str


def _data(name: str) -> str:
    try:
        return resources.files("materia.lexicons").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:  # a packaging bug
        raise VocabularyError(f"lexicon {name} missing: {exc}") from exc


def _rows(name: str, columns: int) -> list[list[str]]:
    rows = []
    for n, line in enumerate(_data(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns:
            raise VocabularyError(f"{name}:{n}: expected {columns} columns, got {len(cells)}")
        rows.append(cells)
    return rows


@functools.lru_cache(maxsize=1)
def terms() -> dict[str, LayTerm]:
    """Normalised surface -> term."""
    out: dict[str, LayTerm] = {}
    for surface, canonical, hpo_id, kind, source in _rows("lay_terms.tsv", 5):
        if kind not in _KINDS:
            raise VocabularyError(f"lay_terms.tsv: {surface}: unknown kind {kind!r}")
        out[surface] = LayTerm(canonical, None if hpo_id == "-" else hpo_id, kind, source)  # type: ignore[arg-type]
    return out


@functools.lru_cache(maxsize=1)
def word_counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for word, count in _rows("lay_words.tsv", 2):
        try:
            out[word] = int(count)
        except ValueError as exc:
            raise VocabularyError(f"lay_words.tsv: {word}: bad count {count!r}") from exc
    return out


@dataclass(frozen=True, slots=True)
class ExperienceCues:
    negation: re.Pattern[str]
    negation_post: re.Pattern[str]
    hedge: re.Pattern[str]
    terminators: re.Pattern[str]
    effect: re.Pattern[str]
    effect_after: re.Pattern[str]
    effect_headings: re.Pattern[str]
    use_before: re.Pattern[str]
    use_after: re.Pattern[str]
    helped: re.Pattern[str]
    no_benefit: re.Pattern[str]
    worse: re.Pattern[str]
    worse_after: re.Pattern[str]
    history: re.Pattern[str]
    history_after: re.Pattern[str]
    modifiers_left: frozenset[str]
    symptom_adjectives: frozenset[str]
    body_parts: frozenset[str]
    onset: re.Pattern[str]
    duration: re.Pattern[str]
    stop_words: frozenset[str]


_Trie: TypeAlias = "dict[str, _Trie]"  # token -> the rest of the phrases ("" marks a phrase's end)


def _alternation(items: list[str]) -> str:
    """One regex for many cue phrases, as a trie (shared prefixes factored out): Python's re tries the
    alternatives of a flat list one by one, a trie reads each character once. "*" ends a phrase with any
    word ending ("improv*"); "with" also matches "w/" ("struggling w/ IBS")."""
    trie: _Trie = {}
    for item in {i.strip().lower() for i in items if i.strip()}:
        node = trie
        for token in re.findall(r"with|\*| +|.", item):
            node = node.setdefault(token, {})
        node[""] = {}

    def piece(token: str) -> str:
        if token == "*":
            return r"\w*"
        if token == "with":
            return "(?:with|w/)"
        if token.isspace():
            return r"\s+"
        return re.escape(token)

    def build(node: _Trie) -> str:
        branches = [piece(k) + build(v) for k, v in sorted(node.items()) if k]
        if "" in node:
            return ("(?:" + "|".join(branches) + ")?") if branches else ""
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


@functools.lru_cache(maxsize=1)
def experience_cues() -> ExperienceCues:
    name = "experience_cues.yaml"
    data = yaml.safe_load(_data(name))
    if not isinstance(data, dict):
        raise VocabularyError(f"{name}: expected a mapping")
    unknown = set(data) - _CUE_KEYS
    missing = _CUE_KEYS - set(data)
    if unknown or missing:
        raise VocabularyError(f"{name}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")

    def items(key: str) -> list[str]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise VocabularyError(f"{name}: {key} must be a list of strings")
        return value

    def words(key: str) -> re.Pattern[str]:
        return re.compile(r"(?<![\w'])(?:" + _alternation(items(key)) + r")(?![\w'])", re.IGNORECASE)

    def patterns(key: str) -> re.Pattern[str]:  # regular expressions, for cues with structure (durations)
        try:
            return re.compile("|".join(f"(?:{p})" for p in items(key)), re.IGNORECASE)
        except re.error as exc:
            raise VocabularyError(f"{name}: {key}: {exc}") from exc

    return ExperienceCues(
        negation=words("negation"), negation_post=words("negation_post"), hedge=words("hedge"),
        terminators=re.compile(r"[;.!?()\[\]\n]|(?<![\w'])(?:" + _alternation(items("terminators")) + r")(?![\w'])",
                               re.IGNORECASE),
        effect=words("effect"), effect_after=words("effect_after"), effect_headings=words("effect_headings"),
        use_before=words("use_before"), use_after=words("use_after"),
        helped=words("helped"), no_benefit=words("no_benefit"), worse=words("worse"), worse_after=words("worse_after"),
        history=words("history"), history_after=words("history_after"),
        modifiers_left=frozenset(w.lower() for w in items("modifiers_left")),
        symptom_adjectives=frozenset(w.lower() for w in items("symptom_adjectives")),
        body_parts=frozenset(w.lower() for w in items("body_parts")),
        onset=patterns("onset"), duration=patterns("duration"),
        stop_words=frozenset(w.lower() for w in items("stop_words")),
    )


@dataclass(frozen=True, slots=True)
class PolarityModel:
    """Multinomial logistic regression over clause features; classes in `classes` order."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, features: list[str]) -> dict[str, float]:
        totals = list(self.bias)
        for f in features:
            w = self.weights.get(f)
            if w is not None:
                for i, v in enumerate(w):
                    totals[i] += v
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        z = sum(exps)
        return {c: e / z for c, e in zip(self.classes, exps, strict=True)}


@functools.lru_cache(maxsize=1)
def polarity_model() -> PolarityModel:
    name = "polarity_weights.tsv"
    classes: tuple[str, ...] = ()
    bias: tuple[float, ...] = ()
    weights: dict[str, tuple[float, ...]] = {}
    for n, line in enumerate(_data(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == "@classes":
            classes = tuple(cells[1:])
            continue
        try:
            values = tuple(float(c) for c in cells[1:])
        except ValueError as exc:
            raise VocabularyError(f"{name}:{n}: {exc}") from exc
        if len(values) != len(classes):
            raise VocabularyError(f"{name}:{n}: expected {len(classes)} weights")
        if cells[0] == "@bias":
            bias = values
        else:
            weights[cells[0]] = values
    if not classes or len(bias) != len(classes):
        raise VocabularyError(f"{name}: @classes and @bias rows are required")
    return PolarityModel(classes, bias, weights)
