from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from materia.errors import VocabularyError
from materia.extract import effect_spans, effects, parse
from materia.lexicons import effects as lexicon
from materia.lexicons import loader
from materia.types import Document, Section, Span

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "effects"


def _doc(text: str, sections: tuple[Section, ...] = ()) -> Document:
    return Document(source="t.txt", sha256="0", text=text, kind="article", format="text", sections=sections)


def _names(text: str) -> dict[str, effects.Effect]:
    return {e.name: e for e in effects.find(parse(_doc(text)))}


@pytest.mark.parametrize(("text", "name"), [
    ("Side effects may include an upset stomach.", "upset stomach"),
    ("Some users report feeling wired.", "overstimulation"),
    ("It may cause nausea in some people.", "nausea"),
    ("Reported side effects: headaches and brain fog.", "headache"),
    ("Common side effects include gas.", "gas"),
    ("Some people feel shaky after a dose.", "shakiness"),
])
def test_effects_lay_names_in_side_effect_context(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize("text", [
    "Glutamine may improve diarrhoea in HIV patients.",
    "It is used for the treatment of nausea.",
    "Patients with hypertension were enrolled; side effects were rare.",
    "Nausea is common in early pregnancy.",  # no side-effect cue, no effect section
])
def test_effects_uses_and_conditions_are_not_effects(text: str) -> None:
    assert not _names(text)


def test_effects_lists_share_a_use_verb() -> None:
    assert not _names("Users take it to reduce nausea, vomiting and diarrhea, and it has few side effects.")


def test_effects_negation_scopes_to_the_clause() -> None:
    found = _names("It does not cause drowsiness, but side effects such as headache were reported.")
    assert found["drowsiness"].negated
    assert not found["headache"].negated


def test_effects_hypothetical_and_serious() -> None:
    found = _names("If you experience a rash, stop. Serious side effects include anaphylaxis.")
    assert found["rash"].hypothetical
    assert found["anaphylaxis"].serious is True


def test_effects_section_type_gives_context() -> None:
    text = "Reactions\n\nnausea, vomiting and dizziness"
    section = Section(title="Reactions", type="side_effects", span=Span(0, len(text)), body=Span(11, len(text)))
    names = {e.name for e in effects.find(parse(_doc(text, (section,))))}
    assert {"nausea", "vomiting", "dizziness"} <= names


def test_effects_longest_match_and_modifiers() -> None:
    found = _names("Adverse reactions: severe upper respiratory tract infection.")
    (effect,) = found.values()
    assert effect.name == "upper respiratory tract infection"


def test_effects_red_flags_are_not_effects() -> None:
    text = "Side effects include nausea. Stop taking it and call your doctor if you develop chest pain or dark urine."
    parsed = parse(_doc(text))
    assert {e.name for e in effects.find(parsed)} == {"nausea"}
    assert {r.name for r in effects.find_red_flags(parsed)} == {"chest pain", "dark urine"}


def test_effects_red_flag_heading_section() -> None:
    text = "When to See a Doctor\n\nPersistent vomiting, jaundice or confusion.\n"
    assert {r.name for r in effects.find_red_flags(parse(_doc(text)))} == {"vomiting", "jaundice", "confusion"}


def test_effects_vocabulary_loads_strictly() -> None:
    vocab = lexicon.vocabulary()
    assert vocab["bloating"] == "bloating" and vocab["nausea"] == "nausea"
    assert "does not cause" in lexicon.cues().phrases["negation"]


def test_effects_unknown_lexicon_key_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "read_text", lambda name: "source: x\nlicence: y\nbogus: []\n")
    with pytest.raises(VocabularyError):
        lexicon._yaml("context_cues.yaml", frozenset({"source", "licence"}))


def _as_json(text: str) -> dict[str, object]:
    parsed = parse(_doc(text))
    return {
        "effects": [{"name": e.name, "text": e.span.of(text), "span": e.span.as_list(), "negated": e.negated,
                     "hypothetical": e.hypothetical, "serious": e.serious} for e in effects.find(parsed)],
        "red_flags": [{"name": r.name, "text": r.span.of(text), "span": r.span.as_list()}
                      for r in effects.find_red_flags(parsed)],
    }


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.txt")))
def test_effects_golden(case: str, update_golden: bool) -> None:
    text = (GOLDEN / f"{case}.txt").read_text(encoding="utf-8")
    got = _as_json(text)
    expected = GOLDEN / f"{case}.json"
    if update_golden or not expected.exists():
        expected.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected.read_text(encoding="utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(["nausea", "side effects", " ", ",", "no", "İ", "\n", "severe", "call your doctor",
                                   "and", "upset stomach", "ß", ".", "Headache"]), max_size=40).map("".join))
