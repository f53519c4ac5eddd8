"""read -> extract -> store: the one orchestrator.

    expand_paths(paths)           files named by paths, directories and globs (and the misses)
    process(path, settings)       one file -> its Extractions, or why it failed (no database)
    ingest(store, paths)          process each file and store it in one transaction; drop the files
                                  gone from a folder that was given
    remove(store, paths)          drop stored files, or every stored file under a folder

`process` is the unit of work that a parallel or distributed ingest wraps: it reads
nothing but its file and returns plain values. `ingest` owns the storing loop, so the
store only stores. A file is identified by its resolved path (`source_of`), so
`zinc.md`, `./zinc.md`, `/abs/zinc.md`, `a//zinc.md` and a path through a symlinked
folder are one source; reports and errors name the path as the user typed it.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from materia.errors import MateriaError
from materia.extract import extract
from materia.ingest import load, read_raw
from materia.settings import Settings
from materia.store import Store
from materia.types import Extraction

__all__ = ["Failure", "IngestReport", "Processed", "Progress", "expand_paths", "ingest", "process", "remove",
           "source_of"]

Progress = Callable[[str, int, int], None]  # (path, done, total)


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
    """One file read and extracted: an Extraction per document (per record of a many-record file).

    `unchanged` is set, with no extractions, when the file's bytes hash to what is already stored."""

    path: str
    source: str
    sha256: str
    extractions: tuple[Extraction, ...] = ()
    notes: tuple[str, ...] = ()
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    reason: str


def source_of(path: str) -> str:
    """The identity of a file: its resolved absolute path (symlinks, `.`, `..` and `//` gone)."""
    return os.path.realpath(path)


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
    for f in files:
        first.setdefault(source_of(f), f)
    return list(first.values()), missing


def process(path: str, settings: Settings, stored_sha256: str | None = None,
            kind: str | None = None) -> Processed | Failure:
    """Read and extract one file. Touches no database: `stored_sha256` is the hash already
    stored for this source, if any; when the file's bytes still hash to it, nothing is parsed.
    `kind` (post, review, article, monograph, label) overrides the sniffed kind of every record."""
    source = source_of(path)
    try:
        raw = replace(load(path, settings), source=source)
        if raw.sha256 == stored_sha256:
            return Processed(path, source, raw.sha256, notes=raw.notes, unchanged=True)
        documents = read_raw(raw, kind)
        extractions = tuple(extract(d) for d in documents)
    except MateriaError as exc:
        return Failure(path, getattr(exc, "reason", str(exc)))
    except (ValueError, UnicodeError, RecursionError) as exc:  # an extractor choked: report, go on
        return Failure(path, f"could not extract: {exc.__class__.__name__}: {exc}")
    notes = tuple(dict.fromkeys(n for d in documents for n in d.notes))
    return Processed(path, source, raw.sha256, extractions, notes)


def ingest(store: Store, paths: list[str], settings: Settings | None = None,
           progress: Progress | None = None, kind: str | None = None) -> IngestReport:
    """Read, extract and store each file in its own transaction; bad files are reported, never fatal.
    `kind` overrides the sniffed kind of every file (materia ingest --kind)."""
    settings = settings or Settings.from_env()
    files, failed = expand_paths(paths)
    outcomes: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    notes: list[tuple[str, str]] = []
    for i, path in enumerate(files):
        if progress:
            progress(path, i, len(files))
        try:
            done = process(path, settings, store.stored_sha256(source_of(path)), kind)
            if isinstance(done, Failure):
                failed.append((done.path, done.reason))
                continue
            notes.extend((path, n) for n in done.notes)
            outcome = "unchanged" if done.unchanged else store.put_all(done.source, done.sha256, done.extractions)
        except MateriaError as exc:  # the store refused this file (e.g. a constraint): report it, go on
            failed.append((path, str(exc)))
            continue
        outcomes[outcome].append(path)
    if progress:
        progress("", len(files), len(files))
    removed: list[str] = []
    folders = {source_of(p): p for p in reversed(paths) if os.path.isdir(p)}  # each as first typed
    for folder, typed in folders.items():
        try:
            removed += _drop_gone(store, folder)
        except MateriaError as exc:
            failed.append((typed, str(exc)))
    return IngestReport(tuple(outcomes["added"]), tuple(outcomes["updated"]), tuple(outcomes["unchanged"]),
                        tuple(failed), tuple(notes), removed=tuple(removed))


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
    return IngestReport(failed=tuple(failed), removed=tuple(dict.fromkeys(removed)))
