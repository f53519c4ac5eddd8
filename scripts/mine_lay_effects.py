#!/usr/bin/env python3
"""Would a vocabulary mined from DrugLib training reviews find more effects? Cross-validates the miner, ships nothing.

Weak supervision. A DrugLib review has a free-text side-effects field (what the writer suffered), a benefits field
and a comments field, and a severity rating of its side effects ("No Side Effects" ... "Extremely Severe Side
Effects"). A phrase that reviewers write in the side-effects field of reviews that had side effects, and seldom
anywhere else (the benefits and comments fields, the side-effects field of reviews that had none), would be a way
patients name an effect. Only phrases materia's lay vocabulary and grammar do not already find are candidates:

  fragments   each side-effects field is cut at punctuation and at "and", "or", "but"; the words of a fragment
              that no mention of extract.lay_mentions covers (spelling corrected as the extractor corrects it)
  candidates  runs of one to four such words, neither first nor last a stop word (lexicons/stopwords.txt), no
              digit, no word the side-effects fields of reviews *without* side effects often have (the words of
              "no side effects noticed": computed, not listed); with --beside-effects, only a whole fragment
              (degree words before it left out) next to a fragment the vocabulary covers
  kept        a candidate written in the side-effects field of `min_reviews` or more reviews with side effects,
              and with a share of at least `min_share` among all the fields that have it (each review counted
              once per field)

5-fold cross-validation over the training reviews (folds by review order): terms are learned on four folds; on
the fifth, a *find* is a side-effects fragment (of a review with side effects) that the vocabulary left uncovered
and that holds a learned term, a *false hit* is a benefits fragment, or a side-effects fragment of a review without
side effects, that holds one where the vocabulary finds nothing. A pair of thresholds qualifies when false hits are
at most `--max-false` (default 0.15, the extractor's own error rate on held-out posts) of all hits.

Result (drugLibTrain_raw.tsv, 3,107 reviews, 3,559 uncovered side-effects fragments): no pair qualifies. The most
finds are 164 (4.6 %) with 306 false hits (65 % of hits; 2 reviews, share 0.6); at the strictest pairs both run
to zero, false hits never below half the hits; --beside-effects finds at most 21 (0.6 %) with 25 false hits.
What reviewers write in side-effects fields and nowhere else is mostly how they speak of side effects
("worst side effect", "bothersome", "started experiencing"), and the complaints the vocabulary misses are written
once each: the DrugLib fragments two reviewers share are already in lay_terms.tsv (scripts/build_lay_lexicon.py).
So no mined vocabulary is shipped.

Only drugLibTrain_raw.tsv is read: the development and held-out sets are drawn from the test file.

Run from the project root:  PYTHONPATH=src python scripts/mine_lay_effects.py [--shared ../shared] [--beside-effects]
Deterministic: no randomness, no network; exits 1 when no pair qualifies.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"[^\W_]+")
_BREAK = re.compile(r"[,.;:()!?\n\r\"]|\b(?:and|or|but)\b", re.IGNORECASE)
_HAD = ("Mild Side Effects", "Moderate Side Effects", "Severe Side Effects", "Extremely Severe Side Effects")
_NONE = "No Side Effects"
_MOST_WORDS = 4
_FRAGMENT_WORDS = 6
_FOLDS = 5
GRID_REVIEWS = (2, 3, 4, 5, 6)
GRID_SHARE = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(frozen=True, slots=True)
class Review:
    had_effects: bool  # rated as having had side effects
    no_effects: bool  # rated "No Side Effects"
    side: str
    benefits: str
    comments: str


@dataclass(frozen=True, slots=True)
class Field:
    """One field's words (corrected as the extractor corrects them), its fragments as word ranges, and which words
    the base vocabulary and grammar already cover."""

    words: tuple[str, ...]
    fragments: tuple[tuple[int, int], ...]
    covered: frozenset[int]


def reviews(path: Path) -> list[Review]:
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\d+\t", text)] + [len(text)]
    out = []
    for a, b in pairwise(starts):
        cells = text[a:b].split("\t")
        if len(cells) >= 9:
            side, benefits, comments = (c.strip().strip('"') for c in (cells[7], cells[6], cells[8]))
            out.append(Review(cells[4] in _HAD, cells[4] == _NONE, side, benefits, comments))
    return out


def read_field(text: str) -> Field:
    from materia.extract import lay_mentions

    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    words = tuple(lay_mentions.correct(text[a:b].lower()) for a, b in spans)
    found = lay_mentions.mentions(text)
    covered = frozenset(k for k, (a, b) in enumerate(spans) if any(m.start < b and a < m.end for m in found))
    fragments: list[tuple[int, int]] = []
    i = 0
    for k in range(1, len(spans) + 1):
        if k == len(spans) or _BREAK.search(text, spans[k - 1][1], spans[k][0]) or words[k - 1] in ("and", "or", "but"):
            first = i + (words[i] in ("and", "or", "but"))
            if first < k:
                fragments.append((first, k))
            i = k
    return Field(words, tuple(fragments), covered)


def grams(field: Field, uncovered: bool, stop: frozenset[str], meta: frozenset[str]) -> set[str]:
    """The candidate phrases of a field: runs of words inside one fragment (uncovered ones, if asked)."""
    out: set[str] = set()
    for a, b in field.fragments:
        for i in range(a, b):
            for j in range(i, min(b, i + _MOST_WORDS)):
                if uncovered and j in field.covered:
                    break
                w = field.words[i:j + 1]
                if w[0] in stop or w[-1] in stop or any(x in meta or not x.isalpha() for x in w) or len(w[-1]) < 3:
                    continue
                out.add(" ".join(w))
    return out


@dataclass(frozen=True, slots=True)
class Read:
    """A review's fields read once."""

    review: Review
    side: Field
    others: tuple[Field, ...]


