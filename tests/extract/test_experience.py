"""Posts and reviews: effects the writer had, uses with the writer's verdict, history, negation, misspellings."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from materia.extract import extract
from materia.extract.experience import post_sentences
from materia.ingest import read_documents
from materia.ingest.posts import as_post
from materia.types import Document, Extraction


def read_post(text: str) -> Extraction:
    return extract(as_post(Document(source="post.txt", sha256="", text=text, kind="article", format="text")))


def spans(text: str, x: Extraction, negated: bool = False) -> list[str]:
    return [text[e.span.start:e.span.end] for e in x.effects if e.negated == negated]


def read_rows(tmp_path: Path, rows: str) -> list[Document]:
    """DrugLib-shaped review rows (id, drug, rating, effectiveness, side effects, condition, then the benefits,
    side-effects and comments columns) as the review reader reads them."""
    path = tmp_path / "reviews.tsv"
    path.write_text("id\turlDrugName\trating\teffectiveness\tsideEffects\tcondition\tbenefitsReview\t"
                    "sideEffectsReview\tcommentsReview\n" + rows, encoding="utf-8")
    return read_documents(str(path))


def test_experience_bare_symptom_list_is_effects_with_onset() -> None:
    text = "then vaginal bleeding 2 wks after menstral cycle. stomach pain. canker sores in my mouth. headache."
    x = read_post(text)
    assert spans(text, x) == ["vaginal bleeding", "stomach pain", "canker sores in my mouth", "headache"]
    assert x.effects[0].onset == "2 wks after"
    assert {e.name for e in x.effects} >= {"abdominal pain", "aphthous ulcer", "headache"}


def test_experience_degree_words_and_misspellings_keep_the_writers_words() -> None:
    text = "I feel a bit drowsy & have a little blurred vision. Then I started getting nausious and had diarrea."
    x = read_post(text)
    assert spans(text, x) == ["bit drowsy", "little blurred vision", "nausious", "diarrea"]
    assert [e.name for e in x.effects][2:] == ["nausea", "diarrhea"]


def test_experience_negation_and_hedging() -> None:
    text = "I didn't have any nausea. Not sure if it's the pill but I also have brain fog and can't sleep."
    x = read_post(text)
    assert spans(text, x, negated=True) == ["nausea"]
    hedged = [text[e.span.start:e.span.end] for e in x.effects if e.hedged]
    assert hedged == ["brain fog", "can't sleep"]
    assert [e.name for e in x.effects if e.hedged] == ["brain fog", "insomnia"]


def test_experience_duration_is_read_in_the_clause() -> None:
    text = "I had terrible headaches for the first two months."
    (effect,) = read_post(text).effects
    assert text[effect.span.start:effect.span.end] == "terrible headaches"
    assert effect.duration == "for the first two months"


@pytest.mark.parametrize(("text", "name", "verdict", "stance"), [
    ("I take it for my arthritis and it helped a lot.", "arthritis", "helped", "benefit"),
    ("Took it for my insomnia for a month but it did nothing.", "insomnia", "nothing", "no_benefit"),
    ("I took it for my acne but it made it worse.", "acne", "worse", "no_benefit"),
])
def test_experience_use_verdicts(text: str, name: str, verdict: str, stance: str) -> None:
    x = read_post(text)
    use = next(u for u in x.uses if u.name == name)
    assert (use.verdict, use.stance, use.evidence) == (verdict, stance, "anecdote")


def test_experience_worse_is_also_an_effect() -> None:
    text = "It made my acne worse."
    assert spans(text, read_post(text)) == ["acne"]


def test_experience_history_is_neither_effect_nor_use() -> None:
    x = read_post("I have had asthma for years. This fish oil tastes fine.")
    assert not x.effects and not x.uses


def test_experience_cleared_symptom_is_a_use_not_an_effect() -> None:
    text = "My migraines disappeared within a week."
    x = read_post(text)
    assert not x.effects
    assert [(u.name[:8], u.verdict) for u in x.uses] == [("migraine", "helped")]


def test_experience_bare_list_of_symptoms_is_effects_whatever_their_prior() -> None:
    text = "Lipitor 20mg. Muscle pain, depression and fatigue."
    assert spans(text, read_post(text)) == ["Muscle pain", "depression", "fatigue"]


def test_experience_reason_for_taking_is_a_use_not_an_effect() -> None:
    text = "I was prescribed it for depression. Gave me headaches."
    x = read_post(text)
    assert spans(text, x) == ["headaches"]
    assert [u.name for u in x.uses] == ["depression"]


def test_experience_passed_side_effect_is_still_an_effect() -> None:
    text = "Some dizziness went away after a week."
    assert spans(text, read_post(text)) == ["dizziness"]


def test_experience_listed_conditions_take_the_verdict_said_of_them_and_cite_it() -> None:
    text = ("My dad has three diseases -- muscle loss, memory decline and IBD. Chronic fatigue is a byproduct. "
            "The Master Cleanse was helpful but temporary. On this all three conditions have greatly improved.")
    x = read_post(text)
    helped = {u.name: text[u.sentence.start:u.sentence.end] for u in x.uses if u.verdict == "helped"}
    assert set(helped) == {"muscle loss", "cognitive decline", "inflammatory bowel disease"}
    assert all(s.startswith("On this all three conditions") for s in helped.values())


def test_experience_goal_words_are_uses_where_judged() -> None:
    x = read_post("Gives me energy and my hair is now thicker. I like the taste.")
    assert {(u.name, u.verdict) for u in x.uses} == {("energy", "helped"), ("hair", "helped")}
    assert not x.effects


def test_experience_never_reaches_labels() -> None:
    text = "ADVERSE REACTIONS\nThe most common adverse reactions were headache and nausea."
    x = extract(Document(source="l.txt", sha256="", text=text, kind="label", format="text"))
    assert all(e.onset is None and not e.hedged for e in x.effects)
    assert all(u.verdict is None for u in x.uses)


def test_experience_review_row_reads_side_effects_column_as_effects(tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\tzomig\t9\tHighly Effective\tMild Side Effects\tdepression\t"
                      "My migraines went away within minutes.\tdrowsiness, dry mouth\tTook it when needed.\n")
    x = extract(doc)
    assert spans(doc.text, x) == ["drowsiness", "dry mouth"]  # a bare list in the side-effects column
    assert [(doc.text[u.span.start:u.span.end], u.verdict) for u in x.uses] == [("migraines", "helped")]
    # the condition column is the Post's condition, never read as a side effect or a use
    assert not any("depression" in doc.text[i.span.start:i.span.end] for i in (*x.effects, *x.uses))


def test_experience_review_row_reads_benefits_column_as_uses(tmp_path) -> None:
    first, second = read_rows(tmp_path,
                              "1\tlipitor\t9\tHighly Effective\tNo Side Effects\tcholesterol\t"
                              "lower cholesterol, less tired\tnone\tOne a day.\n"
                              "2\tlipitor\t3\tIneffective\tSevere Side Effects\tcholesterol\t"
                              "none, it gave me muscle pain\tmuscle pain\tStopped it.\n")
    x = extract(first)
    assert spans(first.text, x) == []  # what the benefits column names is what it helped, unless a cue says not
    assert {u.name for u in x.uses} == {"high cholesterol", "fatigue"}
    y = extract(second)
    assert spans(second.text, y) == ["muscle pain", "muscle pain"]  # a cue in the benefits column still counts


@pytest.mark.parametrize(("benefits", "effects", "helped"), [
    ("It made my skin dry and itchy but cleared my acne.", ["skin dry", "itchy"], ["acne"]),
    ("Helped my back pain but it upset my stomach.", ["upset my stomach"], ["back pain"]),
    ("I tried it as a teenager and it just irritated my face, making it red and eventually flaky.",
     ["irritated my face", "flaky"], []),
    # put down to the product by its name
    ("I am hesitant because of the initial irritation and flakyness associated with Retin-A.",
     ["irritation", "flakyness"], []),
    # a relief the product brought about stays one ("it significantly reduced my desire to recheck")
    ("It made my anxiety much less.", [], ["anxiety"]),
])
def test_experience_review_row_benefits_column_keeps_what_the_product_brought_on(
        tmp_path, benefits: str, effects: list[str], helped: list[str]) -> None:
    [doc] = read_rows(tmp_path,
                      f"1\tretin-a\t6\tModerately Effective\tModerate Side Effects\tacne\t{benefits}\tsee above\t"
                      "see above\n")
    x = extract(doc)
    assert spans(doc.text, x) == effects  # the product the subject of the complaint's verb: an effect
    assert sorted(doc.text[u.span.start:u.span.end] for u in x.uses if u.verdict == "helped") == helped


def test_experience_unnamed_items_of_a_list_of_effects_are_effects() -> None:
    text = "Severe nausea, metalic tase, sick to the stomach, loss of appetite, zingy ears and headaches."
    x = read_post(text)
    assert "metalic tase" in spans(text, x)
    assert "zingy ears" in spans(text, x)
    assert next(e for e in x.effects if text[e.span.start:e.span.end] == "metalic tase").name == "metalic tase"


@pytest.mark.parametrize("text", [
    "Nausea, headaches, however I kept taking it.",  # narrative, not a complaint
    "Nausea, headaches, constant.",  # a common word on its own is not an unnamed symptom
    "It helped my back pain, my knees, and frobnitz.",  # a list of uses
    "No nausea, no headaches, frobnitz.",  # what the writer denies
    "Nausea, headaches, especially on my lips.",  # where the complaint before it was
    "Nausea, headaches, just like being drunk.",  # what it was like
    "Nausea, headaches, Tanac helps.",  # what eased them
])
def test_experience_list_items_that_are_not_complaints(text: str) -> None:
    x = read_post(text)
    named = {"nausea", "headaches", "back pain"}
    assert not [s for s in spans(text, x) if s.lower() not in named]


def test_experience_a_list_of_short_lines_is_a_list() -> None:
    text = "Worked for my pain.\n\nDry mouth.\nConstipation.\nZingy ears."
    assert spans(text, read_post(text))[-1] == "Zingy ears"


def test_experience_no_cue_role_reads_the_words_written_with_a_condition() -> None:
    text = "Very high blood pressure.\n\nGreat for my allergies."
    x = read_post(text)
    assert spans(text, x) == ["Very high blood pressure"]
    assert [text[u.span.start:u.span.end] for u in x.uses] == ["allergies"]


@pytest.mark.parametrize("text", [
    "Additionally there was a feeling of anxiety associated with taking this medication.",
    "I had anxiety caused by the pills.",
    "Anxiety due to the medication, so I stopped.",
])
def test_experience_a_symptom_put_down_to_the_product_is_an_effect(text: str) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects] == ["anxiety"] and not x.uses


@pytest.mark.parametrize("text, name", [
    ("I had continual belching.", "belching"),
    ("I felt very sedated the next morning.", "sedation"),  # the adjective names its noun's concept
    ("It caused a lowering of libido.", "decreased libido"),
    ("It made me gain weight.", "weight gain"),
    ("I started gaining weight.", "weight gain"),
    ("I gained alot of weight.", "weight gain"),
])
def test_experience_lay_states_and_changes_of_a_function(text: str, name: str) -> None:
    assert [e.name for e in read_post(text).effects] == [name]


@pytest.mark.parametrize("text", [
    "My blood pressure is down now. This limits the possibility of stroke.",
    "It lowers the pressure in the eye, which can lead to vision loss if untreated.",
])
def test_experience_a_symptom_spoken_of_as_a_risk_is_no_effect(text: str) -> None:
    assert not [e for e in read_post(text).effects if e.name in ("stroke", "vision loss", "visual loss")]


def test_experience_what_the_writer_could_not_tolerate_is_an_effect_not_a_cure() -> None:
    text = "I discontinued Strattera after one month. I couldn't tolerate the depression anymore."
    x = read_post(text)
    assert [(e.name, e.negated) for e in x.effects] == [("depression", False)] and not x.uses


def test_experience_a_symptom_noted_is_an_effect() -> None:
    x = read_post("Also feeling of anxiety noted.")
    assert [e.name for e in x.effects] == ["anxiety"] and not x.uses


@pytest.mark.parametrize("text, negated", [
    ("While infection did not occur, diarrhea was so persistent that I had to see a doctor.", False),
    ("I had no nausea, vomiting or diarrhea.", True),  # a list keeps the negation
])
def test_experience_a_comma_closes_a_negation_only_after_a_clause(text: str, negated: bool) -> None:
    assert [e.negated for e in read_post(text).effects if e.name == "diarrhea"] == [negated]


def test_experience_a_help_hoped_for_is_not_had() -> None:
    x = read_post("I was hoping it would help with sleep but it didn't.")
    assert [(u.name, u.verdict) for u in x.uses] == [("sleep", "nothing")]


def test_experience_what_cleared_up_is_no_unnamed_complaint() -> None:
    text = "My acne got worse for the first month, then cleared up completely."
    assert [text[e.span.start:e.span.end] for e in read_post(text).effects] == ["acne"]


@pytest.mark.parametrize("text, effects, uses", [
    ("My cholesterol dropped from 280 to 190.", [], [("high cholesterol", "helped")]),
    ("My blood sugar dropped too low and I felt shaky.", ["hypoglycemia", "shakiness"], []),
    ("My low blood pressure improved a lot.", [], [("hypotension", "helped")]),
])
def test_experience_a_fall_that_helped_names_what_it_treated(text: str, effects: list[str],
                                                             uses: list[tuple[str, str]]) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects] == effects and [(u.name, u.verdict) for u in x.uses] == uses


@pytest.mark.parametrize("text, effect", [
    ("The only side effect for me is just a muscle pain for 3 days.", "muscle pain"),
    ("None except for slight tiredness.", "slight tiredness"),
    ("At the beginning of treatment I noticed a slightly elevated heart rate.", "slightly elevated heart rate"),
    ("I was dizzy and fainting due to the severe diarrhea.", "severe diarrhea"),
])
def test_experience_a_use_cue_reaches_a_noun_phrase_not_a_clause(text: str, effect: str) -> None:
    x = read_post(text)
    assert effect in spans(text, x) and not [u for u in x.uses if text[u.span.start:u.span.end] == effect]


@pytest.mark.parametrize("text, use", [
    ("I take it due to my anxiety.", "anxiety"),
    ("It worked for my really bad migraines.", "really bad migraines"),
])
def test_experience_a_use_cue_still_names_the_purpose(text: str, use: str) -> None:
    assert [text[u.span.start:u.span.end] for u in read_post(text).uses] == [use]


@pytest.mark.parametrize("text, effects", [
    ("At first nausea, decreased appetite, dizziness and lightheadedness.",
     ["nausea", "decreased appetite", "dizziness", "lightheadedness"]),
    ("The side effects were dehydration, decreased urination, malaise, fatigue.",
     ["dehydration", "decreased urination", "malaise", "fatigue"]),
])
def test_experience_a_use_cue_inside_a_symptoms_name_is_no_cue_for_what_follows(text: str,
                                                                                effects: list[str]) -> None:
    x = read_post(text)
    assert spans(text, x) == effects and not x.uses


def test_experience_a_relief_word_before_a_list_still_names_its_uses() -> None:
    text = "Reduced acne, breakouts and redness."
    x = read_post(text)
    assert not spans(text, x) and [u.verdict for u in x.uses] == ["helped"] * 3


def test_experience_a_listed_word_for_what_the_body_became_is_an_effect() -> None:
    text = "Nausea, headache, red, swollen, extremely dry."
    x = read_post(text)
    assert spans(text, x) == ["Nausea", "headache", "red", "swollen", "extremely dry"]
    assert [e.name for e in x.effects][2:] == ["redness", "swelling", "dryness"]


def test_experience_an_unnamed_item_leaves_out_the_list_words_before_it() -> None:
    text = "Severe nausea, and metalic tase, some loss of appetite"
    assert spans(text, read_post(text)) == ["Severe nausea", "metalic tase", "loss of appetite"]
    text = "My eyes used to be kind of itchy and the skin, at the beginning of it, used to be itchy and reddish too."
    assert spans(text, read_post(text)) == ["itchy", "itchy", "reddish"]  # "the skin" is where, not what


@pytest.mark.parametrize(("text", "effects", "uses"), [
    # "kept" before a verb in -ing says something went on, not that it helped
    ("I kept gaining weight and felt tired.", ["weight gain", "fatigue"], []),
    ("It kept my migraines away.", [], [("migraines", "benefit")]),
    # "for me" says whom it happened to, not what it was taken for
    ("For me, mild diarrhea and a headache the first week.", ["diarrhea", "headache"], []),
    # a complaint of one's own that went away is a use it helped
    ("My rash went away within a week of taking it.", [], [("rash", "benefit")]),
    # a harm spoken of as a raised risk is neither had nor treated; a lowered risk is a benefit claimed
    ("My doctor warned of increased risks for breast cancer with this pill.", [], []),
    ("It lowers the risk of stroke, my doctor says.", [], [("stroke", "benefit")]),
])
def test_experience_what_went_on_whom_it_happened_to_and_what_was_risked(
        text: str, effects: list[str], uses: list[tuple[str, str]]) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects if not e.negated] == effects
    assert [(u.name, u.stance) for u in x.uses] == uses


@pytest.mark.parametrize(("text", "effects", "uses"), [
    # what a body part did, said plainly, is what the writer went through, not what they took it for
    ("I lost 10 lbs, my ears hurt and my throat swelled.", ["weight loss", "ear pain", "pharyngeal edema"], []),
    ("My personality changed.", ["personality change"], []),
    # what helped was something else: the complaint stays an effect
    ("Mild dry skin that improves with the use of cream.", ["dry skin"], []),
    # "not" written into the verb negates as "not" does
    ("I don't cough as much when I go to bed.", [], [("cough", "benefit")]),
    ("My allergy symptoms got much better.", [], [("allergy", "benefit")]),  # what became of its symptoms
    # a comma before a subject starts a clause: "gone now" is said of the moon face, not of the depression
    ("I had a moon face which has gone now, I was very depressed.", ["moon facies", "depressed"], []),
    ("My skin was full of acne.", ["acne"], []),  # "full of" a complaint is having it
    ("It was really hard for me to fall asleep.", ["insomnia"], []),
    # when it happened is no unnamed complaint; a function that was impossible is one
    ("It stung. In the beginning, a burning sensation.", ["burning sensation"], []),
    ("Sleeping was impossible for the first few weeks.", ["insomnia"], []),
    # a sentence that says it lists side effects: "problem with" in it starts no list of conditions had
    ("Side effects= headaches, problem with movement, anger, weight loss, memory loss.",
     ["headache", "problem with movement", "anger", "weight loss", "memory impairment"], []),

    # "for" and a length of time is how long, not a purpose
    ("Very dry mouth, diarrhea for a few days routine, mood swings.", ["dry mouth", "diarrhea", "mood changes"], []),
    # a complaint that grew, or that the product worsened, is worse; a change of dose is no verdict
    ("Nausea, increasing in severity each time it was taken.", ["nausea"], []),
    ("It worsened my breakouts.", ["breakout"], [("breakout", "no_benefit")]),
    # a complaint of the first days that went away is a side effect that passed; one's own is a use it helped
    ("Mild nausea at first, gradually disappearing after about a month.", ["nausea"], []),
    ("Initially insomnia that went away after the first few weeks.", ["insomnia"], []),
    ("At first, the acne on my face just went away.", [], [("acne", "benefit")]),
    ("Pain and symptoms of the UTI disappeared after the first week.", [],
     [("pain", "benefit"), ("urinary tract infection", "benefit")]),
    # a wanted change listed bare among complaints is one of them; listed with goals, a goal
    ("Tingling, fatigue, increased hair loss, weight loss.", ["paresthesia", "fatigue", "alopecia", "weight loss"],
     []),
    ("Considerable weight loss, increased energy.", [], [("weight loss", "benefit"), ("increased energy", "benefit")]),
    # the people a complaint describes are not the writer ("women with breast tenderness"); a flare-up is worse
    ("I would encourage women with breast tenderness to hang in there.", [], []),
    ("Some people have breakthrough bleeding but I didn't.", [], []),
    ("No sunburn like I know other acne treatments can cause.", [], []),
    # a state named as a feeling; "harder to"; a function suppressed
    ("A drugged feeling, and harder to climax.", ["drugged", "inability to climax"], []),
    ("It suppressed my appetite.", ["decreased appetite"], []),
    ("My sex drive became non-existent.", ["decreased libido"], []),
    ("IBS flare up within a few hours of taking the dose.", ["irritable bowel syndrome"], []),
])
def test_experience_what_the_body_did_what_passed_and_what_is_listed_with_complaints(
        text: str, effects: list[str], uses: list[tuple[str, str]]) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects if not e.negated] == effects
    assert [(u.name, u.stance) for u in x.uses] == uses


@pytest.mark.parametrize(("chunk", "verdict"), [
    # a negation is said of the help where it stands before it, not of another clause
    ("The ____ has decreased and I have not had any ____", "helped"),
    ("It did not really help my ____", "nothing"),
    ("I would not say it helped", None),
    # a help a product was given for is its purpose, not a result; a help it seems to give is one
    ("It was prescribed to help with hair loss of the scalp", None),
    ("I was given lithium in order to calm my manic thoughts", None),
    ("it seems to help with my acne", "helped"),
])
def test_experience_a_negation_scopes_over_the_help_it_stands_before(chunk: str, verdict: str | None) -> None:
    from materia.extract.experience import _chunk_verdict

    assert _chunk_verdict(chunk) == verdict


@pytest.mark.parametrize(("text", "effects", "uses"), [
    # two names with only a space between are one phrase, not a list of complaints
    ("It greatly lessened my arthritis pain.", [], [("arthritis", "benefit"), ("pain", "benefit")]),
    # a dose raised is no verdict on the complaint it brought
    ("Possible tinnitus from the increase to 450 mg.", ["tinnitus"], []),
    # a state felt outranks the everyday word it is written with
    ("I feel cold all the time now, even in a warm room.", ["coldness"], []),
    # a word of degree after complaints is none of its own
    ("Slight dizziness and tiredness, very minor.", ["dizziness", "fatigue"], []),
    # "zero" belongs to the complaint it is written in, and negates nothing after it
    ("Stopping it gave me a week of zero energy and flu-like symptoms.", ["fatigue", "flu like symptoms"], []),
    # what was excepted from "no side effects" is one
    ("There were no side effects short of a slight tingling in the nose.", ["nose tingling"], []),
    ("I was short of breath and sick stomach on it.", ["difficulty breathing", "upset stomach"], []),
    # too much of a goal is a complaint; a part's ringing; lay names of withdrawal and mood
    ("It gave me excess energy and ear ringing.", ["increased energy", "tinnitus"], []),
    ("Brain zaps, moodiness and a short temper when I missed a dose.", ["brain zaps", "mood changes", "anger"], []),
    # a change of the bowels; a state the writer felt they were going into
    ("I did notice some bowel changes on it.", ["stool changes"], []),
    ("I felt I was going insane on it.", ["insane"], []),
    # an everyday word with a complaint is no goal; a rise of what is no goal is no help
    ("It sometimes caused mild nausea on an empty stomach.", ["nausea"], []),
    ("Blurry vision, increased bladder leaks, moodiness.", ["blurred vision", "increased bladder leaks",
                                                         "mood changes"], []),
    # what went away once the product was stopped was its doing; what went away once the writer stopped something
    # else is neither its doing nor its help
    ("Some mild dizziness that would go away after the medication was stopped.", ["dizziness"], []),
    ("The rash went away after stopping it.", ["rash"], []),
    ("My headaches went away after I stopped the coffee.", [], []),
    # a complaint that went away, said in a relative clause, passed; one eased by another remedy stays the product's
    ("Mild stomach upset that went away quickly.", ["upset stomach"], []),
    ("Mild dry skin that improves with the use of cream.", ["dry skin"], []),
    # a function lost past adverbs and fillers; erections are a function
    ("I also lost virtually all of my sex drive.", ["decreased libido"], []),
    ("Night time erections were gone.", ["erectile dysfunction"], []),
    # a fall before a complaint is the writer's verdict, not a word of its name; a relief said of a complaint
    # outweighs when it came
    ("Considerably reduced dry eye and the itchiness.", [], [("dry eye", "benefit"), ("itching", "benefit")]),
    ("It lessened the symptoms of my depression after taking it for 2 weeks.", [], [("depression", "benefit")]),
    # a change one could want, named a side effect in its own clause
    ("Weight loss was an initial side effect, as well as diarrhea.", ["weight loss", "diarrhea"], []),
    # "anti-" names a kind of product, not the complaint after it; a hospital's care is no complaint
    ("This anti-histamine works quickly, no anti-nausea drugs needed.", [], None),
    ("Anaphylactic reaction. Loss of consciousness. Treated by hospital ER staff.",
     ["anaphylaxis", "loss of consciousness"], []),
    # what the writer had before the product is no effect of it; "feeling helpless" is a state, not a goal
    ("Before taking the meds, I was not wanting to do anything, feeling helpless and hopeless.", [], []),
    ("Since starting it I have been feeling helpless.", ["helpless"], []),
    # years of a complaint are history, unless the product is said to have caused them
    ("I suffered for 20 years with depression and minor mood swings.", [], []),
    ("It gave me headaches for two years.", ["headache"], []),
    ("I suffered from hallucinations on it.", ["hallucinations"], []),
    # a fall of what the product is taken to lower is what it did for the writer, not a harm ("low blood pressure"
    # names a state one can suffer); a feeling that says only how bad it was is malaise
    ("My cholesterol has been lowered considerably.", [], [("high cholesterol", "benefit")]),
    ("Low blood pressure.", ["hypotension"], []),
    ("Again I started feeling bad.", ["malaise"], []),
    # what the writer has lived with is their history
    ("Lived with bipolar, adhd and mild OCD my entire life.", [], []),
    # a goal the product gave stays a benefit, an everyday word with no complaint beside it too
    ("I have noticed a nice muscle growth.", [], [("muscle", "benefit")]),
    ("I stopped it and went back to the higher dose of verapamil.", [], []),
    # everyday phrases: food not kept down, a daze, not feeling well; a change of state with no subject
    ("I could not keep any food down in the mornings.", ["inability to keep any food down"], []),
    ("I was awake but sort of in a daze.", ["confusion"], []),
    ("Still not feeling well.", ["malaise"], []),
    ("Became ill if I drank alcohol at all.", ["malaise"], []),
    ("I was off it for a week.", [], []),
    # what a test measures is neither had nor treated; a fall said beside a test is still one
    ("I have blood drawn for cholesterol and liver function tests every 6 months.", [], []),
    ("My cholesterol dropped and my liver tests are fine.", [], [("high cholesterol", "benefit")]),
    ("It brought the thyroid test results into the normal range.", [], [("thyroid", "benefit")]),
    ("Blood tests every six months came back fine.", [], []),
    ("I could not take it long enough to get a second cholesterol test to measure any decrease.", [], None),
    # "got rid of" is the writer's verdict on what follows, whatever else the sentence says; sore muscles are myalgia
    ("Got rid of hot flashes but made other things much worse.", [], [("hot flashes", "benefit")]),
    ("Then I started to also experience muscle soreness and tightness.", ["myalgia", "tightness"], []),
    # the symptoms a condition brings are the condition's, not the product's
    ("She took it daily for her allergy symptoms, which included runny nose and watery eyes.", [], None),
])
def test_experience_phrases_doses_felt_states_and_what_a_condition_brings(
        text: str, effects: list[str], uses: list[tuple[str, str]] | None) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects if not e.negated] == effects
    if uses is not None:
        assert [(u.name, u.stance) for u in x.uses] == uses


def test_experience_a_cue_far_before_a_condition_mostly_taken_for_does_not_make_it_an_effect() -> None:
    text = "When I began treatment with it I had moderately severe rheumatoid arthritis. I have been in remission since."
    x = read_post(text)
    assert [e.name for e in x.effects] == []
    # the same cue reaching the complaint does
    text = "I began getting acne after a month."
    assert [e.name for e in read_post(text).effects] == ["acne"]


@pytest.mark.parametrize(("text", "effects", "uses"), [
    # a noun before an everyday word makes it something else: a treatment period is a length of time
    ("Part of my treatment period was in winter.", [], []),
    # a complaint the post says the product relieved is the writer's condition where no cue calls it an effect
    ("I had bad coughing fits for three weeks. After a week on it my coughing had subsided.", [],
     [("cough", "benefit"), ("cough", "benefit")]),
    # a semicolon with no space after it is a list's comma; a condition's own name heads no list of conditions
    ("reduction in mood swings;night sweats", [], [("mood changes", "benefit"), ("night sweats", "benefit")]),
    ("gallbladder disease;reflux", ["gallbladder disease", "heartburn"], []),
    # "worsen" after a complaint; an opinion of a thing ("it was a nightmare") names no complaint
    ("Initial breakouts worsen for the first weeks. It was a nightmare.", ["breakout"], []),
    # not able to do what the body does; a function taken away; what a product did to a part of the body
    ("The drug made me not able to sleep at night.", ["insomnia"], []),
    ("It took away my appetite.", ["decreased appetite"], []),
    ("It dried out the skin on my arms.", ["skin dryness"], []),
    # what is normal to have is what happens to people, not what happened to the writer
    ("It is normal to have spotting for the first months.", [], []),
    # complaints a condition brought are the condition's
    ("I had terrible itching and sneezing from seasonal allergies.", [], [("seasonal allergy", "unclear")]),
    # a particle verb with an object is done to something; a bare feeling is no goal
    ("It pretty much wiped out the pain.", [], [("pain", "benefit")]),
    ("Started feeling better very quickly.", [], []),
    # a complaint gone sooner than with other remedies was relieved; gone after a week, it passed where the sentence
    # says it was at first, names side effects or tells how mild it was; else it was relieved ("anemia went away")
    ("The rash disappeared much sooner than with other creams.", [], [("rash", "benefit")]),
    ("At first I had a rash, which disappeared after a week.", ["rash"], []),
    ("The side effect, a rash, disappeared after a week.", ["rash"], []),
    ("A mild rash disappeared after a week.", ["rash"], []),
    ("The rash disappeared after a week.", [], [("rash", "benefit")]),
    ("Anemia went away and I had more stamina.", [], [("anemia", "benefit"), ("stamina", "benefit")]),
    # "the back of my hands" is a place on the hands, no back the product helped
    ("I also use the cream on the back of my hands, love the results!", [], []),
    ("It helped my back a lot.", [], [("back", "benefit")]),
    # "felt the bad effects" names no feeling of its own
    ("I lowered the dosage, but still felt the bad effects.", [], []),
    # what the writer does to their body in a care routine is no complaint
    ("Cleansed face am and pm. Pat skin dry.", [], []),
    ("After washing my face I noticed redness and dry skin.", ["redness", "dry skin"], []),
    # what the product stopped was relieved; what the writer had before treatment, or used to get, is history
    ("This medicine stopped post nasal drip and an itching throat.", [],
     [("post nasal drip", "benefit"), ("throat itching", "benefit")]),
    ("Before treatment I could not breathe.", [], []),
    ("I used to get a severe headache at least once a month.", [], []),
    # an allergy to the product is its doing; an allergy to something else is the writer's history
    ("I turned out to be severely allergic to it.", ["allergic"], []),
    ("I am allergic to penicillin.", [], []),
    # "get" tells of a complaint only with the writer as its subject
    ("You only get your period 4 times a year.", [], []),
    ("I still get headaches.", ["headache"], []),
    # what the product is blamed for is no history, however it is told
    ("The doctor told me I had had a stroke as a result of the medicine.", ["stroke"], []),
    # lay words for a taste, for feeling sick, for losing one's mind
    ("The only side effect was an unpleasant aftertaste.", ["taste changes"], []),
    ("It left a horrible, disgusting taste in my mouth and made me want to hurl.", ["taste changes", "nausea"], []),
    ("By day 3 I was losing touch with reality.", ["psychosis"], []),
    # a lower dose relieving a complaint makes it no condition the product relieved
    ("Brain fog till after lunch. Cut the dose to 5 mg to reduce the brain fog.", ["brain fog"],
     [("brain fog", "benefit")]),
    # a new subject ends a negation's scope; disliking a complaint is having had it
    ("It says it doesn't affect weight I did experience weight gain.", ["weight gain"], []),
    ("I did not like the moodiness.", ["mood changes"], []),
    # an adverb between the writer's state and its word; what the antibiotic caused is no history
    ("I got so severely depressed.", ["depressed"], []),
    ("I was diagnosed with a bacterial infection caused by the antibiotic I had taken.", ["infection"], []),
    # what "relaxed" eases is a use; what it "does not make you" is a negated effect
    ("It relaxed the spasms in my back.", [], [("muscle cramps", "benefit")]),
    ("It does not make you drowsy.", [], []),
    # lay words for sleep lost, for sexual effects, for being sick, for anger
    ("I had a very hard time going back to sleep.", ["insomnia"], []),
    ("Sexual side effects - loss of desire. Sick as a dog. Sometimes I lash out for no reason.",
     ["sexual dysfunction", "decreased libido", "malaise", "irritability"], []),
    # years of taking the product are not years of a complaint
    ("I have been taking Lipitor for 2 years and now have terrible joint pain and my legs ache all the time.",
     ["joint pain", "lower limb pain"], []),
    ("I suffered for 20 years with depression.", [], []),
    # what made the writer stop taking it was the product's doing
    ("My cholesterol went down but I stopped it because of the pain.", ["pain"], [("cholesterol", "benefit")]),
    ("I developed an ulcer and had black stools.", ["ulcers", "melena"], []),
    # a function that got worse is a complaint; what passed once the product was stopped was its doing
    ("I noticed my memory was getting worse and I was forgetting words.", ["memory impairment", "memory impairment"],
     []),
    ("Severe stomach pain. Stopped and the pain was gone in 3 days.", ["abdominal pain", "pain"], []),
    # had "since I started" is no history
    ("Not sure if it's the Lipitor but I've had terrible back pain since I started.", ["back pain"], []),
    ("I have had asthma since I was a child.", [], []),
    # "lower back" is where the pain is, no fall of it; the parts listed after a complaint share its reading
    ("pain in left shoulder, right hip, and lower back", ["pain", "pain", "pain"], []),
    # what other people get is theirs, whatever the verb
    ("Some people get muscle pain but I haven't.", [], []),
    # what goes away once the writer is off the product was its doing
    ("I have been off Lipitor for 2 weeks and the pain is slowly going away.", ["pain"], []),
    ("My doctor took me off it and the cramps stopped.", ["muscle cramps"], []),
    ("My headaches are going away.", [], [("headache", "benefit")]),
    # lay words for passing water often and for a pressure that rose
    ("I am constantly thirsty and peeing all the time. My BP went through the roof.",
     ["thirst", "pollakisuria", "hypertension"], []),
    # the family's conditions are not the writer's (what the writer gives a child stays a use)
    ("Two younger brothers with heart attacks in their early 50s.", [], []),
    ("My son with ADHD takes it and it helped.", [], [("attention deficit hyperactivity disorder", "benefit")]),
    # what the writer did to the pills or for exercise is no complaint, no goal
    ("I tried to lower the dose by cutting the pills in half. I also strength train.", [], []),
    # what a test watches for is neither had nor treated
    ("Blood tests every six months to ensure liver health is unaffected.", [], []),
    ("Every three months a blood test for liver issues.", [], []),
    # a test's figure that rose is no verdict of help; a goal that rose is
    ("My liver function numbers have increased slightly since being on Lipitor.", [], []),
    ("My energy has increased.", [], [("increased energy", "benefit")]),
    # "gave me back" names no back; a kind of product is no goal
    ("It gave me back my life.", [], []),
    ("I was prescribed a muscle relaxer.", [], []),
    # "never had" a complaint denies it; only never catching something is a prevention
    ("Never had any nausea or dizziness.", [], []),
    # what stopped once the writer began the product was relieved, whatever cue the time gives
    ("No more headaches since starting.", [], [("headache", "benefit")]),
    # "ceased to exist" is a relief
    ("Acid reflux ceased to exist when taking it.", [], [("heartburn", "benefit")]),
    # had "now for almost a month" is new, not history; had for years is history
    ("I have had spotting now for almost a month.", ["spotting"], []),
    ("I've had migraines for years.", [], []),
    # "have had" with no time said is no history: in a review it is what the product brought
    ("I've had weird skin changes, and severe mood swings.", ["skin changes", "mood changes"], []),
    # a weight gained as a range; falling ill; weariness of something is no state of the body
    ("I gained 10-15 pounds while on the pill.", ["weight gain"], []),
    ("Then I started getting sick.", ["nausea"], []),
    ("I got sick of it. I was tired of waiting.", [], []),
    # dreams of a bad kind, however the writer says when they come
    ("It caused weird night time dreams and bizarre dreams.", ["nightmares", "nightmares"], []),
    # an ontology's synonym that is an ordinary word names no disorder ("odd": oppositional defiant disorder)
    ("I felt odd.", ["odd"], []),
    ("I had odd taste in mouth.", ["taste in mouth"], []),
    # what a body part became: rigid, thinner, blackened, "the most dried and cracked"; a weight written onto its unit
    ("Muscles were rigid. I had a blackened tongue.", ["muscle stiffness", "tongue discoloration"], []),
    ("My lips became the most dried and cracked than ever.", ["lip dryness", "lip cracking"], []),
    ("I gained 3kg and lost 5lbs.", ["weight gain", "weight loss"], []),
    # what a condition (or the writer's own complaint) brings is the condition's, not the product's; what an
    # effect brings stays an effect
    ("The Labyrinthitis causes the dizziness and vomiting.", [], []),
    ("My arthritis gave me pain but Celebrex caused nausea.", ["nausea"], []),
    ("The hallucinations made me sleepless.", ["hallucinations", "insomnia"], []),
    # an ability that begins with a word that is otherwise a filler; lay words for numbness, sedation, malaise
    ("My heart was racing and I couldn't get out of bed.", ["palpitations", "inability to get out of bed"], []),
    ("It knocked me out, I had pins and needles in my hands and I feel like crap.",
     ["drowsiness", "paresthesia", "malaise"], []),
])
def test_experience_lists_opinions_and_what_the_product_relieved(
        text: str, effects: list[str], uses: list[tuple[str, str]]) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects if not e.negated] == effects
    assert [(u.name, u.stance) for u in x.uses] == uses


@pytest.mark.parametrize(("text", "effects", "uses"), [
    # a complaint that comes back when the product is stopped is what it kept away; one that returns while taking it
    # is the product's doing
    ("After not taking the medicine any more the acne has started to come back.", [], [("acne", "benefit")]),
    ("Two attempts were made to discontinue use, but both times the anxiety returned.", [], [("anxiety", "benefit")]),
    ("If I stop, my headaches reoccur within weeks.", [], [("headache", "benefit")]),
    ("I took it for a week and the nausea returned every morning.", ["nausea"], []),
    # the reason a product was started, said after "because", is a use; the reason it was stopped is an effect
    ("My doctor added Abilify because I was feeling really fatigued and unable to function.", [],
     [("fatigue", "unclear"), ("inability to function", "unclear")]),
    ("I stopped it because I was having headaches.", ["headache"], []),
    # being prone to a complaint is the writer's history when said of them now or always, not during the product
    ("I have always been prone to yeast infections. I am prone to migraines.", [], []),
    ("During treatment I was also prone to nose bleeds and fragile skin.", ["epistaxis", "fragile skin"], []),
    # a complaint not had until a time said was had from then on
    ("I did not experience sleeplessness until the third night.", ["insomnia"], []),
    ("I had no headaches until week 3.", ["headache"], []),
    # a cure said later in the sentence is of what the writer had; a passing is not a cure
    ("I had debilitating panic attacks and agoraphobia and Celexa completely saved me.", [],
     [("panic attacks", "benefit"), ("agoraphobia", "benefit")]),
    ("The urinary tract infection which caused frequent urination was completely cleared up.", [],
     [("urinary tract infection", "benefit"), ("pollakisuria", "benefit")]),
    # what the writer cannot do without the product is what it makes possible
    ("I can't get to sleep without it.", [], [("insomnia", "benefit")]),
    # an inability named as a noun is the complaint, not the ability a goal
    ("Inability to sleep some nights is the worst side effect.", ["insomnia"], []),
    # a function or a goal said to be impaired is a complaint
    ("Some delayed sexual function, although not severe.", ["impaired sexual function"], []),
    # what a relief left out ("except for") it did nothing for
    ("It alleviated my headaches except for a slight cough.", [], [("headache", "benefit"), ("cough", "no_benefit")]),
    ("No side effects except for a slight cough.", ["cough"], []),
    # a fall in the mention's own words is its verdict; "didn't seem as achey" is a relief, not "didn't seem to help"
    ("It did lower my BP some.", [], [("hypertension", "benefit")]),
    ("It helped reduce my total cholesterol numbers.", [], [("high cholesterol", "benefit")]),
    ("It controls my blood sugar well.", [], [("hyperglycemia", "benefit")]),
    # a harm whose risk it spared is no condition it treated
    ("Lowering of blood sugar without risk of hypoglycemia", [], [("hyperglycemia", "benefit")]),
    ("Some swelling of ankles was reduced and I didn't seem as achey.", [],
     [("ankle swelling", "benefit"), ("ache", "benefit")]),
    # a verdict on the writer's own change of habits is none on the product (seen on the atorvastatin page)
    ("I cutback on the coffee and did not notice a difference in stomach issues.", [], []),
    # a body part after a word of place is where, not a goal; a goal's word used as a verb with an object is no goal
    ("My wrinkles around my eyes were noticeably improving.", [], [("periorbital wrinkles", "benefit")]),
    ("Fine lines around eyes appear slightly reduced.", [], []),  # no "eye" helped
    # "back" as where one ended up, "period" as a stretch of time: no goal
    ("Oral form did not work and she ended up back in the hospital within 24 hours.", [], []),
    ("During that time, there was a back and forth response from my body.", [], []),
    # the verdict in the complaint's own words
    ("My Blood Pressure is still high sometimes.", [], [("hypertension", "no_benefit")]),
    # what was watched, and what the writer feared from others' reviews: neither had nor treated
    ("Liver function was monitored.", [], []),
    ("I was afraid at first because of all the negative reviews concerning irritation.", [], []),
    # a help the product cannot give
    ("Excellent! Can't enhance the mood if it is not there.", [], [("mood", "no_benefit")]),
    ("This lotion was applied twice a day for a period of one year and it helped.", [], []),
    ("I went back to using benzoyl peroxide to try to calm down the acne.", [], [("acne", "benefit")]),
    # an instruction for what may come is neither had nor treated
    ("He told me to apply it twice a day but, if my skin becomes dry, to reduce it to one a day.", [], []),
    # what a relief said of a group takes in, and a list that goes on past an aside
    ("All menopausal symptoms are gone, including headaches, hot flashes (every hour on the hour), memory loss.", [],
     [("menopausal symptoms", "benefit"), ("headache", "benefit"), ("hot flashes", "benefit"),
      ("memory impairment", "benefit")]),
])
def test_experience_what_the_product_kept_away_and_how_the_writer_said_it(
        text: str, effects: list[str], uses: list[tuple[str, str]]) -> None:
    x = read_post(text)
    assert [e.name for e in x.effects if not e.negated] == effects
    assert [(u.name, u.stance) for u in x.uses] == uses


@pytest.mark.parametrize(("text", "spans_read"), [
    # the parts a complaint is of, listed with "and" or ending so: one complaint (not a part that begins the next)
    ("I had achy joints and neck.", ["achy joints and neck"]),
    ("Some irritation near mouth and nose.", ["irritation near mouth and nose"]),
    ("I got a rash on my back, neck and face.", ["rash on my back, neck and face"]),
    ("Dry eyes and lips, tingling in the hands/feet.", ["Dry eyes and lips", "tingling in the hands/feet"]),
    ("A rash on my back, stomach cramps, a sore throat and stomach ache.",
     ["rash on my back", "stomach cramps", "sore throat", "stomach ache"]),
    # how much or in what bouts a complaint came is part of its span
    ("I had a little bit of sensitivity and bouts of diarrhoea.", ["little bit of sensitivity", "bouts of diarrhoea"]),
    # the words that open a list item are not the complaint's
    ("Began with huge clots and now minor spotting.", ["huge clots", "minor spotting"]),
    # an adverb made of a degree word is a degree word
    ("I was severely depressed and overly anxious.", ["severely depressed", "overly anxious"]),
    ("I felt actually depressed.", ["depressed"]),
])
def test_experience_spans_take_in_the_parts_listed_and_the_degree_said(text: str, spans_read: list[str]) -> None:
    assert spans(text, read_post(text)) == spans_read


@pytest.mark.parametrize(("text", "name"), [
    # an adjective English makes of a symptom's noun names its concept (scripts/build_lay_lexicon.py)
    ("I was totally delusional.", "delusion"),
    ("He became agitated and psychotic.", "agitation"),
])
def test_experience_adjectives_of_symptom_nouns_name_their_concept(text: str, name: str) -> None:
    assert [e.name for e in read_post(text).effects][:1] == [name]



def test_experience_a_verdict_taken_from_the_post_cites_the_mentions_own_sentence() -> None:
    # the post's verdict said of something else is no quote for this condition: its own sentence names it
    text = "Later they added Adderall as I have also fibromyalgia. This helped the depression and low energy."
    x = read_post(text)
    cited = {u.name: text[u.sentence.start:u.sentence.end] for u in x.uses}
    assert cited["fibromyalgia"] == "Later they added Adderall as I have also fibromyalgia."
    assert cited["depression"] == "This helped the depression and low energy."


@pytest.mark.parametrize(("text", "not_had", "helped"), [
    # after tolerating or taking it: a side effect not had
    ("Once my skin tolerated this routine after about a month without flakiness I went to every other night.",
     ["flakiness"], []),
    ("I tolerated it well without any nausea.", ["nausea"], []),
    ("Very quick migraine relief with no nausea or drowsiness.", ["nausea", "drowsiness"], ["migraine"]),
    ("Strattera helped my son slow down without making him groggy.", ["groggy"], []),
    ("It worked as well with out the druggy feelings and sickness.", ["sickness"], []),
    # what the writer can do free of a complaint: the relief
    ("I can now walk without pain.", [], ["pain"]),
    ("Able to breathe in a relaxed way and without wheezing.", [], ["wheezing"]),
    # a complaint reviewers take products for, whatever the verb: the relief
    ("Woke in the mornings without back aches.", [], ["back aches"]),
    ("Zoloft allowed me to continue my daily activities without feeling depressed or anxious.", [],
     ["depressed", "anxious"]),
])
def test_experience_without_a_complaint_is_a_side_effect_not_had_or_a_relief(
        text: str, not_had: list[str], helped: list[str]) -> None:
    x = read_post(text)
    assert spans(text, x, negated=True) == not_had
    assert [text[u.span.start:u.span.end] for u in x.uses if u.verdict == "helped"] == helped
    assert not spans(text, x)


def test_experience_not_just_is_no_negation() -> None:
    text = "Not just headaches, I also got nausea."
    x = read_post(text)
    assert spans(text, x) == ["headaches", "nausea"]  # more than it, not none of it


def test_experience_a_condition_another_drug_was_taken_for_is_not_the_products(tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\tlexapro\t8\tConsiderably Effective\tMild Side Effects\tdepression\t"
                      "My depression lifted.\tnone\tI was also given klonopin for sleep. Later they added Adderall as "
                      "I have also fibromyalgia. Unlike Zoloft, this helped my anxiety. I went back to using benzoyl "
                      "peroxide to calm down the acne.\n")
    x = extract(doc)
    # sleep and fibromyalgia are what klonopin and Adderall were taken for, whatever the review's rating says; what
    # calmed the acne was benzoyl peroxide
    assert sorted(u.name for u in x.uses) == ["anxiety", "depression"]


def test_experience_aside_from_before_a_relief_adds_to_it() -> None:
    text = "Aside from acne, it seemed to help my skin in general."
    assert {(u.name, u.verdict) for u in read_post(text).uses} == {("acne", "helped"), ("skin", "helped")}
    text = "It alleviated my symptoms except for a slight cough."
    assert [(u.name, u.verdict) for u in read_post(text).uses] == [("cough", "nothing")]  # the one it left


def test_experience_what_made_the_writer_stop_said_first_is_an_effect() -> None:
    text = "Prescribed 875mg 2x/day for seven days but because of the horrific diarrhea, stopped at five days."
    assert spans(text, read_post(text)) == ["horrific diarrhea"]


@pytest.mark.parametrize(("text", "effects"), [
    ("While it helped my face, it consequently dried out the skin on my whole body as well.",
     ["dried out the skin on my whole body"]),
    ("Please dont take this medicine it made my acne horrible!", ["acne"]),
    ("It was as if the medication numbed my senses.", ["numbed"]),
    ('I took myself off of it because I was tired of the "hangover" effect.', ["hangover"]),
    # a relief said of it after the complaint is no harm
    ("HOWEVER it makes the pain somewhat disappear.", []),
    # what passed by itself, what the writer put up with, what stopping the product relieved, what made them take less
    ("I had some abdominal pain but it was not significant and went away on its own.", ["abdominal pain"]),
    ("Once in a while I have a day or two of soreness, but very tolerable.", ["soreness"]),
    ("Stopping the Capoten relieved the cough after about 3 weeks.", ["cough"]),
    ("Taken daily at first and then, due to stomach irritation, reduced to use only when needed.",
     ["stomach irritation"]),
    ("However due to how tired I get for the entire next day, I only take as needed.", ["tired"]),
    ("The first time no problems apart from a dry mouth and stopped smoking for 18 months.", ["dry mouth"]),
    # made bearable is a relief
    ("It did not eliminate the pain completely, but made it very tolerable.", []),
])
def test_experience_what_the_product_did_to_the_writer_is_an_effect(text: str, effects: list[str]) -> None:
    assert spans(text, read_post(text)) == effects


def test_experience_side_effects_the_sentence_then_denies_are_not_had() -> None:
    text = "I read the pamphlet and there are a few side effects such as dizziness but I didn't suffer any."
    x = read_post(text)
    assert spans(text, x, negated=True) == ["dizziness"] and not spans(text, x)
    text = "I had hoped to have the side effect of weight loss but didn't."
    assert not spans(text, read_post(text))


def test_experience_the_cause_of_a_complaint_is_not_an_effect() -> None:
    text = "Reduction of itching which was caused by seasonal allergies."
    x = read_post(text)
    assert not x.effects
    assert {u.name for u in x.uses} == {"itching", "seasonal allergy"}


def test_experience_a_use_taking_the_rating_cites_its_own_sentence_unless_the_verdict_is_said_of_all(
        tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\tlexapro\t10\tHighly Effective\tMild Side Effects\tdepression\t"
                      "I was in denial to the fact I was depressed. The intense guilt I felt about everything has "
                      "almost gone.\tnone\tnone\n")
    [use] = [u for u in extract(doc).uses if u.name == "depressed"]
    # "everything" there is what the guilt was about, not what the review says got better
    assert doc.text[use.sentence.start:use.sentence.end] == "I was in denial to the fact I was depressed."


def test_experience_what_another_drug_did_is_not_the_products_effect(tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\tclimara\t7\tConsiderably Effective\tMild Side Effects\tmenopause\tFewer hot flashes.\t"
                      "Side effects were constipation, for which I was prescribed Lactulose, headaches which "
                      "would last for days.\tI originally took Premarin which gave me nausea.\n")
    # Premarin's nausea is not Climara's; Lactulose, a remedy for what Climara did, changes nothing
    assert spans(doc.text, extract(doc)) == ["constipation", "headaches"]


def test_experience_a_remedy_switched_to_is_not_the_products_use(tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\tretin-a\t8\tConsiderably Effective\tMild Side Effects\tacne\tSmoother skin.\tnone\t"
                      "I discontinued use after 3 weeks and went back to using benzoil peroxide to try to calm "
                      "down the acne. Now I use it for overall skin appearance (not just for acne). I also requested "
                      "a change to another cream and no longer have a rash problem.\n")
    said = [(doc.text[u.span.start:u.span.end], u.verdict) for u in extract(doc).uses]
    # the first acne is the misspelt remedy's; the second a purpose among others, taking the review's verdict
    assert ("acne", "helped") in said and ("acne", "nothing") not in said
    assert [u for u in extract(doc).uses if "benzoil" in doc.text[u.sentence.start:u.sentence.end]] == []
    assert "rash" not in {u.name for u in extract(doc).uses}  # what the other cream cleared


def test_experience_a_goal_denied_takes_no_verdict_from_the_rating(tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\tlexapro\t2\tIneffective\tMild Side Effects\tdepression\tnone\t"
                      "There were no weight loss/gain experiences.\tnone\n")
    assert "weight loss" not in {u.name for u in extract(doc).uses}  # not "did nothing for weight loss"


def test_experience_side_effects_a_review_names_are_no_benefits_whatever_its_column(tmp_path) -> None:
    [doc] = read_rows(tmp_path,
                      "1\taccutane\t8\tConsiderably Effective\tModerate Side Effects\tacne\t"
                      "Cleared my acne. I did get side effects: headaches and dry mouth.\tDry skin.\t"
                      "I didn't experience any of the other side effects often mentioned such as depression.\n")
    x = extract(doc)
    assert spans(doc.text, x) == ["headaches", "dry mouth", "Dry skin"]
    assert spans(doc.text, x, negated=True) == ["depression"]
    assert [u.name for u in x.uses] == ["acne"]


@pytest.mark.parametrize("text", ["G.I disorder (? other drugs) bronchial spasm - stopped after cessation of drug",
                                  "My blood pressure came down. Bad cough -- went away after I stopped the pills."])
def test_experience_a_dash_stands_for_the_verb_of_what_became_of_a_complaint(text: str) -> None:
    x = read_post(text)
    named = {"muscle cramps", "cough"}
    assert [u for u in x.uses if u.name in named] == []
    assert {e.name for e in x.effects} & named


def test_experience_a_run_on_review_is_cut_at_its_writers_full_stops() -> None:
    parse = importlib.import_module("materia.extract.parse").parse  # the module, shadowed by its function
    text = ("i was severly depressed for weeks and would just cry all the time and nothing my doctor gave me worked at "
            "all. one day my doctor said lets try a new drug, about 5 lbs. in weight went and i was started on 75 mg "
            "for about 2 months.Then i got terrible headaches from it. Raises my energy. helps me.")
    doc = as_post(Document(source="post.txt", sha256="", text=text, kind="article", format="text"))
    parsed = parse(doc)
    said = [text[s.start:s.end] for s in post_sentences(parsed, doc.posts[0].span)]
    assert said[0].endswith("worked at all.") and said[1].startswith("one day") and said[1].endswith("2 months.")
    assert "5 lbs. in weight" in said[1]  # a unit's full stop ends nothing
    assert said[2] == "Then i got terrible headaches from it."
    assert "Raises my energy. helps me." in said  # a short sentence is kept whole
    assert {e.name for e in read_post(text).effects} >= {"headache"}


@pytest.mark.parametrize(("text", "helped"), [("my depression lifted and i had alot more energy.", True),
                                              ("I need more sleep", False), ("I wish I had more energy", False)])
def test_experience_more_of_a_goal_is_its_help(text: str, helped: bool) -> None:
    goals = [u for u in read_post(text).uses if u.name in ("energy", "sleep")]
    assert bool(goals and goals[0].verdict == "helped") is helped


def test_experience_a_complaint_that_rose_is_worse_never_helped(tmp_path) -> None:
    # a benefits column names what the product helped, unless the writer says the complaint rose
    [doc] = read_rows(tmp_path,
                      "1\taricept\t2\tIneffective\tMild Side Effects\talzheimer's disease\t"
                      "Anxiety continued to increase. The patient became more agitated more easily. "
                      "Her memory improved a little.\tnone\tnone\n")
    verdicts = {u.name: u.verdict for u in extract(doc).uses}
    assert verdicts["anxiety"] == "worse" and verdicts["agitation"] == "worse"
    assert "helped" in verdicts.values()  # what it did help: "Her memory improved a little"


@pytest.mark.parametrize("text", ["It gave me increased sleep quality and I love it.",
                                  "My anxiety has not increased since I started it, which I love."])
def test_experience_no_rise_of_a_complaint_in_a_measure_or_denied(text: str) -> None:
    assert not [u for u in read_post(text).uses if u.verdict == "worse"]


def test_experience_unchanged_or_worsened_is_a_verdict_that_it_did_nothing() -> None:
    x = read_post("The behavior and memory problems remained unchanged or worsened over time.")
    assert [u.verdict for u in x.uses] == ["nothing"]


def test_experience_a_warning_of_a_complaint_is_spoken_of_not_had() -> None:
    x = read_post("Because of the warning of photosensitivity increase to sun exposure I used sunscreen daily.")
    assert not x.effects and not [u for u in x.uses if u.verdict]


def test_experience_a_goal_listed_in_the_side_effects_column_among_complaints_is_an_effect(tmp_path) -> None:
    [doc] = read_rows(tmp_path, "1\tritalin\t7\tModerately Effective\tMild Side Effects\tadhd\t"
                                "marked improvement in behavior\tweight loss, jittery feeling, insomnia\tnone\n")
    x = extract(doc)
    assert spans(doc.text, x) == ["weight loss", "jittery feeling", "insomnia"] and not x.uses


def test_experience_a_clause_denying_the_help_said_before_is_a_verdict_that_it_did_nothing() -> None:
    x = read_post("I took it for a sinus infection. Infection cleared up but the cough did not. My acne cleared but "
                  "the redness didn't. The headaches have not since returned.")
    verdicts = {u.name: u.verdict for u in x.uses}
    assert verdicts["cough"] == "nothing" and verdicts.get("redness") != "helped"
    assert verdicts["acne"] == "helped" and verdicts.get("headache") != "nothing"  # not "have not since returned"


def test_experience_a_complaint_read_or_heard_about_is_spoken_of_not_had() -> None:
    x = read_post("I read about hair loss in the reviews. It gave me a headache.")
    assert [e.name for e in x.effects] == ["headache"]


def test_experience_a_complaint_from_a_condition_named_is_not_from_the_product() -> None:
    x = read_post("It did get rid of the pain in my ears from the infection really quickly.")
    assert not x.effects and {u.name: u.verdict for u in x.uses}.get("pain") == "helped"
    assert [e.name for e in read_post("I got terrible headaches from the pills.").effects] == ["headache"]


def test_experience_what_another_drug_as_the_subject_of_the_clause_did_is_not_the_products(tmp_path) -> None:
    [doc] = read_rows(tmp_path, "1\twellbutrin\t8\tHighly Effective\tMild Side Effects\tdepression\t"
                                "Lexapro would diminish my libido and make it difficult to reach orgasm.\tnone\tnone\n")
    x = extract(doc)
    assert not x.uses and not x.effects  # Lexapro's doing, not a libido Wellbutrin helped


def test_experience_a_condition_another_drug_treated_is_not_the_products_use(tmp_path) -> None:
    [doc] = read_rows(tmp_path, "1\twellbutrin\t8\tHighly Effective\tMild Side Effects\tdepression\tIt works.\tnone\t"
                                "I originally was treated with Zoloft for a severe episode of depression.\n")
    assert not extract(doc).uses
