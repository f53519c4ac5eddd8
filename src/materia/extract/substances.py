"""Substances named in a document, and the document's main subject.

Mentions are found with one Aho-Corasick pass over the lower-cased text using the curated
vocabulary (lexicons/substances.yaml); the much larger drug dictionary of
`drug_named_entity_recognition` (a ~100k-name pickle that takes seconds to load) is consulted
only when the curated list finds no main subject, e.g. for a drug label.
"""
from __future__ import annotations

import bisect

import bz2
import functools
import pickle
import re
from collections import Counter
from importlib.resources import files

import ahocorasick

from materia.extract.parse import Parsed, automaton_iter, lower_same_length
from materia.lexicons.substances import substances
from materia.types import Span

__all__ = ["find", "find_in", "main_subject"]

_SKIP_SECTIONS = frozenset({"references", "boilerplate", "disclaimer"})
_MIN_DRUG_NAME = 5  # shorter dictionary names ("gas", "iron", "sun") are mostly ordinary words


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


@functools.cache
def _curated() -> tuple[ahocorasick.Automaton, re.Pattern[str] | None, dict[str, str]]:
    """Automaton over case-folded synonyms and forms, plus a regex for exact-case abbreviations."""
    automaton = ahocorasick.Automaton()
    exact: dict[str, str] = {}
    for entry in substances():
        for surface in (*entry.synonyms, *entry.forms, entry.name):
            automaton.add_word(surface.lower(), (len(surface), entry.name))
        for abbr in entry.exact:
            exact[abbr] = entry.name
    automaton.make_automaton()
    pattern = None
    if exact:
        alternatives = "|".join(sorted(map(re.escape, exact), key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    return automaton, pattern, exact


@functools.cache
def _drug_dictionary() -> ahocorasick.Automaton:
    """Variant -> canonical drug name from drug_named_entity_recognition's packaged dictionary.

    Read directly from the package data so importing that package's network helpers is avoided."""
    path = files("drug_named_entity_recognition").joinpath("drug_ner_dictionary.pkl.bz2")
    with path.open("rb") as raw, bz2.open(raw, "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - trusted, pinned package data
    automaton = ahocorasick.Automaton()
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        if len(variant) >= _MIN_DRUG_NAME and canonicals and variant.isascii():
            automaton.add_word(variant, (len(variant), str(canonicals[0]).lower()))
    automaton.make_automaton()
    return automaton


def _scan(automaton: ahocorasick.Automaton, text: str, start: int = 0) -> list[tuple[str, Span]]:
    """Longest whole-word matches, left to right, without overlaps."""
    lowered = lower_same_length(text)
    hits: list[tuple[int, int, str]] = []
    for end_index, (length, name) in automaton_iter(automaton, lowered):
        begin = end_index - length + 1
        end = end_index + 1
        if begin > 0 and (_is_word_char(lowered[begin - 1]) or lowered[begin - 1] == "-"):
            continue
        if end < len(lowered) and _is_word_char(lowered[end]):
            continue
        hits.append((begin, end, name))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[str, Span]] = []
    last_end = -1
    for begin, end, name in hits:
        if begin >= last_end:
            out.append((name, Span(start + begin, start + end)))
            last_end = end
    return out


def find_in(text: str, start: int = 0) -> list[tuple[str, Span]]:
    """Curated substance mentions in `text` (spans offset by `start`), in text order."""
    automaton, pattern, exact = _curated()
    found = _scan(automaton, text, start)
    if pattern is not None:
        # the automaton's hits are sorted and disjoint, so one binary search finds any overlap
        taken_starts = [span.start for _, span in found]
        taken_ends = [span.end for _, span in found]
        for match in pattern.finditer(text):
            span = Span(start + match.start(), start + match.end())
            k = bisect.bisect_left(taken_starts, span.end)
            if not (k > 0 and taken_ends[k - 1] > span.start):
                found.append((exact[match.group()], span))
        found.sort(key=lambda item: item[1])
    return found


def find(parsed: Parsed) -> list[tuple[str, Span]]:
    """Every curated substance mention in the document: (canonical name, span)."""
    return find_in(parsed.text)


def _counted(parsed: Parsed, mentions: list[tuple[str, Span]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name, span in mentions:
        section = parsed.section_at(span.start)
        if section is None or section.type not in _SKIP_SECTIONS:
            counts[name] += 1
    return counts


def _headline(parsed: Parsed) -> str:
    """Where a document names its subject: its title, else its first heading."""
    doc = parsed.document
    if doc.title:
        return doc.title
    for section in doc.sections:
        if section.title:
            return section.title
    return ""


def main_subject(parsed: Parsed) -> str | None:
    """The substance the document is about: named in its title/first heading, else the most mentioned.

    Among several named in the headline, the one mentioned most in the body wins."""
    if parsed.document.kind == "label":  # a label is about its drug; "atorvastatin calcium" is not calcium
        drug = _drug_subject(parsed)
        if drug:
            return drug
    counts = _counted(parsed, find(parsed))
    in_headline = [name for name, _ in find_in(_headline(parsed))]
    if in_headline:
        return max(in_headline, key=lambda name: (counts[name], -in_headline.index(name)))
    if counts:
        return counts.most_common(1)[0][0]
    return _drug_subject(parsed)


def _drug_subject(parsed: Parsed) -> str | None:
    """Fallback for medicines the curated list lacks: the drug dictionary over headline, then text."""
    automaton = _drug_dictionary()
    headline = [name for name, _ in _scan(automaton, _headline(parsed))]
    if headline:
        return headline[0]
    counts = _counted(parsed, _scan(automaton, parsed.text))
    return counts.most_common(1)[0][0] if counts else None
