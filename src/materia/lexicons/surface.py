"""How vocabulary keys and text are compared, for every vocabulary of materia: one normal form, one plural rule."""
from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["normalise", "plural_variants"]

_TOKEN = re.compile(r"[^\W_]+")


def normalise(surface: str) -> str:
    """The form keys and text share: lower-case tokens joined by single spaces ("Dry-mouth!" -> "dry mouth")."""
    return " ".join(_TOKEN.findall(surface.lower()))


def plural_variants(key: str) -> Iterator[str]:
    """The key, then its plural ("headache" -> "headaches", "allergy" -> "allergies"): text names a symptom
    either way, vocabularies list one."""
    yield key
    last = key.rsplit(" ", 1)[-1]
    if len(last) > 3 and last.isalpha():
        if last.endswith("y") and last[-2] not in "aeiou":
            yield key[:-1] + "ies"
        elif last.endswith(("s", "x", "ch", "sh")):
            yield key + "es"
        else:
            yield key + "s"
