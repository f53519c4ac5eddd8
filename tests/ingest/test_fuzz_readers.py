"""Fuzzing every reader: whatever the bytes, a Document whose spans index its text, or a ReadError, quickly.

Inputs are shaped like each format (SPL and TAC XML, openFDA JSON, review tables, HTML, Markdown with
front matter, community pages, plain text), then damaged (cut, spliced, duplicated) and encoded in the
ways files arrive (UTF-8 with or without BOM, UTF-16/32, cp1252, stray bytes). The normal suite runs a
few hundred cases; `bench/fuzz_readers.py` runs 10,000 (MATERIA_FUZZ_EXAMPLES).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits import time_limit

from materia.errors import ReadError
from materia.ingest import READERS, RawFile, read_documents
from materia.settings import Settings
from materia.types import Document

EXAMPLES = int(os.environ.get("MATERIA_FUZZ_EXAMPLES", "0")) or None
CASE_SECONDS = 20  # one read taking longer than this is a hang (the slowest real reads take well under 1 s)

WORDS = st.sampled_from([
    "magnesium", "400 mg", "daily", "nausea", "headache", "Take", "with food", ".", ",", "\n", "\n\n", " ", "\t",
    "Side Effects", "Dosage", "Posted by", "&amp;", "&lt;", "]]>", "<", ">", "\"", "'", "---", "#", "*", "&",
    "é", "ï", "\u2019", "\u2013", "\ufeff", "\u00a0", "\u2028", "\x00", "\x1b", "\r", "\r\n", "𝔘", "\ud800",
])
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=12).map(" ".join)
LOINC = st.sampled_from(["34084-4", "34067-9", "34068-7", "43685-7", "34071-1", "42229-5", "9999-9", ""])


def _xml_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def spl_xml(draw: st.DrawFn) -> str:
    def section(depth: int) -> str:
        inner = "".join(section(depth + 1) for _ in range(draw(st.integers(0, 2 if depth < 3 else 0))))
        return (f'<component><section><code code="{draw(LOINC)}" codeSystem="2.16.840.1.113883.6.1"/>'
                f"<title>{_xml_text(draw(TEXT))}</title><text><paragraph>{_xml_text(draw(TEXT))}</paragraph>"
                f"<list><item>{_xml_text(draw(TEXT))}</item></list></text>{inner}</section></component>")

    body = "".join(section(0) for _ in range(draw(st.integers(0, 3))))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<document xmlns="urn:hl7-org:v3"><title>{_xml_text(draw(TEXT))}'
            f"</title><component><structuredBody>{body}</structuredBody></component></document>\n")


@st.composite
def tac_xml(draw: st.DrawFn) -> str:
    sections = "".join(f'<Section name="{_xml_text(draw(TEXT)).replace(chr(34), "")}" id="S{i}">{_xml_text(draw(TEXT))}'
                       "</Section>" for i in range(draw(st.integers(0, 3))))
    return f'<?xml version="1.0"?>\n<Label drug="{draw(st.sampled_from(["x", "zinc", ""]))}"><Text>{sections}</Text></Label>\n'


@st.composite
def ddi_xml(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(["DrugBank", "MedLine", "Other"]))
    sentences = "".join(f'<sentence id="s{i}" text="{_xml_text(draw(TEXT)).replace(chr(34), "")}">'
                        f'<entity id="s{i}.e0" charOffset="0-3" type="drug" text="{_xml_text(draw(TEXT))[:8]}"/>'
                        "</sentence>" for i in range(draw(st.integers(0, 4))))
    return f'<?xml version="1.0"?>\n<document id="DDI-{source}.d1">{sentences}</document>\n'


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=8)


@st.composite
def openfda_json(draw: st.DrawFn) -> str:
    keys = st.sampled_from(["adverse_reactions", "indications_and_usage", "boxed_warning", "openfda",
                            "dosage_and_administration", "package_label_principal_display_panel", "spl_id"])
    return json.dumps(draw(st.dictionaries(keys, JSON_VALUES | st.lists(TEXT, max_size=3), min_size=1, max_size=5)),
                      ensure_ascii=draw(st.booleans()))


@st.composite
def review_table(draw: st.DrawFn) -> str:
    columns = draw(st.lists(st.sampled_from(["", "urlDrugName", "drug", "rating", "condition", "review",
                                             "benefitsReview", "sideEffects", "date", "usefulCount"]),
                            min_size=3, max_size=6))
    if draw(st.booleans()):
        rows = [json.dumps({c: draw(TEXT | st.integers(-5, 15)) for c in columns}) for _ in range(draw(st.integers(0, 4)))]
        return "\n".join(rows) + "\n"
    sep = draw(st.sampled_from(["\t", ",", ";"]))
    lines = [sep.join(columns)]
    lines += [sep.join(draw(TEXT | st.sampled_from(["3", "10", '"quoted, text"'])) for _ in columns)
              for _ in range(draw(st.integers(0, 4)))]
    return "\n".join(lines) + "\n"


@st.composite
def html(draw: st.DrawFn) -> str:
    tags = st.sampled_from(["div", "p", "span", "section", "article", "ul", "li", "table", "tr", "td", "h2", "b"])

    def node(depth: int) -> str:
        if depth > 6 or draw(st.integers(0, 3)) == 0:
            return _xml_text(draw(TEXT))
        tag = draw(tags)
        return f"<{tag}>" + "".join(node(depth + 1) for _ in range(draw(st.integers(1, 3)))) + (
            f"</{tag}>" if draw(st.integers(0, 5)) else "")

    deep = draw(st.sampled_from([0, 0, 0, 255, 300]))
    body = "<div>" * deep + node(0) + "</div>" * draw(st.integers(0, deep))
    return (f"<!DOCTYPE html><html><head><title>{_xml_text(draw(TEXT))}</title></head><body>"
            f"<main><h1>{_xml_text(draw(TEXT))}</h1>{body}</main></body></html>\n")


@st.composite
def markdown(draw: st.DrawFn) -> str:
    yaml_lines = st.sampled_from(["title: Zinc", "date: 2020-01-02", "a: &x [1, 2]", "b: *x", "c: [*x, *x]",
                                  "tags: [a, b", "x: {y: 1}", "- item", "? complex", "!!python/object:os.system x",
                                  "'unclosed", "key: |", "  block", "date: 31/02/2020", "layout: monograph"])
    front = "---\n" + "\n".join(draw(st.lists(yaml_lines | TEXT, max_size=6))) + "\n---\n" if draw(st.booleans()) else ""
    parts = draw(st.lists(st.sampled_from(["# ", "## ", "### ", "", "- ", "1. ", "> ", "```\n"]).flatmap(
        lambda mark: TEXT.map(lambda t: mark + t)), max_size=8))
    return front + "\n\n".join(parts) + "\n"


@st.composite
def community(draw: st.DrawFn) -> str:
    posts = [f"{draw(TEXT)}\nPosted by {draw(st.sampled_from(['Ann', 'B b', '']))} ({draw(TEXT)}) on "
             f"{draw(st.sampled_from(['01/02/2020', 'Dec 1, 2019', '2020-13-45', '99/99/9999']))}"
             f"{draw(st.sampled_from(['', ' 3 posts', ' 1,000 posts']))}\n{draw(TEXT)}\n"
             for _ in range(draw(st.integers(1, 4)))]
    return draw(TEXT) + "\n\n" + "\n".join(posts)


SHAPED = {"label": spl_xml(), "tac-label": tac_xml(), "ddi-xml": ddi_xml(), "openfda": openfda_json(), "reviews": review_table(),
          "html": html(), "markdown": markdown(), "community": community(), "text": TEXT}
ANY_SHAPE = st.one_of(*SHAPED.values())


@st.composite
def damaged(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """`base` text cut, spliced with noise or with a copy of itself, a few times."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, len(text)))
        text = draw(st.sampled_from([text[:i], text[:i] + draw(TEXT) + text[i:], text[:j] + text[i:],
                                     text[:i] + text[j:]]))
    return text


