"""Many-record files in the store: one document per (source, record), a file's records in one transaction,
and the migration of a knowledge base made before records existed."""
from __future__ import annotations

from datetime import datetime

import pytest
from old_schema import at_revision

from materia.errors import StoreError
from materia.store import connect
from materia.types import Document, Effect, Extraction, Post, Span

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

ROWS = ["zinc shortened my cold", "iron caused nausea", "magnesium helped cramps"]


def _rows(sha: str, rows: list[str], source: str = "/data/reviews.csv") -> list[Extraction]:
    out, offset = [], 0
    for n, text in enumerate(rows, 1):
        doc = Document(source=source, sha256=sha, text=text, kind="review", format="csv", record=f"row {n}",
                       offset=offset, posts=(Post(Span(0, len(text)), rating=n),))
        effects = (Effect("nausea", Span(text.index("nausea"), len(text))),) if "nausea" in text else ()
        out.append(Extraction(document=doc, substance=text.split()[0], effects=effects, posts=doc.posts))
        offset += len(text) + 1
    return out


def test_store_records_put_all_stores_one_document_per_record(store) -> None:
    assert store.put_all("/data/reviews.csv", "1", _rows("1", ROWS)) == "added"
    assert store.put_all("/data/reviews.csv", "1", _rows("1", ROWS)) == "unchanged"
    docs = store.documents()
    assert [(d.record, d.offset, d.substance) for d in docs] == [("row 1", 0, "zinc"), ("row 2", 23, "iron"),
                                                                 ("row 3", 42, "magnesium")]
    assert store.stored_sha256("/data/reviews.csv") == "1"
    [effect] = store.items("iron", ["effect"])
    assert (effect.document.record, effect.document.offset) == ("row 2", 23)
    assert store.check() == []


def test_store_records_changed_file_replaces_its_records(store) -> None:
    store.put_all("/data/reviews.csv", "1", _rows("1", ROWS))
    assert store.put_all("/data/reviews.csv", "2", _rows("2", [ROWS[0], ROWS[2]])) == "updated"
    assert [(d.record, d.substance) for d in store.documents()] == [("row 1", "zinc"), ("row 2", "magnesium")]
    assert store.items("iron") == []
    assert store.check() == []


def test_store_records_a_failing_record_stores_none_of_the_file(store, monkeypatch) -> None:
    from materia.store import db

    store.put_all("/data/reviews.csv", "1", _rows("1", ROWS))
    real = db.Store._add_items
    calls = {"n": 0}

    def fail_on_second(*args: object) -> None:  # the database fails while the second record is written
        calls["n"] += 1
        if calls["n"] == 2:
            raise db.SQLAlchemyError("disk full")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(db.Store, "_add_items", staticmethod(fail_on_second))
    with pytest.raises(StoreError):
        store.put_all("/data/reviews.csv", "2", _rows("2", ["a b", "c d", "e f"]))
    monkeypatch.setattr(db.Store, "_add_items", staticmethod(real))
    assert [d.substance for d in store.documents()] == ["zinc", "iron", "magnesium"]  # the old file, whole
    assert store.stored_sha256("/data/reviews.csv") == "1"


def test_store_records_refuses_extractions_of_another_file(store) -> None:
    with pytest.raises(StoreError):
        store.put_all("/data/other.csv", "1", _rows("1", ROWS))
    with pytest.raises(StoreError):
        store.put_all("/data/reviews.csv", "1", _rows("1", ROWS)[:1] * 2)


def test_store_records_migrates_a_knowledge_base_made_before_records(db_url: str) -> None:
    """A 0001 database keeps its documents, items and full-text index when 0002 adds records."""
    import sqlalchemy as sa

    from materia.store.serialise import normalised_text_key

    with at_revision(db_url, "0001") as conn:
        doc_id = conn.execute(sa.text(
            "INSERT INTO documents (source, sha256, kind, format, title, text, substance, has_references, n_items, "
            "ingested_at) VALUES ('/old.txt', 'abc', 'article', 'text', 'Old', 'Zinc shortens colds.', 'zinc', "
            ":f, 1, :at) RETURNING id"), {"f": False, "at": datetime(2024, 1, 1)}).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO items (document_id, category, substance, name, key, text, payload, span_start, span_end) "
            "VALUES (:d, 'use', 'zinc', 'common cold', 'use|common cold|benefit', 'Zinc shortens colds.', '{}', "
            "0, 20)"), {"d": doc_id})
    with connect(db_url) as store:
        [doc] = store.documents()
        assert (doc.source, doc.record, doc.offset, doc.n_items) == ("/old.txt", None, 0, 1)
        assert doc.content_key == normalised_text_key("zinc  shortens\ncolds.")  # backfilled by 0003
        assert [i.name for i in store.items("zinc")] == ["common cold"]
        assert [m.document_id for m in store.match_documents(["shortens"], 10)] == [doc.id]  # 0005 re-indexed it
        assert [m.name for m in store.match_statements(["colds"], 10)] == ["common cold"]
        assert store.check() == []
        assert store.put_all("/old.txt", "def", _rows("def", ROWS, "/old.txt")) == "updated"
        assert [d.record for d in store.documents()] == ["row 1", "row 2", "row 3"]
        assert store.check() == []


def test_store_records_put_many_stores_many_files_in_one_go(store, monkeypatch) -> None:
    """An outcome per file in order; a file that is not one file's documents is its own error, and a file
    the database refuses is rolled back and stored alone, so it costs only itself."""
    from materia.store import db

    files = [("/data/a.csv", "1", _rows("1", ROWS, "/data/a.csv")), ("/data/b.csv", "1", _rows("1", ROWS[:1], "/data/b.csv")),
             ("/data/c.csv", "1", _rows("1", ROWS, "/data/other.csv"))]
    first = store.put_many(files)
    assert first[:2] == ["added", "added"] and isinstance(first[2], StoreError)
    assert store.put_many(files[:2]) == ["unchanged", "unchanged"]
    assert store.stored_sha256s(["/data/a.csv", "/data/b.csv", "/data/c.csv"]) == {"/data/a.csv": "1", "/data/b.csv": "1"}

    real = db.Store._add_items

    def refuse_b(s: object, written: object, recs: object) -> None:  # the database fails while b is written
        if written.document.source == "/data/b.csv":  # type: ignore[attr-defined]
            raise db.SQLAlchemyError("disk full")
        real(s, written, recs)  # type: ignore[arg-type]

    monkeypatch.setattr(db.Store, "_add_items", staticmethod(refuse_b))
    again = store.put_many([("/data/a.csv", "2", _rows("2", ROWS[1:], "/data/a.csv")),
                            ("/data/b.csv", "2", _rows("2", ROWS, "/data/b.csv"))])
    monkeypatch.undo()
    assert again[0] == "updated" and isinstance(again[1], StoreError) and "disk full" in str(again[1])
    assert store.stored_sha256s(["/data/a.csv", "/data/b.csv"]) == {"/data/a.csv": "2", "/data/b.csv": "1"}
    assert store.check() == []
