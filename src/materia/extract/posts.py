"""User reports: the posts the reader found."""
from __future__ import annotations

from materia.extract.parse import Parsed
from materia.types import Post


def find(parsed: Parsed) -> list[Post]:
    return list(parsed.document.posts)
