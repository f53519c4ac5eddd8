"""scripts/draw_reviews.py: the draws of unseen DrugLib reviews are reproducible and never repeat a review."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType


def test_draws_rebuild_the_annotated_texts_and_no_review_is_in_two_sets(
        corpora: Path, repo_module: Callable[[str], ModuleType]) -> None:
    draw = repo_module("scripts/draw_reviews.py")
    records = {r["record"]: r["text"] for r in draw.whole_records(corpora / "druglib_reviews" / "drugLibTest_raw.tsv")}
    annotated = [json.loads(line) for path in draw.SETS for line in path.read_text(encoding="utf-8").splitlines()]
    # every annotated review the file holds whole reads as the script joins it (the draws since the fourth)
    rebuilt = [a for a in annotated if a["source"].endswith("drugLibTest_raw.tsv") and a["record"] in records
               and records[a["record"]] == a["text"]]
    assert len(rebuilt) >= 200
    assert len({a["id"] for a in annotated}) == len(annotated)  # no review in two sets
