"""Interactions: two things a sentence says should not meet, or change each other, with evidence.

    find(parsed, "atorvastatin") -> [Interaction(a="atorvastatin", b="clarithromycin", type="advise",
                                                 severity="moderate", wording="caution", ...), ...]

Mentions of drugs, drug classes and foods come from extract/drug_mentions.py. A sentence that
states no interaction at all (no cue of lexicons/interactions.yaml) is skipped. Then:

- two mentions of one sentence: the pair model (extract/pair_model.py, learned from DDI 2013)
  decides whether they interact and how (mechanism, effect, advise, int). In a text about its own
  subject (a label, a monograph), a sentence that names the subject states the subject's
  interactions: the other drugs it lists are the subject's partners, not each other's. A class the
  subject belongs to stands for the subject there ("caution if a statin is given with ketoconazole",
  on a statin's label), and a drug never interacts with its own class;
- one mention and the document's own subject, unnamed: a label or monograph says "Avoid with strong
  CYP3A4 inhibitors" about its own drug. In the sections that state interactions (drug
  interactions, contraindications, warnings, precautions, dosage, FAQs, patient information), a
  partner the model paired with nothing is paired with the subject, typed by the cues of
  lexicons/interactions.yaml (advise, then mechanism, then effect, then "interact"). The subject's
  `a_span` is its best evidence in the sentence: a phrase that refers to it ("this medicine") if
  there is one, else the whole sentence (the sentence is what says it);
- a table row of those sections, a line of names and the line of advice after it ("Clarithromycin,
  itraconazole" / "Do not exceed 20 mg atorvastatin daily"): each name with the subject, the span
  covering both lines.

Negated statements ("no interaction was observed between A and B", "did not alter the
pharmacokinetics of B") are not interactions (DDI 2013 guidelines), nor is saying two may be used
together ("may be continued during treatment with"): a pair in the same clause as a negation cue is
dropped. Nor are: two treatments a sentence compares ("A was superior to B", a comparison cue between
them), a name and its abbreviation, dosing advice ("take with food": no pair with food), a leaflet's
"tell your doctor about all the medicines you take", the items of a leaflet's list (one a line) with
each other. When the subject is paired with one item of a list ("with clarithromycin, itraconazole or
ritonavir") it is paired with every item. The evidence `span` is the sentence, run on to where a
bracket it opens closes ("[see ... (5.1) and\nClinical Pharmacology (12.3)]"). Severity comes from the sentence's
words, kept in `wording` ("contraindicated", "avoid" -> major; "caution", "monitor", "do not exceed"
-> moderate; "not clinically significant" -> minor); `mechanism` lists the enzymes and transporters
it names. `a` is always a substance; a pair of two classes or two foods is not reported.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from materia.extract.drug_mentions import Mention, default_recogniser
from materia.extract.names import canonical as canonical_name
from materia.extract.pair_model import PairModel, blind, classify_sentence, pair_model
from materia.extract.parse import Parsed, for_lowered, lowered_for, lowered_one
from materia.lexicons.cues import InteractionCues, interaction_cues
from materia.lexicons.drug_classes import canonical_class, classes_of, fold, members
from materia.types import Interaction, InteractionType, MarkedName, Severity, Span

__all__ = ["classify_pairs", "find", "label_pairs"]

# where a label or monograph states interactions of its own subject without naming it
_IMPLIED_SECTIONS = frozenset({"interactions", "contraindications", "warnings", "boxed_warning", "precautions",
                               "dosage", "faq", "patient_info"})
_SKIP_SECTIONS = frozenset({"references", "product", "boilerplate", "disclaimer", "posts", "nonclinical"})
_LABEL_SKIP_SECTIONS = frozenset({"clinical_studies", "usage"})  # a label's trials compare, its indications co-treat
_SKIP_KINDS = frozenset({"community", "review"})  # what people report taking together is not a stated interaction
_ABSTRACT_STYLE = frozenset({"abstract", "article"})
_OWN_SUBJECT = frozenset({"label", "monograph"})
_CLAUSE_BREAK = re.compile(r";|,\s*(?:but|whereas|while|however|although|though)\b|\b(?:but|however|whereas)\b",
                           re.IGNORECASE)
_MECHANISM_SPACES = re.compile(r"[\s-]+")
# what may stand between the names of a table's name line
_NAME_LINE_FILLER = re.compile(r"(?:[\s,;:()/+&.\-]|\b(?:and|or|plus|with|other|e\.?g|i\.?e|such as|including)\b)+")
_MAX_NAME_LINE_WORDS = 4  # words beside the names ("Hepatitis C protease inhibitor (boceprevir)")
_WORD = re.compile(r"[^\W\d_]+")


def label_pairs(model: PairModel, mentions: Sequence[Mention], text: str, style: str = "label",
                pairs: Iterable[tuple[int, int]] | None = None) -> dict[tuple[int, int], str]:
    """The label (`none` or a DDI type) of each pair (i, j), i < j, of mentions of one sentence (`text`, with
    mention spans into it); every pair unless `pairs` names some. Two mentions of one thing (a name and its
    abbreviation) never interact, nor two that the sentence compares ("A was superior to B")."""
    pairs = list(itertools.combinations(range(len(mentions)), 2) if pairs is None else pairs)
    if not pairs:  # nothing to label: the sentence need not be read
        return {}
    comparison, lowered = lowered_one(interaction_cues().comparison, text)
    compared = [m.start() for m in comparison.finditer(lowered)]
    out = {}
    for i, j in pairs:
        first, second = mentions[i], mentions[j]
        if first.name == second.name or any(first.span.end <= c < second.span.start for c in compared):
            out[(i, j)] = "none"
    read = [pair for pair in pairs if pair not in out]  # the model reads the others, all together
    if read:
        blinded = blind(text, [(m.span.start, m.span.end, "class" if m.kind == "class" else "substance", m.name)
                               for m in mentions], style)
        for pair, (label, _) in zip(read, classify_sentence(model, blinded, read), strict=True):
            out[pair] = label
    return {pair: out[pair] for pair in pairs}


def classify_pairs(model: PairModel, mentions: Sequence[Mention], text: str, style: str = "label",
                   pairs: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Pairs (i, j, type) of mentions of one sentence (`text`, with mention spans into it) that the model
    finds interacting; among `pairs` (i < j) when given, else among all."""
    if len(mentions) < 2:
        return []
    labels = label_pairs(model, mentions, text, style, pairs)
    return [(i, j, label) for (i, j), label in labels.items() if label != "none"]


