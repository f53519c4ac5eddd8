"""A small is_a hierarchy of conditions, so a use for Crohn's disease can be compared
with a use for inflammatory bowel disease. Data: lexicons/conditions.yaml (Disease Ontology subset)."""
from __future__ import annotations

import re
from functools import lru_cache

from materia.errors import VocabularyError
from materia.lexicons.loader import load_yaml

DATA = "conditions.yaml"
_KEYS = {"aliases", "parents"}


def norm(name: str) -> str:
    """Lower case, straight quotes, hyphens and runs of spaces as one space."""
    name = name.lower().replace("’", "'").replace("‘", "'").replace("“", "").replace("”", "").replace('"', "")
    name = re.sub(r"[-_/]+", " ", name)
    return re.sub(r"\s+", " ", name).strip()


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    raw = load_yaml(DATA)
    if not isinstance(raw, dict):
        raise VocabularyError(f"{DATA}: expected a mapping of conditions")
    canon: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for name, entry in raw.items():
        entry = entry or {}
        if not isinstance(entry, dict) or set(entry) - _KEYS:
            raise VocabularyError(f"{DATA}: {name}: unknown keys {sorted(set(entry) - _KEYS)}")
        key = norm(str(name))
        canon[key] = key
        for alias in entry.get("aliases") or []:
            canon[norm(str(alias))] = key
        parents[key] = tuple(norm(str(p)) for p in entry.get("parents") or [])
    for key, ps in parents.items():
        for p in ps:
            if p not in parents:
                raise VocabularyError(f"{DATA}: {key}: parent {p!r} is not an entry")
    return canon, parents


@lru_cache(maxsize=1 << 16)  # a summary asks for every use and effect named: the same few names, thousands of times
def canonical(name: str) -> str:
    """The hierarchy's name for `name` (or its normalised self); a trailing plural 's' is forgiven."""
    canon, _ = _load()
    n = norm(name)
    if n in canon:
        return canon[n]
    if n.endswith("s") and n[:-1] in canon:
        return canon[n[:-1]]
    return n


def lineage(name: str) -> tuple[str, ...]:
    """The condition and everything it is a kind of, most specific first."""
    _, parents = _load()
    out: list[str] = [canonical(name)]
    i = 0
    while i < len(out):
        for p in parents.get(out[i], ()):
            if p not in out:
                out.append(p)
        i += 1
    return tuple(out)
