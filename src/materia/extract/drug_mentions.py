"""Mentions of drugs, drug classes and foods in text: the two sides an interaction can have.

Found from the vocabularies we ship, longest match first, never overlapping:
  substances    the curated list (lexicons/substances.yaml) and the drug dictionary (brands and
                synonyms -> generic, lexicons/drugs.py), the words the DDI 2013 annotators mostly
                did not mark as drugs ("drug", "glucose") left out;
  DDI 2013      drug, brand and class names annotated in the DDI corpus (lexicons/ddi_drugs.tsv,
                learned by scripts/train_interactions.py: only names marked in most of the places
                they occur);
  classes       the names and aliases of lexicons/drug_classes.yaml, and the grammar of enzyme and
                transporter classes ("strong or moderate inhibitors of CYP 3A4", "P-gp inducers");
  foods         grapefruit juice, alcohol, dairy... (lexicons/interactions.yaml);
                (what labs measure, "transaminases", "LDL-C", is listed there too, and never a mention);
  name endings  a long lower-case word ending in a USAN/INN stem ("-statin", "-gliflozin") is a drug
                even when no vocabulary holds it.
Not partners: what labs measure, receptors, antibodies, enzymes (interactions.yaml not_partners,
not_partner_words); a mention that is only an enzyme or transporter ("CYP3A4"); a class word that
modifies an effect ("the anticoagulant effect of warfarin", effect_heads) and a drug word that modifies
a body's process ("norepinephrine release", body_processes).
An abbreviation defined in brackets after a mention ("methotrexate (MTX)") takes its name, there and
later in the text; one defined after plain words ("pulmonary arterial hypertension
(PAH)") is no drug there or later.
Each mention has a canonical name: the generic for a substance, the class name as drug_classes.yaml
writes it (or the phrase folded, for a class it lacks), the food's name.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import ahocorasick

from materia.errors import VocabularyError
from materia.extract.names import canonical as canonical_name
from materia.extract.parse import longest_leftmost, lower_same_length, lowered_for
from materia.extract.substances import drug_variants, whole_words
from materia.lexicons import loader
from materia.lexicons.cache import compiled
from materia.lexicons.cues import alternation, interaction_cues
from materia.lexicons.drug_classes import canonical_class, classes, fold
from materia.lexicons.drugs import dictionary_file
from materia.lexicons.lay import word_counts
from materia.lexicons.substances import substances
from materia.types import Partner, Span

__all__ = ["GAZETTEER", "Mention", "Recogniser", "default_recogniser", "read_gazetteer"]

GAZETTEER = "ddi_drugs.tsv"
_KINDS = frozenset({"substance", "class", "food", "stop"})
_NOT_PARTNER = "not_partner"  # a kind of hit that is dropped: it only keeps shorter hits out of its span
_MIN_ENDING_WORD = 8
_STRENGTH = r"(?:strong|moderate|weak|potent|mild|moderate-to-strong|moderate\s+to\s+strong)"
# written in lower case (IGNORECASE matches every case), so that lowered_for can run the grammar without it
_TARGET = (r"(?:cyp\s?\d[a-z]\d{0,2}(?:/\d{1,2})?|cytochrome\s+p-?450\s?(?:\d[a-z]\d{0,2})?|p-?gp|p-glycoprotein"
           r"|oatp\s?1b[13](?:/1b3|\s+and\s+(?:oatp)?1b3)?|bcrp|ugt\s?\d[a-z]\d{1,2})")
_ROLE = r"(?:inhibitors?|inducers?|substrates?)"
_STRENGTHS = rf"(?:{_STRENGTH}(?:\s*(?:,|or|and|and/or|/)\s*{_STRENGTH})*\s+)?"
_CLASS_GRAMMAR = re.compile(
    rf"\b{_STRENGTHS}(?:{_TARGET}\s+{_ROLE}|{_ROLE}\s+of\s+(?:the\s+)?{_TARGET}(?:\s+enzymes?)?)\b", re.IGNORECASE)
_COORDINATED_STRENGTHS = re.compile(rf"^{_STRENGTH}\s*(?:,|or|and|and/or|/)\s*.*?(?={_TARGET}|{_ROLE})", re.I)
# every phrase of the class grammar holds a role word and no character but a letter, a digit, a space, a comma, a
# slash or a hyphen: it is looked for only in a run of those characters around a role word (a few a document)
_ROLE_WORD = re.compile(r"inhibitor|inducer|substrate", re.IGNORECASE)
_PHRASE_CHARACTERS = re.compile(r"[\w\s,/-]*")
_NOT_PHRASE_CHARACTER = re.compile(r"[^\w\s,/-]")


@dataclass(frozen=True, slots=True)
class Mention:
    """A drug, drug class or food named in the text: canonical name, span, kind."""

    name: str
    span: Span
    kind: Partner


def _variants(phrase: str) -> set[str]:
    """A class name as texts write it: as listed, singular or plural, with "drugs" or "agents" after."""
    low = " ".join(phrase.lower().split())
    out = {low}
    if low.endswith("s"):
        out.add(low[:-1])
    else:
        out.add(low + "s")
    for word in ("drugs", "agents", "medications", "medicines"):
        out.add(f"{low[:-1] if low.endswith('s') else low} {word}")
    return out


def read_gazetteer(text: str) -> list[tuple[str, str, str]]:
    """Rows (surface, kind, canonical) of ddi_drugs.tsv; kind is substance, class or stop."""
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or cells[1] not in _KINDS or not cells[0] or not cells[2]:
            raise VocabularyError(f"{GAZETTEER}:{n}: expected surface, kind (substance|class|stop), canonical")
        rows.append((cells[0], cells[1], cells[2]))
    return rows


class Recogniser:
    """Drug, class and food mentions from the shipped vocabularies and a gazetteer of (surface, kind,
    canonical) rows (the DDI 2013 one by default; bench/ passes one learned from training folds only)."""

    def __init__(self, gazetteer: Iterable[tuple[str, str, str]], cached: bool = False) -> None:
        """`cached`: the gazetteer is the shipped one, so the automaton of names may be read from the cache."""
        table: dict[str, tuple[str, Partner]] = {}
        stops: set[str] = set()
        for entry in substances():
            for surface in (entry.name, *entry.synonyms, *entry.forms):
                table[surface.lower()] = (entry.name, "substance")
        for surface, kind, canonical in gazetteer:
            if kind == "stop":
                stops.add(surface)
            for variant in _variants(surface) if kind == "class" else (surface,) if kind == "substance" else ():
                table.setdefault(variant, (canonical, cast(Partner, kind)))
        for drug_class in classes().values():
            for phrase in (drug_class.name, *drug_class.aliases):
                for variant in _variants(phrase):
                    table[variant] = (drug_class.name, "class")
        for surface, food in interaction_cues().foods.items():
            table[surface] = (food, "food")
        for surface in interaction_cues().not_partners:
            table[surface] = (surface, cast(Partner, _NOT_PARTNER))
        self._stops = frozenset(stops)
        build = functools.partial(_names_automaton, table)
        self._names = compiled("drug-mention-automaton", build, _name_sources()) if cached else build()
        cues = interaction_cues()
        # at most one ending can stand before a word's boundary, so a trie of them finds what a list does
        self._ending = re.compile(rf"\b[a-z][a-z-]{{2,}}{alternation(cues.name_endings)}\b")
        # the endings, reversed, at a word's end read backwards: where a name with an ending can end (see _ended)
        self._ending_reversed = re.compile(rf"\b{alternation(e[::-1] for e in cues.name_endings)}") if all(
            e.isascii() and e.isalpha() for e in cues.name_endings) else None
        self._not_names = cues.not_names
        self._not_partners = cues.not_partners
        self._molecule = cues.not_partner_words
        self._enzyme = cues.mechanism
        self._common = frozenset(word_counts()) | _heading_words()
        heads = "|".join(sorted(cues.effect_heads))
        processes = "|".join(sorted(cues.body_processes))
        self._effect_head = re.compile(rf"{_LISTED_WORDS}\s+(?:{heads})\b", re.IGNORECASE)
        self._body_process = re.compile(rf"{_LISTED_WORDS}\s+(?:{processes})\b", re.IGNORECASE)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Mentions in text[start:end], in text order, with spans into `text`."""
        piece = text[start:end]
        own: list[tuple[int, int, tuple[int, str | None, str | None]]] = []
        dictionary: list[tuple[int, int, tuple[int, str | None, str | None]]] = []
        for hit in whole_words(self._names, piece):  # each vocabulary's longest leftmost names, as two scans found
            if hit[2][1] is not None:
                own.append(hit)
            if hit[2][2] is not None:
                dictionary.append(hit)
        hits: list[tuple[int, int, str, Partner]] = []
        for begin, stop, (_, value, _) in longest_leftmost(own):
            kind, name = cast(str, value).split("\t", 1)
            begin, stop = start + begin, start + stop
            if kind != "substance" or text[begin:stop].lower() not in self._stops:
                hits.append((begin, stop, name, cast(Partner, kind)))
        for begin, stop, (_, _, canonical) in longest_leftmost(dictionary):
            begin, stop = start + begin, start + stop
            if text[begin:stop].lower() not in self._stops:
                hits.append((begin, stop, cast(str, canonical), "substance"))
        for match in _class_phrases(piece):
            phrase = piece[match.start():match.end()]
            name = canonical_class(phrase) or canonical_class(_COORDINATED_STRENGTHS.sub("", phrase)) or fold(phrase)
            hits.append((start + match.start(), start + match.end(), name, "class"))
        lowered = lower_same_length(piece)
        for match in self._ended(lowered):
            word = match.group()
            if len(word) >= _MIN_ENDING_WORD and word not in self._not_names and piece[match.start()].islower():
                hits.append((start + match.start(), start + match.end(), word, "substance"))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[Mention] = []
        last_end = -1
        for begin, stop, name, kind in hits:
            if text[stop - 1] in _EDGE_PUNCTUATION:  # "alcohol," is "alcohol": a dictionary synonym kept its comma
                continue
            if begin >= last_end:
                last_end = stop
                # what a lab measures ("transaminases", "LDL-C") or a body fluid is no side of an interaction,
                # nor a receptor, an antibody or an enzyme ("LDL receptors", "phosphodiesterase type 5")
                if kind == _NOT_PARTNER or name in self._not_partners or (
                        (_molecular_name(name) or self._molecule.search(text, begin, stop))
                        and not _ACTS_ON.search(text, begin, stop)) or self._modifier(text, begin, stop, kind):
                    continue
                out.append(Mention(name, Span(begin, stop), kind))
        return _appositions(text, _abbreviations(text, out))

    def _ended(self, lowered: str) -> Iterator[re.Match[str]]:
        """self._ending.finditer(lowered), searched only in the runs of word characters and hyphens where an ending
        ends a word. Re tries the name pattern at every word's start, backtracking over the word for an ending;
        most words have none, and the reversed text, searched for an ending at a word's end, says which do. A
        match is letters and hyphens and so within one run, and each run is searched from its start as a search of
        the whole text reaches it (its bounds are no word character, so \\b reads the same there)."""
        if self._ending_reversed is None:  # an ending of other characters than letters could cross a run's bounds
            yield from self._ending.finditer(lowered)
            return
        backwards = lowered[::-1]
        size = len(lowered)
        ends = [size - m.start() for m in self._ending_reversed.finditer(backwards)]
        searched = 0  # where the last run searched ends
        for end in reversed(ends):  # in text order
            if end <= searched:
                continue
            run_start = size - _RUN.match(backwards, size - end).end()  # type: ignore[union-attr]  # * matches
            searched = _RUN.match(lowered, end).end()  # type: ignore[union-attr]
            yield from self._ending.finditer(lowered, run_start, searched)

    def own_brand(self, text: str, subject: str) -> list[Mention]:
        """Mentions of the subject of a text about one product by a brand name no vocabulary holds: a word in
        capitals written at least three times ("NUROMAX" in doxacurium's label), not a common word, not a
        heading ("WARNINGS:"), never written in lower case in the text, no enzyme, no class."""
        counts = Counter(match.group() for match in _CAPITALS.finditer(text))
        candidates = {word for word, n in counts.items() if n >= _OWN_BRAND_TIMES}
        if not candidates:
            return []
        lower_case = _written_lower(text, {word.lower() for word in candidates})
        brands = set()
        for word in candidates:
            low = word.lower()
            if (low in self._common or low in lower_case or low in self._not_names or low in self._not_partners
                    or self._enzyme.fullmatch(word) or canonical_class(low) or canonical_name(low)):
                continue  # a name a vocabulary resolves ("LIPITOR") is found as what it is
            brands.add(word)
        out = [Mention(subject, Span(m.start(), m.end()), "substance") for m in _CAPITALS.finditer(text)
               if m.group() in brands] if brands else []
        return out  # in text order

    def _modifier(self, text: str, begin: int, stop: int, kind: Partner) -> bool:
        """Whether the words text[begin:stop] name no product here: an enzyme or transporter alone, a
        class word before an effect ("anticoagulant effects"), a drug word before a body's process."""
        return bool(self._enzyme.fullmatch(text, begin, stop)
                    or (kind == "class" and self._effect_head.match(text, stop))
                    or self._body_process.match(text, stop))


