from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from materia.errors import NotFoundError, StoreError
from materia.pipeline import ingest
from materia.settings import Settings
from materia.store import connect
from materia.types import Document, Extraction, Span, Statement, Use

# Third-party vocabularies loaded by the extractors leave files unclosed (not ours to fix).
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

TEXT = "Take it with food. It helps diarrhea in two trials. Long-term safety is unknown."


def _extraction(source: str, sha: str, uses: tuple[Use, ...], text: str = TEXT) -> Extraction:
    doc = Document(source=source, sha256=sha, text=text, kind="article", format="text", title="T")
    return Extraction(document=doc, substance="Glutamine", uses=uses,
                      statements=(Statement("timing", "with food", Span(0, 18)),))


def test_db_connect_creates_parent_dirs_and_migrates(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "kb.sqlite"
    with connect(str(path)) as s:
        assert s.substances() == []
    assert path.exists()
    with connect(str(path)) as s:  # a second open runs no migration twice
        assert s.check() == []


def test_db_connect_bad_url_is_store_error() -> None:
    with pytest.raises(StoreError):
        connect("nosuchdialect://x/y")


def test_db_put_is_idempotent_and_replaces_atomically(store) -> None:
    use = Use("diarrhea", Span(19, 51), "benefit", "rct")
    assert store.put(_extraction("a.txt", "1", (use,))) == "added"
    assert store.put(_extraction("a.txt", "1", (use,))) == "unchanged"
    other = Use("constipation", Span(19, 51), "no_benefit", "rct")
    assert store.put(_extraction("a.txt", "2", (other,))) == "updated"
    items = store.items("glutamine")
    assert sorted(i.name for i in items) == ["constipation", "timing"]
    changes = {(h.item["name"], h.item["stance"], h.change) for h in store.history(source="a.txt")}
    assert ("diarrhea", "benefit", "removed") in changes
    assert ("constipation", "no_benefit", "added") in changes
    assert store.check() == []


def test_db_substances_counts(store) -> None:
    store.put(_extraction("a.txt", "1", (Use("diarrhea", Span(19, 51)),)))
    store.put(_extraction("b.txt", "2", (), TEXT + " Store it dry."))
    [summary] = store.substances()
    assert (summary.name, summary.n_sources, summary.n_statements, summary.n_reports) == ("glutamine", 2, 3, 0)


def test_db_substances_count_one_source_for_one_text_in_two_files(store) -> None:
    store.put(_extraction("a.txt", "1", ()))
    store.put(_extraction("copy/a.txt", "2", (), "  " + TEXT.upper().replace(" ", "\n")))  # layout and case only
    [summary] = store.substances()
    assert summary.n_sources == 1
    assert len({d.content_key for d in store.documents()}) == 1


def test_db_document_not_found(store) -> None:
    with pytest.raises(NotFoundError):
        store.document(12345)


def test_db_search_finds_documents_and_statements(store) -> None:
    store.put(_extraction("a.txt", "1", (Use("diarrhea", Span(19, 51), "benefit", "rct"),)))
    [statement] = store.match_statements(["diarrhea", "trials"], 10)
    [document] = store.match_documents(["diarrhea", "trials"], 10)
    assert (statement.category, statement.name, statement.substance) == ("use", "diarrhea", "glutamine")
    assert store.count_matches(["diarrhea", "trials"]) == (1, 1)
    statements, documents = store.snippets(["diarrhea", "trials"], [statement.item_id], [document.document_id])
    assert "[" in statements[statement.item_id].text and "[" in documents[document.document_id].text
    assert statements[statement.item_id].span == (19, 51)
    assert store.match_statements(['"; DROP TABLE items; --'], 10) == []  # quoted into plain words


def test_db_ingest_seeds_twice_is_unchanged(store, seeds) -> None:
    settings = Settings.from_env()
    paths = [str(p) for p in seeds.values()]
    first = ingest(store, paths, settings)
    assert len(first.added) == 3 and first.ok
    second = ingest(store, paths, settings)
    assert len(second.unchanged) == 3 and not second.added
    assert store.check() == []


def test_db_ingest_reports_bad_files_and_keeps_going(store, tmp_path: Path, seeds) -> None:
    good = tmp_path / "docs" / "good.txt"
    good.parent.mkdir()
    good.write_text(seeds["000"].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "docs" / "empty.bin").write_bytes(b"\x00\x01\x02" * 10)
    report = ingest(store, [str(tmp_path / "docs"), str(tmp_path / "missing.txt"), str(tmp_path / "*.none")],
                          Settings.from_env())
    assert str(good) in report.added
    failed = dict(report.failed)
    assert failed[str(tmp_path / "missing.txt")] == "no such file"
    assert str(tmp_path / "*.none") in failed


KILL_SCRIPT = """
import sys
from materia.pipeline import ingest
from materia.store import connect
from materia.settings import Settings
store = connect(sys.argv[1])
ingest(store, [sys.argv[2]], Settings.from_env())
"""


def test_db_kill9_mid_ingest_leaves_consistent_store(tmp_path: Path, seeds) -> None:
    docs = tmp_path / "many"
    docs.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in seeds.values()]
    for i in range(120):
        (docs / f"{i:03d}.txt").write_text(texts[i % 3] + f"\n\nCopy {i}.\n", encoding="utf-8")
    db = tmp_path / "kb.sqlite"
    connect(str(db)).close()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(docs)])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with connect(str(db)) as s:
                if len(s.documents()) >= 5:
                    break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    with connect(str(db)) as s:
        n = len(s.documents())
        assert 5 <= n < 120
        assert s.check() == []
        report = ingest(s, [str(docs)], Settings.from_env())  # resuming stores the rest, skips the stored
        assert len(report.unchanged) == n and len(report.added) == 120 - n
        assert s.check() == []


