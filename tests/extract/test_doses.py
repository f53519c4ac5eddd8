from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from materia.extract import doses, parse, substances
from materia.types import Document, Dose, Section, Span

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "doses"


def _doc(text: str, sections: tuple[Section, ...] = ()) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text", sections=sections)


def _one(text: str) -> Dose:
    found = doses.find_in(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "low", "high", "unit", "per"), [
    ("dosages between 5-30 grams per day are used", 5, 30, "g", "day"),
    ("from 5 to 40g a day", 5, 40, "g", "day"),
    ("500–1500 mg of powder", 500, 1500, "mg", None),
    ("Up to 40 g/day in hospital", None, 40, "g", "day"),
    ("about 3-5 grms daily", 3, 5, "g", "day"),
    ("just 8g", 8, 8, "g", None),
    ("a daily dose of 30g", 30, 30, "g", "day"),
    ("250 milligrams per dose", 250, 250, "mg", "dose"),
    ("1,000 IU daily", 1000, 1000, "IU", "day"),
    ("400 mcg a day", 400, 400, "mcg", "day"),
    ("15 mL per week", 15, 15, "mL", "week"),
    ("500 mg to 1.5 g", 0.5, 1.5, "g", None),
    ("1 capsule of 10 mg. per day.", 10, 10, "mg", "day"),
    ("70 mg of Accutane a day.", 70, 70, "mg", "day"),
    ("75 mcg/daily", 75, 75, "mcg", "day"),
])
def test_doses_amounts_units_and_per(text: str, low: float | None, high: float, unit: str, per: str | None) -> None:
    dose = _one(text)
    assert (dose.low, dose.high, dose.unit, dose.per) == (low, high, unit, per)
    assert dose.span.of(text)


@pytest.mark.parametrize(("text", "per", "times"), [
    ("2–5 grams, 1–2 times daily", "dose", (1, 2)),
    ("500 mg twice daily", "dose", (2, 2)),
    ("5 g three or more times a day", "dose", (3, 3)),
    ("10 mg once daily", "day", (1, 1)),
    ("200 mg every 6 to 8 hours", "dose", (3, 4)),
    ("100 mg t.i.d.", "dose", (3, 3)),
    ("Prescribed 875mg 2x/day", "dose", (2, 2)),
])
def test_doses_times_per_day(text: str, per: str, times: tuple[int, int]) -> None:
    dose = _one(text)
    assert (dose.per, dose.times_per_day) == (per, times)


@pytest.mark.parametrize("text", [
    "In 2013 there were 2041 posts.", "Take it for 8 weeks, 30–60 minutes before meals.", "5 days on, 2 off",
    "about 45% of people", "LDL-C of 190 mg/dL or more", "Call 555-1234.", "glucose 5.5 mmol/L",
    "adults weighing 50 kg or more", "patients < 40 kg", "a dose of 2 mg/m2",
])
def test_doses_not_doses(text: str) -> None:
    assert doses.find_in(text) == []


def test_doses_weight_based_route_population_supervision() -> None:
    dose = _one("Children receive 0.5 g/kg/day intravenously under medical supervision.")
    assert (dose.per_kg, dose.per, dose.route, dose.population, dose.supervised) == (True, "day", "iv", "children", True)


def test_doses_context_from_list_label_and_for_phrase() -> None:
    text = "Dosing\n  • Athletic Recovery/Immune: 5–10 grams per day, divided.\n\nDosages for diarrhoea range from 5 to 40g a day.\n"
    found = doses.find(parse(_doc(text)), "glutamine")
    assert [d.context for d in found] == ["Athletic Recovery/Immune", "diarrhoea"]
    assert all(d.substance == "glutamine" for d in found)


def test_doses_route_from_bold_label() -> None:
    text = "**Oral:**  For general gut health, 5-30 grams per day.\n\n**IV:** 0.3 g/kg per day.\n"
    found = doses.find(parse(_doc(text)), None)
    assert [d.route for d in found] == ["oral", "iv"]
    assert found[0].context == "general gut health"


def test_doses_substance_named_in_sentence_wins() -> None:
    text = "Creatine is the topic. Some take 20 g of L-glutamine with it."
    found = doses.find(parse(_doc(text)), "creatine")
    assert found[0].substance == "glutamine"


