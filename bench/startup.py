"""Start-up of the commands that only read: `show`, `show --json`, `search`, `conflicts`, `interactions` and
`history`, each a whole command (a fresh process) on the knowledge base of the seeds (SQLite, built by the
materia measured), beside `python -c pass` (the interpreter alone). Median wall and CPU seconds (user + system
of the child) of --runs runs.

With --compare SRC (another checkout's src/, e.g. the main branch's) both are measured, alternately command
by command, each on a knowledge base it built, so the two sit side by side under one load of a shared
machine. Results go to bench/results/startup.json under --label.

    PYTHONPATH=src .venv/bin/python bench/startup.py [--runs 7] [--compare ../main/src] [--label after]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import materia

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "startup.json"
COMMANDS = {"show": ["show", "glutamine"], "show --json": ["show", "glutamine", "--json"],
            "search": ["search", "stomach"], "conflicts": ["conflicts", "glutamine"],
            "interactions": ["interactions", "glutamine", "warfarin"], "history": ["history", "glutamine"]}


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def build(src: Path, folder: Path) -> str:
    """The knowledge base of the seeds, ingested by the materia in `src`."""
    db = str(folder / "kb.sqlite")
    seeds = subprocess.run([sys.executable, "-m", "materia", "seeds"], env=_env(src), capture_output=True,
                           text=True, check=True).stdout.split()
    subprocess.run([sys.executable, "-m", "materia", "ingest", *seeds, "--db", db], env=_env(src),
                   stdout=subprocess.DEVNULL, check=True)
    return db


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="runs of each command (the median is reported)")
    ap.add_argument("--compare", type=Path, help="another checkout's src/, measured alternately")
    ap.add_argument("--label", default="latest", help="where the figures go in the results (before, after)")
    args = ap.parse_args()
    trees = {"this": Path(materia.__file__).resolve().parents[1]}
    if args.compare:
        trees["compared"] = args.compare.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        dbs = {}
        for name, src in trees.items():
            (Path(tmp) / name).mkdir()
            dbs[name] = build(src, Path(tmp) / name)
        commands = {"python -c pass": lambda name: [sys.executable, "-c", "pass"]} | {
            label: (lambda name, words=words: [sys.executable, "-m", "materia", *words, "--db", dbs[name]])
            for label, words in COMMANDS.items()}
        times: dict[str, dict[str, list[tuple[float, float]]]] = {name: {c: [] for c in commands} for name in trees}
        for label, command in commands.items():
            for name in trees:  # once each first: the bytecode is written, caches are warm
                run_once(command(name), _env(trees[name]))
            for _ in range(args.runs):
                for name in trees:
                    times[name][label].append(run_once(command(name), _env(trees[name])))
    result = {name: {"src": str(trees[name]),
                     **{label: {"wall_s": round(statistics.median(w for w, _ in runs), 3),
                                "cpu_s": round(statistics.median(c for _, c in runs), 3)}
                        for label, runs in times[name].items()}} for name in trees}
    for label in commands:
        print(f"{label:>16}: " + "   ".join(f"{name} {result[name][label]['wall_s']:.3f} s wall, "
                                            f"{result[name][label]['cpu_s']:.3f} s CPU" for name in trees))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[args.label] = {"machine": f"{os.cpu_count()} cores, shared", "runs": args.runs, **result}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
