"""Words too common to search for (stopwords.txt: Snowball's English list, as PostgreSQL uses it)."""
from __future__ import annotations

import functools

from materia.errors import VocabularyError
from materia.lexicons.loader import load_lines

__all__ = ["stop_words"]


@functools.cache
def stop_words() -> frozenset[str]:
    """The stop words, lower case."""
    words = load_lines("stopwords.txt")
    bad = [w for w in words if not w.isalpha() or w != w.lower()]
    if bad:
        raise VocabularyError(f"stopwords.txt: not one lower-case word a line: {bad[:3]}")
    return frozenset(words)
