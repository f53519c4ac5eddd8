"""Read-side benchmark at scale: `show`, the monograph page and search on a large knowledge base.

Generates a corpus deterministically from the shared data (../shared/corpora, the seeds):
--documents monographs in the minimal-medicine Markdown format of the seeds, each about one
substance (a skewed draw: a few substances have hundreds of monographs, most a handful), its
sections filled with sentences from the DrugLib reviews, the TAC 2017 labels and healthsea
(the same seed gives the same files); with --corpora the shared corpus files themselves too.
Ingests them into SQLite and (with --pg or MATERIA_TEST_PG) a PostgreSQL database of its own,
then measures:

    show_ms          what `show` reads of the biggest substance (the monograph's first page where the
                     summaries exist, else the whole monograph), in-process, no in-memory cache;
                     monograph_ms and json_ms: the whole monograph decoded, and as JSON text
    show_command     `materia show BIGGEST` as a whole command (a fresh process): wall and CPU seconds
    page_ms, api_ms  its monograph page and API answer, in-process, page cache cleared each time
    search           p50/p99 over common words and 8-word queries (each query once per round), on a
                     knowledge base with its usual cache (of the substance list; searches are not cached)

Wall times on a shared machine swing with its load; CPU times (time.process_time) are the steadier figure.

--statements N (PostgreSQL) copies the stored items until the database holds N statements,
then measures show and search again. Results go to bench/results/query.json (--label names
the run, so before/after figures sit side by side).

    .venv/bin/python bench/query.py [--documents 6447] [--corpora] [--pg URL] [--keep DIR]
                                    [--statements 1000000] [--label after]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
SEEDS = ROOT / "src" / "materia" / "examples" / "seeds"
RESULTS = ROOT / "bench" / "results" / "query.json"
COMMON_WORDS = ("the", "a", "pain", "headache", "take", "daily", "nausea", "blood pressure", "dose", "calcium")
LONG_QUERIES = ("a a a a a a a a", "the the the the the the the the",
                "headache nausea pain dose daily blood pressure sleep",
                "what is the usual dose of calcium for adults")


# --- the corpus -----------------------------------------------------------------------------

def _druglib_rows() -> list[dict[str, str]]:
    """DrugLib review rows (drug, condition, benefits, side effects, comments); records start a line
    with their id and a tab, fields may hold bare line breaks."""
    rows = []
    for name in ("drugLibTrain_raw.tsv", "drugLibTest_raw.tsv"):
        text = (CORPORA / "druglib_reviews" / name).read_text(encoding="utf-8", errors="replace")
        for record in re.split(r"\r?\n(?=\d+\t)", text)[1:]:
            fields = [f.strip().strip('"').replace('""', '"') for f in record.split("\t")]
            if len(fields) >= 9:
                rows.append({"drug": fields[1], "condition": fields[5], "benefits": fields[6],
                             "side_effects": fields[7], "comments": fields[8]})
    return rows


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", flat) if 25 <= len(s.strip()) <= 400]


def _label_sentences() -> dict[str, list[str]]:
    """TAC 2017 label sentences by section name (adverse reactions, warnings and precautions, boxed warning)."""
    out: dict[str, list[str]] = {}
    for path in sorted((CORPORA / "tac2017_adr" / "train_xml").glob("*.xml")):
        for section in ElementTree.parse(path).getroot().iter("Section"):
            name = section.get("name") or "other"
            out.setdefault(name, []).extend(_sentences(section.text or ""))
    return out


def _healthsea_sentences() -> list[str]:
    out = []
    with (CORPORA / "healthsea" / "clausecat" / "annotation.jsonl").open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text", "")
            if "<" not in text and len(text) > 25:
                out.append(text)
    return out


SUPPLEMENTS = ("calcium", "magnesium", "glutamine", "zinc", "vitamin d", "fish oil", "melatonin", "iron",
               "vitamin c", "creatine", "probiotics", "turmeric", "ashwagandha", "vitamin b12", "folic acid")


def monographs(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(file name, text) of `n` generated monographs: the same `seed` gives the same files."""
    rng = random.Random(seed)
    rows = _druglib_rows()
    labels = _label_sentences()
    warnings = labels.get("warnings and precautions", []) + labels.get("boxed warning", [])
    reactions = labels.get("adverse reactions", [])
    posts = _healthsea_sentences()
    drugs = sorted({r["drug"].lower() for r in rows if r["drug"]})
    names = list(SUPPLEMENTS) + [d for d in drugs if d not in SUPPLEMENTS]
    weights = [1 / (rank + 8) for rank in range(len(names))]  # a few substances get hundreds of monographs
    by_drug: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_drug.setdefault(r["drug"].lower(), []).append(r)
    for i in range(n):
        name = rng.choices(names, weights)[0]
        title = name.title()
        own = by_drug.get(name) or rng.sample(rows, 3)
        uses = [f"{title} is used for {r['condition']}." for r in rng.sample(own, min(3, len(own))) if r["condition"]]
        uses += [s for r in own[:4] for s in _sentences(r["benefits"])][:4]
        low, high = rng.choice((25, 50, 100, 200, 250, 500)), rng.choice((2, 3, 4))
        dosage = [f"The usual dose for adults is {low} to {low * high} mg per day, taken with food.",
                  f"Do not take more than {low * high * 2} mg in one day."]
        effects = [s for r in rng.sample(own, min(4, len(own))) for s in _sentences(r["side_effects"])][:5]
        effects += rng.sample(reactions, 10)
        cautions = rng.sample(warnings, 9)
        faq = [s for r in own[:3] for s in _sentences(r["comments"])][:4] + rng.sample(posts, 6)
        parts = ["---", "layout: minimal-medicine", f"title: {title}", "---", "", f"# {title}",
                 "### Generic Name", title, "", "### Usage", " ".join(uses), "", "### Dosage", " ".join(dosage), "",
                 "### Side Effects", " ".join(effects), "", "### How it Works",
                 f"{title} acts on the body in several ways; the mechanism is not fully understood.", "",
                 "### Precautions", " ".join(cautions), "", "### FAQs", " ".join(faq), ""]
        yield f"m{i:05d}-{re.sub(r'[^a-z0-9]+', '-', name)}.md", "\n".join(parts)


