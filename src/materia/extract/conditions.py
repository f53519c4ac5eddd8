"""Conditions under study: what a use or trial sentence is about.

A condition is under study when it is the population of the sentence ("patients with sepsis",
"trials in Crohn's disease", "sepsis patients", a fronted "In cancer cachexia, ...") or the object of
a use verb or noun ("for cachexia", "reduce the risk of stroke", "was not effective in reducing the
frequency of angina attacks"). A few words and list items may stand between the lead and the
condition, but never a verb or a clause boundary (`gap_breaks`). Such a condition is a use
candidate (extract.uses) and never an adverse effect (extract.effects): the one place both ask.
Cue lists are data: `under_study` in lexicons/cues_uses.yaml.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import ahocorasick

from materia.lexicons.cues import condition_cues
from materia.types import Span

__all__ = ["StudyRole", "study_lead", "under_study"]

StudyRole = Literal["population", "object"]
_REACH = 120  # chars from the end of a lead to the condition, at most
_MAX_RUN = 5    # words between the lead and the condition or the first list item ("the frequency of")
_MAX_ITEMS = 6  # list items before it ("reduce the risk of heart attack, stroke, ... and chest pain")
# near leads ("for", "against") reach only over a few modifiers: "for moderate to severe X", not "for signs of X"
_FRONTED = re.compile(r"[ \t]*(?:in|among)[ \t]+(?:[\w'’-]+[ \t]+){0,2}?", re.IGNORECASE)
_FRONTED_END = re.compile(r"[ \t]*(?:\([^)]{0,40}\)[ \t]*)?,")


@dataclass(frozen=True, eq=False)
class _Grammar:
    anchors: Any  # ahocorasick.Automaton: anchor word -> indices of the leads it opens
    leads: tuple[tuple[StudyRole, bool, re.Pattern[str]], ...]  # (role, near, expression)
    gap: re.Pattern[str]
    near_gap: re.Pattern[str]  # "for severe X": two words at most, no list
    after: re.Pattern[str]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    cues = condition_cues()
    automaton = ahocorasick.Automaton()
    opens: dict[str, list[int]] = {}
    for i, (_, anchors, _) in enumerate(cues.leads):
        for anchor in anchors:
            opens.setdefault(anchor, []).append(i)
    for anchor, indices in opens.items():
        automaton.add_word(anchor, (len(anchor), tuple(indices)))
    automaton.make_automaton()
    list_sep = (r"(?:[ \t]*,[ \t]*(?:(?:and|or|and/or|nor|but not)[ \t]+)?"
                r"|[ \t]+(?:and|or|and/or|nor|but not|as well as)[ \t]+)")
    word = rf"(?!(?:{cues.gap_breaks}))[\w'’/-]+"
    run = rf"(?:[ \t]+{word}){{0,{_MAX_RUN}}}"
    item = rf"{list_sep}{word}(?:[ \t]+{word}){{0,{_MAX_RUN - 1}}}"
    gap = re.compile(rf"{run}(?:{item}){{0,{_MAX_ITEMS}}}(?:{list_sep}|[ \t]+)", re.IGNORECASE)
    near_gap = re.compile(rf"(?:[ \t]+(?!(?:of|signs?|symptoms?)\b){word}){{0,3}}[ \t]+", re.IGNORECASE)
    leads: tuple[tuple[Literal["population", "object"], bool, re.Pattern[str]], ...] = tuple(
        ("population" if kind == "population" else "object", kind == "object_near", rx) for kind, _, rx in cues.leads)
    return _Grammar(automaton, leads, gap, near_gap, cues.after)


@lru_cache(maxsize=256)
def _leads(text: str, lo: int, hi: int) -> tuple[tuple[int, ...], tuple[tuple[StudyRole, bool], ...]]:
    """Where each lead of the sentence text[lo:hi] ends, and its role. Leads are tried only where
    an anchor word starts (an automaton over the sentence), which keeps this cheap on long labels;
    cached, since a sentence is asked about every condition it names."""
    grammar = _grammar()
    low = text[lo:hi].lower()
    if len(low) != hi - lo:  # a few characters lower-case to two: keep offsets exact
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text[lo:hi])
    found: dict[int, tuple[StudyRole, bool]] = {}
    for last, (length, indices) in grammar.anchors.iter(low):
        first = last - length + 1
        if first > 0 and (low[first - 1].isalnum() or low[first - 1] == "-"):
            continue
        for i in indices:
            role, near, pattern = grammar.leads[i]
            m = pattern.match(text, lo + first, hi)
            if m:
                found.setdefault(m.end(), (role, near))
                break
    ends = tuple(sorted(found))
    return ends, tuple(found[e] for e in ends)


def study_lead(text: str, sentence: Span | None, start: int, end: int) -> tuple[StudyRole, int] | None:
    """The role of the condition at text[start:end] in its sentence and where the lead making it
    so ends (`end` itself for a condition named before its lead), or None when it is not under study."""
    lo = sentence.start if sentence else max(0, text.rfind("\n", 0, start) + 1)
    hi = sentence.end if sentence else len(text)
    grammar = _grammar()
    if grammar.after.match(text, end, min(hi, end + 40)):
        return "population", end
    if start - lo <= 60 and _FRONTED.fullmatch(text, lo, start) and _FRONTED_END.match(text, end, hi):
        return "population", lo  # "In cancer cachexia, ..."
    ends, roles = _leads(text, lo, hi)
    i = bisect.bisect_right(ends, start) - 1
    while i >= 0 and start - ends[i] <= _REACH:  # the nearest lead; past a near one ("risk for") the one before
        role, near = roles[i]
        if (grammar.near_gap if near else grammar.gap).fullmatch(text, ends[i], start):
            return role, ends[i]
        if not near:
            break
        i -= 1
    return None


def under_study(text: str, sentence: Span | None, start: int, end: int) -> StudyRole | None:
    """The role of the condition at text[start:end] in its sentence, or None when it is not under study."""
    lead = study_lead(text, sentence, start, end)
    return lead[0] if lead else None
