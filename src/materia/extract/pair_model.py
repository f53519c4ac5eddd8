"""The learned part of interactions: whether two drug mentions of one sentence interact, and how.

A multinomial logistic model over sparse string features, with the DDI 2013 labels (`none` and the
four interaction types), trained by scripts/train_interactions.py on the DDI 2013 corpus (document-
level cross-validation) and shipped as a table of weights (lexicons/interactions_model.tsv), held in
a numpy array so that the pairs of a sentence are scored together. The features are computed here,
once, for training and extraction alike:

- the two mentions are blinded (their words never count, so names never seen in training do not
  matter); other mentions become one word, `<drug>`;
- the words between the pair (and their pairs), the words just before and after, and every word
  of the sentence (triggers: "increase", "avoid", "risk", "should");
- trigger words between the pair and just before it ("increase", "inhibit", "avoid", "risk"), or their
  absence, and a clause break (";", "but", "whereas") between;
- lists: when one of the pair is a later item of a list ("A increases B, C and D": the pair A, D), the
  words between are read without the list, so that A, D looks like A, B;
- the grammar of the pair: how far apart, how many other mentions between, whether the pair sits in
  a coordinated list ("A, B and C" rarely interact with each other) or one is the other's example
  in brackets ("CYP3A4 inhibitors (e.g., ketoconazole)"), whether a negation governs it ("no
  interaction between A and B": DDI guidelines annotate no negated interaction), whether the two
  name the same thing.
"""
from __future__ import annotations

import array
import functools
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from materia.errors import VocabularyError
from materia.lexicons import loader

__all__ = ["LABELS", "Blinded", "PairModel", "blind", "classify_sentence", "pair_features", "pair_model",
           "read_pair_model"]

LABELS = ("none", "mechanism", "effect", "advise", "int")
_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*|[^\w\s]")
_DIGITS = re.compile(r"\d")
DRUG = "<drug>"
_COORDINATION = frozenset({",", "and", "or", "/", DRUG, "plus", "+", "combined", "(", ")", ";", "e.g", "eg", "i.e",
                           "such", "as", "including", "other", "nor", "and/or", ":", "-", "and/", "both", "either",
                           "neither", "."})
_NEGATION_WORDS = frozenset({"no", "not", "without", "neither", "nor", "none", "lack", "absence", "never"})
_WINDOW = 4
_TRIGGERS = ("increas", "decreas", "inhibit", "induc", "reduc", "potentiat", "enhanc", "antagon", "alter", "affect",
             "elevat", "lower", "rais", "avoid", "caution", "contraindicat", "recommend", "monitor", "interact",
             "prolong", "block", "diminish", "attenuat", "augment", "risk", "toxic", "should", "not")
_BREAKS = frozenset({";", ":", "but", "whereas", "while", "however", "although", "."})
_LIST_ITEMS = frozenset({",", "and", "or", "/", "and/or", DRUG, "nor", "plus"})


@dataclass(frozen=True, slots=True)
class Blinded:
    """A sentence cut into lower-case tokens, each mention one token; `at[m]` is mention m's token."""

    words: tuple[str, ...]
    at: tuple[int, ...]
    kinds: tuple[str, ...]
    names: tuple[str, ...]
    style: str = "label"  # "label" (drug labels, monographs: DrugBank's texts) or "abstract" (MedLine)


@functools.lru_cache(maxsize=65536)  # a document's sentences share most of their words
def _norm(word: str) -> str:
    return _DIGITS.sub("0", word.lower())


def blind(text: str, mentions: Sequence[tuple[int, int, str, str]], style: str = "label") -> Blinded:
    """Tokens of `text` (one sentence) with each mention (start, end, kind, name: offsets into `text`,
    in order, not overlapping) as a single token."""
    words: list[str] = []
    at: list[int] = []
    position = 0
    for start, end, _, _ in mentions:
        words.extend(map(_norm, _TOKEN.findall(text, position, start)))
        at.append(len(words))
        words.append(DRUG)
        position = max(position, end)
    words.extend(map(_norm, _TOKEN.findall(text, position)))
    return Blinded(tuple(words), tuple(at), tuple(m[2] for m in mentions), tuple(m[3] for m in mentions), style)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "e", "ly")
_LIST_WORDS = frozenset({",", "and", "or", "/", "and/or", DRUG})


