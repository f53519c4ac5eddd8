"""read -> extract -> store: the one orchestrator.

    expand_paths(paths)           files named by paths, directories and globs (and the misses)
    process(path, settings)       one file -> its documents ready to store, or why it failed (no database)
    ingest(store, paths)          process each file and store it in one transaction; drop the files
                                  gone from a folder that was given; refresh the stale summaries
    remove(store, paths)          drop stored files, or every stored file under a folder

`process` is the unit of work that a parallel or distributed ingest wraps: it reads
nothing but its file and returns plain values. `ingest` owns the storing loop, so the
store only stores. A file is identified by its resolved path (`source_of`), so
`zinc.md`, `./zinc.md`, `/abs/zinc.md`, `a//zinc.md` and a path through a symlinked
folder are one source; reports and errors name the path as the user typed it.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import glob
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from materia.errors import MateriaError, ReadError, StoreError
from materia.extract import blocks, extract
from materia.extract.substances import drug_dictionary
from materia.ingest import from_bytes, read_bytes, read_raw
from materia.knowledge import KnowledgeBase
from materia.knowledge.base import SUMMARIES_PER_COMMIT, BuiltSummary, SummaryTask
from materia.quantities import unit_factor
from materia.runners import Cluster, InProcess, Pool, Runner, WorkerLost
from materia.settings import Settings
from materia.store import Prepared, Store, prepare
from materia.types import Document

__all__ = ["Failure", "IngestReport", "Processed", "Progress", "Work", "build_summaries", "expand_paths",
           "extract_file", "ingest", "process", "refresh_summaries", "remove", "source_of", "warm_up"]

Progress = Callable[[str, int, int], None]  # (path, done, total)
POOL_BYTES_PER_WORKER = 1 << 20  # a worker process pays for itself from about this much text on
# One transaction stores this many files, or what came in this long. Each commit, and on SQLite each statement
# that fills the FTS tables, has a cost of its own: 96 files, not 32, cost the writer a tenth less.
BATCH_FILES, BATCH_SECONDS = 96, 1.0
IN_FLIGHT_BYTES = 64 << 20  # files handed to workers and not yet stored, at most (roughly: text, not results)
SUMMARIES_PER_TASK = 8  # summaries a worker builds per task (a big substance takes a while alone)
TASK_BYTES = 32 << 10  # a pool's worker is handed small files about this much text a task, and answers once for them
BIG_FILE_BYTES = 8 << 20  # a bigger file may hold a huge document: extracted here and stored a block at a time
PRELOAD = "materia.preload"  # what the worker pool's fork server imports: warm_up, paid once for all workers


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one `ingest` call did, file by file (paths as the user typed them)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (path, reason)
    notes: tuple[tuple[str, str], ...] = ()  # (path, what the reader repaired)
    removed: tuple[str, ...] = ()  # sources (resolved paths) dropped from the knowledge base

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True, slots=True)
class Processed:
    """One file read and extracted: a document ready to store per record of the file (its extraction as item
    records, serialised where it was extracted: the one writer only writes).

    `unchanged` is set, with no documents, when the file's bytes hash to what is already stored."""

    path: str
    source: str
    sha256: str
    documents: tuple[Prepared, ...] = ()
    notes: tuple[str, ...] = ()
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    reason: str


def source_of(path: str) -> str:
    """The identity of a file: its resolved absolute path (symlinks, `.`, `..` and `//` gone)."""
    return os.path.realpath(path)


def _sources(files: Iterable[str]) -> list[str]:
    """`source_of` each file, each folder resolved once: a file that is no symlink resolves to its
    resolved folder and its name (10,000 files in a few folders: 10,000 lstat calls, not 150,000)."""
    folders: dict[str, str] = {}
    out = []
    for f in files:
        folder, name = os.path.split(f)
        if name in ("", ".", "..") or os.path.islink(f):
            out.append(source_of(f))
            continue
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(folder or ".")
        out.append(os.path.join(real, name))
    return out


