from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import parse, references
from materia.extract.references import CitationIndex
from materia.types import Document, Reference, Section, Span

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "references"


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


def test_references_run_together_list_after_a_heading() -> None:
    text = ("Body text [2].\n\nReferences^Wu G, Morris SM Jr. Arginine metabolism: nitric oxide and beyond. "
            "Biochem J. 1998 Nov 15;336(Pt 1):1-17.^Boger RH. The pharmacodynamics of L-arginine. J Nutr.(2007 Jun)"
            "^Heyland DK, Novak F, Drover JW, et al. Should immunonutrition become routine in critically ill patients? "
            "A systematic review of the evidence. JAMA. 2001 Aug 22-29;286(8):944-53. PMID: 11509059\n")
    refs = references.find(parse(_doc(text)))
    assert [r.n for r in refs] == [1, 2, 3]
    assert refs[0].authors == ("Wu G", "Morris SM Jr") and refs[0].span.of(text).startswith("Wu G")
    assert (refs[1].journal, refs[1].year, refs[1].volume) == ("J Nutr", 2007, None)
    assert refs[2].title == "Should immunonutrition become routine in critically ill patients? A systematic review of the evidence"
    assert (refs[2].journal, refs[2].year, refs[2].volume, refs[2].pages, refs[2].pmid) == (
        "JAMA", 2001, "286", "944-53", "11509059")


@pytest.mark.parametrize("marker", ["{n}. ", "[{n}] ", "{n}) "])
def test_references_numbered_list_markers(marker: str) -> None:
    lines = ["Smith AB, Jones C. A trial of things. N Engl J Med. 2010;362(9):800-11.",
             "Lee K. Another trial. BMJ. 2011;342:d2901. doi:10.1136/bmj.d2901"]
    text = "\n".join(marker.format(n=n) + line for n, line in enumerate(lines, 1)) + "\n"
    refs = references.find(parse(_doc(text)))
    assert [(r.n, r.journal, r.pages) for r in refs] == [(1, "N Engl J Med", "800-11"), (2, "BMJ", "d2901")]


def test_references_author_year_harvard_and_apa() -> None:
    text = ("Sleep improved (Hill and Blask, 1988; Smith et al., 2019).\n\nReferences\n\n"
            "Hill, S. M., & Blask, D. E. (1988). Effects of melatonin on cancer cells in culture. Cancer Research, "
            "48(21), 6121–6126.\n"
            "Smith J, Doe A (2019). A title. Journal of Things 12:1-9.\n"
            "Herxheimer A, Petrie KJ (2002). Melatonin for jet lag. Cochrane Database Syst Rev (2):CD001520.\n")
    refs = references.find(parse(_doc(text)))
    assert [r.n for r in refs] == [1, 2, 3]
    assert (refs[0].authors, refs[0].year, refs[0].journal, refs[0].volume, refs[0].pages) == (
        ("Hill SM", "Blask DE"), 1988, "Cancer Research", "48", "6121-6126")
    assert (refs[1].authors, refs[1].title, refs[1].journal, refs[1].pages) == (
        ("Smith J", "Doe A"), "A title", "Journal of Things", "1-9")
    assert (refs[2].journal, refs[2].volume, refs[2].pages) == ("Cochrane Database Syst Rev", None, "CD001520")
    assert CitationIndex.of(refs).cited(text.split("\n")[0]) == (1, 2)


def test_references_group_author() -> None:
    ref = references.parse_entry(1, "National Toxicology Program. Toxicology studies of L-arginine in mice. "
                                    "Natl Toxicol Program Tech Rep Ser. 1995;452:1-280.", Span(0, 1))
    assert (ref.authors, ref.title, ref.journal) == (("National Toxicology Program",),
                                                     "Toxicology studies of L-arginine in mice",
                                                     "Natl Toxicol Program Tech Rep Ser")


@pytest.mark.parametrize(("sentence", "cited"), [
    ("It reduced sepsis [12].", (12,)),
    ("It reduced sepsis [3,4] and shock [5-7].", (3, 4, 5, 6, 7)),
    ("It reduced sepsis [5–7].", (5, 6, 7)),
    ("It reduced sepsis \\[12].", (12,)),
    ("It reduced sepsis.¹² It did.", (12,)),
    ("It reduced sepsis.¹⁻³", (1, 2, 3)),
    ("It reduced sepsis.4", (4,)),
    ("Body mass index above 30 kg/m² was common.", ()),
    ("It reduced sepsis (Smith et al., 2019).", (1,)),
    ("Smith and Doe (2019) found it reduced sepsis.", (1,)),
    ("It reduced sepsis (Lee, 2020b; Smith 2019).", (3, 1)),
    ("It reduced sepsis [99].", ()),  # not in the list
])
def test_references_inline_citations(sentence: str, cited: tuple[int, ...]) -> None:
    refs = [Reference(n=1, span=Span(0, 1), authors=("Smith J", "Doe A"), year=2019),
            Reference(n=2, span=Span(0, 1), authors=("Lee K",), year=2020),
            Reference(n=3, span=Span(0, 1), authors=("Lee K",), year=2020),
            *[Reference(n=n, span=Span(0, 1)) for n in range(4, 20)]]
    assert CitationIndex.of(refs).cited(sentence) == cited


def test_references_without_a_list_every_cited_number_counts() -> None:
    assert CitationIndex().cited("It may help reduce muscle wasting [2, 3].") == (2, 3)


def test_references_research_summaries_parse_as_written_by_hand(repo_module: Callable[[str], ModuleType]) -> None:
    """Entries whose every field matches the hand-written parse (*.expected.yaml): at least 90%."""
    for stem, score in repo_module("bench/findings.py").score_references().items():
        assert score["found"] == score["n"] and score["entries"] >= 0.9, (stem, score)


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
