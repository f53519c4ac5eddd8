from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from materia.errors import VocabularyError
from materia.extract import parse
from materia.extract import substances
from materia.lexicons.substances import parse_substances
from materia.types import Document, Section, Span


def _doc(text: str, title: str | None = None, sections: tuple[Section, ...] = ()) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text", title=title,
                    sections=sections)


@pytest.mark.parametrize("surface", ["glutamine", "L-glutamine", "L-Glutamine", "Gln", "l glutamine"])
def test_substances_glutamine_synonyms_share_one_name(surface: str) -> None:
    text = f"Take {surface} daily."
    found = substances.find(parse(_doc(text)))
    assert [name for name, _ in found] == ["glutamine"]
    assert found[0][1].of(text) == surface


@pytest.mark.parametrize(("surface", "name"), [("alanyl-glutamine", "alanyl-glutamine"),
                                                ("glutamate", "glutamate"), ("MSG", "monosodium glutamate")])
def test_substances_related_molecules_stay_distinct(surface: str, name: str) -> None:
    assert [n for n, _ in substances.find(parse(_doc(f"Unlike {surface}, it is safe.")))] == [name]


def test_substances_no_match_inside_longer_words() -> None:
    assert substances.find(parse(_doc("glutaminergic and msgs and Glnx"))) == []


def test_substances_main_subject_prefers_title() -> None:
    text = "Creatine is popular. Glutamine helps. Creatine again. Creatine."
    assert substances.main_subject(parse(_doc(text, title="All about L-Glutamine"))) == "glutamine"


def test_substances_main_subject_first_heading_then_frequency() -> None:
    text = "# Zinc\nMagnesium and magnesium and magnesium."
    heading = Section(title="Zinc", type="other", span=Span(0, len(text)), body=Span(6, len(text)))
    assert substances.main_subject(parse(_doc(text, sections=(heading,)))) == "zinc"
    assert substances.main_subject(parse(_doc("magnesium, zinc, magnesium"))) == "magnesium"


def test_substances_main_subject_seeds(seeds: dict[str, Path]) -> None:
    from materia.ingest import read_path
    for path in seeds.values():
        assert substances.main_subject(parse(read_path(str(path)))) == "glutamine"


def test_substances_vocabulary_rejects_unknown_keys() -> None:
    with pytest.raises(VocabularyError):
        parse_substances({"substances": {"x": {"synonyms": ["x"], "colour": "red"}}})
    with pytest.raises(VocabularyError):
        parse_substances({"substances": {}, "extra": 1})
    with pytest.raises(VocabularyError):
        parse_substances({"substances": {"Upper": {"synonyms": ["x"]}}})


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_substances_find_never_raises_and_spans_index_text(text: str) -> None:
    for name, span in substances.find(parse(_doc(text))):
        assert name and 0 <= span.start < span.end <= len(text)


def test_substances_main_subject_of_a_label_is_its_drug() -> None:
    text = "LIPITOR (atorvastatin calcium) tablets. Take 10 mg of atorvastatin calcium once daily."
    doc = Document(source="l.xml", sha256="0", text=text, kind="label", format="spl", title="Lipitor")
    assert substances.main_subject(parse(doc)) == "atorvastatin"
