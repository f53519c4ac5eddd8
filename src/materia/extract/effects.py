"""Adverse effects and red-flag symptoms.

Candidates come from one Aho-Corasick automaton over a token-normalised copy of the text
(lower case, every run of non-alphanumerics one space), so every hit sits on word
boundaries and the longest leftmost match wins; a hit never spans a comma, bracket or
sentence stop. The section decides first: adverse-reaction, warning and precaution sections
hold side effects; nonclinical (animal), overdosage, interactions, product, pharmacokinetic,
contraindication and reference sections never do, nor do a label's indications and clinical
studies (conditions treated or under study); elsewhere a candidate counts only in side-effect
context (an effect heading, or a sentence with an effect cue). A clause presenting it as what
the substance is used for or as the patient's condition rules it out. Negation, hypothetical
and serious follow ConText-style cues scoped to the clause.

On drug labels (Document.kind "label"), in adverse-reaction, warning and precaution sections,
a learned span model (extract/effect_spans.py, trained on the TAC 2017 ADR labels) decides
instead of the cue rules: it moves mention edges ("protozoal infections", not "severe nausea"),
proposes list items and defined abbreviations beyond the vocabulary, and keeps a candidate
from the words around it, its place on the line and the same cues, read as features.

Red flags come only from stop-and-get-help wording, wherever it stands: a sentence that says
to seek medical or emergency help, or to call a doctor right away or after stopping the
product, the list such a sentence opens ("Call your doctor right away if you have:"), and the
paragraphs under a heading that says so. A sentence listing side effects ("common side effects
include ...") gives effects, never red flags. On labels the red flags are the vocabulary hits in
that scope, not what the span model keeps: a symptom to act on ("fever, bruising") need not be
what the labels' annotators call an adverse reaction.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from materia.extract.conditions import under_study
from materia.extract.effect_spans import (
    Pieces,
    SpanModel,
    Tokens,
    abbreviations,
    coordinated,
    defined_after,
    extend,
    keep_features,
    left_word,
    list_items,
    tokenise,
)
from materia.extract.parse import Parsed
from materia.lexicons import effects as lexicon
from materia.lexicons.cache import compiled
from materia.lexicons.surface import normalise, plural_variants
from materia.types import Effect, RedFlag, Section, Span

# What a section's type lets it hold. Labels' sections are typed from their LOINC codes, other
# documents' from heading words, so "usage" and "clinical studies" (conditions under study or treated)
# rule out effects on labels only; an article's "Research" section may well report side effects.
# Overdosage is left out on purpose: what too much does is not a side effect of the product as used.
EFFECT_SECTIONS = frozenset({"side_effects", "warnings", "boxed_warning", "precautions"})
NO_EFFECT_SECTIONS = frozenset({"nonclinical", "overdosage", "interactions", "product", "pharmacokinetics",
                                "contraindications", "references", "disclaimer", "boilerplate"})
# a label's indications and trials (conditions treated or studied), and its mechanism of action (the disease it
# treats: "elevated LDL-C promotes atherosclerosis")
_LABEL_NO_EFFECT = frozenset({"usage", "clinical_studies", "mechanism"})
_JOINERS = frozenset({" ", "-", "  "})
_NOT_IN_HEADING = re.compile(r"[.!?;:•*]")
# a mention that is a heading ("5.2 Infusion Reactions   Infusion-related ...") names a topic, not an event
_HEADING_BEFORE = re.compile(r"(?:^|\n|(?<![*•·▪◦\s-])[ \t]{3,}|#[ \t]*)(?:\d+(?:\.\d+)*[ \t]+)?(?:[A-Z][\w-]*[ \t]+){0,3}$")  # noqa: E501
_HEADING_AFTER = re.compile(r"[ \t]*(?:\n|$|[ \t]{2,}(?=[A-Z][\w-]*[ \t]+[a-z]))")
# a use or patient cue does not reach across a verb or a list opener ("patients with X treated with Y are Z")
_CUE_BREAK = re.compile(r"\b(?:are|is|were|was|include[sd]?|including|such as|reported|occurred|experienced|"
                        r"develop(?:ed|s)?|e\.g)\b|[:(]", re.IGNORECASE)
_LIST_GAP = re.compile(r"[\s,/&]*(?:(?:and|or|and/or|nor)\b[\s,]*)?$", re.IGNORECASE)  # match(): anchored
# punctuation that ends a clause; cue words that do ("but", "however") are in the cue lists
_CLAUSE_STOP = re.compile(r"[;.!?()\[\]]")
# a sentence that opens a list: "... if you have:", "... right away if you get"
_LEAD_IN = re.compile(r"(?::|\b(?:if|have|has|get|develop|notice|experience|following|include|includes|"
                      r"including))\W*$", re.IGNORECASE)
_BULLET = re.compile(r"(?:[•*\-–·▪◦]|\d{1,2}[.)])\s")
_INNER_STOP = re.compile(r"[.!?]\s+\S")
_MAX_LIST_ITEMS = 40
# a mention may not span these: "decreased, lymphocyte count" is two list items
_BAD_JOIN = re.compile(r"[,;:()\[\]{}!?]|\.\s")


Hit = tuple[int, int, str]  # first token, last token, canonical name ("" for a blocker)


@dataclass(frozen=True, eq=False)
class Matcher:
    """Word-bounded vocabulary hits in a text; on labels, the learned span model where it was learned."""

    automaton: ahocorasick.Automaton
    left_words: frozenset[str] = frozenset()  # words a mention takes in from its left ("acute", "local")
    right_words: frozenset[str] = frozenset()  # and from its right ("infection" after "jc virus")
    model: SpanModel | None = None  # label adverse-reaction text: learned edges and keep decision

    @classmethod
    def build(cls, vocabulary: Mapping[str, str], skip: Iterable[str] = (),
              left_words: Iterable[str] = (), right_words: Iterable[str] = (),
              model: SpanModel | None = None) -> Matcher:
        cues = lexicon.cues()
        drop = {normalise(s) for s in skip} | {normalise(s) for s in cues.stop_terms}
        automaton = ahocorasick.Automaton()
        for surface, canonical in vocabulary.items():
            key = normalise(surface)
            first, _, rest = key.partition(" ")
            if not key or key in drop or len(key) < 3 or (rest and first in cues.modifiers):
                continue
            for variant in plural_variants(key):
                # existing keys win: curated and exact forms before generated plurals
                if variant not in drop and (automaton.get(f" {variant} ", None) is None or variant == key):
                    automaton.add_word(f" {variant} ", (len(variant), canonical))
        for blocker in cues.blockers:
            automaton.add_word(f" {normalise(blocker)} ", (len(normalise(blocker)), ""))
        if len(automaton) == 0:
            automaton.add_word(" \x00 ", (1, ""))
        automaton.make_automaton()
        return cls(automaton, frozenset(left_words), frozenset(right_words), model)

    def raw_hits(self, tokens: Tokens) -> list[Hit]:
        """Every vocabulary hit, overlapping ones too, sorted by first token, longest first."""
        if not tokens.words:
            return []
        pieces = tokens.pieces
        hits: list[Hit] = []
        for end_idx, (length, canonical) in self.automaton.iter(tokens.norm):
            i, j = tokens.span_of(end_idx - length, end_idx - 1)  # the key's first and last characters
            if j > i and canonical and any(_BAD_JOIN.search(pieces[2 * k]) for k in range(i + 1, j + 1)):
                continue  # blockers (canonical "") may: "Respiratory, thoracic and mediastinal disorders"
            hits.append((i, j, canonical))
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        return hits

    def select(self, tokens: Tokens, hits: list[Hit], first: int = 0, last_token: int | None = None) -> list[Hit]:
        """Longest leftmost non-overlapping hits, blockers included, with the learned side words; the side words
        from tokens [first, last_token] only, as if the text were those tokens alone."""
        words, pieces = tokens.words, tokens.pieces
        end = len(words) if last_token is None else last_token + 1
        out: list[Hit] = []
        last = first - 1
        for i, j, canonical in hits:
            if i > last:
                # take in learned left modifiers ("acute renal failure"), never across punctuation
                k = 0
                while k < 3 and i - 1 > last and words[i - 1] in self.left_words and pieces[2 * i] in _JOINERS:
                    i -= 1
                    k += 1
                k = 0
                while k < 2 and j + 1 < end and words[j + 1] in self.right_words \
                        and pieces[2 * j + 2] in _JOINERS:
                    j += 1
                    k += 1
                out.append((i, j, canonical))
                last = j
        return out

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) in `text` offsets, sorted, non-overlapping."""
        tokens = tokenise(text)
        return [(tokens.start(i), tokens.end(j), c) for i, j, c in self.select(tokens, self.raw_hits(tokens)) if c]


