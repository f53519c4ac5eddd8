"""bench/run_all.py (`make bench`): every benchmark it runs needs no arguments; the others are named."""
from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType


def test_bench_run_all_runs_only_scripts_that_need_no_input(repo_module: Callable[[str], ModuleType]) -> None:
    run_all = repo_module("bench/run_all.py")
    names = {p.stem for p in run_all.scripts()}
    assert set(run_all.NEEDS_INPUT) <= names
    for path in run_all.scripts():
        code = path.read_text(encoding="utf-8")
        needs_input = bool(re.search(r"required=True|sys\.argv\[1\]", code)) and "len(sys.argv) > 1" not in code
        assert needs_input == (path.stem in run_all.NEEDS_INPUT), path.name
