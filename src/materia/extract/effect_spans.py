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

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

_SPLIT = re.compile(r"([^\W_]+)")
_EDGE_SEP = re.compile(r"[ \t]{1,6}|[ \t]?[-/'’][ \t]?")
_MAX_EDGE = 2


@dataclass(frozen=True, slots=True, eq=False)
class Tokens:
    """A text cut into word tokens: `pieces` alternates separator, token, ..., separator (lower case);
    `norm` is the tokens joined by single spaces between two spaces, where vocabularies are matched."""

    text: str
    pieces: list[str]
    words: list[str]
    bounds: list[int]  # token i spans bounds[2i+1]:bounds[2i+2] in `text`
    starts: list[int]  # token i starts at starts[i] in `text`
    norm: str
    norm_starts: list[int]  # token i starts at norm_starts[i] in `norm`

    def start(self, i: int) -> int:
        return self.bounds[2 * i + 1]

    def end(self, i: int) -> int:
        return self.bounds[2 * i + 2]

    def before(self, i: int) -> str:
        """The separator before token i."""
        return self.pieces[2 * i]

    def span_of(self, first: int, last: int) -> tuple[int, int]:
        """Tokens of `norm` characters [first, last] (inclusive)."""
        return bisect.bisect_left(self.norm_starts, first), bisect.bisect_right(self.norm_starts, last) - 1


def tokenise(text: str) -> Tokens:
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two; keep offsets exact
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    pieces = _SPLIT.split(lower)
    words = pieces[1::2]
    bounds = list(accumulate(map(len, pieces), initial=0))
    return Tokens(text, pieces, words, bounds, bounds[1:-1:2], " " + " ".join(words) + " ",
                  list(accumulate(map((1).__add__, map(len, words)), initial=1)))


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


def keep_features(tokens: Tokens, i: int, j: int, core: str, flags: Sequence[str], section: str,
                  gen: str) -> list[str]:
    """Features of the candidate span of tokens [i, j] (`core`: the vocabulary hit inside it, `gen`: what
    proposed it: the vocabulary, a list, a table row or an abbreviation)."""
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
         f"sb={_sep_kind(sep_before)}", f"sa={_sep_kind(sep_after)}", f"g={gen}", f"gn={gen}{min(j - i + 1, 5)}",
         f"gsh={gen}{_shape(first_raw)}"]
    if surface != core:
        f.append("ext")
    last = words[j]
    f += [f"fw={words[i]}", f"lw={last}", f"ls3={last[-3:]}", f"ls4={last[-4:]}", f"gls3={gen}{last[-3:]}"]
    if j > i:
        f += [f"w={w}" for w in words[i + 1:j]]
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
    if gen != "vocab":
        f += [f"g{gen}&{flag}" for flag in flags]
        f.append(f"g{gen}&sec={section}")
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


# Candidates beyond the vocabulary, for the keep model to judge: the other items of a list that holds
# a known reaction ("glossitis, glossodynia, lip ulceration"), the row labels of tables, and the
# abbreviations a document defines for a reaction ("post-transplant lymphoproliferative disorder (PTLD)").
_CONJUNCTIONS = frozenset({"and", "or", "nor"})
_LIST_OPENERS = frozenset({"were", "was", "are", "is", "include", "includes", "included", "including", "as", "of",
                           "with", "like", "e", "g", "i", "ie", "eg"})
# words that end an item: a verb or a preposition turns the list into a clause
_ITEM_BREAKS = frozenset({"were", "was", "is", "are", "be", "been", "has", "have", "had", "occurred", "occur",
                          "occurs", "occurring", "in", "including", "include", "includes", "such", "which", "that",
                          "but", "than", "may", "can", "with", "without", "who", "when", "if", "during", "after",
                          "the", "a", "an", "for", "to"}) | _CONJUNCTIONS
_ITEM_WORDS = 5
_ITEM_STEPS = 2
_ITEM_END = re.compile(r"[ \t]*(?:[,;:.()\[\]]|\n)")
_ROW = re.compile(r"(?m)^[ \t*•-]*([A-Za-z][^\n\d%()]{1,70}?)[ \t]{2,}[<>=]?\(?\d")
_ABBREVIATION = re.compile(r"[ \t]*\([ \t]*([A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)[ \t]*\)")


