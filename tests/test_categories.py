"""materia.categories: one registry the extractor, the store, the contract, the monograph and the labels read."""
from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import pytest

from materia import categories
from materia.categories import BY_KEY, CATEGORIES, Category, Stored
from materia.extract import extract
from materia.extract.contract import SHAPES, to_contract
from materia.knowledge.monograph import SECTIONS
from materia.labels import LABELS
from materia.store.serialise import records
from materia.types import (
    Document,
    Dose,
    Effect,
    Extraction,
    Interaction,
    Post,
    Precaution,
    RedFlag,
    Reference,
    Span,
    Statement,
    Use,
)

TEXT = ("Glutamine. Glutamine is used for diarrhea [1]. Take 5 g twice daily. Side effects include nausea. "
        "Seek medical help if you have chest pain. Do not use if you are pregnant. Take it with food. "
        "Glutamine may increase the effect of lactulose.\n\nReferences\n"
        "1. Smith J, Jones K. Glutamine in diarrhea. Gut. 2010;12:34-40.")


DOC = Document(source="a.txt", sha256="0" * 64, text=TEXT, kind="article", format="text")


def _items_of_every_category() -> Extraction:
    """One item of each category, built by hand."""
    span = Span(0, 9)
    return Extraction(
        document=DOC, substance="glutamine", substances=("glutamine",),
        doses=(Dose(span, 5, 5, "g", per="dose", times_per_day=(2, 2)),), effects=(Effect("nausea", span),),
        red_flags=(RedFlag("chest pain", span),), uses=(Use("diarrhea", span, refs=(1,)),),
        precautions=(Precaution("pregnancy", span),), references=(Reference(1, span, ("Smith J",)),),
        posts=(Post(span, author="ann", rating=4),), statements=(Statement("timing", "with food", span),),
        interactions=(Interaction("glutamine", span, "lactulose", span, "effect", span),))


def test_categories_cover_every_field_of_an_extraction() -> None:
    fields = {f.name for f in dataclasses.fields(Extraction)} - {"document", "substance", "substances"}
    assert {c.field for c in CATEGORIES} == fields
    assert len(BY_KEY) == len(CATEGORIES)
    for c in CATEGORIES:
        assert c.type.__name__ in str(next(f.type for f in dataclasses.fields(Extraction) if f.name == c.field))


def test_categories_cover_every_category_of_the_contract() -> None:
    contract = to_contract(_items_of_every_category())
    listed = {k for k, v in contract.items() if isinstance(v, list)} - {"substances"}
    assert listed == {c.field for c in CATEGORIES if c.contract}
    assert set(SHAPES) == {c.key for c in CATEGORIES if c.contract}
    assert all(len(contract[c.field]) == 1 for c in CATEGORIES if c.contract)


def test_categories_are_what_the_store_files() -> None:
    stored = records(_items_of_every_category())
    assert [r.category for r in stored] == [c.key for c in CATEGORIES]
    assert all(r.key.startswith(f"{r.category}|") for r in stored)


def test_categories_stored_shapes() -> None:
    ref = Reference(span=Span(0, 3), n=2, authors=("Smith J",))
    assert BY_KEY["reference"].stored(ref) == Stored("Smith J", "2")
    post = Post(span=Span(0, 9), body=Span(3, 9), author=None, rating=4)
    assert BY_KEY["post"].stored(post) == Stored("anonymous", "4", None, Span(3, 9))


def test_categories_each_has_a_label_and_a_section_or_none() -> None:
    placed = {t for _key, _title, topics in SECTIONS for t in topics}
    section_keys = [key for key, _title, _topics in SECTIONS]
    for c in CATEGORIES:
        assert LABELS["topic"][c.key] == c.label
        if c.claims == "item":
            assert c.section in section_keys and c.key in placed, c.key
        else:
            assert c.section is None and c.key not in placed, c.key


def test_categories_each_finder_exists_and_takes_what_it_needs() -> None:
    provided = {"substance", "substances"} | {c.field for c in CATEGORIES}
    for c in CATEGORIES:
        module, _, name = c.finder.partition(":")
        assert module.startswith("materia.extract.")
        assert callable(getattr(importlib.import_module(module), name)), c.finder
        assert set(c.needs) <= provided - {c.field}, c.key


def test_categories_each_registered_finder_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """extract() runs every registered finder, each once, with what it needs."""
    called: dict[str, int] = {}

    def spy(key: str, real: Callable[..., Any], n_needs: int) -> Callable[..., Any]:
        def finder(parsed: Any, *needs: Any) -> Any:
            assert len(needs) == n_needs
            called[key] = called.get(key, 0) + 1
            return real(parsed, *needs)
        return finder

    for c in CATEGORIES:
        module, _, name = c.finder.partition(":")
        mod = importlib.import_module(module)
        monkeypatch.setattr(mod, name, spy(c.key, getattr(mod, name), len(c.needs)))
    x = extract(DOC)
    assert called == {c.key: 1 for c in CATEGORIES}
    assert x.doses and x.references and x.uses


def test_categories_a_finder_needing_what_nobody_finds_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    odd = dataclasses.replace(CATEGORIES[0], needs=("nothing",))
    monkeypatch.setattr(categories, "CATEGORIES", (odd, *CATEGORIES[1:]))
    with pytest.raises(ValueError, match="need what no category finds"):
        extract(DOC)


def test_categories_category_is_generic_over_its_value() -> None:
    c: Category[Reference] = BY_KEY["reference"]
    assert c.type is Reference


def test_categories_the_store_reads_the_registry_without_loading_extract() -> None:
    """Finders are named, not imported: importing the store (and the registry) loads nothing of extract/."""
    import subprocess
    import sys

    code = ("import sys, materia.store, materia.store.serialise, materia.categories, materia.labels; "
            "print(sorted(m for m in sys.modules if m.startswith(('materia.extract', 'materia.ingest'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
