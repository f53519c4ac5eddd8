"""The lay vocabulary's tables load strictly; one normal form and one HPO reader serve every vocabulary."""
from __future__ import annotations

from pathlib import Path

import pytest

from materia.errors import VocabularyError
from materia.lexicons import hpo, lay, loader
from materia.lexicons.surface import normalise, plural_variants


def test_lay_tables_load() -> None:
    assert lay.terms()["canker sore"].canonical == "aphthous ulcer"
    grammar = lay.lay_grammar()
    assert grammar.functions[("appetite",)]["down"] == "decreased appetite"
    counts = lay.role_counts()["dizziness"]
    assert counts.effect_share() > 0.5  # reviewers write dizziness as a side effect, not a benefit


def test_lay_grammar_refuses_a_bare_yes_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    text = loader.read_text("lay_grammar.yaml").replace("  lost: down\n", "  off: down\n", 1)
    monkeypatch.setattr(loader, "read_text", lambda name: text)
    lay.lay_grammar.cache_clear()
    try:
        with pytest.raises(VocabularyError, match="quoted"):
            lay.lay_grammar()
    finally:
        lay.lay_grammar.cache_clear()


def test_lay_surface_normal_form_and_plurals() -> None:
    assert normalise("Dry-Mouth!") == "dry mouth"
    assert list(plural_variants("allergy")) == ["allergy", "allergies"]
    assert list(plural_variants("rash")) == ["rash", "rashes"]


def test_lay_hpo_reader(tmp_path: Path) -> None:
    obo = tmp_path / "hp.obo"
    obo.write_text(
        "[Term]\nid: HP:0000118\nname: Phenotypic abnormality\n\n"
        "[Term]\nid: HP:0000001\nname: Headache\n"
        'synonym: "Head pain" EXACT layperson []\nis_a: HP:0000118 ! Phenotypic abnormality\n\n'
        "[Term]\nid: HP:0000002\nname: Old\nis_obsolete: true\nis_a: HP:0000118\n\n"
        "[Typedef]\nid: part_of\n", encoding="utf-8")
    (term,) = hpo.phenotypic_abnormalities(hpo.read_obo(obo))
    assert (term.id, term.name) == ("HP:0000001", "Headache")
    assert [(s.text, s.scope, s.type) for s in term.synonyms] == [("Head pain", "EXACT", "layperson")]


def test_lay_role_model_loads_and_reads_degree_words_as_effects() -> None:
    from materia.extract.role_model import effect_probability, features

    assert lay.role_model().classes == ("use", "effect")
    # the same list with and without the degree word before the complaint
    text = "Severe depression and thoughts of death."
    severe = features(text, 0, 17, (7, 17), (0, len(text)), "depression", "symptom", True, False)
    bare = "Depression and thoughts of death."
    plain = features(bare, 0, 10, (0, 10), (0, len(bare)), "depression", "symptom", True, False)
    assert effect_probability(severe) > effect_probability(plain)


def test_lay_role_model_refuses_other_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "read_text", lambda name: "@classes\tuse\tbenefit\n@bias\t0\t0\n")
    lay.role_model.cache_clear()
    try:
        with pytest.raises(VocabularyError, match="classes"):
            lay.role_model()
    finally:
        lay.role_model.cache_clear()
