"""A Document with what every extractor needs computed once: its sentence spans."""
from __future__ import annotations

import bisect
import functools
import heapq
import re
import re._constants as _sre  # type: ignore[import-not-found]  # the parse of a pattern: no public API gives it
import re._parser as _sre_parse  # type: ignore[import-not-found]
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Generic, TypeVar

from materia.extract.sentences import sentence_spans
from materia.types import Document, Section, Span

V = TypeVar("V")
_PIECE = 1 << 20  # characters lower-cased at a time
_SPACE = re.compile(r"\s")


_ESCAPE = re.compile(r"\\.")


@functools.lru_cache(maxsize=256)
def for_lowered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive `pattern` to run over lower-cased text (Parsed.lower): the same pattern without
    IGNORECASE when it names no upper-case letter, which Python's re runs about three times as fast on a
    long alternation of words; else `pattern` itself."""
    if not pattern.flags & re.IGNORECASE or any(c.isupper() for c in _ESCAPE.sub("", pattern.pattern)):
        return pattern
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


# re.IGNORECASE matches "i" to "İ" and "ı", and "s" to "ſ", which lower-casing keeps apart
_FOLDED_APART = re.compile("[\u0130\u0131\u017f]")
# a letter named by its code, a back-reference or a flag turned off inside: the pattern may say case otherwise
_CASE_SAYING = re.compile(r"\\[xuUN0-9]|\(\?[a-zA-Z]*-")


class IdentityMemo(Generic[V]):
    """Answers kept by the identities of the objects they are about: an lru_cache hashes a compiled pattern by all
    its code (microseconds for a long alternation) on every call. Each entry holds its objects, so no other can
    take their ids while it stands; at `most` entries it starts afresh (patterns made on the fly would grow it
    without end)."""

    def __init__(self, most: int) -> None:
        self._known: dict[Hashable, tuple[object, V]] = {}
        self._most = most

    def get(self, key: Hashable, held: object, compute: Callable[..., V], *args: Any) -> V:
        """The answer under `key` (the ids of `held`, and any detail), else `compute(*args)` kept with `held`.
        The caller builds the key and no closure is made: answers are asked for on hot paths."""
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= self._most:
                self._known.clear()
            known = self._known[key] = (held, compute(*args))
        return known[1]

    def clear(self) -> None:
        self._known.clear()


_CASE_FREE: IdentityMemo[tuple[re.Pattern[str], ...] | None] = IdentityMemo(256)  # the cue lists are far fewer


def _case_free(patterns: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...] | None:
    """`patterns` for_lowered when every one of them is case-insensitive, of ASCII, and says nothing else of case;
    else None (they are all run over one text)."""
    return _CASE_FREE.get(tuple(map(id, patterns)), patterns, _case_free_of, patterns)


def _case_free_of(patterns: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...] | None:
    free = tuple(for_lowered(p) if p.pattern.isascii() and not _CASE_SAYING.search(p.pattern) else p
                 for p in patterns)
    return None if any(a is b for a, b in zip(free, patterns, strict=True)) else free


def lowered_for(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[tuple[re.Pattern[str], ...], str]:
    """Patterns and a text to search instead of `patterns` in `text`: the same matches at the same offsets,
    found faster. A case-insensitive pattern of ASCII naming no upper-case letter runs without IGNORECASE over
    the text lower-cased (for_lowered), unless the text holds one of the letters IGNORECASE matches to "i" or
    "s" and lower-casing does not ("İ", "ı", "ſ")."""
    case_free = _case_free(patterns)
    if case_free is None or (not text.isascii() and _FOLDED_APART.search(text)):  # isascii: a flag, no scan
        return patterns, text
    return case_free, lower_same_length(text)


Words = tuple[frozenset[str], ...]  # each set: one of its words is in the text


_REQUIRED: IdentityMemo[Words] = IdentityMemo(256)


def required_words(pattern: re.Pattern[str]) -> Words:
    """Words of ASCII, lower-cased, that every match of `pattern` holds: one of each set (none known: no sets).
    Read from the pattern's parse: a run of literal characters, a group, a repeat taken at least once, an
    alternation each of whose branches requires a word; everything else (classes, look-arounds, optional
    parts, characters beyond ASCII) requires nothing. A text lacking them needs no search (may_match)."""
    return _REQUIRED.get(id(pattern), pattern, _required_of, pattern)


def _required_of(pattern: re.Pattern[str]) -> Words:
    try:
        return tuple(dict.fromkeys(_required(list(_sre_parse.parse(pattern.pattern, pattern.flags)))))
    except (re.error, TypeError, ValueError):
        return ()


def _required(items: Sequence[tuple[object, object]]) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            out.append(frozenset({"".join(run)}))
            run.clear()

    for op, value in items:
        if op is _sre.LITERAL and isinstance(value, int) and value < 128:
            run.append(chr(value).lower())
            continue
        end_run()
        if op is _sre.SUBPATTERN:
            out += _required(value[3])  # type: ignore[index]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and value[0] >= 1:  # type: ignore[index]
            out += _required(value[2])  # type: ignore[index]
        elif op is _sre.BRANCH:
            branches = [_required(branch) for branch in value[1]]  # type: ignore[index]
            if all(branches):  # of each branch its most telling set: the one whose shortest word is longest
                out.append(frozenset().union(*(max(b, key=lambda words: min(map(len, words))) for b in branches)))
    end_run()
    return out


def may_match(words: Words, text: str) -> bool:
    """False only when `text` lacks one of the required words (required_words), so the pattern cannot match it;
    True when it holds them, or holds a letter that IGNORECASE matches to an ASCII one and lower-casing does not
    ("İ", "ı", "ſ"), when the words are not looked for."""
    if not words or (not text.isascii() and _FOLDED_APART.search(text)):
        return True
    lowered = lower_same_length(text)
    return all(any(word in lowered for word in alternatives) for alternatives in words)


def lowered_one(pattern: re.Pattern[str], text: str) -> tuple[re.Pattern[str], str]:
    """lowered_for of one pattern."""
    (pattern,), text = lowered_for((pattern,), text)
    return pattern, text


def lower_same_length(text: str) -> str:
    """`text` lower-cased with its length kept, so offsets still index the original, in bounded memory.

    str.lower() first allocates 12 bytes a character (for a 40 MB text, 480 MB), so a long text is
    lowered a piece at a time, each cut at whitespace, which no casing rule looks across (the Greek
    final sigma looks only as far as the neighbouring letters). The one character whose lower case is
    longer ("\u0130", dotted capital I) is kept as it is, and then, as always, every character is
    lowered on its own. Text of ASCII (most sentences) is lowered whole: str.lower() copies it one byte a
    character, and its letters have no context."""
    if text.isascii():
        return text.lower()
    pieces: list[str] = []
    whole_only = "\u0130" in text
    start = 0
    while start < len(text):
        space = _SPACE.search(text, start + _PIECE) if len(text) - start > _PIECE else None
        end = space.start() if space else len(text)
        piece = text[start:end]
        pieces.append("".join(c if c == "\u0130" else c.lower() for c in piece) if whole_only else piece.lower())
        start = end
    return "".join(pieces)


def longest_leftmost(hits: list[tuple[int, int, V]]) -> list[tuple[int, int, V]]:
    """Of (start, end, value) hits, the longest at each place, left to right, none overlapping one taken before:
    how a dictionary scan (automaton_iter) chooses among the words it found. Sorts `hits`."""
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, int, V]] = []
    last_end = -1
    for hit in hits:
        if hit[0] >= last_end:
            out.append(hit)
            last_end = hit[1]
    return out


def automaton_iter(automaton: Any, text: str) -> Iterator[tuple[int, Any]]:
    """automaton.iter(text) for a pyahocorasick Automaton, in bounded memory.

    pyahocorasick copies the whole string into 4 bytes a character before searching, so a long
    text is searched a piece at a time; pieces overlap by the longest key and each piece reports
    only the matches ending in its own part, so every match is reported once, in order."""
    if len(text) <= _PIECE:
        yield from automaton.iter(text)
        return
    overlap = automaton.get_stats()["longest_word"]
    for own_start in range(0, len(text), _PIECE):
        start = max(0, own_start - overlap)
        own_end = min(len(text), own_start + _PIECE)
        for end_index, value in automaton.iter(text[start:own_end]):
            if start + end_index >= own_start:
                yield start + end_index, value


@dataclass(frozen=True, eq=False)
class Parsed:
    document: Document
    sentences: tuple[Span, ...]
    _starts: list[int] = field(repr=False, default_factory=list)
    _section_bounds: list[int] = field(repr=False, default_factory=list)
    _section_owner: list[Section | None] = field(repr=False, default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    @functools.cached_property
    def lower(self) -> str:
        """The text lower-cased, its offsets those of the text (lower_same_length), made once per document."""
        return lower_same_length(self.document.text)

    def search(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        """pattern.search(text, start, end), over the lowered text when that finds the same (lowered_for): the
        match's offsets index the text, its group() may be lower-cased."""
        case_free = _case_free((pattern,))
        if case_free is None or self._folded_apart:
            return pattern.search(self.text, start, end)
        return case_free[0].search(self.lower, start, end)

    @functools.cached_property
    def _folded_apart(self) -> bool:
        return _FOLDED_APART.search(self.document.text) is not None

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing `offset`, if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def section_at(self, offset: int) -> Section | None:
        """Document.section_at by binary search: extractors ask once per mention, documents can have thousands."""
        k = bisect.bisect_right(self._section_bounds, offset) - 1
        return self._section_owner[k] if k >= 0 else None

    def sentences_in(self, span: Span) -> list[Span]:
        lo = bisect.bisect_left(self._starts, span.start)
        hi = bisect.bisect_left(self._starts, span.end)
        return list(self.sentences[lo:hi])


