"""Start-up of whole commands, each a fresh process: the commands that only read (`show`, `show --json`,
`search`, `conflicts`, `interactions`, `history`, and `show` of a name not stored, which resolves it through
the drug dictionary) on the knowledge base of the seeds (SQLite, built by the materia measured), and
extraction (`extract --json` of the smallest seed, and of a short post), beside `python -c pass` (the
interpreter alone). Median wall and CPU seconds (user + system of the child) and peak RSS of --runs runs.

Compiled vocabularies (lexicons/cache.py) are kept in a cache folder of each checkout's own
(MATERIA_CACHE_DIR, in a temporary folder): the plain labels read it warm; those marked "(cold cache)" run
with the folder emptied before each run, as a first run after an install or an upgrade does (a checkout
without the cache builds its vocabularies every time either way).

With --compare SRC (another checkout's src/, e.g. the main branch's) both are measured, alternately command
by command, each on a knowledge base it built, so the two sit side by side under one load of a shared
machine. Results go to bench/results/startup.json under --label.

    PYTHONPATH=src .venv/bin/python bench/startup.py [--runs 7] [--compare ../main/src] [--label after]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import materia

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "startup.json"
SEED = ROOT / "src" / "materia" / "examples" / "seeds" / "004_6c85b81ee9e177ea.txt"  # the smallest
POST = ("Took zinc for my cold for a week. It helped a lot, but I got a bit drowsy and nausious the first days "
        "and my stomach hurt.\n")
READS = {"show": ["show", "glutamine"], "show --json": ["show", "glutamine", "--json"],
         "search": ["search", "stomach"], "conflicts": ["conflicts", "glutamine"],
         "interactions": ["interactions", "glutamine", "warfarin"], "history": ["history", "glutamine"],
         "show (not stored)": ["show", "warfarin"]}
EXIT = {"show (not stored)": 1}  # "no substance 'warfarin' in the knowledge base"
COLD = ("interactions", "show (not stored)", "extract --json (seed)", "extract --json (post)")


def _env(src: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "MATERIA_CACHE_DIR": str(cache)}


def build(src: Path, folder: Path, cache: Path) -> str:
    """The knowledge base of the seeds, ingested by the materia in `src`."""
    db = str(folder / "kb.sqlite")
    seeds = subprocess.run([sys.executable, "-m", "materia", "seeds"], env=_env(src, cache), capture_output=True,
                           text=True, check=True).stdout.split()
    subprocess.run([sys.executable, "-m", "materia", "ingest", *seeds, "--db", db], env=_env(src, cache),
                   stdout=subprocess.DEVNULL, check=True)
    return db


def run_once(command: list[str], env: dict[str, str], status: int = 0) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one whole command."""
    t = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, code, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(code)
    if child.returncode != status:
        raise SystemExit(f"{' '.join(command)}: exit status {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="runs of each command (the median is reported)")
    ap.add_argument("--compare", type=Path, help="another checkout's src/, measured alternately")
    ap.add_argument("--label", default="latest", help="where the figures go in the results (before, after)")
    args = ap.parse_args()
    load = [os.getloadavg()[0]]
    trees = {"this": Path(materia.__file__).resolve().parents[1]}
    if args.compare:
        trees["compared"] = args.compare.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        dbs, caches = {}, {}
        post = Path(tmp) / "post.txt"
        post.write_text(POST, encoding="utf-8")
        for name, src in trees.items():
            (Path(tmp) / name).mkdir()
            caches[name] = Path(tmp) / name / "cache"
            dbs[name] = build(src, Path(tmp) / name, caches[name])
        words = READS | {"extract --json (seed)": ["extract", "--json", str(SEED)],
                         "extract --json (post)": ["extract", "--json", "--kind", "post", str(post)]}

        def command(label: str, name: str) -> list[str]:
            if label == "python -c pass":
                return [sys.executable, "-c", "pass"]
            return [sys.executable, "-m", "materia", *words[label], *(["--db", dbs[name]] if label in READS else [])]

        labels = ["python -c pass", *words, *(f"{label} (cold cache)" for label in COLD)]
        times: dict[str, dict[str, list[tuple[float, float, float]]]] = {name: {c: [] for c in labels}
                                                                         for name in trees}
        for label in labels:
            plain = label.removesuffix(" (cold cache)")
            cold = plain != label
            for name in trees:  # once each first: the bytecode is written, caches are warm
                run_once(command(plain, name), _env(trees[name], caches[name]), EXIT.get(plain, 0))
            for _ in range(args.runs):
                for name in trees:
                    if cold:
                        shutil.rmtree(caches[name], ignore_errors=True)
                    times[name][label].append(run_once(command(plain, name), _env(trees[name], caches[name]),
                                                       EXIT.get(plain, 0)))
    result = {name: {"src": str(trees[name]),
                     **{label: {"wall_s": round(statistics.median(w for w, _, _ in runs), 3),
                                "cpu_s": round(statistics.median(c for _, c, _ in runs), 3),
                                "peak_rss_mb": round(statistics.median(m for _, _, m in runs))}
                        for label, runs in times[name].items()}} for name in trees}
    for label in labels:
        print(f"{label:>34}: " + "   ".join(
            f"{name} {result[name][label]['wall_s']:.3f} s wall, {result[name][label]['cpu_s']:.3f} s CPU, "
            f"{result[name][label]['peak_rss_mb']} MB" for name in trees))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    load.append(os.getloadavg()[0])
    results[args.label] = {"machine": f"{os.cpu_count()} cores, shared", "runs": args.runs,
                           "load_1min_start_end": load, **result}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
