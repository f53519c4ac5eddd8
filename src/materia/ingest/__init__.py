"""file -> Documents (one, or one per record of a many-record file).

A small registry of readers. Each reader says which content it recognises (`sniff`,
tried first, in registration order) and which file suffixes it claims (tried second);
the plain-text reader takes whatever text is left. The user never names the format.

    label      SPL XML (HL7 v3) and openFDA label JSON   kind "label" (one Document per openFDA result)
    ddi-xml    DDI 2013 corpus XML (DrugBank, MedLine)    kind "monograph" (interactions) / "abstract"
    tac-label  TAC 2017 ADR label XML                    kind "label"
    pubtator   PubTator title/abstract/annotation lines  kind "abstract", one Document per PMID
    html       trafilatura main text + metadata          article / monograph / community
    reviews    TSV / CSV / JSON Lines review tables      kind "review", one Document (and Post) per row
    community  "Posted by NAME (PLACE) on DATE" pages    kind "community"
    markdown   Markdown, YAML front matter               monograph / article
    text       anything else that decodes as text        article / monograph

Section types come from headings.yaml (cues.py); plain-text structure from structure.py.
"""
from __future__ import annotations

from materia.ingest.registry import (
    READERS,
    RawFile,
    from_bytes,
    load,
    read_bytes,
    read_documents,
    read_path,
    read_raw,
    reader,
)

# Importing the reader modules registers them (order = sniffing priority, so never sorted).
# isort: off
from materia.ingest import ddi  # noqa: F401  (before label: both are <document> XML)
from materia.ingest import label  # noqa: F401
from materia.ingest import tac  # noqa: F401
from materia.ingest import pubtator  # noqa: F401
from materia.ingest import html  # noqa: F401
from materia.ingest import reviews  # noqa: F401
from materia.ingest import community  # noqa: F401
from materia.ingest import markdown  # noqa: F401
from materia.ingest import plaintext  # noqa: F401  (last: the fallback)
# isort: on

__all__ = ["READERS", "RawFile", "from_bytes", "load", "read_bytes", "read_documents", "read_path", "read_raw",
           "reader"]
