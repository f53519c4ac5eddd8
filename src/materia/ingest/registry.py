"""The reader registry and the one entry point, `read_path`."""
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
    read: Callable[[RawFile], Document]
    sniff: Callable[[RawFile], bool] | None = None
    suffixes: tuple[str, ...] = ()
    fallback: bool = False


READERS: list[ReaderEntry] = []


def reader(name: str, *, sniff: Callable[[RawFile], bool] | None = None,
           suffixes: tuple[str, ...] = (), fallback: bool = False):
    """Register `read(raw) -> Document` under `name`."""

    def register(read: Callable[[RawFile], Document]) -> Callable[[RawFile], Document]:
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


def read_path(path: str, settings: Settings | None = None, kind: str | None = None) -> Document:
    """Read one file into a Document, or raise ReadError naming the file and the reason.

    `kind` (post, review, article, monograph, label) is what the user knows the file to be; without it the
    kind is sniffed."""
    from materia.ingest.posts import as_kind

    raw = load(path, settings or Settings())
    entry = choose_reader(raw)
    try:
        document = entry.read(raw)
        return as_kind(document, kind) if kind else document
    except ReadError:
        raise
    except Exception as exc:  # a reader bug or hostile input must not lose the other files
        raise ReadError(path, f"could not read as {entry.name}: {type(exc).__name__}: {exc}") from exc
