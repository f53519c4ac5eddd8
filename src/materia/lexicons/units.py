"""Load the dose-unit vocabulary (units.yaml) strictly, once."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from materia.errors import VocabularyError
from materia.lexicons.loader import load_yaml

_TOP_KEYS = {"units", "case_sensitive"}
_ENTRY_KEYS = {"pint", "forms"}


@dataclass(frozen=True, slots=True)
class Units:
    """Surface form -> canonical symbol, and canonical symbol -> pint unit name (None: not convertible)."""

    folded: dict[str, str]      # lower-cased surface form -> canonical
    exact: dict[str, str]       # surface form that only counts in this exact case -> canonical
    pint_names: dict[str, str | None]

    def canonical(self, surface: str) -> str | None:
        return self.exact.get(surface) or self.folded.get(surface.lower())


def parse_units(data: object) -> Units:
    if not isinstance(data, dict) or set(data) - _TOP_KEYS or "units" not in data:
        raise VocabularyError(f"units.yaml: top-level keys must be among {sorted(_TOP_KEYS)}")
    case_sensitive = data.get("case_sensitive") or []
    if not isinstance(case_sensitive, list):
        raise VocabularyError("units.yaml: case_sensitive must be a list")
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    pint_names: dict[str, str | None] = {}
    for name, entry in (data["units"] or {}).items():
        if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS or "forms" not in entry:
            raise VocabularyError(f"units.yaml: {name}: keys must be among {sorted(_ENTRY_KEYS)}")
        pint_name = entry.get("pint")
        if pint_name is not None and not isinstance(pint_name, str):
            raise VocabularyError(f"units.yaml: {name}.pint must be a string or null")
        pint_names[str(name)] = pint_name
        for form in entry["forms"]:
            if not isinstance(form, str):
                raise VocabularyError(f"units.yaml: {name}: form {form!r} is not a string")
            if form in case_sensitive:
                exact[form] = str(name)
            else:
                folded[form.lower()] = str(name)
    return Units(folded, exact, pint_names)


@functools.cache
def units() -> Units:
    return parse_units(load_yaml("units.yaml"))


_CUE_KEYS = {"routes", "routes_exact", "populations", "times_words", "number_words", "context_skip", "context_stop",
             "context_not_after", "once_daily_events", "not_names", "title_not_indication"}


@dataclass(frozen=True, slots=True)
class DoseCues:
    """Words read around a dose (units_cues.yaml)."""

    routes: dict[str, tuple[str, ...]]
    routes_exact: dict[str, tuple[str, ...]]
    populations: dict[str, tuple[str, ...]]
    times_words: dict[str, int]
    number_words: dict[str, int]
    context_skip: frozenset[str]
    context_stop: frozenset[str]
    context_not_after: frozenset[str]
    once_daily_events: tuple[str, ...]
    not_names: frozenset[str]
    title_not_indication: frozenset[str]


def _mapping_of_lists(data: dict[str, object], key: str) -> dict[str, tuple[str, ...]]:
    table = data.get(key) or {}
    if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in table.values()):
        raise VocabularyError(f"units_cues.yaml: {key} must map names to lists of strings")
    return {str(k): tuple(v) for k, v in table.items()}


def _mapping_of_ints(data: dict[str, object], key: str) -> dict[str, int]:
    table = data.get(key) or {}
    if not isinstance(table, dict) or not all(isinstance(v, int) for v in table.values()):
        raise VocabularyError(f"units_cues.yaml: {key} must map words to integers")
    return {str(k).lower(): int(v) for k, v in table.items()}


def _word_set(data: dict[str, object], key: str) -> frozenset[str]:
    words = data.get(key) or []
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise VocabularyError(f"units_cues.yaml: {key} must be a list of words")
    return frozenset(w.lower() for w in words)


def parse_cues(data: object) -> DoseCues:
    if not isinstance(data, dict) or set(data) - _CUE_KEYS:
        raise VocabularyError(f"units_cues.yaml: top-level keys must be among {sorted(_CUE_KEYS)}")
    return DoseCues(_mapping_of_lists(data, "routes"), _mapping_of_lists(data, "routes_exact"),
                    _mapping_of_lists(data, "populations"), _mapping_of_ints(data, "times_words"),
                    _mapping_of_ints(data, "number_words"), _word_set(data, "context_skip"),
                    _word_set(data, "context_stop"), _word_set(data, "context_not_after"),
                    tuple(sorted(_word_set(data, "once_daily_events"))), _word_set(data, "not_names"),
                    _word_set(data, "title_not_indication"))


@functools.cache
def dose_cues() -> DoseCues:
    return parse_cues(load_yaml("units_cues.yaml"))
