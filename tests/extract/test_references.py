from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from materia.extract import parse
from materia.extract import references
from materia.types import Document, Reference, Section, Span

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "references"


def _doc(text: str, sections: tuple[Section, ...] = ()) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text", sections=sections)


def _as_json(refs: list[Reference]) -> list[dict[str, object]]:
    return [{"n": r.n, "authors": list(r.authors), "title": r.title, "journal": r.journal, "year": r.year,
             "volume": r.volume, "pages": r.pages, "pmid": r.pmid, "doi": r.doi, "span": r.span.as_list()}
            for r in refs]


def test_references_vancouver_colon_style() -> None:
    text = ("Intro text.\n\n"
            "  1. Alpha AB et al. A study of things. Proc Natl Acad Sci U S A 94: 1967–1972, 1997\n"
            "  2. Beta C, Gamma DE. Another study. Nutrition 15: 860-864, 1999\n")
    refs = references.find(parse(_doc(text)))
    assert [r.n for r in refs] == [1, 2]
    first = refs[0]
    assert first.authors == ("Alpha AB",)
    assert (first.journal, first.year, first.volume, first.pages) == ("Proc Natl Acad Sci U S A", 1997, "94", "1967-1972")
    assert refs[1].authors == ("Beta C", "Gamma DE")
    assert first.span.of(text).startswith("1. Alpha") and first.span.of(text).endswith("1997")


def test_references_nlm_style_with_doi_and_pmid() -> None:
    text = ("References\n"
            "1. Smith AB, Jones CD, van der Berg E. Does it work? J Abbr. 1997;94(5):1967-72. "
            "doi:10.1000/xyz.123. PMID: 12345678\n"
            "2. Lee K, Park J-H. Title here. N Engl J Med. 2010 Mar 4;362(9):800-11.\n")
    refs = references.find(parse(_doc(text)))
    assert refs[0].authors == ("Smith AB", "Jones CD", "van der Berg E")
    assert refs[0].title == "Does it work?"
    assert (refs[0].journal, refs[0].year, refs[0].volume, refs[0].pages) == ("J Abbr", 1997, "94", "1967-72")
    assert (refs[0].doi, refs[0].pmid) == ("10.1000/xyz.123", "12345678")
    assert (refs[1].journal, refs[1].year, refs[1].volume) == ("N Engl J Med", 2010, "362")


def test_references_prose_numbered_list_is_not_a_bibliography() -> None:
    text = "How to take it:\n1. Mix the powder in water.\n2. Drink it with food.\n3. Repeat in 1997 if needed.\n"
    assert references.find(parse(_doc(text))) == []


def test_references_section_typed_references_counts_any_numbered_run() -> None:
    text = "Sources\n1. Some web page about glutamine\n2. Another page\n"
    section = Section(title="Sources", type="references", span=Span(0, len(text)), body=Span(8, len(text)))
    refs = references.find(parse(_doc(text, (section,))))
    assert [r.n for r in refs] == [1, 2]


def test_references_broken_numbering_splits_runs() -> None:
    text = "1. Alpha AB. T. J A 1: 1-2, 1990\n3. Beta C. T. J B 2: 3-4, 1991\n"
    refs = references.find(parse(_doc(text)))
    assert [r.n for r in refs] == [1, 3]  # two runs of one, each still a citation


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_references_golden(case: str, assert_golden) -> None:
    text = (GOLDEN / f"{case}.txt").read_text(encoding="utf-8")
    got = _as_json(references.find(parse(_doc(text))))
    assert_golden(GOLDEN / f"{case}.json", got)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_references_never_raise_and_spans_index_text(text: str) -> None:
    for ref in references.find(parse(_doc(text))):
        assert 0 <= ref.span.start < ref.span.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=6))
def test_references_numbered_lines_never_raise(lines: list[str]) -> None:
    text = "\n".join(f"{i + 1}. {line}" for i, line in enumerate(lines))
    for ref in references.find(parse(_doc(text))):
        assert ref.span.of(text)
