"""Reference lists and the inline citations that point into them.

Three shapes of list are read:
  numbered     consecutively numbered lines ("1.", "2)", "[3]"), most of which read like citations
               (authors "Surname XY", a year, a journal or an identifier), or any numbered run inside
               a section the reader typed "references";
  run together one long line whose entries are joined by a separator ("References^Wu G ...^Boger RH ..."),
               as pages flattened by a scraper come; numbered by their place unless they carry numbers;
  author-year  unnumbered Harvard / APA entries, one per line ("Smith J, Doe A (2019). Title. Journal
               12:1-9." or "Smith, J., & Doe, A. (2019). Title. Journal, 12(3), 1-9.") after a references
               heading, in a references section, or three in a row anywhere; numbered by their place.
Numbered list items in prose fail the citation test and are left alone.

Inline citations ([12], [3,4], [5-7], \\[12], (12), superscripts ¹²⁻¹⁴, a number glued to the full
stop, "(Smith et al., 2019)", "Smith and Doe (2019)") resolve to reference numbers through a
CitationIndex built from the list found.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from materia.extract.parse import Parsed
from materia.types import Reference, Span

__all__ = ["CitationIndex", "find", "parse_entry"]

_MARKER = re.compile(r"^[ \t]*(?:\[(\d{1,3})\]|(\d{1,3})[.)])[ \t]+(?=\S)", re.MULTILINE)
_BLANK = re.compile(r"\n[ \t]*\n")
_MAX_GAP = 2000          # widest gap (chars) between entries before a numbered run is considered broken
_MAX_ENTRY = 1500        # no citation is longer; bounds the work per entry on huge unbroken texts
_MIN_CITATION_SHARE = 0.6

_SUFFIX = r"(?:Jr|Sr|II|III|IV|2nd|3rd|4th)"
_SURNAME = (r"(?:(?:van|von|de|der|den|da|di|du|le|la|del|dos) )*[A-Z][A-Za-z'’\-]*"
            r"(?:[ \-](?:[A-Z][A-Za-z'’\-]+|van|von|de|der|den|la|le|da|di|du))*")
# Vancouver: "Herzenberg LA", "Park J-H", "Morris SM Jr"
_AUTHOR = rf"(?:{_SURNAME} [A-Z]{{1,4}}(?:-[A-Z]{{1,2}})?(?![a-z])(?: {_SUFFIX})?)"
_AUTHORS = re.compile(
    rf"(?P<authors>{_AUTHOR}(?:,? (?:and |& )?{_AUTHOR})*)(?P<etal>,? et al)?\.?(?:\s+|$)")
_AUTHOR_ONE = re.compile(_AUTHOR)
# APA / Harvard: "Hill, S. M., & Blask, D. E." and "Smith, J. and Doe, A."
_INITIALS = r"[A-Z]\.(?:[ -]?-?[A-Z]\.){0,3}"
_APA_AUTHOR = rf"(?:{_SURNAME}, {_INITIALS}(?:,? {_SUFFIX}\.?)?)"
_APA_AUTHORS = re.compile(
    rf"(?P<authors>{_APA_AUTHOR}(?:,? (?:and |& |&amp; )?{_APA_AUTHOR})*)"
    r"(?P<etal>,? et al\.?)?\s*(?=\(|(?:1[89]|20)\d\d)")
_APA_AUTHOR_ONE = re.compile(rf"(?P<surname>{_SURNAME}), (?P<initials>{_INITIALS})(?:,? (?P<suffix>{_SUFFIX})\.?)?")
# "(2019)." "(2019a)." "(2019, March)." or Harvard's bare "2019." right after the authors
_YEAR_AFTER_AUTHORS = re.compile(r"(?:\(\s*((?:1[89]|20)\d\d)[a-z]?\s*(?:,[^)]{0,30})?\)"
                                 r"|((?:1[89]|20)\d\d)[a-z]?)[.,:]?\s+")
_GROUP_AUTHOR = re.compile(r"(?P<group>(?:[A-Z][\w'’&-]*|of|and|for|the|on)"
                           r"(?: (?:[A-Z][\w'’&-]*|of|and|for|the|on)){1,7})\.\s+")
_TITLE_END = re.compile(r"[.?!](?:\s+|$)")
_PAGES = r"[A-Za-z]{0,3}\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?"
_MONTH_DAY = r"(?:\s+[A-Z][a-z]{2,8}\.?(?:[ -]\d{1,2}(?:[-–]\d{1,2})?)?(?:[-–/][A-Z][a-z]{2,8})?)?"
# "Proc Natl Acad Sci U S A 94: 1967-1972, 1997"
_TAIL_COLON = re.compile(
    r"^(?P<journal>.+?)\.?\s+(?P<volume>\d+[A-Za-z]?)(?:\s*\((?P<issue>[^)]*)\))?\s*:\s*"
    rf"(?P<pages>{_PAGES})\s*[,;.]?\s*(?:\(?(?P<year>(?:1[89]|20)\d\d)\)?)")
# "J Abbr. 1997;94(5):1967-72", "J Abbr. 1997 May;94:1967-72", "JAMA. 2001 Aug 22-29;286(8):944-53"
_TAIL_SEMI = re.compile(
    rf"^(?P<journal>.+?)\.?\s+(?P<year>(?:1[89]|20)\d\d){_MONTH_DAY}\s*;\s*"
    rf"(?P<volume>[\w]+)?(?:\s*\((?P<issue>[^)]*)\))?(?:\s*:\s*(?P<pages>{_PAGES}))?")
# "Eur J Clin Nutr.(2009 Dec)", "Inflamm Bowel Dis. (2012)": journal and date only
_TAIL_PAREN = re.compile(rf"^(?P<journal>[A-Z][^.;:()]*?)\.?\s*\(\s*(?P<year>(?:1[89]|20)\d\d){_MONTH_DAY}\s*\)")
# after an author-year head, the tail has no year: "Neurology 75:1527-1532", "Cancer Research, 48(21),
# 6121-6126", "Cochrane Database Syst Rev (2):CD001520", "The Scientific World Journal, 2012, 640389"
_TAIL_NO_YEAR = re.compile(
    r"^(?P<journal>[A-Z][^.;:()]*?)\.?,?\s+(?:(?P<volume>\d+[A-Za-z]?)\s*)?(?:\((?P<issue>[^)]*)\))?\s*[:,]\s*"
    rf"(?:pp?\.\s*)?(?P<pages>{_PAGES})(?![\w/])")
_VANCOUVER_TAILS = (_TAIL_COLON, _TAIL_SEMI, _TAIL_PAREN)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_DOI = re.compile(r"\bdoi:?\s*(?:https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)", re.IGNORECASE)
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*(\d{4,9})\b")

# lists run together on one line: a long line holding a separator at least twice
_MIN_JOINED_LINE = 160
_SEPARATORS = "^|¶‖•·▪◦"
_LIST_HEADING = re.compile(
    r"(?:^|[\s#*])(?:references?|bibliography|sources|literature cited|works cited|citations|further reading)"
    r"\s*:?\s*$", re.IGNORECASE)
_HEADING_WORDS = ("reference", "bibliography", "literature cited", "works cited", "citations", "sources")
_HEADING_LINE = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?(?:\d{1,2}\.?[ \t]+)?(?:references?|bibliography|literature cited|works cited"
    r"|citations|sources)(?:\*\*)?[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_AUTHOR_YEAR_LINE = re.compile(
    rf"[ \t]*(?:{_APA_AUTHOR}(?:,? (?:and |& )?{_APA_AUTHOR})*(?:,? et al\.?)?|{_AUTHOR}(?:,? (?:and |& )?{_AUTHOR})*"
    rf"(?:,? et al\.?)?)\s*\(\s*(?:1[89]|20)\d\d")
_PAREN_YEAR = re.compile(r"\((?:1[89]|20)\d\d[a-z]?\)")  # cheap to find: where author-year lines can be


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


def _split_title(rest: str, tails: tuple[re.Pattern[str], ...]) -> tuple[str | None, str, re.Match[str] | None]:
    """Title and the journal tail after it. The title ends at the first full stop (else ? or !)
    after which a journal/volume/pages tail reads; question-mark titles are common."""
    ends = list(_TITLE_END.finditer(rest))
    for end in sorted(ends, key=lambda m: (m.group()[0] != ".", m.start())):
        tail = rest[end.end():]
        for pattern in tails:
            match = pattern.match(tail)
            if match and not match.group("journal")[0].isdigit():
                title = rest[:end.start() + (0 if end.group()[0] == "." else 1)].strip()
                return title or None, tail, match
    if ends:
        return rest[:ends[0].start()].strip() or None, rest[ends[0].end():], None
    return None, rest, None


def _apa_name(match: re.Match[str]) -> str:
    """"Hill, S. M." -> "Hill SM" (the Vancouver form, so both styles compare alike)."""
    initials = re.sub(r"[.\s]", "", match.group("initials"))
    suffix = f" {match.group('suffix')}" if match.group("suffix") else ""
    return f"{match.group('surname')} {initials}{suffix}"


def _authors(text: str) -> tuple[tuple[str, ...], int, int | None]:
    """(authors, where the rest starts, year when it follows the authors in author-year style)."""
    apa = _APA_AUTHORS.match(text)
    if apa:
        year = _YEAR_AFTER_AUTHORS.match(text, apa.end())
        if year:
            names = tuple(_apa_name(a) for a in _APA_AUTHOR_ONE.finditer(apa.group("authors")))
            return names, year.end(), int(year.group(1) or year.group(2))
    vancouver = _AUTHORS.match(text)
    if vancouver:
        names = tuple(a.group() for a in _AUTHOR_ONE.finditer(vancouver.group("authors")))
        year = _YEAR_AFTER_AUTHORS.match(text, vancouver.end())
        if year and (year.group(1) or text[year.end():year.end() + 1].isupper()):
            return names, year.end(), int(year.group(1) or year.group(2))
        return names, vancouver.end(), None
    return (), 0, None


def parse_entry(n: int, body: str, span: Span) -> Reference:
    """Fields of one citation; what cannot be read stays None."""
    text = _clean(_MARKER.sub("", body[:_MAX_ENTRY], count=1))
    doi_match = _DOI.search(text) or _DOI_URL.search(text)
    doi = doi_match.group(1).rstrip(".,;)") if doi_match else None
    pmid_match = _PMID.search(text)
    pmid = pmid_match.group(1) if pmid_match else None
    authors, at, year = _authors(text)
    rest = text[at:]
    tails = (_TAIL_NO_YEAR, *_VANCOUVER_TAILS) if year is not None else _VANCOUVER_TAILS
    title, tail, match = _split_title(rest, tails)
    group = None if authors else _GROUP_AUTHOR.match(text)
    if group:  # "National Toxicology Program. Title. Journal 1995;452:1-280."
        g_title, g_tail, g_match = _split_title(text[group.end():], _VANCOUVER_TAILS)
        if g_match is not None:
            authors, title, tail, match = (group.group("group"),), g_title, g_tail, g_match
    journal = volume = pages = None
    if match:
        journal = match.group("journal").strip().rstrip(".,") or None
        groups = match.groupdict()
        volume = groups.get("volume")
        pages = _pages(groups.get("pages"))
        if groups.get("year"):
            year = int(groups["year"])
    if year is None:
        years = _YEAR.findall(tail or text)
        year = int(years[0]) if years else None
    return Reference(n=n, span=span, authors=authors, title=title, journal=journal, year=year,
                     volume=volume, pages=pages, pmid=pmid, doi=doi)


def _is_citation(ref: Reference) -> bool:
    return bool(ref.year and (ref.authors or ref.doi or ref.pmid) and (ref.journal or ref.doi or ref.pmid))


def _share(refs: list[Reference]) -> float:
    return sum(map(_is_citation, refs)) / len(refs) if refs else 0.0


def _numbered(parsed: Parsed) -> list[Reference]:
    text = parsed.text
    out: list[Reference] = []
    for run in _entries(text):
        refs = [parse_entry(e.n, text[e.span.start:e.span.end], e.span) for e in run]
        section = parsed.section_at(run[0].span.start)
        in_references = section is not None and section.type == "references"
        if in_references or _share(refs) >= _MIN_CITATION_SHARE:
            out.extend(refs)
    return out


def _pieces(text: str, start: int, end: int, separator: str) -> list[Span]:
    out: list[Span] = []
    pos = start
    while pos <= end:
        cut = text.find(separator, pos, end)
        cut = end if cut < 0 else cut
        a, b = pos, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append(Span(a, min(b, a + _MAX_ENTRY)))
        pos = cut + 1
    return out


def _lines_with(text: str, chars: str, min_length: int = 0) -> list[Span]:
    """The lines holding any of `chars` (found from the characters, not by scanning every line)."""
    out: list[Span] = []
    for char in chars:
        pos = text.find(char)
        while pos >= 0:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if end - start >= min_length:
                out.append(Span(start, end))
            pos = text.find(char, end)
    return sorted(set(out), key=lambda s: s.start)


def _run_together(text: str, taken: list[Span]) -> list[Reference]:
    """Entries of long lines joined by a separator character, numbered by place or by their own number."""
    out: list[Reference] = []
    for line in _lines_with(text, _SEPARATORS, _MIN_JOINED_LINE):
        if any(t.overlaps(line) for t in taken) or any(r.span.overlaps(line) for r in out):
            continue
        chunk = line.of(text)
        separator = max(_SEPARATORS, key=chunk.count)
        if chunk.count(separator) < 2 or len(_YEAR.findall(chunk, 0, 4000)) < 2:
            continue
        pieces = _pieces(text, line.start, line.end, separator)
        if pieces and _LIST_HEADING.search(pieces[0].of(text)) and not _YEAR.search(pieces[0].of(text)):
            pieces = pieces[1:]  # "References^first entry^..."
        refs = []
        for place, piece in enumerate(pieces, 1):
            marker = _MARKER.match(piece.of(text))
            n = int(marker.group(1) or marker.group(2)) if marker else place
            refs.append(parse_entry(n, piece.of(text), piece))
        if len(refs) >= 2 and _share(refs) >= _MIN_CITATION_SHARE:
            out.extend(refs)
    return out


def _line_entries(text: str, start: int, end: int) -> list[Span]:
    """Entries of an unnumbered list: a line opening with authors starts one, other lines continue it."""
    spans: list[list[int]] = []
    pos = start
    blank_before = False
    while pos < end:
        newline = text.find("\n", pos, end)
        stop = end if newline < 0 else newline
        line = text[pos:stop]
        if not line.strip():
            blank_before = True
        elif _AUTHORS.match(line.lstrip()) or _APA_AUTHORS.match(line.lstrip()) or _GROUP_AUTHOR.match(line.lstrip()):
            lead = len(line) - len(line.lstrip())
            spans.append([pos + lead, pos + len(line.rstrip())])
            blank_before = False
        elif spans and not blank_before and stop - spans[-1][0] < _MAX_ENTRY:
            spans[-1][1] = pos + len(line.rstrip())  # a wrapped line
        elif spans:
            break  # a paragraph of something else ends the list
        pos = stop + 1
    return [Span(a, b) for a, b in spans]


def _author_year(parsed: Parsed, taken: list[Span]) -> list[Reference]:
    """Unnumbered entries under a references heading or section, or three author-year lines in a row."""
    text = parsed.text
    regions: list[Span] = [s.body for s in parsed.document.sections if s.type == "references"]
    low = text.lower()
    for word in _HEADING_WORDS:  # a heading line naming the list; found by its word, then checked
        pos = low.find(word)
        while pos >= 0:
            start = text.rfind("\n", 0, pos) + 1
            heading = _HEADING_LINE.match(text, start)
            if heading:
                regions.append(Span(heading.end(), len(text)))
            pos = low.find(word, pos + len(word))
    lines: list[int] = []  # starts of lines that open "Authors (year)"
    for year in _PAREN_YEAR.finditer(text):
        start = text.rfind("\n", 0, year.start()) + 1
        if (not lines or lines[-1] != start) and year.start() - start < 400 \
                and _AUTHOR_YEAR_LINE.match(text, start, year.end()):
            lines.append(start)
    for i in range(len(lines) - 2):  # three author-year lines in a row, without a heading
        if text.count("\n", lines[i], lines[i + 2]) <= 6:
            regions.append(Span(lines[i], len(text)))
            break
    out: list[Reference] = []
    done: list[Span] = []
    for region in sorted(regions, key=lambda r: r.start):
        if any(d.contains(Span(region.start, region.start)) for d in done):
            continue
        entries = [e for e in _line_entries(text, region.start, region.end) if not any(t.overlaps(e) for t in taken)]
        refs = [parse_entry(place, e.of(text), e) for place, e in enumerate(entries, 1)]
        if len(refs) >= 2 and _share(refs) >= _MIN_CITATION_SHARE:
            out.extend(refs)
            done.append(Span(region.start, refs[-1].span.end))
    return out


def find(parsed: Parsed) -> list[Reference]:
    """Bibliography entries: numbered runs, lists run together on one line, author-year lists."""
    numbered = _numbered(parsed)
    taken = [r.span for r in numbered]
    joined = _run_together(parsed.text, taken)
    taken += [r.span for r in joined]
    listed = _author_year(parsed, taken) if not numbered else []
    return sorted(numbered + joined + listed, key=lambda r: r.span.start)


# --- inline citations -------------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_NUMBERS = r"\d{1,3}(?:\s*[,;–—-]\s*\d{1,3})*"
_CITE_BRACKET = re.compile(rf"\\?\[\s*({_NUMBERS})\s*\\?\]|\(\s*({_NUMBERS})\s*\)")
_CITE_SUPERSCRIPT = re.compile(r"(?<!\bm)(?<!\b[cmk]m)[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:\s*[,⁻–-]\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_CITE_TAIL = re.compile(r"[.!?][\"”’)\]]*((?:\d{1,3})(?:[ ,–-]\d{1,3})*)\s*$")
_NAME = r"[A-Z][\w'’-]+"
_YEAR_CITED = r"(?P<year>(?:1[89]|20)\d\d)(?P<suffix>[a-z])?"
_CITE_AY_GROUP = re.compile(r"\(([^()]{2,300}?(?:1[89]|20)\d\d[a-z]?)\)")
_CITE_AY_ONE = re.compile(rf"(?P<name>{_NAME}(?: {_NAME})?)(?: et al\.?| (?:and|&) {_NAME})?,? {_YEAR_CITED}\b")
_CITE_AY_NARRATIVE = re.compile(rf"(?P<name>{_NAME})(?: et al\.?| (?:and|&) {_NAME})? \({_YEAR_CITED}\)")
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV", "2nd", "3rd", "4th"})


def _expand(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[,;\s]+", group.strip()):
        bounds = [int(b) for b in re.split(r"[–—-]", part) if b.isdigit()]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < 50:
            out.extend(range(bounds[0], bounds[1] + 1))
        else:
            out.extend(bounds)
    return out


def _surname(author: str) -> str:
    words = [w for w in author.split() if w not in _SUFFIXES]
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,4}(?:-[A-Z]{1,2})?", words[-1]):
        words = words[:-1]
    return " ".join(words).lower()


@dataclass(frozen=True)
class CitationIndex:
    """Which reference numbers a sentence cites, given the document's reference list."""

    numbers: frozenset[int] = frozenset()
    by_author_year: Mapping[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, references: Iterable[Reference]) -> CitationIndex:
        refs = list(references)
        by_author_year: dict[tuple[str, int], list[int]] = {}
        for ref in refs:
            if ref.authors and ref.year:
                surname = _surname(ref.authors[0])
                for key in {surname, surname.split()[0]}:
                    by_author_year.setdefault((key, ref.year), []).append(ref.n)
        return cls(frozenset(r.n for r in refs), {k: tuple(v) for k, v in by_author_year.items()})

    def cited(self, sentence: str) -> tuple[int, ...]:
        """Reference numbers cited in `sentence`, in order; with a known list, only numbers in it."""
        nums: list[int] = []
        for match in _CITE_BRACKET.finditer(sentence):
            nums.extend(_expand(match.group(1) or match.group(2)))
        for match in _CITE_SUPERSCRIPT.finditer(sentence):
            nums.extend(_expand(match.group().translate(_SUPERSCRIPT)))
        tail = _CITE_TAIL.search(sentence)
        if tail:
            nums.extend(_expand(tail.group(1)))
        if self.by_author_year and "(" in sentence:
            nums.extend(self._author_year(sentence))
        if self.numbers:
            nums = [n for n in nums if n in self.numbers]
        return tuple(dict.fromkeys(n for n in nums if 0 < n < 1000))

    def _author_year(self, sentence: str) -> list[int]:
        found: list[tuple[str, int, str | None]] = []
        for group in _CITE_AY_GROUP.finditer(sentence):
            for one in _CITE_AY_ONE.finditer(group.group(1)):
                found.append((one.group("name"), int(one.group("year")), one.group("suffix")))
        for one in _CITE_AY_NARRATIVE.finditer(sentence):
            found.append((one.group("name"), int(one.group("year")), one.group("suffix")))
        out: list[int] = []
        for name, year, suffix in found:
            candidates = self.by_author_year.get((name.lower(), year)) or \
                self.by_author_year.get((name.split()[0].lower(), year), ())
            if candidates:
                place = ord(suffix) - ord("a") if suffix else 0  # "2019b": the second 2019 entry of that author
                out.append(candidates[min(place, len(candidates) - 1)])
        return out
