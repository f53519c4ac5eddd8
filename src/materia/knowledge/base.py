"""KnowledgeBase: every read of the knowledge base, as typed values.

The web site, the JSON API, the CLI and the exports all read through one KnowledgeBase built
over a `Store`. Reads about a substance cost up to seconds on a large one, so they are memoised
per (what, name, data version) in a bounded LRU cache; the data version is re-read from the
store at most once per `version_ttl` seconds, so another process's ingest is seen within that time.
"""
from __future__ import annotations

import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar, cast

from materia.errors import NotFoundError
from materia.extract.names import headline_name, resolve_name
from materia.knowledge import conflicts as conflict_rules
from materia.knowledge import monograph as monograph_rules
from materia.knowledge.conflicts import sentence_span
from materia.knowledge.model import Conflict, DocumentItem, Monograph, SearchHit, StoredDocument, SubstanceSummary
from materia.store import HistoryEntry, Store, connect

T = TypeVar("T")


def normalise_substance(name: str) -> str:
    """Lower case, one space, without the L-/D- stereo prefix: "L-Glutamine" -> "glutamine"."""
    n = re.sub(r"\s+", " ", name.strip().lower().replace("’", "'"))
    return re.sub(r"^(?:l|d|dl)[- ](?=\w{3})", "", n)


class LruCache:
    """A bounded, thread-safe least-recently-used map; values are computed outside the lock."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for `key`, else `compute()` stored; exceptions are not cached."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return cast(T, self._data[key])
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


class KnowledgeBase:
    """Substances, monographs, conflicts, search and documents of one store.

    Safe to share between threads (the store opens a session per read). `clock` is
    injectable so tests need not sleep.
    """

    def __init__(self, store: Store, *, cache_size: int = 256, version_ttl: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.cache = LruCache(cache_size)
        self._version_ttl = version_ttl
        self._clock = clock
        self._version: tuple[str | None, ...] | None = None
        self._version_at = float("-inf")
        self._version_lock = threading.Lock()

    @classmethod
    def open(cls, url_or_path: str, **options: Any) -> KnowledgeBase:
        """The knowledge base at an SQLite path or SQLAlchemy URL (migrated to the latest schema)."""
        return cls(connect(url_or_path), **options)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- caching ---------------------------------------------------------------------------

    def data_version(self) -> tuple[str | None, ...]:
        """The store's data version, re-read at most once per `version_ttl` seconds."""
        now = self._clock()
        with self._version_lock:
            if self._version is None or now - self._version_at >= self._version_ttl:
                self._version = self.store.data_version()
                self._version_at = now
            return self._version

    def cached(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` memoised under (kind, key, data version); callers may cache derived values
        (a rendered page) here too, so they go stale exactly when the data does."""
        return self.cache.get_or_compute((kind, key, self.data_version()), compute)

    # --- reads -----------------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """The stored substance `name` refers to; NotFoundError if none. The one place a user's name for a
        substance is resolved (`show`, `conflicts`, `export`, the web site and API).

        In order: a stored name ("L-Glutamine" -> glutamine); what the vocabularies call it, brands and
        synonyms included ("Lipitor" -> atorvastatin, the same resolver extraction uses); the substance of
        stored documents titled with that name (a label's product name, for brands no vocabulary knows)."""
        found = self._resolve_among(name, self.store.substance_names())
        if found is not None:
            return found
        wanted_names = {normalise_substance(name), *map(normalise_substance, resolve_name(name).names)}

        def titled_so(title: str) -> bool:  # "Quuxol (quuxamide) tablets" is titled Quuxol
            head = headline_name(title)
            return bool(wanted_names & {normalise_substance(head), *map(normalise_substance, resolve_name(head).names)})

        titled = Counter(substance for title, substance in self.store.titled_substances() if titled_so(title))
        if titled:
            return titled.most_common(1)[0][0]
        raise NotFoundError(f"no substance {name!r} in the knowledge base")

    @staticmethod
    def _resolve_among(name: str, substances: Iterable[str]) -> str | None:
        """The one of `substances` that `name` is, by its own name or a name the vocabularies give it."""
        stored = {normalise_substance(s): s for s in substances}
        if normalise_substance(name) in stored:
            return stored[normalise_substance(name)]
        for candidate in resolve_name(name).names:
            if normalise_substance(candidate) in stored:
                return stored[normalise_substance(candidate)]
        return None

    def substances(self) -> tuple[SubstanceSummary, ...]:
        """Every substance with its counts of sources, statements and reports, by name."""
        return self.cached("substances", "", lambda: tuple(self.store.substances()))

    def monograph(self, name: str) -> Monograph:
        """Everything the sources say about one substance, each statement with its evidence."""
        def build() -> Monograph:
            substance = self.resolve(name)
            return monograph_rules.build(substance, self.store.documents(substance), self.store.items(substance))
        return self.cached("monograph", name, build)

    def conflicts(self, name: str) -> tuple[Conflict, ...]:
        """Topics on which the sources about one substance disagree, with every position."""
        def find() -> tuple[Conflict, ...]:
            return tuple(conflict_rules.find(self.store.items(self.resolve(name), ("statement", "use"))))
        return self.cached("conflicts", name, find)

    def history(self, name: str) -> tuple[HistoryEntry, ...]:
        """Every change to the items of the documents about one substance, oldest first. The name
        resolves as for `monograph`; a substance whose documents are all removed is found in the history."""
        def read() -> tuple[HistoryEntry, ...]:
            try:
                substance = self.resolve(name)
            except NotFoundError:
                substance = self._resolve_among(name, self.store.history_substances()) or ""
                if not substance:
                    raise
            return tuple(self.store.history([substance]))
        return self.cached("history", name, read)

    def search(self, query: str, limit: int = 20, offset: int = 0) -> tuple[SearchHit, ...]:
        """Substances by name, then statements and documents by full-text match (not cached: queries vary)."""
        return tuple(self.store.search(query, limit=max(0, limit), offset=max(0, offset)))

    def document(self, doc_id: int) -> StoredDocument:
        """One source document with every item extracted from it; NotFoundError if there is none."""
        info, fmt, text, items = self.store.document(doc_id)
        sentences = dict.fromkeys(s for s in map(sentence_span, items) if s is not None)
        return StoredDocument(info.id, info.source, info.title, info.kind, info.modified, text,
                              tuple(DocumentItem(i.category, i.name, (i.span.start, i.span.end)) for i in items),
                              info.substance, fmt, tuple(sentences), info.record, info.offset)