def _mechanisms(cues: InteractionCues, text: str) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for match in cues.mechanism.finditer(text):
        upper = _MECHANISM_SPACES.sub("", match.group()).upper()
        if upper.startswith("CYTOCHROMEP"):
            upper = "CYP" + upper.removeprefix("CYTOCHROMEP").removeprefix("450")
        names["P-gp" if upper in ("PGP", "P-GP", "PGLYCOPROTEIN") else upper] = None
    return tuple(names)


def _severity(cues: InteractionCues, text: str) -> tuple[Severity | None, str | None]:
    patterns, lowered = lowered_for(tuple(pattern for _, pattern in cues.severity), text)
    for (severity, _), pattern in zip(cues.severity, patterns, strict=True):
        match = pattern.search(lowered)
        if match:
            return severity, text[match.start():match.end()]  # type: ignore[return-value]  # as written
    return None, None


def _stated_type(cues: InteractionCues, text: str) -> InteractionType | None:
    patterns, lowered = lowered_for(tuple(pattern for _, pattern in cues.types), text)
    for (kind, _), pattern in zip(cues.types, patterns, strict=True):
        if pattern.search(lowered):
            return kind  # type: ignore[return-value]
    return None


@dataclass(frozen=True, slots=True)
class _Found:
    a: str
    a_span: Span
    b: Mention  # absolute span
    type: InteractionType


class _Sentence:
    """One sentence (or table row) with its mentions, read once; mention spans relative to it. Its clause
    breaks and negation cues are looked for when first asked (most sentences read need neither)."""

    def __init__(self, text: str, span: Span, mentions: Sequence[Mention], cues: InteractionCues) -> None:
        self.span = span
        self.text = text[span.start:span.end]
        self.mentions = [Mention(m.name, Span(m.span.start - span.start, m.span.end - span.start), m.kind)
                         for m in mentions]
        self.cues = cues

    @functools.cached_property
    def breaks(self) -> list[int]:
        return [m.start() for m in _CLAUSE_BREAK.finditer(self.text)]

    @functools.cached_property
    def negations(self) -> list[int]:
        negation, lowered = lowered_one(self.cues.negation, self.text)
        return [m.start() for m in negation.finditer(lowered)]

    def _clause(self, offset: int) -> int:
        return bisect.bisect_right(self.breaks, offset)  # the breaks at or before it

    def negated(self, *offsets: int) -> bool:
        """Whether a negation cue shares a clause with every offset given."""
        if not self.negations:  # most sentences: their clauses need not be found
            return False
        clauses = {self._clause(o) for o in offsets}
        return len(clauses) == 1 and any(self._clause(n) in clauses for n in self.negations)

    def absolute(self, mention: Mention) -> Mention:
        return Mention(mention.name, Span(self.span.start + mention.span.start, self.span.start + mention.span.end),
                       mention.kind)


