"""Bounded load test of the web site on loopback: p50/p99 latency and requests/s.

Builds a knowledge base from the bundled seed documents in a temp directory (with --corpora,
from ../shared/corpora and ../shared/seeds too; or uses --db), starts `materia.web.serve` with
uvicorn in a child process on 127.0.0.1, then for each target sends --requests GETs from
--concurrency keep-alive connections, as a browser does (Accept-Encoding: gzip), stopping early
after --seconds. The targets are the pages of the substance with the most sources. Beside the
latencies, the server's CPU time per request (from /proc, Linux) says how much is work and how
much is waiting on a loaded machine. Only loopback is ever contacted.

    .venv/bin/python bench/web_load.py [--corpora] [--requests 400] [--concurrency 4] [--seconds 30]

Writes bench/results/web.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HOST = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "web.json"
SEEDS = Path(__file__).resolve().parents[1] / "src" / "materia" / "examples" / "seeds"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def targets(port: int) -> dict[str, str]:
    """The pages of the substance with the most sources: monograph, one of its parts, its API, a document."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/api/v1/substances")
    top = max(json.loads(conn.getresponse().read()), key=lambda s: (s["n_sources"], s["n_statements"]))["name"]
    name = quote(top, safe="")
    conn.request("GET", f"/api/v1/substances/{name}")
    first_source = json.loads(conn.getresponse().read())["sources"][0]["document_id"]
    conn.close()
    return {
        "home_page": "/",
        "monograph_page": f"/substances/{name}",
        "monograph_part": f"/substances/{name}/sources",
        "document_page": f"/documents/{first_source}",
        "api_monograph": f"/api/v1/substances/{name}",
        "api_search": "/api/v1/search?q=diarrhoea",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _build_db(path: str, corpora: bool) -> None:
    from materia.pipeline import ingest
    from materia.settings import Settings
    from materia.store import connect

    settings = Settings.from_env(db=path)
    paths = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    if corpora:
        paths += [str(SHARED / "corpora"), str(SHARED / "seeds")]
    store = connect(path)
    try:
        ingest(store, paths, settings)
    finally:
        store.close()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (0 where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def _worker(port: int, path: str, n: int, stop_at: float, out: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    for _ in range(n):
        if time.monotonic() > stop_at:
            break
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(str(resp.status))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        out.append(time.perf_counter() - t0)
    conn.close()


def run_target(port: int, path: str, requests: int, concurrency: int, seconds: float) -> dict[str, object]:
    """Send `requests` GETs split over `concurrency` connections; latency percentiles in ms."""
    per = max(requests // concurrency, 1)
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=_worker, args=(port, path, per, stop_at, latencies[i], errors))
               for i in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    flat = sorted(x for lat in latencies for x in lat)
    if not flat:
        return {"path": path, "requests": 0, "errors": len(errors)}
    q = statistics.quantiles(flat, n=100, method="inclusive")
    return {"path": path, "requests": len(flat), "errors": len(errors), "seconds": round(wall, 3),
            "req_per_s": round(len(flat) / wall, 1), "p50_ms": round(q[49] * 1000, 2),
            "p99_ms": round(q[98] * 1000, 2), "max_ms": round(flat[-1] * 1000, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="existing knowledge base (default: seeds in a temp dir)")
    ap.add_argument("--corpora", action="store_true", help="build it from ../shared/corpora and seeds too")
    ap.add_argument("--requests", type=int, default=400, help="requests per target")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30.0, help="time cap per target")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or os.path.join(tmp, "bench.sqlite")
        if not args.db:
            _build_db(db, args.corpora)
        port = _free_port()
        code = f"from materia.web.app import serve; serve({HOST!r}, {port}, {db!r})"
        server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_up(port)
            paths = targets(port)
            results = {}
            for name, path in paths.items():
                run_target(port, path, 8, 1, 60)  # warm up caches and the connection pool
                cpu = _cpu_seconds(server.pid)
                results[name] = run_target(port, path, args.requests, args.concurrency, args.seconds)
                done = results[name]["requests"]
                if isinstance(done, int) and done:
                    per_request = (_cpu_seconds(server.pid) - cpu) * 1000 / done
                    results[name]["server_cpu_ms_per_request"] = round(per_request, 2)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report = {"bench": "web_load", "host": HOST, "concurrency": args.concurrency,
              "knowledge_base": args.db or ("seeds + shared corpora" if args.corpora else "seeds"),
              "requests_per_target": args.requests, "server": "uvicorn, 1 worker",
              "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
              "targets": results}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
