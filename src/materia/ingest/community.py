"""Community pages: an editorial part, then user posts ("Posted by NAME (PLACE) on DATE").

Each post becomes a `Post` whose span runs from its "Posted by" line through its body;
its topic is the heading line just above it. The editorial part is sectioned like plain text.
"""
from __future__ import annotations

import re

from materia.ingest.registry import RawFile, reader
from materia.ingest.structure import (
    Paragraph,
    build_sections,
    find_modified,
    first_line_title,
    looks_like_heading,
    paragraphs,
    parse_date,
)
from materia.types import Document, Post, Section, Span

_POSTED = re.compile(
    r"^[^\S\n]*Posted by[^\S\n]+(?P<author>[^\n(]+?)[^\S\n]*(?:\((?P<location>[^)\n]*)\))?[^\S\n]+on[^\S\n]+"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}|\w{3,9}\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[^\S\n]+(?P<count>[\d,]+)[^\S\n]+posts?)?[^\S\n]*$", re.M | re.I)
_STARS = re.compile(r"^[^\S\n]*(?P<stars>[★☆]{1,10})[^\S\n]*$", re.M)
_EDITORS = re.compile(r"^[^\S\n]*Editor'?’?s Choice[^\S\n]*$", re.M | re.I)


def sniff(raw: RawFile) -> bool:
    return _POSTED.search(raw.text) is not None


def _topic(paras: list[Paragraph], header_start: int) -> Paragraph | None:
    """The heading paragraph directly above a post header, if there is one."""
    before = [p for p in paras if p.span.end <= header_start]
    if before and before[-1].single_line and looks_like_heading(before[-1].text) \
            and not _POSTED.match(before[-1].text):
        return before[-1]
    return None


def find_posts(text: str) -> tuple[list[Post], int | None]:
    """Posts in text, and where the posts part starts (the first post's topic heading)."""
    headers = list(_POSTED.finditer(text))
    if not headers:
        return [], None
    paras = paragraphs(text)
    topics = [_topic(paras, h.start()) for h in headers]
    posts: list[Post] = []
    for i, h in enumerate(headers):
        limit = len(text)
        if i + 1 < len(headers):
            nxt_topic = topics[i + 1]
            limit = nxt_topic.span.start if nxt_topic is not None else headers[i + 1].start()
        cursor = h.end()
        stars = _STARS.match(text, cursor + 1) if cursor < len(text) else None
        rating = None
        if stars is not None and stars.end() <= limit:
            rating = stars.group("stars").count("★")
            cursor = stars.end()
        lead = paragraphs(text, cursor, limit)[:1]
        choice = _EDITORS.match(text, lead[0].span.start) if lead else None
        editors = choice is not None
        if choice is not None:
            cursor = choice.end()
        body_paras = paragraphs(text, cursor, limit)
        end = body_paras[-1].span.end if body_paras else cursor
        body = Span(body_paras[0].span.start, end) if body_paras else None
        count = h.group("count")
        location = h.group("location")
        topic = topics[i]
        posts.append(Post(span=Span(h.start(), end), author=h.group("author").strip(),
                          location=location.strip() if location else None, date=parse_date(h.group("date")),
                          rating=rating, rating_scale=5, topic=topic.text.strip() if topic else None,
                          editors_choice=editors, author_post_count=int(count.replace(",", "")) if count else None,
                          body=body))
    first = topics[0].span.start if topics[0] is not None else headers[0].start()
    return posts, first


@reader("community", sniff=sniff)
def read_community(raw: RawFile) -> Document:
    text = raw.text
    title = first_line_title(text)
    posts, start = find_posts(text)
    sections: list[Section] = build_sections(text, 0, start, title=title)
    if posts and start is not None:
        sections.append(Section(title="Posts", type="posts", span=Span(start, posts[-1].span.end),
                                body=Span(posts[0].span.start, posts[-1].span.end)))
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind="community", format="community",
                    title=title, modified=find_modified(text), sections=tuple(sections), posts=tuple(posts),
                    encoding=raw.encoding, notes=raw.notes)