def meta_words(read: list[Read], share: float = 0.02) -> frozenset[str]:
    """Words written in the side-effects field of at least `share` of the reviews without side effects: how
    reviewers say they had none ("side", "effects", "noticed", "experienced"), never a complaint."""
    none = [r for r in read if r.review.no_effects]
    counts: Counter[str] = Counter()
    for r in none:
        counts.update(set(r.side.words))
    return frozenset(w for w, n in counts.items() if n >= share * len(none))


_LEAD = frozenset({"some", "a", "an", "the", "very", "mild", "slight", "minor", "occasional", "severe", "extreme",
                   "constant", "bad", "terrible", "major", "little", "bit", "of", "more", "less", "much", "my",
                   "extremely", "really"})


def beside_effects(field: Field, stop: frozenset[str], meta: frozenset[str]) -> set[str]:
    """Whole uncovered fragments (degree words before them left out) next to a fragment the vocabulary covers:
    the unnamed item of a list of named complaints ("nausea, rage, headaches")."""
    out: set[str] = set()
    frs = field.fragments
    for n, (a, b) in enumerate(frs):
        if any(k in field.covered for k in range(a, b)):
            continue
        while a < b and field.words[a] in _LEAD:
            a += 1
        w = field.words[a:b]
        if not 1 <= len(w) <= _MOST_WORDS or w[0] in stop or w[-1] in stop \
                or any(x in meta or not x.isalpha() for x in w):
            continue
        if any(any(k in field.covered for k in range(c, d)) for c, d in (frs[m] for m in (n - 1, n + 1)
                                                                         if 0 <= m < len(frs))):
            out.add(" ".join(w))
    return out


@dataclass(frozen=True, slots=True)
class Counts:
    side: Counter[str]  # side-effects fields of reviews with side effects, uncovered candidates
    other: Counter[str]  # every other field holding the phrase at all


