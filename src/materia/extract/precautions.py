"""Precautions. (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Precaution


def find(parsed: Parsed) -> list[Precaution]:
    return []