@functools.lru_cache(maxsize=65536)  # the words of a sentence are stemmed again for each of its pairs
def _stem(word: str) -> str:
    """A crude stem, so "increased", "increases" and "increase" count as one word."""
    if len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[:-len(suffix)]
    return word


def _collapsed(words: Sequence[str]) -> list[str]:
    """Words with each run of coordinated mentions ("<drug> , <drug> and <drug>") as one `<list>`."""
    if DRUG not in words:  # only a run that holds a mention changes: most pairs have no mention between them
        return list(words)
    return _runs_collapsed(words)


def _runs_collapsed(words: Sequence[str]) -> list[str]:
    """_collapsed, read run by run."""
    out: list[str] = []
    run: list[str] = []
    for w in (*words, "<end>"):
        if w in _LIST_WORDS:
            run.append(w)
            continue
        if run:
            out.append("<list>" if DRUG in run else run[0]) if DRUG in run or len(run) == 1 else out.extend(run)
            run = []
        if w != "<end>":
            out.append(w)
    return out


def _unlisted(between: Sequence[str]) -> tuple[Sequence[str], bool, bool]:
    """`between` without a trailing run of listed mentions (b is a later item of a list) nor a leading one
    (a is an earlier item); and whether each was there."""
    lo, hi = 0, len(between)
    k = hi
    while k > 0 and between[k - 1] in _LIST_ITEMS:
        k -= 1
    tailed = DRUG in between[k:] and k > 0
    if tailed:
        hi = k
    k = 0
    while k < hi and between[k] in _LIST_ITEMS:
        k += 1
    headed = DRUG in between[:k] and k < hi
    if headed:
        lo = k
    return between[lo:hi], tailed, headed


def _triggers(words: Sequence[str]) -> set[str]:
    return {t for w in words for t in _word_triggers(w)}


@functools.lru_cache(maxsize=65536)
def _word_triggers(word: str) -> tuple[str, ...]:
    """The trigger stems `word` starts with (looked up once per word, not once per pair it stands in)."""
    return tuple(t for t in _TRIGGERS if word.startswith(t))


def pair_features(sentence: Blinded, i: int, j: int) -> list[str]:
    """Features of the pair of mentions i < j of a blinded sentence: those of the sentence, of what stands
    before the first mention, of the pair and what is between them, of what follows the second. The four
    groups share no feature (each has its own prefixes), so a sentence's and a mention's are summed once
    per sentence by `classify_sentence`, not once per pair."""
    return list(dict.fromkeys([*sentence_features(sentence), *left_features(sentence, i),
                               *between_features(sentence, i, j), *right_features(sentence, j)]))


def sentence_features(sentence: Blinded) -> list[str]:
    """What every pair of the sentence shares: its words, how many mentions, its style."""
    # each word once, in the order written: a set's order follows the hash seed, and so would the order of the sum
    feats = [f"s={w}" for w in dict.fromkeys(sentence.words) if w != DRUG]
    feats.append(f"n_mentions={_bucket(len(sentence.at), (2, 3, 4, 6))}")
    feats.append(f"style={sentence.style}")
    return feats


def left_features(sentence: Blinded, i: int) -> list[str]:
    """What stands before mention i, the first of a pair."""
    words = sentence.words
    a = sentence.at[i]
    feats = [f"l={w}" for w in words[max(0, a - _WINDOW):a]]
    feats.append(f"l1={words[a - 1] if a else '^'}")
    feats += [f"ls={_stem(w)}" for w in words[:a]]
    if ":" in words[:a]:
        feats.append("after_colon")
    if any(w in _NEGATION_WORDS for w in words[max(0, a - 8):a]):
        feats.append("neg_before")
    if i == 0:
        feats.append("first")
    feats += [f"tl={t}" for t in sorted(_triggers(words[max(0, a - 6):a]))]
    return list(dict.fromkeys(feats))


def right_features(sentence: Blinded, j: int) -> list[str]:
    """What follows mention j, the second of a pair."""
    words = sentence.words
    b = sentence.at[j]
    feats = [f"r={w}" for w in words[b + 1:b + 1 + _WINDOW]]
    feats.append(f"r1={words[b + 1] if b + 1 < len(words) else '$'}")
    feats += [f"rs={_stem(w)}" for w in words[b + 1:]]
    if j == len(sentence.at) - 1:
        feats.append("last")
    return list(dict.fromkeys(feats))