def _class_phrases(text: str) -> Iterator[re.Match[str]]:
    """The matches of _CLASS_GRAMMAR in `text`, in order: those of each run of the characters a phrase of it can
    hold that has a role word in it (no phrase crosses another character, and each run is searched from its start,
    as a search of the whole text would reach it)."""
    (grammar, roles), searched = lowered_for((_CLASS_GRAMMAR, _ROLE_WORD), text)
    backwards: str | None = None
    run_end = 0
    for role in roles.finditer(searched):
        if role.start() < run_end:  # in the run searched already
            continue
        backwards = searched[::-1] if backwards is None else backwards
        before = _NOT_PHRASE_CHARACTER.search(backwards, len(searched) - role.start())
        run_start = len(searched) - before.start() if before else 0
        run_end = _PHRASE_CHARACTERS.match(searched, role.start()).end()  # type: ignore[union-attr]  # * matches
        yield from grammar.finditer(searched, run_start, run_end)


@functools.lru_cache(maxsize=1 << 16)  # asked of every mention, and a text names its drugs many times
def _molecular_name(name: str) -> bool:
    """Whether the name is of a molecule the body makes or handles (interactions.yaml not_partner_words)."""
    return interaction_cues().not_partner_words.search(name) is not None


_EDGE_PUNCTUATION = frozenset(",;:.")
_RUN = re.compile(r"[\w-]*")  # a run of word characters and hyphens, which holds every name with an ending
# a word in capitals, five letters or more, that no heading colon follows ("WARNINGS:"): what \b[A-Z]{5,}\b matches,
# the word's start looked behind for from its first capital: re skips to a capital when a pattern starts with one
_CAPITALS = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{4,}(?![:\w-])")
_OWN_BRAND_TIMES = 3