def count(read: Iterable[Read], stop: frozenset[str], meta: frozenset[str], beside: bool = False) -> Counts:
    side: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for r in read:
        if r.review.had_effects:
            side.update(beside_effects(r.side, stop, meta) if beside else grams(r.side, True, stop, meta))
        elif r.review.no_effects:
            other.update(grams(r.side, False, stop, meta))
        for f in r.others:
            other.update(grams(f, False, stop, meta))
    return Counts(side, other)


def kept(counts: Counts, min_reviews: int, min_share: float) -> set[str]:
    return {g for g, n in counts.side.items()
            if n >= min_reviews and n / (n + counts.other[g]) >= min_share}


def _phrases_in(field: Field, a: int, b: int, terms: set[str]) -> Iterator[str]:
    """The terms written in words a..b of a field that the base vocabulary leaves uncovered."""
    for i in range(a, b):
        for j in range(i, min(b, i + _MOST_WORDS)):
            if j in field.covered:
                break
            g = " ".join(field.words[i:j + 1])
            if g in terms:
                yield g


def score(read: Iterable[Read], terms: set[str]) -> tuple[int, int, int]:
    """(uncovered side-effects fragments of reviews with side effects, of them holding a term, false hits: benefits
    fragments, and side-effects fragments of reviews without side effects, holding a term where nothing else is)."""
    uncovered = finds = false = 0
    for r in read:
        if r.review.had_effects:
            for a, b in r.side.fragments:
                if b - a <= _FRAGMENT_WORDS and not any(k in r.side.covered for k in range(a, b)):
                    uncovered += 1
                    finds += any(True for _ in _phrases_in(r.side, a, b, terms))
        fields = list(r.others[:1]) + ([r.side] if r.review.no_effects else [])  # benefits; side when none
        for f in fields:
            false += sum(any(True for _ in _phrases_in(f, a, b, terms)) for a, b in f.fragments)
    return uncovered, finds, false


def cross_validate(read: list[Read], stop: frozenset[str], max_false: float,
                   beside: bool) -> tuple[tuple[int, float] | None, list[str]]:
    """The (min_reviews, min_share) pair with most finds whose false hits are at most `max_false` of all hits
    over five folds (None if no pair), and the table of every pair."""
    folds = [read[k::_FOLDS] for k in range(_FOLDS)]
    totals: dict[tuple[int, float], list[int]] = {(n, s): [0, 0, 0] for n in GRID_REVIEWS for s in GRID_SHARE}
    for k in range(_FOLDS):
        train = [r for j, f in enumerate(folds) if j != k for r in f]
        meta = meta_words(train)
        counts = count(train, stop, meta, beside)
        for (n, s), tally in totals.items():
            for i, v in enumerate(score(folds[k], kept(counts, n, s))):
                tally[i] += v
    table = []
    best: tuple[int, float] | None = None
    for (n, s), (uncovered, finds, false) in totals.items():
        hits = finds + false
        ok = hits and false / hits <= max_false
        table.append(f"min_reviews {n}  min_share {s:.2f}  finds {finds}/{uncovered} ({finds / max(1, uncovered):.3f})"
                     f"  false hits {false}  ({false / max(1, hits):.3f} of hits){'' if ok else '  -'}")
        if ok and (best is None or finds > totals[best][1]):
            best = (n, s)
    return best, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--max-false", type=float, default=0.15)
    parser.add_argument("--beside-effects", action="store_true",
                        help="candidates only where a whole fragment is one, beside a fragment the vocabulary covers")
    args = parser.parse_args()

    from materia.lexicons.stopwords import stop_words

    stop = stop_words()
    read = [Read(r, read_field(r.side), (read_field(r.benefits), read_field(r.comments)))
            for r in reviews(args.shared / "corpora" / "druglib_reviews" / "drugLibTrain_raw.tsv")]
    best, table = cross_validate(read, stop, args.max_false, args.beside_effects)
    print("\n".join(table))
    if best is None:
        raise SystemExit(f"no threshold pair keeps false hits at most {args.max_false} of hits: nothing to ship")
    print(f"chosen: min_reviews {best[0]}, min_share {best[1]}")


if __name__ == "__main__":
    main()
