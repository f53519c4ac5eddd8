"""Lay mentions: the vocabulary, spelling correction and symptoms described in the writer's own words."""
from __future__ import annotations

import pytest

from materia.extract.lay_mentions import correct, mentions


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.name) for m in mentions(text)]


def test_lay_mentions_find_lay_phrases() -> None:
    text = "swollen ankles and I can't sleep"
    assert found(text) == [("swollen ankles", "ankle swelling"), ("can't sleep", "insomnia")]


@pytest.mark.parametrize(("text", "span", "name"), [
    ("then I lost my appetite completely", "lost my appetite", "decreased appetite"),
    ("My sleep was disrupted for weeks", "sleep was disrupted", "sleep disturbance"),
    ("after a month my knees hurt all the time", "knees hurt", "knee pain"),
    ("I felt totally drugged the next day", "totally drugged", "drugged"),
    ("I couldn't eat for two days", "couldn't eat", "inability to eat"),
    ("no appetite, zero energy", "zero energy", "fatigue"),
    ("the urge to smoke", "urge to smoke", "urge to smoke"),
    ("I gained 20 lbs in a year", "gained 20 lbs", "weight gain"),
    ("a weight gain of 15 lbs", "weight gain of 15 lbs", "weight gain"),
    ("I could barely walk up the stairs", "could barely walk", "inability to walk"),
    ("woozy and drugged the next day", "drugged", "drugged"),
    ("High depression, anxiety attacks", "anxiety attacks", "anxiety"),
    ("Depression of mood, slight irritability", "Depression of mood", "depression"),
    ("it helps my kidney function", "kidney function", "kidney function"),
    ("I became very depressed", "very depressed", "depressed"),
    ("then I got so groggy", "so groggy", "groggy"),
    # a part named in two words, and the sensation of a symptom, are the writer's phrase for it
    ("cracks around my eye area", "cracks around my eye area", "eye cracking"),
    ("severe swelling on my knee joints", "severe swelling on my knee joints", "knee swelling"),
    ("a stinging sensation", "stinging sensation", "stinging"),
    # a weight gained as a range, or written onto its unit
    ("I gained 10-15 pounds while on the pill", "gained 10-15 pounds", "weight gain"),
    ("I put on 3kg", "put on 3kg", "weight gain"),
])
def test_lay_mentions_symptoms_in_the_writers_words(text: str, span: str, name: str) -> None:
    assert (span, name) in found(text)


def test_lay_mentions_keep_degree_words_and_the_body_part_not_a_determiner() -> None:
    text = "some skin irritation and very itchy eyes"
    spans = [s for s, _ in found(text)]
    assert spans == ["skin irritation", "very itchy eyes"]


def test_lay_mentions_everyday_words_are_goals_only() -> None:
    (mention,) = mentions("it helps my sleep")
    assert mention.kind == "benefit"


def test_lay_mentions_spelling_correction_spares_ordinary_words() -> None:
    assert correct("nausious") == "nauseous"
    assert correct("diarrea") == "diarrhea"
    assert correct("desisions") == "desisions"  # nearer "decisions" than any symptom
    assert correct("medication") == "medication"


@pytest.mark.parametrize(("text", "spans"), [
    ("My skin burned and stung.", ["skin burned", "stung"]),
    ("Knees hurt, were creaking and swollen", ["Knees hurt", "creaking", "swollen"]),
    ("my eyes used to be itchy and reddish", ["eyes used to be itchy", "reddish"]),
    ("joint pain in neck, back, hips, and jaw", ["joint pain in neck", "back", "hips", "jaw"]),
    # two parts joined by "and" that end the phrase are one complaint's place, as reviewers' spans are annotated
    ("pain in my legs and arms", ["pain in my legs and arms"]),
])
def test_lay_mentions_each_item_of_a_described_list_is_a_mention(text: str, spans: list[str]) -> None:
    assert [s for s, _ in found(text)] == spans


def test_lay_mentions_a_listed_part_stops_at_punctuation_and_other_words() -> None:
    assert [s for s, _ in found("pain in my back. Arms were fine")] == ["pain in my back"]
    assert [s for s, _ in found("pain in my back and then my legs")] == ["pain in my back"]


@pytest.mark.parametrize(("text", "span"), [
    ("Drying of the skin", "Drying of the skin"),
    ("cracks around my eye area", "cracks around my eye area"),
    ("bitterness in the mouth", "bitterness in the mouth"),
    ("I felt sick to my stomach", "sick to my stomach"),
    ("Unclear thinking", "Unclear thinking"),
    ("I have put on a bit of weight", "put on a bit of weight"),
    ("there were emotional disturbances", "emotional disturbances"),
])
def test_lay_mentions_described_complaints_with_their_place(text: str, span: str) -> None:
    assert span in [s for s, _ in found(text)]


@pytest.mark.parametrize("text", ["I was off it for a week", "I was down to one pill", "I got high marks"])
def test_lay_mentions_ordinary_words_are_feelings_only_after_feel(text: str) -> None:
    assert not found(text)


