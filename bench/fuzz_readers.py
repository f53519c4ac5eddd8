#!/usr/bin/env python3
"""Fuzz every reader with 10,000 cases per test (the normal suite runs a few hundred, derandomised).

    python bench/fuzz_readers.py [EXAMPLES]        # default 10000; random seed each run

Runs tests/ingest/test_fuzz_readers.py with MATERIA_FUZZ_EXAMPLES set: each reader on shaped and
damaged input, and read_path on any bytes. Hypothesis prints the smallest failing input, if any.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "10000"
    env = {**os.environ, "MATERIA_FUZZ_EXAMPLES": examples,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    status = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              str(ROOT / "tests" / "ingest" / "test_fuzz_readers.py")], env=env, cwd=ROOT)
    print(f"fuzz_readers: {examples} examples per test, {time.perf_counter() - started:.0f} s, "
          f"{'PASS' if status == 0 else 'FAIL'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
