"""The Human Phenotype Ontology as the vocabulary builders read it: one reader of hp.obo for every table built
from it (effects_hpo.tsv, lay_terms.tsv). Build time only: the extractors read the prebuilt tables.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PHENOTYPIC_ABNORMALITY", "Synonym", "Term", "phenotypic_abnormalities", "read_obo"]

PHENOTYPIC_ABNORMALITY = "HP:0000118"
_SYNONYM = re.compile(r'^synonym: "(?P<text>[^"]+)" (?P<scope>EXACT|RELATED|NARROW|BROAD)(?: (?P<type>\w+))?')


@dataclass(frozen=True, slots=True)
class Synonym:
    text: str
    scope: str  # EXACT | RELATED | NARROW | BROAD
    type: str  # "layperson", "plural_form", "uk_spelling", ... or ""


@dataclass(slots=True)
class Term:
    id: str
    name: str = ""
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    obsolete: bool = False


def read_obo(path: Path) -> dict[str, Term]:
    """Every live [Term] of an OBO file by id, with its name, synonyms and is_a parents."""
    terms: dict[str, Term] = {}
    current: Term | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            if current is not None and current.id and not current.obsolete:
                terms[current.id] = current
            current = Term("") if line == "[Term]" else None
        elif current is None:
            continue
        elif line.startswith("id: "):
            current.id = line[4:].strip()
        elif line.startswith("name: "):
            current.name = line[6:].strip()
        elif line.startswith("is_obsolete: true"):
            current.obsolete = True
        elif line.startswith("is_a: "):
            current.parents.append(line[6:].split()[0])
        elif (m := _SYNONYM.match(line)) is not None:
            current.synonyms.append(Synonym(m["text"], m["scope"], m["type"] or ""))
    if current is not None and current.id and not current.obsolete:
        terms[current.id] = current
    return terms


def phenotypic_abnormalities(terms: dict[str, Term]) -> Iterator[Term]:
    """The terms under "Phenotypic abnormality" (HP:0000118), in id order, the root itself left out."""
    children: dict[str, list[str]] = {}
    for t in terms.values():
        for p in t.parents:
            children.setdefault(p, []).append(t.id)
    keep: set[str] = set()
    stack = [PHENOTYPIC_ABNORMALITY]
    while stack:
        tid = stack.pop()
        if tid not in keep:
            keep.add(tid)
            stack.extend(children.get(tid, []))
    keep.discard(PHENOTYPIC_ABNORMALITY)
    for tid in sorted(keep):
        if tid in terms:
            yield terms[tid]
