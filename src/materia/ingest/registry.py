"""The reader registry and its entry points.

`read_documents(path)` returns every Document of a file: one, or one per record of a
many-record file (a review table, a PubTator file, an openFDA `results` list). It is
`read_raw(load(path))`, split so a caller can look at the bytes' hash before parsing.
`read_path(path)` is the single-document form.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

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


def reader(name: str, *, sniff: Callable[[RawFile], bool] | None = None,
           suffixes: tuple[str, ...] = (), fallback: bool = False):
    """Register `read(raw) -> Document | list[Document]` (a list: one Document per record) under `name`."""

    def register(read: Callable[[RawFile], Document | list[Document]]) \
            -> Callable[[RawFile], Document | list[Document]]:
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


def load(path: str, settings: Settings) -> RawFile:
    """Bytes and decoded text of `path`, refusing what no reader could use."""
    p = Path(path)
    if not p.exists():
        raise ReadError(path, "no such file")
    if p.is_dir():
        raise ReadError(path, "is a directory")
    size = p.stat().st_size
    if size > settings.max_file_bytes:
        raise TooLargeError(path, f"file is {size / 2**20:.0f} MiB, over the {settings.max_file_mb:g} MiB "
                                  "limit (MATERIA_MAX_FILE_MB)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from None
    if not data.strip():
        raise ReadError(path, "empty file")
    text, encoding, notes = decode(path, data)
    return RawFile(path, data, text, encoding, hashlib.sha256(data).hexdigest(), notes)


def read_raw(raw: RawFile) -> list[Document]:
    """The Documents of a loaded file (one per record for many-record files), or ReadError."""
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
    return documents


def read_documents(path: str, settings: Settings | None = None) -> list[Document]:
    """Every Document of one file, or raise ReadError naming the file and the reason."""
    return read_raw(load(path, settings or Settings()))


def read_path(path: str, settings: Settings | None = None) -> Document:
    """The one Document of a single-document file; ReadError for a file of many records."""
    documents = read_documents(path, settings)
    if len(documents) > 1:
        raise ReadError(path, f"holds {len(documents)} records; read it with read_documents")
    return documents[0]
