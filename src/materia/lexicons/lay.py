"""Lay vocabulary and experience cues for posts and reviews, loaded strictly from data files beside this module.

Files (each names its source and licence in its header and in SOURCES.yaml; read by lexicons.loader):
  lay_terms.tsv          surface<TAB>canonical<TAB>HPO id<TAB>kind<TAB>source: symptoms, conditions and health
                         goals as patients write them (HPO names and synonyms incl. layperson ones, materia's effect
                         vocabulary, healthsea NER entities, DrugLib side-effect fragments); built by
                         scripts/build_lay_lexicon.py
  lay_words.tsv          word<TAB>count in patient-written training text: the fuzzy matcher's guard
  lay_roles.tsv          canonical<TAB>reason<TAB>benefit<TAB>side effect: how often DrugLib training reviewers
                         name each concept as their condition, a benefit, a side effect (the no-cue prior)
  experience_cues.yaml   cue lists: what makes a mention an effect, a use with a verdict, history, negated, hedged
  lay_grammar.yaml       word classes of symptoms described in the writer's own words ("lost my appetite",
                         "knees hurt", "felt drunk"): body functions, change words, body-part predicates, feelings
  polarity_weights.tsv   a linear model of the writer's verdict on a mention (helped / nothing / worse / history),
                         trained by scripts/train_polarity.py on healthsea clausecat train
  role_weights.tsv       a linear model of what a mention no cue decides is (an effect the writer had, or what they
                         took the product for), trained by scripts/train_roles.py on DrugLib training reviews
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

from materia.errors import VocabularyError
from materia.lexicons.loader import load_mapping, load_tsv, tsv_rows
from materia.lexicons.surface import normalise

TermKind = Literal["symptom", "condition", "benefit"]
_KINDS = frozenset({"symptom", "condition", "benefit"})
_CUE_KEYS = frozenset({
    "source", "licence", "negation", "negation_post", "hedge", "terminators", "effect", "effect_after",
    "effect_headings", "use_before", "use_after", "helped", "no_benefit", "worse", "worse_after", "history",
    "history_after", "modifiers_left", "symptom_adjectives", "body_parts", "onset", "duration", "stop_words",
    "ordinary_words", "product_nouns", "hypothetical", "family",
})


ACRONYM_SOURCE = "druglib-acronym"  # a term a post names only in capitals ("BP", "UTI": build_lay_lexicon.acronyms)


@dataclass(frozen=True, slots=True)
class LayTerm:
    canonical: str
    hpo_id: str | None
    kind: TermKind
    source: str


@functools.lru_cache(maxsize=1)
def terms() -> dict[str, LayTerm]:
    """Normalised surface -> term; an ontology's synonym that in a post is an everyday word ("odd", the acronym of
    oppositional defiant disorder: experience_cues.yaml ordinary_words) is none."""
    out: dict[str, LayTerm] = {}
    ordinary = experience_cues().ordinary_words
    for surface, canonical, hpo_id, kind, source in load_tsv("lay_terms.tsv", 5):
        if kind not in _KINDS:
            raise VocabularyError(f"lay_terms.tsv: {surface}: unknown kind {kind!r}")
        if surface in ordinary:
            continue
        out[surface] = LayTerm(canonical, None if hpo_id == "-" else hpo_id, kind, source)  # type: ignore[arg-type]
    return out


@functools.lru_cache(maxsize=1)
def word_counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for word, count in load_tsv("lay_words.tsv", 2):
        try:
            out[word] = int(count)
        except ValueError as exc:
            raise VocabularyError(f"lay_words.tsv: {word}: bad count {count!r}") from exc
    return out


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words of English as written (pyspellchecker's English frequency list, MIT, 160k words): a word in it is
    never "corrected" into a symptom ("peeing" is not "peeling"), however rare it is in patient reviews."""
    import gzip
    import importlib.resources
    import json

    try:
        data = (importlib.resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
        return frozenset(json.loads(gzip.decompress(data)))
    except (ModuleNotFoundError, OSError, ValueError) as exc:
        raise VocabularyError(f"pyspellchecker's English word list: {exc}") from exc


@dataclass(frozen=True, slots=True)
class RoleCounts:
    """How often training reviewers name a concept as their reason for taking a drug, a benefit, a side effect."""

    reason: int
    benefit: int
    side_effect: int

    def effect_share(self) -> float:
        """The share of side-effect mentions among the benefits and side-effects fields' mentions, pulled
        towards one half when there are few (the condition column is a name, not a mention in a text)."""
        return (self.side_effect + 1) / (self.benefit + self.side_effect + 2)

    def reason_share(self) -> float:
        """The share of namings as the reason for taking a drug among all of them, pulled towards one half."""
        return (self.reason + 1) / (self.reason + self.benefit + self.side_effect + 2)


@functools.lru_cache(maxsize=1)
def role_counts() -> dict[str, RoleCounts]:
    """canonical name -> its counts (lay_roles.tsv)."""
    out: dict[str, RoleCounts] = {}
    for name, *counts in load_tsv("lay_roles.tsv", 4):
        try:
            out[name] = RoleCounts(*(int(c) for c in counts))
        except ValueError as exc:
            raise VocabularyError(f"lay_roles.tsv: {name}: bad count in {counts!r}") from exc
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
    ordinary_words: frozenset[str]  # an ontology's synonym that in a post is an everyday word: never a term (terms)
    product_nouns: frozenset[str]  # "medication", "drops": after a complaint, they name a kind of product
    everyday: frozenset[str]  # body parts and stop words: a goal only where the writer says so ("skin", "sleep")
    hypothetical: re.Pattern[str]  # "the risk of", "can lead to": a symptom spoken of, not had
    family: re.Pattern[str]  # "brothers", "mother": whose conditions are spoken of, not the writer's


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
    data = load_mapping(name, _CUE_KEYS, required=_CUE_KEYS)

    def items(key: str) -> list[str]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise VocabularyError(f"{name}: {key} must be a list of strings")
        return value

    def words(key: str | list[str]) -> re.Pattern[str]:
        phrases = items(key) if isinstance(key, str) else key
        return re.compile(r"(?<![\w'])(?:" + _alternation(phrases) + r")(?![\w'])", re.IGNORECASE)

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
        ordinary_words=frozenset(w.lower() for w in items("ordinary_words")),
        product_nouns=frozenset(w.lower() for w in items("product_nouns")),
        everyday=frozenset(w.lower() for w in items("body_parts") + items("stop_words")),
        hypothetical=words(items("hypothetical") + [f"{w} {verb}" for w in items("family") if w != "family"
                                                    for verb in ("with", "had")]),
        family=words(items("family")),
    )


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Multinomial logistic regression over string features; classes in `classes` order."""

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
def polarity_model() -> LinearModel:
    return _linear_model("polarity_weights.tsv")


@functools.lru_cache(maxsize=1)
def role_model() -> LinearModel:
    """Classes use and effect: what a mention no cue decides is (extract.role_model)."""
    model = _linear_model("role_weights.tsv")
    if model.classes != ("use", "effect"):
        raise VocabularyError(f"role_weights.tsv: classes must be use, effect, not {model.classes}")
    return model


def _linear_model(name: str) -> LinearModel:
    """A linear model's weights: "@classes" and "@bias" rows, then feature<TAB>weight per class."""
    classes: tuple[str, ...] = ()
    bias: tuple[float, ...] = ()
    weights: dict[str, tuple[float, ...]] = {}
    for n, cells in tsv_rows(name):
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
    return LinearModel(classes, bias, weights)


