"""The reader registry and its entry points.

`read_documents(path)` returns every Document of a file: one, or one per record of a
many-record file (a review table, a PubTator file, an openFDA `results` list). It is
`read_raw(load(path))`, and `load` is `from_bytes(path, read_bytes(path))`: a caller can look at
the bytes' hash before anything is decoded or parsed, or hand bytes read elsewhere to a worker.
`read_path(path)` is the single-document form.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from materia.errors import ReadError, TooLargeError
from materia.ingest.decode import decode
from materia.settings import Settings
from materia.types import Document


@dataclass(frozen=True)
class RawFile:
    """A file's bytes and its decoded text, handed to readers."""

    source: str
    data: bytes
    text: str
    encoding: str
    sha256: str
    notes: tuple[str, ...] = ()

    @property
    def suffix(self) -> str:
        return Path(self.source).suffix.lower()


@dataclass(frozen=True)
class ReaderEntry:
    name: str
    read: Callable[[RawFile], Document | list[Document]]
    sniff: Callable[[RawFile], bool] | None = None
    suffixes: tuple[str, ...] = ()
    fallback: bool = False


READERS: list[ReaderEntry] = []
# A reader keeps its own signature (`-> Document` or `-> list[Document]`) once registered.
ReadFunction = TypeVar("ReadFunction", bound=Callable[[RawFile], Document | list[Document]])


def reader(name: str, *, sniff: Callable[[RawFile], bool] | None = None,
           suffixes: tuple[str, ...] = (), fallback: bool = False) -> Callable[[ReadFunction], ReadFunction]:
    """Register `read(raw) -> Document | list[Document]` (a list: one Document per record) under `name`."""

    def register(read: ReadFunction) -> ReadFunction:
        READERS.append(ReaderEntry(name, read, sniff, suffixes, fallback))
        return read

    return register


def choose_reader(raw: RawFile) -> ReaderEntry:
    for entry in READERS:
        if entry.sniff is not None and entry.sniff(raw):
            return entry
    for entry in READERS:
        if raw.suffix and raw.suffix in entry.suffixes:
            return entry
    for entry in READERS:
        if entry.fallback:
            return entry
    raise ReadError(raw.source, "unknown format")


_SPECIAL_FILES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)
_OS_REASONS = {errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.ENOENT: "no such file",
               errno.ENOTDIR: "no such file (a part of the path is not a directory)", errno.EISDIR: "is a directory",
               errno.ELOOP: "too many levels of symbolic links", errno.ENAMETOOLONG: "file name too long"}
_CHUNK = 1 << 20


def _os_reason(exc: OSError) -> str:
    """A short reason for an operating-system error, without the path (the caller names the file)."""
    return _OS_REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read (directories and special files), or None for a regular file."""
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), None)
    return f"{kind}, not a regular file" if kind else "not a regular file"


def _too_large(path: str, size: int | None, settings: Settings) -> TooLargeError:
    """`size` None: the file grew past the limit while being read."""
    what = f"file is {size / 2**20:.0f} MiB, over" if size is not None else "file is over"
    return TooLargeError(path, f"{what} the {settings.max_file_mb:g} MiB limit (MATERIA_MAX_FILE_MB)")


def read_bytes(path: str, settings: Settings) -> bytes:
    """The bytes of a regular file, never more than the size limit.

    Special files are refused before they are opened (reading /dev/zero never ends, opening a FIFO
    waits for a writer); O_NONBLOCK and a second check on the open descriptor cover a file swapped
    for one of those in between, and the byte cap covers files that grow or lie about their size.
    """
    try:
        reason = _not_regular(os.stat(path).st_mode)
    except OSError as exc:
        raise ReadError(path, _os_reason(exc)) from None
    except ValueError:  # a NUL byte in the name
        raise ReadError(path, "invalid file name") from None
    if reason is not None:
        raise ReadError(path, reason)
    limit = settings.max_file_bytes
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadError(path, _os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        reason = _not_regular(info.st_mode)
        if reason is not None:
            raise ReadError(path, reason)
        if info.st_size > limit:  # refused unread: a sparse 200 GB file costs nothing
            raise _too_large(path, info.st_size, settings)
        chunks: list[bytes] = []
        total = 0
        want = info.st_size + 1 if info.st_size else _CHUNK  # usually the whole file in one read, no copy
        while total <= limit:
            asked = min(want, limit + 1 - total)
            chunk = os.read(fd, asked)
            want = _CHUNK
            chunks.append(chunk)
            total += len(chunk)
            if len(chunk) < asked:  # a regular file reads short only at its end: no second call to learn it
                break
        if total > limit:
            raise _too_large(path, None, settings)
        return b"".join(chunks)
    except OSError as exc:
        raise ReadError(path, _os_reason(exc)) from None
    finally:
        os.close(fd)


def load(path: str, settings: Settings) -> RawFile:
    """Bytes and decoded text of `path`, refusing what no reader could use."""
    return from_bytes(path, read_bytes(path, settings))


def from_bytes(path: str, data: bytes) -> RawFile:
    """The file `path` from its bytes, decoded; ReadError for an empty or binary file."""
    if not data or data.isspace():  # isspace: no copy of a large file
        raise ReadError(path, "empty file")
    text, encoding, notes = decode(path, data)
    return RawFile(path, data, text, encoding, hashlib.sha256(data).hexdigest(), notes)


def read_raw(raw: RawFile, kind: str | None = None) -> list[Document]:
    """The Documents of a loaded file (one per record for many-record files), or ReadError.

    `kind` (post, review, article, monograph, label) is what the user knows the file to be; it applies to
    every record. Without it the kind is sniffed."""
    from materia.ingest.posts import as_kind

    entry = choose_reader(raw)
    try:
        read = entry.read(raw)
    except ReadError:
        raise
    except Exception as exc:  # a reader bug or hostile input must not lose the other files
        raise ReadError(raw.source, f"could not read as {entry.name}: {type(exc).__name__}: {exc}") from exc
    documents = read if isinstance(read, list) else [read]
    if not documents:
        raise ReadError(raw.source, f"no records found (read as {entry.name})")
    return [as_kind(d, kind) for d in documents] if kind else documents


def read_documents(path: str, settings: Settings | None = None, kind: str | None = None) -> list[Document]:
    """Every Document of one file, or raise ReadError naming the file and the reason."""
    return read_raw(load(path, settings or Settings()), kind)


def read_path(path: str, settings: Settings | None = None, kind: str | None = None) -> Document:
    """The one Document of a single-document file; ReadError for a file of many records."""
    documents = read_documents(path, settings, kind)
    if len(documents) > 1:
        raise ReadError(path, f"holds {len(documents)} records; read it with read_documents")
    return documents[0]
