from __future__ import annotations

import json

import pytest

from materia.errors import ReadError
from materia.ingest import read_documents, read_path


def test_reviews_druglib_one_document_per_row(corpora):
    train = read_documents(str(corpora / "druglib_reviews" / "drugLibTrain_raw.tsv"))
    test = read_documents(str(corpora / "druglib_reviews" / "drugLibTest_raw.tsv"))
    assert (len(train), len(test)) == (3107, 1036)
    assert [d.record for d in train[:3]] == ["row 1", "row 2", "row 3"]
    first = train[0]
    assert first.kind == "review" and first.metadata["subject"] == "enalapril"
    [post] = first.posts
    assert (post.drug, post.rating, post.rating_scale) == ("enalapril", 4, 10)
    assert post.condition == "management of congestive heart failure"
    assert (post.effectiveness, post.side_effect_severity) == ("Highly Effective", "Mild Side Effects")
    assert post.body is not None and post.body.of(first.text).startswith("slowed the progression")
    whole = (corpora / "druglib_reviews" / "drugLibTrain_raw.tsv").read_bytes().decode("utf-8")
    for doc in train:
        assert whole[doc.offset:doc.offset + len(doc.text)] == doc.text  # a row's text is its slice of the file
        [p] = doc.posts
        assert p.span == type(p.span)(0, len(doc.text)) and (p.body is None or p.span.contains(p.body))
        assert 1 <= (p.rating or 0) <= 10
        assert doc.metadata.get("subject") == p.drug
    assert sum(1 for d in train if d.metadata.get("subject")) == 3107


def test_reviews_free_text_columns_are_typed_sections(corpora):
    doc = read_documents(str(corpora / "druglib_reviews" / "drugLibTest_raw.tsv"))[0]
    types = {s.title: s.type for s in doc.sections}
    assert types == {"Benefits review": "usage", "Side effects review": "side_effects", "Comments review": "posts"}
    side = next(s for s in doc.sections if s.type == "side_effects")
    assert "back pain" in side.body.of(doc.text)


def test_reviews_many_rows_are_not_one_document(corpora):
    with pytest.raises(ReadError, match="1036 records"):
        read_path(str(corpora / "druglib_reviews" / "drugLibTest_raw.tsv"))


def test_reviews_csv_with_quoted_newlines(tmp_path):
    path = tmp_path / "r.csv"
    text = ('drug,condition,rating,review\naspirin,headache,4,"Worked fast,\nno upset"\n'
            'ibuprofen,back pain,2,Made me dizzy\n')
    path.write_text(text, encoding="utf-8")
    a, b = read_documents(str(path))
    assert (a.record, b.record) == ("row 1", "row 2")
    [pa], [pb] = a.posts, b.posts
    assert (pa.drug, pa.condition, pa.rating, pa.rating_scale) == ("aspirin", "headache", 4, 5)
    assert pa.body is not None and pa.body.of(a.text) == "Worked fast,\nno upset"
    assert pb.body is not None and pb.body.of(b.text) == "Made me dizzy"
    assert text[b.offset + pb.body.start:b.offset + pb.body.end] == "Made me dizzy"
    assert b.title == "Review of ibuprofen for back pain"


def test_reviews_cell_span_is_its_value_inside_the_record(tmp_path):
    """A cell ending in whitespace the record leaves off (a form feed at the end of the file): its section is
    the cell's value and lies inside the record's text (found by Hypothesis)."""
    path = tmp_path / "r.tsv"
    path.write_text("review\tdrug\n  rash \x0c\tzinc\n0\x0c", encoding="utf-8")
    for doc in read_documents(str(path)):
        for section in doc.sections:
            assert 0 <= section.span.start <= section.span.end <= len(doc.text)
            assert section.span.of(doc.text) == section.span.of(doc.text).strip()


def test_reviews_jsonl_body_spans_index_the_line(tmp_path):
    path = tmp_path / "r.jsonl"
    rows = [{"drug": "zinc", "rating": 9, "review": "Shortened my cold \u2014 great"},
            {"drug": "iron", "rating": 3, "review": "Constipation"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    zinc, iron = read_documents(str(path))
    assert zinc.format == "jsonl" and (zinc.record, iron.record) == ("row 1", "row 2")
    assert [d.metadata["subject"] for d in (zinc, iron)] == ["zinc", "iron"]
    assert zinc.posts[0].rating_scale == 10 and iron.posts[0].rating_scale == 10  # the table's scale
    body = iron.posts[0].body
    assert body is not None and json.loads(body.of(iron.text)) == "Constipation"
