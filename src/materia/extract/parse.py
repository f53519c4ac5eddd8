"""A Document with what every extractor needs computed once: its sentence spans."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from materia.extract.sentences import sentence_spans
from materia.types import Document, Section, Span


@dataclass(frozen=True, eq=False)
class Parsed:
    document: Document
    sentences: tuple[Span, ...]
    _starts: list[int] = field(repr=False, default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing `offset`, if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def section_at(self, offset: int) -> Section | None:
        return self.document.section_at(offset)

    def sentences_in(self, span: Span) -> list[Span]:
        lo = bisect.bisect_left(self._starts, span.start)
        hi = bisect.bisect_left(self._starts, span.end)
        return list(self.sentences[lo:hi])


def parse(document: Document) -> Parsed:
    sentences = tuple(sentence_spans(document.text))
    return Parsed(document, sentences, [s.start for s in sentences])
