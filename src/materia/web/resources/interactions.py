"""The interaction checker: every pairwise interaction the sources state among several products
(/interactions, a form; /api/v1/interactions?s=A&s=B). Both render `KnowledgeBase.interactions`."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import StringConstraints

from materia.knowledge import InteractionReport, KnowledgeBase
from materia.knowledge.interactions import NOTHING_KNOWN
from materia.settings import Settings
from materia.web.responses import API, Knowledge, api_json, api_responses, page

MAX_PRODUCTS = 12  # 66 pairs: enough for a medicine cabinet, bounded for the server
MAX_NAME_CHARS = 200  # the API's longest product name (the page takes the settings' query length)
ProductName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
FORM_FIELDS = 4  # empty fields the form offers, beyond those already filled
_SEPARATORS = re.compile(r"[,;\n\r]+")
# The DDI 2013 types, in words for the page
TYPE_WORDS = {"mechanism": "changes how the body handles it (levels, clearance)",
              "effect": "changes or adds to its effect", "advise": "a recommendation about taking them together",
              "int": "an interaction, without detail"}


def product_names(values: Sequence[str]) -> tuple[str, ...]:
    """The distinct product names in the `s` values, each of which may hold several separated by commas,
    semicolons or lines (a pasted list), blanks dropped, first spelling kept."""
    names: dict[str, str] = {}
    for value in values:
        for name in _SEPARATORS.split(value):
            name = " ".join(name.split())
            if name:
                names.setdefault(name.casefold(), name)
    return tuple(names.values())


def problem(names: Sequence[str], settings: Settings) -> str | None:
    """Why these names cannot be checked, or None."""
    if len(names) < 2:
        return "Name at least two different products to check."
    if len(names) > MAX_PRODUCTS:
        return f"Name at most {MAX_PRODUCTS} products at once."
    long = next((n for n in names if len(n) > settings.max_query_chars), None)
    if long is not None:
        return f"A product name is longer than {settings.max_query_chars} characters."
    return None


@dataclass(frozen=True, slots=True)
class CheckerPage:
    """The checker page: the form's fields, why nothing was checked (if so), and the report with the
    sentence said of each pair nothing is known about."""

    fields: tuple[str, ...]
    message: str | None
    report: InteractionReport | None
    nothing_known: tuple[str, ...]
    type_words: dict[str, str]


def checker_page(kb: KnowledgeBase, names: tuple[str, ...], settings: Settings) -> CheckerPage:
    fields = names + ("",) * max(FORM_FIELDS - len(names), 1)
    message = problem(names, settings) if names else None
    report = kb.interactions(names) if names and message is None else None
    said = tuple(NOTHING_KNOWN.format(a=a, b=b) for a, b in report.nothing_known) if report else ()
    return CheckerPage(fields, message, report, said, TYPE_WORDS)


def router(settings: Settings) -> APIRouter:
    r = APIRouter()
    s_page = Query([], description="Product names; one per field, or several separated by commas")
    s_api = Query(..., min_length=2, max_length=MAX_PRODUCTS,
                  description="Product names (substances, brands, drug classes, foods), at least two")

    @r.get("/interactions", response_class=HTMLResponse, include_in_schema=False)
    def interactions_page(request: Request, kb: Knowledge, s: list[str] = s_page) -> HTMLResponse:
        c = checker_page(kb, product_names(s[:MAX_PRODUCTS * 4]), settings)
        return page(request, "interactions.html", c=c)

    @r.get(f"{API}/interactions", tags=["interactions"], responses=api_responses(InteractionReport))
    def api_interactions(kb: Knowledge, s: list[ProductName] = s_api) -> Response:
        """Every pairwise interaction the sources state among the named products, strongest first, each
        with its sources (the sentence, its span, the source's grade); the names the knowledge base has no
        record of; the pairs nothing is known about, which does not mean they are safe together. Names
        are compared without case and blanks are dropped: one product named twice makes no pair."""
        return api_json(kb.interactions(product_names(s)))

    return r
