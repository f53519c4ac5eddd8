"""How the knowledge base compares substance names (one rule for monographs, search and interactions)."""
from __future__ import annotations

import re


def normalise_substance(name: str) -> str:
    """Lower case, one space, without the L-/D- stereo prefix: "L-Glutamine" -> "glutamine"."""
    n = re.sub(r"\s+", " ", name.strip().lower().replace("’", "'"))
    return re.sub(r"^(?:l|d|dl)[- ](?=\w{3})", "", n)
