from __future__ import annotations

from materia.ingest import read_path


def test_markdown_seed_monograph(seeds):
    doc = read_path(str(seeds["002"]))
    assert doc.kind == "monograph"
    assert doc.format == "markdown"
    assert doc.title == "L-Glutamine"
    assert doc.text == seeds["002"].read_text(encoding="utf-8")  # offsets index the raw file
    types = {s.title: s.type for s in doc.sections}
    assert types["Generic Name"] == "usage"
    assert types["Dosage"] == "dosage"
    assert types["Side Effects"] == "side_effects"
    assert types["How it Works"] == "mechanism"
    assert types["Precautions"] == "precautions"
    assert types["FAQs"] == "faq"
    dosage = next(s for s in doc.sections if s.type == "dosage")
    assert dosage.span.of(doc.text).startswith("### Dosage")
    assert dosage.body.of(doc.text).startswith("Dosage recommendations")


def test_markdown_without_front_matter_is_article(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("# Notes on iron\n\nSome text.\n\n## Background\n\nMore text.\n", encoding="utf-8")
    doc = read_path(str(path))
    assert doc.kind == "article"
    assert doc.title == "Notes on iron"
    assert [s.title for s in doc.sections] == ["Notes on iron", "Background"]
