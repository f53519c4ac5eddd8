"""The highest adult daily dose, measured end to end (read -> extract -> store records -> dose summaries)
on the development set and, separately, on the held-out set written after the rules (issue 8)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from materia.extract import extract
from materia.ingest import read_path
from materia.knowledge.doses import summaries
from materia.store import DocumentInfo, StoredItem
from materia.store.serialise import records

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "doses"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))["documents"]
ADULT = (None, "adults")  # a dose that names no population is an adult dose
FLOOR = 0.9  # at least 9 in 10 right


def _path(name: str, seeds: dict[str, Path], corpora: Path) -> Path:
    if name.startswith("seed:"):
        return seeds[name[5:8]]
    if name.startswith("spl:"):
        return corpora / "fda_spl_samples" / name[4:]
    return FIXTURES / name


def _reading(path: Path) -> tuple[float | None, int]:
    """(highest adult g/day, per-kg doses of the subject) as the knowledge base would show them."""
    x = extract(read_path(str(path)))
    substance = x.substance or "unknown"
    doc = DocumentInfo(1, str(path), x.document.kind, x.document.title, None, substance, bool(x.references))
    items = [StoredItem(i, doc, r.category, substance, r.name, r.stance, r.evidence, r.text, r.span, r.payload)
             for i, r in enumerate(records(x))]
    found = summaries(items, substance)
    highs = [s.highest_g_per_day for s in found if s.population in ADULT and s.highest_g_per_day is not None]
    per_kg = sum(1 for s in found for r in s.ranges if r.per_kg)
    return (max(highs) if highs else None), per_kg


def _right(got: float | None, want: float | None) -> bool:
    return (got is None and want is None) or (got is not None and want is not None and math.isclose(got, want, rel_tol=1e-6))


def _score(split: str, seeds: dict[str, Path], corpora: Path) -> tuple[list[str], int, int, int]:
    wrong, n, kg_found, kg_wanted = [], 0, 0, 0
    for name, want in EXPECTED.items():
        if want["split"] != split:
            continue
        n += 1
        got, per_kg = _reading(_path(name, seeds, corpora))
        if not _right(got, want["highest_adult_g_per_day"]):
            wrong.append(f"{name}: got {got}, want {want['highest_adult_g_per_day']}")
        kg_wanted += want.get("per_kg", 0)
        kg_found += min(per_kg, want.get("per_kg", 0))
    return wrong, n, kg_found, kg_wanted


@pytest.mark.parametrize("split", ["dev", "heldout", "heldout2"])
def test_doses_highest_adult_daily_dose(split: str, seeds: dict[str, Path], corpora: Path) -> None:
    wrong, n, kg_found, kg_wanted = _score(split, seeds, corpora)
    if n == 0:
        pytest.skip(f"no {split} documents")
    assert (n - len(wrong)) / n >= FLOOR, "\n".join(wrong)
    assert kg_wanted == 0 or kg_found / kg_wanted >= FLOOR, f"per-kg doses found {kg_found}/{kg_wanted}"


def test_doses_expectations_name_real_files(seeds: dict[str, Path], corpora: Path) -> None:
    for name, want in EXPECTED.items():
        assert _path(name, seeds, corpora).exists(), name
        assert want["split"] in ("dev", "heldout", "heldout2")