@functools.lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The matcher of the shipped vocabularies and span model, compiled once into the cache (lexicons/cache.py)."""
    return compiled("effect-matcher", _default_matcher,
                    ("lexicons", "extract/effects.py", "extract/effect_spans.py", Path(ahocorasick.__file__)))


def _default_matcher() -> Matcher:
    edge, keep, bias = lexicon.span_model_weights()
    return Matcher.build(lexicon.vocabulary(), left_words=lexicon.tac_side_words("left"),
                         right_words=lexicon.tac_side_words("right"), model=SpanModel(edge, keep, bias))


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str
    first: int  # first and last token
    last: int
    sentence: Span | None
    sentence_first: int  # first and last token of the sentence, first of the clause
    sentence_last: int
    clause: int
    use: bool  # what the substance is used for
    condition: bool  # the patient's condition ("patients with X"); in a red-flag sentence "if you have X" is a symptom
    red_flag: bool
    effect_context: bool
    negated: bool
    hypothetical: bool
    learned: bool = False  # kept by the learned span model, which read the cues above itself
    parts: tuple[tuple[int, int], ...] = ()  # a discontinuous mention's pieces


@functools.lru_cache(maxsize=1)
def _cue_automaton() -> ahocorasick.Automaton:
    """Every cue phrase as a word sequence, valued (key length, kinds)."""
    kinds: dict[str, set[str]] = {}
    for kind, phrases in lexicon.cues().phrases.items():
        for phrase in phrases:
            key = normalise(phrase)
            if key:
                kinds.setdefault(f" {key}" if kind in lexicon.PREFIX_KINDS else f" {key} ", set()).add(kind)
    automaton = ahocorasick.Automaton()
    for key, found in kinds.items():
        automaton.add_word(key, (len(key), key.endswith(" "), frozenset(found)))
    automaton.make_automaton()
    return automaton


class _CueIndex:
    """Where each kind of cue occurs in one text, as token ranges sorted by first token."""

    def __init__(self, tokens: Tokens) -> None:
        found: list[tuple[int, int, frozenset[str]]] = []
        for end_idx, (length, exact, kinds) in _cue_automaton().iter(tokens.norm):
            found.append((*tokens.span_of(end_idx - length + 2, end_idx - 1 if exact else end_idx), kinds))
        found.sort()
        self.firsts: dict[str, list[int]] = {}
        self.lasts: dict[str, list[int]] = {}
        for i, j, kinds in found:
            for kind in kinds:
                self.firsts.setdefault(kind, []).append(i)
                self.lasts.setdefault(kind, []).append(j)

    def ranges(self, kind: str, lo: int, hi: int) -> Iterable[tuple[int, int]]:
        """Cues of `kind` lying within tokens [lo, hi]."""
        firsts = self.firsts.get(kind)
        if not firsts:
            return
        lasts = self.lasts[kind]
        k = bisect.bisect_left(firsts, lo)
        while k < len(firsts) and firsts[k] <= hi:
            if lasts[k] <= hi:
                yield firsts[k], lasts[k]
            k += 1

    def within(self, kind: str, lo: int, hi: int) -> bool:
        return next(iter(self.ranges(kind, lo, hi)), None) is not None


def _clause_breaks(tokens: Tokens, cue_index: _CueIndex) -> list[int]:
    """Tokens that start a clause: after ; . ! ? or a bracket, and after "but", "however", ..."""
    breaks = [bisect.bisect_right(tokens.starts, m.start()) for m in _CLAUSE_STOP.finditer(tokens.text)]
    breaks += [j + 1 for _, j in cue_index.ranges("terminators", 0, len(tokens.words))]
    breaks.sort()
    return breaks


def _headings(text: str) -> list[tuple[int, str]]:
    """(offset, title) of lines that look like headings: short, alone, no sentence punctuation
    (markdown "#" and "**" allowed, a trailing colon too), at most ten words."""
    out = []
    pos = 0
    for line in text.split("\n")[:-1]:  # a heading line ends with a line break
        start = pos
        pos += len(line) + 1
        title = line.lstrip(" \t")
        if title.startswith("#"):
            title = title.lstrip("#").lstrip(" \t")
        title = title.removeprefix("**")
        title = title.rstrip(" \t")
        title = title.removesuffix(":")
        title = title.removesuffix("**")
        title = title.rstrip(" \t")
        if 2 <= len(title) <= 79 and "A" <= title[0] <= "Z" and not _NOT_IN_HEADING.search(title) \
                and len(title.split()) <= 10:
            out.append((start + line.index(title), title))
    return out


def _regions(heads: list[tuple[int, str]], length: int, pattern: re.Pattern[str]) -> list[Span]:
    """Spans from a heading matching `pattern` to the next heading."""
    out = []
    for k, (start, title) in enumerate(heads):
        if pattern.search(title):
            end = heads[k + 1][0] if k + 1 < len(heads) else length
            out.append(Span(start, end))
    return out


def _inside(regions: list[Span], offset: int) -> bool:
    return any(r.start <= offset < r.end for r in regions)


def _says_stop_and_get_help(cue_index: _CueIndex, lo: int, hi: int) -> bool:
    """Whether tokens [lo, hi] tell the reader to stop and get help: help wording ("seek medical help",
    "go to the emergency room"), or contact wording ("call your doctor") made urgent ("right away")
    or joined to a stop ("stop taking it and call ..."); never "do not stop ... without talking to ..."."""
    if cue_index.within("red_flag_not", lo, hi):
        return False
    if cue_index.within("red_flag_help", lo, hi):
        return True
    return cue_index.within("red_flag_contact", lo, hi) and (cue_index.within("red_flag_urgency", lo, hi)
                                                             or cue_index.within("red_flag_stop", lo, hi))


def _list_after(text: str, pos: int, cues: lexicon.Cues) -> Span | None:
    """The list a lead-in line ("Call your doctor right away if you have:") opens: the lines after it
    that are list items (a bullet, a lower-case start, or a few words), up to a blank line or prose."""
    newline = text.find("\n", pos)
    if newline < 0 or text[pos:newline].strip():
        return None  # the lead-in does not end its line: its list, if any, is inline
    i, end, items = newline + 1, None, 0
    while i < len(text) and items < _MAX_LIST_ITEMS:
        j = text.find("\n", i)
        j = len(text) if j < 0 else j
        line = text[i:j].strip()
        if not line:
            if items:
                break
        elif _is_list_item(line, cues):
            items += 1
            end = j
        else:
            break
        i = j + 1
    return Span(newline + 1, end) if end is not None else None


def _is_list_item(line: str, cues: lexicon.Cues) -> bool:
    if line.endswith(":") or cues.effect_list.search(line):
        return False  # a new lead-in
    if _BULLET.match(line) or line[0].islower():
        return True
    return len(line.split()) <= 6 and not _INNER_STOP.search(line)


class _Sentences:
    """The sentence (or, outside any, the line) around an offset, with its token range, cached."""

    def __init__(self, parsed: Parsed, tokens: Tokens) -> None:
        self.parsed = parsed
        self.tokens = tokens
        self.cache: dict[Span, tuple[int, int]] = {}

    def at(self, offset: int) -> tuple[Span | None, Span, int, int]:
        """(sentence or None, sentence or line span, first token, last token)."""
        sentence = self.parsed.sentence_at(offset)
        span = sentence
        if span is None:
            text = self.parsed.text
            end = text.find("\n", offset)
            span = Span(text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end)
        if span not in self.cache:
            starts = self.tokens.starts
            self.cache[span] = (bisect.bisect_left(starts, span.start), bisect.bisect_left(starts, span.end) - 1)
        lo, hi = self.cache[span]
        return sentence, span, lo, hi


def _red_flag_scopes(text: str, sentences: _Sentences, cue_index: _CueIndex, heads: list[tuple[int, str]],
                     cues: lexicon.Cues) -> list[Span]:
    """Where symptoms are red flags: sentences that say stop and get help, the lists they open, and the
    paragraphs under a heading that says so ("When to Stop and Call Your Doctor")."""
    scopes: list[Span] = []
    checked: set[Span] = set()
    anchors = sorted([*cue_index.ranges("red_flag_help", 0, len(sentences.tokens.words)),
                      *cue_index.ranges("red_flag_contact", 0, len(sentences.tokens.words))])
    for first, _ in anchors:
        _, span, lo, hi = sentences.at(sentences.tokens.start(first))
        if span in checked:
            continue
        checked.add(span)
        if not _says_stop_and_get_help(cue_index, lo, hi):
            continue
        scopes.append(span)
        if _LEAD_IN.search(text, span.start, span.end):
            following = _list_after(text, span.end, cues)
            if following is not None:
                scopes.append(following)
    for k, (start, title) in enumerate(heads):
        if not title.endswith(":") and cues.red_flag_headings.search(title):
            scopes.append(Span(start, heads[k + 1][0] if k + 1 < len(heads) else len(text)))
    return scopes


def _effect_allowed(parsed: Parsed, section: Section | None) -> bool | None:
    """True: the section holds side effects; False: it never does; None: the sentence decides."""
    if section is None:
        return None
    if section.type in EFFECT_SECTIONS:
        return True
    if section.type in NO_EFFECT_SECTIONS or (parsed.document.kind == "label" and section.type in _LABEL_NO_EFFECT):
        return False
    return None


@dataclass(frozen=True, slots=True, eq=False)
class _Read:
    """What the scan of one document found: its mentions and what find() needs to qualify them."""

    mentions: tuple[_Mention, ...]
    cue_index: _CueIndex | None
    tokens: Tokens  # the document's, for may_name and names_in
    hits: list[Hit]  # the default matcher's raw_hits in them
    named: list[int]  # where its vocabulary hits start (blockers aside), sorted
    lowered_alone: bool  # whether any part of the text lower-cases as it does in the whole (no capital sigma)


@functools.lru_cache(maxsize=4)  # find() and find_red_flags() of one document share the work
def _read(parsed: Parsed, matcher: Matcher | None = None) -> _Read:
    return _scan(parsed, matcher)


def may_name(parsed: Parsed, span: Span) -> bool:
    """Whether the default matcher's find() may find a name in span.of(parsed.text); False only when it finds none.

    The span's text is cut into the document's own tokens unless an edge of the span cuts a token, or the text
    holds a capital sigma (whose lower case depends on the letters beside it); then every hit in it is one of the
    document's hits, so a span where none starts has none."""
    read = _read(parsed, None)  # the key effects.find(parsed) caches the scan under
    k = bisect.bisect_left(read.named, span.start)
    if k < len(read.named) and read.named[k] < span.end:
        return True
    return not read.lowered_alone or _cuts_token(read.tokens, span.start) or _cuts_token(read.tokens, span.end)


