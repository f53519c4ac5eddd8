"""Drug classes named as the other side of an interaction (drug_classes.yaml), loaded strictly, once.

    canonical_class("potent CYP3A4 inhibitors")  -> "strong CYP3A4 inhibitors"
    canonical_class("anticoagulant drugs")       -> "anticoagulants"
    members("serotonergic drugs")                -> SSRIs, SNRIs, MAO inhibitors... and tramadol, lithium...
    classes_of("clarithromycin")                 -> {"strong CYP3A4 inhibitors", "P-gp inhibitors", ...}

A phrase is folded before it is looked up: case, spacing and dashes, a trailing "drugs", "agents",
"medications" or "products", a leading "other" or "concomitant", "potent" for "strong", "CYP3A" for
"CYP3A4", "inhibitors of X" for "X inhibitors", a singular for its plural. Aliases in the YAML are
synonyms only: a narrower phrase ("loop diuretics") is its own class, included in the wider one, so
that folding never widens what a text said.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from materia.errors import VocabularyError
from materia.lexicons.loader import load_yaml, parse_yaml

__all__ = ["DrugClass", "canonical_class", "citation", "classes", "classes_of", "fold", "members", "parse_drug_classes",
           "read_drug_classes"]

_FILE = "drug_classes.yaml"
_TOP_KEYS = {"sources", "classes"}
_CLASS_KEYS = {"aliases", "source", "members", "includes", "stems"}
_REQUIRED = {"source", "members"}


@dataclass(frozen=True, slots=True)
class DrugClass:
    """One class: its canonical name, the source it cites, its own members and the classes it includes."""

    name: str
    source: str
    aliases: tuple[str, ...]
    own_members: frozenset[str]
    includes: tuple[str, ...]
    stems: tuple[str, ...] = ()  # USAN/INN stems that end the names of its members ("-olol": beta blockers)


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:other|concomitant|certain|any|the|some)\s+")
_TRAILING = re.compile(r"\s+(?:drugs?|agents?|medications?|medicines?|medicinal products?|products?)$")
_CYP_LONG = re.compile(r"\b(?:cytochrome\s+)?p-?450\s+(\d[a-z]\d*)\b")
_CYP_SPACED = re.compile(r"\bcyp\s+(\d[a-z]\d*)\b")
_CYP3A = re.compile(r"\bcyp3a(?:4?/5|4)?\b")
_OF_FORM = re.compile(r"^(?:(strong|moderate|weak)\s+)?(inhibitors?|inducers?)\s+of\s+(?:the\s+)?(.+)$")


def fold(phrase: str) -> str:
    """The comparable form of a class phrase (see the module docstring)."""
    text = _SPACES.sub(" ", _DASHES.sub("-", phrase.lower())).strip(" .,;:")
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)
    text = text.replace("potent ", "strong ").replace("powerful ", "strong ")
    text = _CYP_LONG.sub(r"cyp\1", text)
    text = _CYP_SPACED.sub(r"cyp\1", text)
    text = _CYP3A.sub("cyp3a4", text)
    text = text.replace("p-glycoprotein", "p-gp").replace("pgp", "p-gp")
    match = _OF_FORM.match(text)
    if match:
        strength, role, target = match.groups()
        text = f"{strength + ' ' if strength else ''}{target} {role}"
    if text.endswith(("inhibitor", "inducer", "blocker", "antagonist", "agonist")):
        text += "s"
    return text


_MIN_STEM = 4  # a shorter ending is too common to name a class ("-mab" is left out)
_MIN_BEFORE_STEM = 2  # letters a member's name has before its stem


def _strings(value: object, where: str, allow_empty: bool = True) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"{_FILE}: {where} must be a list of non-empty strings")
    if not allow_empty and not value:
        raise VocabularyError(f"{_FILE}: {where} must not be empty")
    return tuple(v.strip() for v in value)


def parse_drug_classes(data: object) -> dict[str, DrugClass]:
    """Validate the parsed YAML: unknown keys, unknown sources, unknown included classes, a member
    not in lower case and a phrase that folds to two classes are packaging bugs, not things to skip."""
    if not isinstance(data, dict) or set(data) != _TOP_KEYS:
        raise VocabularyError(f"{_FILE}: top-level keys must be exactly {sorted(_TOP_KEYS)}")
    sources, table = data["sources"], data["classes"]
    if not isinstance(sources, dict) or not all(isinstance(v, str) and v.strip() for v in sources.values()):
        raise VocabularyError(f"{_FILE}: `sources` must map keys to citations")
    if not isinstance(table, dict) or not table:
        raise VocabularyError(f"{_FILE}: `classes` must be a non-empty mapping")
    out: dict[str, DrugClass] = {}
    for name, entry in table.items():
        if not isinstance(name, str) or not name.strip():
            raise VocabularyError(f"{_FILE}: class name {name!r} must be a non-empty string")
        if not isinstance(entry, dict) or set(entry) - _CLASS_KEYS or _REQUIRED - set(entry):
            raise VocabularyError(f"{_FILE}: {name}: keys must be {sorted(_REQUIRED)} and any of "
                                  f"{sorted(_CLASS_KEYS - _REQUIRED)}")
        source = entry["source"]
        if source not in sources:
            raise VocabularyError(f"{_FILE}: {name}: source {source!r} is not among `sources`")
        own = _strings(entry["members"], f"{name}.members")
        if any(m != m.lower() for m in own) or len(set(own)) != len(own):
            raise VocabularyError(f"{_FILE}: {name}: members must be lower case, each once")
        includes = _strings(entry.get("includes"), f"{name}.includes")
        if not own and not includes:
            raise VocabularyError(f"{_FILE}: {name}: a class needs members or included classes")
        stems = _strings(entry.get("stems"), f"{name}.stems")
        if not all(stem.isalpha() and stem.islower() and len(stem) >= _MIN_STEM for stem in stems):
            raise VocabularyError(f"{_FILE}: {name}: stems must be lower-case words of {_MIN_STEM} letters or more")
        out[name] = DrugClass(name, source, _strings(entry.get("aliases"), f"{name}.aliases"),
                              frozenset(own), includes, stems)
    for drug_class in out.values():
        unknown = [i for i in drug_class.includes if i not in out]
        if unknown:
            raise VocabularyError(f"{_FILE}: {drug_class.name}: includes unknown classes {unknown}")
    _check_acyclic(out)
    _index(out)  # a phrase that names two classes fails here, at load
    return out


def _check_acyclic(table: dict[str, DrugClass]) -> None:
    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise VocabularyError(f"{_FILE}: classes include each other: {' -> '.join((*path, name))}")
        for included in table[name].includes:
            visit(included, (*path, name))

    for name in table:
        visit(name, ())


def _index(table: dict[str, DrugClass]) -> dict[str, str]:
    """Folded name or alias -> canonical class name."""
    index: dict[str, str] = {}
    for drug_class in table.values():
        for phrase in (drug_class.name, *drug_class.aliases):
            key = fold(phrase)
            if index.setdefault(key, drug_class.name) != drug_class.name:
                raise VocabularyError(f"{_FILE}: {phrase!r} names both {index[key]!r} and {drug_class.name!r}")
    return index


def read_drug_classes(text: str) -> dict[str, DrugClass]:
    """Parse and validate the YAML text of drug_classes.yaml (a key twice is refused, not overwritten)."""
    return parse_drug_classes(parse_yaml(_FILE, text))


@functools.cache
def _document() -> Any:
    return load_yaml(_FILE)


@functools.cache
def classes() -> dict[str, DrugClass]:
    """Canonical class name -> class, read on first use (never at import time)."""
    return parse_drug_classes(_document())


@functools.cache
def _phrases() -> dict[str, str]:
    return _index(classes())


@functools.cache
def _expanded() -> dict[str, frozenset[str]]:
    """Class -> its drugs and those of every class it includes."""
    table = classes()
    return {name: frozenset().union(*(table[c].own_members for c in included))
            for name, included in _expanded_classes().items()}


@functools.cache
def _by_member() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for name, drugs in _expanded().items():
        for drug in drugs:
            out.setdefault(drug, set()).add(name)
    return {drug: frozenset(names) for drug, names in out.items()}


def canonical_class(phrase: str) -> str | None:
    """The canonical name of the class a phrase names, or None when it names none we know."""
    key = fold(phrase)
    phrases = _phrases()
    found = phrases.get(key)
    if found is None and key.endswith("s"):
        found = phrases.get(key[:-1])
    if found is None and not key.endswith("s"):
        found = phrases.get(key + "s")
    return found


def members(class_name: str) -> frozenset[str]:
    """The canonical names of the drugs in a class (any name of it), those of the classes it includes
    too; empty for a class we do not know."""
    name = canonical_class(class_name)
    return _expanded()[name] if name else frozenset()


def classes_of(drug: str) -> frozenset[str]:
    """The canonical names of every class a drug (its canonical name) belongs to, wider ones included: the
    classes that list it, and those whose stem ends its name ("nadolol" is a beta blocker though no list
    names it)."""
    return _classes_of(drug.strip().lower())


@functools.lru_cache(maxsize=4096)
def _classes_of(name: str) -> frozenset[str]:
    listed = _by_member().get(name, frozenset())
    stemmed = [c for stem, c in _stems() if name.endswith(stem) and len(name) >= len(stem) + _MIN_BEFORE_STEM]
    return listed.union(*(_wider()[c] for c in stemmed)) if stemmed else listed


@functools.cache
def _stems() -> tuple[tuple[str, str], ...]:
    return tuple((stem, c.name) for c in classes().values() for stem in c.stems)


@functools.cache
def _wider() -> dict[str, frozenset[str]]:
    """Class -> itself and every class that includes it, however deep."""
    table = classes()
    return {name: frozenset(other for other, members in _expanded_classes().items() if name in members)
            for name in table}


@functools.cache
def _expanded_classes() -> dict[str, frozenset[str]]:
    """Class -> itself and every class it includes, however deep."""
    table = classes()

    def expand(name: str) -> frozenset[str]:
        return frozenset({name}).union(*(expand(i) for i in table[name].includes))

    return {name: expand(name) for name in table}


@functools.cache
def _citations() -> dict[str, str]:
    """Source key -> its citation as drug_classes.yaml writes it (one line), for the file `classes()` validated."""
    classes()  # validated first
    return {key: " ".join(str(citation).split()) for key, citation in _document()["sources"].items()}


def citation(class_name: str) -> str | None:
    """The source a class's membership comes from ("US FDA, Drug Development and Drug Interactions: ..."),
    or None for a class we do not know."""
    name = canonical_class(class_name)
    return _citations()[classes()[name].source] if name else None
