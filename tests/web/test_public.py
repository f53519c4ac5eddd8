"""Sources are named by title (else file name) and document id, never by the server's path; URLs stay."""
from __future__ import annotations

from dataclasses import replace

from materia.knowledge import Monograph, StoredDocument
from materia.serialise import dumps
from materia.web.public import public_conflicts, public_document, public_monograph, public_name


def test_public_name_is_title_file_name_or_url() -> None:
    assert public_name("/srv/data/glutamine.txt", "Glutamine review") == "Glutamine review"
    assert public_name("/srv/data/glutamine.txt", "  12 ") == "glutamine.txt"  # a title without words
    assert public_name("https://example.org/a/b", None) == "https://example.org/a/b"


def test_public_monograph_has_no_path_anywhere(monograph: Monograph) -> None:
    m = public_monograph(monograph)
    body = dumps(m)
    assert "docs/" not in body
    assert [s.source for s in m.sources] == ["Glutamine review", "Glutamine review", "forum.html"]
    assert [s.document_id for s in m.sources] == [s.document_id for s in monograph.sources]
    cited = {(c.document_id, c.source) for s in m.sections for cl in s.claims for c in cl.citations}
    assert cited == {(1, "Glutamine review"), (2, "Glutamine review"), (3, "forum.html")}
    assert all(r.source == "Glutamine review" for d in m.doses for r in d.ranges)
    assert "docs/" not in dumps(public_conflicts(monograph.conflicts, monograph))
    assert public_monograph(m) == m  # nothing left to rewrite


def test_public_monograph_keeps_urls(monograph: Monograph) -> None:
    online = replace(monograph.sources[2], source="https://forum.example/t/1")
    m = public_monograph(replace(monograph, sources=(*monograph.sources[:2], online)))
    assert m.sources[2].source == "https://forum.example/t/1"


def test_public_document_named_by_title() -> None:
    doc = StoredDocument(4, "/home/me/labels/x.xml", "Quuxol tablets", "label", None, "text", ())
    assert public_document(doc).source == "Quuxol tablets" and public_document(doc).id == 4
