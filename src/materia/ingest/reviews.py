"""Review data sets (TSV, CSV, JSON Lines): one Document per record ("row N").

A row's Document has the row's slice of the decoded file as `text` (`offset` says where it
starts), one Post covering it (rating, condition, effectiveness, side-effect severity; its
body the review text), the drug column as `metadata["subject"]`, and one Section per
free-text column typed by the column's name through headings.yaml ("sideEffectsReview" is
side_effects, "benefitsReview" usage, "commentsReview" posts). Columns are recognised by name
(rating, review, drug, condition...), never configured. TSV files whose unquoted fields hold bare line breaks
(as DrugLib's do) are split at lines that start a record (`^<id><tab>`), since the csv module would misread them.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from materia.errors import ReadError
from materia.ingest.cues import cues
from materia.ingest.registry import RawFile, reader
from materia.ingest.structure import parse_date
from materia.types import Document, Post, Section, Span

_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("side_effect_severity", re.compile(r"^side_?effects?(_?severity)?$")),
    ("effectiveness", re.compile(r"^effectiveness$")),
    ("drug", re.compile(r"^(url)?_?(drug|medicine|medication|product|supplement)_?(name)?$")),
    ("condition", re.compile(r"^(condition|indication|disease)$")),
    ("rating", re.compile(r"^(rating|score|stars?|overall_?rating)$")),
    ("author", re.compile(r"^(author|user|user_?name|reviewer)$")),
    ("date", re.compile(r"^(date|review_?date|posted)$")),
    ("text", re.compile(r"(review|comment|text|body|content)")),
)
_LINE = re.compile(r"[^\n]*\n?")


@dataclass(frozen=True, slots=True)
class Field:
    value: str
    span: Span | None


@dataclass(frozen=True, slots=True)
class Row:
    """One record: its span in the file, its fields by role, and its free-text fields by column name."""

    span: Span
    named: dict[str, list[Field]]
    texts: tuple[tuple[str, Field], ...]


def _roles(columns: list[str]) -> dict[int, str]:
    """Column index -> role, by the column's name."""
    roles: dict[int, str] = {}
    for i, name in enumerate(columns):
        key = re.sub(r"[^a-z0-9_]", "", name.strip().lower().replace(" ", "_"))
        for role, pattern in _ROLES:
            if key and pattern.search(key):
                roles[i] = role
                break
    return roles


def _header(text: str) -> tuple[list[str], str, int]:
    """Column names, delimiter and where the data starts."""
    first = _LINE.match(text)
    line = first.group(0) if first else ""
    delimiter = "\t" if "\t" in line else (";" if line.count(";") > line.count(",") else ",")
    try:
        columns = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        columns = []
    return columns, delimiter, len(line)


def sniff(raw: RawFile) -> bool:
    head = raw.text[:4096]
    if raw.suffix == ".jsonl" or _jsonl_like(head):
        return True
    columns, _, _ = _header(head)
    roles = set(_roles(columns).values())
    return len(columns) >= 3 and "text" in roles and bool(roles & {"rating", "drug", "condition"})


def _jsonl_like(head: str) -> bool:
    lines = [line for line in head.splitlines() if line.strip()][:3]
    if len(lines) < 2 or not all(line.lstrip().startswith("{") for line in lines):
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except json.JSONDecodeError:
        return False


def _records_by_id(text: str, start: int, delimiter: str, n: int) -> Iterator[tuple[Span, list[Field]]]:
    """Records that start at lines beginning `<digits><delimiter>`; the last field runs to the record's end."""
    starts = [m.start() for m in re.finditer(rf"(?m)^\d+{re.escape(delimiter)}", text[start:])]
    starts = [s + start for s in starts] + [len(text)]
    for a, b in pairwise(starts):
        end = len(text[:b].rstrip())
        fields: list[Field] = []
        pos = a
        for i in range(n):
            nxt = text.find(delimiter, pos, end) if i < n - 1 else -1
            if nxt < 0:
                nxt = end
            fields.append(Field(text[pos:nxt].strip().strip('"'), Span(pos, nxt)))
            pos = min(nxt + 1, end)
        yield Span(a, end), fields


def _records_csv(text: str, start: int, delimiter: str) -> Iterator[tuple[Span, list[Field]]]:
    """Records read by the csv module, with the line range each one came from."""
    ends: list[int] = []

    def lines() -> Iterator[str]:
        pos = start
        while pos < len(text):
            m = _LINE.match(text, pos)
            if m is None or not m.group(0):
                return
            pos = m.end()
            ends.append(pos)
            yield m.group(0)

    prev = start
    for row in csv.reader(lines(), delimiter=delimiter):
        end = ends[-1] if ends else prev
        span_end = len(text[:end].rstrip())
        if row and any(cell.strip() for cell in row):
            record = Span(prev, max(prev, span_end))
            fields = []
            for cell in row:
                value = cell.strip()  # the span is the value's: a cell's trailing whitespace may end the record
                at = text.find(cell, prev, end) if cell else -1
                at += len(cell) - len(cell.lstrip()) if at >= 0 else 0
                fields.append(Field(value, Span(at, at + len(value)) if at >= 0 else None))
            yield record, fields
        prev = end


