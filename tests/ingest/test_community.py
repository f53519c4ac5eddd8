from __future__ import annotations

from datetime import date

from materia.ingest import read_path


def test_community_seed_post_fields(seeds):
    doc = read_path(str(seeds["004"]))
    assert doc.kind == "community"
    assert doc.title == "L-Glutamine"
    assert doc.modified == date(2025, 12, 1)
    (post,) = doc.posts
    assert (post.author, post.location, post.date, post.rating, post.rating_scale) == (
        "Timh", "Ky, Usa", date(2013, 9, 10), 5, 5)
    assert (post.author_post_count, post.topic, post.editors_choice) == (2041, "Age-Related Issues", True)
    assert post.span.of(doc.text).startswith("Posted by Timh")
    assert post.body is not None and post.body.of(doc.text).startswith("My dad")
    assert post.span.contains(post.body)


def test_community_seed_section_types(seeds):
    doc = read_path(str(seeds["004"]))
    by_title = {s.title: s.type for s in doc.sections}
    assert by_title["Who Should Be Extra Cautious"] == "precautions"
    assert by_title["When to Stop & Call Your Doctor"] == "warnings"
    assert by_title["Frequently Asked Questions"] == "faq"
    assert by_title["How to Take L-Glutamine (Forms & Dosage)"] == "dosage"
    assert doc.sections[-1].type == "posts"
    assert any(s.type == "disclaimer" and s.span.of(doc.text).startswith("The comments below") for s in doc.sections)


def test_community_several_posts_split_at_topics(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("Zinc\n\nIntro text about zinc.\n\nColds\n\nPosted by Ann (Oslo, Norway) on 01/02/2020\n★★★☆☆\n\n"
                    "Zinc helped my cold.\n\nNausea\n\nPosted by Bob on 03/04/2021 12 posts\n\nMade me sick.\n",
                    encoding="utf-8")
    doc = read_path(str(path))
    a, b = doc.posts
    assert (a.author, a.location, a.rating, a.topic) == ("Ann", "Oslo, Norway", 3, "Colds")
    assert (b.author, b.location, b.rating, b.topic, b.author_post_count) == ("Bob", None, None, "Nausea", 12)
    assert a.span.end <= b.span.start
    assert b.body is not None and b.body.of(doc.text) == "Made me sick."


def test_community_editors_choice_without_blank_line(tmp_path):
    path = tmp_path / "e.txt"
    path.write_text("Iron\n\nAbout iron.\n\nFatigue\n\nPosted by Cy (Rome) on 05/06/2019\n★★★★☆\nEditor's Choice\n"
                    "Iron fixed my fatigue.\n", encoding="utf-8")
    (post,) = read_path(str(path)).posts
    assert post.editors_choice and post.rating == 4 and post.location == "Rome"
    assert post.body is not None and post.body.of(path.read_text(encoding="utf-8")) == "Iron fixed my fatigue."
