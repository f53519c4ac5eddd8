"""What a post or review reports: the effects its writer had, and what they took the product for, with their verdict.

A post reports experience. Each symptom, condition or health goal named in a post body (the lay vocabulary of
lexicons/lay.py, misspellings corrected token by token) is read in its clause and sentence:

  effect   a symptom that appeared, got worse, or that the writer puts down to the product ("gave me headaches",
           "then vaginal bleeding 2 wks after ...", a bare list of symptoms), with onset and duration when said
  use      the condition or goal the writer takes it for ("for my arthritis", "my sleep is better"), with the
           writer's verdict: helped (stance benefit), did nothing (no_benefit), made it worse (no_benefit + "worse")
  history  a condition the writer has had ("I have had asthma for years", "diagnosed with"): neither

Negation ("no side effects", "didn't have any nausea") and hedging ("not sure if it's the pill") follow
ConText-style cues scoped to the clause. Mentions in one list ("nausea, headaches and dizziness from it") share
the role a cue gives any of them. The verdict comes from cue words in the clause, then the sentence, then a small
linear model of the clause trained on healthsea's helped / nothing / worse / history clauses
(scripts/train_polarity.py).

Only documents of kind community or review reach this module (extract/__init__.py), so labels never pay for it.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

import ahocorasick

from materia.extract.parse import Parsed
from materia.lexicons import lay
from materia.types import Effect, Span, Stance, Use, Verdict

__all__ = ["Mention", "Reading", "covers_document", "fields", "find", "mentions", "merge", "post_spans", "read"]

Role = Literal["effect", "use", "history"]
_WORD = re.compile(r"[^\W_]+")
_JOIN = re.compile(r"[ \t]+|[ \t]*-[ \t]*")  # what may lie between the words of one mention
_LIST_GAP = re.compile(r"^[\s,/&+]*(?:(?:and|or|and/or|&|plus|also|as well as)\b[\s,]*)*$", re.IGNORECASE)
_W_SLASH = re.compile(r"\bw/(?=\s|\w)", re.IGNORECASE)  # "w/" is "with"
_CONDITION_LIST = re.compile(r"\b(?:diseases?|conditions?|disorders?|illness(?:es)?|diagnos\w*|problems? with)\b",
                             re.IGNORECASE)
_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|myself|we|our|us)\b", re.IGNORECASE)
_MAX_CORRECT = 2
_ADVERBS = re.compile(r"^\s*(?:(?:has|have|had|is|are|was|were|has been|have been|got|get|gets|seems?|seemed|"
                      r"\w+ly|much|so|a lot|a bit|far|way|all|almost|completely|totally|quite)\s+)*")
_CAUSED = re.compile(r"\b(?:made|make|makes|making|gave|give|gives|caused|causes|causing|since (?:taking|starting|i)|"
                     r"from (?:it|this|them)|after (?:taking|starting)|on (?:it|this)|while (?:taking|on)|"
                     r"product|pills?|medication|drug|supplement)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mention:
    """A vocabulary hit in a post, widened to the writer's whole phrase ("bit drowsy", "pain in my knees")."""

    start: int
    end: int
    name: str
    kind: lay.TermKind
    core: Span  # the vocabulary term itself, before widening


@dataclass(frozen=True, slots=True)
class Reading:
    effects: tuple[Effect, ...]
    uses: tuple[Use, ...]


# --- vocabulary matching ---------------------------------------------------------------------------------------

def _variants(key: str) -> Iterable[str]:
    yield key
    last = key.rsplit(" ", 1)[-1]
    if len(last) > 3 and last.isalpha() and not last.endswith("ss"):
        if last.endswith("y") and last[-2] not in "aeiou":
            yield key[:-1] + "ies"
        elif last.endswith(("s", "x", "ch", "sh")):
            yield key + "es"
        else:
            yield key + "s"


@dataclass(frozen=True, eq=False)
class _Vocabulary:
    automaton: ahocorasick.Automaton
    words: frozenset[str]  # every word of every term
    by_initial: dict[tuple[str, int], tuple[str, ...]]  # vocabulary words by first letter and length
    counts: dict[str, int]
    common_by_initial: dict[tuple[str, int], tuple[str, ...]]  # frequent words of patient text, for the guard


