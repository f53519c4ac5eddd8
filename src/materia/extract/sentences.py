"""Sentence spans, fast enough for corpus-scale extraction (regex, no model).

A boundary is: a blank line; a line break before a list item or after a line that
ends a sentence or looks like a heading; or ., ! or ? followed by space and a capital,
digit, quote or bullet, unless the word before is a known abbreviation.
Spans are trimmed of surrounding whitespace and never overlap.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from materia.types import Span

_ABBREVIATIONS = frozenset(
    "e.g i.e et al vs approx dr mr mrs ms st fig figs no nos ref refs vol pp ed eds inc ltd co "
    "jan feb mar apr jun jul aug sep sept oct nov dec min max mg mcg ca resp".split()
)
_BULLET = r"(?:[•*\-–·▪◦]|\d{1,2}[.)]|[a-z][.)])\s"
_BOUNDARY = re.compile(
    r"\n[ \t]*\n\s*"                                   # blank line
    rf"|\n(?=[ \t]*{_BULLET})"                          # line break before a list item
    r"|(?<=[.!?:])[\"”’)\]]*\n\s*"                      # line break after end punctuation
    # sentence end inside a line; citations glued to the full stop ("survival.1 Although",
    # "weight.2 3 There", "sepsis.[12] In", "sepsis.\\[12] In", "sepsis.¹² In") stay with the sentence they support
    r"|(?<=[.!?])(?P<keep>[\"”’)\]]*(?:\d{1,3}(?:[ ,–-]\d{1,3})*(?=[ \t]+[A-Z])"
    r"|\\?\[\d{1,3}(?:[ ,–-]{1,2}\d{1,3})*\\?\]"
    r"|[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,⁻–-][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)?)[ \t]+(?=[\"“‘(\[]?[A-Z0-9•*])"
)
# Where a boundary can begin: each of _BOUNDARY's alternatives starts at a line break or just after sentence
# punctuation, so it is tried only there (finditer tries every position, about three times as slow).
_BOUNDARY_START = re.compile(r"[.!?:\n]")
_LIST_MARKER = re.compile(r"\s*(?:\d{1,3}|[a-zA-Z]|[ivx]{1,4})[.)]?\s*$")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_HEADING_LINE = re.compile(r"^[ \t]*(?:#{1,6}[ \t].*|[^\n.,;:]{1,80}?)[ \t]*$")


def _is_abbreviation(text: str, cut: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, cut - 12), cut)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or len(word) == 1  # initials: "Herzenberg L.A."


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    for match in _boundaries(text, start, end):
        cut = match.end("keep") if match.group("keep") is not None else match.start()
        if match.group("keep") is not None and (_is_abbreviation(text, match.start())
                                                or _LIST_MARKER.fullmatch(text, pos, match.start())):
            continue
        _add(text, pos, cut, spans)
        pos = match.end()
    _add(text, pos, end, spans)
    return _split_heading_lines(text, spans)


def _boundaries(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """_BOUNDARY.finditer(text, start, end), tried only at `start` and where a boundary can begin (none is empty)."""
    candidates = chain((start,), (c.start() if c.group() == "\n" else c.end()
                                  for c in _BOUNDARY_START.finditer(text, start, end)))
    resume, tried = start, -1
    for at in candidates:
        if at < resume or at == tried:
            continue
        tried = at
        match = _BOUNDARY.match(text, at, end)
        if match:
            yield match
            resume = match.end()


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(start, end))


def _split_heading_lines(text: str, spans: list[Span]) -> list[Span]:
    """A short line without punctuation followed by more lines is a heading of its own."""
    out: list[Span] = []
    for span in spans:
        chunk = text[span.start:span.end]
        if "\n" not in chunk:
            out.append(span)
            continue
        pos = span.start
        line_start = span.start
        for line in chunk.split("\n")[:-1]:
            line_end = line_start + len(line)
            if _HEADING_LINE.match(line) and len(line.strip()) < 60:
                _add(text, pos, line_end, out)
                pos = line_end + 1
            line_start = line_end + 1
        _add(text, pos, span.end, out)
    return out
