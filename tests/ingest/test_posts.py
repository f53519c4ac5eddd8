"""Sniffing a post (no headings, first person) and the user's --kind."""
from __future__ import annotations

from pathlib import Path

import pytest

from materia.ingest import read_path
from materia.ingest.posts import as_kind, first_person


def write(tmp_path: Path, text: str, name: str = "f.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_posts_first_person_text_without_headings_is_a_post(tmp_path: Path) -> None:
    text = "I started this pill in May. My stomach hurt for a week and I had headaches.\n"
    doc = read_path(write(tmp_path, text))
    assert doc.kind == "community"
    (post,) = doc.posts
    assert post.body is not None and post.body.of(doc.text) == text.strip()


def test_posts_short_past_tense_report_is_a_post(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "Took it for two weeks. Had constant nausea.\n\nStopped after that.\n"))
    assert doc.kind == "community"


@pytest.mark.parametrize("text", [
    "Dizziness, lightheadedness, and blurred vision.\n\nOne pill by mouth every morning.\n",
    "Very effective for easing arthritic complaints and easy to dispense.\n",
])
def test_posts_short_text_without_headings_is_a_post(tmp_path: Path, text: str) -> None:
    assert read_path(write(tmp_path, text)).kind == "community"


@pytest.mark.parametrize("line", [
    "The only side effect that I had from taking it was the nausea",
    "There were no side effects",
    "Treatment side effects included dryness, itchiness and sensitivity to the sun",
])
def test_posts_a_short_line_that_is_the_writers_sentence_is_no_heading(tmp_path: Path, line: str) -> None:
    text = f"After two weeks the craving was a lot less.\n\n{line}\n\nI took one pill a day for a month.\n"
    assert read_path(write(tmp_path, text)).kind == "community"


def test_posts_short_text_about_other_people_is_not_a_post(tmp_path: Path) -> None:
    text = "Glutamine notes\n\nGlutamine may upset the stomach in some people. Take it with food.\n"
    assert read_path(write(tmp_path, text)).kind != "community"


def test_posts_a_short_review_that_speaks_of_other_people_too_is_a_post(tmp_path: Path) -> None:
    text = ("Significantly diminished the symptoms and size of the cold sore. Often, it would halt the development "
            "and the redness would disappear after a day or two. For my body, it has proven to be far more effective "
            "than either of the others. It is surprising how many people either do not treat cold sores, or are "
            "not aware of any new treatments.\n\nSlight dizziness and tiredness, very minor.\n")
    assert read_path(write(tmp_path, text)).kind == "community"
    other = "Many people take zinc for colds. Zinc lozenges can leave a bad taste.\n"
    assert read_path(write(tmp_path, other)).kind != "community"


def test_posts_article_is_not_a_post(tmp_path: Path) -> None:
    text = ("Magnesium\n\nUses\n\nMagnesium is a mineral that the body needs for nerve and muscle function. "
            "It is found in leafy greens, nuts and whole grains.\n\nSide Effects\n\nHigh doses can cause diarrhea.\n")
    assert read_path(write(tmp_path, text)).kind != "community"


def test_posts_first_person_ratio() -> None:
    assert first_person("I took it and my back felt better.")
    assert not first_person("Magnesium is a mineral the body needs for nerve function and muscle contraction.")


@pytest.mark.parametrize(("kind", "expected"), [("post", "community"), ("review", "review"), ("article", "article"),
                                                ("monograph", "monograph"), ("label", "label")])
def test_posts_user_kind_wins(tmp_path: Path, kind: str, expected: str) -> None:
    doc = read_path(write(tmp_path, "I took it. My head hurt.\n"), kind=kind)
    assert doc.kind == expected
    assert bool(doc.posts) == (expected in ("community", "review"))


def test_posts_unknown_kind_is_refused(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "I took it.\n"))
    with pytest.raises(ValueError):
        as_kind(doc, "blog")
