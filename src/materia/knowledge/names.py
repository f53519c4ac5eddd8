"""How the knowledge base compares substance names (one rule for monographs, search and interactions)."""
from __future__ import annotations

import functools
import re

_SPACES = re.compile(r"\s+")
_STEREO = re.compile(r"^(?:l|d|dl)[- ](?=\w{3})")


@functools.lru_cache(maxsize=1 << 16)  # summaries compare a few names, each of them again and again
def normalise_substance(name: str) -> str:
    """Lower case, one space, without the L-/D- stereo prefix: "L-Glutamine" -> "glutamine"."""
    return _STEREO.sub("", _SPACES.sub(" ", name.strip().lower().replace("’", "'")))
