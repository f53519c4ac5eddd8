"""`materia interactions A B [C ...] [--json]`: every pair found with its sources, nothing known said plainly."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from materia.cli import app
from materia.types import Document, Extraction, Interaction, Span

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

LABEL = ("Avoid LIPITOR with strong CYP3A4 inhibitors. "
         "Clarithromycin raised atorvastatin levels fourfold.")


@pytest.fixture
def kb(tmp_path) -> str:
    from materia.store import connect

    db = str(tmp_path / "kb.sqlite")
    doc = Document(source="/kb/lipitor.xml", sha256="1", text=LABEL, kind="label", format="spl",
                   title="Lipitor (atorvastatin calcium) tablets")
    with connect(db) as store:
        store.put(Extraction(document=doc, substance="atorvastatin", interactions=(
            Interaction("atorvastatin", Span(6, 13), "strong CYP3A4 inhibitors", Span(19, 43), "advise", Span(0, 44),
                        "major", "class", ("CYP3A4",), "avoid"),
            Interaction("atorvastatin", Span(66, 78), "clarithromycin", Span(45, 59), "mechanism", Span(45, 96)))))
        zinc = Document(source="/kb/zinc.md", sha256="2", text="Zinc notes.", kind="article", format="text")
        store.put(Extraction(document=zinc, substance="zinc"))
    return db


def test_cli_interactions_json_one_object_per_pair_with_sources(kb: str) -> None:
    out = CliRunner().invoke(app, ["interactions", "lipitor", "biaxin", "zinc", "--json", "--db", kb])
    assert out.exit_code == 0, out.output
    pairs = json.loads(out.output)
    assert [(p["a"], p["b"], p["type"], p["severity"]) for p in pairs] == [
        ("atorvastatin", "clarithromycin", "advise", "major")]
    sources = pairs[0]["sources"]
    assert {"document_id", "span", "text"} <= set(sources[0])
    assert [LABEL[s["span"][0]:s["span"][1]] for s in sources] == [s["text"] for s in sources]
    assert sources[0]["via_class"].startswith("clarithromycin is among the strong CYP3A4 inhibitors — class "
                                              "membership from US FDA")
    assert pairs[0]["mechanism"] == ["CYP3A4"] and pairs[0]["asked"] == ["lipitor", "biaxin"]


def test_cli_interactions_text_says_nothing_known_is_not_safe(kb: str) -> None:
    out = CliRunner().invoke(app, ["interactions", "atorvastatin", "zinc", "qwertyx", "--db", kb])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert ("materia has no record of an interaction between atorvastatin and zinc in its sources; "
            "this does not mean the combination is safe.") in text
    assert "materia's sources say nothing about qwertyx" in text
    assert re.findall(r"\bsafe\b", text) == ["safe"] * text.count("does not mean the combination is safe")


def test_cli_interactions_text_lists_the_sentence_severity_and_class(kb: str) -> None:
    out = CliRunner().invoke(app, ["interactions", "itraconazole", "Lipitor", "--db", kb])
    text = " ".join(out.output.split())
    assert "itraconazole + atorvastatin" in text and "major" in text and "(avoid)" in text
    assert "“Avoid LIPITOR with strong CYP3A4 inhibitors.” — lipitor.xml [0–44]" in text
    assert "itraconazole is among the strong CYP3A4 inhibitors" in text


@pytest.mark.parametrize("names", [["atorvastatin"], ["lipitor", "lipitor"], ["lipitor", " "]])
def test_cli_interactions_fewer_than_two_names_is_a_usage_error(kb: str, names: list[str]) -> None:
    assert CliRunner().invoke(app, ["interactions", *names, "--db", kb]).exit_code == 2


def test_cli_interactions_missing_database_one_line_exit_1(tmp_path) -> None:
    missing = str(tmp_path / "none.sqlite")
    proc = subprocess.run([sys.executable, "-m", "materia", "interactions", "a", "b", "--db", missing],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "no such knowledge base" in proc.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_cli_interactions_in_show_and_history(kb: str) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["show", "atorvastatin", "--json", "--db", kb])
    partners = [(p["b"], p["severity"]) for p in json.loads(shown.output)["interactions"]]
    assert partners == [("strong CYP3A4 inhibitors", "major"), ("clarithromycin", None)]
    text = " ".join(runner.invoke(app, ["show", "atorvastatin", "--db", kb]).output.split())
    assert "Interactions" in text and "atorvastatin + strong CYP3A4 inhibitors" in text
    md = runner.invoke(app, ["export", "lipitor", "--format", "markdown", "--db", kb]).output
    assert "## Interactions" in md and "- **strong CYP3A4 inhibitors** (major, advise, CYP3A4)[^" in md
    wide = CliRunner(env={"COLUMNS": "240"})
    history = " ".join(wide.invoke(app, ["history", "atorvastatin", "--db", kb]).output.split())
    assert "interaction: atorvastatin + strong CYP3A4 inhibitors" in history and "advise major avoid" in history


def test_cli_interactions_answer_from_the_shared_atorvastatin_label(tmp_path, corpora) -> None:
    """End to end: the FDA label is read, its interactions extracted and stored, and the checker answers
    atorvastatin + clarithromycin with the label's own sentences, its class statement among them."""
    from materia.knowledge import KnowledgeBase

    db = str(tmp_path / "kb.sqlite")
    runner = CliRunner()
    label = corpora / "fda_spl_samples" / "lipitor-orig.spl.xml"
    assert runner.invoke(app, ["ingest", str(label), "--db", db]).exit_code == 0
    out = runner.invoke(app, ["interactions", "atorvastatin", "clarithromycin", "--json", "--db", db])
    assert out.exit_code == 0, out.output
    pairs = json.loads(out.output)
    assert [(p["a"], p["b"]) for p in pairs] == [("atorvastatin", "clarithromycin")]
    pair = pairs[0]
    assert pair["severity"] in ("major", "moderate") and pair["type"] in ("mechanism", "effect", "advise", "int")
    texts = [" ".join(s["text"].split()) for s in pair["sources"]]
    assert "Therefore, in patients taking clarithromycin, caution should be used when the LIPITOR dose exceeds 20 mg" \
        in " ".join(texts)
    by_class = [s for s in pair["sources"] if s["via_class"]]
    assert any("strong inhibitors of CYP 3A4" in s["text"] for s in by_class)
    assert all(s["via_class"].startswith("clarithromycin is among the ") for s in by_class)
    with KnowledgeBase.open(db) as kb:
        for s in pair["sources"]:
            assert kb.document(s["document_id"]).text[s["span"][0]:s["span"][1]] == s["text"]
    brands = runner.invoke(app, ["interactions", "lipitor", "biaxin", "--json", "--db", db])
    assert [p["sources"] for p in json.loads(brands.output)] == [pair["sources"]]


def test_cli_interactions_atorvastatin_clarithromycin_answers_from_the_fda_label(tmp_path, corpora) -> None:
    label = corpora / "fda_spl_samples" / "lipitor-orig.spl.xml"
    if not label.exists():
        pytest.skip("the shared FDA labels are not beside the project")
    db = str(tmp_path / "kb.sqlite")
    assert CliRunner().invoke(app, ["ingest", str(label), "--db", db]).exit_code == 0
    out = CliRunner().invoke(app, ["interactions", "atorvastatin", "clarithromycin", "--json", "--db", db])
    assert out.exit_code == 0, out.output
    pairs = json.loads(out.output)
    assert [(p["a"], p["b"]) for p in pairs] == [("atorvastatin", "clarithromycin")]
    texts = [" ".join(s["text"].split()) for s in pairs[0]["sources"]]
    assert any(t.startswith("Therefore, in patients taking clarithromycin, caution should be used") for t in texts)
    assert pairs[0]["severity"] in ("major", "moderate")
