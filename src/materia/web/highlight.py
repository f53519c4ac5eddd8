"""Split a document's text into plain runs and <mark> runs for the source view.

Items may nest (a dose inside its sentence) or overlap; overlaps are clipped to the
enclosing mark so the HTML stays well formed. Text is never marked up here: the
template escapes every run.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    category: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Token:
    kind: Literal["text", "open", "close"]
    text: str = ""
    mark: Mark | None = None
    anchor: str | None = None


def anchor_id(start: int, end: int) -> str:
    """The fragment id citations link to: /documents/{id}#span-{start}-{end}."""
    return f"span-{start}-{end}"


def tokens(text: str, marks: Iterable[Mark]) -> list[Token]:
    """Nested open/text/close tokens covering `text` exactly once, in order."""
    n = len(text)
    ordered = sorted(
        {m for m in marks if 0 <= m.start < m.end <= n},
        key=lambda m: (m.start, -m.end, m.category, m.label),  # total: the page is the same in every process
    )
    out: list[Token] = []
    stack: list[Mark] = []
    used: set[str] = set()
    pos = 0

    def close_top() -> None:
        nonlocal pos
        top = stack.pop()
        if top.end > pos:
            out.append(Token("text", text[pos:top.end]))
            pos = top.end
        out.append(Token("close"))

    for mark in ordered:
        while stack and stack[-1].end <= mark.start:
            close_top()
        end = min(mark.end, stack[-1].end) if stack else mark.end
        if end <= mark.start:
            continue
        if mark.start > pos:
            out.append(Token("text", text[pos:mark.start]))
            pos = mark.start
        clipped = Mark(mark.start, end, mark.category, mark.label)
        anchor = anchor_id(mark.start, mark.end)
        out.append(Token("open", mark=clipped, anchor=None if anchor in used else anchor))
        used.add(anchor)
        stack.append(clipped)
    while stack:
        close_top()
    if pos < n:
        out.append(Token("text", text[pos:]))
    return out