def test_effects_never_raise_and_spans_index_text(text: str) -> None:
    parsed = parse(_doc(text))
    for item in [*effects.find(parsed), *effects.find_red_flags(parsed)]:
        assert 0 <= item.span.start < item.span.end <= len(text)
        assert asdict(item)["name"]


def _label(*parts: tuple[str, str, str]) -> Document:
    """A label of (title, section type, body) parts laid out as the SPL reader does."""
    text, sections = "", []
    for title, kind, body in parts:
        start = len(text)
        text += f"{title}\n\n{body}\n\n"
        sections.append(Section(title=title, type=kind, span=Span(start, len(text)),  # type: ignore[arg-type]
                                body=Span(start + len(title) + 2, len(text))))
    return Document(source="l.xml", sha256="0", text=text, kind="label", format="spl", sections=tuple(sections))


def test_effects_label_sections_decide() -> None:
    doc = _label(
        ("1 INDICATIONS AND USAGE", "usage", "X is indicated for patients with sepsis who experienced hypotension."),
        ("6 ADVERSE REACTIONS", "side_effects", "The most common adverse reactions were nausea and headache."),
        ("10 OVERDOSAGE", "overdosage", "Overdose caused seizures and adverse reactions such as vomiting."),
        ("13 NONCLINICAL TOXICOLOGY", "nonclinical", "Hepatocellular carcinoma was reported in rats."),
        ("14 CLINICAL STUDIES", "clinical_studies", "Patients with hypertension reported dizziness at baseline."),
        ("7 DRUG INTERACTIONS", "interactions", "Use with warfarin caused bleeding."),
        # the disease it treats, not what it does to patients
        ("12.1 Mechanism of Action", "mechanism", "Similarly, decreased levels of HDL-C (and its transport complex, "
         "apo A) are associated with the development of atherosclerosis."),
    )
    assert {e.name for e in effects.find(parse(doc))} == {"nausea", "headache"}


def test_effects_common_side_effects_after_a_red_flag_list_are_effects() -> None:
    body = ("Call your doctor right away if you have:\nnausea and vomiting.\npassing dark-colored urine.\n"
            "In clinical studies, patients reported the following common side effects: diarrhea and "
            "joint pain.\nHow should I store it?")
    doc = _label(("PATIENT INFORMATION", "patient_info", body))
    parsed = parse(doc)
    assert {r.name for r in effects.find_red_flags(parsed)} == {"nausea", "vomiting", "dark urine"}
    assert {"diarrhea", "joint pain"} <= {e.name for e in effects.find(parsed)}


@pytest.mark.parametrize("sentence", [
    "Tell your doctor if you have any side effect that bothers you, such as headache.",
    "Do not stop taking it without talking to your doctor, even if you have headache.",
    "Call your doctor for medical advice about side effects such as headache.",
])
def test_effects_red_flags_need_stop_and_get_help_wording(sentence: str) -> None:
    assert not effects.find_red_flags(parse(_doc(sentence)))


@pytest.mark.parametrize("sentence", [
    "Stop taking it and call your doctor if you get a headache.",
    "Get medical help right away if you have a headache.",
    "Seek emergency medical help if you have a headache.",
    "If you have a headache, go to the nearest emergency room.",
])
def test_effects_red_flags_from_stop_and_get_help_wording(sentence: str) -> None:
    assert [r.name for r in effects.find_red_flags(parse(_doc(sentence)))] == ["headache"]


def test_effects_red_flag_list_ends_at_prose() -> None:
    text = ("Liver problems. Call your doctor right away if you have these symptoms:\nfeel very tired\n"
            "dark urine\nAllergic reactions. Allergic reactions can cause rash.\n")
    assert {r.name for r in effects.find_red_flags(parse(_doc(text)))} == {"fatigue", "dark urine"}


def test_effects_side_effect_lists_keep_decreased_terms() -> None:
    text = "Adverse Reactions\n\nThe most common adverse reactions were nausea, decreased appetite, anxiety and cough."
    section = Section(title="Adverse Reactions", type="side_effects", span=Span(0, len(text)), body=Span(19, len(text)))
    names = {e.name for e in effects.find(parse(_doc(text, (section,))))}
    assert {"nausea", "anxiety", "cough"} <= names


def test_effects_mentions_do_not_cross_punctuation() -> None:
    matcher = effects.Matcher.build({"lymphocyte count decreased": "x", "decreased lymphocyte": "y", "cough": "cough"})
    text = "platelet count decreased, lymphocyte count decreased, cough"
    assert [text[a:b] for a, b, _ in matcher.find(text)] == ["lymphocyte count decreased", "cough"]


