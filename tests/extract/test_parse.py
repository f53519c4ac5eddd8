"""parse.py: section_at answers exactly as Document.section_at; lowering in pieces equals lowering at once;
sentences stay inside sections."""
from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from materia.extract.parse import parse
from materia.types import Document, Section, Span

SPANS = st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda t: Span(t[0], t[0] + t[1]))
SECTIONS = st.lists(SPANS.map(lambda sp: Section("t", "other", sp, sp)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(sections=SECTIONS)
def test_parse_section_at_matches_document_section_at(sections):
    doc = Document(source="x", sha256="0", text="x" * 100, kind="article", format="text", sections=tuple(sections))
    parsed = parse(doc)
    for offset in range(-1, 102):
        assert parsed.section_at(offset) is doc.section_at(offset)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from([*list("aAΣσς \n\tİiß-.Ω"), "ͅ", "x"]), max_size=80),
       piece=st.integers(1, 12))
def test_parse_lower_same_length_is_lower_in_pieces(monkeypatch_piece, text, piece):
    parse_module = importlib.import_module("materia.extract.parse")  # the package re-exports parse()

    monkeypatch_piece(parse_module, piece)
    got = parse_module.lower_same_length(text)
    expected = "".join(c if len(c.lower()) != 1 else c.lower() for c in text) if "\u0130" in text else text.lower()
    assert got == expected and len(got) == len(text)


@pytest.fixture
def monkeypatch_piece():
    """Set parse._PIECE for one example (hypothesis reuses a function-scoped fixture across examples)."""
    saved: list[tuple[object, int]] = []

    def set_piece(module, size: int) -> None:
        saved.append((module, module._PIECE))
        module._PIECE = size

    yield set_piece
    for module, size in reversed(saved):
        module._PIECE = size


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="abc ", max_size=60), keys=st.lists(st.text(alphabet="abc ", min_size=1, max_size=6),
                                                                  min_size=1, max_size=6),
       piece=st.integers(1, 10))
def test_parse_automaton_iter_in_pieces_reports_every_match_once(monkeypatch_piece, text, keys, piece):
    import ahocorasick

    parse_module = importlib.import_module("materia.extract.parse")
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, key)
    automaton.make_automaton()
    expected = list(automaton.iter(text))
    monkeypatch_piece(parse_module, piece)
    assert list(parse_module.automaton_iter(automaton, text)) == expected


def test_parse_no_sentence_crosses_a_section() -> None:
    # a review table's row: the columns one after another, no full stop between the rating and the first words
    text = "2314\tlexapro\t7\tfelt better\ttakin 100mg per day, no sex drive"
    benefits, side_effects = Span(15, 26), Span(27, len(text))
    sections = (Section("Benefits review", "usage", benefits, benefits),
                Section("Side effects review", "side_effects", side_effects, side_effects))
    parsed = parse(Document(source="r.tsv", sha256="", text=text, kind="community", format="tsv", sections=sections))
    assert [text[s.start:s.end] for s in parsed.sentences] == ["2314\tlexapro\t7", "felt better",
                                                              "takin 100mg per day, no sex drive"]


_CASE_TEXT = st.text(alphabet=st.sampled_from([*"aAiIsSkK \n-.", "\u0130", "\u0131", "\u017f", "\u212a", "µ", "Σ"]),
                     max_size=40)
_CASE_PATTERNS = [r"\bis\b", "k+i", r"[a-z]+s", r"(?<![\w-])as(?:k|i)?", r"\x41", "(?-i:a)", "µ", r"(\w)\1"]


@settings(max_examples=300, deadline=None)
@given(text=_CASE_TEXT)
def test_parse_lowered_for_finds_what_ignorecase_finds(text):
    from materia.extract.parse import lowered_for

    patterns = tuple(re.compile(p, re.IGNORECASE) for p in _CASE_PATTERNS)
    faster, lowered = lowered_for(patterns, text)
    for pattern, fast in zip(patterns, faster, strict=True):
        assert [m.span() for m in fast.finditer(lowered)] == [m.span() for m in pattern.finditer(text)]
    parsed = parse(Document(source="x", sha256="0", text=text, kind="article", format="text"))
    for pattern in patterns:
        for start in range(0, len(text) + 1, 7):
            got, expected = parsed.search(pattern, start, len(text)), pattern.search(text, start, len(text))
            assert (got and got.span()) == (expected and expected.span())