Direction = Literal["up", "down", "bad"]
_DIRECTIONS = frozenset({"up", "down", "bad"})
_GRAMMAR_KEYS = frozenset({"source", "licence", "functions", "weight_units", "change_before", "change_after",
                           "absent", "goals", "urges", "abilities", "systems", "system_heads", "body_predicates",
                           "linking", "fillers", "states", "idioms", "feelings", "feeling_names", "became",
                           "felt_only", "treated_when_lowered"})


@dataclass(frozen=True, slots=True)
class LayGrammar:
    """Word classes of lay symptom descriptions; phrases are tuples of normalised words."""

    functions: dict[tuple[str, ...], dict[Direction, str]]  # function -> direction -> name of the change
    weight_units: frozenset[str]
    change_before: dict[tuple[str, ...], Direction]
    change_after: dict[tuple[str, ...], Direction]
    absent: frozenset[tuple[str, ...]]  # functions whose absence ("no appetite") is a symptom
    goals: frozenset[str]  # names of changes that are what the writer wanted ("increased energy")
    urges: frozenset[str]
    abilities: frozenset[tuple[str, ...]]  # what a writer may say they could not do ("couldn't eat")
    systems: frozenset[str]  # body systems ("kidney", "digestive"), besides the body parts of experience_cues
    system_heads: dict[str, TermKind]  # what follows one: a goal ("function") or a complaint ("issues")
    body_predicates: dict[tuple[str, ...], str]  # what a body part did -> noun for the name ("hurt" -> "pain")
    linking: frozenset[str]
    fillers: frozenset[str]
    states: frozenset[tuple[str, ...]]  # symptoms wherever named ("woozy")
    idioms: dict[tuple[str, ...], str]  # everyday phrases for a symptom -> its name ("threw up": vomiting)
    feelings: frozenset[tuple[str, ...]]  # symptoms after feel/felt ("felt off")
    feeling_names: dict[tuple[str, ...], str]  # a feeling no vocabulary names -> its name ("felt bad": malaise)
    became: frozenset[str]  # verbs after which the writer's feeling is one they had too ("I became depressed")
    felt_only: frozenset[tuple[str, ...]]  # feelings that are ordinary words after "was" ("I was off it")
    treated_when_lowered: dict[str, str]  # a fall the writer says helped -> what it treated ("low cholesterol")