@functools.lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    cues = lay.experience_cues()
    automaton = ahocorasick.Automaton()
    words: set[str] = set()
    for surface in lay.terms():
        if surface in cues.stop_words or len(surface) < 3:
            continue
        words.update(surface.split())
        for variant in _variants(surface):
            if variant == surface or automaton.get(f" {variant} ", None) is None:
                automaton.add_word(f" {variant} ", (len(variant), surface))
    automaton.make_automaton()
    counts = lay.word_counts()
    initial: dict[tuple[str, int], list[str]] = {}
    for w in words:
        if len(w) >= 4 and w.isalpha():
            initial.setdefault((w[0], len(w)), []).append(w)
    common: dict[tuple[str, int], list[str]] = {}
    for w, n in counts.items():
        if n >= 5 and len(w) >= 4 and w.isalpha() and w not in words:
            common.setdefault((w[0], len(w)), []).append(w)
    return _Vocabulary(automaton, frozenset(words), {k: tuple(v) for k, v in initial.items()}, counts,
                       {k: tuple(v) for k, v in common.items()})


@functools.lru_cache(maxsize=1024)
def _bucket(initial: str, length: int, within: int, common: bool) -> tuple[str, ...]:
    """Vocabulary (or frequent ordinary) words with this first letter and a length within `within`."""
    v = _vocabulary()
    index = v.common_by_initial if common else v.by_initial
    return tuple(w for n in range(length - within, length + within + 1) for w in index.get((initial, n), ()))


@functools.lru_cache(maxsize=65536)
def correct(word: str) -> str:
    """A rare word one or two edits from a vocabulary word ("nausious" -> "nauseous"); else the word itself.

    Guarded against ordinary words: a word written often in patient text is never changed, and the
    correction must be a much more frequent word of the vocabulary, with the same first letter."""
    from rapidfuzz.distance import Levenshtein

    v = _vocabulary()
    if word in v.words or len(word) < 5 or not word.isalpha():
        return word
    own = v.counts.get(word, 0)
    if own >= 20:
        return word
    limit = 1 if len(word) < 8 else _MAX_CORRECT
    from rapidfuzz import process

    close = process.extract(word, _bucket(word[0], len(word), limit, common=False), scorer=Levenshtein.distance,
                            score_cutoff=limit, limit=None)
    if not close:
        return word
    best, best_d, _ = min(close, key=lambda c: (c[1], -v.counts.get(c[0], 0)))
    best_n = v.counts.get(best, 0)
    if best_n < max(3, 5 * own):
        return word
    # a misspelt ordinary word ("desisions") stays as it is: as near a word written more often than the symptom
    rivals = process.extract(word, _bucket(word[0], len(word), best_d, common=True), scorer=Levenshtein.distance,
                             score_cutoff=best_d, limit=None)
    if any(v.counts.get(common, 0) >= best_n for common, _, _ in rivals):
        return word
    return best


@dataclass(frozen=True, slots=True)
class _Tokens:
    starts: list[int]
    ends: list[int]
    words: list[str]  # lower case, spelling corrected


def _tokens(text: str, lo: int, hi: int) -> _Tokens:
    starts, ends, words = [], [], []
    for m in _WORD.finditer(text, lo, hi):
        w = m.group().lower()
        starts.append(m.start())
        ends.append(m.end())
        words.append(correct(w) if len(w) >= 5 else w)
    return _Tokens(starts, ends, words)


def mentions(text: str, lo: int = 0, hi: int | None = None) -> list[Mention]:
    """Symptom, condition and goal mentions in text[lo:hi], longest first, never overlapping."""
    hi = len(text) if hi is None else hi
    toks = _tokens(text, lo, hi)
    if not toks.words:
        return []
    v = _vocabulary()
    terms = lay.terms()
    cues = lay.experience_cues()
    norm = " " + " ".join(toks.words) + " "
    norm_starts = list(accumulate((len(w) + 1 for w in toks.words), initial=1))
    found: list[tuple[int, int, str]] = []
    for end_idx, (length, surface) in v.automaton.iter(norm):
        first = end_idx - length
        i = bisect.bisect_left(norm_starts, first)
        j = bisect.bisect_right(norm_starts, end_idx - 1) - 1
        found.append((i, j, surface))
    found.sort(key=lambda h: (h[0], h[0] - h[1]))
    chosen: list[tuple[int, int, str]] = []
    last = -1
    for i, j, surface in found:
        if i > last and _joined(text, toks, i, j):
            chosen.append((i, j, surface))
            last = j
    chosen = _adjective_body_parts(text, toks, chosen, cues)
    chosen = _inabilities(text, toks, chosen, terms)
    out: list[Mention] = []
    taken = -1
    for n, (i, j, surface) in enumerate(chosen):
        term = terms.get(surface)
        kind: lay.TermKind = term.kind if term else "symptom"
        if kind == "symptom" and toks.words[i] == "chronic":
            kind = "condition"  # "chronic fatigue": a long-standing condition, not a new effect
        name = term.canonical if term else surface
        core = Span(toks.starts[i], toks.ends[j])
        nxt = chosen[n + 1][0] if n + 1 < len(chosen) else len(toks.words)
        i2, j2 = _widen(text, toks, i, j, taken, nxt, kind, cues)
        out.append(Mention(toks.starts[i2], toks.ends[j2], name, kind, core))
        taken = j2
    return out


