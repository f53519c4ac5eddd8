"""One error tree for materia.

MateriaError
 ├── ReadError          a file could not be read into a Document (names the file and why)
 │    └── TooLargeError  over the configured size limit
 ├── ConfigError        a setting (environment variable) has a value materia cannot use
 ├── VocabularyError    a lexicon file is missing or malformed (a packaging bug)
 ├── ClusterError       the Dask scheduler cannot be reached, or has no workers
 ├── ExtractError       a block of a huge document could not be extracted (its worker process died)
 └── StoreError         the knowledge base could not be opened or written
      ├── NotFoundError  no such substance / document in the knowledge base
      └── QueryTimeoutError  a read ran past its time limit or was stopped (the client left)
"""
from __future__ import annotations


class MateriaError(Exception):
    """Base of every error materia raises on purpose."""


class ReadError(MateriaError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class TooLargeError(ReadError):
    pass


class ConfigError(MateriaError):
    pass


class VocabularyError(MateriaError):
    pass


class ClusterError(MateriaError):
    pass


class ExtractError(MateriaError):
    pass


class StoreError(MateriaError):
    pass


class NotFoundError(StoreError):
    pass


class QueryTimeoutError(StoreError):
    pass
