"""Symptoms, conditions and health goals as patients write them: the mentions a post's reading starts from.

Read over the words of the text, each misspelling corrected (`correct`: "nausious" -> "nauseous"):

  vocabulary  the lay vocabulary of lexicons/lay.py, in one Aho-Corasick pass ("canker sores", "brain fog")
  grammar     a symptom described in the writer's own words (lexicons/lay_grammar.yaml): a body function that
              changed ("lost my appetite", "sleep was disrupted", "weight gain"), a body part and what it did
              or became ("knees hurt", "skin was very sensitive", "swollen ankles"), a state the writer felt
              ("felt drunk"), something the writer could not do ("can't sleep")

Where two overlap the longer wins, the vocabulary on a tie. Each mention is widened to the writer's whole phrase:
degree words on the left ("bit drowsy"), a body part on the right ("pain in my knees").
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import ahocorasick

from materia.lexicons import effects as effect_lexicon
from materia.lexicons import lay
from materia.lexicons.cache import compiled
from materia.lexicons.stopwords import stop_words
from materia.lexicons.surface import normalise, plural_variants
from materia.types import Span

__all__ = ["Mention", "correct", "mentions"]

_WORD = re.compile(r"[^\W_]+")
_JOIN = re.compile(r"[ \t]+|[-/'’]")  # what may lie between the words of one mention
_MAX_CORRECT = 2
_DETERMINERS = frozenset({"some", "any", "a", "an", "the"})
_BEFORE_BODY = frozenset({"my", "the", "both", "his", "her", "left", "right", "lower", "upper", "whole", "entire",
                          "all"})
_SINGULAR = {"feet": "foot", "teeth": "tooth", "calves": "calf"}
_PART_HEADS = frozenset({"area", "areas", "region", "tips", "tip", "joint", "joints", "muscles", "muscle", "bone",
                         "bones", "skin", "line", "lines"})
_EPISODES = frozenset({"attack", "attacks", "episode", "episodes", "spell", "spells", "fit", "fits", "bout", "bouts"})
_AMOUNT_OF = frozenset({"bit", "tons", "ton", "lots", "lot", "alot", "amounts", "amount", "bouts", "bout", "episodes",
                        "episode", "phase", "phases", "feeling", "feelings"})
_PLACE = frozenset({"of", "around", "in", "on", "under", "behind", "at"})
_FEEL = frozenset({"feel", "felt", "feeling", "feels", "feelin"})
_SENTENCE_END = re.compile(r"[.!?;\n]")
_GOT = frozenset({"got", "get", "gets", "getting", "gotten"})
_FALLEN_ILL = frozenset({("sick",), ("ill",)})  # "I got sick" is falling ill, as "I became sick" is (not "I got hot")
_TURNED = frozenset({"became", "become", "becomes", "becoming", "turned", "grew"})  # a change of state: "became ill"
_FEELING_NOUNS = frozenset({"feeling", "feelings", "sensation", "sensations"})
_MADE = frozenset({"made", "makes", "make", "making"})
_NOUN_MODIFIER = re.compile(r"\w+ments?")  # "treatment", "improvements": a noun that can modify the one after it


@dataclass(frozen=True, slots=True)
class Mention:
    """A symptom, condition or goal in a post, widened to the writer's whole phrase ("bit drowsy")."""

    start: int
    end: int
    name: str
    kind: lay.TermKind
    core: Span  # the term or described symptom itself, before widening
    located: bool = False  # widened to the body part it is in ("pain in my legs", "prostate pain")
    described: bool = False  # no vocabulary term: what a body part did or a function became ("ears hurt")


# --- the vocabulary and spelling correction ------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class _Vocabulary:
    automaton: ahocorasick.Automaton
    words: frozenset[str]  # every word of every term
    by_initial: dict[tuple[str, int], tuple[str, ...]]  # vocabulary words by first letter and length
    counts: dict[str, int]
    common_by_initial: dict[tuple[str, int], tuple[str, ...]]  # frequent words of patient text, for the guard
    settled: frozenset[str]  # words `correct` never changes: the vocabulary's and frequent ones, looked up first
    capitals: frozenset[str]  # surfaces named only in capitals: a label's abbreviation ("TEN"), an acronym ("BP")


@functools.lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """Compiled once into the cache (lexicons/cache.py)."""
    return compiled("lay-vocabulary", _build_vocabulary, ("lexicons", "extract/lay_mentions.py",
                                                          Path(ahocorasick.__file__)))


def _build_vocabulary() -> _Vocabulary:
    cues = lay.experience_cues()
    grammar = lay.lay_grammar()
    automaton = ahocorasick.Automaton()
    words: set[str] = set()
    capitals = set(effect_lexicon.label_capitals())
    for surface, term in lay.terms().items():
        if term.source == lay.ACRONYM_SOURCE:
            capitals.add(surface)  # "BP", "RA": matched in capitals only, so a two-letter one is safe
        # an everyday word ("sleep", "skin", "energy") is in only as a goal or condition: a use where the writer
        # says so (extract.experience), never an effect; in either number ("eye drop" is no ptosis, for "eye drops"
        # is a product form)
        elif len(surface) < 3 or (term.kind == "symptom" and not cues.stop_words.isdisjoint(plural_variants(surface))):
            continue
        words.update(surface.split())
        for variant in (owned for plural in plural_variants(surface) for owned in _owned(plural)):
            if variant == surface or automaton.get(f" {variant} ", None) is None:
                automaton.add_word(f" {variant} ", (len(variant), surface))
    automaton.make_automaton()
    # the grammar's words are words a correction may reach too ("appitite" -> "appetite")
    for table in (grammar.functions, grammar.body_predicates, grammar.change_after):
        words.update(w for phrase in table for w in phrase)
    words.update(w for phrase in grammar.feelings for w in phrase)
    counts = lay.word_counts()
    initial: dict[tuple[str, int], list[str]] = {}
    for w in sorted(words):  # in a fixed order: a set's order changes with the process's hash seed
        if len(w) >= 4 and w.isalpha():
            initial.setdefault((w[0], len(w)), []).append(w)
    common: dict[tuple[str, int], list[str]] = {}
    for w, n in counts.items():
        if n >= 5 and len(w) >= 4 and w.isalpha() and w not in words:
            common.setdefault((w[0], len(w)), []).append(w)
    settled = frozenset(words) | {w for w, n in counts.items() if n >= 20}
    return _Vocabulary(automaton, frozenset(words), {k: tuple(v) for k, v in initial.items()}, counts,
                       {k: tuple(v) for k, v in common.items()}, settled, frozenset(capitals))


