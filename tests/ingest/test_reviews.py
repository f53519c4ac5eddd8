from __future__ import annotations

import json

from materia.ingest import read_path


def test_reviews_druglib_record_counts(corpora):
    train = read_path(str(corpora / "druglib_reviews" / "drugLibTrain_raw.tsv"))
    test = read_path(str(corpora / "druglib_reviews" / "drugLibTest_raw.tsv"))
    assert (len(train.posts), len(test.posts)) == (3107, 1036)
    assert train.kind == "review" and [s.type for s in train.sections] == ["posts"]
    first = train.posts[0]
    assert (first.drug, first.rating, first.rating_scale) == ("enalapril", 4, 10)
    assert first.condition == "management of congestive heart failure"
    assert (first.effectiveness, first.side_effect_severity) == ("Highly Effective", "Mild Side Effects")
    assert first.body is not None and first.body.of(train.text).startswith("slowed the progression")
    assert all(p.span.contains(p.body) for p in train.posts if p.body is not None)
    assert all(1 <= (p.rating or 0) <= 10 for p in train.posts)


def test_reviews_csv_with_quoted_newlines(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('drug,condition,rating,review\naspirin,headache,4,"Worked fast,\nno upset"\n'
                    'ibuprofen,back pain,2,Made me dizzy\n', encoding="utf-8")
    doc = read_path(str(path))
    a, b = doc.posts
    assert (a.drug, a.condition, a.rating, a.rating_scale) == ("aspirin", "headache", 4, 5)
    assert a.body is not None and a.body.of(doc.text) == "Worked fast,\nno upset"
    assert b.body is not None and b.body.of(doc.text) == "Made me dizzy"


def test_reviews_jsonl_body_spans_index_the_line(tmp_path):
    path = tmp_path / "r.jsonl"
    rows = [{"drug": "zinc", "rating": 9, "review": "Shortened my cold \u2014 great"},
            {"drug": "iron", "rating": 3, "review": "Constipation"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    doc = read_path(str(path))
    assert doc.format == "jsonl"
    assert [p.drug for p in doc.posts] == ["zinc", "iron"]
    assert doc.posts[0].rating_scale == 10
    body = doc.posts[1].body
    assert body is not None and json.loads(body.of(doc.text)) == "Constipation"
