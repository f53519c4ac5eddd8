"""Golden summaries of what each reader makes of one file per format.

Regenerate with `pytest tests/ingest/test_golden.py --update` and review the diff.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from materia.ingest import read_documents, read_path
from materia.types import Document, Post

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ingest"
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_CASES = {
    "spl_cough": "fda_spl_samples/cough.spl.xml",
    "tac_adcetris": "tac2017_adr/train_xml/ADCETRIS.xml",
    "spl_humira": "fda_spl_samples/humira.spl.xml",
    "openfda_humira": "fda_spl_samples/humira-2c9fb32d.text.json",
}
# many-record files: the record count and the first records in full
RECORD_CASES = {
    "druglib_test": "druglib_reviews/drugLibTest_raw.tsv",
    "pubtator_cdr_dev": "bc5cdr/CDR_DevelopmentSet.PubTator.txt",
}


def _post(p: Post) -> dict[str, object]:
    return {"span": p.span.as_list(), "body": p.body.as_list() if p.body else None, "author": p.author,
            "location": p.location, "date": p.date.isoformat() if p.date else None, "rating": p.rating,
            "rating_scale": p.rating_scale, "topic": p.topic, "editors_choice": p.editors_choice,
            "author_post_count": p.author_post_count, "drug": p.drug, "condition": p.condition,
            "effectiveness": p.effectiveness, "side_effect_severity": p.side_effect_severity}


def summary(doc: Document) -> dict[str, object]:
    out: dict[str, object] = {
        "kind": doc.kind, "format": doc.format, "title": doc.title,
        "modified": doc.modified.isoformat() if doc.modified else None, "text_length": len(doc.text),
        "sections": [[s.title, s.type, s.span.as_list()] for s in doc.sections],
        "posts": len(doc.posts), "first_post": _post(doc.posts[0]) if doc.posts else None,
    }
    if doc.record is not None:
        out |= {"record": doc.record, "offset": doc.offset, "metadata": dict(doc.metadata),
                "text_head": doc.text[:80]}
    return out


def records_summary(docs: list[Document]) -> dict[str, object]:
    return {"records": len(docs), "first": [summary(d) for d in docs[:3]], "last": summary(docs[-1])}


def compare(case: str, doc: Document | list[Document], update: bool) -> None:
    path = GOLDEN / f"{case}.json"
    got = json.loads(json.dumps(records_summary(doc) if isinstance(doc, list) else summary(doc), ensure_ascii=False))
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path.name}; run pytest --update and review it")
    assert got == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", ["000", "002", "004"])
def test_golden_seed(seeds, update_golden, key):
    compare(f"seed_{key}", read_path(str(seeds[key])), update_golden)


@pytest.mark.parametrize("case", sorted(CORPUS_CASES))
def test_golden_corpus(corpora, update_golden, case):
    compare(case, read_path(str(corpora / CORPUS_CASES[case])), update_golden)


@pytest.mark.parametrize("case", sorted(RECORD_CASES))
def test_golden_records(corpora, update_golden, case):
    compare(case, read_documents(str(corpora / RECORD_CASES[case])), update_golden)


def test_golden_html_fixture(update_golden):
    compare("html_magnesium", read_path(str(FIXTURES / "magnesium.html")), update_golden)
