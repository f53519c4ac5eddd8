"""Substances named in a document, and what the document is about.

The subject is what the document says it is about (a field, its title, its first heading), each
name resolved by extract/names.py; mentions count only when it says nothing. Mentions are found
with one Aho-Corasick pass over the lower-cased text using the curated vocabulary
(lexicons/substances.yaml); the much larger drug dictionary (lexicons/drugs.py, a ~100k-name
pickle read once, on first use) is consulted only when a name or headline needs it.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ahocorasick

from materia.extract.names import headline_name, resolve_name
from materia.extract.parse import Parsed, automaton_iter, longest_leftmost
from materia.lexicons.cache import compiled
from materia.lexicons.drugs import dictionary_file, drug_canonicals
from materia.lexicons.substances import substances
from materia.types import Span

__all__ = ["drug_dictionary", "drug_variants", "find", "find_in", "main_subject", "scan", "scan_offsets", "subjects",
           "whole_words"]

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
def drug_dictionary() -> ahocorasick.Automaton:
    """Variant -> canonical drug name (lexicons/drugs.py), for finding drug mentions in text; compiled once
    into the cache (lexicons/cache.py)."""
    return compiled("drug-automaton", _drug_automaton,
                    ("extract/substances.py", "lexicons/drugs.py", dictionary_file(), Path(ahocorasick.__file__)))


def _drug_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for variant, canonical in drug_variants():
        automaton.add_word(variant, (len(variant), canonical))
    automaton.make_automaton()
    return automaton


def drug_variants() -> Iterator[tuple[str, str]]:
    """(variant, canonical) of the drug dictionary that drug_dictionary finds in text."""
    for variant, canonical in drug_canonicals().items():
        if len(variant) >= _MIN_DRUG_NAME and variant.isascii():
            yield variant, canonical


def scan(automaton: ahocorasick.Automaton, text: str, start: int = 0) -> list[tuple[str, Span]]:
    """Longest whole-word matches, left to right, without overlaps."""
    return [(name, Span(begin, end)) for begin, end, name in scan_offsets(automaton, text, start)]


def scan_offsets(automaton: ahocorasick.Automaton, text: str, start: int = 0) -> list[tuple[int, int, Any]]:
    """`scan` as (start, end, value): for a caller that reads the offsets only, and need not make a Span of each."""
    return [(start + begin, start + end, value[1])
            for begin, end, value in longest_leftmost(whole_words(automaton, text))]


def whole_words(automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int, tuple[Any, ...]]]:
    """Every match in `text` lower-cased of an automaton whose values start with their key's length that is a
    whole word, overlapping ones too: (start, end, value), offsets into `text`. `scan` keeps the longest
    leftmost; an automaton of two vocabularies (one value each) can keep them for each (longest_leftmost)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few code points change length when lower-cased
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    hits: list[tuple[int, int, tuple[Any, ...]]] = []
    for end_index, value in automaton_iter(automaton, lowered):
        begin = end_index - value[0] + 1
        end = end_index + 1
        if begin > 0 and (_is_word_char(lowered[begin - 1]) or lowered[begin - 1] == "-"):
            continue
        if end < len(lowered) and _is_word_char(lowered[end]):
            continue
        hits.append((begin, end, value))
    return hits


def find_in(text: str, start: int = 0) -> list[tuple[str, Span]]:
    """Curated substance mentions in `text` (spans offset by `start`), in text order."""
    automaton, pattern, exact = _curated()
    found = scan(automaton, text, start)
    if pattern is not None:
        taken = [span for _, span in found]
        for match in pattern.finditer(text):
            span = Span(start + match.start(), start + match.end())
            if not any(span.overlaps(t) for t in taken):
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


def _headlines(parsed: Parsed) -> list[str]:
    """Where a document names its subject outside any field: its title, then its first heading."""
    doc = parsed.document
    first_heading = next((section.title for section in doc.sections if section.title), "")
    return list(dict.fromkeys(h for h in (doc.title or "", first_heading) if h.strip()))


def _stated(parsed: Parsed) -> tuple[str, ...] | None:
    """The substances the document's fields state (metadata["subject"], metadata["ingredients"]).

    A stated name no vocabulary knows (a Latin binomial, a new brand) yields to a title or first
    heading that names a known substance as a whole; else it is kept as stated."""
    meta = parsed.document.metadata
    subject = resolve_name(meta["subject"]) if meta.get("subject") else None
    ingredients = [resolve_name(i) for i in (meta.get("ingredients") or "").split(";") if i.strip()]
    if subject is not None and not subject.known:
        for headline in _headlines(parsed):
            named = resolve_name(headline_name(headline))
            if named.known:
                subject = named
                break
    found = [*(subject.names if subject else ()), *(n for r in ingredients for n in r.names)]
    return tuple(dict.fromkeys(found)) or None


def _dominant(counts: Counter[str], least: int = 2) -> str | None:
    """The most mentioned substance when it clearly dominates: `least` times, and twice the next."""
    ranked = counts.most_common(2)
    if not ranked:
        return None
    top, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return top if n >= least and n >= 2 * runner_up else None


def subjects(parsed: Parsed) -> tuple[str | None, tuple[str, ...]]:
    """The document's main subject and every substance it is about (a combination names all).

    In order: what a structured field states (Document.metadata["subject"] / ["ingredients"], filled
    by the readers), the title, the first heading; a substance merely mentioned in the body is
    never the subject when the document states one. Only a document that states nothing falls back
    to its mentions, and then only to one that clearly dominates."""
    stated = _stated(parsed)
    if stated:
        return stated[0], stated
    for headline in _headlines(parsed):
        named = resolve_name(headline_name(headline))
        if named.known:
            return named.main, named.names
        in_headline = [name for name, _ in find_in(headline)] or \
            [name for name, _ in scan(drug_dictionary(), headline)]
        if in_headline:
            counts = _counted(parsed, find(parsed))
            best = max(in_headline, key=lambda name: (counts[name], -in_headline.index(name)))
            return best, (best,)
    # a label is one drug's: the drug dictionary counts there ("atorvastatin calcium" is not calcium),
    # and a part of it that names one drug once names its drug
    if parsed.document.kind == "label":
        main = _dominant(_counted(parsed, scan(drug_dictionary(), parsed.text)), least=1)
    else:
        main = _dominant(_counted(parsed, find(parsed)) or _counted(parsed, scan(drug_dictionary(), parsed.text)))
    return main, (main,) if main else ()


def main_subject(parsed: Parsed) -> str | None:
    """The substance the document is about (see `subjects`)."""
    return subjects(parsed)[0]


@functools.cache
def _curated_names() -> dict[str, str]:
    names = {}
    for entry in substances():
        for surface in (*entry.synonyms, *entry.forms, entry.name):
            names[surface.lower()] = entry.name
    return names


def canonical_name(surface: str, dictionary: bool = True) -> str | None:
    """The substance a name stands for ("L-Glutamine" -> glutamine, "Lipitor" -> atorvastatin), or None.

    The curated list first; then, unless `dictionary` is False, the drug dictionary (loaded on first
    need) for medicines it lacks."""
    key = " ".join(surface.lower().split())
    name = _curated_names().get(key) or _curated()[2].get(surface.strip())
    if name is None and dictionary and len(key) >= _MIN_DRUG_NAME and key.isascii():
        # the table drug_dictionary's automaton holds (drug_variants): a dict finds a key at once, the automaton
        # walks its million nodes down the key's letters (microseconds each, out of the processor's cache)
        name = drug_canonicals().get(key)
    return name
