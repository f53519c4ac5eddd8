"""Markdown, with or without YAML front matter.

`Document.text` is the whole file as decoded, so offsets index the raw file (front matter
included); markdown-it gives the heading lines, safe YAML without aliases the metadata.
"""
from __future__ import annotations

import bisect
import re
from datetime import date, datetime

import yaml
from markdown_it import MarkdownIt

from materia.ingest.cues import cues
from materia.ingest.registry import RawFile, reader
from materia.ingest.structure import guess_kind, parse_date, split_disclaimers, stated_fields
from materia.types import Document, DocumentKind, Section, SectionType, Span

_FRONT = re.compile(r"\A(?:\ufeff)?---[^\S\n]*\r?\n(?P<yaml>.*?\r?\n)?---[^\S\n]*(?:\r?\n|\Z)", re.S)
_FRONT_MAX = 256 * 1024  # characters of front matter read; real front matter is a few lines
_NEWLINE = re.compile(r"\r\n?|\n")
_ATX = re.compile(r"^#{1,6}[^\S\n]+\S", re.M)
_MONOGRAPH_LAYOUT = re.compile(r"medicine|monograph|drug|supplement|herb", re.I)
# Blocks only: headings and their lines are all that is read (a heading's title is its inline token's raw
# content); parsing the inline markup too was a third of the reader's time. text_join only joins inline children.
_MD = MarkdownIt("commonmark").disable(["inline", "text_join"])
# A body whose every line is blank, an ATX heading at the margin, or text or a list item whose first character
# opens no other block (no quote, fence, code, HTML, rule, setext underline, link definition or heading inside
# a list) has exactly its ATX lines for headings, and markdown-it is not needed to find them. This matches the
# first line that is none of those; a list nests too shallowly (eight spaces at most) to reach markdown-it's
# nesting limit, past which it drops the rest of the text.
_OPENS_BLOCK = r"[#>*+\-_=<`~\[]|\d{1,9}[.)](?:[ \t]|$)"
_LIST_MARKER = r"(?:[-*+]|\d{1,9}[.)])[ \t]+"
_UNPLAIN_LINE = re.compile(
    rf"^(?![ \t]*$|#{{1,6}}(?:[ \t]|$)| {{0,8}}(?:{_LIST_MARKER})?(?!{_OPENS_BLOCK})[^ \t\n])", re.M)
_ATX_LINE = re.compile(r"^(#{1,6})(?:[ \t][^\n]*)?$", re.M)


def sniff(raw: RawFile) -> bool:
    """Front matter fenced by --- lines, or at least two ATX headings."""
    m = _FRONT.match(raw.text)
    if m is not None and re.search(r"^\w[\w-]*:", m.group(0)[3:], re.M):
        return True
    return raw.suffix in (".md", ".markdown") or len(_ATX.findall(raw.text, 0, 200_000)) >= 2


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without aliases: `*name` can multiply a few hundred bytes into gigabytes
    (a "billion laughs"), and front matter has no use for them."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed in front matter", mark)
        return super().compose_node(parent, index)


# Front matter libyaml reads exactly as the pure-Python loader does, about six times as fast: printable ASCII
# lines, no tab, no alias ("*", which _FrontMatterLoader refuses), no flow collection, tag, directive or escape
# (where the two scanners' corner cases differ), and shallow: a node is nested at most about twice as deep as the
# longest run of spaces and dashes opening a line, and libyaml's reader recurses in C without Python's limit
# (a line of 100,000 "- " crashes the process; the Python loader says "nested too deeply").
_PLAIN_YAML = re.compile(r"[\n\x20-\x7e]*")
_NOT_PLAIN_YAML = frozenset("*[]{}!%\\|>")
_DEEP_YAML = re.compile(r"^[ -]{48}", re.M)


def _plain_yaml(yaml_text: str) -> bool:
    return (_PLAIN_YAML.fullmatch(yaml_text) is not None and _NOT_PLAIN_YAML.isdisjoint(yaml_text)
            and _DEEP_YAML.search(yaml_text) is None)


def _front_matter(yaml_text: str) -> dict[str, object]:
    """The fields of front matter; raises yaml.YAMLError (or RecursionError) when unreadable."""
    fast = yaml.__with_libyaml__ and _plain_yaml(yaml_text)
    try:
        loaded = yaml.load(yaml_text, Loader=yaml.CSafeLoader if fast else _FrontMatterLoader)  # both safe loaders
    except yaml.YAMLError:
        if not fast:
            raise
        loaded = yaml.load(yaml_text, Loader=_FrontMatterLoader)  # what is wrong, in the pure-Python loader's words
    return dict(loaded) if isinstance(loaded, dict) else {}


