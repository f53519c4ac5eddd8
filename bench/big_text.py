#!/usr/bin/env python3
"""Write a large plain-text file from the seeds and corpora, for memory and time profiling.

    python bench/big_text.py OUT.txt MB

Prose only (seed articles, PubTator titles and abstracts, review comments, TAC label sections),
so the plain-text reader takes it and every extractor has work to do.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pieces() -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    for f in sorted((SHARED / "corpora" / "bc5cdr").glob("*.PubTator.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\d+\|[ta]\|(.*)", line)
            if m:
                out.append(m.group(1) + "\n")
    for f in sorted((SHARED / "corpora" / "druglib_reviews").glob("*.tsv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                out.append(" ".join(row.get(k) or "" for k in ("benefitsReview", "sideEffectsReview",
                                                               "commentsReview")).strip() + "\n\n")
    for f in sorted((SHARED / "corpora" / "tac2017_adr" / "train_xml").glob("*.xml")):
        for body in re.findall(r"<Section[^>]*>(.*?)</Section>", f.read_text(encoding="utf-8"), re.S):
            out.append(re.sub(r"<[^>]+>", "", body) + "\n\n")
    return out


def write(path: Path, mib: float) -> int:
    """A prose file of about `mib` MiB at `path`, the pieces repeated in order: the bytes written."""
    target, written, chunks = int(mib * 2**20), 0, pieces()
    with path.open("w", encoding="utf-8") as f:
        while written < target:
            for chunk in chunks:
                if written >= target:
                    break
                f.write(chunk)
                written += len(chunk.encode("utf-8"))
    return written


def main() -> None:
    written = write(Path(sys.argv[1]), float(sys.argv[2]))
    print(f"{sys.argv[1]}: {written / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
