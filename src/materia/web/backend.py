"""The read-only view of the knowledge base the web layer uses.

A Protocol so tests and benchmarks can hand in any object with these five reads; the
default adapter calls materia.knowledge on a store opened once at start-up.
"""
from __future__ import annotations

import threading
from typing import Any, Protocol

from materia.settings import Settings


class KnowledgeBase(Protocol):
    def list_substances(self) -> Any: ...
    def monograph(self, name: str) -> Any: ...
    def conflicts(self, name: str) -> Any: ...
    def search(self, query: str, limit: int, offset: int) -> Any: ...
    def get_document(self, doc_id: int) -> Any: ...
    def evidence_spans(self, doc_id: int) -> list[tuple[int, int]]: ...
    def reports(self, name: str) -> list[dict[str, Any]]: ...


class StoreKnowledgeBase:
    """Adapter over materia.store + materia.knowledge; the store is opened on first use."""

    def __init__(self, settings: Settings, store: Any | None = None) -> None:
        self._settings = settings
        self._store = store
        self._lock = threading.Lock()

    @property
    def store(self) -> Any:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from materia.store import connect

                    self._store = connect(self._settings.db)
        return self._store

    def list_substances(self) -> Any:
        from materia import knowledge

        return knowledge.list_substances(self.store)

    def monograph(self, name: str) -> Any:
        from materia import knowledge

        return knowledge.monograph(self.store, name)

    def conflicts(self, name: str) -> Any:
        from materia import knowledge

        return knowledge.conflicts(self.store, name)

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
