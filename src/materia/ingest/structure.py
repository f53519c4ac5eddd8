"""Plain text -> sections, title, dates and kind, shared by the text-based readers.

Everything here is a pure function of the text, so a reader that extracts text from
another format (HTML, Markdown bodies) can reuse it and every span indexes that text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from materia.ingest.cues import cues
from materia.types import DocumentKind, Post, Section, SectionType, Span

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\S\n]*\S[^\n]*)*")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦]|\d+[.)])\s")
_REFERENCE = re.compile(r"^\s*\[?\d{1,3}[.)\]]\s+\S.{10,}?(?:\b(?:19|20)\d{2}\b|doi|pmid)", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_MODIFIED = re.compile(
    rf"\b(?:modified|updated|last updated|last reviewed|reviewed)(?:\s+on)?:?\s+"
    rf"((?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})", re.I)
_STOP = frozenset("""this that with from have been they their there which when what about also more
other than into only some such these those were will would could should your after before
while where being does each most very over under both between during through used using""".split())


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of non-blank lines; `span` excludes the surrounding blank lines."""

    span: Span
    text: str

    @property
    def single_line(self) -> bool:
        return "\n" not in self.text


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Maximal runs of non-blank lines in text[start:end], with their spans."""
    end = len(text) if end is None else end
    found = []
    for m in _PARAGRAPH.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            found.append(Paragraph(Span(s, e), text[s:e]))
    return found


def looks_like_heading(line: str) -> bool:
    """A short line that ends no sentence: how plain-text pages set their headings."""
    line = line.strip()
    words = line.split()
    if not line or len(line) > 90 or len(words) > 14 or (_BULLET.match(line) and not re.match(r"^\d+\.\s+[A-Z]", line)):
        return False
    if line[-1] in ".,;:" or line.startswith(("|", "(")):
        return False
    return line[0].isupper() or line[0].isdigit() or not line[0].isalnum()


def is_reference_paragraph(p: Paragraph) -> bool:
    lines = [line for line in p.text.splitlines() if line.strip()]
    return bool(lines) and sum(bool(_REFERENCE.match(line)) for line in lines) >= max(1, (len(lines) + 1) // 2)


def subject_words(text: str, title: str | None) -> frozenset[str]:
    """Words naming what the document is about: its title's words, else its most frequent word."""
    words = [w.lower() for w in _WORD.findall(title or "") if w.lower() not in _STOP]
    counts = Counter(w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) >= 5)
    words += [w for w, _ in counts.most_common(1)]
    return frozenset(w for w in words if len(w) >= 4)


_FIELD = re.compile(
    r"(?im)^[ \t>#*_-]*(?P<label>generic names?|nonproprietary names?|international nonproprietary names?|"
    r"active substances?|active ingredients?)(?:[ \t]*\([^)\n]*\))?[ \t*_]*"
    r"(?::[ \t*_]*(?P<inline>\S[^\n]*?)|[ \t*_]*\n(?:[ \t]*\n)?[ \t>*_-]*(?P<next>[^#\s][^\n]*?))[ \t*_]*$")
_FIELD_SCAN = 8000  # such fields stand at the top of a page
_EMPTY_VALUE = re.compile(r"(?i)(?:none|n/?a|not applicable|not available|unknown|various|varies|-+|see \w+)\b")
_LEADER = re.compile(r"\s*(?:\.{2,}|\t| {3,}).*$")  # "Ibuprofen 200 mg .......... Pain reliever"


def stated_fields(text: str) -> dict[str, str]:
    """What a page states about its subject in a labelled field, for Document.metadata:
    "Generic Name: X", or a "Generic Name" heading line over the line X -> {"subject": X};
    "Active ingredient(s)" likewise -> {"ingredients": "A; B"}. The first of each counts."""
    out: dict[str, str] = {}
    for m in _FIELD.finditer(text, 0, min(len(text), _FIELD_SCAN)):
        value = _LEADER.sub("", (m.group("inline") or m.group("next") or "").replace("**", "").replace("__", ""))
        value = value.strip(" \t*_.")
        if not value or len(value) > 120 or _EMPTY_VALUE.match(value):
            continue
        key = "ingredients" if m.group("label").lower().startswith("active ingredient") else "subject"
        if key == "ingredients":
            value = "; ".join(v.strip() for v in re.split(r"[;,]", value) if v.strip())
        out.setdefault(key, value)
    return out


