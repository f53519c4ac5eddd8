"""Practical statements (timing, long-term safety, ...). (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Statement


def find(parsed: Parsed) -> list[Statement]:
    return []
