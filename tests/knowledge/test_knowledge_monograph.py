from __future__ import annotations

import dataclasses
from datetime import date

from kb_helpers import make_doc, make_item

from materia.knowledge import normalise_substance
from materia.knowledge.conditions import canonical, lineage
from materia.knowledge.monograph import build, claims, effects_in_posts


def test_monograph_sections_in_order_with_all_sources() -> None:
    a, b = make_doc(1, refs=True), make_doc(2, kind="monograph")
    items = [make_item(a, "use", "diarrhoea", "benefit", "rct"), make_item(b, "use", "diarrhea", "benefit", "none"),
             make_item(a, "dose", "diarrhea", span=(3, 9), low=5, high=10, unit="g", per="day", context="diarrhea"),
             make_item(b, "effect", "headache"), make_item(b, "effect", "nausea", "negated"),
             make_item(a, "statement", "timing", "with food")]
    m = build("glutamine", [a, b], items)
    assert [s.title for s in m.sections][:3] == ["Usage", "Dosage", "Side Effects"]
    assert [s.key for s in m.sections] == ["usage", "dosage", "side_effects", "mechanism", "precautions", "faq"]
    usage = m.sections[0].claims
    assert len(usage) == 1 and len(usage[0].citations) == 2
    assert [c.name for c in m.sections[2].claims] == ["headache"]
    assert m.doses[0].highest_g_per_day == 10
    assert m.uses[0].grade == "moderate"
    assert m.sources[0].source_kind == "referenced article"
    dataclasses.asdict(m)


def test_monograph_community_counts_posts_and_side_effects() -> None:
    c = make_doc(3, kind="community")
    items = [make_item(c, "post", "ann", "5", span=(0, 100), rating=5, condition="anxiety", author="ann",
                       date="2013-09-10", topic="Sleep"),
             make_item(c, "post", "bob", "3", span=(100, 200), rating=3, condition="anxiety"),
             make_item(c, "effect", "headache", span=(120, 128))]
    m = build("glutamine", [c], items)
    assert m.community.n_posts == 2 and m.community.mean_rating == 4
    assert m.community.conditions[0].distribution == ((3, 1), (5, 1))
    assert m.community.side_effects == (("headache", 1),)
    ann, bob = m.community.reports
    assert (ann.author, ann.date, ann.rating, ann.rating_scale, ann.topic, ann.effects) == (
        "ann", date(2013, 9, 10), 5, 5, "Sleep", ())
    assert (bob.document_id, bob.span, bob.effects, bob.date) == (3, (100, 200), ("headache",), None)


def test_monograph_side_effects_are_counted_once_per_post_and_only_when_reported() -> None:
    c, other = make_doc(4, kind="community"), make_doc(5, kind="community")
    items = [make_item(c, "post", "ann", span=(0, 100)), make_item(c, "post", "bob", span=(100, 200)),
             make_item(c, "effect", "Headache", span=(10, 18)), make_item(c, "effect", "headache", span=(40, 48)),
             make_item(c, "effect", "headache", span=(150, 158)),
             make_item(c, "effect", "nausea", "negated", span=(20, 26)),
             make_item(c, "effect", "rash", "hypothetical", span=(30, 34)),
             make_item(c, "effect", "dizziness", span=(250, 259)),  # after every post
             make_item(other, "effect", "fatigue", span=(10, 17))]  # a document without posts
    effects = effects_in_posts(items)
    assert sorted(effects.values()) == [("headache",), ("headache",)]
    m = build("glutamine", [c, other], items)
    assert m.community.side_effects == (("headache", 2),)
    assert [r.effects for r in m.community.reports] == [("headache",), ("headache",)]


def test_monograph_names_normalise() -> None:
    assert normalise_substance("L-Glutamine") == "glutamine"
    assert canonical("Leaky Gut") == "intestinal permeability"
    assert lineage("Crohn’s")[:2] == ("crohn's disease", "inflammatory bowel disease")


