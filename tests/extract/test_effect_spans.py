from __future__ import annotations

import pytest

from materia.errors import VocabularyError
from materia.extract import effect_spans
from materia.extract.effect_spans import SpanModel, Tokens, tokenise
from materia.lexicons import effects as lexicon
from materia.lexicons import loader


def _index(tokens: Tokens, word: str) -> int:
    return tokens.words.index(word)


def _text(tokens: Tokens, span: tuple[int, int]) -> str:
    return tokens.text[tokens.start(span[0]):tokens.end(span[1])]


def test_effect_spans_tokenise_keeps_offsets() -> None:
    text = "Hepatotoxicity, İnfusion-related reactions"  # "İ" lower-cases to two characters
    tokens = tokenise(text)
    assert tokens.words == ["hepatotoxicity", "İnfusion", "related", "reactions"]
    assert [text[tokens.start(i):tokens.end(i)] for i in range(4)] == ["Hepatotoxicity", "İnfusion", "related",
                                                                       "reactions"]
    assert tokens.starts == [tokens.start(i) for i in range(4)]
    assert tokens.before(1) == ", "
    assert tokens.norm == " hepatotoxicity İnfusion related reactions "
    assert tokens.span_of(tokens.norm_starts[1], tokens.norm_starts[3] + 2) == (1, 3)


def test_effect_spans_edges_take_in_learned_words_only_across_spaces() -> None:
    model = SpanModel(edge={"Lw=protozoal": 3.0, "Lw=severe": -3.0, "Rw=infective": 3.0, "L": -0.5, "R": -0.5})
    tokens = tokenise("severe protozoal infections infective, and fungal infections")
    i = _index(tokens, "infections")
    assert _text(tokens, effect_spans.extend(tokens, i, i, model, 0, len(tokens.words) - 1, {})) \
        == "protozoal infections infective"
    tokens = tokenise("protozoal, infections")
    assert effect_spans.extend(tokens, 1, 1, model, 0, 1, {}) == (1, 1)  # never across a comma


def test_effect_spans_edge_features_are_the_scored_features() -> None:
    tokens = tokenise("chemical conjunctivitis")
    features = effect_spans.edge_features(tokens, 0, 1, True, 1)
    assert features is not None and "Lw=chemical" in features and "Ls3=cal" in features
    model = SpanModel(edge={f: 1.0 for f in features})
    assert effect_spans.extend(tokens, 1, 1, model, 0, 1, {}) == (0, 1)


def test_effect_spans_keep_features_see_layout_and_cues() -> None:
    text = "Nausea      12      3\nThe most common reactions were rash"
    tokens = tokenise(text)
    row = effect_spans.keep_features(tokens, 0, 0, "nausea", ["eff"], "side_effects", "vocab")
    assert {"ls", "gap", "num_after", "eff", "sec=side_effects", "t=nausea", "g=vocab"} <= set(row)
    last = len(tokens.words) - 1
    assert "le" in effect_spans.keep_features(tokens, last, last, "rash", [], "warnings", "list")


def test_effect_spans_keep_score_adds_the_threshold() -> None:
    model = SpanModel(keep={"b": -1.0, "eff": 2.0}, keep_bias=0.5)
    assert model.keep_score(["b", "eff", "unknown"]) == pytest.approx(1.5)


@pytest.mark.parametrize(("text", "anchor", "items"), [
    ("reactions were glossitis, glossodynia, lip ulceration and tongue pain.", "glossitis",
     {"glossodynia", "lip ulceration"}),
    ("reported: chest pain, dizziness, or feeling drunk (2%).", "dizziness", {"chest pain", "feeling drunk"}),
    ("Hypertension was seen in patients who were treated.", "hypertension", set()),
])
def test_effect_spans_list_items_beside_a_candidate(text: str, anchor: str, items: set[str]) -> None:
    tokens = tokenise(text)
    i = _index(tokens, anchor)
    found = {_text(tokens, span) for span in effect_spans.list_items(tokens, i, i, 0, len(tokens.words) - 1)}
    assert found == items


def test_effect_spans_abbreviations_defined_after_a_candidate() -> None:
    text = "post-transplant lymphoproliferative disorder (PTLD) occurred. PTLD was fatal; ptld is a word."
    tokens = tokenise(text)
    last = _index(tokens, "disorder")
    found = effect_spans.abbreviations(tokens, [(0, last)], 0, len(tokens.words) - 1)
    assert [_text(tokens, span) for span in found] == ["PTLD", "PTLD"]


def test_effect_spans_shipped_model_loads_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    edge, keep, _ = lexicon.span_model_weights()
    assert edge and keep
    lexicon.span_model_weights.cache_clear()
    monkeypatch.setattr(loader, "read_text", lambda name: "edge\tLw=x\tnot-a-number\n")
    with pytest.raises(VocabularyError):
        lexicon.span_model_weights()
    monkeypatch.setattr(loader, "read_text", lambda name: "other\tx\t1.0\n")
    with pytest.raises(VocabularyError):
        lexicon.span_model_weights()
    monkeypatch.undo()
    lexicon.span_model_weights.cache_clear()


@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("increased ALT and AST were seen", [(0, 1), (3, 3)], ["increased ... ast"]),
    ("suicidal thinking or behavior.", [(0, 1)], ["suicidal ... behavior"]),
    ("skeletal and visceral malformations", [(2, 3)], ["skeletal ... malformations"]),
    ("nausea, vomiting", [(0, 0), (1, 1)], []),
])
def test_effect_spans_coordination_implies_discontinuous_mentions(text: str, spans: list[tuple[int, int]],
                                                                  expected: list[str]) -> None:
    tokens = tokenise(text)
    found = effect_spans.coordinated(tokens, spans, 0, len(tokens.words) - 1,
                                     lambda k, depth: tokens.words[k] in {"increased", "suicidal", "skeletal"})
    assert [" ... ".join(" ".join(tokens.words[a:b + 1]) for a, b in pieces) for pieces in found] == expected