def _joined(text: str, toks: _Tokens, i: int, j: int) -> bool:
    """The words of a hit are written together (spaces or hyphens), not across punctuation."""
    return all(_JOIN.fullmatch(text, toks.ends[k], toks.starts[k + 1]) is not None for k in range(i, j))


def _adjective_body_parts(text: str, toks: _Tokens, chosen: list[tuple[int, int, str]],
                          cues: lay.ExperienceCues) -> list[tuple[int, int, str]]:
    """Add "swollen ankles", "itchy scalp": a symptom adjective before a body part the vocabulary lacks."""
    used: set[int] = set()
    for i, j, _ in chosen:
        used.update(range(i, j + 1))
    extra = []
    words = toks.words
    for k in range(len(words) - 1):
        if words[k] in cues.symptom_adjectives and k not in used:
            b = k + 1
            if b < len(words) and words[b] in ("my", "the", "both") and b + 1 < len(words):
                b += 1
            if words[b] in cues.body_parts and b not in used and _joined(text, toks, k, b):
                extra.append((k, b, f"{words[k]} {words[b]}"))
                used.update(range(k, b + 1))
    return sorted(chosen + extra)


_CANNOT = frozenset({"cant", "can't", "cannot", "couldnt", "couldn't", "unable", "hard", "difficult", "trouble",
                     "difficulty", "problem", "problems", "hardly"})


def _inabilities(text: str, toks: _Tokens, chosen: list[tuple[int, int, str]],
                 terms: dict[str, lay.LayTerm]) -> list[tuple[int, int, str]]:
    """"can't sleep", "couldn't focus", "hard to breathe": the vocabulary's "difficulty sleeping" and kin."""
    used = {k for i, j, _ in chosen for k in range(i, j + 1)}
    extra = []
    words = toks.words
    for k, w in enumerate(words[:-1]):
        if w not in _CANNOT and not (w == "t" and k and words[k - 1] in ("can", "couldn")) \
                and not (w == "not" and k and words[k - 1] in ("can", "could")):
            continue
        first = k - 1 if w in ("t", "not") else k
        v = k + 1
        if v < len(words) and words[v] in ("to", "with", "in", "of", "get", "getting"):
            v += 1
        if v >= len(words) or first in used or v in used:
            continue
        verb = words[v]
        stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
        for key in (f"difficulty {stem}ing", f"difficulty {verb}", f"trouble {stem}ing", f"inability to {verb}",
                    f"difficulty {verb}ing"):
            if key in terms and _JOIN.fullmatch(text, toks.ends[v - 1], toks.starts[v]) is not None:
                extra.append((first, v, key))
                used.update(range(first, v + 1))
                break
    return sorted(chosen + extra)


def _widen(text: str, toks: _Tokens, i: int, j: int, left_limit: int, right_limit: int, kind: lay.TermKind,
           cues: lay.ExperienceCues) -> tuple[int, int]:
    """Take in degree words on the left ("bit drowsy") and a body part on the right ("pain in my knees")."""
    words = toks.words
    if kind != "benefit":
        k = 0
        while k < 3 and i - 1 > left_limit and words[i - 1] in cues.modifiers_left \
                and _JOIN.fullmatch(text, toks.ends[i - 1], toks.starts[i]) is not None:
            i -= 1
            k += 1
        while i <= j and words[i] in ("very", "really", "so", "too", "pretty", "quite", "rather", "extremely", "some"):
            i += 1  # intensifiers belong to a following modifier, never start a span on their own
        i = min(i, j)
    # "<symptom> in/on my <body part>"
    b = j + 1
    if b + 1 < right_limit and words[b] in ("in", "on", "of", "around", "behind", "under") \
            and text[toks.ends[j]:toks.starts[b]].strip() == "":
        c = b + 1
        while c < right_limit and c < b + 4 and words[c] in ("my", "the", "both", "his", "her", "left", "right",
                                                               "lower", "upper", "whole", "entire", "all"):
            c += 1
        if c < right_limit and words[c] in cues.body_parts and "\n" not in text[toks.ends[j]:toks.starts[c]] \
                and not re.search(r"[.,;!?]", text[toks.ends[j]:toks.starts[c]]):
            j = c
    return i, j


