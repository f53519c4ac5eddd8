"""Bounded load test of the web site on loopback: p50/p99 latency and requests/s.

Builds a knowledge base from the bundled seed documents in a temp directory (or uses
--db), starts `materia.web.serve` with uvicorn in a child process on 127.0.0.1, then
for each target sends --requests GETs from --concurrency keep-alive connections,
stopping early after --seconds. Only loopback is ever contacted.

    .venv/bin/python bench/web_load.py [--requests 400] [--concurrency 4] [--seconds 30]

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

HOST = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "web.json"
SEEDS = Path(__file__).resolve().parents[1] / "src" / "materia" / "examples" / "seeds"
TARGETS = {
    "monograph_page": "/substances/glutamine",
    "api_monograph": "/api/v1/substances/glutamine",
    "api_search": "/api/v1/search?q=diarrhoea",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _build_db(path: str) -> None:
    from materia.pipeline import ingest
    from materia.settings import Settings
    from materia.store import connect

    settings = Settings.from_env(db=path)
    store = connect(path)
    try:
        ingest(store, [str(p) for p in sorted(SEEDS.glob("*.txt"))], settings)
    finally:
        store.close()


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
            conn.request("GET", path)
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
    ap.add_argument("--requests", type=int, default=400, help="requests per target")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30.0, help="time cap per target")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or os.path.join(tmp, "bench.sqlite")
        if not args.db:
            _build_db(db)
        port = _free_port()
        code = f"from materia.web.app import serve; serve({HOST!r}, {port}, {db!r})"
        server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_up(port)
            for path in TARGETS.values():  # warm up caches and the connection pool
                run_target(port, path, 8, 1, 5)
            results = {name: run_target(port, path, args.requests, args.concurrency, args.seconds)
                       for name, path in TARGETS.items()}
        finally:
            server.terminate()
            server.wait(timeout=10)
    report = {"bench": "web_load", "host": HOST, "concurrency": args.concurrency,
              "requests_per_target": args.requests, "server": "uvicorn, 1 worker",
              "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
              "targets": results}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
