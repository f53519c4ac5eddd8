from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from materia.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")


@pytest.fixture
def kb(tmp_path, seeds):
    db = str(tmp_path / "kb.sqlite")
    result = CliRunner().invoke(app, ["ingest", *map(str, seeds.values()), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_cli_kb_ingest_show_search_export(kb) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["show", "L-glutamine", "--db", kb])
    assert shown.exit_code == 0 and "Usage" in shown.output
    as_json = json.loads(runner.invoke(app, ["show", "glutamine", "--json", "--db", kb]).output)
    assert as_json["substance"] == "glutamine"
    found = runner.invoke(app, ["search", "stomach", "--db", kb])
    assert found.exit_code == 0 and "document" in found.output
    md = runner.invoke(app, ["export", "glutamine", "--format", "markdown", "--db", kb]).output
    assert md.startswith("---\n") and "## Usage" in md
    ld = json.loads(runner.invoke(app, ["export", "glutamine", "--format", "jsonld", "--db", kb]).output)
    assert ld["@type"] in ("DietarySupplement", "Drug")
    csv = runner.invoke(app, ["export", "glutamine", "--format", "csv", "--db", kb]).output
    assert csv.startswith("section,topic")


def test_cli_kb_conflicts_json_shape(kb) -> None:
    out = CliRunner().invoke(app, ["conflicts", "glutamine", "--json", "--db", kb])
    data = json.loads(out.output)
    assert isinstance(data, list)
    for c in data:
        assert set(c) == {"topic", "positions"}
        for p in c["positions"]:
            assert set(p) == {"source", "stance", "span", "text"}


def test_cli_kb_unknown_substance_one_line_exit_1(kb, capfd) -> None:
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "materia", "show", "nosuchthing", "--db", kb],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "nosuchthing" in proc.stderr


def test_cli_kb_ingest_bad_file_exit_1(tmp_path) -> None:
    out = CliRunner().invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "k.sqlite")])
    assert out.exit_code == 1


def test_cli_kb_show_a_brand_shows_its_generic(tmp_path, corpora) -> None:
    db = str(tmp_path / "kb.sqlite")
    label = corpora / "fda_spl_samples" / "lipitor-repack.spl.xml"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(label), "--db", db]).exit_code == 0
    for asked in ("lipitor", "Atorvastatin Calcium"):
        shown = runner.invoke(app, ["show", asked, "--json", "--db", db])
        assert shown.exit_code == 0, shown.output
        assert json.loads(shown.output)["substance"] == "atorvastatin"
    extracted = json.loads(runner.invoke(app, ["extract", str(label), "--json"]).output.splitlines()[0])
    assert extracted["substance"] == "atorvastatin" and extracted["substances"] == ["atorvastatin"]
