from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import doses, parse, substances
from materia.ingest import read_path
from materia.quantities import grams_per_day
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
    ("1–2 g twice a day", (2.0, 4.0)),
    ("200-400mg every 4-6 hours, not exceeding a maximum daily dose of 1200mg", (0.8, 1.2)),
])
def test_doses_grams_per_day_of_what_the_text_says(text: str, expected: tuple[float | None, float | None] | None) -> None:
    got = grams_per_day(doses.find_in(text)[0])
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


def _golden_rows(parsed_text: str, found: list[Dose]) -> list[dict[str, object]]:
    return [{"text": d.span.of(parsed_text), "low": d.low, "high": d.high, "unit": d.unit, "per": d.per,
             "times_per_day": list(d.times_per_day) if d.times_per_day else None, "per_kg": d.per_kg,
             "maximum": d.maximum, "daily_cap": d.daily_cap, "route": d.route, "population": d.population,
             "context": d.context, "supervised": d.supervised, "substance": d.substance, "span": d.span.as_list()}
            for d in found]


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_doses_golden(case: str, assert_golden) -> None:
    """Read as `materia` reads the file (sections typed by the reader), then the doses."""
    parsed = parse(read_path(str(GOLDEN / f"{case}.txt")))
    found = doses.find(parsed, substances.main_subject(parsed))
    assert_golden(GOLDEN / f"{case}.json", _golden_rows(parsed.text, found))


@pytest.mark.parametrize("label", ["lipitor-orig.spl.xml", "viagra-64f8040f.spl.xml", "humira.spl.xml",
                                   "no-title.spl.xml"])
def test_doses_golden_spl_labels(label: str, corpora: Path, assert_golden) -> None:
    """Real labels: doses only from their dosage text, whatever the rest of the label quotes."""
    parsed = parse(read_path(str(corpora / "fda_spl_samples" / label)))
    found = doses.find(parsed, substances.main_subject(parsed))
    assert_golden(GOLDEN / f"spl-{label.split('.')[0]}.json", _golden_rows(parsed.text, found))


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


def _label(parts: list[tuple[str, str, str]]) -> Document:
    """A label from (title, section type, body) parts; a part whose type starts with '>' nests in the one before."""
    text, sections, parent = "", [], None
    for title, kind, body in parts:
        nested = kind.startswith(">")
        start = len(text)
        text += f"{title}\n\n{body}\n\n"
        section = Section(title=title, type=kind.lstrip(">"), span=Span(start, len(text)),  # type: ignore[arg-type]
                          body=Span(start + len(title) + 2, len(text)), level=2 if nested else 1)
        if nested and parent is not None:
            sections[parent] = replace(sections[parent], span=Span(sections[parent].span.start, len(text)),
                                       body=Span(sections[parent].body.start, len(text)))
        else:
            parent = len(sections)
        sections.append(section)
    return Document(source="l.xml", sha256="0", text=text, kind="label", format="spl", title="Lipitor",
                    sections=tuple(sections))


def _found(document: Document, subject: str | None = "atorvastatin") -> list[tuple[str, str | None]]:
    return [(d.span.of(document.text), d.substance) for d in doses.find(parse(document), subject)]


def test_doses_label_doses_are_of_the_drug() -> None:
    doc = _label([("2 DOSAGE AND ADMINISTRATION", "dosage", "Take 10 mg of atorvastatin calcium once daily.")])
    assert _found(doc) == [("10 mg", "atorvastatin")]


def test_doses_label_only_dosage_text() -> None:
    doc = _label([
        ("1 INDICATIONS AND USAGE", "usage", "In a trial, LIPITOR 80 mg once daily versus placebo reduced strokes. "
                                             "Take 10 mg once daily."),
        ("2 DOSAGE AND ADMINISTRATION", "dosage", "The dosage range of LIPITOR is 10 to 80 mg once daily."),
        ("Table 1", ">boxed_warning", "Severe - 3 mg to 5 mg b.i.d."),
        ("2.4 Dosage Adjustments Due to Drug Interactions", ">interactions", "Ritonavir: 25 mg in 48 hours."),
        ("3 DOSAGE FORMS AND STRENGTHS", "product", "Tablets: 10, 20, 40 and 80 mg."),
        ("7 DRUG INTERACTIONS", "interactions", "Clarithromycin 500 mg twice daily raised levels."),
        ("12.3 Pharmacokinetics", "pharmacokinetics", "Tipranavir 500 mg plus ritonavir 200 mg twice daily."),
        ("14 CLINICAL STUDIES", "clinical_studies", "LIPITOR 80 mg/day reduced all-cause mortality."),
        ("10 OVERDOSAGE", "overdosage", "Doses of 1000 mg a day were taken."),
    ])
    assert [t for t, _ in _found(doc)] == ["10 mg once daily", "10 to 80 mg once daily", "3 mg to 5 mg b.i.d"]