def _plain(sep: str) -> bool:
    """A separator inside an item: spaces, a hyphen or a slash."""
    return bool(_EDGE_SEP.fullmatch(sep)) and "\n" not in sep


def _next_item(tokens: Tokens, last: int, hi: int) -> tuple[int, int] | None:
    words = tokens.words
    k = last + 1
    if k > hi:
        return None
    sep = tokens.before(k)
    if sep.strip(" \t") == ",":
        if words[k] in _CONJUNCTIONS:
            k += 1
    elif _plain(sep) and words[k] in _CONJUNCTIONS:
        k += 1
    else:
        return None
    if k <= hi and words[k] in _LIST_OPENERS and _plain(tokens.before(k + 1) if k + 1 <= hi else ""):
        k += 1  # "reactions, including erythema"
    if k > hi or words[k] in _ITEM_BREAKS:
        return None
    end = k
    while end - k + 1 < _ITEM_WORDS and end + 1 <= hi and _plain(tokens.before(end + 1)) \
            and words[end + 1] not in _ITEM_BREAKS:
        end += 1
    after = tokens.pieces[2 * end + 2]
    if end == len(words) - 1 or _ITEM_END.match(after) \
            or (end + 1 <= hi and words[end + 1] in _CONJUNCTIONS and _plain(after)):
        return k, end
    return None


def _previous_item(tokens: Tokens, first: int, lo: int) -> tuple[int, int] | None:
    words = tokens.words
    k = first - 1
    if k < lo:
        return None
    sep = tokens.before(first)
    if sep.strip(" \t") == ",":
        pass
    elif _plain(sep) and words[k] in _CONJUNCTIONS:
        k -= 1
        if k < lo:
            return None
        if tokens.before(k + 1).strip(" \t") not in ("", ","):
            return None
    else:
        return None
    if words[k] in _ITEM_BREAKS:
        return None
    start = k
    while k - start + 1 < _ITEM_WORDS and start - 1 >= lo and _plain(tokens.before(start)) \
            and words[start - 1] not in _ITEM_BREAKS and words[start - 1] not in _LIST_OPENERS:
        start -= 1
    before = tokens.before(start)
    if start == lo or any(c in before for c in ",;:(\n") or words[start - 1] in _LIST_OPENERS \
            or words[start - 1] in _ITEM_BREAKS:
        return start, k
    return None


def list_items(tokens: Tokens, i: int, j: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """Up to two list items on either side of the candidate [i, j], within tokens [lo, hi]."""
    out = []
    last = j
    for _ in range(_ITEM_STEPS):
        item = _next_item(tokens, last, hi)
        if item is None:
            break
        out.append(item)
        last = item[1]
    first = i
    for _ in range(_ITEM_STEPS):
        item = _previous_item(tokens, first, lo)
        if item is None:
            break
        out.append(item)
        first = item[0]
    return [(a, b) for a, b in out if any(len(w) > 2 and w.isalpha() for w in tokens.words[a:b + 1])
            and not any(w.isdigit() for w in tokens.words[a:b + 1])]


def row_labels(tokens: Tokens, start: int, end: int) -> list[tuple[int, int]]:
    """Table rows within text offsets [start, end): the label before a gap and a number."""
    out = []
    for m in _ROW.finditer(tokens.text, start, end):
        a = bisect.bisect_left(tokens.starts, m.start(1))
        b = bisect.bisect_left(tokens.starts, m.end(1)) - 1
        if a <= b and b - a < 8:
            out.append((a, b))
    return out


def abbreviations(tokens: Tokens, spans: Sequence[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Every use within tokens [lo, hi] of an abbreviation defined right after one of `spans`."""
    text = tokens.text
    defined: set[str] = set()
    for _, b in spans:
        m = _ABBREVIATION.match(text, tokens.end(b))
        if m and len(m.group(1)) <= 10:
            defined.add(m.group(1).lower())
    if not defined:
        return []
    out = []
    for k in range(lo, hi + 1):
        w = tokens.words[k]
        if (w in defined or (w.endswith("s") and w[:-1] in defined)) and text[tokens.start(k)].isupper():
            out.append((k, k))
    return out
