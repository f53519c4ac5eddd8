"""Where a source is, as the site and API say it: the source's title (else its file name) beside its
document id, never the path the server read it from. A URL is public and kept. (The CLI, run by
whoever owns the files, keeps paths.)

The knowledge base's values carry `source` fields in many places (citations, dose ranges, conflict
positions, locations, documents); `without_paths` rewrites all of them in one walk, so a new field
holding a source cannot be forgotten.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypeVar

from materia.knowledge.model import Conflict, Monograph, StoredDocument
from materia.serialise import field_names
from materia.web.views import public_name

T = TypeVar("T")


def without_paths(value: T, names: Mapping[int, str]) -> T:
    """`value` with every `source` field naming its document (by `document_id`, or `id` for a document)
    as `names` does, or by public_name when `names` does not know the document."""
    return _walk(value, names)  # type: ignore[no-any-return]


_LEAVES = (str, int, float, bool, type(None))


def _walk(value: Any, names: Mapping[int, str]) -> Any:
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is tuple:
        walked = tuple(_walk(v, names) for v in value)
        return value if all(a is b for a, b in zip(walked, value, strict=True)) else walked
    own = field_names(kind)
    if own is None:
        return value
    changes: dict[str, Any] = {}
    for name in own:
        old = getattr(value, name)
        if name == "source" and isinstance(old, str):
            doc = getattr(value, "document_id", None) or getattr(value, "id", None)
            new: Any = names.get(doc) if isinstance(doc, int) and doc in names else public_name(old)
        else:
            new = _walk(old, names)
        if new is not old:
            changes[name] = new
    return replace(value, **changes) if changes else value


def source_names(m: Monograph) -> dict[int, str]:
    """document id -> public name, for every document a monograph's sources are stored as."""
    out = {}
    for s in m.sources:
        name = public_name(s.source, s.title)
        out[s.document_id] = name
        for loc in s.locations:
            out.setdefault(loc.document_id, public_name(loc.source, s.title))
    return out


def public_monograph(m: Monograph) -> Monograph:
    return without_paths(m, source_names(m))


def public_conflicts(conflicts: tuple[Conflict, ...], m: Monograph) -> tuple[Conflict, ...]:
    return without_paths(conflicts, source_names(m))


def public_document(doc: StoredDocument) -> StoredDocument:
    return without_paths(doc, {doc.id: public_name(doc.source, doc.title)})