def test_doses_label_without_dosage_text_has_none() -> None:
    doc = _label([("6 ADVERSE REACTIONS", "side_effects", "Myalgia occurred with 80 mg daily.")])
    assert _found(doc) == []


def test_doses_population_and_indication_from_label_headings() -> None:
    doc = _label([("2 DOSAGE AND ADMINISTRATION", "dosage", ""),
                  ("2.2 Familial Hypercholesterolemia in Pediatric Patients (10-17 years)", ">dosage",
                   "The recommended starting dose is 10 mg/day."),
                  ("2.3 Crohn's Disease", ">dosage", "The recommended dose is 160 mg initially on Day 1.")])
    found = doses.find(parse(doc), "adalimumab")
    assert [(d.population, d.context, d.per) for d in found] == [("children", None, "day"),
                                                                 (None, "Crohn's Disease", "day")]


def test_doses_monograph_skips_interactions_and_captions() -> None:
    text = ("### Dosage\n1,500 mg once daily.\n\nFigure 1: Joint space with 800 mg/day of chondroitin.\n\n"
            "*   **Interactions:** Bleeding with warfarin and 3,000 mg of glucosamine a day.\n\n"
            "Aspirin may interact with it at 81 mg daily.\n")
    assert [t for t, _ in _found(_doc(text), "glucosamine")] == ["1,500 mg once daily"]


@pytest.mark.parametrize(("text", "owner"), [
    ("In a study, tipranavir 500 mg plus ritonavir 200 mg twice daily raised exposure.", ["tipranavir", "ritonavir"]),
    ("Co-dosing with 750 mg telaprevir every 8 hours.", ["telaprevir"]),
    ("| Saquinavir | 1200 mg three times a day | levels up |", ["saquinavir"]),
    ("Take 20 g of L-glutamine with it.", ["glutamine"]),
    ("Magnesium sulfate 1-2 g is given over 15 minutes.", ["magnesium"]),
    ("Adults take 400 mg daily.", ["magnesium"]),
])
def test_doses_an_amount_tied_to_another_name_is_that_substance_dose(text: str, owner: list[str]) -> None:
    assert [s for _, s in _found(_doc(text), "magnesium" if "agnesium" in text or "Adults" in text else "glutamine"
                                 if "glutamine" in text else "atorvastatin")] == owner


def test_doses_stated_maximum_caps_the_daily_amount() -> None:
    [dose, maximum] = doses.find_in("200-400mg every 4-6 hours, not exceeding a maximum daily dose of 1200mg")
    assert (maximum.low, maximum.high, maximum.per, maximum.maximum) == (None, 1200, "day", True)
    assert dose.daily_cap == 1200 and not dose.maximum
    assert grams_per_day(dose) == (0.8, 1.2)


def test_doses_maximum_covers_its_section_and_population() -> None:
    text = ("**Adults:** 325–650 mg every 4 to 6 hours, or 1 g every 6 hours. Do not take more than 4 g in 24 hours.\n\n"
            "**Children:** 15 mg every 4 hours. Older adults: no more than 3 g per day.\n\n"
            "Some take 6 g a day.\n")
    found = doses.find(parse(_doc(text)), "acetaminophen")
    caps = {d.span.of(text): d.daily_cap for d in found}
    assert caps["325–650 mg every 4 to 6 hours"] == 4000 and caps["1 g every 6 hours"] == 4
    assert caps["15 mg every 4 hours"] is None  # the adults' and the older adults' limits are not children's
    assert caps["6 g a day"] is None


def test_doses_up_to_caps_its_sentence_only() -> None:
    text = "Take 5 g three times daily. Up to 10 g a day is used in hospital."
    first, upto = doses.find(parse(_doc(text)), "glutamine")
    assert upto.maximum and upto.low is None and first.daily_cap is None


@pytest.mark.parametrize(("text", "times"), [
    ("50 mg about 1 hour before sexual activity, no more than once a day.", (1, 1)),
    ("25–50 mg as needed. Do not take more than 6 doses in 24 hours.", (1, 6)),
    ("25 mg every 4 hours; not more than 4 doses in 24 hours.", (4, 4)),
])
def test_doses_frequency_limits(text: str, times: tuple[int, int]) -> None:
    assert doses.find_in(text)[0].times_per_day == times


