"""One writer's report with no structure: a post or a single review.

A plain text with no headings, written in the first person, is a post (kind "community"): its whole text is
one Post, so the experience reading of extract/ applies. `as_kind` applies a kind the user states
(`--kind post|review|article|monograph|label`) to a document read with the sniffed reader.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal, get_args

from materia.types import Document, DocumentKind, Post, Section, Span

UserKind = Literal["post", "review", "article", "monograph", "label"]
USER_KINDS: tuple[str, ...] = get_args(UserKind)
# The kind of document each kind a user can name is stored as.
_DOCUMENT_KIND: dict[str, DocumentKind] = {"post": "community", "review": "review", "article": "article",
                                           "monograph": "monograph", "label": "label"}
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|im|ive)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_MAX_POST_CHARS = 20_000  # longer first-person texts are essays or pages, not a post
_SHORT_POST_CHARS = 3_000
# what a report of one's own experience says, in the past tense ("Took it for 2 weeks. Had headaches.")
_EXPERIENCE = re.compile(r"\b(?:took|taking|felt|had|experienced|noticed|tried|stopped|started|worked|helped|"
                         r"caused|gave|made|prescribed|used|developed|got|lost|gained|began|became|went away|"
                         r"side[- ]?effects?)\b", re.IGNORECASE)
_SHORT_REVIEW_CHARS = 1_000
# what a short review says of a product ("Great for reflux. Works well, good taste.")
# what a short text about other people says: a study or a label's summary, not one writer's report
_ABOUT_OTHERS = re.compile(r"\b(?:patients|participants|subjects|study|studies|trials?|randomi[sz]ed|incidence|"
                           r"adverse reactions|is used (?:to|for))\b",
                           re.IGNORECASE)
# people in general: a page's subject, unless the writer speaks of themselves too ("for my body ... it is surprising
# how many people do not treat cold sores")
_PEOPLE = re.compile(r"\b(?:some|many|most) people\b", re.IGNORECASE)
_DENIED = re.compile(r"(?:\bno|\bnot|\bnone|\bnever|\bnothing|n't)\b", re.IGNORECASE)
_SAID_WORDS = 4  # a heading of this many words, in the first person or denying, is the writer's sentence
_MARKUP = re.compile(r"^[ \t]*(?:#{1,6}\s|\[\d+\]|\d+\.\s+[A-Z][^\n]{0,80}\(\d{4}\))", re.MULTILINE)


def first_person(text: str) -> bool:
    """At least one word in 40 is I/me/my (posts run one in 10-20; articles well under one in 100)."""
    words = len(_WORD.findall(text))
    return words > 0 and len(_FIRST_PERSON.findall(text)) * 40 >= words


def _said(line: str) -> bool:
    """A short line read as a heading that is a sentence of the writer's: in the first person ("The only side
    effect that I had was the nausea"), a denial ("No side effects", "Didn't have any side effects"), or long
    ("Treatment side effects included dryness, itchiness and sensitivity to the sun"). A page's headings are
    names of parts ("Side effects", "Possible side effects of zinc")."""
    words = _WORD.findall(line)
    return len(words) >= _SAID_WORDS + 3 or (len(words) >= _SAID_WORDS and _FIRST_PERSON.search(line) is not None) \
        or (len(words) >= 2 and _DENIED.search(line) is not None)


def looks_like_post(document: Document) -> bool:
    """No headings that name a part of a page (short lines such as "None" or "Sleep well" are a post's own
    words), no markup, and written as experience: in the first person, or short and naming the writer or telling
    what happened, or very short; a short text about patients or studies is not a post."""
    text = document.text
    if len(text) > _MAX_POST_CHARS or document.posts or _MARKUP.search(text):
        return False
    if any(s.title and s.type not in ("other", "disclaimer") and not _said(s.title) for s in document.sections):
        return False
    if first_person(text):
        return True
    if len(text) > _SHORT_POST_CHARS or _ABOUT_OTHERS.search(text):
        return False
    if _PEOPLE.search(text) and _FIRST_PERSON.search(text) is None:
        return False
    # a short text with no headings and no word of studies is a review or a post, whatever its grammar
    return (_FIRST_PERSON.search(text) is not None or _EXPERIENCE.search(text) is not None
            or len(text) <= _SHORT_REVIEW_CHARS)


def as_post(document: Document, kind: DocumentKind = "community") -> Document:
    """The document as one post: its whole (trimmed) text is the post's body."""
    text = document.text
    start = len(text) - len(text.lstrip())
    span = Span(start, max(start, len(text.rstrip())))
    return replace(document, kind=kind, title=None, posts=(Post(span=span, body=span),),
                   sections=(Section(title="", type="posts", span=span, body=span),))


def as_kind(document: Document, kind: str) -> Document:
    """The document as the kind the user says it is; a post or review keeps its posts if the reader found some."""
    if kind not in USER_KINDS:
        raise ValueError(f"kind must be one of {', '.join(USER_KINDS)}")
    wanted = _DOCUMENT_KIND[kind]
    if kind in ("post", "review"):
        return replace(document, kind=wanted) if document.posts else as_post(document, wanted)
    if document.posts and document.format in ("text", "markdown") and document.sections and \
            all(s.type == "posts" for s in document.sections):
        return replace(document, kind=wanted, posts=(), sections=())  # sniffed as a post, but the user knows better
    return replace(document, kind=wanted)
