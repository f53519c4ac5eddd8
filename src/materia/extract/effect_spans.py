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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

_SPLIT = re.compile(r"([^\W_]+)")
_EDGE_SEP = re.compile(r"[ \t]{1,6}|[ \t]?[-/'’][ \t]?")
MAX_EDGE = 3


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
        return sum(filter(None, map(self.edge.get, features)))

    def keep_score(self, features: Sequence[str]) -> float:
        return sum(filter(None, map(self.keep.get, features))) + self.keep_bias


def _shape(word: str) -> str:
    if word.isupper():
        return "A"
    if word[:1].isupper():
        return "Aa"
    return "a" if word.isalpha() else "0"


def _edge_word_features(side: str, w: str) -> list[str]:
    """What the word itself says (the same wherever it stands: scored once per word and side)."""
    return [f"{side}w={w}", f"{side}s3={w[-3:]}", f"{side}s2={w[-2:]}", f"{side}len={min(len(w), 8)}"]


def _edge_context_features(tokens: Tokens, k: int, core: int, side: str, depth: int, sep: str) -> list[str]:
    w = tokens.words[k]
    beyond = k - 1 if side == "L" else k + 1
    far = tokens.words[beyond] if 0 <= beyond < len(tokens.words) else "^"
    raw = tokens.text[tokens.start(k):tokens.end(k)]
    core_raw = tokens.text[tokens.start(core):tokens.end(core)]
    kind = "s" if sep == " " else "ss" if not sep.strip() else sep.strip()
    return [side, f"{side}d={depth}", f"{side}sep={kind}", f"{side}sh={_shape(raw)}{_shape(core_raw)}",
            f"{side}wc={w}|{tokens.words[core]}", f"{side}far={far}|{w}"]


def _edge_sep(tokens: Tokens, k: int, core: int, left: bool) -> str | None:
    """The separator between token k and the mention, if a mention may take k in across it: a space,
    a hyphen or a slash (never a comma, a bracket or a line break)."""
    sep = tokens.before(core if left else k)
    return sep if _EDGE_SEP.fullmatch(sep) else None


def edge_features(tokens: Tokens, k: int, core: int, left: bool, depth: int) -> list[str] | None:
    """Features of taking token k into a mention whose nearest token is `core`; None if it cannot be."""
    sep = _edge_sep(tokens, k, core, left)
    if sep is None:
        return None
    side = "L" if left else "R"
    return _edge_word_features(side, tokens.words[k]) + _edge_context_features(tokens, k, core, side, depth, sep)


def left_word(model: SpanModel, word: str, depth: int, cache: dict[str, float]) -> bool:
    """Whether mentions take `word` in on their left at `depth`, by what the word itself says."""
    key = "L" + word
    word_part = cache.get(key)
    if word_part is None:
        word_part = cache[key] = model.edge_score(_edge_word_features("L", word))
    return word_part + model.edge.get("L", 0.0) + model.edge.get(f"Ld={depth}", 0.0) > 0


def extend(tokens: Tokens, i: int, j: int, model: SpanModel, lo: int, hi: int,
           cache: dict[str, float]) -> tuple[int, int]:
    """Token range of a hit [i, j] after taking in the edge words the model accepts, within [lo, hi].
    `cache` keeps the word part of edge scores across calls (one document)."""
    for left in (True, False):
        core = i if left else j
        for depth in range(1, MAX_EDGE + 1):
            k = core - 1 if left else core + 1
            if k < lo or k > hi:
                break
            sep = _edge_sep(tokens, k, core, left)
            if sep is None:
                break
            side = "L" if left else "R"
            key = side + tokens.words[k]
            word_part = cache.get(key)
            if word_part is None:
                word_part = cache[key] = model.edge_score(_edge_word_features(side, tokens.words[k]))
            if word_part + model.edge_score(_edge_context_features(tokens, k, core, side, depth, sep)) <= 0:
                break
            core = k
        if left:
            i = core
        else:
            j = core
    return i, j


def keep_features(tokens: Tokens, i: int, j: int, core: str, flags: Sequence[str], section: str,
                  gen: str, surface: str | None = None) -> list[str]:
    """Features of the candidate span of tokens [i, j] (`core`: the vocabulary hit inside it, `gen`: what
    proposed it: the vocabulary, a list, an abbreviation or coordination; `surface`: the words of a
    discontinuous candidate)."""
    words = tokens.words
    text = tokens.text
    n = len(words)
    surface = surface or " ".join(words[i:j + 1])
    shape = _shape(text[tokens.start(i):tokens.end(i)])
    sep_before = tokens.before(i)
    sep_after = tokens.pieces[2 * j + 2]
    line_start = _line_lead(tokens, i)
    after = sep_after.strip(" \t")
    size = min(j - i + 1, 5)
    f = ["b", f"t={surface}", f"c={core}", f"n={size}", f"sh={shape}", f"sec={section}",
         f"sb={_sep_kind(sep_before)}", f"sa={_sep_kind(sep_after)}", f"g={gen}", f"gn={gen}{size}",
         f"gsh={gen}{shape}"]
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
    f += [f"bw={w}" for w in words[max(0, i - 8):max(0, i - 3)]]  # further back, unordered
    if line_start:
        f.append("ls")
        f.append(f"ls_sh={shape}")
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