def names_in(parsed: Parsed, span: Span) -> list[tuple[int, int, str]]:
    """default_matcher().find(span.of(parsed.text)), from the scan of the whole document, not a new one, when the
    span's text is cut into the document's own tokens (see may_name): its hits are then the document's hits
    within the span, chosen as find() chooses them in the span's text alone."""
    read = _read(parsed, None)  # the key effects.find(parsed) caches the scan under
    tokens = read.tokens
    if not read.lowered_alone or _cuts_token(tokens, span.start) or _cuts_token(tokens, span.end):
        return default_matcher().find(span.of(parsed.text))
    first = bisect.bisect_left(tokens.starts, span.start)
    last = bisect.bisect_left(tokens.starts, span.end) - 1
    hits = [h for h in read.hits if first <= h[0] and h[1] <= last]
    return [(tokens.start(i) - span.start, tokens.end(j) - span.start, c)
            for i, j, c in default_matcher().select(tokens, hits, first, last) if c]


def _cuts_token(tokens: Tokens, offset: int) -> bool:
    k = bisect.bisect_right(tokens.starts, offset) - 1
    return k >= 0 and tokens.start(k) < offset < tokens.end(k)


def learned_candidates(parsed: Parsed, matcher: Matcher) -> list[tuple[tuple[tuple[int, int], ...], list[str]]]:
    """(pieces as text offsets, keep features) of every candidate the learned model scores: its training rows."""
    rows: list[tuple[tuple[tuple[int, int], ...], list[str]]] = []
    _scan(parsed, matcher, rows)
    return rows


