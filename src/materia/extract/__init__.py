"""Document -> Extraction: every item with the span of its evidence.

Each extractor is a pure function of a Parsed document (no I/O, no database).
"""
from __future__ import annotations

from materia.extract.parse import Parsed, parse
from materia.types import Document, Effect, Extraction, Use

__all__ = ["Parsed", "extract", "parse"]


def extract(document: Document) -> Extraction:
    # Imported here so `materia.extract.parse` stays importable without the vocabularies.
    from materia.extract import doses, effects, experience, posts, precautions, references, statements, substances, uses

    parsed = parse(document)
    substance, every = substances.subjects(parsed)
    refs = tuple(references.find(parsed))
    found_effects: tuple[Effect, ...] = ()
    found_uses: tuple[Use, ...] = ()
    reported = document.kind in ("community", "review")  # posts report experience; labels never come here
    if not reported or not experience.covers_document(parsed):
        found_effects, found_uses = tuple(effects.find(parsed)), tuple(uses.find(parsed, refs))
    if reported:
        found_effects, found_uses = experience.merge(parsed, found_effects, found_uses)
    return Extraction(
        document=document,
        substance=substance,
        substances=every,
        doses=tuple(doses.find(parsed, substance)),
        effects=found_effects,
        red_flags=tuple(effects.find_red_flags(parsed)),
        uses=found_uses,
        precautions=tuple(precautions.find(parsed)),
        references=refs,
        posts=tuple(posts.find(parsed)),
        statements=tuple(statements.find(parsed)),
    )
