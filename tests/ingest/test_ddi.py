"""DDI 2013 corpus XML: one document per file, sentences laid end to end so the corpus's offsets hold."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from materia.errors import ReadError
from materia.ingest import RawFile, read_path
from materia.ingest.ddi import read_ddi


def _entity_offsets_hold(path: Path) -> int:
    doc = read_path(str(path))
    checked = 0
    for sentence in etree.parse(str(path)).getroot().iterfind("sentence"):
        base = int(doc.metadata[f"sentence:{sentence.get('id')}"])
        assert doc.text[base:base + len(sentence.get("text"))] == sentence.get("text")
        for entity in sentence.iterfind("entity"):
            for part in entity.get("charOffset").split(";")[:1]:  # discontinuous: the first piece
                start, end = (int(n) for n in part.split("-"))
                if ";" not in entity.get("charOffset"):
                    assert doc.text[base + start:base + end + 1] == entity.get("text")  # inclusive end
                    checked += 1
    return checked


def test_ddi_drugbank_text_is_an_interactions_monograph_about_its_drug(corpora: Path) -> None:
    path = corpora / "ddi2013" / "train" / "DrugBank" / "Folic Acid_ddi.xml"
    doc = read_path(str(path))
    assert (doc.kind, doc.format, doc.title) == ("monograph", "ddi-xml", "Folic Acid: drug interactions")
    assert doc.metadata["subject"] == "Folic Acid"
    assert [s.type for s in doc.sections] == ["interactions"]
    assert _entity_offsets_hold(path) > 5


def test_ddi_medline_abstract_title_is_its_first_sentence(corpora: Path) -> None:
    path = corpora / "ddi2013" / "train" / "MedLine" / "10150268.xml"
    doc = read_path(str(path))
    first = etree.parse(str(path)).getroot().find("sentence").get("text")
    assert (doc.kind, doc.format) == ("abstract", "ddi-xml")
    assert doc.title == " ".join(first.split())
    assert doc.sections and doc.sections[0].body.start >= len(first)
    assert doc.metadata["subject"]
    _entity_offsets_hold(path)


def test_ddi_every_corpus_file_reads(corpora: Path) -> None:
    files = sorted((corpora / "ddi2013" / "train").rglob("*.xml"))
    assert len(files) == 714
    assert all(read_path(str(f)).format == "ddi-xml" for f in files)


def test_ddi_empty_document_is_refused_by_name() -> None:
    data = b'<?xml version="1.0"?>\n<document id="DDI-MedLine.d9"></document>\n'
    with pytest.raises(ReadError, match="no sentence text"):
        read_ddi(RawFile("empty.xml", data, data.decode(), "utf-8", "0"))


def test_ddi_sentence_boundaries_of_the_corpus_are_kept(tmp_path: Path) -> None:
    """A heading the corpus marks as a sentence ("Interactions", no full stop) stays apart from the next."""
    from materia.extract import parse

    path = tmp_path / "Zinc_ddi.xml"
    path.write_text('<document id="DDI-DrugBank.d1">'
                    '<sentence id="DDI-DrugBank.d1.s0" text="Drug Interactions"/>'
                    '<sentence id="DDI-DrugBank.d1.s1" text="Zinc lowers the absorption of ciprofloxacin."/>'
                    '</document>', encoding="utf-8")
    doc = read_path(str(path))
    second = int(doc.metadata["sentence:DDI-DrugBank.d1.s1"])
    sentence = parse(doc).sentence_at(second)
    assert sentence is not None and doc.text[sentence.start:sentence.end].startswith("Zinc lowers")


def test_ddi_entities_are_the_documents_marked_names(tmp_path: Path) -> None:
    """The corpus's <entity> marks are kept as the document's own drug names (a group is a class); an
    offset outside its sentence is never trusted."""
    path = tmp_path / "Zinc_ddi.xml"
    path.write_text('<document id="DDI-DrugBank.d1">'
                    '<sentence id="DDI-DrugBank.d1.s0" text="Zinc lowers ciprofloxacin and quinolones.">'
                    '<entity id="e0" charOffset="0-3" type="drug" text="Zinc"/>'
                    '<entity id="e1" charOffset="12-24" type="drug" text="ciprofloxacin"/>'
                    '<entity id="e2" charOffset="30-39" type="group" text="quinolones"/>'
                    '<entity id="e3" charOffset="30-99" type="drug" text="out of range"/>'
                    '</sentence></document>', encoding="utf-8")
    doc = read_path(str(path))
    assert [(doc.text[m.span.start:m.span.end], m.kind) for m in doc.marked] == [
        ("Zinc", "substance"), ("ciprofloxacin", "substance"), ("quinolones", "class")]
