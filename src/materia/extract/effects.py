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

Red flags come only from stop-and-get-help wording, wherever it stands: a sentence that says
to seek medical or emergency help, or to call a doctor right away or after stopping the
product, the list such a sentence opens ("Call your doctor right away if you have:"), and the
paragraphs under a heading that says so. A sentence listing side effects ("common side effects
include ...") gives effects, never red flags.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable, Mapping

import ahocorasick

from materia.extract.effect_spans import SpanModel, Tokens, extend, keep_features, tokenise
from materia.extract.parse import Parsed
from materia.lexicons import effects as lexicon
from materia.types import Effect, RedFlag, Section, Span

# What a section's type lets it hold. Labels' sections are typed from their LOINC codes, other
# documents' from heading words, so "usage" and "clinical studies" (conditions under study or treated)
# rule out effects on labels only; an article's "Research" section may well report side effects.
# Overdosage is left out on purpose: what too much does is not a side effect of the product as used.
EFFECT_SECTIONS = frozenset({"side_effects", "warnings", "boxed_warning", "precautions"})
NO_EFFECT_SECTIONS = frozenset({"nonclinical", "overdosage", "interactions", "product", "pharmacokinetics",
                                "contraindications", "references", "disclaimer", "boilerplate"})
_LABEL_NO_EFFECT = frozenset({"usage", "clinical_studies"})
_TOKEN = re.compile(r"[^\W_]+")
_JOINERS = frozenset({" ", "-", "  "})
_HEADING = re.compile(r"(?:^|\n)[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?([A-Z][^\n.!?;:•*]{1,78}?)(?:\*\*)?:?[ \t]*(?=\n)")
# a mention that is a heading ("5.2 Infusion Reactions   Infusion-related ...") names a topic, not an event
_HEADING_BEFORE = re.compile(r"(?:^|\n|(?<![*•·▪◦\s-])[ \t]{3,}|#[ \t]*)(?:\d+(?:\.\d+)*[ \t]+)?(?:[A-Z][\w-]*[ \t]+){0,3}$")
_HEADING_AFTER = re.compile(r"[ \t]*(?:\n|$|[ \t]{2,}(?=[A-Z][\w-]*[ \t]+[a-z]))")
# a use or patient cue does not reach across a verb or a list opener ("patients with X treated with Y are Z")
_CUE_BREAK = re.compile(r"\b(?:are|is|were|was|include[sd]?|including|such as|reported|occurred|experienced|"
                        r"develop(?:ed|s)?|e\.g)\b|[:(]", re.IGNORECASE)
_LIST_GAP = re.compile(r"^[\s,/&]*(?:(?:and|or|and/or|nor)\b[\s,]*)?$", re.IGNORECASE)
# where stop-and-get-help wording may start: the sentence around it is then read in full
_RF_ANCHOR = re.compile(r"\b(?:call|contact|tell|see|ask|notify|consult|inform|talk|seek|seeking|get|obtain|"
                        r"emergency)\b", re.IGNORECASE)
# a sentence that opens a list: "... if you have:", "... right away if you get"
_LEAD_IN = re.compile(r"(?::|\b(?:if|have|has|get|develop|notice|experience|following|include|includes|"
                      r"including))\W*$", re.IGNORECASE)
_BULLET = re.compile(r"(?:[•*\-–·▪◦]|\d{1,2}[.)])\s")
_INNER_STOP = re.compile(r"[.!?]\s+\S")
_MAX_LIST_ITEMS = 40
# a mention may not span these: "decreased, lymphocyte count" is two list items
_BAD_JOIN = re.compile(r"[,;:()\[\]{}!?]|\.\s")


def normalise(surface: str) -> str:
    """The form keys and text share: lower-case tokens joined by single spaces."""
    return " ".join(_TOKEN.findall(surface.lower()))


def _variants(key: str) -> Iterable[str]:
    yield key
    last = key.rsplit(" ", 1)[-1]
    if len(last) > 3 and last.isalpha():
        if last.endswith("y") and last[-2] not in "aeiou":
            yield key[:-1] + "ies"
        elif last.endswith(("s", "x", "ch", "sh")):
            yield key + "es"
        else:
            yield key + "s"


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
              model: SpanModel | None = None) -> "Matcher":
        cues = lexicon.cues()
        drop = {normalise(s) for s in skip} | {normalise(s) for s in cues.stop_terms}
        automaton = ahocorasick.Automaton()
        for surface, canonical in vocabulary.items():
            key = normalise(surface)
            first, _, rest = key.partition(" ")
            if not key or key in drop or len(key) < 3 or (rest and first in cues.modifiers):
                continue
            for variant in _variants(key):
                if variant not in drop:
                    # existing keys win: curated and exact forms before generated plurals
                    if automaton.get(f" {variant} ", None) is None or variant == key:
                        automaton.add_word(f" {variant} ", (len(variant), canonical))
        for blocker in cues.blockers:
            automaton.add_word(f" {normalise(blocker)} ", (len(normalise(blocker)), ""))
        if len(automaton) == 0:
            automaton.add_word(" \x00 ", (1, ""))
        automaton.make_automaton()
        return cls(automaton, frozenset(left_words), frozenset(right_words), model)

    def raw_hits(self, tokens: Tokens) -> list[Hit]:
        """Every vocabulary hit, overlapping ones too, sorted by first token, longest first."""
        words = tokens.words
        if not words:
            return []
        norm_starts = list(accumulate(map((1).__add__, map(len, words)), initial=1))
        norm = " " + " ".join(words) + " "
        pieces = tokens.pieces
        hits: list[Hit] = []
        for end_idx, (length, canonical) in self.automaton.iter(norm):
            first = end_idx - length  # position of the key's first character
            i = bisect.bisect_left(norm_starts, first)
            j = bisect.bisect_right(norm_starts, end_idx - 1) - 1
            if j > i and canonical and any(_BAD_JOIN.search(pieces[2 * k]) for k in range(i + 1, j + 1)):
                continue  # blockers (canonical "") may: "Respiratory, thoracic and mediastinal disorders"
            hits.append((i, j, canonical))
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        return hits

    def select(self, tokens: Tokens, hits: list[Hit]) -> list[Hit]:
        """Longest leftmost non-overlapping hits, blockers included, with the learned side words."""
        words, pieces = tokens.words, tokens.pieces
        out: list[Hit] = []
        last = -1
        for i, j, canonical in hits:
            if i > last:
                # take in learned left modifiers ("acute renal failure"), never across punctuation
                k = 0
                while k < 3 and i - 1 > last and words[i - 1] in self.left_words and pieces[2 * i] in _JOINERS:
                    i -= 1
                    k += 1
                k = 0
                while k < 2 and j + 1 < len(words) and words[j + 1] in self.right_words \
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
    return Matcher.build(lexicon.vocabulary(), left_words=lexicon.tac_side_words("left"),
                         right_words=lexicon.tac_side_words("right"), model=lexicon.span_model())


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str
    sentence: Span | None
    clause_start: int
    use: bool  # what the substance is used for
    condition: bool  # the patient's condition ("patients with X"); in a red-flag sentence "if you have X" is a symptom
    red_flag: bool
    effect_context: bool
    learned: bool = False  # kept by the learned span model, which read the cues above itself