def _cue_before(text: str, tokens: Tokens, cue_index: _CueIndex, kind: str, lo: int, i: int,
                tail: re.Pattern[str]) -> bool:
    """Whether a cue of `kind` in tokens [lo, i) reaches token i (only list items between them)."""
    at = tokens.start(i)
    for first, last in cue_index.ranges(kind, lo, i - 1):
        if tail.fullmatch(text, tokens.end(last), at) and not _CUE_BREAK.search(text, tokens.start(first), at):
            return True
    return False


class _Candidate(NamedTuple):
    first: int  # first and last token (of all pieces)
    last: int
    name: str
    gen: str  # what proposed it: "" the rules ("flag": as a red flag only); "vocab", "list", "abbr", "coord" the
    # learned model's proposers
    pieces: Pieces = ()  # a discontinuous candidate's token ranges


def _candidates(parsed: Parsed, matcher: Matcher, tokens: Tokens, raw: list[Hit]) -> list[_Candidate]:
    """Candidates in text order: the rule-based hits, and on labels, in adverse-reaction, warning and
    precaution sections, the learned model's: vocabulary hits with their edges, list items beside
    them, defined abbreviations, and the discontinuous mentions coordination implies. `raw`: matcher.raw_hits."""
    selected = matcher.select(tokens, raw)
    model = matcher.model if parsed.document.kind == "label" else None
    if model is None:
        return [_Candidate(i, j, c, "") for i, j, c in selected if c]
    starts = tokens.starts
    learned_sections = [(bisect.bisect_left(starts, s.span.start), bisect.bisect_left(starts, s.span.end) - 1)
                        for s in parsed.document.sections if s.type in EFFECT_SECTIONS]
    learned_sections = [(lo, hi) for lo, hi in learned_sections if lo <= hi]

    def section_of(i: int) -> tuple[int, int] | None:
        for lo, hi in learned_sections:
            if lo <= i <= hi:
                return lo, hi
        return None

    blocked = [(i, j) for i, j, c in selected if not c]  # sorted, non-overlapping

    def is_blocked(i: int, j: int) -> bool:
        k = bisect.bisect_right(blocked, (i, len(tokens.words))) - 1
        return k >= 0 and blocked[k][0] <= i and j <= blocked[k][1]

    # the rule-based hits stand everywhere else, and in these sections as red flags only: a red flag is a
    # symptom the text says to act on, whether or not the model would call it an adverse reaction
    out = [_Candidate(i, j, c, "" if section_of(i) is None else "flag") for i, j, c in selected if c]
    seen: set[tuple[int, int]] = set()
    vocabulary: list[tuple[int, int]] = []
    edge_cache: dict[str, float] = {}
    for i, j, c in raw:
        where = section_of(i)
        if not c or where is None or (blocked and is_blocked(i, j)):
            continue
        span = extend(tokens, i, j, model, where[0], where[1], edge_cache)
        if span not in seen:
            seen.add(span)
            vocabulary.append(span)
            out.append(_Candidate(span[0], span[1], c, "vocab"))
    generated: list[tuple[int, int, str]] = []
    for i, j in vocabulary:
        where = section_of(i)
        if where is not None:
            generated += [(a, b, "list") for a, b in list_items(tokens, i, j, where[0], where[1])]
    for lo, hi in learned_sections:
        generated += [(a, b, "abbr") for a, b in abbreviations(tokens, vocabulary, lo, hi)]
    for a, b, gen in generated:
        if (a, b) not in seen and not (blocked and is_blocked(a, b)):
            seen.add((a, b))
            out.append(_Candidate(a, b, " ".join(tokens.words[a:b + 1]), gen))
    spans = sorted(seen)
    words = tokens.words

    def modifier(k: int, depth: int) -> bool:
        return left_word(model, words[k], depth, edge_cache)

    for lo, hi in learned_sections:
        for pieces in coordinated(tokens, [(a, b) for a, b in spans if lo <= a and b <= hi], lo, hi, modifier):
            name = " ".join(" ".join(tokens.words[a:b + 1]) for a, b in pieces)
            out.append(_Candidate(pieces[0][0], pieces[-1][1], name, "coord", pieces))
    out.sort(key=lambda h: (h.first, h.first - h.last))
    return out


