"""DDI corpus XML (DDIExtraction 2013): `<document id="DDI-…">` of `<sentence id text>` elements.

Two sources share the format. DrugBank files hold the interactions part of one drug's DrugBank
entry (the drug is the file's name, "Folic Acid_ddi.xml"), read as a monograph whose one section is
of type "interactions"; MedLine files hold an abstract whose first sentence is its title.

`Document.text` is the sentences' own text, in order, a blank line between two (the corpus's sentence
boundaries kept), so the corpus's character offsets still apply: add the sentence's start, recorded
in `Document.metadata["sentence:<id>"]`. The most marked entity
(drug, brand, group or drug_n) is `metadata["subject"]` of an abstract; a DrugBank text's
subject is its drug. Parsed by safe_xml.py (no DTD, no entities).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from lxml import etree

from materia.errors import ReadError
from materia.ingest.registry import RawFile, reader
from materia.ingest.safe_xml import parse_xml
from materia.types import Document, MarkedName, Partner, Section, Span

_SNIFF = re.compile(r"<document\s+id=\"DDI-")
_DRUGBANK_FILE = re.compile(r"_ddi$", re.I)
# a charOffset's first piece: "12-20" (end inclusive); "12-15;30-38" is a discontinuous entity
_OFFSET = re.compile(r"^(\d+)-(\d+)")
_CLASS_TYPES = frozenset({"group"})  # the corpus's entity types: drug, brand, group, drug_n
# between two of the corpus's sentences: a blank line, so that the sentence splitter keeps the corpus's
# boundaries (a heading sentence without a full stop, "Interactions", stays apart from the next)
SENTENCE_BREAK = "\n\n"


def _marked_names(sentence: etree._Element, start: int, length: int) -> list[MarkedName]:
    """The sentence's <entity> elements as spans into the document text (a discontinuous one by its first
    piece); offsets outside the sentence are skipped, never trusted."""
    out = []
    for entity in sentence.iterfind("entity"):
        match = _OFFSET.match(entity.get("charOffset", ""))
        if match is None:
            continue
        begin, end = int(match.group(1)), int(match.group(2)) + 1
        if 0 <= begin < end <= length:
            kind: Partner = "class" if entity.get("type") in _CLASS_TYPES else "substance"
            out.append(MarkedName(Span(start + begin, start + end), kind))
    return sorted(out, key=lambda m: (m.span.start, m.span.end))


def sniff(raw: RawFile) -> bool:
    return _SNIFF.search(raw.text[:1024]) is not None


@reader("ddi-xml", sniff=sniff)
def read_ddi(raw: RawFile) -> Document:
    root = parse_xml(raw)
    doc_id = root.get("id") or ""
    if root.tag != "document" or not doc_id.startswith("DDI-"):
        raise ReadError(raw.source, "XML but not a DDI corpus document; unknown format")
    chunks: list[str] = []
    starts: list[int] = []
    metadata: dict[str, str] = {"ddi_id": doc_id}
    marked: Counter[str] = Counter()
    names: list[MarkedName] = []
    pos = 0
    for sentence in root.iterfind("sentence"):
        text = sentence.get("text") or ""
        if chunks:
            chunks.append(SENTENCE_BREAK)
            pos += len(SENTENCE_BREAK)
        starts.append(pos)
        metadata[f"sentence:{sentence.get('id') or len(starts)}"] = str(pos)
        chunks.append(text)
        pos += len(text)
        marked.update(" ".join(e.get("text", "").split()).lower() for e in sentence.iterfind("entity"))
        names += _marked_names(sentence, starts[-1], len(text))
    body = "".join(chunks)
    if not body.strip():
        raise ReadError(raw.source, "DDI corpus document with no sentence text")
    whole = Span(0, len(body))
    if doc_id.startswith("DDI-DrugBank"):
        drug = _DRUGBANK_FILE.sub("", PurePath(raw.source).stem).replace("_", " ").strip()
        metadata |= {"subject": drug} if drug else {}
        return Document(source=raw.source, sha256=raw.sha256, text=body, kind="monograph", format="ddi-xml",
                        title=f"{drug}: drug interactions" if drug else doc_id,
                        sections=(Section(title="", type="interactions", span=whole, body=whole),),
                        metadata=metadata, encoding=raw.encoding, notes=raw.notes, marked=tuple(names))
    title_end = starts[1] if len(starts) > 1 else len(body)
    abstract = Span(title_end, len(body)) if title_end < len(body) else Span(0, 0)
    sections = (Section(title="Abstract", type="other", span=abstract, body=abstract),) if abstract.end else ()
    if marked:
        metadata |= {"subject": marked.most_common(1)[0][0]}
    return Document(source=raw.source, sha256=raw.sha256, text=body, kind="abstract", format="ddi-xml",
                    title=" ".join(body[:title_end].split()) or doc_id, sections=sections, metadata=metadata,
                    encoding=raw.encoding, notes=raw.notes, marked=tuple(names))