def between_features(sentence: Blinded, i: int, j: int) -> list[str]:
    """The pair itself: the kinds of the two, the words between them and how they are arranged."""
    words = sentence.words
    a, b = sentence.at[i], sentence.at[j]
    between = words[a + 1:b]
    after = words[b + 1:b + 1 + _WINDOW]
    kinds = f"{sentence.kinds[i]}|{sentence.kinds[j]}"
    feats = [f"k={kinds}", f"nb={_bucket(len(between), (0, 1, 2, 4, 7, 12, 20))}",
             f"nm={_bucket(j - i - 1, (0, 1, 2))}"]
    feats += [f"b={w}" for w in between]  # a word's repeats are dropped with every feature's, at the end
    chain = ("<a>", *between, "<b>")
    feats += [f"bb={x}|{y}" for x, y in itertools.pairwise(chain)]
    stems = list(map(_stem, between))
    feats += [f"bs={s}" for s in stems]
    near = _collapsed(between)
    skeleton = ("<a>", *near, "<b>")
    skeleton_stems = ("<a>", *(stems if DRUG not in between else map(_stem, near)), "<b>")  # no mention: as between
    feats += [f"cb={x}|{y}" for x, y in zip(skeleton[:-1], skeleton_stems[1:], strict=True)]
    feats.append(f"cn={_bucket(len(skeleton) - 2, (0, 1, 2, 4, 7, 12))}")
    if len(skeleton) <= 6:
        feats.append("cs=" + " ".join(skeleton_stems))
    feats += [f"ba{k}={w}" for k, w in enumerate(near[:3])] + [f"bz{k}={w}" for k, w in enumerate(near[:-4:-1])]
    feats += [f"cbb={x}|{y}|{z}" for x, y, z in zip(skeleton, skeleton[1:], skeleton[2:], strict=False)]
    if _COORDINATION.issuperset(between):
        feats.append("coordinated")
    if "(" in between and ")" not in between[between.index("("):]:
        feats.append("b_in_brackets")
    if between and between[0] in (",", "(") and (not after or after[0] in (",", ")", "and", "or")):
        feats.append("apposition")
    if sentence.names[i] and sentence.names[i] == sentence.names[j]:
        feats.append("same_name")
    if not _NEGATION_WORDS.isdisjoint(between):
        feats.append("neg_between")
    ordered = [t for w in between for t in _word_triggers(w)]
    if ordered:  # the trigger nearest each mention, and with the kinds of the two ("<class> ... reduce ... <drug>")
        feats += [f"tv={t}" for t in sorted(set(ordered))]
        feats += [f"tf={ordered[0]}", f"tz={ordered[-1]}", f"ktf={kinds}|{ordered[0]}"]
    else:
        feats.append("no_trigger_between")
    if not _BREAKS.isdisjoint(between):
        feats.append("break_between")
    feats.append(f"kn={kinds}|{_bucket(len(between), (2, 6, 12))}")
    core, tailed, headed = _unlisted(between)
    if tailed or headed:  # read as if b were the list's first item, or a its last
        feats.append(f"listed={int(tailed)}{int(headed)}")
        near = _collapsed(core)
        skeleton = ("<a>", *near, "<b>")
        skeleton_stems = ("<a>", *map(_stem, near), "<b>")
        feats += [f"cb={x}|{y}" for x, y in zip(skeleton[:-1], skeleton_stems[1:], strict=True)]
        if len(skeleton) <= 6:
            feats.append("cs=" + " ".join(skeleton_stems))
        # (the stems of `core`, a part of `between`, are there already)
        feats.append(f"nb={_bucket(len(core), (0, 1, 2, 4, 7, 12, 20))}")
    return list(dict.fromkeys(feats))


