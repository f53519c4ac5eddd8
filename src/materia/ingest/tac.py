"""TAC 2017 ADR drug labels (<Label drug=...><Text><Section name=... id=...>).

`Document.text` lays the sections out as heading line, blank line, section text (kept
verbatim, so the corpus's mention offsets still apply: add the section's body start,
recorded in `Document.metadata["section:<id>"]`). Parsed with the same safe XML parser.
"""
from __future__ import annotations

import re

from materia.errors import ReadError
from materia.ingest.cues import cues
from materia.ingest.registry import RawFile, reader
from materia.ingest.safe_xml import parse_xml
from materia.types import Document, Section, SectionType, Span

_SNIFF = re.compile(r"<Label\s+drug=")


def sniff(raw: RawFile) -> bool:
    return _SNIFF.search(raw.text[:2048]) is not None


@reader("tac-label", sniff=sniff)
def read_tac(raw: RawFile) -> Document:
    root = parse_xml(raw)
    if root.tag != "Label":
        raise ReadError(raw.source, "XML but not a TAC label; unknown format")
    c = cues()
    chunks: list[str] = []
    sections: list[Section] = []
    metadata: dict[str, str] = {}
    pos = 0
    for el in root.iterfind("Text/Section"):
        name = (el.get("name") or "").strip()
        body = el.text or ""
        if chunks:
            chunks.append("\n\n")
            pos += 2
        heading = name.capitalize() if name else ""
        chunk = heading + "\n\n" + body if heading else body
        body_start = pos + (len(heading) + 2 if heading else 0)
        kind: SectionType = c.heading_type(name) or "other"
        sections.append(Section(title=heading, type=kind, span=Span(pos, pos + len(chunk)),
                                body=Span(body_start, pos + len(chunk))))
        metadata[f"section:{el.get('id') or len(sections)}"] = str(body_start)
        chunks.append(chunk)
        pos += len(chunk)
    drug = root.get("drug")
    return Document(source=raw.source, sha256=raw.sha256, text="".join(chunks), kind="label", format="tac-xml",
                    title=drug.upper() if drug else None, sections=tuple(sections), metadata=metadata,
                    encoding=raw.encoding, notes=raw.notes)