def _headings(text: str) -> list[tuple[int, str]]:
    """(offset, title) of lines that look like headings: short, alone, no sentence punctuation."""
    return [(m.start(1), m.group(1).strip()) for m in _HEADING.finditer(text) if len(m.group(1).split()) <= 10]


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


def _clause_start(text: str, lo: int, at: int, terminators: re.Pattern[str]) -> int:
    start = lo
    for m in terminators.finditer(text, lo, at):
        start = m.end()
    return start


def _sentence_or_line(parsed: Parsed, offset: int) -> Span:
    sentence = parsed.sentence_at(offset)
    if sentence is not None:
        return sentence
    text = parsed.text
    end = text.find("\n", offset)
    return Span(text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end)


def says_stop_and_get_help(sentence: str, cues: lexicon.Cues) -> bool:
    """Whether a sentence tells the reader to stop and get help: help wording ("seek medical help",
    "go to the emergency room"), or contact wording ("call your doctor") made urgent ("right away")
    or joined to a stop ("stop taking it and call ..."); never "do not stop ... without talking to ..."."""
    if cues.red_flag_not.search(sentence):
        return False
    if cues.red_flag_help.search(sentence):
        return True
    return bool(cues.red_flag_contact.search(sentence)
                and (cues.red_flag_urgency.search(sentence) or cues.red_flag_stop.search(sentence)))


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


