"""Plain-text articles: the fallback reader.

The text is the file as decoded; sections come from heading lines, the numbered
reference list, disclaimer paragraphs and unrelated boilerplate (ingest.structure). A text with no
headings written in the first person is a post (ingest.posts).
"""
from __future__ import annotations

from materia.ingest.posts import as_post, looks_like_post
from materia.ingest.registry import RawFile, reader
from materia.ingest.structure import build_sections, find_modified, first_line_title, guess_kind, stated_fields
from materia.types import Document


def read_plain(raw: RawFile, fmt: str = "text") -> Document:
    """A Document for text with no markup: title only when the first line is short."""
    text = raw.text
    title = first_line_title(text)
    sections = tuple(build_sections(text, title=title))
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind=guess_kind(sections), format=fmt,
                    title=title, modified=find_modified(text), sections=sections, metadata=stated_fields(text),
                    encoding=raw.encoding, notes=raw.notes)


@reader("text", suffixes=(".txt", ".text"), fallback=True)
def read_text(raw: RawFile) -> Document:
    document = read_plain(raw)
    return as_post(document) if looks_like_post(document) else document
