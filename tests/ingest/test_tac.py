from __future__ import annotations

from lxml import etree

from materia.ingest import read_path


def test_tac_mention_offsets_map_through_section_starts(corpora):
    path = corpora / "tac2017_adr" / "train_xml" / "ADCETRIS.xml"
    doc = read_path(str(path))
    assert doc.kind == "label" and doc.format == "tac-xml" and doc.title == "ADCETRIS"
    assert [s.type for s in doc.sections] == ["side_effects", "boxed_warning", "warnings"]
    root = etree.parse(str(path)).getroot()
    checked = 0
    for m in root.iterfind("Mentions/Mention"):
        if "," in m.get("start", ""):
            continue  # discontinuous mentions
        base = int(doc.metadata[f"section:{m.get('section')}"])
        start = base + int(m.get("start"))
        assert doc.text[start:start + int(m.get("len"))] == m.get("str")
        checked += 1
    assert checked > 100