# --- reading a post ----------------------------------------------------------------------------------------------

def post_spans(parsed: Parsed) -> list[Span]:
    """The parts of a document that are one writer's report: post bodies, else the whole text of a post/review."""
    doc = parsed.document
    spans = [p.body or p.span for p in doc.posts]
    if spans:
        return spans
    if doc.kind in ("community", "review") and not any(s.type != "posts" and s.title for s in doc.sections):
        text = doc.text
        start = len(text) - len(text.lstrip())
        return [Span(start, len(text.rstrip()))] if text.strip() else []
    return []


def covers_document(parsed: Parsed) -> bool:
    """The document is its posts (a post or review on its own, a review table's row): what other extractors
    find there is replaced. A row's post covers its structured fields too (condition, rating), which the Post
    carries: read as text, the condition column would pass for a side effect."""
    text = parsed.text
    covered = sum(s.end - s.start for s in ([p.span for p in parsed.document.posts] or post_spans(parsed)))
    return covered >= len(text.strip())


def fields(parsed: Parsed, post: Span) -> list[tuple[Span, bool]]:
    """The parts of one post to read, each with whether it is a side-effects field: the free-text fields of a
    structured review (a review row's columns, each its own titled section inside the post), else the post."""
    inner = [s for s in parsed.document.sections if s.title and post.contains(s.span) and s.span != post]
    if not inner:
        return [(post, False)]
    return [(s.body, s.type == "side_effects") for s in inner]


def _clause(text: str, lo: int, hi: int, start: int, end: int, cues: lay.ExperienceCues) -> Span:
    a = lo
    for m in cues.terminators.finditer(text, lo, start):
        a = m.end()
    after = cues.terminators.search(text, end, hi)
    return Span(a, after.start() if after else hi)


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    found = None
    for m in pattern.finditer(text, lo, hi):
        found = m
    return found


@dataclass(frozen=True, slots=True)
class _Context:
    mention: Mention
    sentence: Span
    clause: Span
    role: Role | None  # what the mention's own cues say
    negated: bool
    hedged: bool


def _own_role(text: str, m: Mention, sentence: Span, clause: Span, cues: lay.ExperienceCues,
              post_has_effect_heading: bool) -> Role | None:
    before = text[max(clause.start, m.start - 60):m.start]
    after = text[m.end:min(clause.end, m.end + 40)]
    sent_before = text[sentence.start:m.start]
    use_cue = _last(cues.use_before, before, 0, len(before))
    # the cue must touch the mention, or reach it over a few words ("for my really bad back pain")
    if use_cue is not None and len(before[use_cue.end():].split()) > 3:
        use_cue = None
    after_use = cues.use_after.match(_ADVERBS.sub("", after)) is not None
    history_cue = cues.history.search(before) or cues.history_after.match(after.lstrip())
    effect_cue = cues.effect.search(text, clause.start, clause.end) or cues.effect_after.match(after.lstrip())
    worse_after = cues.worse_after.match(after.lstrip())
    if worse_after:
        return "effect"
    if use_cue is not None or after_use:
        if use_cue is not None and use_cue.group().lower() == "my" and cues.effect_after.match(after.lstrip()):
            return "effect"  # "my headaches started after ..."
        if use_cue is not None and use_cue.group().lower() in ("for", "my") and m.kind == "symptom" \
                and cues.worse.search(text, clause.start, m.start):
            return "effect"  # "gave me horrible pain for days", "made my acne ..."
        return "use"
    if _CONDITION_LIST.search(sent_before):
        return "history"  # "three diseases --- X, Y and Z": a use if the post gives a verdict
    if history_cue is not None:
        return "history"
    if effect_cue is not None or post_has_effect_heading:
        return "effect"
    return None