def _written_lower(text: str, words: set[str]) -> set[str]:
    """Which of `words` (what _CAPITALS finds, lowered: five or more ASCII letters) the text also writes in
    lower case, as a word of its own. Each is first looked for as a plain substring, a fast scan that rules most
    of them out (re scans slowly for a pattern that starts with \\b)."""
    return {word for word in words if word in text and re.search(rf"\b{word}\b", text)}


@functools.cache
def _heading_words() -> frozenset[str]:
    """Every word of the section cues (lexicons/headings.yaml): "PHARMACOLOGY" in capitals is a heading."""
    entries = loader.load_yaml("headings.yaml")["section_cues"]
    return frozenset(word for entry in entries for cue in entry["cues"] for word in str(cue).lower().split())
# more words of a list after a mention: "diuretic, natriuretic, and antihypertensive (effects)"
_LISTED_WORDS = r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or)\s+)[a-z][a-z-]*)*"
# what acts on a receptor or an enzyme is a drug ("angiotensin receptor blockers", "HMG-CoA reductase inhibitors")
_ACTS_ON = re.compile(r"inhibitor|blocker|blocking|antagonist|agonist|inducer|modulator|stimulator|activator", re.I)
_BRACKETED = re.compile(r"\s*\(\s*$")
_WORD_BEFORE = re.compile(r"[A-Za-z][\w]*")
_INITIALS_WINDOW = 5  # words before a bracket whose initials may spell the abbreviation
_MAX_ABBREVIATION = 8