@pytest.mark.parametrize("text", [
    "0.5 g/kg/day", "20 mg/kg", "0.1 g per kilogram of body weight", "65 mg/kg body weight per day",
    "80 mg·kg−1·day−1", "30 mg/kg/d", "60 mg per kg per day", "3 mg/kg of body mass",
])
def test_doses_per_kg_forms(text: str) -> None:
    dose = _one(text)
    assert dose.per_kg and grams_per_day(dose) is None


@pytest.mark.parametrize("text", [
    "Doses above 10 mg a day work no better.", "more than 2 g a day", "increase by 500 mg weekly",
    "in increments of 0.5 mg", "15 kg (33 lbs) to <30 kg", "creatinine clearance <30 mL/minute",
])
def test_doses_thresholds_steps_and_weights_are_not_doses(text: str) -> None:
    assert doses.find_in(text) == []


@pytest.mark.parametrize(("text", "per", "times"), [
    ("0.5 mg to 2 mg b.i.d. or t.i.d.", "dose", (2, 3)),
    ("160 mg initially on Day 1", "day", None),
    ("2–5 mg at bedtime", "day", None),
    ("0.5–5 mg taken 30 to 60 minutes before bedtime", "day", None),
    ("600 IU (15 mcg) daily", "day", None),
])
def test_doses_more_frequency_wordings(text: str, per: str, times: tuple[int, int] | None) -> None:
    dose = doses.find_in(text)[-1]
    assert (dose.per, dose.times_per_day) == (per, times)


def test_doses_in_a_heading_line() -> None:
    text = "## 5 g per day\nTake it with food.\n"
    section = Section(title="5 g per day", type="dosage", span=Span(0, len(text)), body=Span(15, len(text)))
    [dose] = doses.find(parse(_doc(text, (section,))), "glutamine")
    assert dose.span.of(text) == "5 g per day"


def test_doses_a_population_word_written_with_a_long_s_is_read_not_raised() -> None:
    # IGNORECASE matches "ſ" to "s"; the lookup must not fail on the word as written
    assert doses._population("For adolescent\u017f: 5 mg a day") == doses._population("For adolescents: 5 mg a day")


# The fast paths of the dose reader search less text than the plain patterns would; these say they find the same.
_DOSE_PIECES = ["1", "20", "0.5", "1,000", " ", "  ", "\t", "mg", "MG", " mg", "g", "iu", "IU", "mcg", "ml", "%", "-",
                " to ", " or ", " and ", "daily", "Daily", "dose", "doses", "of", "a", "the", "up", "to", "more",
                "than", "not", "exceed", "maximum", "max", "at", "most", "between", "from", "limit", "above",
                "increase", "by", "step", "s", "ſ", "ı", "é", "(", ")", ",", ".", ":", "|", "\n", "aspirin", "take",
                "oral", "given", "as", "in"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DOSE_PIECES), max_size=30))
def test_doses_a_window_without_a_patterns_words_cannot_match_it(pieces: list[str]) -> None:
    text = "".join(pieces)
    for pattern, words in ((doses._PRE, doses._PRE_WORDS), (doses._MAX_BEFORE, doses._MAX_BEFORE_WORDS),
                           (doses._NOT_A_DOSE, doses._NOT_A_DOSE_WORDS)):
        for end in range(len(text) + 1):  # the patterns end at the amount: every place may be one
            if not doses._may_hold(words, text, 0, end):
                assert pattern.search(text, 0, end) is None, (pattern.pattern[:40], text[:end])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DOSE_PIECES), max_size=30), st.integers(0, 5))
def test_doses_searching_back_from_an_amount_finds_what_a_plain_search_finds(pieces: list[str], lo: int) -> None:
    text = "".join(pieces)
    for pattern, reach in ((doses._GLUE_BEFORE, doses._GLUE_REVERSED), (doses._WORDS_BEFORE, doses._WORDS_REVERSED)):
        for end in range(min(lo, len(text)), len(text) + 1):
            fast = doses._search_back(pattern, reach, text, min(lo, end), end)
            plain = pattern.search(text, min(lo, end), end)
            assert (fast and fast.span()) == (plain and plain.span())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DOSE_PIECES), max_size=30))
def test_doses_candidates_are_the_dose_pattern_tried_at_every_number(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain: list[tuple[int, int]] = []
    last_end = 0
    for number in doses._NUMBER_START.finditer(text):
        if number.start() >= last_end and (match := doses._pattern().match(text, number.start())):
            plain.append(match.span())
            last_end = match.end()
    assert [m.span() for m in doses._candidates(text, 0, len(text))] == plain
