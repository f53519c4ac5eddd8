"""Throughput of the whole `materia.extract.extract` over every TAC 2017 ADR section, one core.

Prints chars/s and peak memory (tracemalloc peak of the run, and the process's max RSS),
and, in the same run and over the same texts, quantulum3's quantity parser if it is
installed, as a point of comparison. quantulum3 is NOT a materia dependency: install it
into the venv for this bench only (`.venv/bin/pip install quantulum3`).

    .venv/bin/python bench/speed.py [--repeat 1]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tac_adr import load

from materia.extract import extract
from materia.extract.effects import default_matcher

RESULTS = Path(__file__).resolve().parent / "results" / "speed.json"


def _time(run: object, texts: list[object], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of `repeat` runs (CPU time is what neighbours on a
    shared machine do not inflate)."""
    best = best_cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for item in texts:
            run(item)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best, best_cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    documents = [s.document for s in load()]
    chars = sum(len(d.text) for d in documents)
    t0 = time.perf_counter()
    extract(documents[0])  # load the vocabularies once, reported apart
    default_matcher()
    warmup = time.perf_counter() - t0
    seconds, cpu_seconds = _time(extract, documents, args.repeat)
    tracemalloc.start()
    for d in documents:
        extract(d)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result: dict[str, object] = {
        "documents": len(documents), "chars": chars, "warmup_s": round(warmup, 3),
        "materia_s": round(seconds, 3), "materia_chars_per_s": round(chars / seconds),
        "materia_cpu_s": round(cpu_seconds, 3), "materia_cpu_chars_per_s": round(chars / cpu_seconds),
        "tracemalloc_peak_mb": round(peak / 2**20, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"materia.extract.extract: {chars:,} chars in {len(documents)} sections, {seconds:.2f} s "
          f"-> {chars / seconds:,.0f} chars/s; CPU {cpu_seconds:.2f} s -> {chars / cpu_seconds:,.0f} chars/s "
          f"(vocabulary load {warmup:.2f} s)")
    print(f"  peak traced memory {result['tracemalloc_peak_mb']} MB, max RSS {result['max_rss_mb']} MB")
    try:
        from quantulum3 import parser as q_parser  # type: ignore[import-not-found]
    except ImportError:
        print("quantulum3: not installed (.venv/bin/pip install quantulum3 to compare)")
        result["quantulum3_chars_per_s"] = None
    else:
        q_seconds, _ = _time(lambda d: q_parser.parse(d.text), documents, 1)
        result["quantulum3_s"] = round(q_seconds, 3)
        result["quantulum3_chars_per_s"] = round(chars / q_seconds)
        print(f"quantulum3.parser.parse (quantities only): {q_seconds:.2f} s -> {chars / q_seconds:,.0f} chars/s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
