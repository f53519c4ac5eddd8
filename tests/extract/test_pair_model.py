"""The learned pair model: features of a blinded sentence and the shipped weights."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from materia.errors import VocabularyError
from materia.extract.pair_model import (
    DRUG,
    LABELS,
    _collapsed,
    _runs_collapsed,
    blind,
    classify_sentence,
    pair_features,
    pair_model,
    read_pair_model,
)


def _blinded(text: str, *names: str):  # type: ignore[no-untyped-def]
    spans = []
    for name in names:
        start = text.index(name, spans[-1][1] if spans else 0)
        spans.append((start, start + len(name), "substance", name.lower()))
    return blind(text, spans)


def test_pair_model_blinding_hides_the_names() -> None:
    sentence = _blinded("Ketoconazole increases the levels of zolpidem.", "Ketoconazole", "zolpidem")
    assert sentence.words == (DRUG, "increases", "the", "levels", "of", DRUG, ".")
    features = pair_features(sentence, 0, 1)
    assert "b=increases" in features and not any("ketoconazole" in f for f in features)


def test_pair_model_coordination_and_negation_are_features() -> None:
    listed = pair_features(_blinded("Aspirin, warfarin and heparin were given.", "Aspirin", "warfarin", "heparin"), 0, 1)
    assert "coordinated" in listed
    negated = pair_features(_blinded("Cimetidine did not alter the levels of digoxin.", "Cimetidine", "digoxin"), 0, 1)
    assert "neg_between" in negated


def test_pair_model_shipped_model_reads_a_mechanism_and_a_list() -> None:
    model = pair_model()
    mechanism = _blinded("Ketoconazole markedly increases the plasma concentrations of midazolam.",
                         "Ketoconazole", "midazolam")
    assert model.classify(pair_features(mechanism, 0, 1))[0] == "mechanism"
    listed = _blinded("Patients received aspirin, warfarin and heparin.", "aspirin", "warfarin", "heparin")
    assert model.classify(pair_features(listed, 0, 1))[0] == "none"


@pytest.mark.parametrize("text, names", [
    ("Ketoconazole markedly increases the plasma concentrations of midazolam and triazolam, not of aspirin.",
     ("Ketoconazole", "midazolam", "triazolam", "aspirin")),
    ("Avoid warfarin; heparin, aspirin and clopidogrel raise the risk of bleeding.", ("warfarin", "heparin", "aspirin",
                                                                                   "clopidogrel")),
])
def test_pair_model_classify_sentence_is_classify_of_each_pairs_features(text: str, names: tuple[str, ...]) -> None:
    model = pair_model()
    sentence = _blinded(text, *names)
    pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    for (label, p), (i, j) in zip(classify_sentence(model, sentence, pairs), pairs, strict=True):
        expected, q = model.classify(pair_features(sentence, i, j))
        assert label == expected and abs(p - q) < 1e-9


def test_pair_model_probabilities_sum_to_one() -> None:
    probs = pair_model().probabilities(["b=increases", "nb=4"])
    assert len(probs) == len(LABELS) and abs(sum(probs) - 1) < 1e-9


@pytest.mark.parametrize("text", ["x\t1\t2\n", "<intercept>\t0\t0\t0\t0\tzero\n", "f\t1\t1\t1\t1\t1\n"])
def test_pair_model_read_refuses_malformed_tables(text: str) -> None:
    with pytest.raises(VocabularyError):
        read_pair_model(text)


_WORDS = st.sampled_from([DRUG, ",", "and", "or", "/", "and/or", "nor", "plus", "increases", "the", "(", ")", ";"])


@given(st.lists(_WORDS, max_size=12))
def test_pair_model_collapsed_without_a_mention_is_the_words_read_run_by_run(words: list[str]) -> None:
    # the fast path (no mention between: the words as they are) is what reading run by run gives
    assert _collapsed(words) == _runs_collapsed(words)

