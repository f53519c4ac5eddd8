"""Substances and the document's main subject. (Filled in by the extraction work.)"""
from __future__ import annotations

from materia.extract.parse import Parsed


def main_subject(parsed: Parsed) -> str | None:
    return None