def _scan(parsed: Parsed, matcher: Matcher | None,
          rows: list[tuple[tuple[tuple[int, int], ...], list[str]]] | None = None) -> _Read:
    text = parsed.text
    cues = lexicon.cues()
    matcher = matcher or default_matcher()
    tokens = tokenise(text)
    raw = matcher.raw_hits(tokens)
    named = [tokens.start(i) for i, _, canonical in raw if canonical]
    lowered_alone = "\u03a3" not in text
    candidates = _candidates(parsed, matcher, tokens, raw)
    if not candidates:
        return _Read((), None, tokens, raw, named, lowered_alone)
    model = matcher.model
    cue_index = _CueIndex(tokens)
    breaks = _clause_breaks(tokens, cue_index)
    sentences = _Sentences(parsed, tokens)
    heads = _headings(text)
    effect_regions = _regions(heads, len(text), cues.effect_headings)
    flag_scopes = _red_flag_scopes(text, sentences, cue_index, heads, cues)
    mentions: list[_Mention] = []
    scores: list[float] = []
    previous: _Mention | None = None
    sentence_cues: dict[int, tuple[bool, bool]] = {}
    for i, j, name, gen, pieces in candidates:
        learned = gen not in ("", "flag")
        start, end = tokens.start(i), tokens.end(j)
        if gen == "flag" and not _inside(flag_scopes, start):
            continue
        heading = not text[start].islower() and bool(_HEADING_AFTER.match(text, end)) \
            and bool(_HEADING_BEFORE.search(text, max(0, start - 60), start))
        if heading and not learned:
            continue  # a heading names a topic; a lower-case line is a list item
        section = parsed.section_at(start)
        allowed = _effect_allowed(parsed, section)
        sentence, _, lo, hi = sentences.at(start)
        if lo not in sentence_cues:
            sentence_cues[lo] = (cue_index.within("effect", lo, hi), cue_index.within("effect_list", lo, hi)
                                 and not _says_stop_and_get_help(cue_index, lo, hi))
        has_effect_cue, lists_effects = sentence_cues[lo]
        k = bisect.bisect_right(breaks, i) - 1
        clause = max(lo, breaks[k]) if k >= 0 else lo
        reach = max(clause, bisect.bisect_left(tokens.starts, start - 120))  # a few words, never a paragraph
        use = _cue_before(text, tokens, cue_index, "use", reach, i, cues.use_tail)
        weak = _cue_before(text, tokens, cue_index, "use_weak", reach, i, cues.use_tail)
        use = use or (weak and allowed is not True)
        condition = _cue_before(text, tokens, cue_index, "patient", reach, i, cues.patient_tail)
        if previous is not None and previous.clause == clause and (previous.use or previous.condition) \
                and _LIST_GAP.match(text, previous.end, start):
            # "reduce nausea, vomiting and diarrhea": the list shares its verb
            use, condition = use or previous.use, condition or previous.condition
        red = not lists_effects and _inside(flag_scopes, start)
        if allowed is None:
            context = has_effect_cue or _inside(effect_regions, start) \
                or bool(section and cues.effect_headings.search(section.title))
        else:
            context = allowed
        k = bisect.bisect_right(breaks, j)
        negated = cue_index.within("negation", clause, i - 1) \
            or cue_index.within("negation_post", j + 1, min(hi, breaks[k] - 1) if k < len(breaks) else hi)
        hypothetical = cue_index.within("hypothetical", lo, i - 1)
        parts = tuple((tokens.start(a), tokens.end(b)) for a, b in pieces)
        mention = _Mention(start, end, name, i, j, sentence, lo, hi, clause, use, condition, red and not parts,
                           context and gen != "flag", negated, hypothetical, learned, parts)
        previous = mention
        mentions.append(mention)
        if learned and model is not None:
            flags = [f for f, on in (("use", use), ("weak", weak), ("cond", condition), ("red", red),
                                     ("eff", has_effect_cue), ("list", lists_effects), ("head", heading),
                                     ("hyp", hypothetical), ("neg", negated)) if on]
            features = keep_features(tokens, i, j, name, flags, section.type if section else "none", gen,
                                     " ... ".join(" ".join(tokens.words[a:b + 1]) for a, b in pieces) or None)
            if rows is not None:
                rows.append((parts or ((start, end),), features))
            scores.append(model.keep_score(features))
        else:
            scores.append(1.0)
    return _Read(tuple(_choose(mentions, scores)), cue_index, tokens, raw, named, lowered_alone)