_OWNERS = ("my", "his", "her", "their", "your")


def _owned(surface: str) -> list[str]:
    """A term and, where it says "the", the writer's way of saying it: "ringing in my ears", "pain in her chest"."""
    padded = f" {surface} "
    if " the " not in padded:
        return [surface]
    return [surface] + [padded.replace(" the ", f" {owner} ").strip() for owner in _OWNERS]


@functools.lru_cache(maxsize=1024)
def _bucket(initial: str, length: int, within: int, common: bool) -> tuple[str, ...]:
    """Vocabulary (or frequent ordinary) words with this first letter and a length within `within`."""
    v = _vocabulary()
    index = v.common_by_initial if common else v.by_initial
    return tuple(w for n in range(length - within, length + within + 1) for w in index.get((initial, n), ()))


_SUFFIXES = ("", "s", "es", "d", "ed", "ing", "ion", "ions", "y", "ly", "n", "ness")


def _inflected(word: str, other: str) -> bool:
    """Whether the two are forms of one stem ("withdrawals" and "withdrawal", "irritating" and "irritation"), not
    two words ("sweets" and "sweats", "lived" and "liver")."""
    return any(word.endswith(a) and other.endswith(b) and word[:len(word) - len(a)] == other[:len(other) - len(b)]
               for a in _SUFFIXES for b in _SUFFIXES if a != b)


