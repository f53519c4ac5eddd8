"""KnowledgeBase.resolve: the one place a user's name for a substance meets the stored names."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from materia.errors import NotFoundError
from materia.knowledge import KnowledgeBase
from materia.types import Document, Extraction


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    from materia.store import connect

    s = connect(str(tmp_path / "kb.sqlite"))
    for source, title, substance in [("a.spl.xml", "Lipitor", "atorvastatin"), ("b.md", "Vitamin B12", "vitamin b12"),
                                     ("c.spl.xml", "Quuxol (quuxamide) tablets", "quuxamide"),
                                     ("d.md", "L-Glutamine", "glutamine")]:
        doc = Document(source=source, sha256=source, text="text", kind="label", format="text", title=title)
        s.put(Extraction(document=doc, substance=substance, substances=(substance,)))
    with KnowledgeBase(s) as kb:
        yield kb


@pytest.mark.parametrize(("asked", "stored"), [
    ("atorvastatin", "atorvastatin"),
    ("L-Glutamine", "glutamine"),            # a stored name, normalised
    ("LIPITOR", "atorvastatin"),             # a brand, through the drug dictionary
    ("atorvastatin calcium", "atorvastatin"),  # a salt, through the grammar of names
    ("cyanocobalamin", "vitamin b12"),       # a synonym, through the curated vocabulary
    ("Quuxol", "quuxamide"),                 # a brand no vocabulary knows: the stored label's product name
])
def test_knowledge_resolve_brands_and_synonyms(kb: KnowledgeBase, asked: str, stored: str) -> None:
    assert kb.resolve(asked) == stored


def test_knowledge_resolve_unknown_is_not_found(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFoundError):
        kb.resolve("simvastatin")  # known to the vocabularies, but nothing stored about it
    with pytest.raises(NotFoundError):
        kb.resolve("nosuchthing")


def test_knowledge_monograph_of_a_brand(kb: KnowledgeBase) -> None:
    assert kb.monograph("Lipitor").substance == "atorvastatin"
