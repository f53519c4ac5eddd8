"""knowledge.conditions: names folded to the hierarchy's names, and what each condition is a kind of."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from materia.errors import VocabularyError
from materia.knowledge import conditions


@pytest.mark.parametrize(("name", "expected"), [
    ("  Crohn’s   Disease ", "crohn's disease"),
    ("IBS-D", "ibs d"),
    ("post_infectious/IBS", "post infectious ibs"),
    ('"leaky" gut', "leaky gut"),
])
def test_conditions_norm_folds_case_quotes_hyphens_and_spaces(name: str, expected: str) -> None:
    assert conditions.norm(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("IBD", "inflammatory bowel disease"),
    ("Diarrhoea", "diarrhea"),
    ("ulcerative colitis", "ulcerative colitis"),
    ("Crohns", "crohn's disease"),
    ("mouth sores", "oral mucositis"),
    ("Ulcerative Colitiss", "ulcerative colitis"),  # a trailing plural 's' is forgiven
    ("Scurvy", "scurvy"),  # not in the hierarchy: its normalised self
])
def test_conditions_canonical(name: str, expected: str) -> None:
    assert conditions.canonical(name) == expected


def test_conditions_lineage_most_specific_first() -> None:
    assert conditions.lineage("IBS-D") == ("diarrhea predominant irritable bowel syndrome",  # names are normalised
                                           "irritable bowel syndrome", "gastrointestinal disease")
    assert conditions.lineage("scurvy") == ("scurvy",)


def test_conditions_every_parent_is_an_entry_and_no_condition_is_its_own_ancestor() -> None:
    canon, parents = conditions._load()
    assert set(canon.values()) == set(parents)
    for name in parents:
        line = conditions.lineage(name)
        assert line[0] == name and name not in line[1:] and len(set(line)) == len(line)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    conditions._load.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    conditions._load.cache_clear()


@pytest.mark.parametrize(("data", "problem"), [
    (["a", "b"], "expected a mapping of conditions"),
    ({"a": {"kinds": ["b"]}}, r"a: unknown keys \['kinds'\]"),
    ({"a": {"parents": ["b"]}}, "a: parent 'b' is not an entry"),
])
def test_conditions_load_strictly(served: pytest.MonkeyPatch, data: object, problem: str) -> None:
    served.setattr(conditions, "load_yaml", lambda name: data)
    with pytest.raises(VocabularyError, match=f"^conditions.yaml: {problem}"):
        conditions.canonical("a")
