from __future__ import annotations

import json
import re

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


# Run in a fresh process: what a command imported, said on stderr as the process ends.
_IMPORTED = ("import atexit, sys\n"
             "atexit.register(lambda: sys.stderr.write(f'sqlalchemy imported: {\"sqlalchemy\" in sys.modules}\\n'))\n"
             "from materia.cli import main\n"
             "main()\n")


@pytest.mark.parametrize("command", [["show", "glutamine"], ["show", "L-glutamine", "--json"], ["search", "stomach"],
                                     ["conflicts", "glutamine"], ["interactions", "glutamine", "warfarin"],
                                     ["history", "glutamine"], ["export", "glutamine", "--format", "csv"]])
def test_cli_kb_reading_commands_start_without_sqlalchemy(kb, command: list[str]) -> None:
    """A command that only reads an SQLite knowledge base reads it through the standard library's sqlite3:
    importing SQLAlchemy was most of its start-up."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _IMPORTED, *command, "--db", kb], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert proc.stderr.splitlines()[-1] == "sqlalchemy imported: False"


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


def test_cli_kb_show_doses_contract_and_screen(tmp_path) -> None:
    """`show --json` keeps doses[{purpose, highest_g_per_day, ranges[{text, span}]}]; a daily amount above
    the maximum its own source states is left out of the highest figure, and `show` prints why."""
    page = tmp_path / "ibuprofen.txt"
    page.write_text("---\ntitle: Ibuprofen\n---\n\n# Ibuprofen\n\n### Dosage\n"
                    "**Adults:** 200-400mg every 4-6 hours.\n\n"
                    "**Arthritis:** 800 mg three times daily.\n\n"
                    "**Children:** 5-10 mg/kg every 6-8 hours.\n\n"
                    "### FAQs\nHow much is too much? Never take more than 1200 mg in 24 hours.\n", encoding="utf-8")
    db = str(tmp_path / "kb.sqlite")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(page), "--db", db]).exit_code == 0
    data = json.loads(runner.invoke(app, ["show", "ibuprofen", "--json", "--db", db]).output)
    doses = {d["purpose"]: d for d in data["doses"]}
    for d in doses.values():
        assert {"purpose", "highest_g_per_day", "ranges"} <= set(d)
        assert all({"text", "span"} <= set(r) for r in d["ranges"])
    assert doses["general"]["highest_g_per_day"] == 1.2  # the stated maximum itself
    assert doses["adults"]["highest_g_per_day"] is None and doses["adults"]["flagged"]  # 4-6 x 400 mg is 2.4 g
    assert doses["children"]["highest_g_per_day"] is None  # per kg: no body weight to multiply by
    [flagged] = doses["arthritis"]["flagged"]
    assert doses["arthritis"]["highest_g_per_day"] is None and flagged["flag"]["rule"] == "above_own_maximum"
    shown = runner.invoke(app, ["show", "ibuprofen", "--db", db]).output
    assert "2.4 g/day is above the 1.2 g/day maximum" in " ".join(shown.split()).replace("│ ", "")
    md = runner.invoke(app, ["export", "ibuprofen", "--format", "markdown", "--db", db]).output
    assert "left out: 2.4 g/day is above the 1.2 g/day maximum the same source states[^" in md


HISTORY_KEYS = {"when", "document_id", "change", "item", "before"}


def _history(db: str, substance: str) -> list[dict]:
    out = CliRunner().invoke(app, ["history", substance, "--json", "--db", db])
    assert out.exit_code == 0, out.output
    entries = json.loads(out.output)
    assert isinstance(entries, list)
    for e in entries:
        assert set(e) == HISTORY_KEYS
        assert e["change"] in ("added", "removed", "changed")
        assert isinstance(e["item"], dict) and (e["before"] is None or isinstance(e["before"], dict))
        assert isinstance(e["document_id"], int) and e["when"][:4].isdigit()
    return entries


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "more").mkdir(parents=True)
    (docs / "zinc.md").write_text("# Zinc\n\n## Dosage\n\nAdults take 30 g of zinc daily for colds.\n\n"
                                  "## Side effects\n\nZinc may cause nausea.\n", encoding="utf-8")
    (docs / "more" / "iron.md").write_text("# Iron\n\n## Dosage\n\nAdults take 18 mg of iron daily.\n",
                                           encoding="utf-8")
    return docs


def test_cli_kb_a_deleted_file_leaves_when_its_folder_is_ingested_again(folder, tmp_path) -> None:
    runner, db = CliRunner(), str(tmp_path / "kb.sqlite")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["show", "zinc", "--db", db]).exit_code == 0
    (folder / "zinc.md").unlink()
    missing = runner.invoke(app, ["ingest", str(folder / "zinc.md"), "--db", db])  # named: an error, no removal
    assert missing.exit_code == 1 and "0 removed" in missing.output
    assert runner.invoke(app, ["show", "zinc", "--db", db]).exit_code == 0
    again = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert again.exit_code == 0 and "1 removed" in again.output
    assert runner.invoke(app, ["show", "zinc", "--db", db]).exit_code == 1  # gone from show
    assert runner.invoke(app, ["show", "iron", "--db", db]).exit_code == 0
    entries = _history(db, "zinc")
    removed = [e for e in entries if e["change"] == "removed"]
    assert {e["item"]["category"] for e in removed} == {"dose", "effect"}
    assert all(e["before"] is None for e in removed)
    text = runner.invoke(app, ["history", "zinc", "--db", db])
    assert text.exit_code == 0 and "removed" in text.output and "zinc.md" in text.output


def test_cli_kb_remove_files_and_folders(folder, tmp_path) -> None:
    runner, db = CliRunner(), str(tmp_path / "kb.sqlite")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    done = runner.invoke(app, ["remove", str(folder / "more"), str(folder / "nope.md"), "--db", db])
    assert done.exit_code == 1 and "1 removed, 1 failed" in done.output
    assert runner.invoke(app, ["show", "iron", "--db", db]).exit_code == 1
    assert [e["change"] for e in _history(db, "iron")].count("removed") >= 1
    assert runner.invoke(app, ["remove", str(folder / "zinc.md"), "--db", db]).exit_code == 0  # still on disk
    assert runner.invoke(app, ["show", "zinc", "--db", db]).exit_code == 1


def test_cli_kb_history_a_value_edit_is_one_changed_entry(folder, tmp_path) -> None:
    runner, db = CliRunner(), str(tmp_path / "kb.sqlite")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    zinc = folder / "zinc.md"
    zinc.write_text(zinc.read_text(encoding="utf-8").replace("30 g", "40 g"), encoding="utf-8")
    assert "1 updated" in runner.invoke(app, ["ingest", str(folder), "--db", db]).output
    entries = _history(db, "zinc")
    assert [e["change"] for e in entries if e["change"] != "added"] == ["changed"]  # not removed + added
    changed = entries[-1]
    assert changed["before"]["payload"]["high"] == 30 and changed["item"]["payload"]["high"] == 40
    assert changed["item"]["category"] == "dose"
    table = runner.invoke(app, ["history", "L-zinc", "--db", db])  # resolves as show does
    assert table.exit_code == 0 and "changed" in table.output and "30 g" in table.output
    assert runner.invoke(app, ["history", "nosuchthing", "--db", db]).exit_code == 1


def test_cli_kb_show_prints_the_first_of_each_list_and_counts_the_rest(kb) -> None:
    runner = CliRunner()
    whole = json.loads(runner.invoke(app, ["show", "glutamine", "--json", "--db", kb]).output)
    usage = next(s for s in whole["sections"] if s["key"] == "usage")
    assert len(usage["claims"]) == usage["n_claims"] > 10  # --json: all of them
    shown = runner.invoke(app, ["show", "glutamine", "--db", kb], terminal_width=200).output
    assert f"… and {usage['n_claims'] - 10} more statements (all of them: --json)" in shown


def test_cli_kb_search_merges_and_counts(kb) -> None:
    runner = CliRunner()
    found = runner.invoke(app, ["search", "the diarrhoea diarrhoea", "--db", kb], terminal_width=200)
    assert found.exit_code == 0 and "left out common word: the" in found.output
    assert re.search(r"\d+ statements and \d+ documents match; results 1–\d+", found.output)
    as_json = json.loads(runner.invoke(app, ["search", "diarrhoea", "--json", "--limit", "3", "--db", kb]).output)
    assert as_json["terms"] == ["diarrhoea"] and len(as_json["hits"]) == 3 and as_json["more"] is True
    later = json.loads(runner.invoke(app, ["search", "diarrhoea", "--json", "--offset", "3", "--db", kb]).output)
    assert later["offset"] == 3 and later["hits"][0] not in as_json["hits"]
