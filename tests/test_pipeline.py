from __future__ import annotations

import ast
import gc
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from materia import pipeline
from materia.cli import app
from materia.knowledge import KnowledgeBase, summaries
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
    [x] = done.documents
    assert x.document.source == done.source and x.document.sha256 == done.sha256
    assert x.substance == "glutamine" and any(r.category == "use" for r in x.records)


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
    assert isinstance(again, Processed) and again.unchanged and again.documents == ()


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


def test_pipeline_ingest_spares_the_collector_its_heap_only_while_it_runs(zinc: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    """The heap is frozen for the ingest and unfrozen after; a freeze made by someone else is left alone."""
    during: list[int] = []
    real = pipeline.expand_paths
    monkeypatch.setattr(pipeline, "expand_paths", lambda paths: during.append(gc.get_freeze_count()) or real(paths))
    with connect(str(tmp_path / "kb.sqlite")) as store:
        assert ingest(store, [str(zinc)], Settings.from_env({})).ok
        assert during[0] > 0 and gc.get_freeze_count() == 0
        gc.freeze()
        try:
            kept = gc.get_freeze_count()
            ingest(store, [str(zinc)], Settings.from_env({}))
            assert gc.get_freeze_count() == kept
        finally:
            gc.unfreeze()


def test_pipeline_ingest_reports_a_store_failure_per_file_and_goes_on(zinc: Path, tmp_path: Path,
                                                                     seeds: dict[str, Path]) -> None:
    other = tmp_path / "other.txt"
    other.write_text(seeds["002"].read_text(encoding="utf-8"), encoding="utf-8")
    """The database refuses one file of a batch: the batch is rolled back and each file stored alone."""
    import sqlalchemy as sa

    with connect(str(tmp_path / "kb.sqlite")) as store:
        write = store._write

        def refuse_zinc(s, row, x, now):  # type: ignore[no-untyped-def]
            if x.document.source.endswith("zinc.md"):
                raise sa.exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
            write(s, row, x, now)

        store._write = refuse_zinc  # type: ignore[method-assign]
        report = ingest(store, [str(zinc), str(other)], Settings.from_env({}))
        assert report.added == (str(other),)
        [(path, reason)] = report.failed
        assert path == str(zinc) and reason.startswith("could not store: (builtins.Exception) UNIQUE constraint failed")
        assert [d.source for d in store.documents()] == [str(other.resolve())]


def test_pipeline_cli_names_paths_as_typed(tmp_path: Path, zinc: Path, monkeypatch) -> None:
    monkeypatch.chdir(zinc.parent)
    (zinc.parent / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "./empty.txt", "zinc.md", "--db", str(tmp_path / "kb.sqlite")])
    assert result.exit_code == 1
    assert "materia: ./empty.txt: empty file" in result.output
    assert "1 added, 0 updated, 0 unchanged, 0 removed, 1 failed" in result.output


# --- many-record files --------------------------------------------------------------------------

BRANDS = {"biaxin": "clarithromycin", "lamictal": "lamotrigine", "lipitor": "atorvastatin", "zoloft": "sertraline",
          "prozac": "fluoxetine", "xanax": "alprazolam", "neurontin": "gabapentin", "lexapro": "escitalopram"}


@pytest.fixture(scope="module")
def druglib_kb(tmp_path_factory: pytest.TempPathFactory, corpora: Path) -> tuple[str, Path]:
    """`materia ingest` of a folder holding the DrugLib test table (1,036 reviews)."""
    root = tmp_path_factory.mktemp("druglib")
    folder = root / "reviews"
    folder.mkdir()
    (folder / "test.tsv").symlink_to(corpora / "druglib_reviews" / "drugLibTest_raw.tsv")
    db = str(root / "kb.sqlite")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in result.output
    return db, folder


def test_pipeline_every_review_is_filed_under_its_own_drug(druglib_kb: tuple[str, Path]) -> None:
    db, _ = druglib_kb
    with connect(db) as store:
        docs = store.documents()
        assert len(docs) == 1036 and all(d.kind == "review" for d in docs)
        assert [d.record for d in docs[:3]] == ["row 1", "row 2", "row 3"]
        assert len({d.source for d in docs}) == 1  # one file, every location pointing into it
        assert all(d.substance for d in docs)
        by_drug: dict[str, set[str | None]] = {}
        for d in docs:
            [post] = [i for i in store.document(d.id)[3] if i.category == "post"]
            by_drug.setdefault(str(post.payload["drug"]), set()).add(d.substance)
        assert all(len(subjects) == 1 for subjects in by_drug.values())  # one drug, one substance
        for brand, generic in BRANDS.items():
            assert by_drug[brand] == {generic}
        assert len({d.substance for d in docs}) > 200  # brands of one generic are one substance


