from __future__ import annotations

import pytest

from materia.errors import VocabularyError
from materia.ingest.cues import cues, parse_cues

GOOD = {"section_cues": [{"type": "dosage", "cues": ["dosage"]}], "disclaimer_cues": ["not medical advice"],
        "loinc": {"34068-7": "dosage"}, "label_keys": {"dosage_and_administration": "dosage"}}


def test_cues_shipped_file_loads():
    c = cues()
    assert c.heading_type("Side Effects & Who Should Be Cautious") == "side_effects"
    assert c.heading_type("When to Stop & Call Your Doctor") == "warnings"
    assert c.heading_type("How it Works") == "mechanism"
    assert c.heading_type("Common Supplement Ranges") is None
    assert c.loinc["34084-4"] == "side_effects"


@pytest.mark.parametrize("broken", [
    {**GOOD, "extra": 1},
    {**GOOD, "section_cues": [{"type": "dosage", "cues": ["x"], "weight": 2}]},
    {**GOOD, "section_cues": [{"type": "nonsense", "cues": ["x"]}]},
    {**GOOD, "loinc": {"1-1": "nonsense"}},
    {**GOOD, "disclaimer_cues": []},
    [],
])
def test_cues_malformed_data_is_a_vocabulary_error(broken):
    with pytest.raises(VocabularyError):
        parse_cues(broken)


def test_cues_disclaimer_needs_most_sentences_to_be_boilerplate():
    c = parse_cues(GOOD)
    assert c.is_disclaimer("This is not medical advice.")
    assert not c.is_disclaimer("Avoid it in kidney disease. Ask before use in pregnancy. This is not medical advice.")
