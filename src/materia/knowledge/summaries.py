"""A substance's monograph as stored summary parts: computed once per change of its documents, read in
milliseconds (pure: monograph in, bytes out, and back).

    "monograph"           the whole monograph (the API's default answer, `show --json`, exports)
    "head"                the first page of every section (HEAD_CLAIMS claims, each with its first
                          HEAD_CITATIONS citations) and the first HEAD_REPORTS community reports; counts
                          (`n_claims`, `n_citations`, `community.n_posts`) say how many there are in all
    "section:KEY:N"       claims N*SECTION_CHUNK.. of a section (whole, every citation), for paging

Each part is JSON (materia.serialise) compressed with zlib. FORMAT hashes the code that computes the
monograph, so a summary made by another version of materia is stale, like one of older data.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from importlib import resources
from json.encoder import encode_basestring
from typing import Any, TypeVar

from materia.knowledge.model import Citation, Claim, Monograph, MonographSection
from materia.serialise import dumps, field_names, from_json

T = TypeVar("T")

HEAD_CLAIMS = 20
HEAD_CITATIONS = 8
HEAD_REPORTS = 20
SECTION_CHUNK = 50
MONOGRAPH, HEAD, ALIASES = "monograph", "head", "aliases"

# What a summary is computed by: the knowledge package (code and data) and the values it uses.
_CODE = ("knowledge", "serialise.py", "quantities.py", "types.py", "lexicons/units.py", "lexicons/units.yaml",
         "lexicons/conditions.yaml", "lexicons/dose_screen.yaml")


@functools.cache
def summary_format() -> str:
    """A hash of the code and data that compute summaries (16 hex digits)."""
    digest = hashlib.sha256()
    root = resources.files("materia")
    for name in _CODE:
        node = root.joinpath(name)
        paths = sorted((p for p in node.iterdir() if p.name.endswith((".py", ".yaml", ".tsv", ".json"))),
                       key=lambda p: p.name) if node.is_dir() else [node]
        for path in paths:
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def encode(value: Any) -> bytes:
    return _compress(dumps(value))


def _compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def decode_json(body: bytes) -> str:
    """The JSON text of a part, as stored."""
    return zlib.decompress(body).decode("utf-8")


def decode(cls: type[T], body: bytes) -> T:
    return from_json(cls, json.loads(decode_json(body)))


def chunk_part(key: str, n: int) -> str:
    return f"section:{key}:{n}"


def first_citations(claim: Claim, n: int = HEAD_CITATIONS) -> Claim:
    """The claim with its first `n` citations (its count of all kept)."""
    return claim if len(claim.citations) <= n else dataclasses.replace(claim, citations=claim.citations[:n])


def head(m: Monograph) -> Monograph:
    """The monograph's first page: each section's first claims with their first citations, the first reports."""
    sections = tuple(dataclasses.replace(s, claims=tuple(first_citations(c) for c in s.claims[:HEAD_CLAIMS]))
                     for s in m.sections)
    community = dataclasses.replace(m.community, reports=m.community.reports[:HEAD_REPORTS])
    return dataclasses.replace(m, sections=sections, community=community)


def parts(m: Monograph, aliases: Iterable[str] = ()) -> dict[str, bytes]:
    """Every summary part of a monograph (and the aliases its substance resolves from, for the record).

    Each claim is encoded once: the whole monograph, its head and the section chunks are joined from those texts
    (encoding them in each part was most of what the parts cost), the same text as encoding each part alone."""
    claims = [[_claim_json(c) for c in s.claims] for s in m.sections]
    sections = [_object(s, claims=_array(texts)) for s, texts in zip(m.sections, claims, strict=True)]
    out = {MONOGRAPH: _compress(_object(m, sections=_array(sections)))}
    first = head(m)  # its claims are the monograph's own but where it cuts their citations
    head_sections = [_object(section, claims=_array(text if claim is whole else _claim_json(claim)
                                                    for claim, whole, text in zip(section.claims, s.claims, texts,
                                                                                  strict=False)))
                     for section, s, texts in zip(first.sections, m.sections, claims, strict=True)]
    out[HEAD] = _compress(_object(first, sections=_array(head_sections)))
    for s, texts in zip(m.sections, claims, strict=True):
        for n in range((len(texts) + SECTION_CHUNK - 1) // SECTION_CHUNK):
            out[chunk_part(s.key, n)] = _compress(_array(texts[n * SECTION_CHUNK:(n + 1) * SECTION_CHUNK]))
    out[ALIASES] = encode(sorted(set(aliases)))
    return out


def _claim_json(claim: Claim) -> str:
    """`dumps(claim)`, written here key by key: claims and their citations are most of the JSON of a monograph's
    parts, and the encoder's hook made a dict of each and the encoder wrote its keys again (a test holds the two
    the same, field by field)."""
    return (f'{{"topic":{encode_basestring(claim.topic)},"name":{encode_basestring(claim.name)},'
            f'"stance":{_string(claim.stance)},"citations":[{",".join(map(_citation_json, claim.citations))}],'
            f'"n_citations":{claim.n_citations:d},"n_sources":{claim.n_sources:d}}}')


def _string(value: str | None) -> str:
    """A string (or None) as `dumps` writes it."""
    return "null" if value is None else encode_basestring(value)


def _citation_json(citation: Citation) -> str:
    """`dumps(citation)`, written as _claim_json writes a claim."""
    return (f'{{"source":{encode_basestring(citation.source)},"document_id":{citation.document_id:d},'
            f'"span":[{citation.span[0]:d},{citation.span[1]:d}],"text":{encode_basestring(citation.text)},'
            f'"source_kind":{encode_basestring(citation.source_kind)},"record":{_string(citation.record)}}}')


def _object(value: Any, **members: str) -> str:
    """`dumps(value)` of a dataclass, the JSON text of the `members` named given."""
    return "{" + ",".join(f"{dumps(name)}:{members[name] if name in members else dumps(getattr(value, name))}"
                          for name in field_names(type(value)) or ()) + "}"


def _array(texts: Iterable[str]) -> str:
    """The JSON array of values given as JSON text, as `dumps` writes it."""
    return "[" + ",".join(texts) + "]"


def chunks_for(start: int, stop: int) -> range:
    """The numbers of the stored chunks that hold claims start..stop-1 of a section."""
    return range(start // SECTION_CHUNK, max(start, stop - 1) // SECTION_CHUNK + 1)


def section_page(section: MonographSection, chunks: Mapping[int, bytes], start: int, stop: int) -> MonographSection:
    """Claims start..stop-1 of `section` (as the head holds it), read from the stored chunks that hold them."""
    claims: list[Claim] = []
    for n in sorted(chunks):
        claims += decode(tuple[Claim, ...], chunks[n])
    offset = min(chunks, default=0) * SECTION_CHUNK
    return dataclasses.replace(section, claims=tuple(claims[max(start - offset, 0):max(stop - offset, 0)]))