def _red_flag_scopes(parsed: Parsed, heads: list[tuple[int, str]], cues: lexicon.Cues) -> list[Span]:
    """Where symptoms are red flags: sentences that say stop and get help, the lists they open, and the
    paragraphs under a heading that says so ("When to Stop and Call Your Doctor")."""
    text = parsed.text
    scopes: list[Span] = []
    checked: set[Span] = set()
    for m in _RF_ANCHOR.finditer(text):
        sentence = _sentence_or_line(parsed, m.start())
        if sentence in checked:
            continue
        checked.add(sentence)
        words = text[sentence.start:sentence.end]
        if not says_stop_and_get_help(words, cues):
            continue
        scopes.append(sentence)
        if _LEAD_IN.search(words):
            following = _list_after(text, sentence.end, cues)
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


@functools.lru_cache(maxsize=4)  # find() and find_red_flags() of one document share the work
def _mentions(parsed: Parsed, matcher: Matcher | None = None) -> tuple[_Mention, ...]:
    return tuple(_scan(parsed, matcher))


def learned_candidates(parsed: Parsed, matcher: Matcher) -> list[tuple[int, int, list[str]]]:
    """(start, end, keep features) of every candidate the learned model scores: its training rows."""
    rows: list[tuple[int, int, list[str]]] = []
    _scan(parsed, matcher, rows)
    return rows


def _cue_before(text: str, hits: list[tuple[int, int]], lo: int, at: int, tail: re.Pattern[str]) -> bool:
    """Whether a cue occurrence in [lo, at) reaches the term at `at` (only list items between them)."""
    k = bisect.bisect_left(hits, (lo, -1))
    while k < len(hits) and hits[k][1] <= at:
        start, end = hits[k]
        if tail.fullmatch(text, end, at) and not _CUE_BREAK.search(text, start, at):
            return True
        k += 1
    return False


def _scan(parsed: Parsed, matcher: Matcher | None,
          rows: list[tuple[int, int, list[str]]] | None = None) -> list[_Mention]:
    text = parsed.text
    cues = lexicon.cues()
    matcher = matcher or default_matcher()
    tokens = tokenise(text)
    raw = matcher.raw_hits(tokens)
    if not raw:
        return []
    model = matcher.model if parsed.document.kind == "label" else None
    selected = matcher.select(tokens, raw)
    candidates: list[tuple[int, int, str, bool]] = []  # first token, last token, name, learned
    if model is None:
        candidates = [(i, j, c, False) for i, j, c in selected if c]
    else:
        learned_sections = [s.span for s in parsed.document.sections if s.type in EFFECT_SECTIONS]

        def learned_here(i: int) -> bool:
            return _inside(learned_sections, tokens.start(i))

        blocked = [(i, j) for i, j, c in selected if not c]
        candidates = [(i, j, c, False) for i, j, c in selected if c and not learned_here(i)]
        seen: set[tuple[int, int]] = set()
        for i, j, c in raw:
            if not c or not learned_here(i) or any(a <= i and j <= b for a, b in blocked):
                continue
            span = extend(tokens, i, j, model, 0, len(tokens.words) - 1)
            if span not in seen:
                seen.add(span)
                candidates.append((span[0], span[1], c, True))
        candidates.sort(key=lambda h: (h[0], h[0] - h[1]))
    heads = _headings(text)
    effect_regions = _regions(heads, len(text), cues.effect_headings)
    flag_scopes = _red_flag_scopes(parsed, heads, cues)
    use_hits = [m.span() for m in cues.use.finditer(text)]
    weak_hits = [m.span() for m in cues.use_weak.finditer(text)]
    patient_hits = [m.span() for m in cues.patient.finditer(text)]
    mentions: list[_Mention] = []
    scores: list[float] = []
    previous: _Mention | None = None
    sentence_cache: dict[Span, tuple[bool, bool]] = {}
    for i, j, name, learned in candidates:
        start, end = tokens.start(i), tokens.end(j)
        heading = not text[start].islower() and bool(_HEADING_BEFORE.search(text, max(0, start - 60), start)) \
            and bool(_HEADING_AFTER.match(text, end))
        if heading and not learned:
            continue  # a heading names a topic; a lower-case line is a list item
        section = parsed.section_at(start)
        allowed = _effect_allowed(parsed, section)
        sentence = parsed.sentence_at(start)
        lo = sentence.start if sentence else max(0, text.rfind("\n", 0, start) + 1)
        hi = sentence.end if sentence else len(text)
        key = Span(lo, hi)
        if key not in sentence_cache:
            s_text = text[lo:hi]
            sentence_cache[key] = (bool(cues.effect.search(s_text)), bool(cues.effect_list.search(s_text))
                                   and not says_stop_and_get_help(s_text, cues))
        has_effect_cue, lists_effects = sentence_cache[key]
        clause = _clause_start(text, lo, start, cues.terminators)
        reach = max(clause, start - 120)  # cues reach a few words, never a paragraph
        use = _cue_before(text, use_hits, reach, start, cues.use_tail)
        weak = _cue_before(text, weak_hits, reach, start, cues.use_tail)
        use = use or (weak and allowed is not True)
        condition = _cue_before(text, patient_hits, reach, start, cues.patient_tail)
        if previous is not None and previous.clause_start == clause and (previous.use or previous.condition) \
                and _LIST_GAP.match(text[previous.end:start]):
            # "reduce nausea, vomiting and diarrhea": the list shares its verb
            use, condition = use or previous.use, condition or previous.condition
        red = not lists_effects and _inside(flag_scopes, start)
        if allowed is None:
            context = has_effect_cue or _inside(effect_regions, start) \
                or bool(section and cues.effect_headings.search(section.title))
        else:
            context = allowed
        mention = _Mention(start, end, name, sentence, clause, use, condition, red, context, learned)
        previous = mention
        mentions.append(mention)
        if learned and model is not None:
            flags = [f for f, on in (("use", use), ("weak", weak), ("cond", condition), ("red", red),
                                     ("eff", has_effect_cue), ("list", lists_effects), ("head", heading),
                                     ("hyp", _hypothetical(text, mention, cues)), ("neg", _negated(text, mention, cues)))
                     if on]
            features = keep_features(tokens, i, j, name, flags, section.type if section else "none")
            if rows is not None:
                rows.append((start, end, features))
            scores.append(model.keep_score(features))
        else:
            scores.append(1.0)
    return _choose(mentions, scores)