def test_effects_label_reactions_use_the_learned_span_model() -> None:
    body = ("The most common adverse reactions (>=20%) were nausea, vomiting, diarrhea, fatigue and "
            "protozoal infections. No cases of hepatotoxicity were reported.")
    doc = _label(("6 ADVERSE REACTIONS", "side_effects", body))
    found = {doc.text[e.span.start:e.span.end]: e for e in effects.find(parse(doc))}
    assert {"nausea", "vomiting", "diarrhea", "fatigue", "protozoal infections"} <= set(found)
    assert found["hepatotoxicity"].negated and not found["nausea"].negated


def test_effects_learned_candidates_are_the_model_rows() -> None:
    doc = _label(("6 ADVERSE REACTIONS", "side_effects", "Adverse reactions were rash and cough."))
    rows = effects.learned_candidates(parse(doc), effects.default_matcher())
    assert {doc.text[a:b] for ((a, b),), _ in (row for row in rows if len(row[0]) == 1)} >= {"rash", "cough"}
    assert all("b" in features and "sec=side_effects" in features for _, features in rows)


def test_effects_discontinuous_mentions_carry_their_parts() -> None:
    doc = _label(("6 ADVERSE REACTIONS", "side_effects", "Adverse reactions were increased ALT and AST."))
    accept_all = effect_spans.SpanModel(edge={"Lw=increased": 5.0}, keep_bias=5.0)
    matcher = effects.Matcher.build({"increased alt": "increased alt", "ast": "ast"}, model=accept_all)
    found = {e.name: e for e in effects.find(parse(doc), matcher)}
    shared = found["increased ast"]
    assert [p.of(doc.text) for p in shared.parts] == ["increased", "AST"]
    assert shared.span.of(doc.text) == "increased ALT and AST"
    assert found["increased alt"].parts == ()


def test_effects_label_red_flags_do_not_wait_for_the_span_model() -> None:
    doc = _label(("5.6 Hematological Reactions", "warnings",
                  "Advise all patients to seek immediate medical attention if they develop signs suggestive of "
                  "blood dyscrasias (e.g., persistent fever, bruising, bleeding, pallor)."))
    parsed = parse(doc)
    assert {"fever", "bruising", "bleeding", "pallor"} <= {r.name for r in effects.find_red_flags(parsed)}
    assert not {"fever", "bruising", "bleeding", "pallor"} & {e.name for e in effects.find(parsed)}


def test_effects_an_abbreviation_is_named_as_what_it_abbreviates() -> None:
    text = ("Side effects: non-arteritic anterior ischemic optic neuropathy (NAION), a cause of decreased vision, "
            "has been reported. Patients with NAION in one eye are at risk of NAION in the other eye.")
    found = effects.find(parse(_doc(text)))
    named = {text[e.span.start:e.span.end]: e.name for e in found}
    assert named["NAION"] == named["non-arteritic anterior ischemic optic neuropathy"]


# vocabulary words and blockers, the separators a mention may not span, and letters that lower-case oddly
_VOCABULARY_TEXT = st.lists(st.sampled_from([
    "nausea", "headache", "head", "ache", "upset stomach", "dry mouth", "liver", "failure", "acute", "renal",
    "disorders", "respiratory", "pain", "s", " ", "  ", "\n", ", ", ". ", "-", "(", ")", "ΟΔΟΣ", "Σ", "İ", "ß",
    "x", "7", "_",
]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_VOCABULARY_TEXT, st.data())
def test_effects_may_name_is_false_only_where_the_matcher_finds_nothing(text: str, data: st.DataObject) -> None:
    parsed = parse(_doc(text))
    for _ in range(8):
        a, b = sorted(data.draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
        if not effects.may_name(parsed, Span(a, b)):
            assert effects.default_matcher().find(text[a:b]) == []


@settings(max_examples=200, deadline=None)
@example(["acute renal failure", " ", "syndrome"])  # a side word right after the span's end: not taken in
@given(st.lists(st.sampled_from(["nausea", "severe", "headache", "renal", "failure", "acute", "dry", "mouth", " ",
                                 "acute renal failure", "liver injury", " syndrome", " reaction",
                                 "syndrome", "reaction", "infection", "disease", ", ", ". ", "\n", "and", "no", "Σ", "é", "rash", "liver", "injury", "(", ")"]),
                max_size=30))
def test_effects_names_in_a_span_are_the_matchers_names_in_its_text_alone(pieces: list[str]) -> None:
    """names_in reuses the document's scan: what the matcher finds in each sentence's text on its own."""
    text = "".join(pieces)
    parsed = parse(_doc(text))
    effects.find(parsed)  # the scan names_in reuses
    # sentences, and spans that end between two words of one (where a side word could reach past the end)
    for span in [*parsed.sentences, *(Span(0, k) for k, c in enumerate(text) if c == " ")]:
        assert effects.names_in(parsed, span) == effects.default_matcher().find(span.of(text))