def test_knowledge_monograph_community_verdicts_and_reported_effects() -> None:
    from materia.knowledge.monograph import community

    doc = make_doc(40, kind="community")
    post_a = make_item(doc, "post", "anonymous", span=(0, 100))
    post_b = make_item(doc, "post", "anonymous", span=(100, 200))
    items = [post_a, post_b,
             make_item(doc, "use", "arthritis", "benefit", "anecdote", span=(5, 14), verdict="helped"),
             make_item(doc, "use", "arthritis", "no_benefit", "anecdote", span=(105, 114), verdict="nothing"),
             make_item(doc, "use", "acne", "no_benefit", "anecdote", span=(120, 124), verdict="worse"),
             make_item(doc, "effect", "headache", None, span=(20, 28)),
             make_item(doc, "effect", "headache", None, span=(40, 48)),  # same post: counted once
             make_item(doc, "effect", "headache", None, span=(130, 138)),
             make_item(doc, "effect", "nausea", "negated", span=(150, 156))]
    c = community(items)
    verdicts = {v.condition: (v.helped, v.nothing, v.worse) for v in c.verdicts}
    assert verdicts == {"arthritis": (1, 1, 0), "acne": (0, 0, 1)}
    assert [(r.name, r.count, len(r.quotes)) for r in c.reported_effects] == [("headache", 2, 2)]
    assert c.reported_effects[0].quotes[0].span == (20, 28)


def test_knowledge_monograph_community_counts_review_rows_once_per_post() -> None:
    from materia.knowledge.monograph import community

    rows = [dataclasses.replace(make_doc(50 + n, kind="review"), record=f"row {n}", content_key=f"text:{n}")
            for n in range(3)]
    items = [make_item(r, "post", "anonymous", span=(0, 300)) for r in rows]
    items += [make_item(rows[0], "use", "migraine", "benefit", "anecdote", span=(10, 18), verdict="helped"),
              make_item(rows[0], "use", "migraine", "benefit", "anecdote", span=(60, 68), verdict="helped"),
              make_item(rows[1], "use", "migraine", "no_benefit", "anecdote", span=(10, 18), verdict="nothing"),
              make_item(rows[2], "use", "migraine", "benefit", "anecdote", span=(10, 18), verdict="helped"),
              make_item(rows[0], "effect", "drowsiness", None, span=(100, 110)),
              make_item(rows[0], "effect", "drowsiness", None, span=(150, 160)),
              make_item(rows[1], "effect", "drowsiness", None, span=(100, 110))]
    c = community(items)
    assert c.n_posts == 3
    assert [(v.condition, v.helped, v.nothing, v.worse) for v in c.verdicts] == [("migraine", 2, 1, 0)]
    assert len(c.verdicts[0].quotes) == 3  # one per row
    assert [(r.name, r.count) for r in c.reported_effects] == [("drowsiness", 2)]
    assert c.side_effects == (("drowsiness", 2),)  # posts mentioning it, not mentions


def test_monograph_claim_quotes_the_strongest_kind_of_source_first() -> None:
    post, label, article = make_doc(1, "community"), make_doc(2, "label"), make_doc(3, "article", refs=True)
    items = [make_item(post, "effect", "headache"), make_item(article, "effect", "headache"),
             make_item(label, "effect", "headache")]
    (claim,) = claims(items)
    # the regulator's and the referenced article's words before one person's, whatever order the store gave
    assert [c.source_kind for c in claim.citations] == ["referenced article", "label", "community report"]


def test_monograph_community_counts_a_condition_written_differently_once() -> None:
    c = make_doc(3, kind="review")
    items = [make_item(c, "post", "a", "8", span=(0, 10), rating=8, condition="depression/anxiety"),
             make_item(c, "post", "b", "6", span=(10, 20), rating=6, condition="Depression"),
             make_item(c, "post", "c", "9", span=(20, 30), rating=9, condition="migranes"),
             make_item(c, "post", "d", "2", span=(30, 40), rating=2, condition="Anti Ageing")]
    found = {r.condition: r.count for r in build("escitalopram", [c], items).community.conditions}
    # one review naming two conditions counts under each; a field no vocabulary reads stays as written
    assert found == {"depression": 2, "anxiety": 1, "migraine": 1, "Anti Ageing": 1}