def _choose(mentions: list[_Mention], scores: list[float]) -> list[_Mention]:
    """Learned candidates: the best-scoring non-overlapping ones above the threshold; the rest as found."""
    if all(not m.learned for m in mentions):
        return mentions
    taken: list[_Mention] = [m for m in mentions if not m.learned]
    spans: list[tuple[int, int]] = []
    for score, m in sorted(((s, m) for s, m in zip(scores, mentions) if m.learned and s > 0),
                           key=lambda sm: -sm[0]):
        k = bisect.bisect_left(spans, (m.start, m.end))
        if (k > 0 and spans[k - 1][1] > m.start) or (k < len(spans) and spans[k][0] < m.end):
            continue
        spans.insert(k, (m.start, m.end))
        taken.append(m)
    taken.sort(key=lambda m: m.start)
    return taken


def _negated(text: str, m: _Mention, cues: lexicon.Cues) -> bool:
    if cues.negation.search(text, m.clause_start, m.start):
        return True
    hi = m.sentence.end if m.sentence else len(text)
    stop = cues.terminators.search(text, m.end, hi)
    return bool(cues.negation_post.search(text, m.end, stop.start() if stop else hi))


def _hypothetical(text: str, m: _Mention, cues: lexicon.Cues) -> bool:
    lo = m.sentence.start if m.sentence else m.clause_start
    return bool(cues.hypothetical.search(text, lo, m.start))


def _serious(text: str, m: _Mention, cues: lexicon.Cues) -> bool | None:
    lo = m.sentence.start if m.sentence else m.clause_start
    if m.name in cues.serious_terms or cues.serious.search(text, lo, m.end):
        return True
    return None


def find(parsed: Parsed, matcher: Matcher | None = None) -> list[Effect]:
    """Adverse effects attributed to the substance, in text order."""
    text = parsed.text
    cues = lexicon.cues()
    out = []
    for m in _mentions(parsed, matcher):
        if m.red_flag or not m.effect_context or (not m.learned and (m.use or m.condition)):
            continue
        out.append(Effect(name=m.name, span=Span(m.start, m.end), negated=_negated(text, m, cues),
                          hypothetical=_hypothetical(text, m, cues), serious=_serious(text, m, cues),
                          sentence=m.sentence))
    return out


def find_red_flags(parsed: Parsed, matcher: Matcher | None = None) -> list[RedFlag]:
    """Symptoms the text says mean: stop and call a doctor, or seek medical help."""
    text = parsed.text
    cues = lexicon.cues()
    return [RedFlag(name=m.name, span=Span(m.start, m.end), sentence=m.sentence)
            for m in _mentions(parsed, matcher)
            if m.red_flag and (m.learned or not m.use) and not _negated(text, m, cues)]
