from __future__ import annotations

from datetime import date
from pathlib import Path

from materia.ingest import read_path

FIXTURE = Path(__file__).parent / "fixtures" / "magnesium.html"


def test_html_main_text_and_metadata():
    doc = read_path(str(FIXTURE))
    assert doc.format == "html"
    assert doc.title == "Magnesium Glycinate: Uses, Dosage and Side Effects"
    assert doc.author == "Dana Whitfield"
    assert doc.modified == date(2024, 3, 18) and doc.published == date(2023, 11, 2)
    assert "Privacy" not in doc.text and "About us" not in doc.text  # navigation and footer dropped
    assert "200 to 400 mg" in doc.text


def test_html_sections_from_headings():
    doc = read_path(str(FIXTURE))
    types = [(s.title, s.type) for s in doc.sections]
    assert ("Dosage", "dosage") in types and ("Side Effects", "side_effects") in types
    assert ("Precautions", "precautions") in types
    assert doc.sections[-1].type == "disclaimer"
    assert doc.kind == "monograph"
    for s in doc.sections:
        assert s.span.contains(s.body) and s.span.end <= len(doc.text)


def test_html_community_page_has_posts(tmp_path):
    path = tmp_path / "c.html"
    path.write_text("<html><head><title>Zinc remedies</title></head><body><article><h1>Zinc remedies</h1>"
                    "<p>Readers share how zinc lozenges worked for their colds over many winters.</p>"
                    "<h2>Colds</h2><p>Posted by Ann (Oslo, Norway) on 01/02/2020</p>"
                    "<p>Zinc lozenges shortened my cold to three days, with a metallic taste.</p>"
                    "</article></body></html>", encoding="utf-8")
    doc = read_path(str(path))
    assert doc.kind == "community"
    (post,) = doc.posts
    assert (post.author, post.location, post.date) == ("Ann", "Oslo, Norway", date(2020, 1, 2))
