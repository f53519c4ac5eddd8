"""extract/blocks.py: a huge document extracted a block at a time."""
from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import blocks, extract, extract_parsed, parse
from materia.extract.sentences import sentence_spans
from materia.types import Document, Extraction, Span

SEEDS = Path(__file__).resolve().parents[2] / "src" / "materia" / "examples" / "seeds"
ITEMS = blocks.block_fields()

# two letters at least: "a." ends no sentence (the splitter reads a lone letter and its period as an initial),
# and sentences run together are no longer the short ones this prose is meant to have
_WORD = st.text(alphabet="abcdefghij", min_size=2, max_size=8)
_SENTENCE = st.builds(lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
                      _WORD, st.lists(_WORD, max_size=12), st.sampled_from([".", "!", "?"]))
_GAP = st.sampled_from([" ", "  ", "\n", "\n\n", " \n\n "])


@st.composite
def _prose(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(_SENTENCE, min_size=1, max_size=80))
    return "".join(s + draw(_GAP) for s in sentences)


@given(st.text(max_size=3000), st.integers(min_value=1, max_value=400))
@settings(max_examples=200, deadline=None)
def test_blocks_cover_the_text_exactly(text: str, size: int) -> None:
    cuts = blocks.cut(text, size)
    assert cuts[0].start == 0 and cuts[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(cuts))
    assert all(0 < b.end - b.start <= size for b in cuts) or text == ""


@given(_prose(), st.integers(min_value=300, max_value=1000))
@settings(max_examples=200, deadline=None)
def test_blocks_never_cut_inside_a_sentence(text: str, size: int) -> None:
    """Sentences of at most about 110 characters: every block's room holds a place between two of them."""
    sentences = sentence_spans(text)
    for block in blocks.cut(text, size)[:-1]:
        assert not any(s.start < block.end < s.end for s in sentences), (block, text[block.end - 20:block.end + 20])


def _document(text: str, kind: str = "article") -> Document:
    return Document(source="big.txt", sha256="0" * 64, text=text, kind=kind, format="text", title=None)  # type: ignore[arg-type]


def _items(x: Extraction) -> dict[str, tuple[object, ...]]:
    return {name: getattr(x, name) for name in ITEMS}


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Blocks of 3,000 characters for documents over 6,000, so a test document is a huge one."""
    monkeypatch.setattr(blocks, "BLOCK_THRESHOLD", 6000)
    monkeypatch.setattr(blocks, "BLOCK_SIZE", 3000)
    return 3000


@pytest.mark.parametrize("kind", ["article", "community"])
def test_blocks_huge_document_items_are_each_blocks_items(small_blocks: int, kind: str) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    document = _document(text, kind)
    assert blocks.huge(document)
    got = extract(document)
    whole = blocks.decide(document)
    cuts = blocks.cut(text, small_blocks)
    assert len(cuts) > 2
    expected: dict[str, list[object]] = {name: [] for name in ITEMS}
    for block in cuts:  # each block's text extracted as a document of its own, its spans moved back
        part = blocks.block_document(document, block)
        assert part.text == text[block.start:block.end]
        found = extract_parsed(parse(part), whole.substance, whole.substances,
                               {"references": blocks._references(whole.references, block)}, whole.covered)
        for name in ITEMS:
            for item in getattr(found, name):
                moved = blocks.shifted(item, block.start)
                assert moved.span.of(text) == item.span.of(part.text)  # the evidence, wherever it is read
                expected[name].append(moved)
    assert _items(got) == {name: tuple(values) for name, values in expected.items()}
    assert sum(len(v) for v in expected.values()) > 20
    assert got.substance == whole.substance and got.references == whole.references
    assert got.posts == document.posts


def test_blocks_spans_point_at_their_evidence(small_blocks: int) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))) * 2
    got = extract(_document(text))
    doses = [d for d in got.doses if d.sentence is not None]
    assert doses
    for d in doses:
        assert d.sentence is not None and d.sentence.contains(d.span)
        assert any(ch.isdigit() for ch in d.span.of(text))
    second_copy = [e for e in got.effects if e.span.start >= len(text) // 2]
    first_copy = [e for e in got.effects if e.span.start < len(text) // 2]
    assert {e.name for e in second_copy} & {e.name for e in first_copy}  # the same text found again, further on


def test_blocks_normal_document_is_extracted_whole() -> None:
    text = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8")
    document = _document(text)
    assert not blocks.huge(document)
    parsed = parse(document)
    got = extract(document)
    assert got.doses == extract_parsed(parsed, got.substance, got.substances, {"references": got.references}).doses


def test_blocks_shifted_moves_every_span() -> None:
    from materia.types import Effect

    effect = Effect("nausea", Span(1, 3), sentence=Span(0, 9), parts=(Span(1, 2), Span(2, 3)))
    assert blocks.shifted(effect, 10) == dataclasses.replace(effect, span=Span(11, 13), sentence=Span(10, 19),
                                                             parts=(Span(11, 12), Span(12, 13)))


def test_blocks_parts_from_a_runner_are_the_parts_in_process(small_blocks: int) -> None:
    from materia.runners import InProcess

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    document = _document(text)
    here = list(blocks.extract_parts(document))
    by_runner = list(blocks.extract_parts(document, runner=InProcess()))
    assert [_items(x) for x in by_runner] == [_items(x) for x in here]
    assert all(x.document is document for x in by_runner)
