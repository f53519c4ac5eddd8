"""Search, the pure parts: a query's words -> search terms; store matches -> merged, grouped hits.

A query is cut to what can be searched fast and means something: its words, lower case, each once,
without stop words ("the the" is nothing to search for; PostgreSQL drops the same words), at most
MAX_TERMS. Statement matches of one substance with the same category, name and stance are one hit
(eight "effect: headache" sentences of one substance are one hit, N sources); hits are grouped by
substance, the substance of the best match first. Documents with the same content are one hit.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from materia.lexicons.stopwords import stop_words
from materia.store import DocumentMatch, StatementMatch

T = TypeVar("T")
MAX_TERMS = 8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Terms:
    """What a query searches for, and what it left out (for a note to the reader)."""

    words: tuple[str, ...]
    common: tuple[str, ...] = ()  # stop words dropped
    beyond: tuple[str, ...] = ()  # words past MAX_TERMS

    def note(self) -> str:
        parts = []
        if self.common:
            parts.append(f"left out common word{'s' if len(self.common) > 1 else ''}: {', '.join(self.common)}")
        if self.beyond:
            parts.append(f"searched for the first {MAX_TERMS} words only")
        return "; ".join(parts)


def search_terms(query: str) -> Terms:
    """The words of `query` to search for: lower case, each once, no stop words, at most MAX_TERMS."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))
    stop = stop_words()
    kept = [w for w in words if w not in stop]
    return Terms(tuple(kept[:MAX_TERMS]), tuple(w for w in words if w in stop), tuple(kept[MAX_TERMS:]))


StatementKey = tuple[str | None, str, str, str | None]  # substance, category, name, stance


@dataclass(frozen=True, slots=True)
class MergedStatement:
    """The matches of one statement of one substance: the best first."""

    key: StatementKey
    best: StatementMatch
    n_matches: int


def merge_statements(matches: Sequence[StatementMatch]) -> list[MergedStatement]:
    """Matches of the same (substance, category, name, stance) merged; grouped by substance, the substance
    whose best match ranks first leading, each group in rank order. `matches` come best first."""
    merged: dict[StatementKey, MergedStatement] = {}
    for m in matches:
        key = (m.substance, m.category, m.name, m.stance)
        seen = merged.get(key)
        merged[key] = MergedStatement(key, m, 1) if seen is None else \
            MergedStatement(key, seen.best, seen.n_matches + 1)
    return _grouped(list(merged.values()), lambda s: s.key[0])


def merge_documents(matches: Sequence[DocumentMatch]) -> list[tuple[DocumentMatch, int]]:
    """Documents with the same content merged (the best-ranked copy kept, with the number of copies),
    grouped by substance like statements."""
    merged: dict[str, tuple[DocumentMatch, int]] = {}
    for m in matches:
        key = m.content_key or f"document:{m.document_id}"
        seen = merged.get(key)
        merged[key] = (m, 1) if seen is None else (seen[0], seen[1] + 1)
    return _grouped(list(merged.values()), lambda d: d[0].substance)


def _grouped(ranked: list[T], substance_of: Callable[[T], str | None]) -> list[T]:
    """`ranked` (best first) reordered so each substance's entries follow one another, in the order of
    their substance's first entry."""
    order: dict[str | None, int] = {}
    for entry in ranked:
        order.setdefault(substance_of(entry), len(order))
    return sorted(ranked, key=lambda e: order[substance_of(e)])  # stable: rank order within a substance
