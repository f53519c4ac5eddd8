from __future__ import annotations

from datetime import date

import pytest

from materia.errors import ReadError
from materia.ingest import read_path

SPL = ["METHOXSALEN", "a4e3211d", "cough", "humira", "lipitor-orig", "lipitor-repack", "no-title", "viagra-64f8040f"]


@pytest.mark.parametrize("name", SPL)
def test_label_spl_spans_index_extracted_text(corpora, name):
    doc = read_path(str(corpora / "fda_spl_samples" / f"{name}.spl.xml"))
    assert doc.kind == "label" and doc.format == "spl-xml"
    for s in doc.sections:
        assert s.span.contains(s.body) and s.span.end <= len(doc.text)
        if s.title:
            assert s.span.of(doc.text).startswith(s.title)


def test_label_spl_sections_typed_by_loinc(corpora):
    doc = read_path(str(corpora / "fda_spl_samples" / "humira.spl.xml"))
    assert doc.title == "Humira" and doc.modified == date(2013, 9, 30)
    by_title = {s.title: s.type for s in doc.sections}
    assert by_title["1 INDICATIONS AND USAGE"] == "usage"
    assert by_title["2 DOSAGE AND ADMINISTRATION"] == "dosage"
    assert by_title["4 CONTRAINDICATIONS"] == "contraindications"
    assert by_title["5 WARNINGS AND PRECAUTIONS"] == "warnings"
    assert by_title["6 ADVERSE REACTIONS"] == "side_effects"
    assert by_title["6.1 Clinical Trials Experience"] == "side_effects"  # a subsection inherits
    assert by_title["7 DRUG INTERACTIONS"] == "interactions"
    assert any(s.type == "boxed_warning" for s in doc.sections)
    adverse = next(s for s in doc.sections if s.title == "6 ADVERSE REACTIONS")
    assert adverse.span.of(doc.text).startswith("6 ADVERSE REACTIONS\n\n")


def test_label_openfda_json(corpora):
    doc = read_path(str(corpora / "fda_spl_samples" / "humira-2c9fb32d.text.json"))
    assert doc.kind == "label" and doc.format == "openfda-json" and doc.title == "HUMIRA"
    types = {s.type for s in doc.sections}
    assert {"usage", "dosage", "side_effects", "interactions", "contraindications", "warnings"} <= types
    side = next(s for s in doc.sections if s.type == "side_effects")
    assert side.body.of(doc.text).startswith("The most serious adverse reactions")


def test_label_xml_with_entities_is_refused(tmp_path):
    path = tmp_path / "lol.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
                    '<document xmlns="urn:hl7-org:v3"><title>&lol2;</title></document>\n', encoding="utf-8")
    with pytest.raises(ReadError, match="entit"):
        read_path(str(path))


def test_label_other_json_is_unknown_format(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"name": "x", "values": [1, 2, 3]}\n', encoding="utf-8")
    with pytest.raises(ReadError, match="unknown format"):
        read_path(str(path))


@pytest.mark.parametrize(("name", "subject", "ingredients"), [
    ("lipitor-orig", "atorvastatin calcium", "ATORVASTATIN CALCIUM TRIHYDRATE"),
    ("cough", "Diphenhydramine HCl, Phenylephrine HCl", "DIPHENHYDRAMINE HYDROCHLORIDE; PHENYLEPHRINE HYDROCHLORIDE"),
    ("humira", "Adalimumab", "ADALIMUMAB"),  # the kit's alcohol swab is an inactive ingredient
    ("METHOXSALEN", "METHOXSALEN", None),  # an indexing file names its substance
])
def test_label_spl_subject_fields(corpora, name, subject, ingredients):
    meta = read_path(str(corpora / "fda_spl_samples" / f"{name}.spl.xml")).metadata
    assert meta.get("subject") == subject and meta.get("ingredients") == ingredients


def test_label_openfda_subject_fields(tmp_path):
    path = tmp_path / "label.json"
    path.write_text('{"adverse_reactions": ["Headache and nausea."], "openfda": {"brand_name": ["ZESTORETIC"], '
                    '"generic_name": ["LISINOPRIL AND HYDROCHLOROTHIAZIDE"], '
                    '"substance_name": ["LISINOPRIL", "HYDROCHLOROTHIAZIDE"]}}', encoding="utf-8")
    doc = read_path(str(path))
    assert doc.title == "ZESTORETIC"
    assert doc.metadata == {"subject": "LISINOPRIL AND HYDROCHLOROTHIAZIDE",
                            "ingredients": "LISINOPRIL; HYDROCHLOROTHIAZIDE"}
