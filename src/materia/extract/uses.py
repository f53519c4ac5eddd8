"""Uses with stance and evidence. (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Reference, Use


def find(parsed: Parsed, references: tuple[Reference, ...]) -> list[Use]:
    return []