def _section_index(sections: tuple[Section, ...]) -> tuple[list[int], list[Section | None]]:
    """Every offset where the innermost section can change, and that section from there on.

    Innermost as Document.section_at says: of the sections containing an offset, the one starting
    last, the later one on a tie. A sweep with a heap of the open sections, O(n log n)."""
    bounds = sorted({s.span.start for s in sections} | {s.span.end for s in sections})
    order = sorted(range(len(sections)), key=lambda i: sections[i].span.start)
    open_: list[tuple[int, int]] = []  # (-start, -index): the innermost open section on top
    owner: list[Section | None] = []
    j = 0
    for b in bounds:
        while j < len(order) and sections[order[j]].span.start <= b:
            heapq.heappush(open_, (-sections[order[j]].span.start, -order[j]))
            j += 1
        while open_ and sections[-open_[0][1]].span.end <= b:
            heapq.heappop(open_)
        owner.append(sections[-open_[0][1]] if open_ else None)
    return bounds, owner


def _sentences(document: Document) -> tuple[Span, ...]:
    """The document's sentences; none crosses the start or end of a section (a review table's row is its columns
    one after another, with no full stop between the drug's name, its rating and the writer's first words)."""
    cuts = sorted({0, len(document.text)} | {b for s in document.sections for b in (s.span.start, s.span.end)
                                            if 0 < b < len(document.text)})
    return tuple(span for lo, hi in pairwise(cuts) for span in sentence_spans(document.text, lo, hi))


def parse(document: Document) -> Parsed:
    sentences = _sentences(document)
    bounds, owner = _section_index(document.sections)
    return Parsed(document, sentences, [s.start for s in sentences], bounds, owner)