def test_pipeline_show_counts_a_drugs_own_reviews(druglib_kb: tuple[str, Path], corpora: Path) -> None:
    import json

    db, _ = druglib_kb
    shown = json.loads(CliRunner().invoke(app, ["show", "lamotrigine", "--json", "--db", db]).output)
    rows = (corpora / "druglib_reviews" / "drugLibTest_raw.tsv").read_bytes().decode("utf-8")
    lamictal_rows = len(re.findall(r"(?m)^\d+\t(?:lamictal|lamotrigine)\t", rows))  # records start "<id><TAB>"
    assert shown["community"]["n_posts"] == lamictal_rows > 1
    assert {s["record"].split()[0] for s in shown["sources"]} == {"row"}


def test_pipeline_reingest_of_an_unchanged_table_parses_nothing(druglib_kb: tuple[str, Path], monkeypatch) -> None:
    db, folder = druglib_kb

    def must_not_parse(raw: object) -> list[object]:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(pipeline, "read_raw", must_not_parse)
    with connect(db) as store:
        report = ingest(store, [str(folder)], Settings.from_env({}))
    assert report.unchanged == (str(folder / "test.tsv"),) and report.ok


TABLE = ("drug,condition,rating,review\n"
         "zinc,common cold,9,Shortened my cold. No side effects.\n"
         "iron,anemia,3,Caused constipation and nausea.\n"
         "magnesium,cramps,8,Helped my leg cramps.\n")


def test_pipeline_changed_table_replaces_its_records_in_one_go(tmp_path: Path) -> None:
    table = tmp_path / "reviews.csv"
    table.write_text(TABLE, encoding="utf-8")
    with connect(str(tmp_path / "kb.sqlite")) as store:
        assert ingest(store, [str(table)], Settings.from_env({})).added == (str(table),)
        assert sorted(d.substance or "" for d in store.documents()) == ["iron", "magnesium", "zinc"]
        changed = TABLE.replace("iron,anemia,3,Caused constipation and nausea.\n", "")
        table.write_text(changed.replace("Helped my leg cramps.", "Did nothing for my cramps."), encoding="utf-8")
        assert ingest(store, [str(table)], Settings.from_env({})).updated == (str(table),)
        docs = store.documents()
        assert [(d.record, d.substance) for d in docs] == [("row 1", "zinc"), ("row 2", "magnesium")]
        assert store.check() == []
        removed = {h.item["category"] for h in store.history(source=source_of(str(table))) if h.change == "removed"}
        assert "post" in removed  # the dropped row's report is in the history


