"""Interactions of one document: pairs with spans, typed, with severity; what is not one is left out."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.extract import interactions, parse
from materia.ingest import registry
from materia.types import Document, Section, Span

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "interactions"
LABELS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "fda_spl_samples"


def _label(text: str, section: str = "interactions") -> Document:
    whole = Span(0, len(text))
    return Document(source="label.xml", sha256="0", text=text, kind="label", format="spl",
                    sections=(Section("Drug Interactions", section, whole, whole),))  # type: ignore[arg-type]


def _pairs(text: str, subject: str | None = "atorvastatin", kind: str = "label") -> list[tuple[str, str, str]]:
    doc = _label(text) if kind == "label" else Document(source="a.txt", sha256="0", text=text, kind=kind,  # type: ignore[arg-type]
                                                       format="text")
    return [(i.a, i.b, i.type) for i in interactions.find(parse(doc), subject)]


def test_interactions_label_sentence_pairs_the_subject_with_each_listed_drug() -> None:
    text = "Clarithromycin, itraconazole or ritonavir increase the plasma concentrations of atorvastatin."
    pairs = _pairs(text)
    assert {b for a, b, _ in pairs} == {"clarithromycin", "itraconazole", "ritonavir"}
    assert {a for a, _, _ in pairs} == {"atorvastatin"}  # list items are not paired with each other


def test_interactions_unnamed_subject_meets_the_class_with_severity() -> None:
    found = interactions.find(parse(_label("Avoid with strong CYP3A4 inhibitors.")), "atorvastatin")
    assert [(i.a, i.b, i.b_kind, i.type, i.severity) for i in found] == [
        ("atorvastatin", "strong CYP3A4 inhibitors", "class", "advise", "major")]


@pytest.mark.parametrize("text", [
    "No clinically significant interaction was observed between atorvastatin and digoxin.",
    "Digoxin did not alter the pharmacokinetics of atorvastatin.",
    "Methotrexate and NSAIDs may be continued during treatment with atorvastatin.",
])
def test_interactions_negated_or_allowed_statements_are_no_pairs(text: str) -> None:
    assert _pairs(text) == []


def test_interactions_take_with_food_is_dosing_advice() -> None:
    assert _pairs("Take atorvastatin with food to reduce stomach upset.", "atorvastatin") == []
    assert _pairs("Do not take atorvastatin with grapefruit juice.")[0][1] == "grapefruit juice"


def test_interactions_leaflet_list_of_all_medicines_is_no_interaction() -> None:
    text = ("Tell your doctor about all the medicines you take, including prescription medicines, "
            "vitamins, and herbal supplements, with atorvastatin.")
    assert _pairs(text) == []


def test_interactions_compared_treatments_do_not_interact() -> None:
    text = "In the trial, ibuprofen was superior to acetaminophen in reducing pain and increased levels of renin."
    assert ("ibuprofen", "acetaminophen") not in {(a, b) for a, b, _ in _pairs(text, None, "abstract")}


def test_interactions_should_not_take_is_major() -> None:
    found = interactions.find(parse(_label("You should not take atorvastatin with cyclosporine.")), "atorvastatin")
    assert [(i.b, i.severity) for i in found] == [("cyclosporine", "major")]


def test_interactions_no_pair_with_own_abbreviation() -> None:
    text = "Monoamine oxidase inhibitors (MAOIs) increase the effects of atorvastatin."
    assert [b for _, b, _ in _pairs(text)] == ["MAO inhibitors"]


CASES = {"lipitor": LABELS / "lipitor-orig.spl.xml", "viagra": LABELS / "viagra-64f8040f.spl.xml"}


def _golden_rows(path: Path) -> list[dict[str, object]]:
    from materia.extract import extract

    extraction = extract(registry.read_path(path))
    text = extraction.document.text
    return [{"a": i.a, "b": i.b, "b_kind": i.b_kind, "type": i.type, "severity": i.severity,
             "b_text": i.b_span.of(text), "span": i.span.as_list(), "text": " ".join(i.span.of(text).split())}
            for i in extraction.interactions]


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("seed_*.txt")))
def test_interactions_golden_seeds(case: str, assert_golden) -> None:
    assert_golden(GOLDEN / f"{case}.json", _golden_rows(GOLDEN / f"{case}.txt"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_interactions_golden_fda_labels(case: str, assert_golden) -> None:
    if not CASES[case].exists():
        pytest.skip("../shared/corpora is not beside the project")
    assert_golden(GOLDEN / f"{case}.json", _golden_rows(CASES[case]))


def test_interactions_golden_label_answers_atorvastatin_with_clarithromycin() -> None:
    rows = json.loads((GOLDEN / "lipitor.json").read_text(encoding="utf-8"))
    assert any(r["b"] == "clarithromycin" and "clarithromycin" in str(r["text"]).lower() for r in rows)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*"abc ,.;()", "warfarin", "aspirin", " with ", " avoid ", " increases ", " not ",
                                  "\n"])).map("".join))
def test_interactions_never_raise_and_spans_index_text(text: str) -> None:
    for i in interactions.find(parse(_label(text)), "warfarin"):
        assert 0 <= i.span.start <= i.b_span.start < i.b_span.end <= len(text)


def test_interactions_leaflet_list_items_one_a_line_are_not_paired() -> None:
    text = ("Tell your doctor if you take:\nmedicines called protease inhibitors, such as ritonavir or atazanavir\n"
            "some antifungal medicines, such as ketoconazole\n")
    assert {(a, b) for a, b, _ in _pairs(text, "sildenafil")} <= {("sildenafil", b) for _, b, _ in _pairs(text, "sildenafil")}


def test_interactions_vitamins_as_nutrients_are_no_partners() -> None:
    text = "Glutamine is available as a supplement, often in combination with other antioxidants and vitamins."
    assert _pairs(text, "glutamine", "article") == []


def test_interactions_evidence_runs_on_to_the_closing_bracket() -> None:
    text = ("In patients taking clarithromycin, caution should be used when the atorvastatin dose exceeds 20 mg [see\n"
            "Warnings and Precautions (5.1) and\nClinical Pharmacology (12.3)\n].\n\nNext heading")
    found = interactions.find(parse(_label(text)), "atorvastatin")
    assert found and found[0].span.of(text).endswith("(12.3)\n].")


def test_interactions_no_studies_states_no_interaction() -> None:
    from materia.extract import extract
    from materia.lexicons.cues import interaction_cues
    from materia.types import Document, Section, Span

    text = ("No formal drug interaction studies have been performed with efalizumab and warfarin. "
            "Ketoconazole raised efalizumab levels threefold.")
    whole = Span(0, len(text))
    doc = Document(source="efalizumab.txt", sha256="", text=text, kind="monograph", format="text",
                   title="Efalizumab", sections=(Section(title="Drug Interactions", type="interactions", span=whole,
                                                         body=whole),), metadata={"subject": "efalizumab"})
    assert [(i.a, i.b) for i in extract(doc).interactions] == [("efalizumab", "ketoconazole")]
    # a sentence that goes on to state one is read
    assert not interaction_cues().not_statements.search(
        "No formal interaction studies were done, but ketoconazole raised efalizumab levels threefold.")


@pytest.mark.parametrize("sentence", [
    "Acetaminophen may produce false-positive test results for urinary 5-hydroxyindoleacetic acid.",
    "Salicylate levels have been found to be falsely elevated with some assay methods.",
    "In a study of patients on digoxin, digitalis toxicity was not observed.",
])
def test_interactions_lab_tests_and_what_was_not_observed_state_none(sentence: str) -> None:
    from materia.lexicons.cues import interaction_cues

    cues = interaction_cues()
    assert cues.not_statements.search(sentence) or cues.negation.search(sentence)


def test_interactions_a_file_that_marks_its_drugs_is_read_by_its_marks() -> None:
    """A name no vocabulary holds ("zelvoran") is a partner where the file marks it; unmarked, it is not."""
    import dataclasses

    from materia.extract import extract
    from materia.types import Document, MarkedName, Section, Span

    text = "Zelvoran increases the plasma levels of ketoconazole."
    whole = Span(0, len(text))
    doc = Document(source="x.xml", sha256="", text=text, kind="abstract", format="ddi-xml",
                   sections=(Section(title="", type="other", span=whole, body=whole),),
                   marked=(MarkedName(Span(0, 8), "substance"), MarkedName(Span(40, 52), "substance")))
    assert [(i.a, i.b) for i in extract(doc).interactions] == [("zelvoran", "ketoconazole")]
    assert not extract(dataclasses.replace(doc, marked=())).interactions


def test_interactions_marked_names_read_as_drugs_and_classes() -> None:
    """A marked "drugs" names nothing; a marked brand with its form is its drug; an "antiarrhythmic drug"
    marked as a drug is the class its words name."""
    from materia.extract.interactions import _named
    from materia.types import MarkedName, Span

    def named(words: str, kind: str = "substance") -> tuple[str, str] | None:
        m = _named(words, MarkedName(Span(0, len(words)), kind))  # type: ignore[arg-type]
        return None if m is None else (m.name, m.kind)

    assert named("drugs") is None
    assert named("Cordarone I.V.") == ("amiodarone", "substance")
    assert named("antiarrhythmic drug") == named("antiarrhythmics", "class") == ("antiarrhythmics", "class")


def test_interactions_a_warning_about_the_subjects_own_class_is_no_interaction() -> None:
    """"AEDs increase the risk of suicidal thoughts" in an antiepileptic's label warns of its class, itself
    included: no partner ("aed" was one); a drug of another class is still a partner."""
    text = ("Antiepileptic drugs (AEDs) increase the risk of suicidal thoughts or behavior. "
            "Coadministration with oral contraceptives may reduce their efficacy.")
    assert _pairs(text, "eslicarbazepine") == [("eslicarbazepine", "oral contraceptives", "effect")]


@pytest.mark.parametrize(("text", "subject", "pairs"), [
    ("Concomitant use with other anticoagulants increases the risk of bleeding.", "warfarin",
     [("warfarin", "anticoagulants")]),
    ("Coadministration with other antiepileptic drugs may lower its plasma levels.", "eslicarbazepine",
     [("eslicarbazepine", "antiepileptics")]),
    ("Anticoagulants increase the risk of bleeding.", "warfarin", []),  # its own class: a warning, no partner
])
def test_interactions_the_other_drugs_of_the_subjects_class_are_partners(text: str, subject: str,
                                                                          pairs: list[tuple[str, str]]) -> None:
    assert [(a, b) for a, b, _ in _pairs(text, subject)] == pairs