@functools.lru_cache(maxsize=1)
def lay_grammar() -> LayGrammar:
    name = "lay_grammar.yaml"
    data = load_mapping(name, _GRAMMAR_KEYS, required=_GRAMMAR_KEYS)

    def phrase(key: object) -> tuple[str, ...]:
        if not isinstance(key, str):  # YAML reads a bare no/off/yes as a boolean
            raise VocabularyError(f"{name}: {key!r} must be a quoted string")
        words = tuple(normalise(key).split())
        if not words:
            raise VocabularyError(f"{name}: empty phrase {key!r}")
        return words

    def mapping(key: str) -> dict[object, object]:
        value = data[key]
        if not isinstance(value, dict):
            raise VocabularyError(f"{name}: {key} must be a mapping")
        return value

    def directions(key: str) -> dict[tuple[str, ...], Direction]:
        out: dict[tuple[str, ...], Direction] = {}
        for k, v in mapping(key).items():
            if v not in _DIRECTIONS:
                raise VocabularyError(f"{name}: {key}: {k}: direction must be up, down or bad")
            out[phrase(k)] = v  # type: ignore[assignment]
        return out

    def words(key: str) -> list[str]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise VocabularyError(f"{name}: {key} must be a list of strings")
        return value

    functions: dict[tuple[str, ...], dict[Direction, str]] = {}
    for k, v in mapping("functions").items():
        if not isinstance(v, dict) or set(v) != _DIRECTIONS or not all(isinstance(n, str) for n in v.values()):
            raise VocabularyError(f"{name}: functions: {k}: needs a name for each of up, down, bad")
        functions[phrase(k)] = {"up": str(v["up"]), "down": str(v["down"]), "bad": str(v["bad"])}
    heads: dict[str, TermKind] = {}
    for k, v in mapping("system_heads").items():
        if not isinstance(k, str) or v not in ("benefit", "symptom"):
            raise VocabularyError(f"{name}: system_heads: {k!r} must be a benefit or a symptom")
        heads[normalise(k)] = "benefit" if v == "benefit" else "symptom"
    return LayGrammar(
        functions=functions, weight_units=frozenset(normalise(w) for w in words("weight_units")),
        change_before=directions("change_before"), change_after=directions("change_after"),
        absent=frozenset(phrase(w) for w in words("absent")), goals=frozenset(words("goals")),
        urges=frozenset(normalise(w) for w in words("urges")),
        abilities=frozenset(phrase(w) for w in words("abilities")),
        systems=frozenset(normalise(w) for w in words("systems")), system_heads=heads,
        body_predicates={phrase(k): str(v) for k, v in mapping("body_predicates").items()},
        treated_when_lowered={str(k): str(v) for k, v in mapping("treated_when_lowered").items()},
        linking=frozenset(normalise(w) for w in words("linking")),
        fillers=frozenset(normalise(w) for w in words("fillers")),
        states=frozenset(phrase(w) for w in words("states")),
        idioms={phrase(k): str(v) for k, v in mapping("idioms").items()},
        feelings=frozenset(phrase(w) for w in words("feelings")),
        feeling_names={phrase(k): str(v) for k, v in mapping("feeling_names").items()},
        became=frozenset(normalise(w) for w in words("became")),
        felt_only=frozenset(phrase(w) for w in words("felt_only")),
    )
