"""parse.py: section_at answers exactly as Document.section_at; lowering in pieces equals lowering at once;
sentences stay inside sections."""
from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
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


# patterns of the shapes required_words reads: literal runs, groups, repeats, branches (with a shared prefix, an
# empty branch, an optional part), classes, look-arounds, case said inside, characters beyond ASCII
_WORD_PATTERNS = [r"\bon an empty stomach\b", r"(?:be|a)(?:fore|tween) meals?", r"kicks? in|works?\b",
                  r"(?:ab|ac)+c", r"x(?:yz|)q", r"(?<=k)is[^.]{0,3}?as", r"(?i:K)i", "(?-i:A)s", "–s|s–", r"\d+ ?mg",
                  r"(?P<d>(?:a few|\d+) days?)", r"(?:s|S)k{2,}"]
_WORD_TEXT = st.lists(st.sampled_from(["on", "an", "empty", "stomach", "be", "fore", "tween", "a", "meals", "meal",
                                       "kick", "kicks", "in", "work", "works", "ab", "ac", "c", "x", "yz", "q", "k",
                                       "is", "as", "s", "i", "–", "2", "mg", "few", "day", "days", " ", ".", "\n",
                                       "A", "S", "K", "I", "\u0130", "\u0131", "\u017f", "\u212a", "Σ"]),
                      max_size=8).map("".join)


@settings(max_examples=1000, deadline=None)
@given(text=_WORD_TEXT, case=st.booleans())
@example(text="xq", case=False).via("an empty branch requires nothing")
@example(text="kick in", case=True).via("an optional letter inside a word")
@example(text="\u212aIs", case=True).via("the Kelvin sign lowers to k")
def test_parse_may_match_whenever_the_pattern_matches(text, case):
    """A precheck of required words never skips a text the pattern finds something in."""
    from materia.extract.parse import may_match, required_words

    for source in _WORD_PATTERNS:
        pattern = re.compile(source, re.IGNORECASE if case else 0)
        if pattern.search(text):
            assert may_match(required_words(pattern), text), (source, text)


def test_parse_required_words_of_statement_rules() -> None:
    """Every statement rule has words to look for first (else its precheck would skip nothing), and a text holding
    a rule's match holds them."""
    from materia.extract.parse import may_match, required_words
    from materia.lexicons.cues import statement_rules

    for _, _, pattern in statement_rules():
        assert required_words(pattern)
    assert required_words(re.compile(r"(?:kicks? in|works?)\b", re.IGNORECASE)) == (
        frozenset({"kick", "work"}),)
    assert not may_match(required_words(re.compile("on an empty stomach", re.IGNORECASE)), "On an Empty belly")
    assert may_match(required_words(re.compile("on an empty stomach", re.IGNORECASE)), "ON AN EMPTY STOMACH")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([*"abcdefghijklmnoprstuvwy -–.,0123456789", "İ", "ı", "ſ", "K"]),
                    max_size=80), index=st.integers(0, 19))
def test_parse_may_match_statement_rules(text, index):
    from materia.extract.parse import may_match, required_words
    from materia.lexicons.cues import statement_rules

    _, _, pattern = statement_rules()[index % len(statement_rules())]
    if pattern.search(text):
        assert may_match(required_words(pattern), text)