def _verdict(text: str, spans: Iterable[Span], cues: lay.ExperienceCues) -> Verdict | None:
    """The first verdict cues state in the given spans, narrowest first: worse, then nothing, then helped."""
    for s in spans:
        chunk = text[s.start:s.end]
        if re.search(r"\bworse|\bworsen|\bflare|\baggravat|\bexacerbat", chunk, re.I):
            # the product made it worse, not the condition running its course ("my arthritis getting worse")
            if _CAUSED.search(chunk):
                return "worse"
            continue
        if cues.no_benefit.search(chunk):
            return "nothing"
        if cues.helped.search(chunk) and not cues.negation.search(chunk):
            return "helped"
    return None


def _model_verdict(text: str, m: Mention, clause: Span) -> tuple[Verdict | None, bool]:
    """(verdict, history) from the learned clause model; history when the clause only tells the writer's past."""
    from materia.extract.polarity import classify

    label = classify(text[clause.start:m.start] + " <ENT> " + text[m.end:clause.end])
    return {"POSITIVE": ("helped", False), "NEUTRAL": ("nothing", False), "NEGATIVE": ("worse", False),
            "ANAMNESIS": (None, True)}.get(label, (None, False))  # type: ignore[return-value]


def _find_timing(pattern: re.Pattern[str], text: str, sentence: Span, m: Mention) -> str | None:
    """The timing phrase nearest the mention in its clause ("2 wks after", "for the first two months")."""
    best: re.Match[str] | None = None
    for found in pattern.finditer(text, sentence.start, sentence.end):
        if best is None or abs(found.start() - m.end) < abs(best.start() - m.end):
            best = found
    return " ".join(best.group().split()) if best else None


def read(parsed: Parsed, span: Span, rating: float | None = None, effects_field: bool = False) -> Reading:
    """Effects and uses one post reports. `rating` (0..1) is the writer's overall score when the site has one;
    `effects_field`: the span is a field that holds side effects (a review's side-effects column), so what it
    names is an effect unless a cue says otherwise, as under a "Side effects:" heading."""
    text = parsed.text
    cues = lay.experience_cues()
    found = mentions(text, span.start, span.end)
    if not found:
        return Reading((), ())
    heading = effects_field or (
        bool(cues.effect_headings.search(text, span.start, min(span.end, span.start + 40)))
        and bool(re.match(r"\s*(?:[\w -]{0,30})?(?:side[- ]?effects?|adverse|cons|negative)\s*[:\-]",
                          text[span.start:span.end], re.IGNORECASE)))
    contexts: list[_Context] = []
    for m in found:
        sentence = parsed.sentence_at(m.start) or Span(span.start, span.end)
        sentence = Span(max(sentence.start, span.start), min(sentence.end, span.end))
        clause = _clause(text, sentence.start, sentence.end, m.start, m.end, cues)
        before = text[clause.start:m.start]
        after = text[m.end:clause.end]
        negation = _last(cues.negation, before, 0, len(before))
        negated = bool(negation is not None and len(before[negation.end():].split()) <= 5) \
            or bool(cues.negation_post.match(after.lstrip()))
        hedged = bool(cues.hedge.search(text, sentence.start, sentence.end))
        role = _own_role(text, m, sentence, clause, cues, heading)
        contexts.append(_Context(m, sentence, clause, role, negated, hedged))
    roles = _share_list_roles(text, contexts)
    effects: list[Effect] = []
    uses: list[Use] = []
    for ctx, role in zip(contexts, roles, strict=True):
        m = ctx.mention
        if m.kind == "benefit" and ctx.role != "use" and normalise_core(text, m) in cues.body_parts:
            continue  # "lips", "skin", "eye": a goal only where the writer says so ("good for my skin")
        if role is None:
            role = "use" if m.kind == "benefit" else "effect" if m.kind == "symptom" else None
        verdict = _verdict(text, (ctx.clause, ctx.sentence), cues)
        if role is None or (m.kind == "condition" and role == "effect" and ctx.role is None):
            model, history = _model_verdict(text, m, ctx.clause)
            if history:
                continue
            if role is None:
                role = "effect" if model == "worse" and m.kind != "benefit" else "use"
            verdict = verdict or model
        if role == "history":
            if (verdict is None or verdict == "worse") and _CONDITION_LIST.search(text, ctx.sentence.start, m.start):
                verdict = _post_verdict(text, span, rating, cues)
            if verdict is None or verdict == "worse":
                continue
            role = "use"
        if m.kind == "benefit" and role == "effect":
            role, verdict = "use", "worse"
        if role == "effect":
            if ctx.negated and ctx.role != "effect" and _verdict(text, (ctx.sentence,), cues) == "helped":
                # "no more headaches": what the product cleared is a use it helped
                uses.append(Use(m.name, Span(m.start, m.end), "benefit", "anecdote", (), ctx.sentence, "helped"))
                continue
            effects.append(Effect(name=m.name, span=Span(m.start, m.end), negated=ctx.negated, sentence=ctx.sentence,
                                  onset=_find_timing(cues.onset, text, ctx.clause, m),
                                  duration=_find_timing(cues.duration, text, ctx.clause, m), hedged=ctx.hedged))
            continue
        if verdict is None:
            model, _ = _model_verdict(text, m, ctx.clause)
            verdict = (model if model in ("helped", "nothing") else None) or _post_verdict(text, span, rating, cues)
        if ctx.negated and verdict is None:
            continue
        stance: Stance = ("benefit" if verdict == "helped" else "no_benefit" if verdict in ("nothing", "worse")
                          else "unclear")
        uses.append(Use(m.name, Span(m.start, m.end), stance, "anecdote", (), ctx.sentence, verdict))
        if verdict == "worse" and m.kind != "benefit":
            effects.append(Effect(name=m.name, span=Span(m.start, m.end), sentence=ctx.sentence, hedged=ctx.hedged,
                                  onset=_find_timing(cues.onset, text, ctx.clause, m),
                                  duration=_find_timing(cues.duration, text, ctx.clause, m)))
    return Reading(tuple(effects), tuple(uses))


