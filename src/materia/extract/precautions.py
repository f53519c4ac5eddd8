"""Precautions: conditions, populations and co-medications the text says call for caution.

A name from the precaution vocabulary counts where its sentence carries a caution cue
("talk with your clinician before using it if you have ...", "should exercise caution") or sits
under a precautions / warnings / "who should be cautious" heading or section. "liver or kidney
disease" names both organs' diseases.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

import ahocorasick

from materia.extract.parse import Parsed, automaton_iter, longest_leftmost, lowered_for
from materia.extract.uses import headings, lowered
from materia.lexicons.cues import Patterns, precaution_lexicon
from materia.types import Precaution, Span

__all__ = ["find"]

_SECTIONS = frozenset({"precautions", "interactions", "contraindications", "warnings", "boxed_warning"})
_NOT_SECTIONS = frozenset({"side_effects", "references", "dosage", "posts"})
_WORD = re.compile(r"\w")
# "liver or kidney disease": two organs and one head word; each match is found from where its head stands
_COORDINATED_HEADS = ("disease", "disorders", "disorder", "problems", "impairment", "failure")
_COORDINATED = re.compile(rf"\b([a-z]+) (?:or|and|/) ([a-z]+ (?:{'|'.join(_COORDINATED_HEADS)}))\b")


@lru_cache(maxsize=1)
def _automaton() -> Any:
    """Every precaution name, valued (length, canonical name)."""
    concepts, _ = precaution_lexicon()
    automaton = ahocorasick.Automaton()
    for surface, canonical in concepts.items():
        if surface:
            automaton.add_word(surface, (len(surface), canonical))
    if len(automaton) == 0:
        automaton.add_word("\x00", (1, ""))
    automaton.make_automaton()
    return automaton


def _names(low: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of the precaution names in `low`, as a regex of them between non-word characters
    finds them left to right (the longest at each place first, never overlapping), from one Aho-Corasick scan."""
    found: list[tuple[int, int, str]] = []
    for end, (length, canonical) in automaton_iter(_automaton(), low):
        start = end - length + 1
        if (start > 0 and _WORD.match(low, start - 1)) or _WORD.match(low, end + 1):
            continue
        found.append((start, end + 1, canonical))
    return longest_leftmost(found)


def _coordinated(low: str) -> list[re.Match[str]]:
    """_COORDINATED.finditer(low), tried only where a match can start: two words before a head word ("kidney"
    in "liver or kidney disease"). A match's words are whole runs of letters, so its head decides its start."""
    starts: set[int] = set()
    for head in _COORDINATED_HEADS:
        at = low.find(head)
        while at >= 0:
            start = _coordination_start(low, at)
            if start is not None:
                starts.add(start)
            at = low.find(head, at + 1)
    out: list[re.Match[str]] = []
    last_end = 0
    for start in sorted(starts):
        if start >= last_end:
            match = _COORDINATED.match(low, start)
            if match is not None:
                out.append(match)
                last_end = match.end()
    return out


def _letters_before(low: str, end: int) -> int:
    """Where the run of letters a-z ending at `end` starts (`end` when there is none)."""
    start = end
    while start > 0 and "a" <= low[start - 1] <= "z":
        start -= 1
    return start


def _coordination_start(low: str, head: int) -> int | None:
    """Where a _COORDINATED match ending in the head word at `head` would start: "<word> (or|and|/) <word> head"."""
    if head < 1 or low[head - 1] != " ":
        return None
    second = _letters_before(low, head - 1)
    if second == head - 1:
        return None
    for joiner in (" or ", " and ", " / "):
        if low.startswith(joiner, second - len(joiner)):
            first_end = second - len(joiner)
            first = _letters_before(low, first_end)
            return first if first < first_end else None
    return None


def _any(patterns: Patterns, text: str) -> bool:
    patterns, text = lowered_for(patterns, text)
    return any(p.search(text) for p in patterns)


def find(parsed: Parsed) -> list[Precaution]:
    """Precautions in document order, one per name and sentence."""
    text = parsed.text
    if not text or not parsed.sentences:
        return []
    concepts, cues = precaution_lexicon()
    heads = headings(parsed)
    head_starts = [h.start for h in heads]
    low = lowered(text)
    found: dict[int, list[tuple[str, Span]]] = {}  # sentence index -> names; context is read only there
    starts = [s.start for s in parsed.sentences]
    for start, end, name in _names(low):
        found.setdefault(bisect.bisect_right(starts, start) - 1, []).append((name, Span(start, end)))
    for m in _coordinated(low):
        first = f"{m.group(1)} {m.group(2).split(' ', 1)[1]}"
        if first in concepts:
            found.setdefault(bisect.bisect_right(starts, m.start()) - 1, []).append(
                (concepts[first], Span(m.start(1), m.end())))
    out: list[Precaution] = []
    for index in sorted(found):
        sentence = parsed.sentences[index] if index >= 0 else None
        if sentence is None or not _in_context(parsed, sentence, heads, head_starts, cues):
            continue
        seen: set[str] = set()
        for name, span in sorted(found[index], key=lambda f: f[1].start):
            if name not in seen and sentence.contains(span):
                seen.add(name)
                out.append(Precaution(name, span, sentence))
    return out


def _in_context(parsed: Parsed, sentence: Span, heads: list[Span], head_starts: list[int],
                cues: dict[str, Patterns]) -> bool:
    text = sentence.of(parsed.text)
    if _any(cues.get("not_sentence", ()), text):
        return False
    section = parsed.section_at(sentence.start)
    if section is not None and section.type in _NOT_SECTIONS:
        return False
    if section is not None and section.type in _SECTIONS:
        return True
    if _any(cues.get("sentence", ()), text):
        return True
    i = bisect.bisect_right(head_starts, sentence.start) - 1
    if i >= 0 and heads[i].end <= sentence.start:
        heading = heads[i].of(parsed.text)
        return _any(cues.get("heading", ()), heading) and not _any(cues.get("not_heading", ()), heading)
    return False
