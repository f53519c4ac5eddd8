from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from materia import pipeline
from materia.cli import app
from materia.errors import StoreError
from materia.pipeline import Failure, Processed, expand_paths, ingest, process, source_of
from materia.settings import Settings
from materia.store import connect

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

SRC = Path(__file__).resolve().parents[1] / "src" / "materia"


@pytest.fixture
def zinc(tmp_path: Path, seeds: dict[str, Path]) -> Path:
    folder = tmp_path / "a"
    folder.mkdir()
    path = folder / "zinc.md"
    path.write_text(seeds["000"].read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_pipeline_store_imports_nothing_from_extract_or_ingest() -> None:
    for module in sorted((SRC / "store").rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert not name.startswith(("materia.extract", "materia.ingest", "materia.pipeline")), \
                    f"{module.relative_to(SRC)} imports {name}"


def test_pipeline_process_reads_and_extracts_one_file(zinc: Path) -> None:
    done = process(str(zinc), Settings.from_env({}))
    assert isinstance(done, Processed) and not done.unchanged
    assert done.source == os.path.realpath(zinc)
    [x] = done.extractions
    assert x.document.source == done.source and x.document.sha256 == done.sha256
    assert x.substance == "glutamine" and x.uses


def test_pipeline_process_reports_a_bad_file_as_failure(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert process(str(empty), Settings.from_env({})) == Failure(str(empty), "empty file")
    assert process(str(tmp_path / "nope.txt"), Settings.from_env({})) == Failure(str(tmp_path / "nope.txt"),
                                                                                  "no such file")


def test_pipeline_process_skips_an_unchanged_file_before_parsing(zinc: Path, monkeypatch) -> None:
    first = process(str(zinc), Settings.from_env({}))
    assert isinstance(first, Processed)

    def must_not_parse(raw: object) -> list[object]:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(pipeline, "read_raw", must_not_parse)
    again = process(str(zinc), Settings.from_env({}), stored_sha256=first.sha256)
    assert isinstance(again, Processed) and again.unchanged and again.extractions == ()


def test_pipeline_expand_paths_names_each_file_once(zinc: Path, tmp_path: Path, monkeypatch) -> None:
    link = tmp_path / "linked"
    link.symlink_to(zinc.parent, target_is_directory=True)
    (zinc.parent / "loop").symlink_to(zinc.parent, target_is_directory=True)  # a cycle must not hang the walk
    monkeypatch.chdir(zinc.parent)
    names = ["zinc.md", "./zinc.md", str(zinc), str(tmp_path) + "//a//zinc.md", str(link), str(link / "zinc.md")]
    files, missing = expand_paths(names)
    assert files == ["zinc.md"] and missing == []
    assert {source_of(n) for n in names[:4]} == {str(zinc.resolve())}


def test_pipeline_expand_paths_reports_misses(tmp_path: Path) -> None:
    files, missing = expand_paths([str(tmp_path / "nope.txt"), str(tmp_path / "*.none")])
    assert files == []
    assert missing == [(str(tmp_path / "nope.txt"), "no such file"), (str(tmp_path / "*.none"), "no file matches")]


def test_pipeline_ingest_stores_one_source_however_named(zinc: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(zinc.parent)
    with connect(str(tmp_path / "kb.sqlite")) as store:
        report = ingest(store, ["zinc.md", "./zinc.md"], Settings.from_env({}))
        assert report.added == ("zinc.md",) and report.ok
        again = ingest(store, [str(zinc), str(tmp_path) + "//a//zinc.md"], Settings.from_env({}))
        assert again.unchanged == (str(zinc),) and not again.added
        assert [d.source for d in store.documents()] == [str(zinc.resolve())]


def test_pipeline_ingest_reports_a_store_failure_per_file_and_goes_on(zinc: Path, tmp_path: Path,
                                                                     seeds: dict[str, Path]) -> None:
    other = tmp_path / "other.txt"
    other.write_text(seeds["002"].read_text(encoding="utf-8"), encoding="utf-8")
    with connect(str(tmp_path / "kb.sqlite")) as store:
        put_all = store.put_all

        def refuse_zinc(source: str, sha256: str, extractions: object) -> str:
            if source.endswith("zinc.md"):
                raise StoreError("could not store: IntegrityError: UNIQUE constraint failed")
            return put_all(source, sha256, extractions)  # type: ignore[arg-type]

        store.put_all = refuse_zinc  # type: ignore[method-assign]
        report = ingest(store, [str(zinc), str(other)], Settings.from_env({}))
        assert report.added == (str(other),)
        assert report.failed == ((str(zinc), "could not store: IntegrityError: UNIQUE constraint failed"),)


def test_pipeline_cli_names_paths_as_typed(tmp_path: Path, zinc: Path, monkeypatch) -> None:
    monkeypatch.chdir(zinc.parent)
    (zinc.parent / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "./empty.txt", "zinc.md", "--db", str(tmp_path / "kb.sqlite")])
    assert result.exit_code == 1
    assert "materia: ./empty.txt: empty file" in result.output
    assert "1 added, 0 updated, 0 unchanged, 1 failed" in result.output