def _choose(mentions: list[_Mention], scores: list[float]) -> list[_Mention]:
    """Learned candidates: the best-scoring non-overlapping ones above the threshold; the rest as found."""
    if all(not m.learned for m in mentions):
        return mentions
    taken: list[_Mention] = [m for m in mentions if not m.learned]
    spans: list[tuple[int, int]] = []
    for _score, m in sorted(((s, m) for s, m in zip(scores, mentions, strict=False) if m.learned and s > 0),
                           key=lambda sm: -sm[0]):
        if m.parts:
            taken.append(m)  # a discontinuous mention shares its pieces with others ("visceral malformations")
            continue
        k = bisect.bisect_left(spans, (m.start, m.end))
        if (k > 0 and spans[k - 1][1] > m.start) or (k < len(spans) and spans[k][0] < m.end):
            continue
        spans.insert(k, (m.start, m.end))
        taken.append(m)
    taken.sort(key=lambda m: m.start)
    return taken


def _serious(m: _Mention, cue_index: _CueIndex, cues: lexicon.Cues) -> bool | None:
    if m.name in cues.serious_terms or cue_index.within("serious", m.sentence_first, m.last):
        return True
    return None


def _under_study(parsed: Parsed, m: _Mention) -> bool:
    """Is the mention a condition under study? In side-effect text only a population counts
    ("in patients with sepsis, ..."): there "decreased appetite, anxiety and cough" are reactions."""
    role = under_study(parsed.text, m.sentence, m.start, m.end)
    if role is None:
        return False
    section = parsed.section_at(m.start)
    return role == "population" or section is None or section.type not in EFFECT_SECTIONS


