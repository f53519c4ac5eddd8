"""Source text on the way into HTML: never as markup it carries, never reordered on screen.

- Bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates) are
  replaced by a visible marker such as "[U+202E]": a right-to-left override in a source cannot
  reverse a dose on screen. The template environment's `finalize` does this to every value a
  template prints (templates.py), attributes included, so no place can forget it.
- `inline_source` shows a quote as its writer formatted it: Markdown emphasis and code become
  <strong>, <em>, <code> (markdown-it with raw HTML off, then nh3 keeps only those tags); line
  markers (`* `, `1. `, `## `, `> `) and link syntax are dropped, keeping the words.
"""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_MARKER = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[*+-][ \t]+|\d{1,3}[.)][ \t]+)+", re.M)
_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")  # [words](target), ![alt](image)
_INLINE_SYNTAX = re.compile(r"[*_`\[\]!<>&\\~]")
INLINE_TAGS = {"strong", "em", "code"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["link", "image", "autolink"])


def bidi_marker(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group(0)):04X}]"


def neutralise_bidi(text: str) -> str:
    """`text` with every bidirectional control shown as a marker instead of applied."""
    return BIDI_CONTROLS.sub(bidi_marker, text) if BIDI_CONTROLS.search(text) else text


def finalize(value: object) -> object:
    """Jinja's `finalize`: a printed string has its bidi controls neutralised (markup is left as built)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return neutralise_bidi(value)
    return value


def flatten(text: str) -> str:
    """A passage on one line, its Markdown line markers (list bullets, headings, quotes) dropped."""
    return " ".join(_LINE_MARKER.sub("", text).split())


def excerpt(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary and ended with "…" when longer than `limit`."""
    flat = flatten(text)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",;:") + "…"


def inline_source(text: str, limit: int | None = None) -> Markup:
    """A quote from a source as safe inline HTML: one line, emphasis kept, nothing else of its markup."""
    flat = excerpt(text, limit) if limit else flatten(text)
    if not _INLINE_SYNTAX.search(flat):  # plain words: escaping is all it needs
        return Markup(escape(neutralise_bidi(flat)))
    flat = _LINK.sub(r"\1", flat)  # a link's words stay; where it led does not (the source view has it)
    html = nh3.clean(_markdown.renderInline(flat), tags=INLINE_TAGS, attributes={}, link_rel=None)
    return Markup(neutralise_bidi(html))