# a class named right after a drug to say what the drug is: "simvastatin (CYP3A4 substrate)",
# "propranolol, a CYP3A4 inhibitor"
_APPOSITION_BEFORE = re.compile(r"\s*(?:\(\s*(?:an?\s+|the\s+)?|,\s*(?:an?|the)\s+)")
_APPOSITION_AFTER = re.compile(r"\s*[),;]")


def _appositions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions without a class that only describes the drug named just before it ("simvastatin (CYP3A4
    substrate)"): the drug is the partner, the class says what it is."""
    out: list[Mention] = []
    for m in mentions:
        previous = out[-1] if out else None
        if (m.kind == "class" and previous is not None and previous.kind == "substance"
                and _APPOSITION_BEFORE.fullmatch(text, previous.span.end, m.span.start)
                and (_APPOSITION_AFTER.match(text, m.span.end) or m.span.end == len(text))):
            continue
        out.append(m)
    return out


def _is_abbreviation(surface: str) -> bool:
    letters = surface.rstrip("s")
    return 2 <= len(letters) <= _MAX_ABBREVIATION and letters.isalnum() and sum(c.isupper() for c in letters) >= 2


def _initials_spell(words: Sequence[str], abbreviation: str) -> bool:
    """Whether the initials of the last words before a bracket spell the abbreviation ("pulmonary arterial
    hypertension (PAH)")."""
    letters = abbreviation.rstrip("s").upper()
    initials = "".join(w[0] for w in words if w.lower() not in ("of", "and", "the", "in")).upper()
    return len(letters) >= 2 and initials.endswith(letters)


