"""The CLI's terminal rendering of typed values."""
from __future__ import annotations

from rich.console import Console, RenderableType

from materia.knowledge import Monograph, SearchHit, SearchResults
from materia.render import conflicts_view, extraction_summary, monograph_view, search_view
from materia.types import Document, Dose, Effect, Extraction, Post, Span


def _text(renderable: RenderableType) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_render_monograph_sections_doses_conflicts_community(monograph: Monograph) -> None:
    text = _text(monograph_view(monograph))
    order = [text.index(h) for h in ("Usage", "Dosage", "Side Effects", "How it Works", "Precautions",
                                     "FAQs and practical matters", "Where sources disagree", "Community reports: 1")]
    assert order == sorted(order)
    assert "diarrhoea: 5–10 g a day, 1 g a day" in text
    assert "evidence: " in text and "article.txt [0–40]" in text
    assert "mean rating 4.0" in text and "headache (1)" in text
    assert "materia informs; it never advises." in text


def test_render_conflicts_both_sides_or_none(monograph: Monograph) -> None:
    text = _text(conflicts_view(monograph.conflicts))
    assert "with food" in text and "empty stomach" in text and "label.xml [160–185]" in text
    assert "do not disagree" in _text(conflicts_view(()))


def test_render_search_escapes_markup_and_counts() -> None:
    hit = SearchHit("statement", "use: [bold]x[/bold]", "a [x] b", "glutamine", 3, 9, (0, 12), 4)
    text = _text(search_view(SearchResults("x", ("x",), (hit,), 7, 2, more=True)))
    assert "[bold]x[/bold]" in text and "doc 3 [0–12], 4 sources" in text
    assert "7 statements and 2 documents match; results 1–1, more with --offset" in text
    empty = _text(search_view(SearchResults("the", (), (), 0, 0, note="left out common word: the")))
    assert "Nothing matches 'the'." in empty and "left out common word: the" in empty


def test_render_extraction_summary() -> None:
    text_ = "Take 5 g a day. It may cause nausea.\n\nann: great"
    doc = Document("a.txt", "0", text_, "article", "text", title="Notes")
    x = Extraction(doc, "glutamine", doses=(Dose(Span(5, 8), 5.0, 5.0, "g", per="day"),),
                   effects=(Effect("nausea", Span(29, 35)),), posts=(Post(Span(38, 48), author="ann", rating=5),))
    text = _text(extraction_summary(x))
    assert "Notes" in text and "subject: glutamine" in text and "5 g" in text and "nausea" in text
    assert "User reports: 1, mean rating 5.0" in text


def test_render_history_values_of_a_change_and_no_server_path() -> None:
    from datetime import datetime

    from materia.render import history_view
    from materia.store import HistoryEntry

    dose = {"category": "dose", "name": "dose", "payload": {"low": 5, "high": 10, "unit": "g", "per": "day"}}
    before = {"category": "dose", "name": "dose", "payload": {"low": None, "high": 2, "unit": "g", "per": "day"}}
    use = {"category": "use", "name": "diarrhoea", "stance": "benefit", "evidence": "rct", "payload": {}}
    entries = [HistoryEntry(1, datetime(2026, 1, 2, 3, 4), 7, "/srv/data/zinc.md", None, "zinc", "changed", dose,
                            before),
               HistoryEntry(2, datetime(2026, 1, 2, 3, 5), 8, "/srv/data/r.tsv", "row 3", "zinc", "added", use)]
    text = _text(history_view(entries))
    assert "2026-01-02 03:04" in text and "7 zinc.md" in text and "/srv" not in text
    assert "5–10 g/day" in text and "up to 2 g/day" in text
    assert "8 r.tsv (row 3)" in text and "use: diarrhoea" in text and "benefit rct" in text
    assert _text(history_view([])).strip() == "No changes recorded."
