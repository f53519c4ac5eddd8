"""PubTator files (BioCreative CDR and the like): one Document per PMID, kind "abstract".

A record is a `PMID|t|title` line, a `PMID|a|abstract` line, then tab-separated lines:
entity annotations `PMID<TAB>start<TAB>end<TAB>mention<TAB>type<TAB>concept id` and
relations `PMID<TAB>CID<TAB>chemical<TAB>disease`; records are separated by blank lines.

A record's `text` is its title and abstract lines as they stand in the file (`offset` is
where the title line starts), with the `PMID|t|` and `PMID|a|` prefixes blanked to spaces
of the same length: extractors see only the prose, and every span still indexes the file
(`file_text[offset + start:offset + end]`). Annotation lines are not part of the text; the
chemicals they mark are stated in `metadata["chemicals"]` (most mentioned first) and the most
mentioned one, the abstract's main chemical, in `metadata["subject"]`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from materia.errors import ReadError
from materia.ingest.registry import RawFile, reader
from materia.types import Document, Section, Span

_TEXT_LINE = re.compile(r"^(\d+)\|([ta])\|([^\n]*)$", re.M)
_ANNOTATION = re.compile(r"^(\d+)\t(\d+)\t(\d+)\t([^\t\n]*)\t([^\t\n]*)(?:\t([^\t\n]*))?", re.M)
_FIRST = re.compile(r"\A\s*\d+\|t\|")


@dataclass
class _Record:
    pmid: str
    title: Span | None = None  # the title's own characters, in the file
    abstract: Span | None = None
    start: int = 0  # the first text line's start
    end: int = 0  # the last text line's end
    chemicals: Counter[str] = field(default_factory=Counter)  # concept id -> mentions
    names: dict[str, str] = field(default_factory=dict)  # concept id -> first surface form


def sniff(raw: RawFile) -> bool:
    return _FIRST.match(raw.text[:1024]) is not None


def _records(text: str) -> list[_Record]:
    records: dict[str, _Record] = {}
    for m in _TEXT_LINE.finditer(text):
        pmid, part = m.group(1), m.group(2)
        record = records.get(pmid)
        if record is None:
            record = records[pmid] = _Record(pmid, start=m.start())
        body = Span(m.start(3), m.end(3))
        if part == "t" and record.title is None:
            record.title = body
        elif part == "a" and record.abstract is None:
            record.abstract = body
        record.end = max(record.end, m.end())
    for m in _ANNOTATION.finditer(text):
        record = records.get(m.group(1))
        if record is None or m.group(5).lower() != "chemical":
            continue
        concept = (m.group(6) or m.group(4)).split("|")[0].strip() or m.group(4).lower()
        record.chemicals[concept] += 1
        record.names.setdefault(concept, m.group(4).strip())
    return list(records.values())


def _document(raw: RawFile, record: _Record) -> Document:
    chars = list(raw.text[record.start:record.end])
    for m in _TEXT_LINE.finditer(raw.text, record.start, record.end):
        for i in range(m.start(), m.start(3)):  # the "PMID|t|" prefix: not prose
            chars[i - record.start] = " "
    text = "".join(chars)

    def local(span: Span) -> Span:
        return Span(span.start - record.start, span.end - record.start)

    sections = []
    title = raw.text[record.title.start:record.title.end].strip() if record.title else None
    if record.abstract is not None and record.abstract.end > record.abstract.start:
        abstract = local(record.abstract)
        sections.append(Section(title="Abstract", type="other", span=abstract, body=abstract))
    ranked = [record.names[c] for c, _ in sorted(record.chemicals.items(), key=lambda kv: -kv[1])]
    metadata = {"pmid": record.pmid}
    if ranked:
        metadata |= {"subject": ranked[0], "chemicals": "; ".join(dict.fromkeys(ranked))}
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind="abstract", format="pubtator",
                    title=title or None, sections=tuple(sections), metadata=metadata, encoding=raw.encoding,
                    notes=raw.notes, record=f"PMID {record.pmid}", offset=record.start)


@reader("pubtator", sniff=sniff, suffixes=(".pubtator",))
def read_pubtator(raw: RawFile) -> list[Document]:
    records = [r for r in _records(raw.text) if r.title is not None or r.abstract is not None]
    if not records:
        raise ReadError(raw.source, "no PMID|t| or PMID|a| lines found in the PubTator file")
    return [_document(raw, r) for r in records]