def test_pipeline_bc5cdr_abstracts_are_separate_documents(tmp_path: Path, corpora: Path) -> None:
    sample = tmp_path / "cdr.PubTator.txt"
    text = (corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt").read_bytes().decode("utf-8")
    sample.write_text("\n\n".join(text.split("\n\n")[:12]) + "\n", encoding="utf-8")
    with connect(str(tmp_path / "kb.sqlite")) as store:
        assert ingest(store, [str(sample)], Settings.from_env({})).ok
        docs = store.documents()
        assert len(docs) == 12 and all(d.kind == "abstract" and d.record.startswith("PMID ") for d in docs)
        assert len({d.substance for d in docs}) >= 8  # not one substance for the whole file
        for d in docs:
            _, _, stored, items = store.document(d.id)
            for item in items:  # provenance: the offset maps every span back into the file
                assert text[d.offset + item.span.start:d.offset + item.span.end] == item.span.of(stored)


def test_pipeline_extract_json_prints_one_object_per_record(tmp_path: Path, seeds: dict[str, Path]) -> None:
    import json

    table = tmp_path / "reviews.csv"
    table.write_text(TABLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--json", str(table), str(seeds["000"])])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["record"] for r in rows] == ["row 1", "row 2", "row 3", None]
    assert [r["substance"] for r in rows[:3]] == ["zinc", "iron", "magnesium"]
    assert {r["source"] for r in rows[:3]} == {str(table)} and len({r["sha256"] for r in rows[:3]}) == 1
    effects = {e["name"]: e["span"] for e in rows[1]["effects"]}
    assert TABLE[slice(*effects["constipation"])] == "constipation"  # spans index the file's text


def test_pipeline_kind_applies_to_every_record(tmp_path: Path) -> None:
    table = tmp_path / "reviews.csv"
    table.write_text(TABLE, encoding="utf-8")
    done = process(str(table), Settings.from_env({}), kind="post")
    assert isinstance(done, Processed)
    assert [(x.document.record, x.document.kind) for x in done.documents] == \
        [("row 1", "community"), ("row 2", "community"), ("row 3", "community")]
    result = CliRunner().invoke(app, ["extract", "--json", "--kind", "article", str(table)])
    assert result.exit_code == 0, result.output
    assert [r["kind"] for r in map(__import__("json").loads, result.output.splitlines())] == ["article"] * 3
    assert CliRunner().invoke(app, ["extract", "--kind", "blog", str(table)]).exit_code == 2


def test_pipeline_review_rows_make_the_community_view(tmp_path: Path) -> None:
    from materia.knowledge import KnowledgeBase

    table = tmp_path / "reviews.csv"
    table.write_text(TABLE + "iron,anemia,4,It gave me constipation but my energy is better.\n", encoding="utf-8")
    with connect(str(tmp_path / "kb.sqlite")) as store:
        assert ingest(store, [str(table)], Settings.from_env({})).ok
        kb = KnowledgeBase(store)
        iron = kb.monograph("iron").community
        magnesium = kb.monograph("magnesium").community
    assert iron.n_posts == 2
    assert [(r.name, r.count) for r in iron.reported_effects][:1] == [("constipation", 2)]  # one per row
    assert all("anemia" not in r.name for r in iron.reported_effects)  # the condition column is no effect
    assert [(v.condition, v.helped, v.nothing) for v in magnesium.verdicts] == [("muscle cramps", 1, 0)]


def test_pipeline_druglib_rows_report_effects_not_their_condition(druglib_kb: tuple[str, Path]) -> None:
    import json

    db, _ = druglib_kb
    shown = json.loads(CliRunner().invoke(app, ["show", "lamotrigine", "--json", "--db", db]).output)["community"]
    assert shown["reported_effects"] and shown["verdicts"]
    with connect(db) as store:
        for d in store.documents("lamotrigine"):
            items = store.document(d.id)[3]
            [post] = [i for i in items if i.category == "post"]
            body = post.payload["body"]
            # effects and uses come from the free-text columns only, never the condition or rating columns
            assert all(body[0] <= i.span.start < body[1] for i in items if i.category in ("effect", "use"))


# --- one source, one count ----------------------------------------------------------------------

def test_pipeline_same_label_in_two_files_is_one_source_with_two_locations(tmp_path: Path, corpora: Path) -> None:
    import json
    import shutil

    label = corpora / "fda_spl_samples" / "lipitor-orig.spl.xml"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(label, tmp_path / folder / "lipitor.xml")
    # The repackager's label is another label: its own set id and version (8, 2012) and text that
    # differs from Pfizer's version 11 (2014) in a sixth of its lines; it stays a source of its own.
    shutil.copy(corpora / "fda_spl_samples" / "lipitor-repack.spl.xml", tmp_path / "a" / "repack.xml")
    db = str(tmp_path / "kb.sqlite")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--db", db])
    assert result.exit_code == 0 and "3 added" in result.output, result.output
    shown = json.loads(CliRunner().invoke(app, ["show", "atorvastatin", "--json", "--db", db]).output)
    assert len(shown["sources"]) == 2
    pfizer = next(s for s in shown["sources"] if len(s["locations"]) == 2)
    assert {"document_id", "title", "kind", "modified"} <= set(pfizer)  # the contract's fields stay
    assert {loc["source"] for loc in pfizer["locations"]} == {str((tmp_path / f / "lipitor.xml").resolve())
                                                             for f in ("a", "b")}
    with connect(db) as store:
        [counts] = [c for c in store.substances() if c.name == "atorvastatin"]
        assert counts.n_sources == 2
        keys = {d.content_key for d in store.documents()}
        assert keys == {"label:c6e131fe-e7df-4876-83f7-9156fc4e8228:11", "label:17a163ef-b349-4e32-bc8c-b02bac7f65d6:8"}


def test_pipeline_same_text_in_two_files_counts_once(tmp_path: Path, seeds: dict[str, Path]) -> None:
    from materia.knowledge import KnowledgeBase

    text = seeds["000"].read_text(encoding="utf-8")
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    with KnowledgeBase(connect(str(tmp_path / "kb1.sqlite"))) as kb:
        ingest(kb.store, [str(tmp_path / "one.txt")], Settings.from_env({}))
        single = kb.monograph("glutamine")
    (tmp_path / "copy.txt").write_text(text.replace("\n\n", "\n \n"), encoding="utf-8")  # layout differs only
    with KnowledgeBase(connect(str(tmp_path / "kb2.sqlite"))) as kb:
        ingest(kb.store, [str(tmp_path / "one.txt"), str(tmp_path / "copy.txt")], Settings.from_env({}))
        double = kb.monograph("glutamine")
        [counts] = kb.substances()
    assert counts.n_sources == 1
    [source] = double.sources
    assert [loc.source for loc in source.locations] == [str((tmp_path / n).resolve()) for n in ("copy.txt", "one.txt")]
    assert [(u.name, u.grade, u.reason) for u in double.uses] == [(u.name, u.grade, u.reason) for u in single.uses]


def test_pipeline_openfda_results_are_one_document_per_label(tmp_path: Path, corpora: Path) -> None:
    import json

    from materia.ingest import read_documents

    label = json.loads((corpora / "fda_spl_samples" / "humira-2c9fb32d.text.json").read_text(encoding="utf-8"))
    other = {"set_id": ["abc-1"], "version": ["3"], "indications_and_usage": ["Zinc is used for the common cold."],
             "adverse_reactions": ["6 ADVERSE REACTIONS\nNausea."], "openfda": {"brand_name": ["ZINCO"]}}
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"meta": {}, "results": [label, other]}), encoding="utf-8")
    first, second = read_documents(str(path))
    assert (first.record, second.record) == ("label 1", "label 2")
    assert (first.title, second.title) == ("HUMIRA", "ZINCO")
    assert second.metadata == {"set_id": "abc-1", "version": "3"} and first.metadata == {}
    assert "Zinc is used" in second.text and "Zinc is used" not in first.text  # each label its own text
    with connect(str(tmp_path / "kb.sqlite")) as store:
        assert ingest(store, [str(path)], Settings.from_env({})).ok
        assert [d.record for d in store.documents()] == ["label 1", "label 2"]


