"""Adverse effects and red-flag symptoms. (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Effect, RedFlag


def find(parsed: Parsed) -> list[Effect]:
    return []


def find_red_flags(parsed: Parsed) -> list[RedFlag]:
    return []
