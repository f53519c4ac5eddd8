"""Hand-built stored items for the pure knowledge functions."""
from __future__ import annotations

from itertools import count

from materia.store import DocumentInfo, StoredItem
from materia.types import Span

_ids = count(1)


def make_doc(n: int, kind: str = "article", refs: bool = False) -> DocumentInfo:
    return DocumentInfo(n, f"docs/{n}.txt", kind, f"Doc {n}", None, "glutamine", refs)


def make_item(doc: DocumentInfo, category: str, name: str, stance: str | None = None,
              evidence: str | None = None, span: tuple[int, int] = (0, 10), **payload) -> StoredItem:
    return StoredItem(next(_ids), doc, category, "glutamine", name, stance, evidence, f"text of {name}",
                      Span(*span), dict(payload))