@dataclass(frozen=True, slots=True)
class PairModel:
    """feature -> weights per label (in LABELS order), and the intercepts."""

    weights: Mapping[str, tuple[float, ...]]
    intercepts: tuple[float, ...]
    none_threshold: float = 0.5  # a pair interacts when P(none) is below this (negatives outnumber positives)
    # the weights as one table: row 0 all zeros, then a row per feature, its number in `_rows`
    _rows: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _table: npt.NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", {feature: k for k, feature in enumerate(self.weights, 1)})
        table = np.zeros((len(self.weights) + 1, len(LABELS)))
        if self.weights:
            table[1:] = list(self.weights.values())
        object.__setattr__(self, "_table", table)

    def sums(self, groups: Sequence[Sequence[str]]) -> list[list[float]]:
        """Per group of features, per label, the sum of the weights of the features the model has: all the groups
        in one numpy gather and one reduceat (a sentence's groups are scored together, not in a Python sum each)."""
        rows = self._rows
        index: list[int] = []
        starts: list[int] = []
        for features in groups:
            starts.append(len(index))
            index.append(0)  # the zero row: no group is empty, as reduceat needs
            index.extend(filter(None, map(rows.get, features)))
        # the same rows as self._table[index], the list made an array by array.array (numpy reads it item by item)
        taken = self._table.take(np.frombuffer(array.array("q", index), dtype=np.int64), axis=0)
        return np.add.reduceat(taken, starts).tolist()  # type: ignore[no-any-return]

    def scores(self, features: Sequence[str]) -> list[float]:
        """Per label, the intercept plus the weight of each feature."""
        return [c + s for c, s in zip(self.intercepts, self.sums([features])[0], strict=True)]

    def probabilities(self, features: Sequence[str]) -> tuple[float, ...]:
        return _softmax(self.scores(features))

    def classify(self, features: Sequence[str]) -> tuple[str, float]:
        """`none` unless P(none) is below the threshold, else the most probable type; and its probability."""
        return self.decide(self.probabilities(features))

    def decide(self, probs: Sequence[float]) -> tuple[str, float]:
        if probs[0] >= self.none_threshold:
            return LABELS[0], probs[0]
        k = max(range(1, len(probs)), key=probs.__getitem__)
        return LABELS[k], probs[k]


def _softmax(scores: Sequence[float]) -> tuple[float, ...]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return tuple(e / total for e in exps)


def classify_sentence(model: PairModel, sentence: Blinded, pairs: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
    """The label of each pair of mentions i < j of the sentence and its probability, as `PairModel.classify` of
    its `pair_features` gives it (up to the order the weights are added in). The features of the sentence, and
    of each mention on the left or right of a pair, are gathered once, not once per pair (they are most of a
    pair's), and all are summed together."""
    firsts = sorted({i for i, _ in pairs})
    seconds = sorted({j for _, j in pairs})
    sums = model.sums([sentence_features(sentence), *(left_features(sentence, i) for i in firsts),
                       *(right_features(sentence, j) for j in seconds),
                       *(between_features(sentence, i, j) for i, j in pairs)])
    base = [c + s for c, s in zip(model.intercepts, sums[0], strict=True)]
    left = dict(zip(firsts, sums[1:], strict=False))
    right = dict(zip(seconds, sums[1 + len(firsts):], strict=False))
    out = []
    for (i, j), between in zip(pairs, sums[1 + len(firsts) + len(seconds):], strict=True):
        scores = [b + x + y + z for b, x, y, z in zip(base, left[i], right[j], between, strict=True)]
        out.append(model.decide(_softmax(scores)))
    return out


def read_pair_model(text: str, name: str = "interactions_model.tsv") -> PairModel:
    """The weights table written by scripts/train_interactions.py: `<intercept>` and `<none_threshold>`
    rows, then one row per feature, a weight per label in LABELS order."""
    weights: dict[str, tuple[float, ...]] = {}
    intercepts: tuple[float, ...] | None = None
    threshold = 0.5
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        try:
            values = tuple(float(c) for c in cells[1:])
        except ValueError as exc:
            raise VocabularyError(f"{name}:{n}: bad weight: {exc}") from exc
        if cells[0] == "<none_threshold>" and len(values) == 1:
            threshold = values[0]
        elif len(values) != len(LABELS):
            raise VocabularyError(f"{name}:{n}: expected a feature and {len(LABELS)} weights")
        elif cells[0] == "<intercept>":
            intercepts = values
        else:
            weights[cells[0]] = values
    if intercepts is None:
        raise VocabularyError(f"{name}: no <intercept> row")
    return PairModel(weights, intercepts, threshold)


@functools.cache
def pair_model() -> PairModel:
    """The shipped model, read on first use."""
    name = "interactions_model.tsv"
    return read_pair_model(loader.read_text(name), name)
