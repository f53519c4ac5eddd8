"""Runners: every item once, in any order; a dead worker costs only its items; a real Dask cluster
(`dask scheduler` and two `dask worker` processes on 127.0.0.1) ingests every file once."""
from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from typer.testing import CliRunner

from materia import pipeline
from materia.cli import app
from materia.errors import ClusterError
from materia.runners import InProcess, Pool, WorkerLost
from materia.store import connect

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")

SRC = Path(__file__).resolve().parents[1] / "src"


def square(n: int) -> int:
    return n * n


def die_on_three(n: int) -> int:
    if n == 3:
        os._exit(1)  # as a worker killed for its memory would
    return n


def test_runners_in_process_and_pool_run_every_item_once() -> None:
    assert sorted(InProcess().map(square, range(5))) == [(n, n * n) for n in range(5)]
    pool = Pool(2)
    try:
        assert sorted(pool.map(square, range(40))) == [(n, n * n) for n in range(40)]
    finally:
        pool.close()


def frozen(_: object) -> int:
    return gc.get_freeze_count()


def test_runners_pool_worker_freezes_what_it_holds_once_warm() -> None:
    """A worker's imports and warm-up are left out of the collector's full sweeps (summaries set them off often)."""
    pool = Pool(1)
    try:
        assert all(n > 0 for _, n in pool.map(frozen, range(2)))
    finally:
        pool.close()


def test_runners_pool_reports_a_dead_worker_and_goes_on() -> None:
    pool = Pool(2, ahead=1)
    try:
        results = dict(pool.map(die_on_three, range(12)))
    finally:
        pool.close()
    assert sorted(results) == list(range(12))
    assert isinstance(results[3], WorkerLost)
    lost = {n for n, r in results.items() if isinstance(r, WorkerLost)}
    assert {n: r for n, r in results.items() if n not in lost} == {n: n for n in range(12) if n not in lost}
    # only what the dead pool held (at most its window of 2) is lost; a new pool ran the rest
    assert len(lost) <= 2


def test_runners_pool_found_broken_at_a_submit_runs_that_item_on_a_new_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker may die between two results: the next submit then finds the pool broken. What the dead pool held
    is lost; the item being submitted never ran, so a new pool runs it."""
    pool = Pool(2, ahead=1)
    broken_pool = pool._executor
    submits = [0]

    def submit(fn: object, item: int) -> object:
        submits[0] += 1
        if submits[0] == 3:
            raise BrokenProcessPool("A child process terminated abruptly")
        return ProcessPoolExecutor.submit(broken_pool, fn, item)  # type: ignore[arg-type]

    monkeypatch.setattr(broken_pool, "submit", submit)
    try:
        results = dict(pool.map(square, range(8)))
    finally:
        pool.close()
    lost = {n for n, r in results.items() if isinstance(r, WorkerLost)}
    assert sorted(results) == list(range(8)) and results[2] == 4
    assert len(lost) <= 1 and {n: r for n, r in results.items() if n not in lost} == {
        n: n * n for n in range(8) if n not in lost}


def test_runners_ingest_sends_bytes_to_a_cluster_that_cannot_read_the_files(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers that do not see the first file as this process does are sent every file's bytes."""
    seen: list[pipeline.Work] = []

    class OtherMachines:
        def __init__(self, address: str, ahead: int = 4) -> None:
            self.address = address

        def everywhere(self, fn: object, *args: object) -> dict[str, bool]:
            return {"tcp://10.0.0.2:1": True, "tcp://10.0.0.3:1": False}

        def map(self, fn, items):  # type: ignore[no-untyped-def]
            for work in items:
                seen.append(work)
                yield work, fn(work)

        def close(self) -> None:
            pass

    monkeypatch.setattr(pipeline, "Cluster", OtherMachines)
    (tmp_path / "zinc.txt").write_text("Zinc 10 mg a day shortens colds.", encoding="utf-8")
    with connect(str(tmp_path / "kb.sqlite")) as store:
        report = pipeline.ingest(store, [str(tmp_path / "zinc.txt")], scheduler="tcp://10.0.0.1:8786")
    assert report.added == (str(tmp_path / "zinc.txt"),)
    assert [w.data for w in seen] == [b"Zinc 10 mg a day shortens colds."]


def test_runners_cluster_that_cannot_be_reached_is_one_clear_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(ClusterError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        from materia.runners import Cluster

        Cluster(f"tcp://127.0.0.1:{port}", timeout=2)


# --- a real cluster ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1 (free ports), torn down after."""
    pytest.importorskip("distributed", reason="the cluster extra (dask, distributed) is not installed")
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    logs = tmp_path_factory.mktemp("dask")
    common = ["--no-dashboard"]
    commands = [[sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), *common]]
    commands += [[sys.executable, "-m", "dask", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                  "--nworkers", "1", "--local-directory", str(logs / f"w{i}"), *common] for i in range(2)]
    procs = [subprocess.Popen(c, env=env, cwd=logs, stdout=subprocess.DEVNULL,
                              stderr=(logs / f"{i}.log").open("w")) for i, c in enumerate(commands)]
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=5, set_as_default=False) as client:
                    client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_runners_ingest_on_a_dask_cluster_stores_every_file_once(scheduler: str, tmp_path: Path,
                                                                 seeds: dict[str, Path]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in seeds.values()]
    for i in range(9):
        (folder / f"doc{i}.txt").write_text(texts[i % 3] + f"\n\nCopy {i}.\n", encoding="utf-8")
    (folder / "reviews.csv").write_text("drug,condition,rating,review\nzinc,cold,9,Shortened my cold.\n"
                                        "iron,anemia,3,Caused nausea.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "kb.sqlite")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--scheduler", scheduler, "--db", db])
    assert result.exit_code == 1, result.output  # the empty file, reported in one line; the others stored
    assert "10 added, 0 updated, 0 unchanged, 0 removed, 1 failed" in result.output
    assert f"materia: {folder / 'empty.txt'}: empty file" in result.output
    with connect(db) as store:
        docs = store.documents()
        assert len(docs) == 9 + 2 == len({(d.source, d.record) for d in docs})
        assert store.check() == []

    (folder / "doc0.txt").write_text(texts[0] + "\n\nChanged.\n", encoding="utf-8")
    again = CliRunner().invoke(app, ["ingest", str(folder), "--scheduler", scheduler, "--send-bytes", "--db", db])
    assert "0 added, 1 updated, 9 unchanged, 0 removed, 1 failed" in again.output, again.output