def test_doses_skips_reference_sections() -> None:
    text = "Refs\n1. Smith A. 20 g of glutamine. J 1: 1-2, 1999\n"
    section = Section(title="Refs", type="references", span=Span(0, len(text)), body=Span(5, len(text)))
    assert doses.find(parse(_doc(text, (section,))), None) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("2–5 g, 1–2 times daily", (2.0, 10.0)),
    ("500 mg per day", (0.5, 0.5)),
    ("Up to 40 g/day", (None, 40.0)),
    ("14 g per week", (2.0, 2.0)),
    ("5 g", None),
    ("1000 IU daily", None),
    ("0.5 g/kg/day", None),
])
def test_doses_to_grams_per_day(text: str, expected: tuple[float | None, float | None] | None) -> None:
    got = doses.to_grams_per_day(_one(text))
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert got == pytest.approx(expected) if expected[0] is not None else (got[0] is None and got[1] == pytest.approx(expected[1]))


def test_doses_fda_label_sentences(corpora: Path) -> None:
    """Generality: dosing sentences of a real drug label (Lipitor SPL)."""
    xml = (corpora / "fda_spl_samples" / "lipitor-orig.spl.xml").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", xml))
    cases = {
        "The dosage range of LIPITOR is 10 to 80 mg once daily": (10, 80, "mg", "day"),
        "The recommended starting dose of LIPITOR is 10 mg/day": (10, 10, "mg", "day"),
        "The dosage of LIPITOR in patients with homozygous FH is 10 to 80 mg daily": (10, 80, "mg", "day"),
    }
    for sentence, expected in cases.items():
        assert sentence in text
        found = doses.find_in(sentence)
        assert [(d.low, d.high, d.unit, d.per) for d in found] == [expected]
    lab = "LDL-C remains ≥ 190 mg/dL or"
    assert lab in text and doses.find_in(lab) == []


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_doses_golden(case: str, assert_golden) -> None:
    text = (GOLDEN / f"{case}.txt").read_text(encoding="utf-8")
    parsed = parse(_doc(text))
    got = [{"text": d.span.of(text), "low": d.low, "high": d.high, "unit": d.unit, "per": d.per,
            "times_per_day": list(d.times_per_day) if d.times_per_day else None, "per_kg": d.per_kg,
            "route": d.route, "population": d.population, "context": d.context, "supervised": d.supervised,
            "substance": d.substance, "span": d.span.as_list()}
           for d in doses.find(parsed, substances.main_subject(parsed))]
    assert_golden(GOLDEN / f"{case}.json", got)


_AMOUNT = st.integers(min_value=1, max_value=500_000).map(lambda n: n / 100)


@st.composite
def _doses(draw: st.DrawFn) -> Dose:
    high = draw(_AMOUNT)
    kind = draw(st.sampled_from(["single", "range", "upto"]))
    low: float | None = high if kind == "single" else None
    if kind == "range":
        low = draw(_AMOUNT.filter(lambda x: x < high))
    per = draw(st.sampled_from([None, "day", "dose", "week"]))
    times = None
    if per == "dose":
        times = draw(st.none() | st.tuples(st.integers(1, 6), st.integers(1, 6)).map(lambda t: (min(t), max(t))))
        if times == (1, 1):
            times = None
    return Dose(span=Span(0, 0), low=low, high=high, unit=draw(st.sampled_from(["mcg", "mg", "g", "IU", "mL", "L"])),
                per=per, times_per_day=times, per_kg=draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(_doses())
def test_doses_format_parse_roundtrip(dose: Dose) -> None:
    parsed = doses.parse_dose(doses.format_dose(dose))
    assert parsed is not None
    assert (parsed.low, parsed.high, parsed.unit, parsed.per, parsed.times_per_day, parsed.per_kg) == \
        (dose.low, dose.high, dose.unit, dose.per, dose.times_per_day, dose.per_kg)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_doses_never_raise_and_spans_index_text(text: str) -> None:
    for dose in doses.find(parse(_doc(text)), None):
        assert 0 <= dose.span.start < dose.span.end <= len(text)
        assert dose.sentence is None or dose.sentence.contains(Span(dose.span.start, dose.span.start))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["5", "-", "10", " ", "mg", "g", "/day", "daily", "up to", "twice", "times",
                                 "a day", ",", "per", "kg", "of", "IU", "\n", "for", "x", ":", "•"]), max_size=20))
def test_doses_dose_like_noise_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for dose in doses.find(parse(_doc(text)), None):
        assert dose.span.of(text)
        assert dose.low is None or dose.low <= dose.high


def test_doses_label_doses_are_of_the_drug() -> None:
    text = "Take 10 mg of atorvastatin calcium once daily."
    doc = Document(source="l.xml", sha256="0", text=text, kind="label", format="spl", title="Lipitor")
    assert [d.substance for d in doses.find(parse(doc), "atorvastatin")] == ["atorvastatin"]
