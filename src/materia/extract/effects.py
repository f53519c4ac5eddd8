"""Adverse effects and red-flag symptoms.

Candidates come from one Aho-Corasick automaton over a token-normalised copy of the text
(lower case, every run of non-alphanumerics one space), so every hit sits on word
boundaries and the longest leftmost match wins. A candidate is kept as an effect only in
side-effect context (an effect section or heading, or a sentence with an effect cue), and
not when the clause presents it as what the substance is used for or as the patient's
condition. Negation, hypothetical and serious follow ConText-style cues scoped to the
clause. Symptoms in "stop and call your doctor" sentences or sections are red flags instead.
"""
from __future__ import annotations

import bisect
import functools
import re
import weakref
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable, Mapping

import ahocorasick

from materia.extract.parse import Parsed, lower_same_length
from materia.lexicons import effects as lexicon
from materia.types import Effect, RedFlag, Span

EFFECT_SECTIONS = frozenset({"side_effects", "warnings", "boxed_warning", "precautions"})
_TOKEN = re.compile(r"[^\W_]+")
_JOINERS = frozenset({" ", "-", "  "})
_SPLIT = re.compile(r"([^\W_]+)")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_BLOCK = 1 << 18  # characters matched at a time
_HEADING = re.compile(r"(?:^|\n)[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?([A-Z][^\n.!?;:•*]{1,78}?)(?:\*\*)?:?[ \t]*(?=\n)")
# a mention that is a heading ("5.2 Infusion Reactions   Infusion-related ...") names a topic, not an event
_HEADING_BEFORE = re.compile(r"(?:^|\n|(?<![*•·▪◦\s-])[ \t]{3,}|#[ \t]*)(?:\d+(?:\.\d+)*[ \t]+)?(?:[A-Z][\w-]*[ \t]+){0,3}$")
_HEADING_AFTER = re.compile(r"[ \t]*(?:\n|$|[ \t]{2,}(?=[A-Z][\w-]*[ \t]+[a-z]))")
# a use or patient cue does not reach across a verb or a list opener ("patients with X treated with Y are Z")
_CUE_BREAK = re.compile(r"\b(?:are|is|were|was|include[sd]?|including|such as|reported|occurred|experienced|"
                        r"develop(?:ed|s)?|e\.g)\b|[:(]", re.IGNORECASE)
_LIST_GAP = re.compile(r"^[\s,/&]*(?:(?:and|or|and/or|nor)\b[\s,]*)?$", re.IGNORECASE)


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


