from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "materia", *args], capture_output=True, text=True, timeout=300)


def test_cli_extract_json_is_one_object_per_file_in_order(seeds):
    paths = [str(p) for p in seeds.values()]
    proc = run("extract", *paths, "--json")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["source"] for r in rows] == paths
    assert all(len(r["sha256"]) == 64 for r in rows)


def test_cli_extract_names_a_missing_file_and_still_prints_the_others(seeds, tmp_path):
    missing = str(tmp_path / "nope.txt")
    proc = run("extract", missing, str(seeds["000"]), "--json")
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"materia: {missing}: no such file"
    assert len(proc.stdout.splitlines()) == 1


def test_cli_usage_error_exits_2():
    assert run("extract", "--no-such-flag").returncode == 2
