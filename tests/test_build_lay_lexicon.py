"""scripts/build_lay_lexicon.py: a reviewer's misspelling joins the concept it misspells, never another word's."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_lay_lexicon.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_lay_lexicon", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
def test_misspelt_finds_the_one_surface_a_letter_away(surface: str, concept: str | None) -> None:
    assert _script().misspelt(surface, ROWS) == concept
