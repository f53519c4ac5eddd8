"""HTML pages: trafilatura finds the main text and the metadata.

`Document.text` is the extracted main text (Markdown-style, so headings survive as `#`
lines) and every span indexes it; boilerplate (navigation, footers) is left out by
trafilatura. Sections come from the heading lines, posts from "Posted by" lines.
"""
from __future__ import annotations

import re
from datetime import date

import trafilatura

from materia.errors import ReadError
from materia.ingest.community import find_posts
from materia.ingest.markdown import markdown_sections
from materia.ingest.registry import RawFile, reader
from materia.ingest.structure import build_sections, guess_kind, parse_date, stated_fields
from materia.types import Document, DocumentKind, Section, Span

_HTML = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_MODIFIED_META = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:modified_time|og:updated_time|dateModified|"""
    r"""last-modified)["'][^>]*content=["'](\d{4}-\d{2}-\d{2})""", re.I)


def sniff(raw: RawFile) -> bool:
    return _HTML.search(raw.text[:2048]) is not None


def _date(value: object) -> date | None:
    return parse_date(str(value)[:10]) if value else None


@reader("html", sniff=sniff, suffixes=(".html", ".htm", ".xhtml"))
def read_html(raw: RawFile) -> Document:
    extracted = trafilatura.bare_extraction(raw.text, with_metadata=True, output_format="python",
                                            include_formatting=True, include_comments=True, include_tables=True,
                                            favor_recall=True)
    text = str(getattr(extracted, "text", "") or "") if extracted is not None else ""
    if not text.strip():
        raise ReadError(raw.source, "HTML page with no main text")
    posts, posts_start = find_posts(text)
    sections: list[Section] = markdown_sections(text, 0)
    if not sections:
        sections = build_sections(text, 0, posts_start)
    if posts and posts_start is not None:
        sections = [s for s in sections if s.span.start < posts_start]
        sections = [Section(s.title, s.type, Span(s.span.start, min(s.span.end, posts_start)),
                            Span(min(s.body.start, posts_start), min(s.body.end, posts_start)), s.level)
                    for s in sections]
        sections.append(Section("Posts", "posts", Span(posts_start, posts[-1].span.end),
                                Span(posts[0].span.start, posts[-1].span.end)))
    kind: DocumentKind = guess_kind(sections, tuple(posts))
    meta = _MODIFIED_META.search(raw.text)
    published = _date(getattr(extracted, "date", None))
    modified = parse_date(meta.group(1)) if meta else published
    title = getattr(extracted, "title", None) or None
    author = getattr(extracted, "author", None) or None
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind=kind, format="html",
                    title=title, modified=modified, published=published, author=author,
                    sections=tuple(sections), posts=tuple(posts), metadata=stated_fields(text),
                    encoding=raw.encoding, notes=raw.notes)
