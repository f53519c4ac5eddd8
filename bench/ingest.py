"""Knowledge-base benchmark: ingest throughput, database size, show/search latency.

Without --monographs: ingests the three seeds and every shared corpus file a reader accepts
(druglib review TSVs, FDA SPL labels, BC5CDR PubTator, TAC 2017 ADR XML; files no reader handles
are reported and skipped) into a fresh SQLite file and, when MATERIA_TEST_PG or --pg names a
server, into a fresh PostgreSQL schema; results under "corpora" in bench/results/ingest.json.

With --monographs N...: ingest at scale. N monograph-like Markdown files are generated from the
shared corpora (bench/monographs.py, deterministic), then ingested into a fresh SQLite file and
PostgreSQL schema with each --workers count, each run in a process of its own: documents and
characters per second, CPU of the writer and of the worker processes, peak memory, the 1-minute
load average before and after (other work on the machine slows every figure: compare the runs
of one invocation with each other), and the time of an unchanged re-ingest. Results under "scale".

    .venv/bin/python bench/ingest.py [--pg URL] [--limit N]
    .venv/bin/python bench/ingest.py --monographs 1000 10000 --workers 1 2 [--pg URL]
    .venv/bin/python bench/ingest.py --monographs 1000 --workers 1 2 --dask   (workers of a local Dask scheduler)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import monographs
import psutil

from materia.knowledge import KnowledgeBase
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
    kb = KnowledgeBase(store, cache_size=0)  # uncached reads: the timings below are the real work
    substances = kb.substances()
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
        result["show_ms"] = _timed(lambda: kb.monograph(top))
    result["search_ms"] = {q: _timed(lambda q=q: kb.search(q)) for q in QUERIES}
    store.close()
    return result


def _fresh_pg_schema(base: str, schema: str) -> str:
    import sqlalchemy as sa  # the benchmark manages the schema; the package keeps SQLAlchemy in store/

    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


class _Sampler(threading.Thread):
    """Every 0.2 s: the CPU time of each descendant process (workers, forkserver; the last sample of each
    counts) and the peak of their summed resident memory, which getrusage cannot see for forkserver's
    grandchildren."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.cpu: dict[int, float] = {}
        self.peak_rss = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stopping.wait(0.2):
            rss = 0
            for child in me.children(recursive=True):
                try:
                    times, memory = child.cpu_times(), child.memory_info()
                except psutil.Error:
                    continue
                self.cpu[child.pid] = times.user + times.system
                rss += memory.rss
            self.peak_rss = max(self.peak_rss, rss)

    def stop(self) -> None:
        self.stopping.set()
        self.join()


@contextlib.contextmanager
def _local_cluster(workers: int) -> Iterator[str]:
    """`dask scheduler` and `workers` one-thread `dask worker` processes on 127.0.0.1 (children of this
    process, so the sampler sees them); the scheduler's address."""
    from distributed import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    procs = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    procs += [subprocess.Popen([*dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
              for _ in range(workers)]
    try:
        for _ in range(120):
            try:
                with Client(address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(workers, timeout=120)
                break
            except OSError:
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait()


def one_run(url: str, folder: str, workers: int, on_dask: bool = False) -> dict:
    """Ingest `folder` into `url` with `workers` (processes, or Dask workers), then again unchanged
    (this process: the writer)."""
    settings = Settings.from_env()
    store = connect(url)
    with contextlib.ExitStack() as stack:
        scheduler = stack.enter_context(_local_cluster(workers)) if on_dask else None
        sampler = _Sampler()
        sampler.start()
        load_before = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        report = ingest(store, [folder], settings, workers=workers, scheduler=scheduler)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sampler.stop()
        load_after = os.getloadavg()[0]
        again = time.perf_counter()
        unchanged = ingest(store, [folder], settings, workers=workers, scheduler=scheduler)
        again = time.perf_counter() - again
    chars = sum(len(p.read_text(encoding="utf-8")) for p in Path(folder).iterdir())
    n = len(report.added) + len(report.updated)
    store.close()
    return {"workers": workers, **({"on": "dask"} if on_dask else {}), "files": n, "failed": len(report.failed),
            "seconds": round(wall, 1),
            "docs_per_s": round(n / wall, 1), "chars_per_s": round(chars / wall),
            "writer_cpu_s": round(cpu, 1), "workers_cpu_s": round(sum(sampler.cpu.values()), 1),
            "cpu_ms_per_doc": round((cpu + sum(sampler.cpu.values())) / max(n, 1) * 1000, 1),
            "writer_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "workers_peak_rss_mb": sampler.peak_rss // 2**20,
            "load_before": round(load_before, 1), "load_after": round(load_after, 1),
            "reingest_seconds": round(again, 2), "reingest_unchanged": len(unchanged.unchanged)}


def scale(sizes: list[int], workers: list[int], pg: str | None, keep: Path, on_dask: bool = False) -> dict:
    """Every (size, database, workers) run, each in a fresh process and a fresh knowledge base; with
    `on_dask`, the workers are Dask workers of a scheduler on this machine (SQLite only)."""
    pools = monographs.load_pools()
    out: dict = {"cores": len(os.sched_getaffinity(0)), "runs": []}
    for n in sizes:
        folder = keep / f"monographs-{n}"
        if not folder.is_dir() or len(list(folder.iterdir())) != n:
            monographs.generate(folder, n, pools=pools)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.iterdir())
        for backend in ["sqlite", "postgresql"] if pg and not on_dask else ["sqlite"]:
            for w in workers:
                if backend == "sqlite":
                    db = keep / f"bench-{n}-{w}{'-dask' if on_dask else ''}.sqlite"
                    for old in keep.glob(db.name + "*"):
                        old.unlink()
                    url = str(db)
                else:
                    url = _fresh_pg_schema(pg, f"materia_bench_{n}_{w}")
                one = [sys.executable, __file__, "--one", url, str(folder), str(w), *(["--dask"] if on_dask else [])]
                done = subprocess.run(one,
                                      capture_output=True, text=True, check=True)
                run = {"documents": n, "characters": chars, "database": backend, **json.loads(done.stdout)}
                out["runs"].append(run)
                print(json.dumps(run), file=sys.stderr, flush=True)
    for run in out["runs"]:  # each run against the one-worker run of its size and database, same invocation
        base = next((r for r in out["runs"] if r["workers"] == 1 and r["documents"] == run["documents"]
                     and r["database"] == run["database"]), None)
        if base and run is not base:
            run["speedup_vs_1_worker"] = round(run["docs_per_s"] / base["docs_per_s"], 2)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("MATERIA_TEST_PG"), help="PostgreSQL SQLAlchemy URL")
    parser.add_argument("--limit", type=int, help="ingest only the first N files")
    parser.add_argument("--monographs", type=int, nargs="+", help="ingest at scale: this many generated files")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "materia-bench",
                        help="where generated files and SQLite knowledge bases go")
    parser.add_argument("--dask", action="store_true", help="with --monographs: the workers are Dask workers")
    parser.add_argument("--one", nargs=3, metavar=("URL", "FOLDER", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        url, folder, workers = args.one
        print(json.dumps(one_run(url, folder, int(workers), args.dask)))
        return 0
    if args.monographs:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = scale(args.monographs, args.workers, args.pg, args.keep, args.dask)
        _save("scale-dask" if args.dask else "scale", results)
        return 0
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
    _save("corpora", results)
    return 0


def _save(key: str, results: dict) -> None:
    """bench/results/ingest.json keeps the last results of each mode."""
    saved = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    saved = saved if "corpora" in saved or "scale" in saved else {"corpora": saved}  # the file before modes
    saved[key] = results
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