def generate(folder: Path, n: int, with_corpora: bool) -> list[str]:
    """Write the corpus into `folder` (once: a folder already holding it is reused); the paths to ingest."""
    out = folder / "monographs"
    stamp = folder / f".generated-{n}"
    if not stamp.exists():
        out.mkdir(parents=True, exist_ok=True)
        for name, text in monographs(n):
            (out / name).write_text(text, encoding="utf-8")
        stamp.touch()
    paths = [str(out), str(SEEDS)]
    if with_corpora:
        paths += [str(CORPORA / "druglib_reviews"), str(CORPORA / "bc5cdr"), str(CORPORA / "tac2017_adr"),
                  str(CORPORA / "fda_spl_samples")]
    return paths


# --- measuring --------------------------------------------------------------------------------

def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {"p50_ms": round(q[49] * 1000, 2), "p99_ms": round(q[98] * 1000, 2), "max_ms": round(ordered[-1] * 1000, 2),
            "n": len(ordered)}


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(url: str, rounds: int = 5) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from materia.knowledge import KnowledgeBase
    from materia.settings import Settings
    from materia.web.app import create_app

    result: dict[str, Any] = {}
    kb = KnowledgeBase.open(url, cache_size=0)  # no in-memory cache: every read is the real work
    try:
        substances = kb.substances()
        biggest = max(substances, key=lambda s: s.n_statements)
        result["substances"] = len(substances)
        result["biggest"] = {"name": biggest.name, "sources": biggest.n_sources, "statements": biggest.n_statements,
                             "reports": biggest.n_reports}
        kb.monograph(biggest.name)  # a summary not yet built is built once here, as the first reader would
        head = getattr(kb, "monograph_head", kb.monograph)  # what `show` and the page read
        reads = {"show_ms": head, "monograph_ms": kb.monograph, "json_ms": getattr(kb, "monograph_json", None)}
        for key, read in reads.items():
            if read is not None:
                runs = [_timed(lambda read=read: read(biggest.name)) for _ in range(rounds)]
                result[key] = {"wall": round(statistics.median(w for w, _ in runs) * 1000, 1),
                               "cpu": round(statistics.median(c for _, c in runs) * 1000, 1)}
        searches: dict[str, list[float]] = {"common": [], "eight_words": []}
        cpu: dict[str, list[float]] = {"common": [], "eight_words": []}
        searching = KnowledgeBase(kb.store)
        for _ in range(rounds):
            for group, queries in (("common", COMMON_WORDS), ("eight_words", LONG_QUERIES)):
                for q in queries:
                    wall, c = _timed(lambda q=q: searching.search(q))
                    searches[group].append(wall)
                    cpu[group].append(c)
        result["search"] = {g: {**_percentiles(v), "cpu_p50_ms": round(statistics.median(cpu[g]) * 1000, 2)}
                            for g, v in searches.items()}
        app = create_app(Settings.from_env(db=url), kb)
        with TestClient(app) as client:
            page = []
            for _ in range(rounds):
                kb.cache.clear()
                page.append(_timed(lambda: client.get(f"/substances/{biggest.name}")))
            api = []
            for _ in range(rounds):
                kb.cache.clear()
                api.append(_timed(lambda: client.get(f"/api/v1/substances/{biggest.name}")))
            body = client.get(f"/substances/{biggest.name}").content
        result["page_ms"] = {"wall": round(statistics.median(w for w, _ in page) * 1000, 1),
                             "cpu": round(statistics.median(c for _, c in page) * 1000, 1), "bytes": len(body)}
        result["api_ms"] = {"wall": round(statistics.median(w for w, _ in api) * 1000, 1),
                            "cpu": round(statistics.median(c for _, c in api) * 1000, 1)}
    finally:
        kb.close()
    import materia

    command = [sys.executable, "-m", "materia", "show", biggest.name, "--db", url]
    env = {**os.environ, "PYTHONPATH": str(Path(materia.__file__).parents[1])}  # the materia measured above
    result["show_command"] = _command(command, env)
    result["search_command"] = _command([sys.executable, "-m", "materia", "search", "pain", "--db", url], env)
    return result


