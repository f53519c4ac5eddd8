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


def tokens(text: str, marks: Iterable[Mark], window: tuple[int, int] | None = None) -> list[Token]:
    """Nested open/text/close tokens covering `text` (or its `window` [start, end)) exactly once, in order.
    Marks are clipped to the window; a mark starting before it gets no anchor here (the page it starts on has it)."""
    lo, hi = window if window is not None else (0, len(text))
    placed = sorted(
        ((max(m.start, lo), min(m.end, hi), m) for m in set(marks)
         if 0 <= m.start < m.end <= len(text) and m.start < hi and m.end > lo),
        # total: the page is the same in every process
        key=lambda t: (t[0], -t[1], t[2].start, t[2].end, t[2].category, t[2].label),
    )
    out: list[Token] = []
    stack: list[Mark] = []
    used: set[str] = set()
    pos = lo

    def close_top() -> None:
        nonlocal pos
        top = stack.pop()
        if top.end > pos:
            out.append(Token("text", text[pos:top.end]))
            pos = top.end
        out.append(Token("close"))

    for start, stop, mark in placed:
        while stack and stack[-1].end <= start:
            close_top()
        end = min(stop, stack[-1].end) if stack else stop
        if end <= start:
            continue
        if start > pos:
            out.append(Token("text", text[pos:start]))
            pos = start
        clipped = Mark(start, end, mark.category, mark.label)
        anchor = anchor_id(mark.start, mark.end) if mark.start >= lo else None
        out.append(Token("open", mark=clipped, anchor=None if anchor is None or anchor in used else anchor))
        if anchor:
            used.add(anchor)
        stack.append(clipped)
    while stack:
        close_top()
    if pos < hi:
        out.append(Token("text", text[pos:hi]))
    return out
