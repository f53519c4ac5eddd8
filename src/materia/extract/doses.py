"""Doses: amounts, ranges, units, frequency, route, purpose. (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Dose


def find(parsed: Parsed, substance: str | None) -> list[Dose]:
    return []
