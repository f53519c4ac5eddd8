from __future__ import annotations

from materia.ingest import read_path


def test_plaintext_seed_article_sections(seeds):
    doc = read_path(str(seeds["000"]))
    assert doc.kind == "article"
    assert doc.title is None  # the first line is a whole paragraph, not a title
    types = [s.type for s in doc.sections]
    assert types == ["other", "references", "boilerplate", "disclaimer"]
    refs = next(s for s in doc.sections if s.type == "references")
    assert refs.span.of(doc.text).lstrip().startswith("1.")
    assert "Consensus" in next(s for s in doc.sections if s.type == "boilerplate").span.of(doc.text)


def test_plaintext_heading_lines_become_typed_sections(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Magnesium\n\nMagnesium is a mineral.\n\nSide Effects\n\nMagnesium may cause diarrhea.\n\n"
                    "Dosage\n\nTake 300 mg a day.\n\nThis content is for informational purposes only.\n",
                    encoding="utf-8")
    doc = read_path(str(path))
    assert doc.title == "Magnesium"
    assert [(s.title, s.type) for s in doc.sections] == [
        ("", "other"), ("Side Effects", "side_effects"), ("Dosage", "dosage"), ("", "disclaimer")]
    for s in doc.sections:
        assert s.span.contains(s.body)


def test_plaintext_subject_fields(tmp_path):
    heading = tmp_path / "s.txt"
    heading.write_text("Spironolactone\n\nGeneric Name\nSpironolactone\n\nUsage\nFor heart failure.\n",
                       encoding="utf-8")
    assert read_path(str(heading)).metadata == {"subject": "Spironolactone"}
    inline = tmp_path / "a.txt"
    inline.write_text("Advil\n\nGeneric Name: Ibuprofen\nActive ingredients: Ibuprofen 200 mg, Famotidine 26.6 mg\n\n"
                      "Usage\nPain.\n", encoding="utf-8")
    assert read_path(str(inline)).metadata == {"subject": "Ibuprofen",
                                               "ingredients": "Ibuprofen 200 mg; Famotidine 26.6 mg"}
    empty = tmp_path / "e.txt"
    empty.write_text("Zinc\n\nZinc is a mineral. Its generic name is not given here.\n", encoding="utf-8")
    assert "subject" not in read_path(str(empty)).metadata
