"""file -> Document.

A small registry of readers. Each reader says which content it recognises (`sniff`,
tried first, in registration order) and which file suffixes it claims (tried second);
the plain-text reader takes whatever text is left. The user never names the format.
"""
from __future__ import annotations

from materia.ingest.registry import READERS, RawFile, read_path, reader

# Importing the reader modules registers them (order = sniffing priority).
from materia.ingest import label  # noqa: E402,F401
from materia.ingest import html  # noqa: E402,F401
from materia.ingest import reviews  # noqa: E402,F401
from materia.ingest import community  # noqa: E402,F401
from materia.ingest import markdown  # noqa: E402,F401
from materia.ingest import plaintext  # noqa: E402,F401  (last: the fallback)

__all__ = ["READERS", "RawFile", "read_path", "reader"]
