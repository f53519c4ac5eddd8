"""Document -> Extraction: every item with the span of its evidence.

Each extractor is a pure function of a Parsed document (no I/O, no database).
"""
from __future__ import annotations

from materia.extract.parse import Parsed, parse
from materia.types import Document, Extraction

__all__ = ["Parsed", "extract", "parse"]


def extract(document: Document) -> Extraction:
    # Imported here so `materia.extract.parse` stays importable without the vocabularies.
    from materia.extract import doses, effects, posts, precautions, references, statements, substances, uses

    parsed = parse(document)
    substance, every = substances.subjects(parsed)
    refs = tuple(references.find(parsed))
    return Extraction(
        document=document,
        substance=substance,
        substances=every,
        doses=tuple(doses.find(parsed, substance)),
        effects=tuple(effects.find(parsed)),
        red_flags=tuple(effects.find_red_flags(parsed)),
        uses=tuple(uses.find(parsed, refs)),
        precautions=tuple(precautions.find(parsed)),
        references=refs,
        posts=tuple(posts.find(parsed)),
        statements=tuple(statements.find(parsed)),
    )
