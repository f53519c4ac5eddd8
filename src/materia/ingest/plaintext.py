"""Plain-text articles: the fallback reader."""
from __future__ import annotations

from materia.ingest.registry import RawFile, reader
from materia.types import Document


@reader("text", suffixes=(".txt", ".text"), fallback=True)
def read_text(raw: RawFile) -> Document:
    first_line = next((line.strip() for line in raw.text.splitlines() if line.strip()), None)
    return Document(source=raw.source, sha256=raw.sha256, text=raw.text, kind="article", format="text",
                    title=first_line, encoding=raw.encoding, notes=raw.notes)