def normalise_core(text: str, m: Mention) -> str:
    return lay.normalise(text[m.core.start:m.core.end])


def _share_list_roles(text: str, contexts: list[_Context]) -> list[Role | None]:
    """Mentions listed together ("nausea, headaches and dizziness from it") share a role a cue gives one of them."""
    roles: list[Role | None] = [c.role for c in contexts]
    groups: list[list[int]] = []
    for k, c in enumerate(contexts):
        prev = contexts[k - 1] if k else None
        if prev is not None and prev.sentence == c.sentence and _LIST_GAP.match(text[prev.mention.end:c.mention.start]):
            groups[-1].append(k)
        else:
            groups.append([k])
    for group in groups:
        given = next((roles[k] for k in group if roles[k] is not None), None)
        if given is not None:
            for k in group:
                if roles[k] is None:
                    roles[k] = given
    return roles


def _post_verdict(text: str, span: Span, rating: float | None, cues: lay.ExperienceCues) -> Verdict | None:
    """The post's overall verdict: its rating, else its words; "worse" is only ever read near a mention."""
    if rating is not None:
        return "helped" if rating >= 0.6 else "nothing" if rating <= 0.4 else None
    found = _verdict(text, (span,), cues)
    return found if found != "worse" else None


def find(parsed: Parsed) -> Reading:
    """Everything the posts of a document report, in text order."""
    effects: list[Effect] = []
    uses: list[Use] = []
    ratings = {(p.body or p.span): p for p in parsed.document.posts}
    for span in post_spans(parsed):
        post = ratings.get(span)
        rating = None
        if post is not None and post.rating is not None and post.rating_scale:
            rating = max(0.0, min(1.0, (post.rating - 1) / max(1, post.rating_scale - 1)))
        for part, effects_field in fields(parsed, span):
            reading = read(parsed, part, rating, effects_field)
            effects.extend(reading.effects)
            uses.extend(reading.uses)
    return Reading(tuple(effects), tuple(uses))


def merge(parsed: Parsed, effects: tuple[Effect, ...],
          uses: tuple[Use, ...]) -> tuple[tuple[Effect, ...], tuple[Use, ...]]:
    """The document's effects and uses with what its posts report: inside a post the reading of the post wins."""
    posts = post_spans(parsed)
    if not posts:
        return effects, uses
    reading = find(parsed)

    def inside(s: Span) -> bool:
        return any(p.contains(s) for p in posts)

    kept_effects = [e for e in effects if not inside(e.span)] + list(reading.effects)
    kept_uses = [u for u in uses if not inside(u.span)] + list(reading.uses)
    return (tuple(sorted(kept_effects, key=lambda e: e.span.start)),
            tuple(sorted(kept_uses, key=lambda u: u.span.start)))
