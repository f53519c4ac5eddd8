"""A stated name -> the canonical names of the substances it names. One resolver for everything:
the extraction's main subject, and the SUBSTANCE argument of `show`, `conflicts`, `export` and the web.

    resolve_name("Atorvastatin Calcium Tablets, USP")   -> ("atorvastatin",), known
    resolve_name("Zestoretic")                          -> ("lisinopril", "hydrochlorothiazide"), known
    resolve_name("Acetaminophen/Codeine")               -> ("acetaminophen", "codeine"), known
    resolve_name("Lion's Mane Mushroom (Hericium erinaceus)") -> ("lion's mane",), not known

A name is looked up as written in the curated vocabulary (lexicons/substances.yaml), then in the
drug dictionary (brands and synonyms -> generic, lexicons/drugs.py); what is not found is reduced by
the grammar of drug names (lexicons/drug_names.yaml): dosage forms, routes, strengths and compendia
go, a combination splits at its conjunctions, trailing salt/ester/hydrate words go ("losartan
potassium"), a mineral salt names its mineral ("calcium carbonate"), botanical part and preparation
words go ("root extract"), and a brand's release suffix goes ("Effexor XR"). A name no vocabulary
knows is kept, reduced the same way, so a document is still filed under what it says it is about.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from materia.lexicons.drugs import drug_canonicals, name_grammar
from materia.lexicons.substances import substances

__all__ = ["Resolved", "canonical", "headline_name", "resolve_name"]

_MARKS = re.compile(r"[®™©℠*†‡]")
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_STRENGTH = re.compile(r"(?<![\w-])\d[\d.,]*(?:\s*/\s*\d[\d.,]*)*\s*(?:mg|mcg|µg|ug|g|gm|kg|ml|l|%|iu|units?|meq|"
                       r"mmol)(?:\s*/\s*(?:\d[\d.,]*\s*)?(?:ml|l|g|kg|dose|actuation|h|hr|day))?(?![\w-])", re.I)
_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\s,;:.\-–—/+&]+|[\s,;:\-–—/+&]+$")
_HEADLINE_CUT = re.compile(r"\s*(?::\s|\s\|\s|\s[-–—]\s|[–—|])\s*")
_MAX_UNKNOWN_WORDS = 5  # a longer unknown "name" is a phrase or a sentence, not a name
_DEPTH = 3
_FUNCTION_WORDS = frozenset("a an the of for to in on at by about how what why when which your my our is are vs versus "
                            "does do can should".split())


@dataclass(frozen=True, slots=True)
class Resolved:
    """The substances a name names, main first; `known` when every one is in a vocabulary."""

    names: tuple[str, ...]
    known: bool

    @property
    def main(self) -> str | None:
        return self.names[0] if self.names else None


_NOTHING = Resolved((), False)


@functools.cache
def _curated() -> dict[str, str]:
    """Lower-case name, synonym, form or abbreviation -> curated canonical name."""
    out: dict[str, str] = {}
    for entry in substances():
        for surface in (entry.name, *entry.synonyms, *entry.forms, *entry.exact):
            out.setdefault(surface.lower(), entry.name)
    return out


def _phrase_pattern(words: tuple[str, ...] | frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'-])")


def _trailing(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:\s+(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r"))+$")


@functools.cache
def _plant_parts() -> re.Pattern[str]:
    return _trailing(name_grammar().plant_parts)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(forms, routes and compendia anywhere; conjunctions; preparation words at the end)."""
    g = name_grammar()
    removable = _phrase_pattern((*g.forms, *g.routes, *g.compendia))
    words = "|".join(re.escape(c) for c in g.conjunctions if c.isalpha())
    marks = "|".join(re.escape(c) for c in g.conjunctions if not c.isalpha())
    conjunction = re.compile(rf"\s*(?:{marks})(?:\s*(?:{words})\s+)?\s*|\s+(?:{words})\s+")
    return removable, conjunction, _trailing(g.preparations)


def _tidy(text: str) -> str:
    text = _MARKS.sub("", text).replace("’", "'").replace("‘", "'").lower()
    return _EDGE_PUNCT.sub("", _SPACES.sub(" ", text)).strip("\"'")


def _spellings(name: str) -> list[str]:
    """The ways two vocabularies may write one name: hyphens, periods, "b12" / "b 12"."""
    out = [name, name.replace("-", " "), name.replace(".", ""), re.sub(r"\b([a-z]) (\d)", r"\1\2", name),
           re.sub(r"\b([a-z])(\d)", r"\1 \2", name)]
    return list(dict.fromkeys(s for s in out if s))


def _lookup(name: str, depth: int) -> tuple[str, ...] | None:
    """The canonical names of `name` as written (curated first, then the drug dictionary)."""
    curated = _curated()
    spellings = _spellings(name)
    for s in spellings:
        if s in curated:
            return (curated[s],)
    drugs = drug_canonicals()
    for s in spellings:
        if s in drugs:
            return _from_dictionary(drugs[s], depth)
    return None


def _from_dictionary(canonical: str, depth: int) -> tuple[str, ...] | None:
    """A dictionary canonical in our terms: combinations split, salts, forms and plant parts reduced
    when the reduced name is itself known ("sildenafil citrate" -> "sildenafil", "estradiol patch" ->
    "estradiol"); a canonical that is only a form of nothing known ("contraceptive patch") is no answer."""
    if depth <= 0:
        return (canonical,)
    curated = _curated()
    for s in _spellings(canonical):
        if s in curated:
            return (curated[s],)
    removable, _, preparation = _patterns()
    parts = _split(canonical)
    if len(parts) > 1:
        resolved = [_resolve_single(_tidy(removable.sub(" ", p)) or p, depth - 1) for p in parts]
        return tuple(dict.fromkeys(n for r in resolved for n in r.names)) or None
    reduced = _tidy(removable.sub(" ", canonical))
    stripped = _strip_salts(reduced)
    bare = preparation.sub("", stripped) or stripped
    bare = _plant_parts().sub("", bare) or bare
    if bare != canonical:
        again = _lookup(bare, depth - 1) if bare else None
        if again:
            return again
        if reduced != canonical:  # only a dosage form or route was said: not a substance name
            return None
    return (canonical,)


