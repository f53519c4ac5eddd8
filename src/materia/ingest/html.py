"""HTML pages: trafilatura finds the main text and the metadata.

`Document.text` is the extracted main text (Markdown-style, so headings survive as `#`
lines) and every span indexes it; boilerplate (navigation, footers) is left out by
trafilatura. Sections come from the heading lines, posts from "Posted by" lines.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import trafilatura

from materia.errors import ReadError
from materia.ingest.community import find_posts
from materia.ingest.markdown import markdown_sections
from materia.ingest.registry import RawFile, reader
from materia.ingest.structure import build_sections, guess_kind, parse_date, stated_fields
from materia.types import Document, DocumentKind, Section, Span

_HTML = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
# Parts of markup where "<div>" is not a tag, then tags; names are lower-cased by the caller.
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>",
                  re.S | re.I)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# libxml2 stops building the tree 256 elements deep, and everything below is lost; tags deeper
# than this are dropped before parsing (their text is kept, inside the deepest kept element)
_MAX_DEPTH = 200
_MODIFIED_META = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:modified_time|og:updated_time|dateModified|"""
    r"""last-modified)["'][^>]*content=["'](\d{4}-\d{2}-\d{2})""", re.I)


def sniff(raw: RawFile) -> bool:
    return _HTML.search(raw.text[:2048]) is not None


def _date(value: object) -> date | None:
    return parse_date(str(value)[:10]) if value else None


def _flatten(markup: str) -> tuple[str, int]:
    """`markup` without the tags nested deeper than _MAX_DEPTH, and the deepest nesting seen."""
    stack: list[tuple[str, bool]] = []  # (tag name, dropped)
    open_count: Counter[str] = Counter()
    drop: list[tuple[int, int]] = []
    deepest = 0
    for m in _TAG.finditer(markup):
        name = m.group(3)
        if name is None:
            continue
        name = name.lower()
        if m.group(2):  # a closing tag closes the nearest open element of its name, and those inside it
            if not open_count[name]:
                continue  # a stray closing tag; searching the stack for it would make this quadratic
            k = len(stack) - 1
            while stack[k][0] != name:
                k -= 1
            if stack[k][1]:
                drop.append(m.span())
            for closed, _ in stack[k:]:
                open_count[closed] -= 1
            del stack[k:]
        elif name not in _VOID and not m.group(4):
            dropped = len(stack) >= _MAX_DEPTH
            if dropped:
                drop.append(m.span())
            stack.append((name, dropped))
            open_count[name] += 1
            deepest = max(deepest, len(stack))
    if not drop:
        return markup, deepest
    kept: list[str] = []
    pos = 0
    for start, end in drop:
        kept.append(markup[pos:start])
        pos = end
    kept.append(markup[pos:])
    return "".join(kept), deepest


@reader("html", sniff=sniff, suffixes=(".html", ".htm", ".xhtml"))
def read_html(raw: RawFile) -> Document:
    markup, deepest = _flatten(raw.text)
    notes = raw.notes
    if markup is not raw.text:
        notes = (*notes,
                 f"HTML nested {deepest} elements deep; tags below {_MAX_DEPTH} levels ignored, their text kept")
    try:
        extracted = trafilatura.bare_extraction(markup, with_metadata=True, output_format="python",
                                                include_formatting=True, include_comments=True,
                                                include_tables=True, favor_recall=True)
    except Exception as exc:  # trafilatura/htmldate/lxml trip over some broken markup (AssertionError, ValueError)
        raise ReadError(raw.source, f"HTML could not be parsed ({type(exc).__name__} in trafilatura)") from exc
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
                    encoding=raw.encoding, notes=notes)
