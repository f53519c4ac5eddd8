"""Substances: the list (home page, /api/v1/substances) and one monograph (/substances/{name},
/api/v1/substances/{name})."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from materia.knowledge import Monograph, SubstanceSummary
from materia.knowledge.export import jsonld
from materia.serialise import dumps
from materia.web import views
from materia.web.responses import API, Knowledge, api_json, api_responses, page, security_headers


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, kb: Knowledge) -> HTMLResponse:
        return page(request, "home.html", substances=kb.substances())

    @r.get(f"{API}/substances", tags=["substances"], responses=api_responses(list[SubstanceSummary]))
    def api_substances(kb: Knowledge) -> Response:
        """Every substance with its counts of sources, statements and reports."""
        return api_json(kb.substances())

    @r.get("/substances/{name}", response_class=HTMLResponse, include_in_schema=False)
    def monograph_page(request: Request, name: str, kb: Knowledge) -> HTMLResponse:
        def render() -> bytes:
            m = kb.monograph(name)
            return bytes(page(request, "monograph.html", m=m, p=views.monograph_page(m), jsonld=jsonld(m)).body)
        # The rendered page is cached beside the monograph, so it goes stale exactly when the data does.
        return HTMLResponse(kb.cached("monograph_html", name, render), headers=security_headers(request.url.path))

    @r.get(f"{API}/substances/{{name}}", tags=["substances"], responses=api_responses(Monograph))
    def api_monograph(name: str, kb: Knowledge) -> Response:
        """The monograph of one substance: every statement with its sources and spans."""
        # Serialised once per data version, like the page: a large monograph is megabytes of JSON.
        return api_json(kb.cached("monograph_json", name, lambda: dumps(kb.monograph(name))))

    return r