# --- many workers -------------------------------------------------------------------------------


def test_pipeline_reingest_of_unchanged_files_decodes_nothing(zinc: Path, tmp_path: Path, monkeypatch) -> None:
    with connect(str(tmp_path / "kb.sqlite")) as store:
        assert ingest(store, [str(zinc)], Settings.from_env({})).added == (str(zinc),)

        def must_not_decode(path: str, data: bytes) -> object:
            raise AssertionError("an unchanged file was decoded")

        monkeypatch.setattr(pipeline, "from_bytes", must_not_decode)
        assert ingest(store, [str(zinc.parent)], Settings.from_env({})).unchanged == (str(zinc.parent / "zinc.md"),)


def test_pipeline_two_workers_store_what_one_stores(tmp_path: Path, seeds: dict[str, Path], monkeypatch) -> None:
    """A pool of two worker processes (started here for a small input) stores the same documents and items,
    reports files in the order they were named, and calls progress up to the total."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, path in enumerate([*seeds.values(), *seeds.values()]):
        (folder / f"{i}.txt").write_text(path.read_text(encoding="utf-8") + f"\n\nCopy {i}.\n", encoding="utf-8")
    (folder / "reviews.csv").write_text(TABLE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    monkeypatch.setattr(pipeline, "POOL_BYTES_PER_WORKER", 1)  # a pool however little text there is

    def stored(workers: int) -> tuple[pipeline.IngestReport, list[tuple[str, str | None, int]], list[int],
                                      dict[str, str]]:
        seen: list[int] = []
        with connect(str(tmp_path / f"kb{workers}.sqlite")) as store:
            report = ingest(store, [str(folder)], Settings.from_env({}), workers=workers,
                            progress=lambda path, done, total: seen.append(done))
            docs = [(d.source, d.record, d.n_items) for d in store.documents()]
            assert store.check() == [] and store.stale_summaries(summaries.ALIASES, summaries.summary_format()) == []
            monographs = {s: re.sub(r'"(document_id|id)":\d+', "", summaries.decode_json(body))  # ids: store order
                          for s in store.substance_names()
                          if (body := store.summary(s, summaries.MONOGRAPH, summaries.summary_format()))}
        return report, docs, seen, monographs

    one, docs_one, _, monographs_one = stored(1)

    def not_in_this_process(*args: object) -> list[str]:
        raise AssertionError("the pool's workers build the summaries")

    monkeypatch.setattr(KnowledgeBase, "refresh_summaries", not_in_this_process)
    two, docs_two, progress, monographs_two = stored(2)
    assert two.added == one.added == (*(str(folder / f"{i}.txt") for i in range(6)), str(folder / "reviews.csv"))
    assert two.failed == one.failed == ((str(folder / "empty.txt"), "empty file"),)
    assert docs_two == docs_one and len(docs_one) == 6 + 3
    assert progress[-1] == 8
    assert monographs_two == monographs_one and "glutamine" in monographs_one
