"""Knowledge-base benchmark: ingest throughput, database size, show/search latency.

Ingests the three seeds and every shared corpus file a reader accepts (druglib review TSVs,
FDA SPL labels, BC5CDR PubTator, TAC 2017 ADR XML; files no reader handles are reported
and skipped) into a fresh SQLite file and, when MATERIA_TEST_PG or --pg names a server,
into a fresh PostgreSQL schema. Writes bench/results/ingest.json.

    .venv/bin/python bench/ingest.py [--pg URL] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from materia.knowledge import list_substances, monograph, search
from materia.pipeline import expand_paths, ingest
from materia.settings import Settings
from materia.store import connect

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "src" / "materia" / "examples" / "seeds"
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = ROOT / "bench" / "results" / "ingest.json"
QUERIES = ("glutamine", "empty stomach", "headache", "kidney disease", "depression")


def _inputs(limit: int | None) -> list[str]:
    files, _ = expand_paths([str(SEEDS), str(CORPORA)] if CORPORA.exists() else [str(SEEDS)])
    files = [f for f in files if Path(f).name not in ("SOURCE.txt", "README.txt")]
    return files[:limit] if limit else files


def _timed(fn, repeat: int = 5) -> float:
    """Median wall time of `fn()` in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def run(url: str, files: list[str], size_of) -> dict:
    settings = Settings.from_env()
    store = connect(url)
    t = time.perf_counter()
    slowest: list[tuple[float, str]] = []
    last = [t, ""]

    def progress(path: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1]:
            slowest.append((round(now - last[0], 2), Path(last[1]).name))
        last[:] = [now, path]
        print(f"  {done}/{total} {Path(path).name}", file=sys.stderr, flush=True)

    report = ingest(store, files, settings, progress=progress)
    elapsed = time.perf_counter() - t
    n_docs = len(report.added) + len(report.updated)
    chars = sum(Path(f).stat().st_size for f in files if f not in dict(report.failed))
    substances = list_substances(store)
    top = max(substances, key=lambda s: s.n_statements).name if substances else None
    result = {
        "files": len(files), "documents": n_docs, "failed": len(report.failed),
        "failed_examples": [f"{Path(p).name}: {r}" for p, r in report.failed[:5]],
        "seconds": round(elapsed, 2), "documents_per_s": round(n_docs / elapsed, 2) if elapsed else None,
        "mb_per_s": round(chars / 2**20 / elapsed, 3) if elapsed else None,
        "substances": len(substances), "db_bytes": size_of(store),
        "slowest_files_s": sorted(slowest, reverse=True)[:5],
        "reingest_seconds": None, "show_ms": None, "search_ms": {},
        "integrity_problems": len(store.check()),
    }
    t = time.perf_counter()
    ingest(store, files, settings)  # every file unchanged: the idempotence path
    result["reingest_seconds"] = round(time.perf_counter() - t, 2)
    if top:
        result["show_substance"] = top
        result["show_ms"] = _timed(lambda: monograph(store, top))
    result["search_ms"] = {q: _timed(lambda q=q: search(store, q)) for q in QUERIES}
    store.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("MATERIA_TEST_PG"), help="PostgreSQL SQLAlchemy URL")
    parser.add_argument("--limit", type=int, help="ingest only the first N files")
    args = parser.parse_args()
    files = _inputs(args.limit)
    results: dict = {"inputs": len(files)}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        results["sqlite"] = run(str(db), files, lambda _s: sum(p.stat().st_size for p in Path(tmp).iterdir()))
        print("sqlite", json.dumps(results["sqlite"]), file=sys.stderr)
    if args.pg:
        import sqlalchemy as sa  # the benchmark manages the schema; the package keeps SQLAlchemy in store/

        schema = f"materia_bench_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(args.pg)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            url = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"

            def pg_size(_s) -> int:
                with engine.connect() as conn:
                    return int(conn.execute(sa.text(
                        "SELECT coalesce(sum(pg_total_relation_size(quote_ident(schemaname) || '.' || "
                        "quote_ident(tablename))), 0) FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalar())

            results["postgresql"] = run(url, files, pg_size)
            print("postgresql", json.dumps(results["postgresql"]), file=sys.stderr)
        except sa.exc.OperationalError as exc:
            results["postgresql"] = {"skipped": f"unreachable: {exc.__class__.__name__}"}
        finally:
            with engine.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            engine.dispose()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
