#!/usr/bin/env python3
"""One huge plain-text file: `materia ingest`, `materia show` and `materia extract --json` on it.

    PYTHONPATH=src .venv/bin/python bench/big_file.py --label after [--sizes 10 40] [--skip-extract]

For each size (MiB) a prose file is written by bench/big_text.py's code, then ingested into a fresh
SQLite file, the top substance shown and the file extracted to /dev/null, each `materia` command in a
process of its own: wall seconds, CPU seconds (user + system of the process and its children, from
wait4) and peak RSS (the largest of the process and its children). The figures are stored under
`label` (e.g. "before" on main, "after" on the branch) in bench/results/big_file.json, with the load
average before and after each run: the machine is shared, compare runs of one sitting.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import big_text
import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "big_file.json"
MATERIA = [sys.executable, "-m", "materia"]


def _tree(pid: int, cpu: dict[int, float]) -> int:
    """Bytes resident in process `pid` and all its descendants (worker processes, a forkserver) now; notes the
    CPU seconds of each in `cpu` (a worker's are counted though no process of the tree waits for it)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in processes:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
            times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
    return total


def measured(args: list[str], stdout: int | None = subprocess.DEVNULL) -> dict[str, float]:
    """Run `args` and return its wall seconds, CPU seconds (with its children's), the peak RSS of its largest
    process (wait4) and the peak of the sum over the process and its workers (sampled every 0.2 s), in MB. CPU
    seconds are those wait4 reports, or if more, the sum of what each process of the tree was last seen using
    (a forkserver's workers are not waited for by the process measured)."""
    load = os.getloadavg()[0]
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": "src"},
                             cwd=ROOT)
    tree_peak = [0]
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            tree_peak[0] = max(tree_peak[0], _tree(child.pid, cpu))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.stderr is not None
    error = child.stderr.read()
    done.set()
    sampler.join()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}): {error.decode()[-2000:]}")
    cpu_s = max(usage.ru_utime + usage.ru_stime, sum(cpu.values()))
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu_s, 1),
            "peak_mb": round(usage.ru_maxrss / 1024), "tree_peak_mb": round(tree_peak[0] / 2**20),
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}


def top_substance(db: Path) -> str:
    """The substance with the most items in the knowledge base at `db`."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT substance, count(*) FROM items WHERE substance IS NOT NULL "
                           "GROUP BY substance ORDER BY 2 DESC LIMIT 1").fetchone()
    return str(row[0])


def run(mib: float, folder: Path, extract: bool) -> dict[str, object]:
    text = folder / f"big{mib:g}.txt"
    size = big_text.write(text, mib)
    db = folder / f"big{mib:g}.sqlite"
    out: dict[str, object] = {"bytes": size}
    out["ingest"] = measured([*MATERIA, "ingest", str(text), "--db", str(db)])
    substance = top_substance(db)
    out["show"] = {"substance": substance, **measured([*MATERIA, "show", substance, "--db", str(db)])}
    if extract:
        out["extract_json"] = measured([*MATERIA, "extract", str(text), "--json"])
    print(f"{mib:g} MiB: {json.dumps(out)}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True, help="where the figures go in the results (before, after)")
    parser.add_argument("--sizes", type=float, nargs="+", default=[10, 40], help="file sizes in MiB")
    parser.add_argument("--skip-extract", action="store_true", help="do not time `materia extract --json`")
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="materia-big-") as tmp:
        for mib in args.sizes:
            runs[f"{mib:g}MiB"] = run(mib, Path(tmp), not args.skip_extract)
    results[args.label] = {"machine": f"{os.cpu_count()} cores, shared", "runs": runs,
                           "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                                    text=True, cwd=ROOT).stdout.strip()}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