def _split(name: str) -> list[str]:
    """Ingredients of a combination ("a and b", "a/b", "a, b", MeSH's "a-b combination")."""
    _, conjunction, _ = _patterns()
    if re.search(r"-\S+ combinations?$", name):
        name = re.sub(r" combinations?$", "", name).replace("-", " and ")
    parts = [_tidy(p) for p in conjunction.split(name)]
    return [p for p in parts if p]


def _strip_salts(name: str, named_only: bool = False) -> str:
    """Drop trailing counter-ion, ester and hydrate words, unless only salt words would be left
    (then the salt itself is the substance: "calcium carbonate", "sodium bicarbonate").
    `named_only`: only the words the grammar names (cations, "HCl", hydrates), not those known by
    their ending, which can be a substance's own ("hydrogen peroxide")."""
    g = name_grammar()
    words = name.split()
    is_salt = g.is_named_salt_word if named_only else g.is_salt_word
    while len(words) > 1 and is_salt(words[-1]):
        rest = words[:-1]
        if all(g.is_salt_word(w) or w in g.cations for w in rest):
            break
        words = rest
    return " ".join(words)


def _moiety(name: str, depth: int) -> tuple[str, ...] | None:
    """The active moiety first, as drugs are named by it (USP Salt Policy): "levothyroxine sodium"
    is levothyroxine whatever a dictionary files the salt under."""
    moiety = _strip_salts(name, named_only=True)
    return _lookup(moiety, depth) if moiety != name else None


def _mineral(name: str) -> str | None:
    """A mineral salt ("calcium carbonate", "zinc picolinate") names its mineral, when that is curated."""
    g = name_grammar()
    words = name.split()
    if len(words) > 1 and all(g.is_salt_word(w) for w in words[1:]):
        return _curated().get(words[0])
    return None


def _resolve_single(name: str, depth: int = _DEPTH) -> Resolved:
    """One ingredient's name, with forms already removed."""
    found = _moiety(name, depth) or _lookup(name, depth)
    if found:
        return Resolved(found, True)
    stripped = _strip_salts(name)
    found = _lookup(stripped, depth) if stripped != name else None
    if found:
        return Resolved(found, True)
    mineral = _mineral(name)
    if mineral:
        return Resolved((mineral,), True)
    _, _, preparation = _patterns()
    bare = preparation.sub("", stripped) or stripped
    found = _lookup(bare, depth) if bare != stripped else None
    if found:
        return Resolved(found, True)
    part_less = _plant_parts().sub("", bare)
    found = _lookup(part_less, depth) if part_less and part_less != bare else None
    if found:
        return Resolved(found, True)
    tokens = re.split(r"[\s-]+", bare)
    if len(tokens) > 1 and tokens[-1] in name_grammar().release_suffixes:
        found = _lookup(" ".join(tokens[:-1]), depth)
        if found:
            return Resolved(found, True)
    words = bare.split()
    if len(words) > _MAX_UNKNOWN_WORDS or not re.search(r"[a-z]", bare) or _FUNCTION_WORDS.intersection(words):
        return _NOTHING  # a phrase ("health benefits of fish oil"), not a name
    return Resolved((bare,), False)


def _resolve(text: str) -> Resolved:
    name = _tidy(text)
    if not name:
        return _NOTHING
    found = _moiety(name, _DEPTH) or _lookup(name, _DEPTH)
    if found:
        return Resolved(found, True)
    removable, _, _ = _patterns()
    reduced = _tidy(removable.sub(" ", _STRENGTH.sub(" ", name)))
    if not reduced:
        return _NOTHING
    if reduced != name:
        found = _moiety(reduced, _DEPTH) or _lookup(reduced, _DEPTH)
        if found:
            return Resolved(found, True)
    parts = _split(reduced)
    if len(parts) > 1:
        resolved = [_resolve_single(p) for p in parts]
        names = tuple(dict.fromkeys(n for r in resolved for n in r.names))
        return Resolved(names, all(r.known for r in resolved)) if names else _NOTHING
    return _resolve_single(reduced)


@functools.lru_cache(maxsize=4096)
def resolve_name(text: str) -> Resolved:
    """Every substance `text` names (main first), and whether all are in a vocabulary.

    A bracketed alternative counts when the name outside the brackets is unknown:
    "Apixaban (Eliquis)", "Ashwagandha (Withania somnifera)", "Lipitor (atorvastatin calcium)"."""
    inside = [a or b for a, b in _BRACKETS.findall(text)]
    outside = _resolve(_BRACKETS.sub(" ", text))
    if outside.known:
        return outside
    for alternative in inside:
        found = _resolve(alternative)
        if found.known:
            return found
    return outside


def canonical(name: str) -> str | None:
    """The canonical name of the (main) substance `name` names, if a vocabulary knows it."""
    found = resolve_name(name)
    return found.main if found.known else None


def headline_name(title: str) -> str:
    """The part of a title that names its subject: "Simvastatin: Uses, Dosage" -> "Simvastatin"."""
    head = _HEADLINE_CUT.split(title.strip(), maxsplit=1)[0]
    return head.strip()