class _Reader:
    """What reading one document needs: its subject, its kind, the cues and the model."""

    def __init__(self, parsed: Parsed, subject: str | None, ingredients: Sequence[str]) -> None:
        kind = parsed.document.kind
        self.parsed = parsed
        self.text = parsed.text
        self.cues = interaction_cues()
        self.model = pair_model()
        self.style = "abstract" if kind in _ABSTRACT_STYLE else "label"
        self.subject = subject
        self.own = frozenset({subject, *ingredients}) if subject else frozenset()
        self.own_subject = subject is not None and kind in _OWN_SUBJECT
        self.implies_subject = subject is not None and kind in ("label", "monograph", "article", "other")
        self.skip_sections = _SKIP_SECTIONS | (_LABEL_SKIP_SECTIONS if kind == "label" else frozenset())

    def mentions(self) -> dict[Span, list[Mention]]:
        """Mentions by sentence. On a text about its own subject, a class the subject belongs to stands for
        the subject, and so does a brand name of it no vocabulary holds ("NUROMAX" throughout doxacurium's
        label)."""
        by_sentence: dict[Span, list[Mention]] = {}
        recogniser = default_recogniser()
        # a file that marks up its drug names (the DDI corpus's XML) is read by its marks, else by the recogniser
        marked = _apart([m for m in (_named(self.text, n) for n in self.parsed.document.marked) if m is not None])
        found = marked or recogniser.find(self.text)
        if self.own_subject and self.subject:
            brand = {b.span: b for b in recogniser.own_brand(self.text, self.subject)}
            if brand:  # the brand where a name of its own was found ("nuromax"), and where none was
                found = [brand.pop(m.span, m) for m in found]
                starts = [m.span.start for m in found]
                more = [] if marked else [b for b in brand.values() if not _overlapping(found, starts, b.span)]
                found = sorted(found + more, key=lambda m: m.span.start)
        for m in found:
            if self.own_subject and m.kind == "class" and self.subject in members(m.name) and not _others(self.text, m):
                m = Mention(self.subject or "", m.span, "substance")
            sentence = self.parsed.sentence_at(m.span.start)
            if sentence is not None and m.span.end <= sentence.end:
                by_sentence.setdefault(sentence, []).append(m)
        return by_sentence

    def states_subject(self, span: Span) -> bool:
        """Whether the text at `span` may state its subject's interactions without naming it."""
        if not self.implies_subject:
            return False
        section = self.parsed.section_at(span.start)
        if section is None:
            return self.parsed.document.kind != "article"  # an article's unsectioned text may be about anything
        return section.type in _IMPLIED_SECTIONS

    def skipped(self, span: Span) -> bool:
        section = self.parsed.section_at(span.start)
        return section is not None and section.type in self.skip_sections

    def read(self, sentence: _Sentence) -> list[_Found]:
        found = self.explicit(sentence)
        if self.states_subject(sentence.span):
            found += self.implied(sentence, found)
        return found

    def explicit(self, sentence: _Sentence) -> list[_Found]:
        """Pairs the model finds (only the subject's, when the sentence names the subject)."""
        found: list[_Found] = []
        mentions = sentence.mentions
        names_subject = self.own_subject and any(m.name == self.subject for m in mentions)
        # only the pairs that could be kept are classified (the model is most of the work)
        candidates: dict[tuple[int, int], tuple[Mention, Mention]] = {}
        for i, j in itertools.combinations(range(len(mentions)), 2):
            oriented = self.drug_first(mentions[i], mentions[j], names_subject)
            if oriented is not None and self.keepable(sentence, *oriented):
                candidates[(i, j)] = oriented
        for i, j, label in classify_pairs(self.model, mentions, sentence.text, self.style, candidates):
            first, second = candidates[(i, j)]
            found.append(_Found(first.name, sentence.absolute(first).span, sentence.absolute(second),
                                label))  # type: ignore[arg-type]
        return _along_lists(sentence, found) if names_subject else found

    def drug_first(self, first: Mention, second: Mention, names_subject: bool) -> tuple[Mention, Mention] | None:
        """The pair as (drug, partner), the subject first; None when it states no interaction of a drug that
        `explicit` keeps (two classes, a class and a food; a pair without the subject in a sentence naming it)."""
        if second.name == self.subject or (second.kind == "substance" and first.kind != "substance"):
            first, second = second, first
        if first.kind != "substance" or (names_subject and first.name != self.subject):
            return None
        return first, second

    def keepable(self, sentence: _Sentence, first: Mention, second: Mention) -> bool:
        """Whether `explicit` keeps the pair (drug, partner) when the model finds it interacting: not negated, not
        a drug and its own class, not two items of a leaflet's list (one a line) without the subject."""
        if sentence.negated(first.span.start, second.span.start) or _belongs(first.name, second, sentence.text):
            return False
        return first.name == self.subject or "\n" not in sentence.text[min(first.span.end, second.span.end):
                                                                         max(first.span.start, second.span.start)]

    def implied(self, sentence: _Sentence, explicit: list[_Found], kind: InteractionType | None = None) -> list[_Found]:
        """The subject, unnamed in the sentence, with each partner the model paired with nothing."""
        subject = self.subject
        if subject is None or any(m.name in self.own for m in sentence.mentions):
            return []  # named: the pair model has spoken
        paired = {f.a_span for f in explicit} | {f.b.span for f in explicit}
        partners = []
        for m in sentence.mentions:
            absolute = sentence.absolute(m)
            if (m.name not in self.own and absolute.span not in paired and not sentence.negated(m.span.start)
                    and not _belongs(subject, m, sentence.text)):
                partners.append(absolute)
        if not partners:  # the sentence's cues need not be read
            return []
        kind = kind or _stated_type(self.cues, sentence.text)
        if kind is None:
            return []
        referents, lowered = lowered_one(self.cues.referents, sentence.text)
        referent = referents.search(lowered)
        a_span = (Span(sentence.span.start + referent.start(), sentence.span.start + referent.end()) if referent
                  else sentence.span)
        return [_Found(subject, a_span, partner, kind) for partner in partners]

    def name_line(self, sentence: _Sentence, end: int) -> bool:
        """Whether sentence.text[:end] is only names (a table's first column)."""
        if not sentence.mentions or sentence.mentions[0].span.start > end:
            return False
        names = [m.span for m in sentence.mentions if m.span.start < end]
        rest, words = [], 0
        for start, stop in zip([0] + [n.end for n in names], [n.start for n in names] + [end], strict=True):
            piece = sentence.text[start:stop]
            words += len(_WORD.findall(_NAME_LINE_FILLER.sub(" ", piece)))
            if words > _MAX_NAME_LINE_WORDS:  # most sentences: known before the rest is read
                return False
            rest.append(piece)
        return not self.cues.trigger.search(" ".join(rest))

    def table_row(self, names: list[Mention], advice: _Sentence, row: Span) -> list[_Found]:
        """Lines of names and the advice line after them: each name with the subject."""
        kind = _stated_type(self.cues, advice.text)
        if kind is None or advice.negations or any(m.name not in self.own for m in advice.mentions):
            return []
        partners = _Sentence(self.text, row, names, self.cues)
        partners.negations = []  # the names line negates nothing
        found = self.implied(partners, [], kind)
        named = next((advice.absolute(m).span for m in advice.mentions if m.name == self.subject), None)
        return [_Found(f.a, named, f.b, f.type) for f in found] if named else found


