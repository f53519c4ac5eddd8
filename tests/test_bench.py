"""bench/run_all.py (`make bench`): every benchmark it runs needs no arguments; the others are named."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _run_all() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_all", BENCH / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_run_all_runs_only_scripts_that_need_no_input() -> None:
    run_all = _run_all()
    names = {p.stem for p in run_all.scripts()}
    assert set(run_all.NEEDS_INPUT) <= names
    for path in run_all.scripts():
        code = path.read_text(encoding="utf-8")
        needs_input = bool(re.search(r"required=True|sys\.argv\[1\]", code)) and "len(sys.argv) > 1" not in code
        assert needs_input == (path.stem in run_all.NEEDS_INPUT), path.name
