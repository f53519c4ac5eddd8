"""Numbered reference lists (Vancouver / NLM style).

A reference list is a run of consecutively numbered lines ("1.", "2)", "[3]") most of which
read like citations (authors "Surname XY", a year, a journal or an identifier), or any
numbered run inside a section the reader typed "references". Numbered list items in prose
fail the citation test and are left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from materia.extract.parse import Parsed
from materia.types import Reference, Span

__all__ = ["find", "parse_entry"]

_MARKER = re.compile(r"^[ \t]*(?:\[(\d{1,3})\]|(\d{1,3})[.)])[ \t]+(?=\S)", re.MULTILINE)
_BLANK = re.compile(r"\n[ \t]*\n")
_MAX_GAP = 2000          # widest gap (chars) between entries before a numbered run is considered broken
_MAX_ENTRY = 1500        # no citation is longer; bounds the work per entry on huge unbroken texts
_MIN_CITATION_SHARE = 0.6

_SURNAME = r"(?:(?:van|von|de|der|den|da|di|du|le|la|del|dos) )*[A-Z][A-Za-z'’\-]*(?:[ \-](?:[A-Z][A-Za-z'’\-]+|van|von|de|der|den|la|le|da|di|du))*"
_AUTHOR = rf"(?:{_SURNAME} [A-Z]{{1,4}}(?:-[A-Z]{{1,2}})?(?: (?:Jr|Sr|II|III|IV))?)"
_AUTHORS = re.compile(
    rf"(?P<authors>{_AUTHOR}(?:,? (?:and |& )?{_AUTHOR})*)(?P<etal>,? et al)?\.?(?:\s+|$)")
_AUTHOR_ONE = re.compile(_AUTHOR)
_TITLE_END = re.compile(r"[.?!](?:\s+|$)")
# "Proc Natl Acad Sci U S A 94: 1967-1972, 1997"
_TAIL_COLON = re.compile(
    r"^(?P<journal>.+?)\.?\s+(?P<volume>\d+[A-Za-z]?)(?:\s*\((?P<issue>[^)]*)\))?\s*:\s*"
    r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–—]\s*[A-Za-z]?\d+)?)\s*[,;.]?\s*(?:\(?(?P<year>(?:1[89]|20)\d\d)\)?)")
# "J Abbr. 1997;94(5):1967-72" and "J Abbr. 1997 May;94:1967-72"
_TAIL_SEMI = re.compile(
    r"^(?P<journal>.+?)\.?\s+(?P<year>(?:1[89]|20)\d\d)(?:\s+[A-Z][a-z]{2}(?:[ -]\d{1,2})?)?\s*;\s*"
    r"(?P<volume>[\w]+)?(?:\s*\((?P<issue>[^)]*)\))?(?:\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–—]\s*[A-Za-z]?\d+)?))?")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_DOI = re.compile(r"\bdoi:?\s*(?:https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)", re.IGNORECASE)
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*(\d{4,9})\b")


@dataclass(frozen=True, slots=True)
class _Entry:
    n: int
    span: Span


def _entries(text: str) -> list[list[_Entry]]:
    """Runs of consecutively numbered lines; each entry ends at the next marker or a blank line."""
    markers = list(_MARKER.finditer(text))
    runs: list[list[_Entry]] = []
    current: list[_Entry] = []
    for i, match in enumerate(markers):
        n = int(match.group(1) or match.group(2))
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        limit = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        limit = min(limit, start + _MAX_ENTRY)
        blank = _BLANK.search(text, start, limit)
        end = blank.start() if blank else limit
        if not blank and end - start >= _MAX_ENTRY:  # too long for a citation: keep its first line
            newline = text.find("\n", start, end)
            end = newline if newline > 0 else end
        while end > start and text[end - 1].isspace():
            end -= 1
        entry = _Entry(n, Span(start, end))
        if current and (n != current[-1].n + 1 or start - current[-1].span.end > _MAX_GAP):
            runs.append(current)
            current = []
        current.append(entry)
    if current:
        runs.append(current)
    return runs


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pages(raw: str | None) -> str | None:
    if not raw:
        return None
    return re.sub(r"\s*[–—-]\s*", "-", raw.strip())


def _split_title(rest: str) -> tuple[str | None, str, re.Match[str] | None]:
    """Title and the journal tail after it. The title ends at the first full stop (else ? or !)
    after which a journal/volume/pages tail reads; question-mark titles are common."""
    ends = list(_TITLE_END.finditer(rest))
    for end in sorted(ends, key=lambda m: (m.group()[0] != ".", m.start())):
        tail = rest[end.end():]
        for pattern in (_TAIL_COLON, _TAIL_SEMI):
            match = pattern.match(tail)
            if match and not match.group("journal")[0].isdigit():
                title = rest[:end.start() + (0 if end.group()[0] == "." else 1)].strip()
                return title or None, tail, match
    if ends:
        return rest[:ends[0].start()].strip() or None, rest[ends[0].end():], None
    return None, rest, None


def parse_entry(n: int, body: str, span: Span) -> Reference:
    """Fields of one citation; what cannot be read stays None."""
    text = _clean(_MARKER.sub("", body[:_MAX_ENTRY], count=1))
    doi_match = _DOI.search(text) or _DOI_URL.search(text)
    doi = doi_match.group(1).rstrip(".,;)") if doi_match else None
    pmid_match = _PMID.search(text)
    pmid = pmid_match.group(1) if pmid_match else None
    authors: tuple[str, ...] = ()
    rest = text
    author_match = _AUTHORS.match(text)
    if author_match:
        authors = tuple(a.group() for a in _AUTHOR_ONE.finditer(author_match.group("authors")))
        rest = text[author_match.end():]
    title, tail, match = _split_title(rest)
    journal = volume = pages = None
    year: int | None = None
    if match:
        journal = match.group("journal").strip().rstrip(".") or None
        volume = match.group("volume")
        pages = _pages(match.group("pages"))
        year = int(match.group("year"))
    if year is None:
        years = _YEAR.findall(tail or text)
        year = int(years[0]) if years else None
    return Reference(n=n, span=span, authors=authors, title=title, journal=journal, year=year,
                     volume=volume, pages=pages, pmid=pmid, doi=doi)


def _is_citation(ref: Reference) -> bool:
    return bool(ref.year and (ref.authors or ref.doi or ref.pmid) and (ref.journal or ref.doi or ref.pmid))


def find(parsed: Parsed) -> list[Reference]:
    """Numbered bibliography entries, from reference-list runs only."""
    text = parsed.text
    out: list[Reference] = []
    for run in _entries(text):
        refs = [parse_entry(e.n, text[e.span.start:e.span.end], e.span) for e in run]
        section = parsed.section_at(run[0].span.start)
        in_references = section is not None and section.type == "references"
        share = sum(map(_is_citation, refs)) / len(refs)
        if in_references or share >= _MIN_CITATION_SHARE:
            out.extend(refs)
    return out
