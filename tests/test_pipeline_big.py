"""A big file through the pipeline: extracted a block at a time and stored part by part."""
from __future__ import annotations

from pathlib import Path

import pytest

from materia import pipeline
from materia.extract import blocks
from materia.pipeline import ingest
from materia.settings import Settings
from materia.store import connect

SEEDS = Path(__file__).resolve().parents[1] / "src" / "materia" / "examples" / "seeds"

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")


def test_pipeline_big_file_is_stored_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "BLOCK_THRESHOLD", 6000)
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 3000)
    monkeypatch.setattr(pipeline, "BIG_FILE_BYTES", 6000)
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    calls: list[str] = []
    put_parts = pipeline.Store.put_parts

    def spy(self: pipeline.Store, source: str, sha256: str, parts):  # type: ignore[no-untyped-def]
        calls.append(source)
        return put_parts(self, source, sha256, parts)

    monkeypatch.setattr(pipeline.Store, "put_parts", spy)
    db = str(tmp_path / "kb.sqlite")
    with connect(db) as store:
        report = ingest(store, [str(path)], Settings.from_env(db=db), workers=1)
        assert report.added == (str(path),) and report.ok
        assert calls == [str(path.resolve())]
        assert store.check() == []
        [doc] = store.documents()
        assert doc.n_items > 20
        _, _, stored_text, items = store.document(doc.id)
        assert stored_text == text
        assert all(i.span.end <= len(text) for i in items)
        assert ingest(store, [str(path)], Settings.from_env(db=db), workers=1).unchanged == (str(path),)
