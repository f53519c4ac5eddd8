"""The read-only view of the knowledge base the web layer uses.

A Protocol so tests and benchmarks can hand in any object with these reads; the default
adapter calls materia.knowledge on a store opened once at start-up and memoises the
expensive per-substance reads (a monograph costs ~100 ms) keyed by the database's data
version, so another process ingesting meanwhile is seen within `version_ttl` seconds.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable, Protocol

from sqlalchemy import text

from materia.settings import Settings

# One cheap statement: any insert, update (ingested_at is reset) or delete of a document moves it.
_VERSION_SQL = text("SELECT (SELECT count(*) FROM documents), (SELECT max(id) FROM documents), "
                    "(SELECT max(ingested_at) FROM documents), (SELECT max(id) FROM history)")


class LruCache:
    """A bounded, thread-safe least-recently-used map; values are computed outside the lock."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value for `key`, else `compute()` stored; exceptions are not cached."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class KnowledgeBase(Protocol):
    def list_substances(self) -> Any: ...
    def monograph(self, name: str) -> Any: ...
    def conflicts(self, name: str) -> Any: ...
    def search(self, query: str, limit: int, offset: int) -> Any: ...
    def get_document(self, doc_id: int) -> Any: ...
    def evidence_spans(self, doc_id: int) -> list[tuple[int, int]]: ...
    def reports(self, name: str) -> list[dict[str, Any]]: ...


class StoreKnowledgeBase:
    """Adapter over materia.store + materia.knowledge; the store is opened on first use.

    Reads of substances are cached per (method, name, data version); the version is
    re-read from the database at most once per `version_ttl` seconds (`clock` is injectable
    so tests need not sleep).
    """

    def __init__(self, settings: Settings, store: Any | None = None, *, cache_size: int = 256,
                 version_ttl: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._store = store
        self._lock = threading.Lock()
        self.cache = LruCache(cache_size)
        self._version_ttl = version_ttl
        self._clock = clock
        self._version: tuple[Any, ...] | None = None
        self._version_at = float("-inf")
        self._version_lock = threading.Lock()

    @property
    def store(self) -> Any:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from materia.store import connect

                    self._store = connect(self._settings.db)
        return self._store

    def data_version(self) -> tuple[Any, ...]:
        """A value that changes whenever documents are ingested, updated or removed; re-read at most every ttl."""
        now = self._clock()
        with self._version_lock:
            if self._version is None or now - self._version_at >= self._version_ttl:
                with self.store.engine.connect() as conn:
                    row = conn.execute(_VERSION_SQL).one()
                self._version = tuple(str(v) if v is not None else None for v in row)
                self._version_at = now
            return self._version

    def cached(self, kind: str, name: str, compute: Callable[[], Any]) -> Any:
        """`compute()` memoised under (kind, name, data version); views may cache derived values here too."""
        return self.cache.get_or_compute((kind, name, self.data_version()), compute)

    def list_substances(self) -> Any:
        from materia import knowledge

        return self.cached("list_substances", "", lambda: knowledge.list_substances(self.store))

    def monograph(self, name: str) -> Any:
        from materia import knowledge

        return self.cached("monograph", name, lambda: knowledge.monograph(self.store, name))

    def conflicts(self, name: str) -> Any:
        from materia import knowledge

        return self.cached("conflicts", name, lambda: knowledge.conflicts(self.store, name))

    def search(self, query: str, limit: int, offset: int) -> Any:
        from materia import knowledge

        return knowledge.search(self.store, query, limit=limit, offset=offset)

    def get_document(self, doc_id: int) -> Any:
        from materia import knowledge

        return knowledge.get_document(self.store, doc_id)

    def evidence_spans(self, doc_id: int) -> list[tuple[int, int]]:
        """The sentence each item of a document was cited by, so citation anchors exist."""
        _info, _fmt, _text, items = self.store.document(doc_id)
        out = []
        for item in items:
            sentence = item.payload.get("sentence") if isinstance(item.payload, dict) else None
            if isinstance(sentence, list) and len(sentence) == 2:
                out.append((int(sentence[0]), int(sentence[1])))
        return out

    def reports(self, name: str) -> list[dict[str, Any]]:
        """Community reports about a substance, each with the side effects found inside it."""
        return self.cached("reports", name, lambda: self._reports(name))  # type: ignore[no-any-return]

    def _reports(self, name: str) -> list[dict[str, Any]]:
        from materia import knowledge

        resolved = knowledge.resolve(self.store, name)
        posts = self.store.items(resolved, ["post"])
        effects = self.store.items(resolved, ["effect"])
        out = []
        for post in posts:
            payload = dict(post.payload or {})
            inside = sorted({e.name for e in effects if e.document.id == post.document.id
                             and post.span.start <= e.span.start < post.span.end
                             and e.stance not in ("negated", "hypothetical")})
            out.append({**payload, "document_id": post.document.id, "span": [post.span.start, post.span.end],
                        "text": post.text, "effects": inside})
        return out