def _spelled_out(text: str, mentions: Iterable[_Mention]) -> dict[str, str]:
    """The abbreviations the document defines after a mention, each with that mention's name: "NAION" is named
    as "non-arteritic anterior ischemic optic neuropathy (NAION)" defined it, so the two are one effect."""
    out: dict[str, str] = {}
    for m in mentions:
        abbreviation = defined_after(text, m.end)
        if abbreviation and abbreviation != text[m.start:m.end]:
            out.setdefault(abbreviation, m.name)
    return out


def find(parsed: Parsed, matcher: Matcher | None = None) -> list[Effect]:
    """Adverse effects attributed to the substance, in text order."""
    read = _read(parsed, matcher)
    if read.cue_index is None:
        return []
    cues = lexicon.cues()
    spelled_out = _spelled_out(parsed.text, read.mentions)
    out = []
    for m in read.mentions:
        if m.red_flag or not m.effect_context or (not m.learned and (m.use or m.condition)):
            continue
        if _under_study(parsed, m):
            continue  # a condition under study ("patients with sepsis", "reduce the risk of stroke") is no effect
        out.append(Effect(name=spelled_out.get(parsed.text[m.start:m.end], m.name), span=Span(m.start, m.end),
                          negated=m.negated, hypothetical=m.hypothetical, serious=_serious(m, read.cue_index, cues),
                          sentence=m.sentence, parts=tuple(Span(a, b) for a, b in m.parts)))
    return out


def find_red_flags(parsed: Parsed, matcher: Matcher | None = None) -> list[RedFlag]:
    """Symptoms the text says mean: stop and call a doctor, or seek medical help."""
    read = _read(parsed, matcher)
    if read.cue_index is None:
        return []
    spelled_out = _spelled_out(parsed.text, read.mentions)
    return [RedFlag(name=spelled_out.get(parsed.text[m.start:m.end], m.name), span=Span(m.start, m.end),
                    sentence=m.sentence)
            for m in read.mentions
            if m.red_flag and not m.learned and not m.use and not m.negated]