def encoded(text: str, how: str, stray: list[tuple[int, int]]) -> bytes:
    if how in ("cp1252", "latin-1"):
        data = text.encode(how, errors="replace")
    else:
        data = text.encode(how, errors="surrogatepass")
    for position, byte in stray:  # stray bytes, as from a truncated copy or a bad paste
        k = position % (len(data) + 1)
        data = data[:k] + bytes([byte]) + data[k:]
    return data


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252",
                             "latin-1"])
STRAY = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0x80, 0xFF)), max_size=2)


def check(doc: Document) -> None:
    """Everything a Document points at lies inside its text; notes are single lines."""
    n = len(doc.text)
    assert isinstance(doc.text, str)
    for s in doc.sections:
        assert 0 <= s.span.start <= s.span.end <= n
        assert s.span.contains(s.body)
    for p in doc.posts:
        assert 0 <= p.span.start <= p.span.end <= n
        if p.body is not None:
            assert 0 <= p.body.start <= p.body.end <= n
    for note in doc.notes:
        assert isinstance(note, str) and "\n" not in note
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in doc.metadata.items())


def fuzz_settings(default: int) -> settings:
    return settings(max_examples=EXAMPLES or default, deadline=None, derandomize=EXAMPLES is None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("entry", READERS, ids=lambda e: e.name)
@fuzz_settings(30)
@given(data=st.data())
def test_fuzz_readers_each_reader_on_shaped_and_damaged_input(entry, data):
    text = data.draw(damaged(SHAPED.get(entry.name, ANY_SHAPE) | ANY_SHAPE))
    raw_bytes = text.encode("utf-8", errors="surrogatepass")
    suffix = (entry.suffixes or (".txt",))[0]
    raw = RawFile(f"fuzz{suffix}", raw_bytes, text, "utf-8", hashlib.sha256(raw_bytes).hexdigest())
    with time_limit(CASE_SECONDS):
        try:
            read = entry.read(raw)
        except ReadError:
            return
    for doc in read if isinstance(read, list) else [read]:  # many-record readers give one per record
        check(doc)


@fuzz_settings(150)
@given(text=damaged(ANY_SHAPE), how=ENCODINGS, stray=STRAY,
       suffix=st.sampled_from([".txt", ".md", ".html", ".xml", ".json", ".tsv", ".csv", ".jsonl", ""]))
def test_fuzz_readers_read_path_on_any_bytes(tmp_path_factory, text, how, stray, suffix):
    path = Path(tmp_path_factory.mktemp("fuzz", numbered=True)) / f"input{suffix}"
    path.write_bytes(encoded(text, how, stray))
    with time_limit(CASE_SECONDS):
        try:
            documents = read_documents(str(path), Settings(max_file_mb=1))
        except ReadError as exc:
            assert exc.path == str(path) and exc.reason and "\n" not in exc.reason
            return
    for doc in documents:
        check(doc)