def test_db_latest_revision_is_alembic_head() -> None:
    """connect() skips Alembic when the database is at latest_revision(): it must be the real head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from materia.store.db import MIGRATIONS, latest_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == latest_revision()


def test_db_migration_0006_keeps_one_index_of_items_by_substance(db_url: str) -> None:
    """0006 on a 0005 knowledge base drops ix_items_substance; its items are still found by substance (through
    ix_items_statement, which leads with it), as on a new knowledge base."""
    from datetime import datetime

    import sqlalchemy as sa
    from old_schema import at_revision

    with at_revision(db_url, "0005") as conn:
        doc_id = conn.execute(sa.text(
            "INSERT INTO documents (source, record, sha256, kind, format, title, text, substance, has_references, "
            "n_items, ingested_at) VALUES ('/kb/zinc.md', '', '1', 'article', 'text', 'Zinc', :t, 'zinc', :f, 1, :at) "
            "RETURNING id"), {"t": "Zinc eases headaches.", "f": False, "at": datetime(2024, 1, 1)}).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO items (document_id, category, substance, name, key, text, payload, span_start, span_end) "
            "VALUES (:d, 'use', 'zinc', 'headaches', 'use|headaches|', 'Zinc eases headaches.', '{}', 0, 21)"),
            {"d": doc_id})
    with connect(db_url) as store:
        listed = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'"
                  if store.dialect == "sqlite" else
                  "SELECT indexname FROM pg_indexes WHERE tablename = 'items' AND schemaname = current_schema()")
        with store.engine.connect() as conn:  # reflection skips expression indexes (ix_items_statement)
            indexes = set(conn.execute(sa.text(listed)).scalars())
        assert "ix_items_substance" not in indexes and "ix_items_statement" in indexes
        assert [i.name for i in store.items("zinc")] == ["headaches"]
        assert store.check() == []


def test_db_sqlite_connections_are_durable_with_a_bulk_load_cache(tmp_path: Path) -> None:
    """Every SQLite connection: WAL with synchronous=NORMAL (a crash loses at most the last commits, never the
    database), a page cache that holds an ingest's transaction, and checkpoints every 64 MB of WAL."""
    from materia.store.db import SQLITE_CACHE_KIB, SQLITE_CHECKPOINT_PAGES

    with connect(str(tmp_path / "kb.sqlite")) as store, store.engine.connect() as conn:
        asked = ("journal_mode", "synchronous", "cache_size", "wal_autocheckpoint", "foreign_keys")
        assert [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in asked] == [
            "wal", 1, -SQLITE_CACHE_KIB, SQLITE_CHECKPOINT_PAGES, 1]
