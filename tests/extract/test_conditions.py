from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import effects, parse
from materia.extract.conditions import under_study
from materia.types import Document, Span


def _role(text: str, mention: str) -> str | None:
    start = text.index(mention)
    return under_study(text, Span(0, len(text)), start, start + len(mention))


@pytest.mark.parametrize(("text", "mention", "role"), [
    ("Reduce the risk of stroke", "stroke", "object"),
    ("It was not effective in reducing the frequency of angina attacks.", "angina attacks", "object"),
    ("A trial in 60 patients with chronic stable angina found no effect.", "angina", "population"),
    ("Some trials in Crohn's disease show little benefit.", "Crohn's disease", "population"),
    ("In cancer cachexia, the combination increased lean mass.", "cancer cachexia", "population"),
    ("Sepsis patients given glutamine had fewer infections.", "Sepsis", "population"),
    ("It is used for severe cachexia.", "cachexia", "object"),
    ("It reduced infections after elective surgery, but not mortality.", "mortality", "object"),
    ("It can lower the risk for heart attack, stroke, certain types of heart surgery, and chest pain.",
     "chest pain", "object"),
])
def test_conditions_under_study(text: str, mention: str, role: str) -> None:
    assert _role(text, mention) == role


@pytest.mark.parametrize(("text", "mention"), [
    ("In clinical trials, headache and nausea were reported.", "headache"),
    ("Discontinuation of treatment due to nausea occurred in 2%.", "nausea"),
    ("The most common adverse reactions (incidence >5%) were headache and nausea.", "nausea"),
    ("Patients treated with DRUG developed hepatotoxicity.", "hepatotoxicity"),
    ("It increased the risk of stroke in patients with diabetes.", "stroke"),
    ("Monitor for signs of hepatotoxicity.", "hepatotoxicity"),
    ("It can influence glucose handling, so some people feel lightheaded.", "lightheaded"),
    ("It was given for 2 weeks, and nausea occurred in 3 patients.", "nausea"),
])
def test_conditions_adverse_findings_are_not_under_study(text: str, mention: str) -> None:
    assert _role(text, mention) is None


@pytest.mark.parametrize(("text", "name"), [
    ("In clinical studies, it was shown to reduce the risk of stroke.", "stroke"),
    ("Adverse events were reported in trials in patients with sepsis and septic shock.", "sepsis"),
    ("A cohort study reported no significant decreases in the incidence of septic shock.", "septic shock"),
])
def test_conditions_under_study_are_not_effects(text: str, name: str) -> None:
    doc = Document(source="t.txt", sha256="0", text=text, kind="article", format="text")
    assert name not in {e.name for e in effects.find(parse(doc))}


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=10))
def test_conditions_never_raise(text: str, start: int, length: int) -> None:
    start = min(start, len(text))
    end = min(len(text), start + length)
    assert under_study(text, None, start, end) in (None, "population", "object")
