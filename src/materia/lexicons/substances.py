"""Load the curated substance vocabulary (substances.yaml) strictly, once."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from materia.errors import VocabularyError
from materia.lexicons.loader import load_yaml

_TOP_KEYS = {"substances"}
_ENTRY_KEYS = {"synonyms", "exact", "forms"}


@dataclass(frozen=True, slots=True)
class SubstanceEntry:
    """One substance: canonical lower-case name, case-insensitive synonyms/forms, exact-case abbreviations."""

    name: str
    synonyms: tuple[str, ...]
    exact: tuple[str, ...]
    forms: tuple[str, ...]


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"substances.yaml: {where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_substances(data: object) -> tuple[SubstanceEntry, ...]:
    """Validate the parsed YAML; unknown keys are a packaging bug, not something to skip."""
    if not isinstance(data, dict) or set(data) - _TOP_KEYS or "substances" not in data:
        raise VocabularyError(f"substances.yaml: top-level keys must be {sorted(_TOP_KEYS)}")
    table = data["substances"]
    if not isinstance(table, dict):
        raise VocabularyError("substances.yaml: `substances` must be a mapping")
    out: list[SubstanceEntry] = []
    for name, entry in table.items():
        if not isinstance(name, str) or name != name.lower():
            raise VocabularyError(f"substances.yaml: canonical name {name!r} must be a lower-case string")
        if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS:
            raise VocabularyError(f"substances.yaml: {name}: keys must be among {sorted(_ENTRY_KEYS)}")
        out.append(SubstanceEntry(name, _strings(entry.get("synonyms"), f"{name}.synonyms"),
                                  _strings(entry.get("exact"), f"{name}.exact"),
                                  _strings(entry.get("forms"), f"{name}.forms")))
    return tuple(out)


@functools.cache
def substances() -> tuple[SubstanceEntry, ...]:
    """The curated vocabulary, read on first use (never at import time)."""
    return parse_substances(load_yaml("substances.yaml"))
