from __future__ import annotations

from datetime import date

import pytest

from materia.ingest.structure import first_line_title, looks_like_heading, paragraphs, parse_date


@pytest.mark.parametrize("value,expected", [
    ("Dec 01, 2025", date(2025, 12, 1)), ("December 1, 2025", date(2025, 12, 1)),
    ("2025-12-01", date(2025, 12, 1)), ("09/10/2013", date(2013, 9, 10)), ("20101101", date(2010, 11, 1)),
    ("soon", None),
])
def test_structure_parse_date(value, expected):
    assert parse_date(value) == expected


def test_structure_paragraph_spans_index_text():
    text = "\n\nOne line\nsecond line\n\n\n  Two  \n"
    found = paragraphs(text)
    assert [p.span.of(text) for p in found] == ["One line\nsecond line", "Two"]


def test_structure_title_is_a_short_first_line_only():
    assert first_line_title("Zinc\n\nZinc is a mineral.") == "Zinc"
    assert first_line_title("Zinc is a mineral that the body needs for immunity and wound healing.\n") is None


@pytest.mark.parametrize("line,heading", [
    ("Side Effects", True), ("1. Gut Repair and IBS-D", True), ("• Headache", False),
    ("Take it with food.", False), ("Sources:", False),
])
def test_structure_heading_lines(line, heading):
    assert looks_like_heading(line) is heading


def test_structure_hard_wrapped_prose_has_no_title():
    text = "Zinc is an essential mineral that supports the immune system and the\nhealing of wounds, and people take it for colds.\n"
    assert first_line_title(text) is None
    assert first_line_title("Zinc\nHealth Benefits\n\nZinc is a mineral.") == "Zinc"
