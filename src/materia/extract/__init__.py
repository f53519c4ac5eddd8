"""Document -> Extraction: every item with the span of its evidence.

Each extractor is a pure function of a Parsed document (no I/O, no database); materia.categories
registers which finder finds each category and what else it needs.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from materia.extract.parse import Parsed, parse
from materia.types import Document, Extraction

__all__ = ["Parsed", "extract", "parse"]

# In a document of posts that experience reading covers, its merge alone finds effects and uses.
_EXPERIENCE = ("effects", "uses")


def extract(document: Document) -> Extraction:
    """Every category's items (materia.categories), each found by its registered finder."""
    # Imported here so `materia.extract.parse` stays importable without the vocabularies.
    from materia.extract import blocks, substances

    if blocks.huge(document):  # a block at a time (extract/blocks.py)
        return blocks.joined(blocks.extract_parts(document))
    parsed = parse(document)
    substance, every = substances.subjects(parsed)
    return extract_parsed(parsed, substance, every)


def extract_parsed(parsed: Parsed, substance: str | None, every: tuple[str, ...],
                   given: Mapping[str, Any] | None = None, covered: bool | None = None) -> Extraction:
    """The items of a parsed document whose subjects are known. `given`: categories already found (a huge
    document's references, found once for the whole); `covered`: whether its posts are the document
    (experience.covers_document), when decided for a larger whole."""
    from materia.categories import CATEGORIES
    from materia.extract import experience

    document = parsed.document
    found: dict[str, Any] = {"substance": substance, "substances": every, **(given or {})}
    reported = document.kind in ("community", "review")  # posts report experience; labels never come here
    told_by_posts = reported and (experience.covers_document(parsed) if covered is None else covered)
    pending = [c for c in CATEGORIES if c.field not in found]
    while pending:  # a finder runs once what it needs is found (uses need the references)
        ready = [c for c in pending if all(n in found for n in c.needs)]
        if not ready:
            raise ValueError(f"categories need what no category finds: {[c.needs for c in pending]}")
        for category in ready:
            skip = told_by_posts and category.field in _EXPERIENCE
            found[category.field] = () if skip else tuple(category.find()(parsed, *(found[n] for n in category.needs)))
            pending.remove(category)
    if reported:
        found["effects"], found["uses"] = experience.merge(parsed, found["effects"], found["uses"], substance)
    return Extraction(document=document, **found)
