"""Numbered reference lists. (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Reference


def find(parsed: Parsed) -> list[Reference]:
    return []
