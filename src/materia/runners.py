"""Where the work of an ingest runs: in this process, in worker processes, or on a Dask cluster.

A runner maps a function over items and yields each (item, result) as it completes, in no fixed
order, with a bounded number of items in flight, so a long input streams through in little memory.
Functions and items must pickle (module-level functions, frozen dataclasses); they know nothing
of the runner, which knows nothing of materia.

    InProcess()         one item at a time, here: debugging and small inputs
    Pool(workers, warm) worker processes on this machine, each running `warm` once as it starts
    Cluster(address)    the workers of a Dask distributed scheduler (`dask scheduler`, `dask worker`)

A worker that dies (killed, out of memory) costs the items it held: each is yielded with a
`WorkerLost` instead of a result, and the others go on. Any other exception is raised.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

from materia.errors import ClusterError

__all__ = ["Cluster", "InProcess", "Pool", "Runner", "WorkerLost", "default_workers"]

T = TypeVar("T")
R = TypeVar("R")


class WorkerLost(Exception):
    """The worker running an item died before it answered."""


class Runner(Protocol):
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | WorkerLost]]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity, not every core of the machine)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


class InProcess:
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | WorkerLost]]:
        for item in items:
            yield item, fn(item)

    def close(self) -> None:
        pass


def _start_worker(warm: Callable[[], object] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the orchestrator's to handle, once
    if warm is not None:
        warm()
    # What the worker holds now (its imports, what `warm` loaded) lives as long as it does: frozen, the garbage
    # collector's full sweeps, which work that keeps many objects alive a while sets off often, no longer walk it
    gc.freeze()


class Pool:
    """`workers` processes started by forkserver: each is forked from a small server that has imported
    `preload` (by default the warm-up's module), so it inherits those imports and what they loaded but no
    open database connection or thread of this process, then runs `warm` (the vocabularies) once for all
    its items. Measured to two warm workers: fork 3.2 s of CPU, forkserver with the import preloaded 4.0 s,
    without it 4.7 s; fork is cheaper but copies whatever this process holds (threads, sockets). A preload
    module that warms up as it is imported (materia.preload) is paid once, in the server, not per worker."""

    def __init__(self, workers: int, warm: Callable[[], object] | None = None, ahead: int = 4,
                 preload: str | None = None) -> None:
        self.workers, self.warm, self.window = workers, warm, workers * ahead
        self.preload = preload or (warm.__module__ if warm is not None else None)
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"  # Windows
        context = multiprocessing.get_context(method)
        if self.preload is not None and method == "forkserver":  # the server imports it once (when it starts)
            context.set_forkserver_preload([self.preload])
        return ProcessPoolExecutor(self.workers, context, initializer=_start_worker, initargs=(self.warm,))

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | WorkerLost]]:
        pending: dict[Future[R], T] = {}
        # Each future says it is done on a queue: wait(FIRST_COMPLETED) hooked a waiter on every pending future
        # for each result, which cost this process (the writer) half a millisecond a file with 64 in flight.
        finished: queue.SimpleQueue[Future[R]] = queue.SimpleQueue()
        todo = iter(items)
        while True:
            for item in todo:
                try:
                    future = self._executor.submit(fn, item)
                except BrokenProcessPool:  # a worker died since the last result was read: this item never ran
                    yield from self._restart(pending)
                    future = self._executor.submit(fn, item)
                pending[future] = item
                future.add_done_callback(finished.put)
                if len(pending) >= self.window:
                    break
            if not pending:
                return
            future = finished.get()
            if future not in pending:  # of a pool that broke: already reported lost
                continue
            item = pending.pop(future)
            broken = False
            try:
                result: R | WorkerLost = future.result()
            except BrokenProcessPool as exc:
                broken, result = True, WorkerLost(f"a worker process died ({exc})")
            yield item, result
            if broken:
                yield from self._restart(pending)

    def _restart(self, pending: dict[Future[R], T]) -> Iterator[tuple[T, WorkerLost]]:
        """Every item still held by a pool that broke is lost with it: report them, and start a new pool."""
        for item in pending.values():
            yield item, WorkerLost("a worker process died while another file was extracted")
        pending.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class Cluster:
    """The workers of the Dask scheduler at `address` (tcp://HOST:PORT). Results stream back with
    `as_completed`; at most `ahead` items per worker thread are in flight."""

    def __init__(self, address: str, ahead: int = 4, timeout: float = 30) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ClusterError("--scheduler needs Dask: pip install 'materia[cluster]'") from exc
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        threads = sum(self.client.nthreads().values())
        if not threads:
            self.client.close()
            raise ClusterError(f"the Dask scheduler at {address} has no workers")
        self.window = max(1, threads) * ahead

    def everywhere(self, fn: Callable[..., R], *args: Any) -> dict[str, R]:
        """`fn(*args)` on every worker: {worker address: result}."""
        return dict(self.client.run(fn, *args))

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | WorkerLost]]:
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        pending: dict[Any, T] = {}  # by Dask future
        running = as_completed(loop=self.client.loop)  # this client, not a default one
        todo = iter(items)

        def submit(n: int) -> None:
            for item in todo:
                future = self.client.submit(fn, item, pure=False)
                pending[future] = item
                running.add(future)
                n -= 1
                if n <= 0:
                    return

        submit(self.window)
        for future in running:
            item = pending.pop(future)
            try:
                result: R | WorkerLost = future.result()
            except (KilledWorker, FutureCancelledError) as exc:
                result = WorkerLost(f"the Dask worker died ({type(exc).__name__})")
            future.release()
            yield item, result
            submit(1)

    def close(self) -> None:
        self.client.close()
