"""Interactions are stored like every item (generically, by category) and found by either party."""
from __future__ import annotations

import pytest

from materia.types import Document, Extraction, Interaction, Span

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

LABEL = ("Avoid LIPITOR with strong CYP3A4 inhibitors. "
         "Grapefruit juice raises atorvastatin levels through CYP3A4.")


def _label(sha: str = "1", severity: str | None = "major", text: str = LABEL) -> Extraction:
    doc = Document(source="/kb/lipitor.xml", sha256=sha, text=text, kind="label", format="spl", title="Lipitor")
    first = Interaction("atorvastatin", Span(6, 13), "strong CYP3A4 inhibitors", Span(19, 43), "advise",
                        Span(0, 44), severity, "class", (), "avoid")
    second = Interaction("atorvastatin", Span(68, 80), "grapefruit juice", Span(45, 61), "mechanism",
                         Span(45, 103), None, "food", ("CYP3A4",))
    return Extraction(document=doc, substance="atorvastatin", interactions=(first, second))


def test_store_interactions_kept_with_parties_and_sentence(store) -> None:
    store.put(_label())
    items = store.items("atorvastatin", ("interaction",))
    assert [(i.name, i.stance) for i in items] == [("atorvastatin + strong CYP3A4 inhibitors", "advise"),
                                                    ("atorvastatin + grapefruit juice", "mechanism")]
    first = items[0]
    assert first.text == LABEL[:44] and (first.span.start, first.span.end) == (0, 44)
    assert first.payload["severity"] == "major" and first.payload["b_kind"] == "class"
    assert first.payload["b_span"] == [19, 43] and first.payload["wording"] == "avoid"
    assert items[1].payload["mechanism"] == ["CYP3A4"]
    assert store.check() == []


def test_store_interactions_found_by_either_party_whatever_the_case(store) -> None:
    store.put(_label())
    assert [i.name for i in store.interactions(["Grapefruit Juice"])] == ["atorvastatin + grapefruit juice"]
    assert len(store.interactions(["atorvastatin"])) == 2
    assert [i.name for i in store.interactions(["strong cyp3a4 inhibitors", "nothing"])] == [
        "atorvastatin + strong CYP3A4 inhibitors"]
    assert store.interactions(["clarithromycin"]) == [] and store.interactions([]) == []


def test_store_interactions_history_changed_severity_is_one_changed_entry(store) -> None:
    store.put(_label())
    store.put(_label("2", "moderate"))
    changes = [(e.change, e.item["name"]) for e in store.history(["atorvastatin"])]
    assert sorted(changes) == [("added", "atorvastatin + grapefruit juice"),
                               ("added", "atorvastatin + strong CYP3A4 inhibitors"),
                               ("changed", "atorvastatin + strong CYP3A4 inhibitors")]
    changed = store.history(["atorvastatin"])[-1]
    assert changed.before is not None and changed.before["payload"]["severity"] == "major"
    assert changed.item["payload"]["severity"] == "moderate"
    store.put(_label("3", "moderate", " " + LABEL))  # moved, same values: no change
    assert len(store.history(["atorvastatin"])) == 3
