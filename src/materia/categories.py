"""The categories of extracted items, each declared once: its value type, the finder that extracts it, how
the store files it, the monograph section its claims go to and the label people read.

    dose          Dose          extract.doses.find               Dosage          "Dose"
    effect        Effect        extract.effects.find             Side Effects    "Side effect"
    red_flag      RedFlag       extract.effects.find_red_flags   Side Effects    "Red flag"
    use           Use           extract.uses.find                Usage           "Use"
    precaution    Precaution    extract.precautions.find         Precautions     "Precaution"
    reference     Reference     extract.references.find          -               "Reference"
    post          Post          extract.posts.find               -               "Report"
    statement     Statement     extract.statements.find          by its topic    "Statement"
    interaction   Interaction   extract.interactions.find        -               "Interaction"

Everything that lists categories reads CATEGORIES: `extract()` runs the finders, the store turns items into
records (`store.serialise.records`), the contract writes one list per category (`extract.contract`), the
monograph places claims in sections (`knowledge.monograph.SECTIONS`), and labels.py names them. A new
category is its finder's module in extract/, its value type in types.py and one entry here.

Finders are named, not imported: extract/ loads vocabularies, and the store and the web read this table
without them (store/ imports nothing from extract/).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from materia.types import (
    Dose,
    Effect,
    Extraction,
    Interaction,
    Post,
    Precaution,
    RedFlag,
    Reference,
    Span,
    Statement,
    Use,
)

__all__ = ["BY_KEY", "CATEGORIES", "Category", "Stored", "items"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stored:
    """How the store files one item: what it is about (name, stance, evidence kind) and the span of the text
    kept as its evidence (None: the item's sentence where it has one, else its own span)."""

    name: str
    stance: str | None = None
    evidence: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Category(Generic[T]):
    """One category of extracted items."""

    key: str  # the stored category and the topic of its claims: "dose"
    field: str  # its field of Extraction and its key in the contract's JSON: "doses"
    type: type[T]  # the frozen value the finder returns (materia.types)
    finder: str  # "module:function"; called as finder(parsed, *needs), it returns the items in text order
    stored: Callable[[T], Stored]
    label: str  # what people read for it (labels.LABELS["topic"])
    # the monograph section its claims go to; None for items that are no claims of a section of their own
    section: str | None = None
    # how its items become claims: one per name ("item"), one per topic, the item's name being its topic
    # ("topic", practical statements), or none at all (references, posts, interactions have pages of their own)
    claims: Literal["item", "topic", "none"] = "item"
    folded_names: bool = False  # claim names folded through knowledge.conditions.canonical across sources
    needs: tuple[str, ...] = ()  # what the finder takes after the parsed document: substance, substances, a field
    contract: bool = True  # written by extract.contract (../shared/contract/EXTRACT.md)

    def find(self) -> Callable[..., Iterable[T]]:
        """The finder function, imported on first use."""
        module, _, name = self.finder.partition(":")
        found: Callable[..., Iterable[T]] = getattr(importlib.import_module(module), name)
        return found


def _reference_name(r: Reference) -> str:
    return r.title or (r.authors[0] if r.authors else f"reference {r.n}")


def _effect_stance(e: Effect) -> str | None:
    return "negated" if e.negated else "hypothetical" if e.hypothetical else None


# In the order the store writes records and the contract lists them.
CATEGORIES: tuple[Category[Any], ...] = (
    Category("dose", "doses", Dose, "materia.extract.doses:find",
             lambda d: Stored(d.context or "dose", "supervised" if d.supervised else None),
             "Dose", section="dosage", needs=("substance",)),
    Category("effect", "effects", Effect, "materia.extract.effects:find",
             lambda e: Stored(e.name, _effect_stance(e)),
             "Side effect", section="side_effects", folded_names=True),
    Category("red_flag", "red_flags", RedFlag, "materia.extract.effects:find_red_flags",
             lambda r: Stored(r.name),
             "Red flag", section="side_effects", folded_names=True),
    Category("use", "uses", Use, "materia.extract.uses:find",
             lambda u: Stored(u.name, u.stance, u.evidence),
             "Use", section="usage", folded_names=True, needs=("references",)),
    Category("precaution", "precautions", Precaution, "materia.extract.precautions:find",
             lambda p: Stored(p.name),
             "Precaution", section="precautions", folded_names=True),
    Category("reference", "references", Reference, "materia.extract.references:find",
             lambda r: Stored(_reference_name(r), str(r.n)),
             "Reference", claims="none"),
    Category("post", "posts", Post, "materia.extract.posts:find",
             lambda p: Stored(p.author or "anonymous", None if p.rating is None else str(p.rating), None,
                              p.body or p.span),
             "Report", claims="none"),
    Category("statement", "statements", Statement, "materia.extract.statements:find",
             lambda s: Stored(s.topic, s.stance),
             "Statement", claims="topic", contract=False),
    Category("interaction", "interactions", Interaction, "materia.extract.interactions:find",
             # "atorvastatin + grapefruit juice"; the span is the sentence saying it
             lambda i: Stored(f"{i.a} + {i.b}", i.type),
             "Interaction", claims="none", needs=("substance", "substances")),
)

BY_KEY: dict[str, Category[Any]] = {c.key: c for c in CATEGORIES}


def items(x: Extraction, category: Category[T]) -> tuple[T, ...]:
    """The items of one category an extraction holds."""
    found: tuple[T, ...] = getattr(x, category.field)
    return found
