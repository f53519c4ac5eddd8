"""The web backend memoises substance reads per data version and sees ingests by other writers."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from materia.pipeline import ingest
from materia.settings import Settings
from materia.web.backend import LruCache, StoreKnowledgeBase
from materia.web.plain import to_plain

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


def _sources(mono: Any) -> int:
    return len(to_plain(mono).get("sources") or [])


def test_backend_cache_reuses_monograph(kb_db: Settings) -> None:
    clock = FakeClock()
    kb = StoreKnowledgeBase(kb_db, version_ttl=1.0, clock=clock)
    first = kb.monograph("glutamine")
    clock.now += 5.0  # the version is re-read, but nothing changed
    assert kb.monograph("glutamine") is first
    assert kb.reports("glutamine") is kb.reports("glutamine")
    assert kb.conflicts("glutamine") is kb.conflicts("glutamine")
    assert kb.list_substances() is kb.list_substances()
    assert kb.cache.misses == 4


def test_backend_cache_sees_ingest_by_another_writer(kb_db: Settings, tmp_path: Path) -> None:
    from materia.store import connect

    clock = FakeClock()
    kb = StoreKnowledgeBase(kb_db, version_ttl=1.0, clock=clock)
    before = kb.monograph("glutamine")
    names_before = to_plain(kb.list_substances())

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
    counts = {s["name"]: s["n_sources"] for s in to_plain(kb.list_substances())}
    assert counts["glutamine"] == {s["name"]: s["n_sources"] for s in names_before}["glutamine"] + 1


def test_backend_cache_bounded_and_errors_not_cached() -> None:
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


def test_backend_cache_thread_safe() -> None:
    cache = LruCache(maxsize=8)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(500):
                key = (i + j) % 16
                assert cache.get_or_compute(key, lambda k=key: k * 2) == key * 2
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(cache) <= 8
