"""The readers' cue lists (headings.yaml), loaded strictly once.

Section types are data so a new heading wording is a one-line change, not a code change.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import get_args

from materia.errors import VocabularyError
from materia.lexicons.loader import load_yaml
from materia.types import SectionType

_TOP_KEYS = {"section_cues", "disclaimer_cues", "loinc", "label_keys"}
_TYPES = set(get_args(SectionType))
_MEMO_HEADINGS = 4096
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled cues: heading text -> section type, disclaimer phrases, LOINC and openFDA keys."""

    heading_rules: tuple[tuple[SectionType, re.Pattern[str]], ...]
    disclaimer: re.Pattern[str]
    loinc: dict[str, SectionType]
    label_keys: dict[str, SectionType]
    # heading -> its type: a site repeats its headings on every page, and each costs a search per rule
    _types: dict[str, SectionType | None] = field(default_factory=dict, compare=False, repr=False)

    def heading_type(self, heading: str) -> SectionType | None:
        """The type a heading names, or None when it names none (a sub-heading)."""
        if heading in self._types:
            return self._types[heading]
        lowered = heading.lower()
        kind = next((kind for kind, pattern in self.heading_rules if pattern.search(lowered)), None)
        if len(self._types) >= _MEMO_HEADINGS:  # bounded: headings of a big crawl are many
            self._types.clear()
        self._types[heading] = kind
        return kind

    def is_disclaimer(self, paragraph: str) -> bool:
        """True when at least half the paragraph's sentences are accuracy/medical-advice boilerplate,
        so a paragraph that also gives real cautions keeps its content type."""
        lowered = paragraph.lower().replace("’", "'")
        if self.disclaimer.search(lowered) is None:
            return False
        sentences = [s for s in _SENTENCE_END.split(lowered) if s.strip()]
        flagged = sum(1 for s in sentences if self.disclaimer.search(s))
        return 2 * flagged >= len(sentences)


def _type(value: object, where: str) -> SectionType:
    if value not in _TYPES:
        raise VocabularyError(f"headings.yaml: {where}: unknown section type {value!r}")
    return value  # type: ignore[return-value]


def _words(cues: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(c.lower()) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def parse_cues(data: object) -> Cues:
    """Validate the YAML structure; unknown keys or types are a packaging bug."""
    if not isinstance(data, dict) or set(data) != _TOP_KEYS:
        raise VocabularyError(f"headings.yaml: top-level keys must be exactly {sorted(_TOP_KEYS)}")
    rules: list[tuple[SectionType, re.Pattern[str]]] = []
    for i, entry in enumerate(data["section_cues"]):
        if not isinstance(entry, dict) or set(entry) != {"type", "cues"} or not entry["cues"]:
            raise VocabularyError(f"headings.yaml: section_cues[{i}] must have exactly 'type' and 'cues'")
        rules.append((_type(entry["type"], f"section_cues[{i}]"), _words([str(c) for c in entry["cues"]])))
    phrases = data["disclaimer_cues"]
    if not isinstance(phrases, list) or not phrases:
        raise VocabularyError("headings.yaml: disclaimer_cues must be a non-empty list")
    disclaimer = re.compile("|".join(re.escape(str(p).lower()) for p in phrases))
    maps: list[dict[str, SectionType]] = []
    for key in ("loinc", "label_keys"):
        if not isinstance(data[key], dict):
            raise VocabularyError(f"headings.yaml: {key} must be a mapping")
        maps.append({str(k): _type(v, f"{key}.{k}") for k, v in data[key].items()})
    return Cues(tuple(rules), disclaimer, maps[0], maps[1])


@functools.cache
def cues() -> Cues:
    return parse_cues(load_yaml("headings.yaml"))
