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

from materia.extract.parse import Parsed, lowered_for
from materia.extract.uses import headings, lowered
from materia.lexicons.cues import Patterns, alternation, precaution_lexicon
from materia.types import Precaution, Span

__all__ = ["find"]

_SECTIONS = frozenset({"precautions", "interactions", "contraindications", "warnings", "boxed_warning"})
_NOT_SECTIONS = frozenset({"side_effects", "references", "dosage", "posts"})
_COORDINATED = re.compile(r"\b([a-z]+) (?:or|and|/) ([a-z]+ (?:disease|disorders?|problems|impairment|failure))\b")


@lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    concepts, _ = precaution_lexicon()
    return re.compile(r"(?<!\w)(?:" + alternation(concepts) + r")(?!\w)")  # the longest name first


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
    for m in _matcher().finditer(low):
        found.setdefault(bisect.bisect_right(starts, m.start()) - 1, []).append(
            (concepts[m.group(0)], Span(m.start(), m.end())))
    for m in _COORDINATED.finditer(low):
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