_LIST_FILLER = re.compile(r"\s*(?:,|;|/|\band/or\b|\band\b|\bor\b|\bnor\b|\bplus\b|\s)*\s*", re.IGNORECASE)


def _along_lists(sentence: _Sentence, found: list[_Found]) -> list[_Found]:
    """The subject paired with one item of a list ("with clarithromycin, itraconazole or ritonavir") is
    paired with every item, in the same way; the items are not paired with each other."""
    mentions = sentence.mentions
    groups: list[list[int]] = []
    for k, m in enumerate(mentions):
        gap = sentence.text[mentions[k - 1].span.end:m.span.start] if k else None
        if gap is not None and gap.strip() and _LIST_FILLER.fullmatch(gap):
            groups[-1].append(k)
        else:
            groups.append([k])
    by_span = {sentence.absolute(m).span: k for k, m in enumerate(mentions)}
    paired = {(f.a, f.b.span) for f in found}
    out = list(found)
    for f in found:
        index = by_span.get(f.b.span)
        group = next((g for g in groups if index in g), [])
        for other in group:
            m = mentions[other]
            absolute = sentence.absolute(m)
            if (f.a, absolute.span) not in paired and m.name != f.a and not _belongs(f.a, m, sentence.text):
                paired.add((f.a, absolute.span))
                out.append(_Found(f.a, f.a_span, absolute, f.type))
    return out