def _abbreviations(text: str, mentions: list[Mention]) -> list[Mention]:
    """Abbreviations defined in brackets: after a mention ("methotrexate (MTX)", "monoamine oxidase
    inhibitors (MAOIs)") the abbreviation names the same thing, here and wherever the text uses it again;
    after words that are no mention, whose initials spell it ("pulmonary arterial hypertension (PAH)"),
    it is not a drug, here or later."""
    if not mentions:
        return mentions
    renamed: dict[str, str] = {}
    dropped: set[str] = set()
    out: list[Mention] = []
    previous: Mention | None = None
    for m in mentions:
        surface = text[m.span.start:m.span.end]
        key = surface.rstrip("s")
        if _is_abbreviation(surface) and _BRACKETED.search(text, max(0, m.span.start - 3), m.span.start):
            start = max(0, m.span.start - 80)
            if previous is not None and _BRACKETED.fullmatch(text, previous.span.end, m.span.start):
                if previous.kind == m.kind or m.kind == "substance":
                    renamed[key] = previous.name
                    m = Mention(previous.name, m.span, previous.kind)
            else:
                before = text[start:m.span.start].rstrip(" (")
                words = _WORD_BEFORE.findall(before)[-_INITIALS_WINDOW:]
                if before and not before.endswith((".", ";", ":")) and _initials_spell(words, surface):
                    dropped.add(key)
                    continue
        elif key in dropped:
            continue
        elif key in renamed and m.name != renamed[key]:
            m = Mention(renamed[key], m.span, m.kind)
        out.append(m)
        previous = m
    return out


def _names_automaton(table: dict[str, tuple[str, Partner]]) -> ahocorasick.Automaton:
    """The recogniser's names (`table`) and the drug dictionary's (drug_variants) in one automaton, each key valued
    (its length, "kind\tcanonical" of the table or None, the dictionary's canonical or None), so that one scan of
    a text finds both. Inside an extraction the dictionary's million nodes are out of the processor's cache: its
    scan cost twice what it does alone, and a scan of its own for the table's names half as much again."""
    values: dict[str, tuple[int, str | None, str | None]] = {
        surface: (len(surface), f"{kind}\t{canonical}", None) for surface, (canonical, kind) in table.items()}
    for variant, canonical in drug_variants():
        own = values.get(variant)
        values[variant] = (len(variant), own[1] if own else None, canonical)
    automaton = ahocorasick.Automaton()
    for key, value in values.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton


def _name_sources() -> tuple[str | Path, ...]:
    """What the shipped recogniser's names are built from: the vocabularies (lexicons/), the drug dictionary, the
    code."""
    return ("lexicons", "extract/drug_mentions.py", "extract/substances.py", dictionary_file(),
            Path(ahocorasick.__file__))


@functools.cache
def default_recogniser() -> Recogniser:
    """The recogniser with the DDI 2013 gazetteer we ship, built on first use."""
    return Recogniser(read_gazetteer(loader.read_text(GAZETTEER)), cached=True)
