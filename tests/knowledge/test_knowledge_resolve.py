"""knowledge.resolve: the one place a user's name for a substance meets the stored names."""
from __future__ import annotations

import pytest

from materia import knowledge
from materia.errors import NotFoundError
from materia.types import Document, Extraction


@pytest.fixture
def store(tmp_path):
    from materia.store import connect

    s = connect(str(tmp_path / "kb.sqlite"))
    for source, title, substance in [("a.spl.xml", "Lipitor", "atorvastatin"), ("b.md", "Vitamin B12", "vitamin b12"),
                                     ("c.spl.xml", "Quuxol (quuxamide) tablets", "quuxamide"),
                                     ("d.md", "L-Glutamine", "glutamine")]:
        doc = Document(source=source, sha256=source, text="text", kind="label", format="text", title=title)
        s.put(Extraction(document=doc, substance=substance, substances=(substance,)))
    yield s
    s.close()


@pytest.mark.parametrize(("asked", "stored"), [
    ("atorvastatin", "atorvastatin"),
    ("L-Glutamine", "glutamine"),            # a stored name, normalised
    ("LIPITOR", "atorvastatin"),             # a brand, through the drug dictionary
    ("atorvastatin calcium", "atorvastatin"),  # a salt, through the grammar of names
    ("cyanocobalamin", "vitamin b12"),       # a synonym, through the curated vocabulary
    ("Quuxol", "quuxamide"),                 # a brand no vocabulary knows: the stored label's product name
])
def test_knowledge_resolve_brands_and_synonyms(store, asked: str, stored: str) -> None:
    assert knowledge.resolve(store, asked) == stored


def test_knowledge_resolve_unknown_is_not_found(store) -> None:
    with pytest.raises(NotFoundError):
        knowledge.resolve(store, "simvastatin")  # known to the vocabularies, but nothing stored about it
    with pytest.raises(NotFoundError):
        knowledge.resolve(store, "nosuchthing")


def test_knowledge_monograph_of_a_brand(store) -> None:
    assert knowledge.monograph(store, "Lipitor").substance == "atorvastatin"