@pytest.mark.parametrize(("word", "corrected"), [
    ("peeing", "peeing"), ("sweets", "sweets"), ("lived", "lived"), ("visiting", "visiting"),  # words of English
    ("irritating", "irritation"), ("withdrawals", "withdrawal"),  # forms of a vocabulary word
    ("nausious", "nauseous"), ("insomia", "insomnia"),  # misspellings
])
def test_lay_mentions_a_word_of_english_is_never_corrected_into_another(word: str, corrected: str) -> None:
    assert correct(word) == corrected


@pytest.mark.parametrize(("text", "named"), [
    ("I had ringing in my ears", [("ringing in my ears", "tinnitus")]),  # the term says "the", the writer "my"
    ("I threw up twice and passed out", [("threw up", "vomiting"), ("passed out", "syncope")]),
    ("it makes me dizzy", [("dizzy", "dizziness")]),  # what it made the writer feel
])
def test_lay_mentions_the_writers_own_ways_of_saying_a_symptom(text: str, named: list[tuple[str, str]]) -> None:
    assert [(text[m.start:m.end], m.name) for m in mentions(text)] == named


def test_lay_mentions_a_labels_abbreviation_names_a_reaction_only_in_capitals() -> None:
    # the labels write TEN, DRESS and MS in capitals (bench/tac_adr.py counts it); "fall" and "died" they do not
    assert mentions("Over the ten years that I have used this") == []
    assert [m.name for m in mentions("I developed TEN and was hospitalised")] == ["ten"]
    assert [m.name for m in mentions("Nearly died after a severe reaction")] == ["died"]


def test_lay_mentions_an_acronym_reviewers_write_names_its_term_only_in_capitals() -> None:
    text = "Reduced BP a few points, my UTI cleared and it helped my RA. I add salt; bp cuff."
    found = [(text[m.start:m.end], m.name) for m in mentions(text)]
    assert ("UTI", "urinary tract infection") in found and ("RA", "rheumatoid arthritis") in found
    assert any(surface.endswith("BP") for surface, _ in found)
    assert not any(surface.islower() for surface, _ in found)  # "add", "bp cuff": no capitals, no acronym


@pytest.mark.parametrize("text", ["I had a tight schedule at work", "That is a weak argument",
                                  "I felt a faint shadow of it", "drifting in a foggy twilight"])
def test_lay_mentions_a_symptom_adjective_before_a_thing_is_no_symptom(text: str) -> None:
    assert not found(text)


@pytest.mark.parametrize(("text", "span"), [("It gave me a dry mouth", "dry mouth"),
                                            ("I had a weak feeling all day", "weak feeling"),
                                            ("I had a dizzy spell", "dizzy spell"),
                                            ("I felt a weak and shaky", "weak")])
def test_lay_mentions_a_symptom_adjective_before_a_body_part_or_feeling_stays(text: str, span: str) -> None:
    assert span in [s for s, _ in found(text)]


@pytest.mark.parametrize(("text", "named"), [
    ("stable mood, calm stomach and overall stability", [("mood", "mood"), ("calm stomach", "stomach")]),
    ("I finally got my libido back", [("libido", "libido"), ("back", "back")]),  # no "libido back"
])
def test_lay_mentions_a_goal_adjective_before_a_body_part_is_one_goal(text: str,
                                                                      named: list[tuple[str, str]]) -> None:
    assert found(text) == named


@pytest.mark.parametrize("text", ["I had been given other blood pressure medication", "any depression medication",
                                  "it was given as a mood stabilizer", "strong pain killers like darvocet",
                                  "over the counter sinus headache medication", "my thyroid meds were bumped up"])
def test_lay_mentions_a_complaint_before_a_product_noun_names_a_kind_of_product(text: str) -> None:
    assert not found(text)  # nor the words inside it: no "blood" goal in "blood pressure medication"


def test_lay_mentions_a_product_form_is_no_symptom_in_either_number() -> None:
    # "eye drop" is a layperson's synonym of ptosis; "eye drops" a product form (a stop word): in both numbers
    assert "ptosis" not in [name for _, name in found("I use the eye drops twice a day and an eye drop at night")]
    assert not found("I use the eye drops twice a day")  # nor an "eye" goal: the phrase names none
    assert ("blood sugar", "blood sugar") in found("it caused dramatic blood sugar drops")  # a fall, no product


@pytest.mark.parametrize("text", ["over a period of twelve hours, little or no relief", "for long periods.Valium works",
                                  "within a 24 hour period", "a short period where I ran out of it",
                                  "during an extremely stressful period in my life", "the 7 day placebo period"])
def test_lay_mentions_a_period_of_time_is_no_menses(text: str) -> None:
    assert not found(text)


@pytest.mark.parametrize("text", ["my period only came once every three months", "it described 4 periods per year",
                                  "It did control my periods"])
def test_lay_mentions_menses_stay_a_goal(text: str) -> None:
    assert [name for _, name in found(text)] == ["period"]


@pytest.mark.parametrize("text", ["I opted for weight-bearing exercise", "a skin-care routine", "this sleep-aid"])
def test_lay_mentions_an_everyday_word_starting_a_compound_is_no_goal(text: str) -> None:
    assert not found(text)
