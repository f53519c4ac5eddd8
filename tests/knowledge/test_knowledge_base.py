"""KnowledgeBase: typed reads, memoised per data version, that see ingests by other writers."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from materia.errors import NotFoundError
from materia.knowledge import KnowledgeBase, LruCache, Monograph, StoredDocument, SubstanceSummary
from materia.pipeline import ingest
from materia.settings import Settings

EXTRA = (
    "L-Glutamine notes\n\n"
    "L-glutamine may cause headache and dizziness in some people. "
    "Take 10 g a day with water.\n"
)


class FakeClock:
    """A monotonic clock the test moves by hand, so no test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kb_db(tmp_path: Path, seeds: dict[str, Path]) -> Settings:
    from materia.store import connect

    settings = Settings.from_env(environ={}, db=str(tmp_path / "kb.sqlite"))
    store = connect(settings.db)
    try:
        ingest(store, [str(p) for p in seeds.values()], settings)
    finally:
        store.close()
    return settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def kb(kb_db: Settings, clock: FakeClock) -> Iterator[KnowledgeBase]:
    with KnowledgeBase.open(kb_db.db, version_ttl=1.0, clock=clock) as kb:
        yield kb


def test_base_reads_are_typed(kb: KnowledgeBase) -> None:
    [summary] = kb.substances()
    assert isinstance(summary, SubstanceSummary) and summary.name == "glutamine" and summary.n_sources == 3
    m = kb.monograph("L-Glutamine")  # synonyms resolve
    assert isinstance(m, Monograph) and m.substance == "glutamine"
    assert [s.key for s in m.sections] == ["usage", "dosage", "side_effects", "mechanism", "precautions", "faq"]
    assert m.conflicts == kb.conflicts("glutamine")  # the monograph carries the same conflicts
    doc = kb.document(m.sources[0].document_id)
    assert isinstance(doc, StoredDocument) and doc.items and doc.sentences
    assert all(0 <= s < e <= len(doc.text) for s, e in doc.sentences)
    assert doc.items[0].category and doc.items[0].span == tuple(doc.items[0].span)
    hits = kb.search("glutamine", limit=100).hits
    assert hits[0].kind == "substance" and {"statement", "document"} <= {h.kind for h in hits}
    assert kb.search("glutamine", limit=3, offset=1).hits == hits[1:4]
    with pytest.raises(NotFoundError):
        kb.monograph("unobtainium")
    with pytest.raises(NotFoundError):
        kb.document(123456)


def test_base_community_reports_index_their_document(kb: KnowledgeBase) -> None:
    community = kb.monograph("glutamine").community
    assert community.n_posts == len(community.reports) >= 1
    for report in community.reports:
        doc = kb.document(report.document_id)
        assert ("post", report.span) in {(i.category, i.span) for i in doc.items}
        assert report.text and report.text in doc.text


def _sources(mono: Monograph) -> int:
    return len(mono.sources)


def test_base_cache_reuses_monograph(kb: KnowledgeBase, clock: FakeClock) -> None:
    first = kb.monograph("glutamine")
    clock.now += 5.0  # the version is re-read, but nothing changed
    assert kb.monograph("glutamine") is first
    assert kb.conflicts("glutamine") is kb.conflicts("glutamine")
    assert kb.substances() is kb.substances()
    assert kb.cache.misses == 4  # the monograph, the stored names (resolving), the conflicts, the substances
    page = kb.cached("page", "glutamine", lambda: b"<html>")
    assert kb.cached("page", "glutamine", lambda: b"other") is page


def test_base_cache_sees_ingest_by_another_writer(kb: KnowledgeBase, kb_db: Settings, clock: FakeClock,
                                                  tmp_path: Path) -> None:
    from materia.store import connect

    before = kb.monograph("glutamine")
    names_before = kb.substances()

    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    writer = connect(kb_db.db)  # a separate engine, as another process would have
    try:
        report = ingest(writer, [str(extra)], kb_db)
    finally:
        writer.close()
    assert report.added

    clock.now += 0.5  # within the check interval: the cached value is still served
    assert kb.monograph("glutamine") is before
    clock.now += 1.0  # past it: the new document is seen
    after = kb.monograph("glutamine")
    assert after is not before
    assert _sources(after) == _sources(before) + 1
    counts = {s.name: s.n_sources for s in kb.substances()}
    assert counts["glutamine"] == {s.name: s.n_sources for s in names_before}["glutamine"] + 1


def test_base_cache_bounded_and_errors_not_cached() -> None:
    cache = LruCache(maxsize=2)
    for key in "abc":
        cache.get_or_compute(key, lambda k=key: k.upper())
    assert len(cache) == 2
    assert cache.get_or_compute("a", lambda: "recomputed") == "recomputed"

    calls = []

    def boom() -> str:
        calls.append(1)
        raise KeyError("x")

    for _ in range(2):
        with pytest.raises(KeyError):
            cache.get_or_compute("bad", boom)
    assert len(calls) == 2


def test_base_cache_thread_safe() -> None:
    cache = LruCache(maxsize=8)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(500):
                key = (i + j) % 16
                assert cache.get_or_compute(key, lambda k=key: k * 2) == key * 2
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(cache) <= 8
