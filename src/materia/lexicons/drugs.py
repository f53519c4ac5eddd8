"""Drug names: the packaged dictionary of drug_named_entity_recognition and the grammar of names.

drug_ner_dictionary.pkl.bz2 (MIT, Fast Data Science; from DrugBank open data, MeSH, MedlinePlus,
NHS and Wikipedia) maps ~107k name variants, brands included, to canonical names. Reading it
takes most of a second of CPU, so it is read on first use only, never at import time, and what is
kept of it is compiled into the cache (lexicons/cache.py: later processes read it in 0.03 s).
MeSH pharmacological-action classes ("Contraceptives, Oral", "Anti-Bacterial Agents", tree D27)
are dropped: a class is not a substance.

drug_names.yaml holds the closed word classes of the grammar of names (salts, hydrates, dosage
forms, routes...), loaded strictly.
"""
from __future__ import annotations

import bz2
import functools
import importlib.util
import pickle
from dataclasses import dataclass
from pathlib import Path

from materia.errors import VocabularyError
from materia.lexicons.cache import compiled
from materia.lexicons.loader import load_yaml

__all__ = ["NameGrammar", "dictionary_file", "drug_canonicals", "name_grammar"]

_PACKAGE = "drug_named_entity_recognition"
_CLASS_TREE = "D27"  # MeSH "Chemical Actions and Uses": pharmacological classes, not substances
_GRAMMAR_KEYS = {"cations", "anion_endings", "anions", "hydrates", "forms", "routes", "compendia",
                 "preparations", "plant_parts", "release_suffixes", "conjunctions"}


@functools.cache
def dictionary_file() -> Path:
    """The packaged dictionary's file."""
    # found, not imported: importing the package would read the same file again at import time
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise VocabularyError(f"{_PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "drug_ner_dictionary.pkl.bz2"


@functools.cache
def drug_canonicals() -> dict[str, str]:
    """Lower-case variant (brand, synonym, salt form) -> lower-case canonical drug name."""
    path = dictionary_file()
    return compiled("drug-canonicals", functools.partial(read_canonicals, path), ("lexicons/drugs.py", path))


def read_canonicals(path: Path) -> dict[str, str]:
    """drug_canonicals from the dictionary file, read and filtered (what the cache keeps)."""
    try:
        with bz2.open(path, "rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise VocabularyError(f"drug_ner_dictionary.pkl.bz2: {exc}") from exc
    about = data["drug_canonical_to_data"]

    def is_class(canonical: str) -> bool:
        trees = about.get(canonical, {}).get("mesh_tree") or []
        return bool(trees) and all(str(t).startswith(_CLASS_TREE) for t in trees)

    out: dict[str, str] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        if canonicals and not is_class(canonicals[0]):
            out[str(variant).lower()] = str(canonicals[0]).lower()
    for canonical in about:  # a canonical name is a name of itself ("estradiol" is listed only as a target)
        if not is_class(canonical):
            out.setdefault(str(canonical).lower(), str(canonical).lower())
    return out


@dataclass(frozen=True, slots=True)
class NameGrammar:
    """The word classes of drug_names.yaml, lower case."""

    cations: frozenset[str]
    anion_endings: tuple[str, ...]
    anions: frozenset[str]
    hydrates: frozenset[str]
    forms: tuple[str, ...]
    routes: frozenset[str]
    compendia: tuple[str, ...]
    preparations: tuple[str, ...]
    plant_parts: tuple[str, ...]
    release_suffixes: frozenset[str]
    conjunctions: tuple[str, ...]

    def is_named_salt_word(self, word: str) -> bool:
        """A counter-ion or hydrate word the grammar names ("calcium", "hydrochloride", "trihydrate")."""
        return word in self.cations or word in self.anions or word in self.hydrates

    def is_salt_word(self, word: str) -> bool:
        """A counter-ion, ester or hydrate word, named or known by its ending ("acetate", "chloride")."""
        return self.is_named_salt_word(word) or (len(word) > 5 and word.endswith(self.anion_endings))


def parse_name_grammar(data: object) -> NameGrammar:
    if not isinstance(data, dict) or set(data) != _GRAMMAR_KEYS:
        raise VocabularyError(f"drug_names.yaml: top-level keys must be exactly {sorted(_GRAMMAR_KEYS)}")
    lists: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise VocabularyError(f"drug_names.yaml: {key} must be a non-empty list of strings")
        lists[key] = tuple(v.strip().lower() for v in value)
    return NameGrammar(frozenset(lists["cations"]), lists["anion_endings"], frozenset(lists["anions"]),
                       frozenset(lists["hydrates"]), lists["forms"], frozenset(lists["routes"]),
                       lists["compendia"], lists["preparations"], lists["plant_parts"],
                       frozenset(lists["release_suffixes"]),
                       lists["conjunctions"])


@functools.cache
def name_grammar() -> NameGrammar:
    return parse_name_grammar(load_yaml("drug_names.yaml"))