# words that name no drug in particular, marked or not ("other drugs", "these agents")
_GENERIC = re.compile(r"(?:drugs?|medications?|medicines?|agents?|substances?|compounds?|products?|therap(?:y|ies))",
                      re.IGNORECASE)
# a form or route after a brand ("Cordarone I.V.", "Proquin XR"): the brand names the drug without it
_FORM = re.compile(r"\s+(?:i\.?v\.?|i\.?m\.?|xr|cr|er|sr|xl|la|odt|oral|injection|tablets?|capsules?)$", re.IGNORECASE)


def _named(text: str, marked: MarkedName) -> Mention | None:
    """A name the file marks up, as a mention: the canonical name of a drug or class we know (a brand with its
    form or route, "Cordarone I.V.", is its drug), else its words; None for a word that names no drug in
    particular ("drugs") and for an enzyme or transporter alone ("CYP3A4": how two drugs interact, not one)."""
    words = " ".join(text[marked.span.start:marked.span.end].split())
    if _GENERIC.fullmatch(words) or interaction_cues().mechanism.fullmatch(words):
        return None  # the recogniser leaves these out of what it finds too
    name = None if marked.kind == "class" else canonical_name(words) or canonical_name(_FORM.sub("", words))
    if name is not None:
        return Mention(name, marked.span, "substance")
    # a class, marked so or by its words ("antiarrhythmic drug", "an antiarrhythmic", "antiarrhythmics" are one)
    last = words.split()[-1]
    if marked.kind == "class" or canonical_class(words) or (_GENERIC.fullmatch(last) and len(words.split()) > 1):
        name = canonical_class(words) or fold(words)
        return Mention(name if name.endswith("s") else name + "s", marked.span, "class")
    return Mention(words.lower(), marked.span, "substance")


def _overlapping(mentions: Sequence[Mention], starts: Sequence[int], span: Span) -> bool:
    """Whether a mention of `mentions` (in text order, none overlapping another; `starts` their starts)
    overlaps `span`."""
    k = bisect.bisect_left(starts, span.end)
    return k > 0 and mentions[k - 1].span.end > span.start


