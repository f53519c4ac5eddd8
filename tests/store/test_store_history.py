"""The history of item changes: value edits are one "changed" entry with `before`, removed files are
listed by their substance, and the migration (0004) that gives items their values' digest."""
from __future__ import annotations

from datetime import datetime

import pytest
from old_schema import at_revision

from materia.store import connect
from materia.types import Document, Dose, Effect, Extraction, Span

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")


def _zinc(sha: str, grams: float, text: str = "Take 30 g of zinc daily. It may cause nausea.",
          source: str = "/kb/zinc.md", shift: int = 0) -> Extraction:
    doc = Document(source=source, sha256=sha, text=" " * shift + text, kind="article", format="text", title="Zinc")
    dose = Dose(Span(5 + shift, 9 + shift), grams, grams, "g", per="day", context="colds", sentence=Span(shift, 24 + shift))
    effect = Effect("nausea", Span(38 + shift, 44 + shift))
    return Extraction(document=doc, substance="Zinc", doses=(dose,), effects=(effect,))


def test_store_history_a_value_edit_is_one_changed_entry_with_before(store) -> None:
    store.put(_zinc("1", 30))
    assert store.put(_zinc("2", 40, "Take 40 g of zinc daily. It may cause nausea.")) == "updated"
    entries = store.history(["zinc"])
    assert [(e.change, e.item["category"]) for e in entries] == [("added", "dose"), ("added", "effect"),
                                                                ("changed", "dose")]
    changed = entries[-1]
    assert changed.item["payload"]["high"] == 40 and changed.before is not None
    assert changed.before["payload"]["high"] == 30
    assert changed.item["name"] == changed.before["name"] == "colds"
    assert changed.document_id == entries[0].document_id and changed.source == "/kb/zinc.md"


def test_store_history_moved_items_with_the_same_values_are_no_change(store) -> None:
    store.put(_zinc("1", 30))
    store.put(_zinc("2", 30, shift=3))  # same values, other offsets
    assert [e.change for e in store.history(["zinc"])] == ["added", "added"]


def test_store_history_remove_drops_every_record_and_keeps_it_listed(store) -> None:
    store.put(_zinc("1", 30))
    store.put(_zinc("1", 30, source="/kb/sub/zinc copy.md"))
    store.put(_zinc("1", 30, source="/kbx/zinc.md"))  # shares the prefix, not the folder
    assert store.sources_under("/kb") == ["/kb/sub/zinc copy.md", "/kb/zinc.md"]
    assert store.remove("/kb/zinc.md") == 1
    assert store.remove("/kb/zinc.md") == 0
    assert [d.source for d in store.documents()] == ["/kb/sub/zinc copy.md", "/kbx/zinc.md"]
    removed = [e for e in store.history(source="/kb/zinc.md") if e.change == "removed"]
    assert sorted(e.item["category"] for e in removed) == ["dose", "effect"]
    assert all(e.substance == "zinc" and e.before is None for e in removed)
    assert store.history_substances() == ["zinc"]
    assert store.check() == []


def test_store_history_migrates_a_knowledge_base_made_before_item_digests(db_url: str) -> None:
    """0004 backfills each item's digest as the live code computes it, so re-storing the same values
    records no change, and gives old history rows their document and substance."""
    import sqlalchemy as sa

    from materia.serialise import to_json

    x = _zinc("1", 30)
    items = sa.table("items", *(sa.column(c) for c in ("document_id", "category", "substance", "name", "stance",
                                                          "key", "text", "span_start", "span_end")),
                     sa.column("payload", sa.JSON))
    with at_revision(db_url, "0003") as conn:
        doc_id = conn.execute(sa.text(
            "INSERT INTO documents (source, record, sha256, kind, format, title, text, substance, has_references, "
            "n_items, ingested_at) VALUES ('/kb/zinc.md', '', '1', 'article', 'text', 'Zinc', :t, 'zinc', :f, 2, :at) "
            "RETURNING id"), {"t": x.document.text, "f": False, "at": datetime(2024, 1, 1)}).scalar_one()
        conn.execute(items.insert(), [
            {"document_id": doc_id, "category": "dose", "substance": "zinc", "name": "colds", "stance": None,
             "key": "dose|colds|", "text": "Take 30 g of zinc daily.", "span_start": 5, "span_end": 9,
             "payload": to_json(x.doses[0])},
            {"document_id": doc_id, "category": "effect", "substance": "zinc", "name": "nausea", "stance": None,
             "key": "effect|nausea|", "text": "It may cause nausea.", "span_start": 38, "span_end": 44,
             "payload": to_json(x.effects[0])}])
        conn.execute(sa.text("INSERT INTO history (source, record, item_key, change, at) "
                             "VALUES ('/kb/zinc.md', '', 'dose|colds|', 'added', :at)"), {"at": datetime(2024, 1, 1)})
    with connect(db_url) as store:
        [old] = store.history(["zinc"])
        assert (old.document_id, old.change, old.item) == (doc_id, "added",
                                                         {"category": "dose", "name": "colds", "stance": None})
        assert store.put(_zinc("2", 30, shift=1)) == "updated"  # same values: the digests match
        assert len(store.history(["zinc"])) == 1
        assert store.put(_zinc("3", 40, "Take 40 g of zinc daily. It may cause nausea.")) == "updated"
        assert [e.change for e in store.history(["zinc"])] == ["added", "changed"]
        assert store.check() == []
