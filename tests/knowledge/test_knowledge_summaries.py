"""Summaries: the monograph stored per substance at ingest, read back typed, paged, rebuilt when stale."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from materia.errors import NotFoundError
from materia.knowledge import Citation, Claim, KnowledgeBase, Monograph, MonographSection
from materia.knowledge import summaries as summary_rules
from materia.knowledge.summaries import ALIASES, HEAD, HEAD_CITATIONS, HEAD_CLAIMS, MONOGRAPH, summary_format
from materia.pipeline import ingest
from materia.serialise import dumps, from_json, to_json
from materia.settings import Settings
from materia.types import Document, Effect, Extraction, Span

EFFECTS = [f"effect {n}" for n in range(HEAD_CLAIMS + 35)]


def _many_effects(source: str, n_effects: int = len(EFFECTS)) -> Extraction:
    """A document naming many side effects, one sentence each."""
    sentences = [f"Zinc may cause {name}." for name in EFFECTS[:n_effects]]
    text = " ".join(sentences)
    effects, at = [], 0
    for name, sentence in zip(EFFECTS, sentences, strict=False):
        start = text.index(sentence, at)
        effects.append(Effect(name, Span(start + 15, start + len(sentence) - 1),
                              sentence=Span(start, start + len(sentence))))
        at = start + len(sentence)
    doc = Document(source=source, sha256=source, text=text, kind="article", format="text", title="Zinc")
    return Extraction(document=doc, substance="zinc", effects=tuple(effects))


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    from materia.store import connect

    with KnowledgeBase(connect(str(tmp_path / "kb.sqlite")), cache_size=0) as kb:
        yield kb


def test_summaries_round_trip_the_monograph_exactly(monograph: Monograph) -> None:
    parts = summary_rules.parts(monograph, ["galzin"])
    assert summary_rules.decode(Monograph, parts[MONOGRAPH]) == monograph
    assert summary_rules.decode_json(parts[MONOGRAPH]) == dumps(monograph)
    assert from_json(Monograph, to_json(monograph)) == monograph
    assert summary_rules.decode(list[str], parts[ALIASES]) == ["galzin"]


@pytest.mark.parametrize("claim", [
    Claim("use", "colds", "supports", (Citation("a.md", 1, (0, 9), 'Zinc "helps" colds.\n'),), 3, 2),
    Claim("effect", "nausée — 😀", None, (
        Citation("b.tsv", 2, (4, 40), "café\t\\  ", "community", "row 12"),
        Citation("c.xml", 30, (0, 0), "", "regulatory label", None))),
    Claim("timing", "timing", "with food", ()),
])
def test_summaries_claims_are_written_as_dumps_writes_them(claim: Claim) -> None:
    # parts() writes claims and citations key by key: the fields, their order and their encoding as dumps has them
    assert [f.name for f in dataclasses.fields(Claim)] == ["topic", "name", "stance", "citations", "n_citations",
                                                           "n_sources"]
    assert [f.name for f in dataclasses.fields(Citation)] == ["source", "document_id", "span", "text", "source_kind",
                                                              "record"]
    assert summary_rules._claim_json(claim) == dumps(claim)


def test_summaries_head_keeps_first_claims_and_counts_the_rest(monograph: Monograph) -> None:
    claim, usage = monograph.sections[0].claims[0], monograph.sections[0]
    many = Claim(claim.topic, claim.name, claim.stance, claim.citations * (HEAD_CITATIONS + 3))  # counts its own
    section = MonographSection(usage.key, usage.title, (many,) * (HEAD_CLAIMS + 5))
    head = summary_rules.head(dataclasses.replace(monograph, sections=(section, *monograph.sections[1:])))
    first = head.sections[0]
    assert len(first.claims) == HEAD_CLAIMS and first.n_claims == HEAD_CLAIMS + 5
    assert len(first.claims[0].citations) == HEAD_CITATIONS and first.claims[0].n_citations == many.n_citations
    assert head.sections[1:] == monograph.sections[1:]
    stored = summary_rules.parts(dataclasses.replace(monograph, sections=(section, *monograph.sections[1:])))[HEAD]
    assert summary_rules.decode_json(stored) == dumps(head)  # cut from the whole monograph's JSON, as if encoded alone


def test_summaries_built_at_ingest_and_read_without_building(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "zinc.md"
    path.write_text("# Zinc\n\nZinc may cause nausea. Take 30 mg a day.\n", encoding="utf-8")
    ingest(kb.store, [str(path)], Settings.from_env(environ={}, db=str(tmp_path / "kb.sqlite")))
    assert kb.store.stale_summaries(ALIASES, summary_format()) == []  # the ingest rebuilt it
    stored = kb.store.summary("zinc", MONOGRAPH, summary_format())
    assert stored is not None and summary_rules.decode(Monograph, stored) == kb.monograph("zinc")

    calls: list[str] = []
    original = kb.summarise
    kb.summarise = lambda s, aliases=None: calls.append(s) or original(s, aliases)  # type: ignore[method-assign]
    assert kb.monograph_head("zinc").substance == "zinc" and calls == []  # read as stored

    kb.store.put(_many_effects("/kb/other.md", 2))  # another writer: the summary is stale
    assert kb.store.summary("zinc", MONOGRAPH, summary_format()) is None
    assert len(kb.monograph("zinc").sources) == 2 and calls == ["zinc"]  # built by the first reader, stored
    assert kb.store.summary("zinc", MONOGRAPH, summary_format()) is not None


def test_summaries_sections_page_through_every_claim(kb: KnowledgeBase) -> None:
    kb.store.put(_many_effects("/kb/a.md"))
    kb.store.put(_many_effects("/kb/b.md", 7))
    kb.refresh_summaries()
    whole = next(s for s in kb.monograph("zinc").sections if s.key == "side_effects")
    head = next(s for s in kb.monograph_head("zinc").sections if s.key == "side_effects")
    assert len(head.claims) == HEAD_CLAIMS and head.n_claims == len(whole.claims) == len(EFFECTS)
    assert head.claims == tuple(summary_rules.first_citations(c) for c in whole.claims[:HEAD_CLAIMS])
    pages = [kb.section("zinc", "side_effects", n, 12) for n in range(1, 7)]
    assert tuple(c for p in pages for c in p.claims) == whole.claims  # every claim once, whole, in order
    assert all(p.n_claims == len(EFFECTS) for p in pages) and pages[-1].claims == ()
    assert kb.section("zinc", "mechanism").claims == ()
    with pytest.raises(NotFoundError):
        kb.section("zinc", "nonsense")


def test_summaries_other_names_resolve_without_the_vocabularies(kb: KnowledgeBase) -> None:
    for source, title, substance in [("/kb/l.xml", "Atorvastatin tablets", "atorvastatin"),
                                     ("/kb/q.xml", "Quuxol (quuxamide) tablets", "quuxamide")]:
        doc = Document(source=source, sha256="1", text="It lowers cholesterol.", kind="label", format="text",
                       title=title)
        kb.store.put(Extraction(document=doc, substance=substance))
    assert kb.refresh_summaries() == ["atorvastatin", "quuxamide"] and kb.refresh_summaries() == []
    assert kb.store.substances_called("lipitor") == ["atorvastatin"]  # the drug dictionary's brand
    assert kb.store.substances_called("quuxol") == ["quuxamide"]  # the product name of the stored label
    assert kb.search("Lipitor").hits[0].substance == "atorvastatin"


def test_summaries_of_other_code_are_stale(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    kb.store.put(_many_effects("/kb/a.md", 3))
    kb.refresh_summaries()
    monkeypatch.setattr("materia.knowledge.base.summary_format", lambda: "another version")
    assert kb.store.stale_summaries(HEAD, "another version") == ["zinc"]
    assert kb.monograph_head("zinc").substance == "zinc"  # rebuilt for this code
    assert kb.store.summary("zinc", HEAD, "another version") is not None