def _records_jsonl(text: str) -> Iterator[tuple[Span, dict[str, Field]]]:
    decoder = json.JSONDecoder()
    for m in _LINE.finditer(text):
        line = m.group(0)
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(obj, dict):
            continue
        fields: dict[str, Field] = {}
        for key, value in obj.items():
            literal = None
            k = re.search(re.escape(json.dumps(key)) + r"\s*:\s*", line)
            if k is not None:
                try:
                    _, stop = decoder.raw_decode(line, k.end())
                    literal = Span(m.start() + k.end(), m.start() + stop)
                except json.JSONDecodeError:
                    literal = None
            fields[str(key)] = Field("" if value is None else str(value), literal)
        yield Span(m.start(), m.start() + len(line.rstrip())), fields


def _first(named: dict[str, list[Field]], role: str) -> str | None:
    values = [f.value for f in named.get(role, []) if f.value]
    return values[0] if values else None


def _post(row: Row) -> Post:
    """The row as a Post, spans relative to the row's own text."""
    def local(span: Span) -> Span:
        return Span(span.start - row.span.start, span.end - row.span.start)

    texts = [f.span for _, f in row.texts if f.span is not None]
    body = local(Span(min(s.start for s in texts), max(s.end for s in texts))) if texts else None
    rating = _first(row.named, "rating")
    try:
        score = int(float(rating)) if rating is not None else None
    except ValueError:
        score = None
    when = _first(row.named, "date")
    return Post(span=local(row.span), body=body, rating=score, drug=_first(row.named, "drug"),
                condition=_first(row.named, "condition"), effectiveness=_first(row.named, "effectiveness"),
                side_effect_severity=_first(row.named, "side_effect_severity"),
                author=_first(row.named, "author"), date=parse_date(when) if when else None)


def _row(record: Span, columns: list[str], fields: list[Field], roles: dict[int, str]) -> Row:
    named: dict[str, list[Field]] = {}
    texts = []
    for i, f in enumerate(fields):
        if i in roles:
            named.setdefault(roles[i], []).append(f)
            if roles[i] == "text" and i < len(columns):
                texts.append((columns[i], f))
    return Row(record, named, tuple(texts))


def parse_rows(text: str, jsonl: bool) -> list[Row]:
    """Every record of a review table, in file order."""
    rows: list[Row] = []
    if jsonl:
        for record, by_key in _records_jsonl(text):
            keys = list(by_key)
            rows.append(_row(record, keys, list(by_key.values()), _roles(keys)))
    else:
        columns, delimiter, start = _header(text)
        roles = _roles(columns)
        id_first = columns and columns[0].strip().lower() in ("", "id", "#") and \
            re.match(rf"\d+{re.escape(delimiter)}", text[start:start + 64]) is not None
        records = _records_by_id(text, start, delimiter, len(columns)) if id_first and delimiter == "\t" \
            else _records_csv(text, start, delimiter)
        rows.extend(_row(record, columns, fields, roles) for record, fields in records)
    return rows


def _column_words(name: str) -> str:
    """"sideEffectsReview" -> "side effects review"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").strip()


def _sections(row: Row) -> tuple[Section, ...]:
    """One section per non-empty free-text column, typed by what its name says."""
    c = cues()
    out = []
    for column, f in row.texts:
        if f.span is None or not f.value:
            continue
        span = Span(f.span.start - row.span.start, f.span.end - row.span.start)
        title = _column_words(column).capitalize()
        out.append(Section(title=title, type=c.heading_type(title) or "posts", span=span, body=span))
    return tuple(out)


def _title(post: Post) -> str | None:
    if post.drug is None:
        return None
    return f"Review of {post.drug}" + (f" for {post.condition}" if post.condition else "")


@reader("reviews", sniff=sniff, suffixes=(".tsv", ".csv", ".jsonl"))
def read_reviews(raw: RawFile) -> list[Document]:
    text = raw.text
    jsonl = raw.suffix == ".jsonl" or _jsonl_like(text[:4096])
    try:
        rows = parse_rows(text, jsonl)
    except csv.Error as exc:
        raise ReadError(raw.source, f"malformed table: {exc}") from None
    if not rows:
        raise ReadError(raw.source, "no records found in the review table")
    posts = [_post(row) for row in rows]
    scale = 10 if any((p.rating or 0) > 5 for p in posts) else 5  # the scale is the table's, not the row's
    fmt = "jsonl" if jsonl else ("tsv" if "\t" in text[:4096].split("\n", 1)[0] else "csv")
    documents = []
    for n, (row, post) in enumerate(zip(rows, posts, strict=True), 1):
        post = replace(post, rating_scale=scale)
        drug = post.drug
        documents.append(Document(
            source=raw.source, sha256=raw.sha256, text=text[row.span.start:row.span.end], kind="review",
            format=fmt, title=_title(post), published=post.date, author=post.author, sections=_sections(row),
            posts=(post,), metadata={"subject": drug} if drug else {}, encoding=raw.encoding, notes=raw.notes,
            record=f"row {n}", offset=row.span.start))
    return documents