def _metadata(text: str) -> tuple[dict[str, object], int, tuple[str, ...]]:
    """Front-matter fields (safe YAML), where the Markdown body starts, and a note when the fields were unreadable."""
    m = _FRONT.match(text)
    if m is None:
        return {}, 0, ()
    yaml_text = m.group("yaml") or ""
    if len(yaml_text) > _FRONT_MAX:
        return {}, m.end(), (f"front matter ignored: over {_FRONT_MAX // 1024} KiB",)
    try:
        meta = _front_matter(yaml_text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or type(exc).__name__
        return {}, m.end(), (f"front matter ignored: {problem}",)
    except RecursionError:
        return {}, m.end(), ("front matter ignored: nested too deeply",)
    return meta, m.end(), ()


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value)) if value else None


def _line_starts(text: str) -> list[int]:
    """Where each line starts, counting lines as markdown-it does (\r\n, \r and \n end a line)."""
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return starts


def _headings(body: str) -> list[tuple[int, int, int, str]]:
    """(first line, line after, level, title) of each heading of a Markdown body, lines counted from 0, as
    markdown-it reads them (a setext heading takes more than one line)."""
    if "\r" in body or "\0" in body or _UNPLAIN_LINE.search(body):  # markdown-it normalises line ends and NULs
        tokens = _MD.parse(body)
        return [(tok.map[0], tok.map[1], int(tok.tag[1]), tokens[i + 1].content.strip()) for i, tok in enumerate(tokens)
                if tok.type == "heading_open" and tok.map is not None]
    heads = []
    line, counted = 0, 0
    for m in _ATX_LINE.finditer(body):
        line += body.count("\n", counted, m.start())
        counted = m.start()
        heads.append((line, line + 1, len(m.group(1)), _atx_title(m.group(0)[len(m.group(1)):]).strip()))
    return heads


def _atx_title(content: str) -> str:
    """An ATX heading's text after its opening #s, as markdown-it's heading rule cuts it: trailing spaces and
    tabs off, then a closing run of #s that a space or tab precedes."""
    content = content.rstrip(" \t")
    unclosed = content.rstrip("#")
    return unclosed if unclosed != content and unclosed[-1:] in (" ", "\t") else content


def markdown_sections(text: str, body_start: int) -> list[Section]:
    """One section per heading, running to the next heading; types from the heading words."""
    c = cues()
    lines = _line_starts(text)
    first_line = bisect.bisect_left(lines, body_start) if body_start < len(text) else len(lines)
    heads: list[tuple[int, int, int, str]] = []  # start, end of heading line, level, title
    for head_line, after_line, level, title in _headings(text[body_start:]):
        start = lines[first_line + head_line]
        end_line = first_line + after_line
        end = lines[end_line] - 1 if end_line < len(lines) else len(text)
        heads.append((start, max(start, end), level, title))
    sections: list[Section] = []
    inherited: SectionType = "other"
    for i, (start, head_end, level, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        while end > head_end and text[end - 1].isspace():  # not text[:end].rstrip(): a copy per heading
            end -= 1
        end = max(end, head_end)
        # a level-1 heading is the page's title: it names the whole page, not one part
        named = None if title.endswith("?") or level == 1 else c.heading_type(title)
        kind: SectionType = named or (inherited if level > 2 and sections else "other")
        if named:
            inherited = named
        body_start = min(head_end + 1, end)
        while body_start < end and text[body_start].isspace():
            body_start += 1
        sections.append(Section(title=title, type=kind, span=Span(start, end), body=Span(body_start, end),
                                level=level))
    return split_disclaimers(text, sections)


@reader("markdown", sniff=sniff, suffixes=(".md", ".markdown"))
def read_markdown(raw: RawFile) -> Document:
    text = raw.text
    meta, body_start, notes = _metadata(text)
    sections = markdown_sections(text, body_start)
    title = str(meta["title"]) if meta.get("title") else next((s.title for s in sections if s.level == 1), None)
    kind: DocumentKind = guess_kind(sections)
    layout = str(meta.get("layout") or meta.get("type") or "")
    types = {s.type for s in sections}
    if _MONOGRAPH_LAYOUT.search(layout) or {"dosage", "side_effects"} <= types:
        kind = "monograph"
    modified = _date(meta.get("modified") or meta.get("updated") or meta.get("lastmod") or meta.get("date"))
    published = _date(meta.get("date") or meta.get("published"))
    author = str(meta["author"]) if meta.get("author") else None
    metadata = {str(k): "; ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in meta.items()}
    metadata.update(_subject_fields(meta, text, monograph=bool(_MONOGRAPH_LAYOUT.search(layout))))
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind=kind, format="markdown", title=title,
                    modified=modified, published=published, author=author, sections=tuple(sections),
                    metadata=metadata, encoding=raw.encoding,
                    notes=(*raw.notes, *notes))


def _subject_fields(meta: dict[str, object], text: str, monograph: bool) -> dict[str, str]:
    """metadata["subject"]: front matter `substance`, else the "Generic Name" field, else, on a page whose
    layout says it is a monograph, its front-matter title (a blog post's title is a headline, not a name)."""
    fields = stated_fields(text)
    if meta.get("substance"):
        fields["subject"] = str(meta["substance"])
    elif "subject" not in fields and monograph and meta.get("title"):
        fields["subject"] = str(meta["title"])
    return fields
