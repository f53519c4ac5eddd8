"""Per-substance summaries in the store: generations moved by every write, stale parts never handed out,
other names, and the migration (0005) that starts them on an existing knowledge base."""
from __future__ import annotations

from datetime import datetime

from old_schema import at_revision

from materia.store import connect
from materia.types import Document, Extraction, Span, Use

FMT = "format-1"


def _zinc(source: str, sha: str, substance: str = "zinc") -> Extraction:
    doc = Document(source=source, sha256=sha, text="Zinc shortens colds in two trials.", kind="article",
                   format="text", title="Zinc")
    return Extraction(document=doc, substance=substance, uses=(Use("common cold", Span(0, 33), "benefit", "rct"),))


def test_store_summaries_move_with_every_write(store) -> None:
    assert store.summary_generation("zinc") == 0
    store.put(_zinc("/kb/a.md", "1"))
    assert store.summary_generation("zinc") == 1
    store.put(_zinc("/kb/a.md", "1"))  # unchanged: nothing written, nothing moved
    assert store.summary_generation("zinc") == 1
    store.put(_zinc("/kb/b.md", "2"))
    assert store.summary_generation("zinc") == 2
    store.put(_zinc("/kb/b.md", "3", substance="iron"))  # moved to another substance: both change
    assert (store.summary_generation("zinc"), store.summary_generation("iron")) == (3, 1)
    store.remove("/kb/a.md")
    assert store.summary_generation("zinc") == 4


def test_store_summaries_current_parts_only(store) -> None:
    store.put(_zinc("/kb/a.md", "1"))
    assert store.stale_summaries("head", FMT) == ["zinc"]
    built_from = store.summary_generation("zinc")
    assert store.put_summary("zinc", built_from, FMT, {"head": b"\x00one", "monograph": b"whole"}, ["galzin"])
    assert store.summary("zinc", "head", FMT) == b"\x00one"
    assert store.summary("zinc", "head", "format-2") is None  # built by other code
    assert store.stale_summaries("head", FMT) == [] and store.stale_summaries("head", "format-2") == ["zinc"]
    assert store.substances_called("galzin") == ["zinc"]

    store.put(_zinc("/kb/b.md", "2"))  # a writer moves the generation: the parts are stale
    assert store.summary("zinc", "head", FMT) is None and store.stale_summaries("head", FMT) == ["zinc"]
    assert not store.put_summary("zinc", built_from, FMT, {"head": b"old"})  # built before that write: refused
    assert store.summary("zinc", "head", FMT) is None

    now = store.summary_generation("zinc")
    assert store.put_summary("zinc", now, FMT, {"head": b"two"})  # every old part goes; aliases are kept
    assert store.summary("zinc", "head", FMT) == b"two" and store.summary("zinc", "monograph", FMT) is None
    assert store.substances_called("galzin") == ["zinc"]
    assert store.put_summary("zinc", now, FMT, {"head": b"two"}, aliases=[])
    assert store.substances_called("galzin") == []


def test_store_summaries_many_in_one_transaction(store) -> None:
    """After an ingest the summaries go in batches: each one current is stored, a stale one refused alone."""
    store.put(_zinc("/kb/a.md", "1"))
    store.put(_zinc("/kb/b.md", "2", substance="iron"))
    zinc, iron = store.summary_generation("zinc"), store.summary_generation("iron")
    store.put(_zinc("/kb/c.md", "3", substance="iron"))  # iron moves on after its summary was built
    assert store.put_summaries(FMT, [("zinc", zinc, {"head": b"z"}, ["galzin"]), ("iron", iron, {"head": b"i"}, None)]
                               ) == [True, False]
    assert store.summary("zinc", "head", FMT) == b"z" and store.substances_called("galzin") == ["zinc"]
    assert store.summary("iron", "head", FMT) is None and store.stale_summaries("head", FMT) == ["iron"]


def test_store_summaries_migration_starts_an_existing_knowledge_base(db_url: str) -> None:
    """0005 on a 0004 knowledge base: every stored substance gets a generation and no summary, and the
    statements already stored are searchable (stemmed), posts not."""
    import sqlalchemy as sa


    with at_revision(db_url, "0004") as conn:
        doc_id = conn.execute(sa.text(
            "INSERT INTO documents (source, record, sha256, kind, format, title, text, substance, has_references, "
            "n_items, ingested_at) VALUES ('/kb/zinc.md', '', '1', 'article', 'text', 'Zinc', :t, 'zinc', :f, 2, :at) "
            "RETURNING id"), {"t": "Zinc eases headaches. I took it.", "f": False, "at": datetime(2024, 1, 1)}
        ).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO items (document_id, category, substance, name, key, text, payload, span_start, span_end) "
            "VALUES (:d, 'use', 'zinc', 'headaches', 'use|headaches|', 'Zinc eases headaches.', '{}', 0, 21), "
            "(:d, 'post', 'zinc', 'post', 'post|post|', 'I took it.', '{}', 22, 32)"), {"d": doc_id})
    with connect(db_url) as store:
        assert store.summary_generation("zinc") == 1
        assert store.stale_summaries("head", FMT) == ["zinc"]
        assert [m.name for m in store.match_statements(["headache"], 10)] == ["headaches"]
        assert store.match_statements(["took"], 10) == [] and len(store.match_documents(["took"], 10)) == 1


def test_store_summaries_a_writer_locks_the_summary_it_writes(store, monkeypatch) -> None:
    """One lock per summary written (PostgreSQL: an advisory lock per name), not one per letter of its name."""
    locked: list[list[str]] = []
    real = type(store)._writing

    def writing(self, sources, write, *args):  # type: ignore[no-untyped-def]
        locked.append(list(sources))
        return real(self, sources, write, *args)

    monkeypatch.setattr(type(store), "_writing", writing)
    store.put_summary("zinc", store.summary_generation("zinc"), FMT, {"head": b"one"})
    store.put_summaries(FMT, [("iron", store.summary_generation("iron"), {"head": b"two"}, None)])
    assert locked == [["summary:zinc"], ["summary:iron"]]
