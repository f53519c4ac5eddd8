"""Uses: conditions and goals a substance is used or studied for, with stance and evidence.

Where. Sections decide: a label's uses come only from its indications/usage and clinical-studies
sections (no enclosing section of another type); other documents' uses come from anywhere but
side-effect, caution, reference, boilerplate, overdosage, abuse, product and pharmacokinetic text.
A toxicology sentence (carcinogenicity, mutagenicity) never gives a use; an adverse finding ("an
increased incidence of hepatocellular adenoma") is not a use either.

Which names. Curated lay names and Disease Ontology names count where the text speaks of using
them: a use cue in the sentence, a list under a lead-in or heading about uses or benefits, a
community post reporting improvement. A condition under study (extract.conditions: "patients with
sepsis", "reduce the risk of stroke") also counts, from the side-effect vocabulary too, so the
conditions a study is about are uses and never side effects.

Stance, ConText-like: cues (lexicons/cues_uses.yaml) reach the uses of their own clause (clauses end
at "but", "however", "whereas", ";" ...), forward for "failed to", "was not effective in", "did not
find", "but not", backward for "similar to placebo", "did not differ"; the population of a study
("patients with X found that it was not effective") takes the finding of its clause. A clause with
no use of its own qualifies the others: "..., whereas a later trial found no effect" makes them mixed.
Mixed and unclear cues ("results were inconsistent", "preliminary") reach the whole sentence, then
the one or two sentences after it ("However, this result was not statistically significant").
Decisions: a hedge ("may", "might", "could", "suggests") keeps the stance the grammar gives, the
evidence kind says how strong it is; "preliminary", "emerging", "not confirmed" make it unclear; a
dose-dependent effect keeps its stance; a finding in animals or cells is never a benefit (unclear).

Evidence reads the use's clause for animals or cells (unless people were studied too), then the
sentence, its cited references' titles, a list's lead-in, the sentences after it and the headings.

One use is kept per name and document: the mention with the strongest evidence (at equal strength
the document's own conclusion, under "Key findings" or opening "Overall", then the first). When
studies in the document disagree (a benefit and no benefit, both from studies) the use is mixed,
unless that conclusion settles it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

import ahocorasick

from materia.extract.conditions import StudyRole, study_lead
from materia.extract.effects import may_name, names_in
from materia.extract.parse import IdentityMemo, Parsed, automaton_iter, longest_leftmost, lowered_for
from materia.extract.references import CitationIndex
from materia.lexicons.cues import EVIDENCE_CUES, disease_ontology_names, use_concepts, use_cues
from materia.lexicons.effects import cues as effect_cues
from materia.types import Evidence, Reference, Section, Span, Stance, Use

__all__ = ["find", "headings", "lead_of", "lowered"]

_EVIDENCE_RANK: dict[str, int] = {
    "meta_analysis": 7, "rct": 6, "clinical": 5, "observational": 4, "animal": 3, "in_vitro": 2, "anecdote": 1,
    "none": 0,
}
_STUDIED = _EVIDENCE_RANK["observational"]  # mentions at least this strong are studies that can disagree
_PRECLINICAL = ("animal", "in_vitro")
_SKIP_SECTIONS = frozenset({"side_effects", "precautions", "interactions", "contraindications", "warnings",
                            "boxed_warning", "references", "disclaimer", "boilerplate", "overdosage", "abuse",
                            "product", "pharmacokinetics"})
_LABEL_SECTIONS = frozenset({"usage", "clinical_studies"})  # a label's uses come only from these
_BULLET = re.compile(r"[ \t]*(?:[•*\-–·▪◦]|\d{1,2}[.)]|[a-z][.)])\s")
_HEADING = re.compile(r"[ \t]*(?:#{1,6}[ \t]+)?(?:\d{1,2}[.)][ \t]+)?[^\n]{1,90}")
_END_PUNCT = re.compile(r"[.!?;,:]\W*$")
# an undetected bibliography entry: it opens with authors ("Smith AB", "Smith, A.") and has "et al" and a year
# (an inline "(Smith et al., 2019)" citation does not make a sentence one)
_REFERENCE_ENTRY = re.compile(
    r"\W*(?:\[?\d{1,3}[.)\]]\s+)?[A-Z][\w'’-]+,? (?:[A-Z]{1,4}\b|[A-Z]\.).{0,400}?\bet al\b.*\b(?:19|20)\d\d\b",
    re.DOTALL)
_POST_START = re.compile(r"^[ \t]*Posted by\b.*$", re.MULTILINE)
_POST_GOOD = re.compile(r"\b(?:improv\w*|helped|helps|better|relie\w+|healed|cured|works?)\b", re.IGNORECASE)
_POST_BAD = re.compile(r"\b(?:did(?:n't| not) (?:help|work)|no (?:effect|difference|change)|worse)\b", re.IGNORECASE)
_WORD = re.compile(r"\w")
_CLINICAL_NAMED = re.compile(r"\bclinical\b", re.IGNORECASE)
# a subgroup of the people studied, named by what else they had ("effective in ED patients, including those
# with a history of coronary artery disease, hypertension, ... depression"): not what it was used for
_SUBGROUP = re.compile(r"\bincluding (?:those|patients|men|women|subjects|people|participants) "
                       r"(?:with|who had|who have)\b[^.;:]*$", re.IGNORECASE)
# what caused the condition of the people studied ("patients with erectile dysfunction attributed to complications
# of diabetes mellitus"): the cause of what was treated, not a use
_CAUSE_OF_CONDITION = re.compile(r"\b(?:patients|men|women|subjects|people|participants|those|children|adults) "
                                 r"(?:with|who had|who have)\b[^.;:]*\b(?:attributed to|attributable to|secondary "
                                 r"to|caused by|resulting from|as a result of)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_LONG = 800
_THREE_LETTERS = re.compile(r"(?:[^\W\d_][^a-zA-Z]*){3}")


@dataclass(frozen=True, slots=True)
class _Mention:
    name: str
    span: Span
    role: StudyRole | None = None  # known for conditions found by extract.conditions
    lead_end: int = -1


def lowered(text: str) -> str:
    """Lower-cased text with the same length (so offsets still index the original)."""
    low = text.lower().replace("’", "'")
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text).replace("’", "'")


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


def _mentions(low: str, offset: int = 0) -> list[_Mention]:
    """Longest whole-word matches, left to right, never overlapping (offsets shifted by `offset`)."""
    found: list[tuple[int, int, str]] = []
    for end, (length, canonical) in automaton_iter(_automaton(), low):
        start = end - length + 1
        if start > 0 and _WORD.match(low[start - 1]):
            continue
        if end + 1 < len(low) and _WORD.match(low[end + 1]) and not (low[end + 1] == "s" and (
                end + 2 >= len(low) or not _WORD.match(low[end + 2]))):
            continue
        found.append((start, end + 1, canonical))
    return [_Mention(canonical, Span(start + offset, end + offset))
            for start, end, canonical in longest_leftmost(found)]


@lru_cache(maxsize=4)  # uses.find and precautions.find of one document share them (Parsed hashes by identity)
def headings(parsed: Parsed) -> list[Span]:
    """Sentences that look like headings: one short line without closing punctuation. Shared: not to be changed."""
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


# _any's answers for one document (find clears them), by the cue list and the text: a sentence holding many names
# is tested once per cue list
_ANSWERS: IdentityMemo[bool] = IdentityMemo(4096)


def _any(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return _ANSWERS.get((id(patterns), text), patterns, _search_any, patterns, text)


def _search_any(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    searched_patterns, searched = lowered_for(patterns, text)
    return any(p.search(searched) for p in searched_patterns)


def _hits(patterns: tuple[re.Pattern[str], ...], text: str, offset: int) -> tuple[Span, ...]:
    patterns, text = lowered_for(patterns, text)
    return tuple(Span(m.start() + offset, m.end() + offset) for p in patterns for m in p.finditer(text))


def _evidence(text: str, cues: dict[str, Any]) -> Evidence | None:
    for kind in EVIDENCE_CUES:
        if _any(cues["evidence"].get(kind, ()), text):
            return kind  # type: ignore[return-value]
    return None


def _preclinical(text: str, cues: dict[str, Any]) -> Evidence | None:
    """Animals or cells, when no people were studied alongside them."""
    for kind in _PRECLINICAL:
        if _any(cues["evidence"].get(kind, ()), text):
            return None if _any(cues["human"], text) else kind  # type: ignore[return-value]
    return None


def _sentence_stance(text: str, cues: dict[str, Any]) -> Stance | None:
    """The stance a following sentence gives: any contrary finding, mixed or unclear cue in it."""
    stance = cues["stance"]
    if _any(stance.get("no_benefit", ()), text) or _any(stance.get("no_benefit_after", ()), text) \
            or _any(stance.get("worse", ()), text):
        return "mixed" if _any(stance.get("other_studies", ()), text) else "no_benefit"
    if _any(stance.get("mixed", ()), text):
        return "mixed"
    if _any(stance.get("unclear", ()), text):
        return "unclear"
    return None


def _ref_evidence(refs: tuple[int, ...], references: dict[int, Reference], cues: dict[str, Any]) -> Evidence | None:
    """The strongest design named in the titles of the cited references (clinical: too vague in titles)."""
    best: Evidence | None = None
    for n in refs:
        ref = references.get(n)
        found = _evidence(ref.title or "", cues) if ref is not None else None
        if found in (None, "clinical", "anecdote"):
            continue
        if best is None or _EVIDENCE_RANK[found] > _EVIDENCE_RANK[best]:
            best = found
    return best


def _post_spans(parsed: Parsed) -> list[Span]:
    spans = [p.body or p.span for p in parsed.document.posts]
    spans += [s.body for s in parsed.document.sections if s.type == "posts"]
    if not spans:
        starts = [m.start() for m in _POST_START.finditer(parsed.text)]
        spans = [Span(a, b) for a, b in zip(starts, [*starts[1:], len(parsed.text)], strict=False)]
    return spans


def _same_paragraph(text: str, a: Span, b: Span) -> bool:
    return "\n\n" not in text[a.end:b.start].replace(" ", "").replace("\t", "")


def _label_regions(parsed: Parsed) -> list[Span] | None:
    """A label's indications and clinical-studies sections (not inside a section of another type), none
    for a label of other sections only; None for other documents and for a label with no sections at all,
    which are read whole."""
    sections = parsed.document.sections
    if parsed.document.kind != "label" or not sections:
        return None
    return [s.span for s in sections if s.type in _LABEL_SECTIONS and not any(
        o.type not in _LABEL_SECTIONS and o.span.contains(s.span) and o.span != s.span for o in sections)]


@dataclass(frozen=True, slots=True)
class _Found:
    use: Use
    rank: int
    conclusion: bool
    order: int


@dataclass
class _Context:
    """What find() computes once per document and every judgement reads."""

    parsed: Parsed
    cues: dict[str, Any]
    refs_by_n: dict[int, Reference]
    citations: CitationIndex
    ref_spans: list[Span]
    heads: list[Span]
    head_starts: list[int]
    posts: list[Span]
    mention_starts: list[int]
    post_cues: dict[Span, tuple[bool, bool]] = field(default_factory=dict)  # post -> (good cue, bad cue)


def find(parsed: Parsed, references: tuple[Reference, ...]) -> list[Use]:
    """Uses of the document, one per canonical name (see the module docstring for which one)."""
    # the cue cache lives for one document: kept across documents it would flatter a corpus whose sentences
    # repeat (the generated benchmark's do; a real site's do not), and within one it already pays
    _ANSWERS.clear()
    text = parsed.text
    if not text or not parsed.sentences:
        return []
    regions = _label_regions(parsed)
    if regions == []:
        return []  # a label section of another kind (adverse reactions, warnings): no uses
    if regions is None:
        mentions = _mentions(lowered(text))
    else:
        mentions = [m for r in regions for m in _mentions(lowered(r.of(text)), r.start)]
    heads = headings(parsed)
    ctx = _Context(parsed, use_cues(), {r.n: r for r in references}, CitationIndex.of(references),
                   [r.span for r in references], heads, [h.start for h in heads], _post_spans(parsed), [])
    mentions = sorted(mentions + _studied_conditions(ctx, mentions, regions), key=lambda m: m.span.start)
    ctx.mention_starts = [m.span.start for m in mentions]
    sent_starts = [s.start for s in parsed.sentences]
    found: dict[str, list[_Found]] = {}
    readings: dict[int, _Reading | None] = {}
    for order, mention in enumerate(mentions):
        index = bisect.bisect_right(sent_starts, mention.span.start) - 1
        if index < 0 or not parsed.sentences[index].contains(mention.span):
            continue
        judged = _judge(ctx, index, mention, readings)
        if judged is not None:
            use, conclusion = judged
            found.setdefault(use.name, []).append(_Found(use, _EVIDENCE_RANK[use.evidence], conclusion, order))
    return sorted((_position(group) for group in found.values()), key=lambda u: u.span.start)


def _position(group: list[_Found]) -> Use:
    """The document's one use of a name: strongest evidence, then its conclusion, then the first;
    mixed when its studies disagree and no conclusion settles it."""
    top = max(f.rank for f in group)
    best = [f for f in group if f.rank == top]
    concluding = [f for f in best if f.conclusion]
    chosen = min(concluding or best, key=lambda f: f.order)
    if concluding:
        return chosen.use
    studied = {f.use.stance for f in group if f.rank >= _STUDIED}
    if {"benefit", "no_benefit"} <= studied:
        return replace(chosen.use, stance="mixed")
    return chosen.use


def _studied_conditions(ctx: _Context, known: list[_Mention], regions: list[Span] | None) -> list[_Mention]:
    """Conditions under study named in the side-effect vocabulary ("patients with sepsis"), in sentences
    that speak of a use, where no curated or ontology name already stands."""
    parsed, cues = ctx.parsed, ctx.cues
    text = parsed.text
    taken = sorted((m.span.start, m.span.end) for m in known)
    starts = [t[0] for t in taken]
    out: list[_Mention] = []
    _, excluded = use_concepts()
    too_general = excluded | effect_cues().modifiers  # "pain", "death"; "fatal", "severe" alone
    for sentence in parsed.sentences:
        if sentence.end - sentence.start > _LONG * 2:
            continue
        if regions is not None and not any(r.contains(sentence) for r in regions):
            continue
        section = parsed.section_at(sentence.start)
        if regions is None and section is not None and section.type in _SKIP_SECTIONS:
            continue
        if not may_name(parsed, sentence):
            continue  # the cheapest test first: three sentences in four name nothing of the vocabulary
        chunk = sentence.of(text)
        if not _any(cues["context"], chunk) or _any(cues["not_context"], chunk):
            continue
        for start, end, name in names_in(parsed, sentence):
            if name in too_general or chunk[start:end].lower() in too_general:
                continue  # too general to be a use on its own
            span = Span(sentence.start + start, sentence.start + end)
            i = bisect.bisect_right(starts, span.end) - 1
            if i >= 0 and taken[i][1] > span.start:
                continue  # inside a name found already
            lead = study_lead(text, sentence, span.start, span.end)
            if lead is not None:
                out.append(_Mention(name, span, lead[0], lead[1]))
    return out


def _judge(ctx: _Context, index: int, mention: _Mention,
           readings: dict[int, _Reading | None]) -> tuple[Use, bool] | None:
    """The use a mention stands for and whether it is the document's conclusion, or None."""
    parsed, text = ctx.parsed, ctx.parsed.text
    sentence = parsed.sentences[index]
    if sentence.end - sentence.start > _LONG:  # unsplit text: read only the mention's neighbourhood
        sentence = Span(max(sentence.start, mention.span.start - _LONG // 2),
                        min(sentence.end, mention.span.end + _LONG // 2))
    sent_text = sentence.of(text)
    if any(r.contains(mention.span) for r in ctx.ref_spans) or _REFERENCE_ENTRY.match(sent_text):
        return None
    section = parsed.section_at(mention.span.start)
    if section is not None and section.type in _SKIP_SECTIONS:
        return None
    if "?" in text[mention.span.end:sentence.end].split("\n")[0] and "?" not in text[sentence.start:mention.span.start]:
        return None  # inside a question: the answer, not the question, takes a position
    in_post = any(p.contains(mention.span) for p in ctx.posts) or (section is not None and section.type == "posts")
    if in_post:
        post = next((p for p in ctx.posts if p.contains(mention.span)), sentence)
        if post not in ctx.post_cues:  # read once per post: a post can be megabytes, with thousands of mentions
            body = post.of(text)
            ctx.post_cues[post] = (_POST_GOOD.search(body) is not None, _POST_BAD.search(body) is not None)
        good, bad = ctx.post_cues[post]
        if not (good or bad):
            return None
        stance: Stance = "no_benefit" if bad and not good else "benefit"
        return Use(mention.name, mention.span, stance, "anecdote", ctx.citations.cited(sent_text), sentence), False
    key = index if sentence == parsed.sentences[index] else -1 - mention.span.start
    if key not in readings:
        readings[key] = _read(ctx, index, sentence, section)
    reading = readings[key]
    if reading is None:
        return None
    return reading.judge(ctx, mention)


@dataclass(frozen=True)
class _Reading:
    """What one sentence says, read once for every use it names."""

    sentence: Span
    clauses: tuple[Span, ...]
    cue_spans: dict[str, tuple[Span, ...]]  # stance cue group -> where its cues stand
    evidence: Evidence
    preclinical: Evidence | None  # the sentence is about animals or cells only
    own_stance: Stance | None  # mixed or unclear, for the whole sentence
    window_stance: Stance | None
    window_end: int
    refs: tuple[int, ...]
    conclusion: bool
    in_context: bool  # a use cue, lead-in or heading; else only conditions under study count

    def clause_of(self, offset: int) -> Span:
        for clause in self.clauses:
            if clause.start <= offset < clause.end:
                return clause
        return self.sentence

    def cues_in(self, group: str, clause: Span) -> list[Span]:
        return [s for s in self.cue_spans.get(group, ()) if clause.contains(s)]

    def judge(self, ctx: _Context, mention: _Mention) -> tuple[Use, bool] | None:
        text = ctx.parsed.text
        span = mention.span
        clause = self.clause_of(span.start)
        if mention.role is None:
            lead = study_lead(text, self.sentence, span.start, span.end)
            role, lead_end = lead if lead else (None, -1)
        else:
            role, lead_end = mention.role, mention.lead_end
        if role != "population" and any(h.end <= span.start and h.end > lead_end
                                        for h in self.cues_in("harm", clause)):
            return None  # "an increased incidence of adenoma": a finding of harm, not a use
        if _SUBGROUP.search(text, self.sentence.start, span.start) \
                or _CAUSE_OF_CONDITION.search(text, self.sentence.start, span.start):
            return None
        stance = self._stance(ctx, clause, mention, role)
        if not self.in_context and role is None and not self._in_scope(clause, span):
            return None  # no use cue: only a condition under study or in a finding's scope counts
        evidence = self.evidence
        clause_pre = _preclinical(clause.of(text), ctx.cues)
        preclinical = clause_pre or self.preclinical
        if preclinical:
            evidence = preclinical
        if evidence in _PRECLINICAL and stance == "benefit":
            stance = "unclear"  # a finding in animals or cells is not a benefit shown in people
        end = max(self.sentence.end, self.window_end) if stance == self.window_stance else self.sentence.end
        return Use(mention.name, span, stance, evidence, self.refs, Span(self.sentence.start, end)), self.conclusion

    def _in_scope(self, clause: Span, span: Span) -> bool:
        """Whether a finding's cue reaches the use: "no difference in the duration of the common cold"."""
        return any(h.end <= span.start for g in ("no_benefit", "worse") for h in self.cues_in(g, clause)) or any(
            h.start >= span.end for h in self.cues_in("no_benefit_after", clause))

    def _stance(self, ctx: _Context, clause: Span, mention: _Mention, role: StudyRole | None) -> Stance:
        span = mention.span
        before = self.cues_in("no_benefit", clause) + self.cues_in("worse", clause)
        if any(h.end <= span.start for h in before) or any(
                h.start >= span.end for h in self.cues_in("no_benefit_after", clause)):
            return "no_benefit"
        if role == "population" and any(h.start >= span.end for h in before):
            return "no_benefit"  # "patients with angina ... found it was not effective"
        if self.own_stance == "mixed":
            return "mixed"
        qualifier = self._qualifier(ctx, clause)
        if qualifier is not None:
            return qualifier
        return self.own_stance or self.window_stance or "benefit"

    def _qualifier(self, ctx: _Context, clause: Span) -> Stance | None:
        """A contrary finding in a clause that names no use of its own qualifies the uses of the others."""
        for other in self.clauses:
            if other == clause:
                continue
            i = bisect.bisect_left(ctx.mention_starts, other.start)
            if i < len(ctx.mention_starts) and ctx.mention_starts[i] < other.end:
                continue  # it speaks of its own uses
            if _any(ctx.cues["stance"].get("elliptic", ()), other.of(ctx.parsed.text)):
                continue  # "but not sleep maintenance": its own object, unknown to the vocabulary
            if self.cues_in("no_benefit", other) or self.cues_in("worse", other) \
                    or self.cues_in("no_benefit_after", other):
                return "mixed" if self.cues_in("other_studies", other) else "no_benefit"
        return None


def _clauses(sentence: Span, text: str, cues: dict[str, Any]) -> tuple[Span, ...]:
    cuts = sorted({m.start() + sentence.start for p in cues["clause_breaks"] for m in p.finditer(sentence.of(text))})
    bounds = [sentence.start, *[c for c in cuts if c > sentence.start], sentence.end]
    return tuple(Span(a, b) for a, b in pairwise(bounds) if b > a)


def _read(ctx: _Context, index: int, sentence: Span, section: Section | None) -> _Reading | None:
    """What a sentence says about the uses it names, or None when it does not speak of uses."""
    parsed, cues, text = ctx.parsed, ctx.cues, ctx.parsed.text
    sent_text = sentence.of(text)
    stance_cues = cues["stance"]
    if _any(stance_cues.get("safety", ()), sent_text):
        return None  # toxicology: a safety finding, never a use
    head_texts = _heading_texts(parsed, ctx.heads, ctx.head_starts, sentence.start)
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
    # a finding ("a trial found no difference in ...") speaks of the conditions it studies, use cue or not
    finding = _evidence(sent_text, cues) is not None or _sentence_stance(sent_text, cues) is not None
    if not (in_context or finding):
        return None
    heading = sentence in ctx.heads  # a topic line: it names, it does not report
    window = [] if heading else _window(parsed, index)
    own_refs = ctx.citations.cited(sent_text)
    window_refs = tuple(n for w in window for n in ctx.citations.cited(w.of(text)))
    own_evidence = _evidence(sent_text, cues)
    if own_evidence is None or (own_evidence == "clinical" and not _CLINICAL_NAMED.search(sent_text)):
        # "the largest trial [18]": the cited title may name the design ("one clinical study [2]" names its own)
        cited = _ref_evidence(own_refs, ctx.refs_by_n, cues)
        if cited is not None and (own_evidence is None or _EVIDENCE_RANK[cited] > _EVIDENCE_RANK[own_evidence]):
            own_evidence = cited
    evidence = (own_evidence
                or (_evidence(lead_text, cues) if lead_text else None)
                or next((e for w in window if (e := _evidence(w.of(text), cues)) and e not in _PRECLINICAL), None)
                or _ref_evidence(window_refs, ctx.refs_by_n, cues)
                or (None if heading else next((e for h in head_texts if (e := _evidence(h, cues))), None))
                or "none")
    preclinical = _preclinical(sent_text, cues)
    if preclinical is None and section is not None and section.type == "nonclinical" \
            and not _any(cues["human"], sent_text):
        preclinical = "animal"  # a nonclinical section reports animal (or cell) work
    own: Stance | None = None
    if _any(stance_cues.get("mixed", ()), sent_text):
        own = "mixed"
    elif _any(stance_cues.get("unclear", ()), sent_text):
        own = "unclear"
    window_stance: Stance | None = None
    window_end = sentence.end
    for nxt in window:  # the first qualifier decides: a sentence that refers back and names no use of its own
        i = bisect.bisect_left(ctx.mention_starts, nxt.start)
        nxt_text = nxt.of(text)
        if i < len(ctx.mention_starts) and ctx.mention_starts[i] < nxt.end:
            break
        if not _any(stance_cues.get("follow_up", ()), nxt_text):
            continue
        found = _sentence_stance(nxt_text, cues)
        if found is not None:
            window_stance, window_end = found, nxt.end
            break
    conclusion = (_any(cues["conclusion"].get("sentence", ()), sent_text)
                  or any(_any(cues["conclusion"].get("heading", ()), h) for h in head_texts[:1]))
    return _Reading(
        sentence=sentence, clauses=_clauses(sentence, text, cues),
        cue_spans={group: _hits(stance_cues.get(group, ()), sent_text, sentence.start)
                   for group in ("no_benefit", "no_benefit_after", "worse", "harm", "other_studies")},
        evidence=evidence, preclinical=preclinical, own_stance=own, window_stance=window_stance,
        window_end=window_end, refs=own_refs or window_refs, conclusion=conclusion, in_context=in_context)


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
