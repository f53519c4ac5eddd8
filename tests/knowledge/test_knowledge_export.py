"""A monograph as Markdown, JSON-LD (also the web page's) and CSV; conflicts in the contract shape."""
from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from materia.knowledge import Monograph
from materia.knowledge.export import FORMATS, conflicts_contract, csv_rows, export, jsonld, markdown


def test_export_markdown_front_matter_sections_and_footnotes(monograph: Monograph) -> None:
    md = markdown(monograph)
    front, body = md.split("---\n")[1], md.split("---\n", 2)[2]
    assert 'substance: "glutamine"' in front and "sources: 3" in front and "modified: 2024-05-01" in front
    assert [line for line in body.splitlines() if line.startswith("## ")] == [
        "## Usage", "## Dosage", "## Side Effects", "## How it Works", "## Precautions",
        "## FAQs and practical matters", "## Where sources disagree"]
    assert "- **diarrhoea**; highest documented 10 g/day[^" in body
    assert "[^1]: docs/article.txt, characters 0–40 (referenced article): “It eases <b>diarrhoea</b>" in body


def test_export_jsonld_is_a_supplement_with_doses_and_dated_citations(monograph: Monograph) -> None:
    ld = jsonld(monograph)
    assert ld["@type"] == "DietarySupplement" and ld["name"] == "glutamine"
    assert {(d["name"], d["doseValue"]) for d in ld["maximumIntake"]} == {("diarrhoea", 10.0)}
    assert sorted(d["doseValue"] for d in ld["recommendedIntake"]) == [1.0, 10.0]
    assert [a["name"] for a in ld["adverseOutcome"]] == ["chest pain", "fainting", "headache"]  # red flags first
    assert ld["citation"][0] == {"@type": "CreativeWork", "name": "Glutamine review", "url": None,
                                 "genre": "referenced article", "dateModified": "2024-05-01"}  # a file is no URL
    online = dataclasses.replace(monograph.sources[0], source="https://example.org/glutamine")
    assert jsonld(dataclasses.replace(monograph, sources=(online,)))["citation"][0]["url"] == \
        "https://example.org/glutamine"
    assert json.loads(export(monograph, "jsonld")) == ld


def test_export_jsonld_of_labels_only_is_a_drug(monograph: Monograph) -> None:
    labels = tuple(dataclasses.replace(s, kind="label") for s in monograph.sources)
    assert jsonld(dataclasses.replace(monograph, sources=labels))["@type"] == "Drug"


def test_export_csv_one_row_per_statement_and_source(monograph: Monograph) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_rows(monograph))))
    n = sum(len(c.citations) for s in monograph.sections for c in s.claims)
    assert len(rows) == n
    flags = [r for r in rows if r["topic"] == "red_flag"]
    assert {r["name"] for r in flags} == {"chest pain", "fainting"}
    assert {(r["start"], r["end"], r["source_kind"]) for r in flags} == {("85", "125", "label")}


def test_export_conflicts_in_the_contract_shape(monograph: Monograph) -> None:
    out = conflicts_contract(monograph.conflicts)
    assert {c["topic"] for c in out} == {"taking it with food or on an empty stomach", "benefit for diarrhea"}
    for c in out:
        assert set(c) == {"topic", "positions"}
        for p in c["positions"]:
            assert set(p) == {"source", "stance", "span", "text"} and isinstance(p["span"], list)


def test_export_unknown_format(monograph: Monograph) -> None:
    assert FORMATS == ("markdown", "jsonld", "csv")
    with pytest.raises(ValueError, match="unknown format"):
        export(monograph, "pdf")


def test_export_records_in_footnotes_and_contract_spans_index_the_file(monograph: Monograph) -> None:
    """Two records of one file may share a span: each is its own footnote, named by its record;
    the contract's spans add the record's offset, so they index the file as ingested."""
    from materia.knowledge import Citation, Claim, Conflict, MonographSection, Position

    rows = [Citation("reviews.tsv", n, (0, 9), f"row text {n}", "community report", f"row {n}") for n in (7, 8)]
    section = MonographSection("side_effects", "Side Effects", (Claim("effect", "nausea", None, tuple(rows)),))
    md = markdown(dataclasses.replace(monograph, sections=(section,), doses=(), conflicts=()))
    assert "[^1]: reviews.tsv, row 7, characters 0–9" in md and "[^2]: reviews.tsv, row 8, characters 0–9" in md
    positions = (Position("reviews.tsv", "benefit", (0, 9), "a", 7, "row 7", 100),
                 Position("b.txt", "no_benefit", (3, 5), "b", 2))
    [c] = conflicts_contract([Conflict("benefit for sleep", positions)])
    assert [p["span"] for p in c["positions"]] == [[100, 109], [3, 5]]


def test_export_history_contract_is_utc_iso_and_keeps_before() -> None:
    from datetime import datetime

    from materia.knowledge.export import history_contract
    from materia.store import HistoryEntry

    item = {"category": "dose", "name": "dose", "payload": {"high": 10}}
    entry = HistoryEntry(1, datetime(2026, 1, 2, 3, 4, 5, 678), 7, "/srv/zinc.md", None, "zinc", "changed", item,
                         {"category": "dose", "name": "dose", "payload": {"high": 2}})
    [row] = history_contract([entry])
    assert row == {"when": "2026-01-02T03:04:05+00:00", "document_id": 7, "change": "changed", "item": item,
                   "before": {"category": "dose", "name": "dose", "payload": {"high": 2}}}
    assert history_contract([]) == []
