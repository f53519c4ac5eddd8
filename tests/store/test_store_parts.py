"""Store.put_parts: a huge document's items written part by part, in one transaction."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from materia.errors import StoreError
from materia.store import connect
from materia.types import Document, Effect, Extraction, Span, Statement

TEXT = "Take it with food. It may cause nausea. " * 50
SHA = "a" * 64


def _parts(sha: str = SHA, fail_after: int | None = None, name: str = "nausea",
           hedged: bool = False) -> Iterator[Extraction]:
    document = Document(source="/big.txt", sha256=sha, text=TEXT, kind="article", format="text", title="Big")
    yield Extraction(document, "Glutamine", ("glutamine",))
    for n in range(5):
        if fail_after is not None and n == fail_after:
            raise ValueError("an extractor choked")
        at = n * 40
        yield Extraction(document, "Glutamine", ("glutamine",),
                         statements=(Statement("timing", "with food", Span(at, at + 18)),),
                         effects=(Effect(name, Span(at + 32, at + 38), sentence=Span(at + 19, at + 39),
                                         hedged=hedged),))


def test_store_put_parts_stores_every_part(db_url: str) -> None:
    with connect(db_url) as store:
        assert store.put_parts("/big.txt", SHA, _parts()) == "added"
        assert store.check() == []
        [doc] = store.documents()
        assert doc.n_items == 10
        items = store.items("glutamine")
        assert [i.span for i in items if i.category == "effect"] == [Span(n * 40 + 32, n * 40 + 38) for n in range(5)]
        assert {i.text for i in items if i.category == "effect"} == {"It may cause nausea."}
        assert len([h for h in store.history(source="/big.txt") if h.change == "added"]) == 10
        assert store.put_parts("/big.txt", SHA, _parts()) == "unchanged"


def test_store_put_parts_is_atomic(db_url: str) -> None:
    """A part that fails leaves nothing of the document: not its row, not the items of the parts before."""
    with connect(db_url) as store:
        with pytest.raises(ValueError):
            store.put_parts("/big.txt", SHA, _parts(fail_after=3))
        assert store.stored_sha256("/big.txt") is None
        assert store.items("glutamine") == []
        assert store.check() == []


def test_store_put_parts_update_keeps_the_old_on_failure_and_records_changes(db_url: str) -> None:
    with connect(db_url) as store:
        store.put_parts("/big.txt", SHA, _parts())
        with pytest.raises(ValueError):
            store.put_parts("/big.txt", "b" * 64, _parts("b" * 64, fail_after=2))
        assert store.stored_sha256("/big.txt") == SHA and store.check() == []
        assert store.put_parts("/big.txt", "b" * 64, _parts("b" * 64, hedged=True)) == "updated"
        changes = [h.change for h in store.history(source="/big.txt")][10:]
        assert changes == ["changed"] * 5  # the same effects, hedged now; the statements as they were
        assert store.put_parts("/big.txt", "c" * 64, _parts("c" * 64, name="headache")) == "updated"
        changes = [h.change for h in store.history(source="/big.txt")][15:]
        assert sorted(changes) == ["added"] * 5 + ["removed"] * 5
        assert store.check() == []


def test_store_put_parts_refuses_another_file(db_url: str) -> None:
    with connect(db_url) as store, pytest.raises(StoreError):
        store.put_parts("/other.txt", SHA, _parts())


def test_store_items_of_a_huge_document_are_the_first_per_key(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from materia.store import read

    with connect(db_url) as store:
        store.put_parts("/big.txt", SHA, _parts())
        assert len(store.items("glutamine")) == 10
        monkeypatch.setattr(read, "HUGE_DOCUMENT_ITEMS", 9)
        monkeypatch.setattr(read, "ITEMS_PER_KEY", 2)
        items = store.items("glutamine")
        assert [(i.category, i.span.start) for i in items] == [("statement", 0), ("effect", 32), ("statement", 40),
                                                                 ("effect", 72)]
