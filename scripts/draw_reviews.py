#!/usr/bin/env python3
"""Draw DrugLib test reviews no annotated set holds yet, for a blind measure of unseen reviews.

    python scripts/draw_reviews.py SEED [N] > draw.jsonl

Candidates: records of `druglib_reviews/drugLibTest_raw.tsv` written whole on one line (nine tab-separated fields;
the few records the file breaks across lines are left out), whose three free-text fields (benefits, side effects,
comments), stripped of their CSV quotes and joined by one blank line in that order, are 120-600 characters long,
and that no annotated set (development, held-out, unseen: tests/extract/fixtures/experience*/) holds. N of them
(default 50) are drawn with `random.seed(SEED)` from the candidates in record order, printed as the development
set's lines (`posts.jsonl`), to be annotated before the extractor reads them (that README says how).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "corpora" / "druglib_reviews" / "drugLibTest_raw.tsv"
SETS = [ROOT / "tests" / "extract" / "fixtures" / name / "posts.jsonl" for name in ("experience", "experience_heldout",
                                                                                 "experience_unseen")]
FIELDS = 9


def _unquoted(field: str) -> str:
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        field = field[1:-1].replace('""', '"')
    return field.strip()


def whole_records(raw: Path) -> list[dict[str, str]]:
    lines = raw.read_text(encoding="utf-8").splitlines()
    out = []
    for k, line in enumerate(lines[1:], start=1):
        cells = line.split("\t")
        nxt = lines[k + 1] if k + 1 < len(lines) else "0\t"
        if len(cells) != FIELDS or not cells[0].isdigit() or not nxt.split("\t")[0].isdigit():
            continue
        text = "\n\n".join(_unquoted(c) for c in cells[6:9])
        out.append({"record": cells[0], "drug": cells[1], "text": text})
    return out


def main() -> int:
    seed = int(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    taken = {json.loads(line)["record"] for path in SETS for line in path.read_text(encoding="utf-8").splitlines()}
    candidates = [r for r in whole_records(RAW) if r["record"] not in taken and 120 <= len(r["text"]) <= 600]
    candidates.sort(key=lambda r: int(r["record"]))
    random.seed(seed)
    for r in random.sample(candidates, n):
        line = {"id": f"druglib-test-{r['record']}", "source": "shared/corpora/druglib_reviews/drugLibTest_raw.tsv",
                "record": r["record"], "drug": r["drug"], "text": r["text"]}
        print(json.dumps(line, ensure_ascii=False))
    print(f"{len(candidates)} candidates, {n} drawn", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