def _command(command: list[str], env: dict[str, str], runs: int = 3) -> dict[str, float]:
    """Median wall and CPU (user + system of the child) seconds of a whole command."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {"wall_s": round(statistics.median(walls), 2), "cpu_s": round(statistics.median(cpus), 2)}


def build(url: str, paths: list[str]) -> dict[str, Any]:
    """Ingest `paths` into the knowledge base at `url` (files already stored are skipped by their hash)."""
    from materia.pipeline import ingest
    from materia.settings import Settings
    from materia.store import connect

    store = connect(url)
    try:
        t = time.perf_counter()
        report = ingest(store, paths, Settings.from_env(db=url))
        seconds = time.perf_counter() - t
        documents = len(store.documents())
    finally:
        store.close()
    return {"files_added": len(report.added), "files_unchanged": len(report.unchanged),
            "failed": len(report.failed), "documents": documents, "ingest_s": round(seconds, 1)}


# --- PostgreSQL ---------------------------------------------------------------------------------

def _pg_database(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server of `admin_url`, created if missing (the bench's own)."""
    import sqlalchemy as sa  # the bench manages its database; the package keeps SQLAlchemy in store/

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return str(sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False))


def inflate(url: str, statements: int) -> dict[str, Any]:
    """Copy stored documents with their items (new sources, same substances) until the items table holds
    `statements` rows; every summary is then stale, as after an ingest of the copies."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    t = time.perf_counter()
    try:
        with engine.begin() as conn:
            have = int(conn.execute(sa.text("SELECT count(*) FROM items")).scalar() or 0)
            base = int(conn.execute(sa.text("SELECT max(id) FROM documents")).scalar() or 0)
            copy = 0
            while have < statements:
                copy += 1
                conn.execute(sa.text(
                    "INSERT INTO documents (id, source, record, text_offset, content_key, sha256, kind, format, title, "
                    "modified, text, substance, has_references, n_items, ingested_at) "
                    "SELECT id + :shift, source || '#copy' || :c, record, text_offset, "
                    "content_key || '#copy' || :c, sha256, kind, format, title, modified, text, substance, "
                    "has_references, n_items, ingested_at FROM documents WHERE id <= :base"),
                    {"shift": copy * base, "c": copy, "base": base})
                conn.execute(sa.text(
                    "INSERT INTO items (document_id, category, substance, name, stance, evidence, key, digest, text, "
                    "payload, span_start, span_end) SELECT document_id + :shift, category, substance, name, stance, "
                    "evidence, key, digest, text, payload, span_start, span_end FROM items "
                    "WHERE document_id <= :base"), {"shift": copy * base, "base": base})
                have = int(conn.execute(sa.text("SELECT count(*) FROM items")).scalar() or 0)
                print(f"  copy {copy}: {have} statements", file=sys.stderr, flush=True)
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('documents', 'id'), "
                                 "(SELECT max(id) FROM documents))"))
            # Written past the store: move every generation as its writes would have, so summaries are stale.
            if sa.inspect(conn).has_table("substance_generations"):
                conn.execute(sa.text("UPDATE substance_generations SET generation = generation + 1"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return {"statements": have, "copies": copy, "inflate_s": round(time.perf_counter() - t, 1)}


def _refresh(url: str) -> float:
    """Rebuild stale summaries (when this version of materia keeps them): seconds taken."""
    from materia.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(url)
    try:
        refresh = getattr(kb, "refresh_summaries", None)
        t = time.perf_counter()
        if refresh is not None:
            refresh()
        return round(time.perf_counter() - t, 1)
    finally:
        kb.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=6447, help="monographs to generate")
    parser.add_argument("--corpora", action="store_true", help="ingest the shared corpus files too")
    parser.add_argument("--pg", default=os.environ.get("MATERIA_TEST_PG"), help="PostgreSQL server URL")
    parser.add_argument("--pg-db", default="bench_search", help="database the bench creates and uses there")
    parser.add_argument("--keep", default=str(Path.home() / ".cache" / "materia-bench-query"),
                        help="folder for the generated corpus and the SQLite file (reused when present)")
    parser.add_argument("--statements", type=int, default=0, help="PostgreSQL: inflate to this many statements")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one database only")
    parser.add_argument("--label", default="run", help="name of this run in the results file")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-ingest", action="store_true", help="measure the knowledge bases as they are")
    args = parser.parse_args()

    folder = Path(args.keep) / f"n{args.documents}{'-corpora' if args.corpora else ''}"
    paths = generate(folder, args.documents, args.corpora)
    run: dict[str, Any] = {"documents_generated": args.documents, "corpora": args.corpora}
    targets = []
    if args.only != "postgresql":
        targets.append(("sqlite", str(folder / "kb.sqlite")))
    if args.pg and args.only != "sqlite":
        targets.append(("postgresql", _pg_database(args.pg, f"{args.pg_db}_{folder.name.replace('-', '_')}")))
    for name, url in targets:
        run[name] = {}
        if not args.no_ingest:
            print(f"{name}: ingesting", file=sys.stderr, flush=True)
            run[name]["build"] = build(url, paths)
            run[name]["build"]["summaries_s"] = _refresh(url)
        print(f"{name}: measuring", file=sys.stderr, flush=True)
        run[name].update(measure(url, args.rounds))
        print(name, json.dumps(run[name]), file=sys.stderr, flush=True)
        if name == "postgresql" and args.statements:
            big = inflate(url, args.statements)
            big["summaries_s"] = _refresh(url)
            big.update(measure(url, args.rounds))
            run["postgresql_inflated"] = big
            print("inflated", json.dumps(big), file=sys.stderr, flush=True)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results.setdefault(args.label, {}).update(run)  # a run of one database keeps the other's figures
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(run, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
