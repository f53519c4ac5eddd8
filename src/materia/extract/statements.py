"""Practical statements (timing, long-term safety, onset, storage, preparation) and their stance.

Cue rules are data (lexicons/statements.yaml). A question takes no position, so in a sentence
holding a question and its answer only the answer is read; when one sentence gives two positions
on a topic ("often on an empty stomach, but may be better tolerated with food"), the first one,
its main clause, is the stance.
"""
from __future__ import annotations

import bisect
import re

from materia.extract.parse import Parsed, for_lowered, may_match, required_words
from materia.lexicons.cues import statement_rules, statement_triggers
from materia.types import Span, Statement

__all__ = ["find"]

_SKIP_SECTIONS = frozenset({"references", "boilerplate", "disclaimer"})
_ANSWER_LEAD = re.compile(r"[\s*_\"”’)\]]*(?:A\s*[:.][\s*_]*)?")


def _answer(text: str, sentence: Span) -> Span | None:
    """The part of a sentence after its last question mark (all of it when there is none)."""
    chunk = sentence.of(text)
    q = chunk.rfind("?")
    if q < 0:
        return sentence
    lead = _ANSWER_LEAD.match(chunk, q + 1)
    start = sentence.start + (lead.end() if lead else q + 1)
    return Span(start, sentence.end) if start < sentence.end and text[start:sentence.end].strip() else None


def find(parsed: Parsed) -> list[Statement]:
    """One statement per topic and sentence, in document order."""
    text = parsed.text
    rules = statement_rules()
    rule_words = [required_words(pattern) for _, _, pattern in rules]
    triggers = statement_triggers()
    starts = [s.start for s in parsed.sentences]
    hits: dict[int, set[str]] = {}  # sentence index -> topics whose trigger it holds
    lower = parsed.lower
    for topic, trigger in triggers.items():
        for m in for_lowered(trigger).finditer(lower):
            hits.setdefault(bisect.bisect_right(starts, m.start()) - 1, set()).add(topic)
    candidates = sorted(i for i in hits if i >= 0)
    out: list[Statement] = []
    for index in candidates:
        sentence = parsed.sentences[index]
        section = parsed.section_at(sentence.start)
        if section is not None and section.type in _SKIP_SECTIONS:
            continue
        clause = _answer(text, sentence)
        if clause is None:
            continue
        chunk = clause.of(text)
        first: dict[str, tuple[int, str]] = {}
        for (topic, stance, pattern), words in zip(rules, rule_words, strict=True):
            if topic in triggers and topic not in hits[index]:
                continue
            # a rule's words before its search: most sentences holding a trigger ("day") hold no rule's words
            match = pattern.search(chunk) if may_match(words, chunk) else None
            if match is None or (topic in first and first[topic][0] <= match.start()):
                continue
            if stance == "$d":
                found = match.groupdict().get("d")
                if not found:
                    continue
                stance = re.sub(r"\s+", " ", found.strip())
            first[topic] = (match.start(), stance)
        for topic, (_, stance) in sorted(first.items(), key=lambda kv: kv[1][0]):
            out.append(Statement(topic, stance, clause))  # type: ignore[arg-type]
    return out
