"""Concurrent `materia ingest` runs into one new knowledge base (issue 11, item 1).

Three processes ingest overlapping folders at once; every run must exit 0 and every file must be
stored exactly once, on SQLite and on PostgreSQL: first-use migrations are serialised, writers of
one source are serialised, and a lost insert race is retried as an update or an 'unchanged'."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from materia.store import connect

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

SRC = Path(__file__).resolve().parents[2] / "src"


def _corpus(root: Path, seeds: dict[str, Path]) -> tuple[list[Path], int]:
    """Three folders, each sharing files with the next; returns them and how many documents they hold."""
    texts = [p.read_text(encoding="utf-8") for p in seeds.values()]
    folders = [root / name for name in ("one", "two", "three")]
    for f in folders:
        f.mkdir()
    shared = root / "shared"
    shared.mkdir()
    for i in range(4):
        (shared / f"s{i}.txt").write_text(texts[i % 3] + f"\n\nShared copy {i}.\n", encoding="utf-8")
    (shared / "reviews.csv").write_text("drug,condition,rating,review\nzinc,cold,9,Shortened my cold.\n"
                                        "iron,anemia,3,Caused nausea.\n", encoding="utf-8")
    for n, f in enumerate(folders):
        (f / "own.txt").write_text(texts[n] + f"\n\nOwn copy {n}.\n", encoding="utf-8")
        (f / "linked").symlink_to(shared, target_is_directory=True)  # the overlap: one files, many paths
    return folders, 4 + 2 + 3  # shared texts, review rows, own texts


def _run_three(db: str, folders: list[Path]) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    procs = [subprocess.Popen([sys.executable, "-m", "materia", "ingest", str(folders[i]),
                               str(folders[(i + 1) % 3]), "--db", db],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for i in range(3)]
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=240)
            results.append((p.returncode, out, err))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    for code, out, err in results:
        assert code == 0, f"exit {code}: {out} {err}"
        assert "0 failed" in out and not err.strip(), err


def test_store_concurrency_three_ingests_into_one_new_knowledge_base(db_url: str, tmp_path: Path,
                                                                    seeds: dict[str, Path]) -> None:
    folders, n_documents = _corpus(tmp_path, seeds)
    _run_three(db_url, folders)
    with connect(db_url) as store:
        docs = store.documents()
        assert len(docs) == n_documents
        assert len({(d.source, d.record) for d in docs}) == n_documents  # each file (or row) once
        assert store.check() == []


def test_store_concurrency_a_lost_insert_race_is_retried(db_url: str) -> None:
    """A writer that bypasses the lock commits the same document first; the loser's unique
    violation is retried and finds the document stored ('unchanged'), instead of failing."""
    if "://" not in db_url:
        pytest.skip("SQLite writers take the write lock before reading: no insert race can be lost")
    import sqlalchemy as sa

    from materia.types import Document, Extraction

    doc = Document(source="/race.txt", sha256="1", text="Zinc.", kind="article", format="text")
    with connect(db_url) as store:
        real_write = store._write
        raced: list[bool] = []

        def write_after_a_rival(s, row, x, now):  # type: ignore[no-untyped-def]
            if not raced:
                raced.append(True)
                rival = sa.create_engine(db_url)
                with rival.begin() as conn:  # committed before our insert: ours violates the unique key
                    conn.execute(sa.text(
                        "INSERT INTO documents (source, record, text_offset, sha256, kind, format, text, "
                        "has_references, n_items, ingested_at) VALUES ('/race.txt', '', 0, '1', 'article', "
                        "'text', 'Zinc.', false, 0, now())"))
                rival.dispose()
            real_write(s, row, x, now)

        store._write = write_after_a_rival  # type: ignore[method-assign]
        assert store.put_all("/race.txt", "1", [Extraction(document=doc)]) == "unchanged"
        assert raced and [d.source for d in store.documents()] == ["/race.txt"]
