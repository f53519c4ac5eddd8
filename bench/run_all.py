"""Run every benchmark in bench/ one after the other (`make bench`), each in its own process.

Each script writes its own results under bench/results/; this prints one line per script with
its exit status and wall time, and exits 1 if any failed. Benchmarks are never timing asserts:
read the numbers, compare them side by side within one run, and report them.

    .venv/bin/python bench/run_all.py [--only speed tac_adr ...] [--skip ingest ...]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Scripts with a `__main__` block that need input to run; `make bench` names them and leaves them out.
NEEDS_INPUT = {
    "big_file": "minutes and 1.3 GB, run by hand: python bench/big_file.py --label after",
    "big_text": "a generator for profiling: python bench/big_text.py OUT.txt MB",
    "page_sizes": "needs a knowledge base: python bench/page_sizes.py --db KB.sqlite",
}


def scripts() -> list[Path]:
    """Every runnable benchmark: a bench/*.py with a `__main__` block, except this one."""
    return sorted(p for p in HERE.glob("*.py")
                  if p.name != Path(__file__).name and "__main__" in p.read_text(encoding="utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=None, help="names (without .py) to run")
    ap.add_argument("--skip", nargs="*", default=[], help="names (without .py) to leave out")
    args = ap.parse_args()
    known = {p.stem for p in scripts()}
    unknown = sorted((set(args.only or ()) | set(args.skip)) - known)
    if unknown:
        ap.error(f"no benchmark named {', '.join(unknown)} (choose among {', '.join(sorted(known))})")
    chosen = [p for p in scripts()
              if (args.only is None or p.stem in args.only) and p.stem not in args.skip]
    for path in [p for p in chosen if p.stem in NEEDS_INPUT]:
        print(f"bench/{path.name}: skipped ({NEEDS_INPUT[path.stem]})", flush=True)
    chosen = [p for p in chosen if p.stem not in NEEDS_INPUT]
    failed = 0
    for path in chosen:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(path)], cwd=HERE.parent, check=False)
        took = time.perf_counter() - start
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"bench/{path.name}: {status} in {took:.1f} s", flush=True)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