@functools.lru_cache(maxsize=65536)
def correct(word: str) -> str:
    """A rare word one or two edits from a vocabulary word ("nausious" -> "nauseous"); else the word itself.

    Guarded against ordinary words: a word of English is only ever another form of its vocabulary word ("peeing"
    is not "peeling"), one written often in patient text is never changed, and the
    correction must be a much more frequent word of the vocabulary (or, for a long word never seen, one letter
    away), with the same first letter."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    v = _vocabulary()
    if word in v.words or len(word) < 5 or not word.isalpha():
        return word
    english = word in lay.english_words()
    own = v.counts.get(word, 0)
    if own >= 20:
        return word
    limit = 1 if len(word) < 8 else _MAX_CORRECT
    close = process.extract(word, _bucket(word[0], len(word), limit, common=False), scorer=Levenshtein.distance,
                            score_cutoff=limit, limit=None)
    if not close:
        return word
    if english:  # a word of English is only ever another form of its vocabulary word ("irritating": irritation)
        close = [c for c in close if _inflected(word, c[0])]
        if not close:
            return word
    best, best_d, _ = min(close, key=lambda c: (c[1], -v.counts.get(c[0], 0), c[0]))
    best_n = v.counts.get(best, 0)
    # a long word never written in the training texts, one letter from a term, is that term ("vaculitis")
    unseen_near = own == 0 and best_d == 1 and len(word) >= 7
    if best_n < max(3, 5 * own) and not unseen_near:
        return word
    # a misspelt ordinary word ("desisions") stays as it is: as near a word written more often than the symptom
    rivals = process.extract(word, _bucket(word[0], len(word), best_d, common=True), scorer=Levenshtein.distance,
                             score_cutoff=best_d, limit=None)
    if any(v.counts.get(common, 0) >= best_n for common, _, _ in rivals):
        return word
    return best


# --- words of the text -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Tokens:
    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]  # lower case, spelling corrected

    def joined(self, i: int, j: int) -> bool:
        """Words i..j are written together (spaces, hyphens, a slash), not across punctuation."""
        return all(_JOIN.fullmatch(self.text, self.ends[k], self.starts[k + 1]) is not None for k in range(i, j))


def _tokens(text: str, lo: int, hi: int) -> _Tokens:
    starts, ends, words = [], [], []
    settled = _vocabulary().settled
    for m in _WORD.finditer(text, lo, hi):
        w = m.group().lower()
        starts.append(m.start())
        ends.append(m.end())
        words.append(w if len(w) < 5 or w in settled else correct(w))
    return _Tokens(text, starts, ends, words)


# first word, last word, name, kind, priority: 0 a vocabulary term, 1 a described change or state, 2 what a body part
# did or became ("knees hurt", "dry lips") or a function changed for the worse ("my personality changed"), 3 an
# everyday word of the vocabulary ("cold", "sleep"), which a state the writer felt outranks ("I feel cold")
_Hit = tuple[int, int, str, lay.TermKind, int]


def mentions(text: str, lo: int = 0, hi: int | None = None) -> list[Mention]:
    """Symptom, condition and goal mentions in text[lo:hi], longest first, never overlapping."""
    hi = len(text) if hi is None else hi
    toks = _tokens(text, lo, hi)
    if not toks.words:
        return []
    named = _vocabulary_hits(toks)
    described = list(_grammar_hits(toks)) + list(_inabilities(toks))
    # a description that ends inside a complaint's longer name is not one: "reduction in mood swings" is a fall of
    # mood swings, not "reduction in mood" and "swings"
    complaints = [(a, b) for a, b, _, kind, _ in named if kind != "benefit" and b > a and toks.joined(a, b)]
    if complaints:
        described = [h for h in described if not any(h[0] < a <= h[1] < b for a, b in complaints)]
    # "wiped out the pain": a verb done to something, not the writer's state ("I was wiped out"); "cutting the pills
    # in half", "strength train": what the writer did, not a complaint or a goal
    hits = [h for h in named + described if not _done_to_something(toks, h[1]) and not _an_activity(toks, h[1])
            # "calm down the acne": a goal's word as a verb with its object
            and not (h[3] == "benefit" and h[1] + 1 < len(toks.words) and toks.joined(h[1], h[1] + 1)
                     and _done_to_something(toks, h[1] + 1))
            and not _weary_of(toks, h[1]) and not _in_a_routine(toks, h[0])]
    # the longest first, the vocabulary's on a tie; then in text order
    hits.sort(key=lambda h: (h[0] - h[1], h[4], h[0]))
    used: set[int] = set()
    chosen: list[_Hit] = []
    symptom_spans = {(h[0], h[1]) for h in described if h[3] == "symptom"}
    for i, j, name, kind, priority in hits:
        covered = range(i, j + 1)
        if not used.intersection(covered) and toks.joined(i, j):
            if kind == "condition" and (i, j) in symptom_spans:
                kind = "symptom"  # "sore breasts": named as a condition somewhere, written as a symptom here
            chosen.append((i, j, name, kind, priority))
            used.update(covered)
    chosen.sort()
    cues = lay.experience_cues()
    # an everyday word right before a symptom is the part the symptom is of ("skin irritation"), not a goal
    chosen = [h for n, h in enumerate(chosen) if not _part_of_neighbour(toks, chosen, n, cues)
              and not _modifies_a_thing(toks, h, cues)]
    chosen = _goal_of_a_part(toks, chosen, cues)
    out: list[Mention] = []
    taken = -1
    parts = cues.body_parts | _grammar().rules.systems
    for n, (i, j, name, kind, priority) in enumerate(chosen):
        if i <= taken:
            continue  # a body part taken into the list before it
        core = Span(toks.starts[i], toks.ends[j])
        nxt = chosen[n + 1][0] if n + 1 < len(chosen) else len(toks.words)
        i2, j2 = _widen(toks, i, j, taken, nxt, kind, cues)
        if kind == "benefit" and i2 - 1 > taken and toks.words[i2 - 1] in _IMPAIRED and toks.joined(i2 - 1, i2):
            # "delayed sexual function", "disrupted immune system": a function impaired is a complaint
            i2, kind, name = i2 - 1, "symptom", f"impaired {name}"
        in_part = toks.words[j2] in cues.body_parts
        # the next complaint's start, a body part the vocabulary holds as an everyday word aside: the parts listed
        # after this one are taken in up to there
        limit = _next_complaint(toks, chosen, n, cues) if in_part else len(toks.words)
        if in_part and kind != "benefit":
            # "achy joints and neck", "rash on my back, neck and face": one complaint of the parts listed
            j2 = _more_parts_named(toks, j2, limit, cues)
        located = any(w in parts for w in toks.words[i2:i] + toks.words[j + 1:j2 + 1])
        out.append(Mention(toks.starts[i2], toks.ends[j2], name, kind, core, located, described=priority == 2))
        taken = j2
        if j2 > j and in_part:
            # "joint pain in neck, back, hips, and jaw": the same complaint in each part the writer lists
            for c in _more_parts(toks, j2 + 1, limit, cues.body_parts):
                out.append(Mention(toks.starts[c], toks.ends[c], name, kind, Span(toks.starts[c], toks.ends[c]), True))
                taken = c
    return out


def _next_complaint(toks: _Tokens, chosen: list[_Hit], n: int, cues: lay.ExperienceCues) -> int:
    """Where the next hit after hit `n` begins, a body part the vocabulary holds as an everyday word aside."""
    return next((h[0] for h in chosen[n + 1:] if h[3] != "benefit" or h[0] != h[1]
                 or toks.words[h[0]] not in cues.body_parts), len(toks.words))


def _more_parts(toks: _Tokens, c: int, limit: int, parts: frozenset[str]) -> Iterator[int]:
    """The body parts listed after the one a complaint is in, up to word `limit`: ", back, hips, and jaw"."""
    words = toks.words
    while 0 < c < limit:
        start = c
        comma = toks.text[toks.ends[c - 1]:toks.starts[c]].strip() == ","
        if words[c] in ("and", "or"):
            c += 1
        elif not comma:
            return
        c = _skip(words, c, _BEFORE_BODY, 2)
        if c >= limit or words[c] not in parts or not toks.joined(start, c):
            return
        yield c
        c += 1


def _part_of_neighbour(toks: _Tokens, chosen: list[_Hit], n: int, cues: lay.ExperienceCues) -> bool:
    """An everyday word that belongs to the symptom beside it: the part a symptom is of ("skin irritation"), or
    where it is after in/on/of ("depression of mood", "pain in my back"), not a goal of its own."""
    i, j, _, kind, _ = chosen[n]
    words = toks.words
    if kind != "benefit" or " ".join(words[i:j + 1]) not in cues.everyday:
        return False
    nxt = chosen[n + 1] if n + 1 < len(chosen) else None
    if nxt is not None and nxt[0] == j + 1 and nxt[3] != "benefit" and toks.joined(j, j + 1):
        return True
    prev = chosen[n - 1] if n else None
    if prev is None or prev[3] == "benefit":
        return False
    k = prev[1] + 1
    if k < i and words[k] in ("in", "on", "of", "around") and toks.joined(prev[1], k):
        k = _skip(words, k + 1, _BEFORE_BODY, 3)
        return k == i and toks.joined(prev[1], i)
    return False


# words that may follow "a rash" or "a weak" without being a noun it modifies: verbs of what a symptom did, modals,
# adverbs (a noun after "a" is singular: a word in -s, -ed, -ing or -ly is read as no noun too)
_NOT_A_NOUN = frozenset({"would", "could", "might", "must", "may", "also", "still", "even", "yet", "everywhere",
                         "again", "later", "soon", "too", "came", "went", "broke", "began", "begun", "grew", "spread",
                         "got", "became", "kept", "took", "made", "hit", "ran", "stuck", "set", "come", "occur",
                         "develop", "appear", "start", "form", "break", "like", "which", "that", "across", "near",
                         "around", "behind", "along", "beneath", "underneath", "inside", "whenever", "every",
                         "mild", "severe", "bad", "worse", "afterwards", "afterward", "overnight", "immediately"})


def _modifies_a_thing(toks: _Tokens, hit: _Hit, cues: lay.ExperienceCues) -> bool:
    """A one-word symptom adjective between "a" and the noun it qualifies names a quality of that thing, not a
    complaint: "a tight schedule", "a weak argument", "a faint shadow" (but "a dry mouth", "a weak feeling", "a dizzy
    spell": a body part, a feeling, an episode; or no noun after it: "a weak and shaky feeling")."""
    i, j, _, kind, _ = hit
    words = toks.words
    if kind != "symptom" or i != j or i == 0 or j + 1 >= len(words) or words[i - 1] not in ("a", "an"):
        return False
    nxt = words[j + 1]
    if not (nxt.isalpha() and toks.joined(j, j + 1) and toks.joined(i - 1, i) and _adjective(words[i], cues)
            and nxt in lay.english_words()):  # a word of English, not a misspelt "epsiode"
        return False
    if nxt.endswith(("s", "ed", "ing", "ly")) or nxt in _NOT_A_NOUN or nxt in stop_words():
        return False
    return not (nxt in cues.body_parts or nxt in _FEELING_NOUNS or nxt in _EPISODES or nxt in _AMOUNT_OF
                or nxt in _PART_HEADS or nxt in _PRODUCT_WORDS or nxt in _vocabulary().words
                or nxt in _grammar().rules.systems)


def _goal_of_a_part(toks: _Tokens, chosen: list[_Hit], cues: lay.ExperienceCues) -> list[_Hit]:
    """A goal adjective written right before a body part that is a goal too is one goal, the part's state: "calm
    stomach" is a settled stomach, not calm and a stomach (but "got my libido back" is no libido of the back)."""
    out: list[_Hit] = []
    for h in chosen:
        prev = out[-1] if out else None
        if prev is not None and prev[3] == "benefit" and h[3] == "benefit" and prev[0] == prev[1] \
                and h[0] == h[1] == prev[1] + 1 and toks.joined(prev[1], h[0]) \
                and toks.words[h[0]] in cues.body_parts and toks.words[prev[0]] not in cues.body_parts \
                and toks.words[prev[0]] not in cues.stop_words and _english_adjective(toks.words[prev[0]]) \
                and toks.text[toks.ends[prev[1]]:toks.starts[h[0]]] == " ":
            out[-1] = (prev[0], h[1], h[2], "benefit", min(prev[4], h[4]))
            continue
        out.append(h)
    return out


def _adjective(word: str, cues: lay.ExperienceCues) -> bool:
    """A symptom word that is an adjective: its noun in -ness is a term too ("tight": "tightness", "foggy":
    "fogginess"), or the cues list it as one ("swollen")."""
    terms = lay.terms()
    return (word in cues.symptom_adjectives or f"{word}ness" in terms
            or (word.endswith("y") and f"{word[:-1]}iness" in terms))


def _english_adjective(word: str) -> bool:
    """A word English makes a noun in -ness of ("calm": "calmness", "healthy": "healthiness")."""
    english = lay.english_words()
    return f"{word}ness" in english or (word.endswith("y") and f"{word[:-1]}iness" in english)


_SPANS_OF_TIME = frozenset({"period", "periods"})  # a word for the menses and for a span of time
# the words around "period" when it is a span of time: what follows ("of twelve hours", "where I ran out"), what
# stands before it (a unit, a kind of wait: "a 72 hour period", "the waiting period", "prolonged periods"; not a bare
# count: "4 periods per year" are menses)
_TIME_AFTER = frozenset({"of", "where", "when", "during", "while"})
_TIME_BEFORE = re.compile(r"[\da-z]+-(?:hours?|days?|weeks?|months?|years?)|hours?|hrs?|days?|weeks?|wks?|"
                          r"months?|years?|yrs?|time|trial|waiting|placebo|titration|tritation|adjustment|prolonged|long|"
                          r"lengthy|extended|brief|stressful|difficult|given|certain|same")


def _of_time(toks: _Tokens, i: int, j: int) -> bool:
    """Whether "period(s)" at words i..j is a span of time: by the word after it or the one before."""
    after = toks.words[j + 1] if j + 1 < len(toks.words) else ""
    if after in _TIME_AFTER and toks.joined(j, j + 1):
        return True
    return bool(i and _TIME_BEFORE.fullmatch(toks.words[i - 1]) and toks.joined(i - 1, i))


def _vocabulary_hits(toks: _Tokens) -> list[_Hit]:
    v = _vocabulary()
    terms = lay.terms()
    stop_words = lay.experience_cues().stop_words
    product_nouns = lay.experience_cues().product_nouns
    named_products: list[tuple[int, int]] = []  # token ranges of complaints that name a kind of product
    norm = " " + " ".join(toks.words) + " "
    norm_starts = list(accumulate((len(w) + 1 for w in toks.words), initial=1))
    hits: list[_Hit] = []
    for end_idx, (length, surface) in v.automaton.iter(norm):
        i = bisect.bisect_left(norm_starts, end_idx - length)
        j = bisect.bisect_right(norm_starts, end_idx - 1) - 1
        term = terms.get(surface)
        if i and toks.words[i - 1] == "anti" and toks.text[toks.ends[i - 1]:toks.starts[i]] in ("-", ""):
            continue  # "anti-histamine", "anti-nausea drugs": a kind of product, not a complaint
        if j + 1 < len(toks.words) and toks.joined(j, j + 1) and (
                toks.words[j + 1] in product_nouns or " ".join(toks.words[i:j + 2]) in stop_words):
            # "other blood pressure medication", "a mood stabilizer": a kind of product, no complaint or goal; "eye
            # drops": the start of a phrase that names none (nor do the words inside: no "blood" goal either)
            named_products.append((i, j))
            continue
        if surface in _FEELING_NOUNS and not (j + 1 < len(toks.words) and toks.words[j + 1] == "of"):
            continue  # "started feeling better": a feeling is named by what it is ("a drugged feeling", "feelings of
            # unworthiness"), never alone
        if _said_of_a_thing(toks.words, i):
            continue  # "it was a nightmare", "this is a pain": what the writer thinks of something, not a complaint
        if surface in v.capitals and not toks.text[toks.starts[i]:toks.ends[j]].isupper():
            continue  # an abbreviation names a concept in capitals: "over the ten years" names no TEN, "add" no ADD
        kind: lay.TermKind = term.kind if term else "symptom"
        priority = 0
        if surface in stop_words:
            if i and _NOUN_MODIFIER.fullmatch(toks.words[i - 1]) and toks.joined(i - 1, i):
                continue  # "the treatment period", "treatment skin care": what the noun before names, not a goal
            if j + 1 < len(toks.words) and toks.text[toks.ends[j]:toks.starts[j + 1]] == "-":
                continue  # "weight-bearing exercise", "skin-care routine": the first half of a compound, no goal
            if surface in _SPANS_OF_TIME and _of_time(toks, i, j):
                continue  # "over a period of twelve hours", "for long periods", "a 72 hour period": time, no menses
            kind, priority = "benefit", 3
        if kind == "symptom" and toks.words[i] == "chronic":
            kind = "condition"  # "chronic fatigue": a long-standing condition, not a new effect
        hits.append((i, j, term.canonical if term else surface, kind, priority))
    if named_products:
        hits = [h for h in hits if not any(i <= h[0] and h[1] <= j for i, j in named_products)]
    return hits


_PARTICLES = frozenset({"out", "up", "down", "off"})
_OBJECT_START = frozenset({"the", "my", "all", "his", "her", "any", "that", "this", "those", "these", "most", "every"})
_THING = frozenset({"it", "this", "that", "which", "everything", "life", "its", "thing"})
_COPULA = frozenset({"is", "was", "s", "been", "be", "were"})
_QUITE = frozenset({"total", "complete", "absolute", "real", "living", "bit", "of", "such", "pure"})


def _done_to_something(toks: _Tokens, j: int) -> bool:
    """Whether a phrase ending at word j with a particle ("wiped out", "knocked out") has an object after it."""
    words = toks.words
    return j + 1 < len(words) and words[j] in _PARTICLES and words[j + 1] in _OBJECT_START and toks.joined(j, j + 1)


def _weary_of(toks: _Tokens, j: int) -> bool:
    """A feeling followed by "of" is weariness of something, not a state of the body: "sick of it", "tired of
    waiting" (but "full of energy" is a goal, named after the "of")."""
    return j + 1 < len(toks.words) and toks.words[j + 1] == "of" and (toks.words[j],) in _grammar().rules.feelings


def _an_activity(toks: _Tokens, j: int) -> bool:
    """Whether the phrase ending at word j is something done: to the product ("cutting the pills in half",
    "splitting tablets") or as exercise ("strength train", "weight training")."""
    words = toks.words
    k = j + 1
    if k < len(words) and words[k] in ("the", "my", "a", "each", "every"):
        k += 1
    return k < len(words) and toks.joined(j, j + 1) and (
        (words[j].endswith("ing") and words[k] in _PRODUCT_WORDS) or (k == j + 1 and words[k] in _TRAINING))


def _in_a_routine(toks: _Tokens, i: int) -> bool:
    """Whether the phrase at word i is part of what the writer does to their body ("Pat skin dry", "after washing
    and drying my face"): a care routine, not a complaint."""
    return any(w in _CARE for w in toks.words[max(0, i - 3):i])


_SUPERLATIVE = frozenset({"the", "most"})
_CARE = frozenset({"wash", "washing", "washed", "cleanse", "cleansing", "cleansed", "pat", "patting", "rinse",
                   "rinsing", "rinsed", "towel"})
_PRODUCT_WORDS = frozenset({"pill", "pills", "tablet", "tablets", "capsule", "capsules", "dose", "doses", "patch",
                            "patches", "medication", "medicine", "meds"})
_TRAINING = frozenset({"train", "training", "trainer", "workout", "workouts", "exercises", "routine"})


def _said_of_a_thing(words: list[str], i: int) -> bool:
    """Whether words[i] begins a noun phrase said of a thing with "is a": "it was a nightmare", "this is a total
    pain", "it's a bit of a headache" (an opinion), where "I had a nightmare" or "it gave me a headache" tell of one."""
    k = i - 1
    while k >= 0 and words[k] in _QUITE:
        k -= 1
    return k >= 2 and words[k] in ("a", "an") and words[k - 1] in _COPULA and words[k - 2] in _THING


# --- symptoms in the writer's own words ------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class _PhraseIndex:
    """Phrases of one word class by first word, longest first."""

    by_first: dict[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def of(cls, phrases: Iterable[tuple[str, ...]]) -> _PhraseIndex:
        index: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            index.setdefault(p[0], []).append(p)
        return cls({k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()})

    def at(self, words: list[str], k: int) -> tuple[str, ...] | None:
        for p in self.by_first.get(words[k], ()):
            if tuple(words[k:k + len(p)]) == p:
                return p
        return None


@dataclass(frozen=True, eq=False)
class _Grammar:
    rules: lay.LayGrammar
    functions: _PhraseIndex
    change_before: _PhraseIndex
    change_after: _PhraseIndex
    absent: _PhraseIndex
    abilities: _PhraseIndex
    predicates: _PhraseIndex
    states: _PhraseIndex
    idioms: _PhraseIndex
    feelings: _PhraseIndex
    body_parts: frozenset[str]


@functools.lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    rules = lay.lay_grammar()
    return _Grammar(rules, _PhraseIndex.of(rules.functions), _PhraseIndex.of(rules.change_before),
                    _PhraseIndex.of(rules.change_after), _PhraseIndex.of(rules.absent),
                    _PhraseIndex.of(rules.abilities), _PhraseIndex.of(rules.body_predicates),
                    _PhraseIndex.of(rules.states), _PhraseIndex.of(rules.idioms), _PhraseIndex.of(rules.feelings),
                    lay.experience_cues().body_parts)


def _skip(words: list[str], k: int, allowed: frozenset[str], most: int,
          adverbs_but: frozenset[str] | None = None) -> int:
    """The first word at or after k that is not one of `allowed`, looking at most `most` words ahead; with
    `adverbs_but`, past adverbs in -ly too ("face became easily red"), except those words ("belly")."""
    n = 0
    while k < len(words) and n < most and (words[k] in allowed or (
            adverbs_but is not None and words[k].endswith("ly") and len(words[k]) > 4 and words[k] not in adverbs_but)):
        k += 1
        n += 1
    return k


def _weight_unit(words: list[str], f: int, units: frozenset[str]) -> int | None:
    """Where the unit of a weight written at words[f] is: "20 lbs", "3kg", a range "10-15 pounds", "5 or 6 kg"."""
    if f >= len(words):
        return None
    if not words[f].isdigit():
        figure = words[f].lstrip("0123456789")
        return f if figure != words[f] and figure in units else None  # "3kg": the unit written onto the figure
    u = f + 1
    if u + 1 < len(words) and words[u] in ("to", "or") and words[u + 1].isdigit():
        u += 2
    elif u < len(words) and words[u].isdigit():  # "10-15": the hyphen is no word
        u += 1
    return u if u < len(words) and words[u] in units else None


def _grammar_hits(toks: _Tokens) -> Iterator[_Hit]:
    g = _grammar()
    rules = g.rules
    words = toks.words
    terms = lay.terms()
    for k in range(len(words)):
        # a change, then the function: "loss of appetite", "lost my appetite", "bitter taste", "gained 20 lbs"
        change = g.change_before.at(words, k)
        if change is not None:
            f = _skip(words, k + len(change), rules.fillers, 4, adverbs_but=frozenset())  # "lost virtually all of my"
            function = g.functions.at(words, f) if f < len(words) else None
            if function is not None:
                direction = rules.change_before[change]
                name = rules.functions[function][direction]
                yield k, f + len(function) - 1, name, "benefit" if name in rules.goals else "symptom", \
                    2 if direction == "bad" else 1
            elif (unit := _weight_unit(words, f, rules.weight_units)) is not None:
                first = k - 1 if k and words[k - 1] == "weight" else k  # "weight gain of 15 lbs"
                yield first, unit, rules.functions[("weight",)][rules.change_before[change]], "symptom", 1
        elif words[k] in ("no", "zero") and k + 1 < len(words):
            function = g.absent.at(words, k + 1)
            if function is not None:  # "no appetite", "zero energy"
                yield k, k + len(function), rules.functions[function]["down"], "symptom", 1
        # a body system and a goal or complaint: "kidney function", "tummy issues", "respiratory system"
        # (a function's own change is the function's: "bowel changes" are stool changes)
        if (words[k] in rules.systems or words[k] in g.body_parts) and k + 1 < len(words) \
                and words[k + 1] in rules.system_heads \
                and not (g.functions.at(words, k) == (words[k],) and g.change_after.at(words, k + 1) is not None):
            yield k, k + 1, f"{words[k]} {words[k + 1]}", rules.system_heads[words[k + 1]], 1
        # an urge: "urge to smoke", "cravings for sweets"
        if words[k] in rules.urges and k + 2 < len(words) and words[k + 1] in ("to", "for"):
            yield k, k + 2, " ".join(words[k:k + 3]), "symptom", 1
        # the function, then its change: "appetite loss", "mood swings", "sleep was disrupted"
        function = g.functions.at(words, k)
        if function is not None:
            p = _skip(words, k + len(function), rules.linking, 4)
            after = g.change_after.at(words, p) if p < len(words) else None
            if after is not None:
                direction = rules.change_after[after]
                name = rules.functions[function][direction]
                yield k, p + len(after) - 1, name, "benefit" if name in rules.goals else "symptom", \
                    2 if direction == "bad" else 1
        # a body part and what it did: "knees hurt", "skin was very sensitive", "hair started to thin"
        if words[k] in g.body_parts:
            # "lips became the most dried": "the" only here, not before a feeling ("felt the bad effects")
            p = _skip(words, k + 1, rules.linking | _SUPERLATIVE, 4, adverbs_but=g.body_parts)
            predicate = g.predicates.at(words, p) if p < len(words) else None
            if predicate is not None:
                noun = rules.body_predicates[predicate]
                yield k, p + len(predicate) - 1, _body_name(terms, words[k], " ".join(predicate), noun), "symptom", 2
                # and what else it did: "skin burned and stung", "knees hurt, were creaking"
                for q, r, other in _coordinated(toks, p + len(predicate)):
                    yield q, r, _body_name(terms, words[k], " ".join(other), rules.body_predicates[other]), "symptom", 2
        # what a body part is, then the part: "itchy scalp", "swollen tender nipples", "dry lips"
        predicate = g.predicates.at(words, k)
        if predicate is not None:
            b = k + len(predicate)
            again = g.predicates.at(words, b) if b < len(words) else None
            if again is not None:
                b += len(again)
            if b + 1 < len(words) and words[b] in _PLACE:  # "drying of the skin", "cracks around my eye"
                b = _skip(words, b + 1, _BEFORE_BODY, 3)
            elif b + 1 < len(words) and words[b] in _BEFORE_BODY:  # what it did to a part: "dried out the skin"
                b = _skip(words, b, _BEFORE_BODY, 3)
            if b < len(words) and words[b] in g.body_parts:
                noun = rules.body_predicates[predicate]
                yield k, b, _body_name(terms, words[b], " ".join(predicate), noun), "symptom", 2
        # a state named: "woozy and drugged", "very edgy"
        state = g.states.at(words, k)
        if state is not None:
            key = " ".join(state)
            term = terms.get(key)
            yield k, k + len(state) - 1, term.canonical if term else key, "symptom", 1
            for q, r, other in _coordinated(toks, k + len(state)):  # "itchy and reddish"
                yield q, r, rules.body_predicates[other], "symptom", 1
        # an everyday phrase for a symptom: "threw up", "passed out", "the runs"
        idiom = g.idioms.at(words, k)
        if idiom is not None:
            yield k, k + len(idiom) - 1, rules.idioms[idiom], "symptom", 1
        # a state felt: "felt drunk", "feeling totally drugged", "felt like a zombie"; or that the writer became:
        # "I became very depressed", "I got so dizzy" (not "I was off it"); or that it made them: "made me dizzy"
        # the writer as subject, or no subject at all at a sentence's start ("Became ill if I drank alcohol")
        became = words[k] in rules.became and ("i" in words[max(0, k - 2):k] or k == 0
                                               or _SENTENCE_END.search(toks.text, toks.ends[k - 1], toks.starts[k]))
        made = words[k] == "me" and k > 0 and words[k - 1] in _MADE
        if words[k] in _FEEL or became or made:
            p = _skip(words, k + 1, rules.linking | {"like", "a", "an", "kind", "of", "sort"}, 4,
                      adverbs_but=frozenset())  # "I got so severely depressed"
            feeling = g.feelings.at(words, p) if p < len(words) else None
            # an ordinary word is a state felt right after feel/felt, not after "getting" ("feel getting cold")
            ordinary = feeling in rules.felt_only and (
                (became and words[k] not in _FEEL | _TURNED and not (feeling in _FALLEN_ILL and words[k] in _GOT))
                or any(w in rules.became for w in words[k + 1:p]))
            if feeling is not None and not ordinary:
                yield p, p + len(feeling) - 1, _feeling_name(terms, feeling), "symptom", 1
        # a state named as a feeling: "a drugged feeling", "a little 'high' feeling", "weird sensation"
        feeling = g.feelings.at(words, k)
        if feeling is not None and k + len(feeling) < len(words) and words[k + len(feeling)] in _FEELING_NOUNS:
            yield k, k + len(feeling), _feeling_name(terms, feeling), "symptom", 1


def _feeling_name(terms: dict[str, lay.LayTerm], feeling: tuple[str, ...]) -> str:
    """The vocabulary's name of a feeling, else the lay grammar's ("felt bad": malaise), else its words."""
    key = " ".join(feeling)
    term = terms.get(key)
    return term.canonical if term else _grammar().rules.feeling_names.get(feeling, key)


def _coordinated(toks: _Tokens, q: int) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """What a body part did or became next, joined to what came before by "and", "or" or a comma ("burned and
    stung", "hurt, were creaking", "itchy and reddish"): each its own complaint, as the writer lists them."""
    g = _grammar()
    words = toks.words
    while 0 < q < len(words):
        start = q
        if words[q] in ("and", "or"):
            q += 1
        elif toks.text[toks.ends[q - 1]:toks.starts[q]].strip() != ",":
            return
        r = _skip(words, q, g.rules.linking, 3)
        other = g.predicates.at(words, r) if r < len(words) else None
        if other is None or not toks.joined(start, r):
            return
        yield r, r + len(other) - 1, other
        q = r + len(other)


def _body_name(terms: dict[str, lay.LayTerm], part: str, predicate: str, noun: str) -> str:
    """The vocabulary's name for "<predicate> <part>" or "<part> <noun>" ("swollen ankles"), else the latter."""
    one = _SINGULAR.get(part) or (part[:-1] if part.endswith("s") and not part.endswith("ss") else part)
    for key in (f"{predicate} {part}", f"{one} {noun}", f"{noun} of {part}", f"{noun} of the {one}",
                f"{noun} in the {one}s", f"{noun} in {one}s"):  # "ear ringing": ringing in the ears
        term = terms.get(key)
        if term is not None:
            return term.canonical
    return f"{one} {noun}"


_CANNOT = frozenset({"cant", "cannot", "couldnt", "unable", "inability", "hard", "harder", "difficult", "trouble",
                     "difficulty", "problem", "problems", "hardly", "barely"})
_CANNOT_AUX = frozenset({"can", "couldn", "could", "won", "wouldn"})
# words that say a function or a goal is impaired ("delayed sexual function"); falls ("decreased libido") are the
# vocabulary's own terms
_IMPAIRED = frozenset({"delayed", "disrupted", "impaired", "diminished", "poor", "weakened", "compromised",
                       "disturbed", "interrupted", "inhibited"})


_INABILITY_FILLERS = frozenset({"to", "with", "in", "of", "get", "getting", "any", "a", "good", "proper", "enough",
                                "time",
                                "much", "decent", "normally", "properly", "even", "for", "me"})  # "hard for me to"


def _inabilities(toks: _Tokens) -> Iterator[_Hit]:
    """"can't sleep", "couldn't eat", "unable to walk", "hard to get proper sleep": the vocabulary's "difficulty
    sleeping" where it has one, else "inability to <verb>"."""
    terms = lay.terms()
    abilities = _grammar().abilities
    words = toks.words
    for k, w in enumerate(words[:-1]):
        not_able = w == "able" and k > 0 and words[k - 1] in ("not", "t", "never")  # "not able to", "wasn't able to"
        if w not in _CANNOT and not not_able and not (w in ("t", "not") and k and words[k - 1] in _CANNOT_AUX):
            continue
        first = k - 1 if w in ("t", "not") or (w in ("barely", "hardly") and k and words[k - 1] in _CANNOT_AUX) else k
        if not_able:
            first = k - 2 if words[k - 1] == "t" and k > 1 else k - 1
        v = _skip(words, k + 1, _INABILITY_FILLERS, 3)
        if v >= len(words):
            continue
        verb = words[v]
        stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
        term = next((terms[key] for key in (f"difficulty {stem}ing", f"difficulty {verb}", f"trouble {stem}ing",
                                            f"inability to {verb}", f"difficulty {verb}ing") if key in terms), None)
        if term is not None:
            yield first, v, term.canonical, term.kind, 1
            continue
        # an ability may begin with a filler word: "couldn't get out of bed"
        at, ability = next(((a, found) for a in range(k + 1, v + 1) for found in [abilities.at(words, a)] if found),
                           (v, None))
        v = at
        if ability is not None:
            # not able to sleep in any words is insomnia ("couldn't fall asleep", "hard time going back to sleep")
            name = "insomnia" if ability[-1] in ("sleep", "asleep") else "inability to " + " ".join(ability)
            yield first, v + len(ability) - 1, name, "symptom", 1


def _widen(toks: _Tokens, i: int, j: int, left_limit: int, right_limit: int, kind: lay.TermKind,
           cues: lay.ExperienceCues) -> tuple[int, int]:
    """Take in degree words on the left ("bit drowsy") and a body part on the right ("pain in my knees")."""
    words, text = toks.words, toks.text
    if kind != "benefit":
        # how much or in what bouts: "bit of drowsiness", "tons of breakthrough bleeding", "bouts of diarrhoea",
        # "feelings of unworthiness"
        if i - 2 > left_limit and words[i - 1] == "of" and words[i - 2] in _AMOUNT_OF and toks.joined(i - 2, i):
            i -= 2
        k = 0
        # degree words and the body part the symptom is of: "bit drowsy", "severe skin irritation"
        while k < 3 and i - 1 > left_limit and toks.joined(i - 1, i) \
                and (words[i - 1] in cues.modifiers_left or _degree_adverb(words[i - 1], cues.modifiers_left)
                     or ((words[i - 1] in cues.body_parts or words[i - 1] in _grammar().rules.systems) and k == 0)) \
                and not (words[i - 1] == "more" and i > 1 and words[i - 2] in ("no", "any")):  # "no more headaches"
            i -= 1
            k += 1
        while i < j and words[i] in _DETERMINERS:
            i += 1  # "some nausea": the span is the symptom and its degree words ("very itchy"), not a determiner
    # "anxiety attacks", "dizzy spells", "stinging sensation": the episodes or the sensation of a symptom
    if j + 1 < right_limit and (words[j + 1] in _EPISODES or (kind == "symptom" and words[j + 1] in _FEELING_NOUNS)) \
            and toks.joined(j, j + 1):
        j += 1
    # "<symptom> in/on my <body part>"
    b = j + 1
    if b + 1 < right_limit and words[b] in ("in", "on", "of", "around", "behind", "under", "near") \
            and text[toks.ends[j]:toks.starts[b]].strip() == "":
        c = b + 1
        while c < right_limit and c < b + 4 and words[c] in _BEFORE_BODY:
            c += 1
        if c < right_limit and (words[c] in cues.body_parts or words[c] in cues.stop_words) \
                and "\n" not in text[toks.ends[j]:toks.starts[c]] \
                and not re.search(r"[.,;!?]", text[toks.ends[j]:toks.starts[c]]):
            j = c
    # a part named in two words: "eye area", "knee joints", "finger tips" (the second word may be an everyday word
    # the vocabulary holds: it is taken into this complaint)
    if kind != "benefit" and words[j] in cues.body_parts:
        while j + 1 < len(words) and words[j + 1] in _PART_HEADS and toks.joined(j, j + 1):
            j += 1
    return i, j


def _ends_with_and(toks: _Tokens, k: int, right_limit: int, cues: lay.ExperienceCues) -> bool:
    """Whether the body part at `k`, after a comma, is in a list of parts that "and" or "or" ends ("back, neck and
    face"): a comma alone may as well begin the next complaint ("rash on my back, stomach cramps")."""
    words, text = toks.words, toks.text
    while k + 2 < right_limit:
        gap = text[toks.ends[k]:toks.starts[k + 1]]
        if words[k + 1] in ("and", "or") and gap.strip() == "":
            return words[k + 2] in cues.body_parts
        if gap.strip() != "," or words[k + 1] not in cues.body_parts:
            return False
        k += 1
    return False


def _degree_adverb(word: str, modifiers: frozenset[str]) -> bool:
    """An adverb made of a degree word ("severely", "constantly", "terribly", "uncontrollably"): a degree word too."""
    return len(word) > 4 and word.endswith("ly") and (
        word[:-2] in modifiers or word[:-1] + "e" in modifiers or word[:-3] + "y" in modifiers)


def _more_parts_named(toks: _Tokens, j: int, right_limit: int, cues: lay.ExperienceCues) -> int:
    """The last body part of "<part> and/or// <part>" and "<part>, <part> and <part>" after the part at `j`
    ("achy joints and neck", "rash on my back, neck and face"), where that list of parts ends the phrase (not
    "sore throat and stomach ache", where the next part begins a complaint of its own)."""
    words, text = toks.words, toks.text
    while j + 1 < right_limit:
        k = j + 1
        gap = text[toks.ends[j]:toks.starts[k]].strip()
        if words[k] in ("and", "or") and gap == "":
            k += 1
        elif gap not in (",", "/", "&") or "\n" in text[toks.ends[j]:toks.starts[k]]:
            break
        elif gap == "," and not _ends_with_and(toks, k, right_limit, cues):
            break  # a comma alone may begin the next complaint ("rash on my back, stomach cramps")
        while k < right_limit and words[k] in ("my", "the", "his", "her", "both"):
            k += 1
        if k >= right_limit or words[k] not in cues.body_parts:
            break
        if k + 1 < right_limit and not text[toks.ends[k]:toks.starts[k + 1]].strip() \
                and words[k + 1] not in ("and", "or"):
            break  # "stomach ache": the part begins a complaint of its own
        j = k
    return j


def core_words(text: str, m: Mention) -> str:
    """The normalised words of the mention's term, before widening."""
    return normalise(text[m.core.start:m.core.end])
