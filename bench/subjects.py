"""Accuracy of the main subject (and, for combination products, every ingredient) of a document.

Three sets, expected subjects in tests/extract/fixtures/subjects/expected.yaml:
  monographs  short monographs in the seed-002 layout (tests/extract/fixtures/subjects/), scored
              apart as `dev` (written before the rules) and `held_out` (written after them)
  labels      every label in ../shared/corpora/fda_spl_samples, expected from its own ingredient fields
  reviews     every 20th DrugLib review row (drugLibTest_raw.tsv), read one Document per row whose
              metadata["subject"] is the row's drug column, as the review reader states it

A case is right when the main subject is one of the accepted names and, where the expected file
lists `substances`, the document's ingredients are exactly those (in any order).

    .venv/bin/python bench/subjects.py [--verbose]
"""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from materia.extract import parse, substances
from materia.ingest import read_documents, read_path
from materia.types import Document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "extract" / "fixtures" / "subjects"
CORPORA = ROOT.parent / "shared" / "corpora"
LABELS = CORPORA / "fda_spl_samples"
REVIEWS = CORPORA / "druglib_reviews" / "drugLibTest_raw.tsv"
REVIEW_STEP = 20
RESULTS = Path(__file__).resolve().parent / "results" / "subjects.json"


@dataclass(frozen=True, slots=True)
class Case:
    set: str          # monographs/dev, monographs/held_out, labels, reviews
    name: str
    document: Document
    accepted: tuple[str, ...]
    ingredients: tuple[tuple[str, ...], ...] | None  # each ingredient: its accepted names


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    substance: str | None
    substances: tuple[str, ...]
    right: bool


def _norm(name: str | None) -> str:
    """Compare names without case, punctuation or spacing differences ("St. John's wort")."""
    return re.sub(r"[\s.'’-]+", " ", (name or "").lower()).strip()


def _names(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (str(value),)


def _case(set_name: str, name: str, document: Document, spec: dict[str, Any]) -> Case:
    ingredients = tuple(_names(v) for v in spec["substances"]) if "substances" in spec else None
    return Case(set_name, name, document, _names(spec["substance"]), ingredients)


def load_cases(expected: Path = FIXTURES / "expected.yaml") -> list[Case]:
    spec = yaml.safe_load(expected.read_text(encoding="utf-8"))
    cases = [_case(f"monographs/{entry['split']}", name, read_path(str(FIXTURES / name)), entry)
             for name, entry in spec["monographs"].items()]
    if LABELS.exists():
        cases += [_case("labels", name, read_path(str(LABELS / name)), entry)
                  for name, entry in spec["labels"].items()]
    if REVIEWS.exists():
        # the review reader gives one Document per row, its drug column as metadata["subject"]
        for i, doc in enumerate(read_documents(str(REVIEWS))):
            drug = doc.metadata.get("subject")
            if i % REVIEW_STEP or not drug:
                continue
            cases.append(_case("reviews", f"row {i} ({drug})", doc, spec["reviews"][drug]))
    return cases


def judge(case: Case) -> Outcome:
    parsed = parse(case.document)
    found = substances.subjects(parsed) if hasattr(substances, "subjects") else None
    if found is not None:
        main, every = found
    else:  # before the subjects API existed: the main subject only
        main = substances.main_subject(parsed)
        every = (main,) if main else ()
    right = _norm(main) in {_norm(a) for a in case.accepted}
    if right and case.ingredients is not None:
        got = [_norm(s) for s in every]
        right = len(got) == len(case.ingredients) and all(
            any(_norm(a) in got for a in accepted) for accepted in case.ingredients)
    return Outcome(case, main, tuple(every), right)


def accuracy(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """set -> (right, total), plus "all"."""
    out: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        for key in (o.case.set, "all"):
            right, total = out.get(key, (0, 0))
            out[key] = (right + o.right, total + 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verbose", action="store_true", help="print every wrong case")
    args = ap.parse_args()
    outcomes = [judge(c) for c in load_cases()]
    for o in outcomes:
        if not o.right and args.verbose:
            print(f"WRONG {o.case.set} {o.case.name}: got {o.substance!r} {list(o.substances)}, "
                  f"expected {list(o.case.accepted)}" + (f" {[list(i) for i in o.case.ingredients]}"
                                                        if o.case.ingredients else ""))
    scores = accuracy(outcomes)
    for key, (right, total) in sorted(scores.items()):
        print(f"{key:22} {right:3}/{total:<3} {right / total:.1%}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({k: {"right": r, "total": t, "accuracy": round(r / t, 4)}
                                   for k, (r, t) in sorted(scores.items())}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
