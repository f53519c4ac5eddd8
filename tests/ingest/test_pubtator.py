from __future__ import annotations

import pytest

from materia.errors import ReadError
from materia.ingest import read_documents

SAMPLE = (
    "111|t|Lithium toxicity in a newborn.\n"
    "111|a|A newborn exposed to lithium had atrial flutter. Lithium may cause it.\n"
    "111\t0\t7\tLithium\tChemical\tD008094\n"
    "111\t8\t16\ttoxicity\tDisease\tD064420\n"
    "111\t52\t59\tlithium\tChemical\tD008094\n"
    "111\tCID\tD008094\tD064420\n"
    "\n"
    "222|t|Phenobarbital-induced dyskinesia.\n"
    "222|a|Dyskinesia followed phenobarbital therapy for seizures.\n"
    "222\t0\t13\tPhenobarbital\tChemical\tD010634\n"
    "\n"
)


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample.txt"  # no telling suffix: the content is sniffed
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_pubtator_one_abstract_per_pmid(sample):
    first, second = read_documents(str(sample))
    assert (first.record, second.record) == ("PMID 111", "PMID 222")
    assert (first.kind, first.format) == ("abstract", "pubtator")
    assert first.title == "Lithium toxicity in a newborn."
    assert second.title == "Phenobarbital-induced dyskinesia."
    assert first.metadata == {"pmid": "111", "subject": "Lithium", "chemicals": "Lithium"}


def test_pubtator_text_is_the_prose_at_its_place_in_the_file(sample):
    for doc in read_documents(str(sample)):
        whole = SAMPLE[doc.offset:doc.offset + len(doc.text)]
        assert len(whole) == len(doc.text)
        assert "|t|" not in doc.text and "|a|" not in doc.text  # PMID prefixes are blanked, not removed
        assert "\t" not in doc.text and "Chemical" not in doc.text  # annotation lines are not text
        for i, ch in enumerate(doc.text):
            assert ch == " " or ch == whole[i]
    first = read_documents(str(sample))[0]
    at = first.text.index("atrial flutter")
    assert SAMPLE[first.offset + at:first.offset + at + 14] == "atrial flutter"
    [abstract] = first.sections
    assert abstract.body.of(first.text).startswith("A newborn exposed")


def test_pubtator_corpus_counts(corpora):
    for name in ("CDR_DevelopmentSet.PubTator.txt", "CDR_TrainingSet.PubTator.txt"):
        docs = read_documents(str(corpora / "bc5cdr" / name))
        assert len(docs) == 500 and len({d.record for d in docs}) == 500
        assert all(d.title and d.kind == "abstract" for d in docs)


def test_pubtator_without_text_lines_is_an_error(tmp_path):
    path = tmp_path / "x.pubtator"
    path.write_text("111\t0\t7\tLithium\tChemical\tD008094\n", encoding="utf-8")
    with pytest.raises(ReadError):
        read_documents(str(path))
