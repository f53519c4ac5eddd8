"""Search: substances, statements and documents matching a query (/search, /api/v1/search)."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from materia.knowledge import SearchHit
from materia.settings import Settings
from materia.web.responses import API, Knowledge, api_json, api_responses, page

MAX_OFFSET = 100_000


def router(settings: Settings) -> APIRouter:
    """The routes; the query length and page size they accept come from `settings`."""
    r = APIRouter()
    q_page = Query("", max_length=settings.max_query_chars, description="Search words")
    q_api = Query(..., min_length=1, max_length=settings.max_query_chars, description="Search words")
    limit_q = Query(settings.page_size, ge=1, le=settings.page_size)
    offset_q = Query(0, ge=0, le=MAX_OFFSET)

    @r.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, kb: Knowledge, q: str = q_page, offset: int = offset_q) -> HTMLResponse:
        q = q.strip()
        hits = kb.search(q, settings.page_size, offset) if q else ()
        return page(request, "search.html", q=q, hits=hits, offset=offset, page_size=settings.page_size)

    @r.get(f"{API}/search", tags=["search"], responses=api_responses(list[SearchHit]))
    def api_search(kb: Knowledge, q: str = q_api, limit: int = limit_q, offset: int = offset_q) -> Response:
        """Substances, statements and documents matching `q`."""
        return api_json(kb.search(q, limit, offset))

    return r