def _walk(folder: str) -> list[str]:
    """Files under `folder`, recursively, following symlinked folders once; hidden names skipped."""
    found: list[str] = []
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a symlink loop, or a folder reached twice
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(top, f) for f in files if not f.startswith("."))
    return sorted(f for f in found if os.path.isfile(f))


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files named by `paths` (files, directories walked recursively, globs), each file once
    however it was named, and the (path, reason) of every name that matched nothing."""
    files: list[str] = []
    missing: list[tuple[str, str]] = []
    for p in paths:
        if os.path.isdir(p):
            files.extend(_walk(p))
        elif os.path.exists(p):
            files.append(p)
        elif glob.has_magic(p):
            matched = sorted(m for m in glob.glob(p, recursive=True) if os.path.isfile(m))
            files.extend(matched) if matched else missing.append((p, "no file matches"))
        else:
            missing.append((p, "no such file"))
    first: dict[str, str] = {}
    for f, source in zip(files, _sources(files), strict=True):
        first.setdefault(source, f)
    return list(first.values()), missing


def process(path: str, settings: Settings, stored_sha256: str | None = None,
            kind: str | None = None) -> Processed | Failure:
    """Read and extract one file. Touches no database: `stored_sha256` is the hash already
    stored for this source, if any; when the file's bytes still hash to it, nothing is decoded or
    parsed. `kind` (post, review, article, monograph, label) overrides the sniffed kind of every record."""
    source = source_of(path)
    try:
        data = read_bytes(path, settings)
    except ReadError as exc:
        return Failure(path, exc.reason)
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 == stored_sha256:
        return Processed(path, source, sha256, unchanged=True)
    return extract_file(Work(path, source, kind, data), settings)


@dataclass(frozen=True, slots=True)
class Work:
    """A file for a worker to extract: the path as typed, its identity (what a worker reads: the
    typed path may be relative to another directory), and its bytes when the orchestrator sends them."""

    path: str
    source: str
    kind: str | None = None
    data: bytes | None = None  # None: the worker reads `source` (a pool, or a cluster on one file system)


def extract_file(work: Work, settings: Settings) -> Processed | Failure:
    """Decode, parse and extract one file, where it runs (this process, a worker process, a Dask
    worker): the unit of work of a parallel ingest. Expected failures are returned, not raised."""
    try:
        data = read_bytes(work.source, settings) if work.data is None else work.data
        raw = from_bytes(work.source, data)
        documents = read_raw(raw, work.kind)
        prepared = tuple(prepare(extract(d)) for d in documents)
    except MateriaError as exc:
        return Failure(work.path, getattr(exc, "reason", str(exc)))
    except (ValueError, UnicodeError, RecursionError) as exc:  # an extractor choked: report, go on
        return Failure(work.path, f"could not extract: {exc.__class__.__name__}: {exc}")
    notes = tuple(dict.fromkeys(n for d in documents for n in d.notes))
    return Processed(work.path, work.source, raw.sha256, prepared, notes)


def warm_up() -> None:
    """Load what extraction needs (the vocabularies, the drug dictionary) by extracting a line naming a
    brand and an interaction: a worker does it as it starts (or the fork server it is forked from, once:
    materia.preload), so it is not paid inside the first file."""
    extract(Document(source="warm-up", sha256="", kind="monograph", format="text", title="Abilify",
                     text="Abilify (aripiprazole) 10 mg a day may cause nausea; zinc helps colds. "
                          "Avoid with strong CYP3A4 inhibitors such as ketoconazole."))
    unit_factor("mg", "g")  # the unit registry (pint), which the first upper limit of a dose needs
    drug_dictionary()  # what a title is scanned with when no name in it is known (substances.subjects)


def _runner(workers: int, scheduler: str | None, pending_bytes: int, pending_files: int) -> Runner:
    """The Dask cluster when one is named; else a process pool when there is enough text to pay for
    each worker's start-up (its vocabularies: seconds of CPU), else this process.

    Each worker is handed enough files ahead to stay busy while the writer stores a batch (else it
    waits for the writer, and two workers go no faster than one), within IN_FLIGHT_BYTES in all."""
    mean_bytes = max(1, pending_bytes // max(1, pending_files))
    if scheduler:
        return Cluster(scheduler, ahead=max(2, min(BATCH_FILES, IN_FLIGHT_BYTES // mean_bytes // 8)))
    workers = min(workers, 1 + pending_bytes // POOL_BYTES_PER_WORKER)
    ahead = max(2, min(BATCH_FILES, IN_FLIGHT_BYTES // mean_bytes // max(1, workers)))
    per_task = _files_per_task(mean_bytes)
    return Pool(workers, warm_up, max(2, -(-ahead // per_task)), preload=PRELOAD) if workers > 1 else InProcess()


def _files_per_task(mean_bytes: int) -> int:
    """How many files a pool's worker is handed at a time: small ones a few together, so that each answer,
    which cost the writer about 0.6 ms of thread wake-ups and bookkeeping besides unpickling it, carries several."""
    return max(1, min(BATCH_FILES, TASK_BYTES // max(1, mean_bytes)))


def _extract_files(works: tuple[Work, ...], settings: Settings) -> tuple[Processed | Failure, ...]:
    """`extract_file` of each of `works`: a pool's task of several small files."""
    return tuple(extract_file(work, settings) for work in works)


