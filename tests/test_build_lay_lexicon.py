"""scripts/build_lay_lexicon.py: a reviewer's misspelling joins the concept it misspells, never another word's."""
from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

ROWS = {surface: (surface, "-", "symptom", "hpo-name") for surface in (
    "migraine", "diarrhea", "insomnia", "rheumatoid arthritis", "confusion", "scrapie", "allergic", "lipedema",
    "dysphagia", "joint pain")}


@pytest.mark.parametrize(("surface", "concept"), [
    ("migrane", "migraine"),  # a letter dropped
    ("diarrhhea", "diarrhea"),  # one added
    ("insomina", "insomnia"),  # two swapped
    ("rheumatoid artritis", "rheumatoid arthritis"),
    # a letter for another, a word's first letter or last two, a space: other words as often as not
    ("contusion", None), ("dysphasia", None), ("scrape", None), ("allergi", None), ("lip edema", None),
    ("join pain", None), ("pain", None),
])
def test_misspelt_finds_the_one_surface_a_letter_away(repo_module: Callable[[str], ModuleType], surface: str,
                                                     concept: str | None) -> None:
    assert repo_module("scripts/build_lay_lexicon.py").misspelt(surface, ROWS) == concept
