"""Uses: conditions and goals a substance is used or studied for, with stance and evidence.

A name (curated lay names, then Disease Ontology names) counts as a use only where the
text speaks of using it: a use cue in its sentence, a list under a lead-in or heading about
uses or benefits, or a community post reporting improvement. Side-effect, precaution and
reference passages are skipped. Stance reads the sentence and the one or two after it
("However, ... not statistically significant"); evidence reads the sentence, then its cited
references' titles, then those following sentences. One use is kept per name and document:
the mention with the strongest evidence, so the knowledge base compares documents' best claims.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from materia.extract.parse import Parsed, automaton_iter, lower_same_length
from materia.lexicons.cues import disease_ontology_names, use_concepts, use_cues
from materia.types import Evidence, Reference, Section, Span, Stance, Use

__all__ = ["find", "headings", "lead_of", "lowered"]

_EVIDENCE_RANK: dict[str, int] = {
    "meta_analysis": 6, "rct": 5, "clinical": 4, "observational": 3, "in_vitro": 2, "anecdote": 1, "none": 0,
}
_SKIP_SECTIONS = frozenset({"side_effects", "precautions", "interactions", "contraindications", "warnings",
                            "boxed_warning", "references", "disclaimer", "boilerplate"})
_BULLET = re.compile(r"[ \t]*(?:[•*\-–·▪◦]|\d{1,2}[.)]|[a-z][.)])\s")
_HEADING = re.compile(r"[ \t]*(?:#{1,6}[ \t]+)?(?:\d{1,2}[.)][ \t]+)?[^\n]{1,90}")
_END_PUNCT = re.compile(r"[.!?;,:]\W*$")
_CITATION_BRACKET = re.compile(r"[\[(]((?:\d{1,3}\s*(?:[,–-]\s*)?)+)[\])]")
_CITATION_TAIL = re.compile(r"[.!?][\"”’)\]]*((?:\d{1,3})(?:[ ,–-]\d{1,3})*)\s*$")
_REFERENCE_ENTRY = re.compile(r"\bet al\b.*\b(?:19|20)\d\d\b", re.DOTALL)
_POST_START = re.compile(r"^[ \t]*Posted by\b.*$", re.MULTILINE)
_POST_GOOD = re.compile(r"\b(?:improv\w*|helped|helps|better|relie\w+|healed|cured|works?)\b", re.IGNORECASE)
_POST_BAD = re.compile(r"\b(?:did(?:n't| not) (?:help|work)|no (?:effect|difference|change)|worse)\b", re.IGNORECASE)
_WORD = re.compile(r"\w")
_LONG = 800
_THREE_LETTERS = re.compile(r"(?:[^\W\d_][^a-zA-Z]*){3}")


@dataclass(frozen=True, slots=True)
class _Mention:
    name: str
    span: Span


def lowered(text: str) -> str:
    """Lower-cased text with the same length (so offsets still index the original)."""
    return lower_same_length(text).replace("’", "'")


@lru_cache(maxsize=1)
def _automaton() -> Any:
    concepts, exclude = use_concepts()
    auto = ahocorasick.Automaton()
    for name in disease_ontology_names():
        if len(name) >= 4 and name not in exclude:
            auto.add_word(name, (len(name), name))
    for surface, canonical in concepts.items():  # curated names win over ontology names
        auto.add_word(surface, (len(surface), canonical))
    auto.make_automaton()
    return auto


def _mentions(low: str) -> list[_Mention]:
    """Longest whole-word matches, left to right, never overlapping."""
    found: list[tuple[int, int, str]] = []
    for end, (length, canonical) in automaton_iter(_automaton(), low):
        start = end - length + 1
        if start > 0 and _WORD.match(low[start - 1]):
            continue
        if end + 1 < len(low) and _WORD.match(low[end + 1]) and not (low[end + 1] == "s" and (
                end + 2 >= len(low) or not _WORD.match(low[end + 2]))):
            continue
        found.append((start, end + 1, canonical))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[_Mention] = []
    last_end = -1
    for start, end, canonical in found:
        if start >= last_end:
            out.append(_Mention(canonical, Span(start, end)))
            last_end = end
    return out


def headings(parsed: Parsed) -> list[Span]:
    """Sentences that look like headings: one short line without closing punctuation."""
    text = parsed.text
    out: list[Span] = []
    for s in parsed.sentences:
        chunk = text[s.start:s.end]
        if "\n" in chunk or len(chunk) > 90 or _END_PUNCT.search(chunk) or not _HEADING.fullmatch(chunk):
            continue
        if _BULLET.match(chunk) and not re.match(r"[ \t]*\d{1,2}[.)]\s", chunk):
            continue
        if not _THREE_LETTERS.search(chunk):
            continue
        out.append(s)
    return out


def _heading_texts(parsed: Parsed, heads: list[Span], starts: list[int], offset: int, n: int = 2) -> list[str]:
    i = bisect.bisect_right(starts, offset) - 1
    return [heads[j].of(parsed.text) for j in range(i, max(-1, i - n), -1) if heads[j].end <= offset]


def lead_of(parsed: Parsed, index: int) -> Span | None:
    """For a list item, the sentence introducing the list (ending in a colon), if any."""
    text = parsed.text
    j = index
    while j >= 0 and j > index - 60 and _BULLET.match(text, parsed.sentences[j].start):
        j -= 1
    if j == index or j < 0:
        return None
    lead = parsed.sentences[j]
    if lead.end - lead.start > _LONG:
        return None
    return lead if text[lead.start:lead.end].rstrip().endswith(":") else None


@lru_cache(maxsize=4096)
def _any(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    """Cached: a sentence holding many names is tested once per cue list."""
    return any(p.search(text) for p in patterns)


def _evidence(text: str, cues: dict[str, Any]) -> Evidence | None:
    for kind in ("meta_analysis", "rct", "clinical", "observational", "in_vitro", "anecdote"):
        if _any(cues["evidence"].get(kind, ()), text):
            return kind  # type: ignore[return-value]
    return None


def _stance(text: str, cues: dict[str, Any]) -> Stance | None:
    for kind in ("no_benefit", "mixed", "unclear"):
        if _any(cues["stance"].get(kind, ()), text):
            return kind  # type: ignore[return-value]
    return None


def _refs(sentence: str) -> tuple[int, ...]:
    nums: list[int] = []
    for match in _CITATION_BRACKET.finditer(sentence):
        nums.extend(_expand(match.group(1)))
    tail = _CITATION_TAIL.search(sentence)
    if tail:
        nums.extend(_expand(tail.group(1)))
    return tuple(dict.fromkeys(n for n in nums if 0 < n < 1000))


def _expand(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[,\s]+", group.strip()):
        bounds = [int(b) for b in re.split(r"[–-]", part) if b.isdigit()]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < 50:
            out.extend(range(bounds[0], bounds[1] + 1))
        else:
            out.extend(bounds)
    return out


def _ref_evidence(refs: tuple[int, ...], references: dict[int, Reference], cues: dict[str, Any]) -> Evidence | None:
    best: Evidence | None = None
    for n in refs:
        ref = references.get(n)
        found = _evidence(ref.title or "", cues) if ref is not None else None
        if found in ("meta_analysis", "rct") and (best is None or _EVIDENCE_RANK[found] > _EVIDENCE_RANK[best]):
            best = found
    return best


def _post_spans(parsed: Parsed) -> list[Span]:
    spans = [p.body or p.span for p in parsed.document.posts]
    spans += [s.body for s in parsed.document.sections if s.type == "posts"]
    if not spans:
        starts = [m.start() for m in _POST_START.finditer(parsed.text)]
        spans = [Span(a, b) for a, b in zip(starts, [*starts[1:], len(parsed.text)])]
    return spans


class _SpanIndex:
    """The first span, in list order, containing a given span. Asked once per mention: a scan of every
    post or reference each time was quadratic. The sorted, disjoint head of the list (document posts,
    reference entries) is binary-searched; whatever follows (post-section bodies) is scanned."""

    def __init__(self, spans: list[Span]) -> None:
        k = 1
        while k < len(spans) and spans[k - 1].end <= spans[k].start:
            k += 1
        self._head, self._rest = spans[:k], spans[k:]
        self._starts = [s.start for s in self._head]

    def containing(self, span: Span) -> Span | None:
        i = bisect.bisect_right(self._starts, span.start) - 1
        if i >= 0 and self._head[i].contains(span):  # disjoint: no other head span can contain it
            return self._head[i]
        return next((s for s in self._rest if s.contains(span)), None)


class _Posts(_SpanIndex):
    """Posts, and whether each reports improvement, worked out once per post."""

    def __init__(self, spans: list[Span]) -> None:
        super().__init__(spans)
        self._verdicts: dict[Span, tuple[bool, bool]] = {}

    def verdict(self, text: str, span: Span) -> tuple[bool, bool]:
        """(reports improvement, reports no effect) for the post or sentence `span`."""
        if span not in self._verdicts:
            body = span.of(text)
            self._verdicts[span] = (_POST_GOOD.search(body) is not None, _POST_BAD.search(body) is not None)
        return self._verdicts[span]


def _same_paragraph(text: str, a: Span, b: Span) -> bool:
    return "\n\n" not in text[a.end:b.start].replace(" ", "").replace("\t", "")


def find(parsed: Parsed, references: tuple[Reference, ...]) -> list[Use]:
    """Uses of the document, one per canonical name (the best-evidenced mention)."""
    text = parsed.text
    if not text or not parsed.sentences:
        return []
    cues = use_cues()
    refs_by_n = {r.n: r for r in references}
    ref_spans = _SpanIndex([r.span for r in references])
    heads = headings(parsed)
    head_starts = [h.start for h in heads]
    posts = _Posts(_post_spans(parsed))
    sent_starts = [s.start for s in parsed.sentences]
    best: dict[str, tuple[int, int, Use]] = {}
    memo: dict[tuple[int, int], _Reading | None] = {}
    for order, mention in enumerate(_mentions(lowered(text))):
        index = bisect.bisect_right(sent_starts, mention.span.start) - 1
        if index < 0 or not parsed.sentences[index].contains(mention.span):
            continue
        use = _judge(parsed, index, mention, cues, refs_by_n, ref_spans, heads, head_starts, posts, memo)
        if use is None:
            continue
        rank = _EVIDENCE_RANK[use.evidence]
        if use.name not in best or rank > best[use.name][0]:
            best[use.name] = (rank, order, use)
    return [u for _, _, u in sorted(best.values(), key=lambda t: t[2].span.start)]


def _judge(parsed: Parsed, index: int, mention: _Mention, cues: dict[str, Any],
           refs_by_n: dict[int, Reference], ref_spans: _SpanIndex, heads: list[Span],
           head_starts: list[int], posts: _Posts, memo: dict[tuple[int, int], _Reading | None]) -> Use | None:
    """The use a mention stands for, or None when its context is not a use."""
    text = parsed.text
    sentence = parsed.sentences[index]
    if sentence.end - sentence.start > _LONG:  # unsplit text: read only the mention's neighbourhood
        sentence = Span(max(sentence.start, mention.span.start - _LONG // 2),
                        min(sentence.end, mention.span.end + _LONG // 2))
    sent_text = sentence.of(text)
    if ref_spans.containing(mention.span) is not None or _REFERENCE_ENTRY.search(sent_text):
        return None
    section = parsed.section_at(mention.span.start)
    if section is not None and section.type in _SKIP_SECTIONS:
        return None
    if "?" in text[mention.span.end:sentence.end].split("\n")[0] and "?" not in text[sentence.start:mention.span.start]:
        return None  # inside a question: the answer, not the question, takes a position
    post = posts.containing(mention.span)
    if post is not None or (section is not None and section.type == "posts"):
        good, bad = posts.verdict(text, post or sentence)
        stance: Stance = "no_benefit" if bad and not good else "benefit"
        if not (good or bad):
            return None
        return Use(mention.name, mention.span, stance, "anecdote", _refs(sent_text), sentence)
    key = (sentence.start, sentence.end)
    if key not in memo:
        memo[key] = _reading(parsed, index, sentence, section, cues, refs_by_n, heads, head_starts)
    reading = memo[key]
    if reading is None:
        return None
    stance, evidence, refs, evidence_sentence = reading
    return Use(mention.name, mention.span, stance, evidence, refs, evidence_sentence)


_Reading = tuple[Stance, Evidence, tuple[int, ...], Span]


def _reading(parsed: Parsed, index: int, sentence: Span, section: Section | None, cues: dict[str, Any],
             refs_by_n: dict[int, Reference], heads: list[Span], head_starts: list[int]) -> _Reading | None:
    """What a sentence says about the uses it names (the same for every name in it), or None."""
    text = parsed.text
    sent_text = sentence.of(text)
    head_texts = _heading_texts(parsed, heads, head_starts, sentence.start)
    if head_texts and _any(cues["not_heading"], head_texts[0]):
        return None
    lead = lead_of(parsed, index)
    lead_text = lead.of(text) if lead else ""
    if _any(cues["not_context"], sent_text) or (lead_text and _any(cues["not_context"], lead_text)):
        return None
    if section is not None and section.title:
        head_texts.append(section.title)
    in_context = (_any(cues["context"], sent_text)
                  or bool(lead_text and _any(cues["context"], lead_text))
                  or any(_any(cues["heading"], h) for h in head_texts[:1] + head_texts[-1:]))
    if not in_context:
        return None
    window = _window(parsed, index)
    own_stance = _stance(sent_text, cues)
    stance_span = sentence
    stance = own_stance
    if stance is None:
        for nxt in window:  # the first qualifier decides; the evidence runs to the last one
            found = _stance(nxt.of(text), cues)
            if found is not None:
                stance = stance or found
                stance_span = nxt
    own_refs = _refs(sent_text)
    window_refs = tuple(n for w in window for n in _refs(w.of(text)))
    evidence = (_evidence(sent_text, cues) or _ref_evidence(own_refs, refs_by_n, cues)
                or (_evidence(lead_text, cues) if lead_text else None)
                or next((e for w in window if (e := _evidence(w.of(text), cues))), None)
                or _ref_evidence(window_refs, refs_by_n, cues)
                or next((e for h in head_texts if (e := _evidence(h, cues))), None)
                or "none")
    refs = own_refs or window_refs
    evidence_sentence = Span(sentence.start, max(sentence.end, stance_span.end))
    return (stance or "benefit"), evidence, refs, evidence_sentence


def _window(parsed: Parsed, index: int) -> list[Span]:
    """The next sentence of the paragraph, and the one after when the next names no other use."""
    text = parsed.text
    out: list[Span] = []
    here = parsed.sentences[index]
    for j in range(index + 1, min(index + 3, len(parsed.sentences))):
        nxt = parsed.sentences[j]
        if nxt.end - nxt.start > _LONG or not _same_paragraph(text, here, nxt) or _BULLET.match(text, nxt.start):
            break
        out.append(nxt)
        if _mentions(lowered(nxt.of(text))):
            break
        here = nxt
    return out
