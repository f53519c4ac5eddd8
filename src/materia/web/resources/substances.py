"""Substances: the list (home page, /api/v1/substances), one monograph (/substances/{name},
/api/v1/substances/{name}), the paged parts of a long monograph (/substances/{name}/{part}) and, in the
API, the pages of one of its sections (/api/v1/substances/{name}/sections/{key})."""
from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from materia.errors import NotFoundError
from materia.knowledge import KnowledgeBase, Monograph, MonographSection, SubstanceSummary
from materia.knowledge.export import jsonld
from materia.serialise import dumps
from materia.web import views
from materia.web.public import public_monograph, source_names, without_paths
from materia.web.responses import API, Body, Knowledge, api_json, api_responses, page, send_body

PARTS = ("usage", "dosage", "side_effects", "mechanism", "precautions", "faq", "reported", "reports", "interactions",
         "sources")
Part = Annotated[str, Path(pattern="^(" + "|".join(PARTS) + ")$")]


def public(kb: KnowledgeBase, name: str) -> Monograph:
    """The monograph as the site shows it: sources named by title, never by server path."""
    return kb.cached("monograph_public", name, lambda: public_monograph(kb.monograph(name)))


def public_head(kb: KnowledgeBase, name: str) -> Monograph:
    """The monograph's first page (each section's first claims, red flags first) as the site shows it: what the
    monograph page prints, read without decoding the whole monograph (megabytes for a large substance)."""
    return kb.cached("monograph_public_head", name, lambda: public_monograph(kb.monograph_head(name)))

SECTION_LIMIT = 50  # most claims one section page holds
PageNo = Annotated[int, Query(ge=1, le=100_000, alias="page", description="Which page of each section (from 1)")]
Limit = Annotated[int, Query(ge=1, le=SECTION_LIMIT, description="Claims per page of each section")]


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, kb: Knowledge) -> Response:
        def render() -> Body:
            return Body.of(bytes(page(request, "home.html", substances=kb.substances()).body))
        return send_body(request, kb.cached("home_html", "", render), "text/html; charset=utf-8")

    @r.get(f"{API}/substances", tags=["substances"], responses=api_responses(list[SubstanceSummary]))
    def api_substances(kb: Knowledge) -> Response:
        """Every substance with its counts of sources, statements and reports."""
        return api_json(kb.substances())

    @r.get("/substances/{name}", response_class=HTMLResponse, include_in_schema=False)
    def monograph_page(request: Request, name: str, kb: Knowledge) -> Response:
        def render() -> Body:
            m = public_head(kb, name)
            return Body.of(bytes(page(request, "monograph.html", m=m, p=views.monograph_page(m),
                                      jsonld=jsonld(m)).body))
        # The rendered page is cached beside the monograph, so it goes stale exactly when the data does.
        return send_body(request, kb.cached("monograph_html", name, render), "text/html; charset=utf-8")

    @r.get("/substances/{name}/{part}", response_class=HTMLResponse, include_in_schema=False)
    def monograph_part(request: Request, name: str, part: Part, kb: Knowledge, page_no: PageNo = 1,
                       ) -> HTMLResponse:
        # the first page of the monograph has all a part needs but a section's later claims (read a page at a
        # time from the stored chunks) and the community reports past its first (the whole monograph)
        whole = part == "reports"
        m = public(kb, name) if whole else public_head(kb, name)
        p = kb.cached("monograph_view" if whole else "monograph_head_view", name, lambda: views.monograph_page(m))
        section = None
        if any(s.key == part for s in m.sections):
            section = without_paths(kb.section(name, part, page_no, views.STATEMENTS_PER_PAGE), source_names(m))
        view = views.part_page(p, part, page_no, section)
        if view is None:
            raise NotFoundError(f"{m.substance} has no page {page_no} of {part.replace('_', ' ')}")
        return page(request, "monograph_part.html", m=m, p=p, v=view)

    @r.get(f"{API}/substances/{{name}}", tags=["substances"], responses=api_responses(Monograph))
    def api_monograph(request: Request, name: str, kb: Knowledge, at: PageNo | None = None,
                      limit: Limit | None = None) -> Response:
        """The monograph of one substance: every statement with its sources (named by title, with the
        document id) and spans. With `page` or `limit`, each section holds only that page of its claims
        (`n_claims` says how many it has)."""
        if at is None and limit is None:
            # Serialised once per data version, like the page: a large monograph is megabytes of JSON.
            body = kb.cached("monograph_json", name, lambda: Body.of(dumps(public(kb, name)).encode()))
            return send_body(request, body, "application/json")
        m = kb.monograph_head(name)
        return api_json(without_paths(dataclasses.replace(m, sections=tuple(
            kb.section(name, s.key, at or 1, limit or SECTION_LIMIT) for s in m.sections)), source_names(m)))

    @r.get(f"{API}/substances/{{name}}/sections/{{key}}", tags=["substances"],
           responses=api_responses(MonographSection))
    def api_section(name: str, key: str, kb: Knowledge, at: PageNo = 1, limit: Limit = SECTION_LIMIT) -> Response:
        """One page of one section of a monograph (usage, dosage, side_effects, mechanism, precautions, faq):
        its claims with every citation; `n_claims` says how many the section has."""
        return api_json(without_paths(kb.section(name, key, at, limit), source_names(kb.monograph_head(name))))

    return r
