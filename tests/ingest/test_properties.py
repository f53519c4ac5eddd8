"""Every reader, on any text: Documents whose spans index their text, or a ReadError.

A record's text stands at its `offset` in the file's text (PubTator blanks its PMID prefixes)."""
from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from materia.errors import ReadError
from materia.ingest import READERS, RawFile
from materia.types import Document

# text shaped like what the readers look for, mixed with arbitrary Unicode
FRAGMENTS = st.sampled_from([
    "\n", "\n\n", "\t", "\r\n", "---\n", "title: X\n", "### Dosage\n", "# T\n", "Side Effects\n", "Posted by A (B) on 01/02/2020 3 posts\n",
    "★★★\n", "Editor's Choice\n", "1. Smith J. Title. J Med 1: 1-2, 2001\n", "This content was checked for accuracy.\n",
    "\tdrug\trating\treview\n", "12\tzinc\t7\tgood\n", '{"drug": "x", "rating": 3, "review": "ok"}\n',
    "<html><body><p>", "</p></body></html>", '<document xmlns="urn:hl7-org:v3">', "<section><title>",
    "</title></section>", '{"adverse_reactions": ["6 ADVERSE REACTIONS\\nrash"]}', "Modified on Dec 01, 2025\n",
    "1|t|Lithium toxicity.\n", "1|a|It caused flutter.\n", "1\t0\t7\tLithium\tChemical\tD008094\n",
])
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=25).map("".join)


def check(doc: Document, raw: RawFile) -> None:
    n = len(doc.text)
    if doc.record is not None and doc.format in ("tsv", "csv", "jsonl", "pubtator"):
        where = raw.text[doc.offset:doc.offset + n]
        assert len(where) == n and all(a == b or a == " " for a, b in zip(doc.text, where, strict=True))
    for s in doc.sections:
        assert 0 <= s.span.start <= s.span.end <= n
        assert s.span.contains(s.body)
    for p in doc.posts:
        assert 0 <= p.span.start <= p.span.end <= n
        if p.body is not None:
            assert p.body.end <= n


@pytest.mark.parametrize("entry", READERS, ids=lambda e: e.name)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_properties_readers_never_raise_and_spans_index_text(entry, text):
    data = text.encode("utf-8", errors="surrogatepass")
    raw = RawFile(f"t{(entry.suffixes or ('.txt',))[0]}", data, text, "utf-8", hashlib.sha256(data).hexdigest())
    try:
        read = entry.read(raw)
    except ReadError:
        return
    for doc in read if isinstance(read, list) else [read]:
        check(doc, raw)


_MOJIBAKE_CHARS = "ÃÂÎÐ€œŠš¢£Ÿž\xa0\xad®©°·»–—´×²³ØÙàµ¹¼½¾√±∂†≠™≤≥¥ø≈‚Äìîïòôúùûπâóäêв ЂВГРСўΒΓΞΟβΆā\x85\x92"


@given(st.text(alphabet=st.sampled_from(_MOJIBAKE_CHARS + "abcXYZ.,?!' \n\t1"), max_size=60))
@settings(max_examples=3000)
def test_properties_mojibake_check_is_ftfys_heuristic(text):
    """Searching only around the non-ASCII characters flags what ftfy's heuristic flags on the whole."""
    from ftfy.badness import is_bad

    from materia.ingest.decode import _looks_bad

    assert _looks_bad(text) == is_bad(text)
    padded = "plain words " * 3 + text + " and more plain words" * 3  # pieces that start mid-text
    assert _looks_bad(padded) == is_bad(padded)
