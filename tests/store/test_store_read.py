"""open_reader: an SQLite knowledge base read through the standard library's sqlite3 reads as the Store does."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from old_schema import at_revision

from materia.knowledge import KnowledgeBase
from materia.knowledge.summaries import HEAD, summary_format
from materia.pipeline import ingest
from materia.settings import Settings
from materia.store import Reader, Store, connect, open_reader
from materia.store.read import SqliteReader, sqlite_file
from materia.types import Document, Extraction, Interaction, Span


def _label(severity: str) -> Extraction:
    text = "Avoid LIPITOR with strong CYP3A4 inhibitors."
    doc = Document(source="/kb/lipitor.xml", sha256=severity, text=text, kind="label", format="spl", title="Lipitor",
                   modified=date(2024, 5, 1))
    avoid = Interaction("atorvastatin", Span(6, 13), "strong CYP3A4 inhibitors", Span(19, 43), "advise", Span(0, 44),
                        severity, "class", ("CYP3A4",), "avoid")
    return Extraction(document=doc, substance="atorvastatin", interactions=(avoid,))


@pytest.fixture
def seeded(tmp_path: Path, seeds: dict[str, Path]) -> str:
    """The seeds, and a label (dated, titled, with an interaction) stored twice: a change in the history."""
    db = str(tmp_path / "kb.sqlite")
    with connect(db) as store:
        report = ingest(store, [str(p) for p in seeds.values()], Settings.from_env({}, db=db))
        store.put(_label("major"))
        store.put(_label("moderate"))
        KnowledgeBase(store).refresh_summaries()
    assert report.ok
    return db


def _reads(reader: Reader) -> list[object]:
    """What the knowledge layer reads, every kind of read once."""
    names = reader.substance_names()
    first = reader.documents()[0].id
    return [reader.data_version(), reader.revision(), reader.substances(), reader.substances(names[:1]), names,
            reader.titled_substances(), [reader.items(n) for n in names], reader.items(names[0], ["effect", "use"]),
            reader.interactions(["Strong CYP3A4 inhibitors", "warfarin"]), reader.documents(),
            reader.documents(names[0]), reader.document(first), reader.history(), reader.history(names[:1]),
            reader.history_substances(), [reader.summary(n, HEAD, summary_format()) for n in names],
            [reader.summary_generation(n) for n in names], reader.stale_summaries(HEAD, summary_format()),
            reader.substances_called("lipitor"), reader.match_statements(["stomach"], 20),
            reader.match_documents(["stomach"], 20), reader.count_matches(["stomach"])]


def test_store_read_sqlite_reader_reads_as_the_store_does(seeded: str) -> None:
    with connect(seeded) as store, open_reader(seeded) as reader:
        assert isinstance(reader, SqliteReader)
        assert _reads(reader) == _reads(store)
        assert reader.interactions(["strong cyp3a4 inhibitors"])[0].payload["mechanism"] == ["CYP3A4"]
        assert reader.documents("atorvastatin")[0].modified == date(2024, 5, 1)
        assert [e.change for e in reader.history(["atorvastatin"])] == ["added", "changed"]
        assert reader.substances_called("lipitor") == ["atorvastatin"]


def test_store_read_sqlite_reader_writes_through_a_store_it_opens(seeded: str) -> None:
    with sqlite3.connect(seeded) as db:  # none stored yet
        db.execute("DELETE FROM summaries")
    with open_reader(seeded) as reader:
        kb = KnowledgeBase(reader, cache_size=0)
        assert kb.monograph_head("glutamine").substance == "glutamine"  # built, and stored by the writer
        assert isinstance(reader.writer(), Store)
        assert reader.summary("glutamine", HEAD, summary_format()) is not None


@pytest.mark.parametrize("target", ["kb.sqlite", "sqlite:///{tmp}/kb.sqlite"])
def test_store_read_a_missing_or_older_sqlite_file_is_opened_by_the_store(tmp_path: Path, target: str) -> None:
    target = target.format(tmp=tmp_path) if "://" in target else str(tmp_path / target)
    with open_reader(target) as reader:  # missing: created (and migrated) as connect creates it
        assert isinstance(reader, Store)
    with open_reader(target) as reader:
        assert isinstance(reader, SqliteReader)
    older = tmp_path / "old.sqlite"
    with at_revision(str(older), "0004"):
        pass
    with open_reader(str(older)) as reader:  # migrated, by the Store
        assert isinstance(reader, Store)
    with open_reader(str(older)) as reader:
        assert isinstance(reader, SqliteReader)


@pytest.mark.parametrize(("target", "path"), [
    ("~/kb.sqlite", str(Path("~/kb.sqlite").expanduser())), ("sqlite:////data/kb.sqlite", "/data/kb.sqlite"),
    ("sqlite:///kb.sqlite?timeout=5", "kb.sqlite"), ("sqlite://", None), ("sqlite:///:memory:", None),
    ("postgresql+psycopg://u@h/db", None)])
def test_store_read_sqlite_file_of_a_url_or_path(target: str, path: str | None) -> None:
    assert sqlite_file(target) == path