def _line_lead(tokens: Tokens, i: int) -> bool:
    """Only bullets, numbering and spaces before token i on its line."""
    k = i
    while k > 0 and "\n" not in tokens.before(k):
        k -= 1
        if not tokens.words[k].isdigit():
            return False
    return True


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
# a known reaction ("glossitis, glossodynia, lip ulceration") and the abbreviations a document defines
# for a reaction ("post-transplant lymphoproliferative disorder (PTLD)").
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


def defined_after(text: str, end: int) -> str | None:
    """The abbreviation a bracket right after text[:end] defines ("... optic neuropathy (NAION)"), if one does."""
    m = _ABBREVIATION.match(text, end)
    return m.group(1) if m and len(m.group(1)) <= 10 else None


def abbreviations(tokens: Tokens, spans: Sequence[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Every use within tokens [lo, hi] of an abbreviation defined right after one of `spans`."""
    text = tokens.text
    defined: set[str] = set()
    for _, b in spans:
        abbreviation = defined_after(text, tokens.end(b))
        if abbreviation:
            defined.add(abbreviation.lower())
    if not defined:
        return []
    out = []
    for abbreviation in defined:
        for key in (f" {abbreviation} ", f" {abbreviation}s "):
            at = tokens.norm.find(key, tokens.norm_starts[lo] - 1)
            while at >= 0:
                k = bisect.bisect_left(tokens.norm_starts, at + 1)
                if k > hi:
                    break
                if text[tokens.start(k)].isupper():
                    out.append((k, k))
                at = tokens.norm.find(key, at + 1)
    return sorted(out)


Pieces = tuple[tuple[int, int], ...]  # token ranges of a discontinuous mention


def coordinated(tokens: Tokens, spans: Sequence[tuple[int, int]], lo: int, hi: int,
                modifier: Callable[[int, int], bool]) -> list[Pieces]:
    """Discontinuous mentions that coordination implies, within tokens [lo, hi]: a modifier shared
    to the right ("increased ALT and AST": "increased" + "AST", from the candidate "increased ALT")
    and a head shared to the left ("skeletal and visceral malformations": "skeletal" +
    "malformations"). `modifier(k, depth)` says whether token k is a word mentions take in on their
    left at that depth (the edge model's word part): the shared piece must be one."""
    words = tokens.words
    starting: dict[int, list[tuple[int, int]]] = {}
    for a, b in spans:
        starting.setdefault(a, []).append((a, b))

    def modifies(first: int, last: int) -> bool:
        return all(modifier(k, last - k + 1) for k in range(first, last + 1)) \
            and all(_plain(tokens.before(k)) for k in range(first + 1, last + 1))

    out: list[Pieces] = []
    for a1, b1 in spans:
        # shared modifier: a candidate "M X", "and"/"or"/",", then a candidate or a word or two
        if b1 == a1:
            continue
        start = _conjunct_start(tokens, b1, hi)
        if start is None:
            continue
        modifiers = [(a1, a1 + m - 1) for m in (1, 2) if a1 + m - 1 < b1 and modifies(a1, a1 + m - 1)]
        if modifiers:
            for a, b in dict.fromkeys(_short_conjuncts(tokens, start, hi) + starting.get(start, [])):
                out += [(m, (a, b)) for m in modifiers]
    for a, b in spans:
        # shared head: "X and Y H", this candidate holding "Y H" or "H" after "Y"
        for y0 in (a, a - 1):
            if not lo <= y0 < b or words[y0] in _ITEM_BREAKS or not _plain(tokens.before(y0 + 1)):
                continue
            for q in _conjunct_ends(tokens, y0, lo):
                for x0 in (q, q - 1):
                    if x0 >= lo and all(words[k].isalpha() and words[k] not in _ITEM_BREAKS for k in range(x0, q + 1)) \
                            and modifies(x0, q):
                        out.append(((x0, q), (y0 + 1, b)))
    return list(dict.fromkeys(out))


def _conjunct_start(tokens: Tokens, k: int, hi: int) -> int | None:
    """Where the conjunct after token k starts: after "and"/"or" (with or without a comma) or a comma."""
    start = k + 1
    if start > hi:
        return None
    sep = tokens.before(start)
    if tokens.words[start] in _CONJUNCTIONS and (_plain(sep) or sep.strip(" \t") == ","):
        start += 1
    elif sep.strip(" \t") not in (",", "/"):
        return None
    return start if start <= hi else None


def _short_conjuncts(tokens: Tokens, start: int, hi: int) -> list[tuple[int, int]]:
    """A conjunct of one or two words from `start`, where it ends the list item (a comma, a bracket,
    a stop, a line break or another conjunction)."""
    words = tokens.words
    out = []
    for end in (start, start + 1):
        if end > hi or words[end] in _ITEM_BREAKS or not words[end].isalpha() \
                or (end > start and not _plain(tokens.before(end))):
            break
        after = tokens.pieces[2 * end + 2]
        if end == len(words) - 1 or _ITEM_END.match(after) or (end + 1 <= hi and words[end + 1] in _CONJUNCTIONS):
            out.append((start, end))
    return out


def _conjunct_ends(tokens: Tokens, k: int, lo: int) -> list[int]:
    """Where the conjunct before token k ends: before "and"/"or" (with or without a comma), or before a comma."""
    words = tokens.words
    ends = []
    if k - 1 >= lo and words[k - 1] in _CONJUNCTIONS and _plain(tokens.before(k)) and k - 2 >= lo:
        sep = tokens.before(k - 1)
        if _plain(sep) or sep.strip(" \t") == ",":
            ends.append(k - 2)
    elif k - 1 >= lo and tokens.before(k).strip(" \t") in (",", "/"):
        ends.append(k - 1)
    return ends