def _extracted(runner: Runner, todo: Iterable[Work], settings: Settings,
               per_task: int) -> Iterator[tuple[Work, Processed | Failure | WorkerLost]]:
    """Each file extracted by `runner`, as it comes back: a pool's workers are handed `per_task` files a task
    (a task lost with its worker loses each of its files)."""
    if not isinstance(runner, Pool) or per_task == 1:
        yield from runner.map(functools.partial(extract_file, settings=settings), todo)
        return
    works = list(todo)
    tasks = [tuple(works[i:i + per_task]) for i in range(0, len(works), per_task)]
    for task, results in runner.map(functools.partial(_extract_files, settings=settings), tasks):
        if isinstance(results, WorkerLost):
            yield from ((work, results) for work in task)
        else:
            yield from zip(task, results, strict=True)


def _shared_files(cluster: Cluster, first: tuple[str, str]) -> bool:
    """Whether every worker of the cluster reads the first file to ingest as this process does
    (same path, same hash): then workers read the files themselves, else they are sent."""
    return all(cluster.everywhere(_reads_as, *first).values())


def _reads_as(source: str, sha256: str) -> bool:
    try:
        with open(source, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest() == sha256
    except OSError:
        return False


class _Writer:
    """The one writer of an ingest: stores processed files a batch per transaction, in the order they
    come back from the workers, and tells the outcome of each file."""

    def __init__(self, store: Store, outcomes: dict[str, list[str]], failed: list[tuple[str, str]]) -> None:
        self.store, self.outcomes, self.failed = store, outcomes, failed
        self.batch: list[Processed] = []
        self.started = 0.0

    def add(self, done: Processed) -> None:
        if not self.batch:
            self.started = time.monotonic()
        self.batch.append(done)
        if len(self.batch) >= BATCH_FILES or time.monotonic() - self.started >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        stored = self.store.put_many([(p.source, p.sha256, p.documents) for p in self.batch])
        for p, outcome in zip(self.batch, stored, strict=True):
            if isinstance(outcome, StoreError):  # the store refused this file (e.g. a constraint): report it
                self.failed.append((p.path, str(outcome)))
            else:
                self.outcomes[outcome].append(p.path)
        self.batch = []


def ingest(store: Store, paths: list[str], settings: Settings | None = None, progress: Progress | None = None,
           kind: str | None = None, workers: int = 1, scheduler: str | None = None,
           send_bytes: bool = False) -> IngestReport:
    """Read, extract and store each file; bad files are reported, never fatal. `kind` overrides the
    sniffed kind of every file (materia ingest --kind).

    Every file is read and hashed here first: one whose hash is the stored one is unchanged, and
    is neither parsed nor sent anywhere. The others are extracted by up to `workers` processes, or
    on the Dask cluster at `scheduler` (whose workers read the files themselves when they see the
    same ones, else are sent the bytes; `send_bytes` always sends them), and stored as they come
    back, many files per transaction. Each file's documents are stored together or not at all."""
    with _collector_spared():
        return _ingest(store, paths, settings or Settings.from_env(), progress, kind, workers, scheduler, send_bytes)


@contextlib.contextmanager
def _collector_spared() -> Iterator[None]:
    """What this process holds as an ingest starts (its imports, the store's engine) left out of the garbage
    collector's full sweeps until it ends: storing a batch keeps thousands of rows alive a while, which sets them
    off often (they walked that heap for a twentieth of the writer's CPU). Not when something else froze objects:
    unfreezing would undo its freeze too."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _ingest(store: Store, paths: list[str], settings: Settings, progress: Progress | None, kind: str | None,
            workers: int, scheduler: str | None, send_bytes: bool) -> IngestReport:
    files, failed = expand_paths(paths)
    order = {path: i for i, path in enumerate(files)}
    outcomes: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    notes: list[tuple[str, str]] = []
    sources = _sources(files)
    stored = store.stored_sha256s(sources)
    todo: list[Work] = []
    big: list[Work] = []  # files of a huge document: extracted and stored here, a block at a time
    pending_bytes = 0
    first: tuple[str, str] | None = None
    for i, (path, source) in enumerate(zip(files, sources, strict=True)):
        if progress:  # done: the unchanged and unreadable files so far; the changed ones are done when stored
            progress(path, i - len(todo), len(files))
        try:
            data = read_bytes(path, settings)
        except ReadError as exc:
            failed.append((path, exc.reason))
            continue
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 == stored.get(source):
            outcomes["unchanged"].append(path)
            continue
        if len(data) > BIG_FILE_BYTES and not scheduler:
            big.append(Work(path, source, kind))
            continue
        todo.append(Work(path, source, kind))
        pending_bytes += len(data)
        first = first or (source, sha256)
    done = len(files) - len(todo) - len(big)
    runner: Runner | None = None
    try:
        if todo:
            runner = _runner(workers, scheduler, pending_bytes, len(todo))
            if isinstance(runner, Cluster) and (send_bytes or (first and not _shared_files(runner, first))):
                todo_iter: Iterable[Work] = _with_bytes(todo, settings, failed)
            else:
                todo_iter = todo
            writer = _Writer(store, outcomes, failed)
            per_task = _files_per_task(pending_bytes // len(todo))
            for work, result in _extracted(runner, todo_iter, settings, per_task):
                done += 1
                if progress:
                    progress(work.path, done, len(files))
                if isinstance(result, WorkerLost):
                    failed.append((work.path, str(result)))
                elif isinstance(result, Failure):
                    failed.append((result.path, result.reason))
                else:
                    notes.extend((work.path, n) for n in result.notes)
                    writer.add(result)
            writer.flush()
        if big and runner is not None:  # a huge file's blocks get a pool of their own: one at a time
            runner.close()
            runner = None
        for work in big:
            big_result = _store_big(store, work, settings, workers)
            done += 1
            if progress:
                progress(work.path, done, len(files))
            if isinstance(big_result, Failure):
                failed.append((big_result.path, big_result.reason))
            else:
                outcomes[big_result[0]].append(work.path)
                notes.extend((work.path, n) for n in big_result[1])
        if progress:
            progress("", len(files), len(files))
        removed: list[str] = []
        folders = {source_of(p): p for p in reversed(paths) if os.path.isdir(p)}  # each as first typed
        for folder, typed in folders.items():
            try:
                removed += _drop_gone(store, folder)
            except MateriaError as exc:
                failed.append((typed, str(exc)))
        # the extraction pool, when there is one, builds the summaries too
        refresh_summaries(store, failed, runner if isinstance(runner, Pool) else None)
    finally:
        if runner is not None:
            runner.close()

    def in_order(found: list[str]) -> tuple[str, ...]:  # as the files were named, whichever finished first
        return tuple(sorted(found, key=lambda p: order.get(p, -1)))

    return IngestReport(in_order(outcomes["added"]), in_order(outcomes["updated"]), in_order(outcomes["unchanged"]),
                        tuple(sorted(failed, key=lambda f: order.get(f[0], -1))), tuple(notes), removed=tuple(removed))


def _store_big(store: Store, work: Work, settings: Settings,
               workers: int = 1) -> tuple[str, tuple[str, ...]] | Failure:
    """Extract and store a big file from this process: a huge document (extract.blocks) a block at a time (by
    `workers` processes), each block's items written as they come, in one transaction (Store.put_parts); else
    as `extract_file` does.
    The outcome ('added', 'updated', 'unchanged') and the reader's notes, or the failure."""
    try:
        raw = from_bytes(work.source, read_bytes(work.source, settings))
        documents = read_raw(raw, work.kind)
        notes = tuple(dict.fromkeys(n for d in documents for n in d.notes))
        if len(documents) == 1 and blocks.huge(documents[0]):
            # its blocks by `workers` processes (each pays for its vocabularies once: a few seconds of CPU)
            pool = Pool(workers, warm_up, ahead=2, preload=PRELOAD) if workers > 1 else None
            try:
                parts = blocks.extract_parts(documents[0], runner=pool)
                return store.put_parts(work.source, raw.sha256, parts), notes
            finally:
                if pool is not None:
                    pool.close()
        return store.put_all(work.source, raw.sha256, [extract(d) for d in documents]), notes
    except MateriaError as exc:
        return Failure(work.path, getattr(exc, "reason", str(exc)))
    except (ValueError, UnicodeError, RecursionError) as exc:
        return Failure(work.path, f"could not extract: {exc.__class__.__name__}: {exc}")


def _with_bytes(todo: list[Work], settings: Settings, failed: list[tuple[str, str]]) -> Iterator[Work]:
    """Each file with its bytes, read as it is sent (so only the files in flight are in memory)."""
    for work in todo:
        try:
            yield replace(work, data=read_bytes(work.path, settings))
        except ReadError as exc:
            failed.append((work.path, exc.reason))


def refresh_summaries(store: Store, failed: list[tuple[str, str]] | None = None,
                      pool: Pool | None = None) -> list[str]:
    """Rebuild the per-substance summaries the writes made stale (so the first `show` after an ingest reads
    them ready-made): the substances rebuilt. With a `pool` of worker processes (and a knowledge base they
    can open), the workers build them and this process stores them. A failure is noted in `failed`, never
    fatal: a stale summary is rebuilt by its first reader."""
    kb = KnowledgeBase(store, cache_size=0)
    url = store.shared_url
    try:
        if pool is None or url is None:
            return kb.refresh_summaries()
        tasks = kb.stale_summaries()
        chunks = [tuple(tasks[i:i + SUMMARIES_PER_TASK]) for i in range(0, len(tasks), SUMMARIES_PER_TASK)]
        built: list[BuiltSummary] = []
        for _, result in pool.map(functools.partial(build_summaries, url), chunks):
            if not isinstance(result, WorkerLost):  # else left stale: its first reader builds it
                built += result
            if len(built) >= SUMMARIES_PER_COMMIT:
                kb.store_summaries(built)
                built = []
        kb.store_summaries(built)
        return [substance for substance, _ in tasks]
    except MateriaError as exc:
        if failed is not None:
            failed.append(("summaries", str(exc)))
        return []


@functools.cache
def _knowledge_base(url: str) -> KnowledgeBase:
    """A worker's own connection to the knowledge base it builds summaries of (one per process)."""
    return KnowledgeBase.open(url, cache_size=0)


def build_summaries(url: str, tasks: tuple[SummaryTask, ...]) -> list[BuiltSummary]:
    """The summaries of `tasks`, built in a worker process from the knowledge base at `url`."""
    return _knowledge_base(url).build_summaries(tasks)


def _drop_gone(store: Store, folder: str) -> list[str]:
    """Drop the stored files under `folder` (a resolved path) that no longer exist. Only files that are
    gone: one the walk skipped (a hidden name) or could not read is still there, and stays."""
    gone = [source for source in store.sources_under(folder) if not os.path.exists(source)]
    return [source for source in gone if store.remove(source)]


def remove(store: Store, paths: Iterable[str]) -> IngestReport:
    """Drop each file named (by its resolved path, whether it still exists or not) from the knowledge
    base, or every stored file under a folder named, each file in one transaction, the removals kept
    in the history. A name that matches nothing stored is a failure."""
    removed: list[str] = []
    failed: list[tuple[str, str]] = []
    for path in paths:
        source = source_of(path)
        try:
            sources = [source] if store.stored_sha256(source) is not None else store.sources_under(source)
            if not sources:
                failed.append((path, "not in the knowledge base"))
            removed += [s for s in sources if store.remove(s)]
        except MateriaError as exc:
            failed.append((path, str(exc)))
    if removed:
        refresh_summaries(store, failed)
    return IngestReport(failed=tuple(failed), removed=tuple(dict.fromkeys(removed)))
