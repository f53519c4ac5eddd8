"""A huge document extracted a block at a time, so memory grows with the file, not faster.

    huge(document)            longer than BLOCK_THRESHOLD characters: extracted in blocks
    cut(text, size)           blocks of about `size` characters covering the text, cut at a paragraph break,
                              else between sentences, else at a space (never inside a sentence when one can be)
    extract_parts(document)   the document's Extractions part by part: the first with what is decided for the
                              whole document (its references and posts), then one per block with its items
    joined(parts)             the parts as one Extraction

What the whole document decides is decided once, on the whole text: which substances it is about, its
references, whether its posts cover it. Each block is then extracted as a document of its own (its text, the
sections and posts clipped to it) and its items' spans moved back to offsets into the whole text: a block's
items are what extracting the block's text finds. Every extractor reads a sentence and its neighbours, so
cutting between sentences loses at most what a neighbour across a cut would have said.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from materia.errors import ExtractError
from materia.extract.parse import parse
from materia.extract.sentences import sentence_spans
from materia.types import Document, Extraction, Post, Reference, Section, Span

__all__ = ["BLOCK_SIZE", "BLOCK_THRESHOLD", "Whole", "cut", "decide", "extract_block", "extract_parts", "huge",
           "joined"]

BLOCK_THRESHOLD = 1 << 20  # characters: a longer document is extracted in blocks
BLOCK_SIZE = 1 << 18  # characters in a block, about
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SPACE = re.compile(r"\s+")
_WHOLE = ("references", "posts")  # categories decided for the whole document, not per block
T = TypeVar("T")

if TYPE_CHECKING:
    from materia.runners import Runner


def huge(document: Document) -> bool:
    return len(document.text) > BLOCK_THRESHOLD


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    found = None
    for m in pattern.finditer(text, lo, hi):
        found = m
    return found


def _cut_at(text: str, lo: int, hi: int) -> int:
    """Where to end a block that should end by `hi` and not before `lo`: after the last paragraph break, else
    at the start of the last sentence starting in [lo, hi), else after the last space, else at `hi`."""
    paragraph = _last(_PARAGRAPH, text, lo, hi)
    if paragraph is not None and paragraph.end() < hi:
        return paragraph.end()
    # the first sentence found is the one `lo` falls in (cut short there); every later one starts where the
    # splitter says a sentence starts (the last may run on past `hi`)
    starts = [s.start for s in sentence_spans(text, lo, hi)[1:]]
    if starts:
        return starts[-1]
    space = _last(_SPACE, text, lo, hi)
    if space is not None and space.end() < hi:
        return space.end()
    return hi


def cut(text: str, size: int = BLOCK_SIZE) -> list[Span]:
    """Consecutive blocks covering `text` exactly, each at most `size` characters, cut as `_cut_at` says in the
    second half of each block's room."""
    blocks: list[Span] = []
    start = 0
    while len(text) - start > size:
        end = _cut_at(text, start + size // 2, start + size)
        blocks.append(Span(start, end))
        start = end
    blocks.append(Span(start, len(text)))
    return blocks


def _clip(span: Span, block: Span) -> Span | None:
    """`span` within `block`, in the block's offsets; None when they do not meet."""
    start, end = max(span.start, block.start), min(span.end, block.end)
    if start > end or (start == end and span.start != span.end):
        return None
    return Span(start - block.start, end - block.start)


def _sections(sections: Iterable[Section], block: Span) -> tuple[Section, ...]:
    out = []
    for s in sections:
        span, body = _clip(s.span, block), _clip(s.body, block)
        if span is not None:
            out.append(dataclasses.replace(s, span=span, body=body or Span(span.end, span.end)))
    return tuple(out)


def _posts(posts: Iterable[Post], block: Span) -> tuple[Post, ...]:
    out = []
    for p in posts:
        span = _clip(p.span, block)
        if span is not None:
            out.append(dataclasses.replace(p, span=span, body=_clip(p.body, block) if p.body else None))
    return tuple(out)


def _references(references: Iterable[Reference], block: Span) -> tuple[Reference, ...]:
    """The references as a block sees them: those outside it at its edges (the extractors look references up
    by number, and skip mentions inside one)."""
    length = block.end - block.start
    return tuple(dataclasses.replace(r, span=_clip(r.span, block)
                                     or (Span(0, 0) if r.span.end <= block.start else Span(length, length)))
                 for r in references)


def shifted(item: T, by: int) -> T:
    """`item` (a dataclass of materia.types) with every span in it moved `by` characters."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(item):  # type: ignore[arg-type]
        value = getattr(item, f.name)
        if isinstance(value, Span):
            changes[f.name] = Span(value.start + by, value.end + by)
        elif isinstance(value, tuple) and value and isinstance(value[0], Span):
            changes[f.name] = tuple(Span(s.start + by, s.end + by) for s in value)
    return dataclasses.replace(item, **changes) if changes else item  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class Whole:
    """What is decided once for the whole document."""

    substance: str | None
    substances: tuple[str, ...]
    references: tuple[Reference, ...]
    covered: bool  # its posts are the document (experience.covers_document)


def decide(document: Document) -> Whole:
    from materia.extract import experience, references, substances

    parsed = parse(document)
    substance, every = substances.subjects(parsed)
    return Whole(substance, every, tuple(references.find(parsed)), experience.covers_document(parsed))


def block_document(document: Document, block: Span) -> Document:
    """The part of `document` in `block` as a document of its own: its text, the sections and posts clipped to it."""
    return dataclasses.replace(document, text=document.text[block.start:block.end],
                               sections=_sections(document.sections, block), posts=_posts(document.posts, block))


def extract_block(document: Document, block: Span, whole: Whole) -> Extraction:
    """The items of one block of `document`, their spans offsets into the whole text (no references, no posts:
    those are the whole document's)."""
    return dataclasses.replace(_extract_job((block_document(document, block), block.start, whole)),
                               document=document)


def _extract_job(job: tuple[Document, int, Whole]) -> Extraction:
    """The items of a block given as a document of its own starting at `start` in the whole text, their spans
    moved there (the Extraction's document is the block's: the caller puts back the whole). Module-level, and
    its argument small, so a worker process can run it."""
    from materia.extract import extract_parsed

    part, start, whole = job
    block = Span(start, start + len(part.text))
    found = extract_parsed(parse(part), whole.substance, whole.substances,
                           {"references": _references(whole.references, block)}, whole.covered)
    return Extraction(part, whole.substance, whole.substances, **{
        name: tuple(shifted(item, start) for item in getattr(found, name)) for name in block_fields()})


def block_fields() -> tuple[str, ...]:
    """The Extraction fields each block finds: every category's (materia.categories) but the whole document's."""
    from materia.categories import CATEGORIES

    return tuple(c.field for c in CATEGORIES if c.field not in _WHOLE)


def extract_parts(document: Document, size: int | None = None, runner: Runner | None = None) -> Iterator[Extraction]:
    """The document's items a part at a time: first its references and posts, then each block's items, in text
    order; with a `runner` (worker processes), the blocks are extracted by its workers and come in the order
    they are done."""
    whole = decide(document)
    yield Extraction(document, whole.substance, whole.substances, references=whole.references,
                     posts=document.posts)
    jobs = ((block_document(document, block), block.start, whole) for block in cut(document.text, size or BLOCK_SIZE))
    if runner is None:
        for job in jobs:
            yield dataclasses.replace(_extract_job(job), document=document)
        return
    for _, result in runner.map(_extract_job, jobs):
        if not isinstance(result, Extraction):  # a worker died (WorkerLost): the document fails, nothing stored
            raise ExtractError(f"a block could not be extracted: {result}")
        yield dataclasses.replace(result, document=document)


def joined(parts: Iterable[Extraction]) -> Extraction:
    """Parts of one document's extraction as one Extraction."""
    items: dict[str, list[Any]] = {}
    first: Extraction | None = None
    for part in parts:
        first = first or part
        for f in dataclasses.fields(Extraction):
            if isinstance(getattr(part, f.name), tuple) and f.name != "substances":
                items.setdefault(f.name, []).extend(getattr(part, f.name))
    if first is None:
        raise ValueError("no parts")
    values: dict[str, Any] = {name: tuple(found) for name, found in items.items()}
    return dataclasses.replace(first, **values)
