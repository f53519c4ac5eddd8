"""The learned part of adverse-reaction spans on drug labels: where a mention starts and ends, and
whether a candidate is an adverse reaction at all.

Two small logistic models over sparse string features, learned from the TAC 2017 ADR labels by
`bench/tac_adr.py` (5-fold cross-validated by label file) and shipped as a table of weights:
  edge  whether a mention takes in the word beside it ("protozoal infections", "chemical
        conjunctivitis" yes; "severe nausea", "grade 3 neutropenia" no), from the word, its
        ending, its shape and the separator, so adjectives never seen in training still count;
  keep  whether a candidate span is an adverse reaction as the labels mark them, from the words
        around it, its place on the line (a heading, a table row), the sentence's cues and the
        section type.
The features are computed here, once, for training and for extraction alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Mapping, Sequence

_SPLIT = re.compile(r"([^\W_]+)")
_EDGE_SEP = re.compile(r"[ \t]{1,6}|[ \t]?[-/'’][ \t]?")
_MAX_EDGE = 2


@dataclass(frozen=True, slots=True, eq=False)
class Tokens:
    """A text cut into word tokens: `pieces` alternates separator, token, ..., separator (lower case)."""

    text: str
    pieces: list[str]
    words: list[str]
    bounds: list[int]  # token i spans bounds[2i+1]:bounds[2i+2] in `text`

    def start(self, i: int) -> int:
        return self.bounds[2 * i + 1]

    def end(self, i: int) -> int:
        return self.bounds[2 * i + 2]

    def before(self, i: int) -> str:
        """The separator before token i."""
        return self.pieces[2 * i]


def tokenise(text: str) -> Tokens:
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two; keep offsets exact
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    pieces = _SPLIT.split(lower)
    return Tokens(text, pieces, pieces[1::2], list(accumulate(map(len, pieces), initial=0)))


@dataclass(frozen=True, slots=True)
class SpanModel:
    """Weights of the edge and keep models (feature -> weight); a score above 0 means yes."""

    edge: Mapping[str, float] = field(default_factory=dict)
    keep: Mapping[str, float] = field(default_factory=dict)
    keep_bias: float = 0.0  # added to the keep score: the decision threshold, as a logit

    def edge_score(self, features: Sequence[str]) -> float:
        get = self.edge.get
        return sum(get(f, 0.0) for f in features)

    def keep_score(self, features: Sequence[str]) -> float:
        get = self.keep.get
        return sum(get(f, 0.0) for f in features) + self.keep_bias


def _shape(word: str) -> str:
    if word.isupper():
        return "A"
    if word[:1].isupper():
        return "Aa"
    return "a" if word.isalpha() else "0"


def edge_features(tokens: Tokens, k: int, core: int, left: bool, depth: int) -> list[str] | None:
    """Features of taking token k into a mention whose nearest token is `core`; None if it cannot be
    (not a word, or a separator other than a space, a hyphen or a slash between)."""
    sep = tokens.before(core if left else k)
    if not _EDGE_SEP.fullmatch(sep):
        return None
    w = tokens.words[k]
    side = "L" if left else "R"
    raw = tokens.text[tokens.start(k):tokens.end(k)]
    core_raw = tokens.text[tokens.start(core):tokens.end(core)]
    kind = "s" if sep == " " else "ss" if not sep.strip() else sep.strip()
    return [side, f"{side}w={w}", f"{side}s3={w[-3:]}", f"{side}s2={w[-2:]}", f"{side}d={depth}",
            f"{side}sep={kind}", f"{side}sh={_shape(raw)}{_shape(core_raw)}", f"{side}wc={w}|{tokens.words[core]}",
            f"{side}len={min(len(w), 8)}"]


def extend(tokens: Tokens, i: int, j: int, model: SpanModel, lo: int, hi: int) -> tuple[int, int]:
    """Token range of a hit [i, j] after taking in the edge words the model accepts, within [lo, hi]."""
    for depth in range(1, _MAX_EDGE + 1):
        k = i - 1
        if k < lo:
            break
        f = edge_features(tokens, k, i, True, depth)
        if f is None or model.edge_score(f) <= 0:
            break
        i = k
    for depth in range(1, _MAX_EDGE + 1):
        k = j + 1
        if k > hi:
            break
        f = edge_features(tokens, k, j, False, depth)
        if f is None or model.edge_score(f) <= 0:
            break
        j = k
    return i, j


def keep_features(tokens: Tokens, i: int, j: int, core: str, flags: Sequence[str], section: str) -> list[str]:
    """Features of the candidate span of tokens [i, j] (`core`: the vocabulary hit inside it)."""
    words = tokens.words
    text = tokens.text
    n = len(words)
    surface = " ".join(words[i:j + 1])
    first_raw = text[tokens.start(i):tokens.end(i)]
    sep_before = tokens.before(i)
    sep_after = tokens.pieces[2 * j + 2]
    line_start = "\n" in sep_before or i == 0 or _line_lead(text, tokens.start(i))
    after = sep_after.strip(" \t")
    f = ["b", f"t={surface}", f"c={core}", f"n={min(j - i + 1, 5)}", f"sh={_shape(first_raw)}", f"sec={section}",
         f"sb={_sep_kind(sep_before)}", f"sa={_sep_kind(sep_after)}"]
    if surface != core:
        f.append("ext")
    for d in (1, 2, 3):
        f.append(f"p{d}={words[i - d]}" if i - d >= 0 else f"p{d}=^")
    for d in (1, 2):
        f.append(f"n{d}={words[j + d]}" if j + d < n else f"n{d}=$")
    if line_start:
        f.append("ls")
        f.append(f"ls_sh={_shape(first_raw)}")
    if after.startswith("\n") or j + 1 == n:
        f.append("le")
    elif "\n" not in sep_after and len(sep_after) >= 3:
        f.append("gap")
    if j + 1 < n and words[j + 1][:1].isdigit():
        f.append("num_after")
    f.extend(flags)
    return f


def _line_lead(text: str, start: int) -> bool:
    """Only bullets, numbering and spaces before `start` on its line."""
    line = text.rfind("\n", 0, start) + 1
    return not any(c.isalpha() for c in text[line:start])


def _sep_kind(sep: str) -> str:
    if not sep:
        return ""
    if "\n" in sep:
        return "nl"
    s = sep.strip()
    if not s:
        return " " if len(sep) < 3 else "gap"
    return s[:2]
