"""Compiled vocabularies kept between runs: a value built from data files (a filtered dictionary, an
Aho-Corasick automaton) is pickled once into the cache directory, and later processes read it back.

    compiled("drug-canonicals", build, sources=("lexicons/drugs.py", dictionary_file()))

`sources` are what the value is built from, code and data alike: materia's own files and folders by their
path in the package ("lexicons": every data file and loader), other files (another package's data) by their
Path. The cache file's name holds a key, a hash of materia's version, the Python version and the bytes of
every source, so a vocabulary built by other code or from other data is never read (`NAME-KEY.pickle`; the
few newest of a name are kept, so checkouts used in turn each find theirs). A file that is missing, stale,
corrupt or truncated is rebuilt and written whole (a temporary file, then os.replace: a reader never sees
half of one); a cache directory that cannot be created, written or read costs the build in every process,
nothing else.

The directory is Settings.cache_dir (MATERIA_CACHE_DIR, else the user's cache directory), read when a
vocabulary is first wanted, so worker processes use their parent's. Unpickling runs code: a file another
user owns is never read.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import TypeAlias, TypeVar, cast

import materia
from materia.errors import ConfigError
from materia.settings import Settings

__all__ = ["cache_file", "compiled"]

T = TypeVar("T")
Source: TypeAlias = str | Path  # a file of the materia package ("lexicons/lay_terms.tsv"), or any file
_KEEP = 3  # files kept per vocabulary name, newest first
_ABANDONED_SECONDS = 3600  # a temporary file this old was left by a writer that died


def compiled(name: str, build: Callable[[], T], sources: Iterable[Source]) -> T:
    """The value `build()` returns, read from the cache when a file built from the same `sources` by the
    same materia and Python is there; else built, and written for the next process."""
    path = cache_file(name, sources)
    if path is None:
        return build()
    kept = _load(path)
    if kept is not None:
        return cast(T, kept[0])
    value = build()
    _store(path, value)
    return value


def cache_file(name: str, sources: Iterable[Source]) -> Path | None:
    """Where the vocabulary `name` built from `sources` is kept; None when a source cannot be read (the build
    will say why) or no cache directory is set."""
    try:
        folder = Path(Settings.from_env().cache_dir)
    except ConfigError:  # a malformed setting, refused by the CLI at start-up; a library caller still extracts
        return None
    digest = hashlib.sha256(f"{materia.__version__}\0{sys.version}\0{name}\0".encode())
    try:
        for source in sources:
            digest.update(f"{source}\0".encode() + _digest(source))
    except OSError:
        return None
    return folder / f"{name}-{digest.hexdigest()[:16]}.pickle"


def _digest(source: Source) -> bytes:
    """A hash of a source's bytes, or of a package folder's files (lexicons/, 9 MB, in about 10 ms). Read again
    by each vocabulary, so a file rewritten while a process runs (scripts/build_lay_lexicon.py) is seen."""
    node = source if isinstance(source, Path) else resources.files("materia").joinpath(source)
    if isinstance(source, Path) or not node.is_dir():
        return hashlib.sha256(node.read_bytes()).digest()
    digest = hashlib.sha256()
    for child in sorted((c for c in node.iterdir() if c.is_file()), key=lambda c: c.name):
        digest.update(f"{child.name}\0".encode() + hashlib.sha256(child.read_bytes()).digest())
    return digest.digest()


def _load(path: Path) -> tuple[object] | None:
    """(the value kept in `path`,), or None when there is none that can be read."""
    try:
        with path.open("rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            name, value = pickle.load(handle)
    except Exception:  # missing, unreadable, truncated or corrupt (pickle raises many kinds): built again
        return None
    return (value,) if name == path.name else None


def _store(path: Path, value: object) -> None:
    """Write `value` to `path` whole, or not at all (the directory cannot be made or written: left as it is)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((path.name, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _prune(path)
    except OSError:
        pass


def _prune(path: Path) -> None:
    """Drop the older files of the same vocabulary (other keys) beyond the newest few, and abandoned
    temporary files."""
    name = path.name.rsplit("-", 1)[0]
    kept = sorted(path.parent.glob(f"{name}-{'?' * 16}.pickle"), key=_modified, reverse=True)
    stale = kept[_KEEP:]
    now = time.time()
    stale += [p for p in path.parent.glob(f".{name}-*.tmp") if now - _modified(p) > _ABANDONED_SECONDS]
    for old in stale:
        old.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