def _apart(mentions: list[Mention]) -> list[Mention]:
    """Mentions in text order, none overlapping the one kept before it (a mark nested in another is dropped)."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.span.start, -m.span.end)):
        if not out or m.span.start >= out[-1].span.end:
            out.append(m)
    return out


_OTHER = re.compile(r"\b(?:other|another)\s+$", re.IGNORECASE)


def _others(text: str, mention: Mention) -> bool:
    """Whether the text names the class as the *other* drugs of it ("warfarin with other anticoagulants")."""
    return _OTHER.search(text, max(0, mention.span.start - 12), mention.span.start) is not None


def _belongs(drug: str, partner: Mention, text: str) -> bool:
    """Whether `drug` is a member of the class `partner` names (spans into `text`): a drug does not interact with
    its own class ("AEDs increase the risk of suicidal thoughts"), but does with the other drugs of it."""
    return partner.kind == "class" and partner.name in classes_of(drug) and not _others(text, partner)


def find(parsed: Parsed, substance: str | None, ingredients: Sequence[str] = ()) -> list[Interaction]:
    """Every interaction the document states, in text order. `substance` is the document's subject;
    `ingredients` all its active ingredients (a combination product's), never partners of its own."""
    if parsed.document.kind in _SKIP_KINDS:
        return []
    reader = _Reader(parsed, substance, ingredients)
    text, cues = reader.text, reader.cues
    trigger, lower = for_lowered(cues.trigger), parsed.lower
    if not trigger.search(lower):  # states no interaction: skip finding names (the drug dictionary is large)
        return []
    by_sentence = reader.mentions()
    rows: dict[Span, list[_Found]] = {}
    for span, found in _table_rows(reader, by_sentence):
        rows[span] = found
    out: list[Interaction] = []
    seen: set[tuple[str, str, Span]] = set()
    for span, mentions in sorted(by_sentence.items()):
        if any(row.contains(span) for row in rows) or reader.skipped(span):
            continue
        if len(mentions) < 2 and not reader.states_subject(span):  # no pair, and no unnamed subject to pair with
            continue
        if not trigger.search(lower, span.start, span.end):
            continue
        if parsed.search(cues.not_statements, span.start, span.end):  # "tell your doctor about all the medicines"
            continue
        _report(reader, span, reader.read(_Sentence(text, span, mentions, cues)), out, seen)
    for span, found in rows.items():
        _report(reader, span, found, out, seen)
    return sorted(out, key=lambda i: (i.span, i.b_span))


def _table_rows(reader: _Reader, by_sentence: dict[Span, list[Mention]]) -> list[tuple[Span, list[_Found]]]:
    """Rows of the subject's interaction tables: lines of names, then a line of advice (in the same
    sentence, or the next one after a single line break; a cell of advice may span several rows of names)."""
    if not reader.own_subject:
        return []
    out = []
    sentences = reader.parsed.sentences
    text, cues = reader.text, reader.cues

    def names_of(k: int) -> _Sentence | None:
        span = sentences[k]
        mentions = by_sentence.get(span)
        if not mentions or not reader.states_subject(span) or reader.skipped(span):
            return None
        sentence = _Sentence(text, span, mentions, cues)
        return sentence if reader.name_line(sentence, len(sentence.text)) else None

    k = 0
    while k < len(sentences):
        span = sentences[k]
        mentions = by_sentence.get(span)
        k += 1
        if not mentions or not reader.states_subject(span) or reader.skipped(span):
            continue
        sentence = _Sentence(text, span, mentions, cues)
        line_end = sentence.text.find("\n")
        if line_end > 0 and reader.name_line(sentence, line_end):
            advice_span = Span(span.start + line_end + 1, span.end)
            names = [m for m in mentions if m.span.end <= span.start + line_end]
            advice_mentions = [m for m in mentions if advice_span.contains(m.span)]
        elif reader.name_line(sentence, len(sentence.text)):
            names = list(mentions)
            while k < len(sentences) and text[sentences[k - 1].end:sentences[k].start].count("\n") == 1:
                more = names_of(k)
                if more is None:
                    break
                names += by_sentence[sentences[k]]
                k += 1
            if k >= len(sentences) or text[sentences[k - 1].end:sentences[k].start].count("\n") != 1:
                continue
            advice_span = sentences[k]
            advice_mentions = by_sentence.get(advice_span, [])
            k += 1
        else:
            continue
        row = Span(span.start, advice_span.end)
        found = reader.table_row(names, _Sentence(text, advice_span, advice_mentions, cues), row)
        if found:
            out.append((row, found))
    return out


_MAX_CLOSING = 3  # sentences a bracket opened in a sentence may run on into ("[see\nWarnings ...\n].")


def _closed(reader: _Reader, span: Span) -> Span:
    """The sentence, run on to where a bracket it opens closes: a label's "[see Warnings and Precautions
    (5.1) and\nClinical Pharmacology (12.3)]" is cut at the line break by the sentence splitter."""
    text = reader.text
    end = span.end

    def balanced(stop: int) -> bool:
        said = text[span.start:stop]
        return said.count("[") <= said.count("]") and said.count("(") <= said.count(")")

    for _ in range(_MAX_CLOSING):
        if balanced(end):
            break
        following = reader.parsed.sentence_at(end) or reader.parsed.sentence_at(end + 1)
        if following is None or following.start - end > 2:
            break
        end = following.end
    return Span(span.start, end) if balanced(end) else span


def _report(reader: _Reader, span: Span, found: list[_Found], out: list[Interaction],
            seen: set[tuple[str, str, Span]]) -> None:
    if not found:
        return
    span = _closed(reader, span)
    said = reader.text[span.start:span.end]
    severity, wording = _severity(reader.cues, said)
    mechanism = _mechanisms(reader.cues, said)
    dosing_advice, lowered = lowered_one(reader.cues.dosing_advice, said)
    dosing = severity != "major" and dosing_advice.search(lowered) is not None
    for f in found:
        key = (f.a, f.b.name, span)
        if key in seen or f.a == f.b.name or (dosing and f.b.kind == "food"):  # "take with food" is how to take it
            continue
        seen.add(key)
        out.append(Interaction(a=f.a, a_span=f.a_span, b=f.b.name, b_span=f.b.span, type=f.type, span=span,
                               severity=severity, b_kind=f.b.kind, mechanism=mechanism, wording=wording))