def parse_date(value: str) -> date | None:
    """A date as pages write it (Dec 01, 2025 / 2025-12-01 / 12/01/2025, US order)."""
    value = re.sub(r"\s+", " ", value.strip().replace(".", "")).replace(",", "")
    for fmt in ("%b %d %Y", "%B %d %Y", "%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%d %B %Y", "%Y%m%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    if value[:4].isdigit() and len(value) >= 8:
        return parse_date(value[:8]) if value[:8].isdigit() and value[:8] != value else None
    return None


def find_modified(text: str) -> date | None:
    m = _MODIFIED.search(text, 0, min(len(text), 20000))
    return parse_date(m.group(1)) if m else None


def first_line_title(text: str) -> str | None:
    """The first line when it is short enough to be a title, else None (not a whole paragraph).

    A first line that runs on into more text on the next line is a title only when that
    next line is short too (a subtitle or site name), so hard-wrapped prose is not a title.
    """
    lines = iter(text.splitlines())
    for line in lines:
        if line.strip():
            line = line.strip()
            if not (looks_like_heading(line) and len(line) <= 80):
                return None
            following = next(lines, "").strip()
            return line if not following or len(following.split()) <= 6 else None
    return None


def _section(title: str, kind: SectionType, heading: Paragraph | None, parts: list[Paragraph]) -> Section | None:
    if heading is None and not parts:
        return None
    start = heading.span.start if heading is not None else parts[0].span.start
    end = parts[-1].span.end if parts else heading.span.end  # type: ignore[union-attr]
    body_start = parts[0].span.start if parts else end
    return Section(title=title, type=kind, span=Span(start, end), body=Span(body_start, end))


def build_sections(text: str, start: int = 0, end: int | None = None, title: str | None = None,
                   default: SectionType = "other", headings: bool = True) -> list[Section]:
    """Sections of text[start:end] from heading lines, reference lists and boilerplate paragraphs.

    A heading naming no type continues the type of the heading before it (a sub-heading).
    Paragraphs after a reference list that never mention the subject are boilerplate.
    """
    c = cues()
    paras = paragraphs(text, start, end)
    if title and paras and paras[0].text.splitlines()[0].strip() == title:
        first = paras[0]
        cut = first.span.start + len(first.text.splitlines()[0])
        rest = paragraphs(text, cut, first.span.end)
        paras = rest + paras[1:]
    subject = subject_words(text[start:end], title)
    sections: list[Section] = []
    current_type: SectionType = default
    inherited: SectionType = default
    heading: Paragraph | None = None
    parts: list[Paragraph] = []
    after_references = False

    def flush() -> None:
        nonlocal heading, parts
        made = _section(heading.text.strip() if heading else "", current_type, heading, parts)
        if made is not None:
            sections.append(made)
        heading, parts = None, []

    for i, p in enumerate(paras):
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if is_reference_paragraph(p):
            if current_type != "references":
                flush()
                current_type = "references"
            parts.append(p)
            after_references = True
            continue
        if c.is_disclaimer(p.text):
            if current_type != "disclaimer" or heading is not None:
                flush()
            current_type = "disclaimer"
            parts.append(p)
            continue
        lowered = p.text.lower()
        if after_references and not any(w in lowered for w in subject):
            if current_type != "boilerplate":
                flush()
            current_type = "boilerplate"
            parts.append(p)
            continue
        if headings and p.single_line and nxt is not None and looks_like_heading(p.text):
            flush()
            # a question is a sub-heading (an FAQ entry), whatever words it uses
            named = None if p.text.rstrip().endswith("?") else c.heading_type(p.text)
            if named == "disclaimer":
                named = None  # a "disclaimer" heading over who-should-be-careful advice: judged by its body
                current_type = "precautions"
            else:
                current_type = named or inherited
            if named is not None:
                inherited = named
            heading = p
            continue
        if current_type in ("disclaimer", "boilerplate", "references"):
            flush()
            current_type = inherited
        parts.append(p)
    flush()
    return sections


def split_disclaimers(text: str, sections: list[Section]) -> list[Section]:
    """Cut trailing accuracy/medical-advice paragraphs out of each section into a disclaimer section."""
    c = cues()
    out: list[Section] = []
    for s in sections:
        paras = paragraphs(text, s.body.start, s.body.end) if s.type != "disclaimer" else []
        cut = len(paras)
        while cut > 0 and c.is_disclaimer(paras[cut - 1].text):
            cut -= 1
        if cut == len(paras):
            out.append(s)
            continue
        if cut == 0 and not s.title:
            out.append(Section(s.title, "disclaimer", s.span, s.body, s.level))
            continue
        # with no paragraph to keep, only the heading line stays
        keep_end = paras[cut - 1].span.end if cut else max(s.span.start, len(text[:s.body.start].rstrip()))
        out.append(Section(s.title, s.type, Span(s.span.start, keep_end),
                           Span(min(s.body.start, keep_end), keep_end), s.level))
        tail = Span(paras[cut].span.start, s.span.end)
        out.append(Section("", "disclaimer", tail, tail, s.level))
    return out


def guess_kind(sections: list[Section] | tuple[Section, ...], posts: tuple[Post, ...] = ()) -> DocumentKind:
    """community when it has posts, monograph when it has both dosage and side-effect sections."""
    if posts:
        return "community"
    types = {s.type for s in sections}
    if "dosage" in types and ("side_effects" in types or "precautions" in types) and "usage" in types:
        return "monograph"
    return "article"