@dataclass(frozen=True, eq=False)
class Matcher:
    """Longest, word-bounded, non-overlapping vocabulary hits in a text."""

    automaton: ahocorasick.Automaton
    left_words: frozenset[str] = frozenset()  # words a mention takes in from its left ("acute", "local")
    right_words: frozenset[str] = frozenset()  # and from its right ("infection" after "jc virus")

    @classmethod
    def build(cls, vocabulary: Mapping[str, str], skip: Iterable[str] = (),
              left_words: Iterable[str] = (), right_words: Iterable[str] = ()) -> "Matcher":
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
        return cls(automaton, frozenset(left_words), frozenset(right_words))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) in `text` offsets, sorted, non-overlapping.

        A long text is read a block of paragraphs at a time (the token lists cost ~40 bytes a
        character); no mention spans a blank line."""
        out: list[tuple[int, int, str]] = []
        start = 0
        while start < len(text):
            gap = _BLANK_LINE.search(text, start + _BLOCK) if len(text) - start > _BLOCK else None
            end = gap.end() if gap else len(text)
            out.extend((start + a, start + b, name) for a, b, name in self._find(text[start:end]))
            start = end
        return out

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        lower = lower_same_length(text)
        pieces = _SPLIT.split(lower)  # separator, token, separator, ..., separator
        tokens = pieces[1::2]
        if not tokens:
            return []
        bounds = list(accumulate(map(len, pieces), initial=0))  # token i spans bounds[2i+1]:bounds[2i+2]
        norm_starts = list(accumulate(map((1).__add__, map(len, tokens)), initial=1))
        norm = " " + " ".join(tokens) + " "
        hits: list[tuple[int, int, str]] = []
        for end_idx, (length, canonical) in self.automaton.iter(norm):
            first = end_idx - length  # position of the key's first character
            i = bisect.bisect_left(norm_starts, first)
            j = bisect.bisect_right(norm_starts, end_idx - 1) - 1
            hits.append((i, j, canonical))
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        out: list[tuple[int, int, str]] = []
        last = -1
        for i, j, canonical in hits:
            if i > last:
                # take in learned left modifiers ("acute renal failure"), never across punctuation
                k = 0
                while k < 3 and i - 1 > last and tokens[i - 1] in self.left_words \
                        and pieces[2 * i] in _JOINERS:
                    i -= 1
                    k += 1
                k = 0
                while k < 2 and j + 1 < len(tokens) and tokens[j + 1] in self.right_words \
                        and pieces[2 * j + 2] in _JOINERS:
                    j += 1
                    k += 1
                if canonical:
                    out.append((bounds[2 * i + 1], bounds[2 * j + 2], canonical))
                last = j
        return out


@functools.lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    return Matcher.build(lexicon.vocabulary(), left_words=lexicon.tac_side_words("left"),
                         right_words=lexicon.tac_side_words("right"))


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str
    sentence: Span | None
    clause_start: int
    use: bool
    red_flag: bool
    effect_context: bool


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


def _inside(regions: list[Span], starts: list[int], offset: int) -> bool:
    """Whether `offset` lies in one of `regions` (sorted and disjoint, as _regions makes them)."""
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and regions[i].start <= offset < regions[i].end


def _clause_start(text: str, lo: int, at: int, terminators: re.Pattern[str]) -> int:
    start = lo
    for m in terminators.finditer(text, lo, at):
        start = m.end()
    return start


# find() and find_red_flags() of one document share the work. Held through a weak reference: an
# lru_cache kept the last four documents (text, sentences) alive after their extraction was done.
_last_scan: tuple[weakref.ref[Parsed], Matcher | None, tuple[_Mention, ...]] | None = None


def _mentions(parsed: Parsed, matcher: Matcher | None = None) -> tuple[_Mention, ...]:
    global _last_scan
    last = _last_scan
    if last is not None and last[0]() is parsed and last[1] is matcher:
        return last[2]
    found = tuple(_scan(parsed, matcher))
    _last_scan = (weakref.ref(parsed), matcher, found)
    return found


def _scan(parsed: Parsed, matcher: Matcher | None) -> list[_Mention]:
    text = parsed.text
    cues = lexicon.cues()
    hits = (matcher or default_matcher()).find(text)
    if not hits:
        return []
    heads = _headings(text)
    effect_regions = _regions(heads, len(text), cues.effect_headings)
    flag_regions = _regions(heads, len(text), cues.red_flag_headings)
    effect_starts, flag_starts = [r.start for r in effect_regions], [r.start for r in flag_regions]
    out: list[_Mention] = []
    previous: _Mention | None = None
    sentence_cache: dict[Span, tuple[bool, bool]] = {}
    for start, end, name in hits:
        if _HEADING_BEFORE.search(text, max(0, start - 60), start) and _HEADING_AFTER.match(text, end):
            continue
        sentence = parsed.sentence_at(start)
        lo = sentence.start if sentence else max(0, text.rfind("\n", 0, start) + 1)
        hi = sentence.end if sentence else len(text)
        key = Span(lo, hi)
        if key not in sentence_cache:
            s_text = text[lo:hi]
            sentence_cache[key] = (bool(cues.effect.search(s_text)), bool(cues.red_flag.search(s_text)))
        has_effect_cue, has_flag_cue = sentence_cache[key]
        clause = _clause_start(text, lo, start, cues.terminators)
        before = text[max(clause, start - 120):start]  # cues reach a few words, never a paragraph
        cue = cues.use.search(before) or cues.patient.search(before)
        use = bool(cue and not _CUE_BREAK.search(cue.group()))
        if not use and previous is not None and previous.clause_start == clause and previous.use \
                and _LIST_GAP.match(text[previous.end:start]):
            use = True  # "reduce nausea, vomiting and diarrhea": the list shares its verb
        section = parsed.section_at(start)
        in_effect_section = section is not None and (section.type in EFFECT_SECTIONS
                                                     or bool(cues.effect_headings.search(section.title)))
        red = has_flag_cue or _inside(flag_regions, flag_starts, start)
        context = in_effect_section or has_effect_cue or _inside(effect_regions, effect_starts, start)
        mention = _Mention(start, end, name, sentence, clause, use, red, context)
        out.append(mention)
        previous = mention
    return out


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
        if m.use or m.red_flag or not m.effect_context:
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
            if m.red_flag and not m.use and not _negated(text, m, cues)]
