"""Search: substances, statements and documents matching a query (/search, /api/v1/search).

A search runs in a worker thread within a QueryBudget of `settings.search_seconds`: past it the answer
is partial and says so. While it runs, the request watches its client: one that leaves cancels the
budget, which stops the query in the database (SQLite's progress handler, a PostgreSQL cancel request),
so nobody's abandoned search keeps a core busy. `Searches.cancel_all` stops every running search at
once (the server calls it when it is told to stop).
"""
from __future__ import annotations

import threading

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from materia.knowledge import KnowledgeBase, SearchResults
from materia.settings import Settings
from materia.store import QueryBudget
from materia.web import views
from materia.web.responses import API, Knowledge, api_json, api_responses, page

MAX_OFFSET = 100_000
DISCONNECT_POLL = 0.05  # seconds between two looks at whether the client is still there


class Searches:
    """The budgets of the searches running now, so they can all be stopped at once."""

    def __init__(self) -> None:
        self._running: set[QueryBudget] = set()
        self._lock = threading.Lock()

    def add(self, budget: QueryBudget) -> None:
        with self._lock:
            self._running.add(budget)

    def discard(self, budget: QueryBudget) -> None:
        with self._lock:
            self._running.discard(budget)

    def cancel_all(self) -> None:
        with self._lock:
            running = list(self._running)
        for budget in running:
            budget.cancel()


async def run_search(request: Request, kb: KnowledgeBase, q: str, limit: int, offset: int,
                     seconds: float) -> SearchResults:
    """`kb.search` in a worker thread, cancelled when the client goes away (or the server stops)."""
    budget = QueryBudget(seconds)
    searches: Searches = request.app.state.searches

    async def watch() -> None:
        while not budget.cancelled:
            await anyio.sleep(DISCONNECT_POLL)
            if await request.is_disconnected():
                budget.cancel()

    searches.add(budget)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch)
            results = await anyio.to_thread.run_sync(lambda: kb.search(q, limit, offset, budget))
            tasks.cancel_scope.cancel()
    finally:
        searches.discard(budget)
    return results


def router(settings: Settings) -> APIRouter:
    """The routes; the query length, page size and time limit they use come from `settings`."""
    r = APIRouter()
    q_page = Query("", max_length=settings.max_query_chars, description="Search words")
    q_api = Query(..., min_length=1, max_length=settings.max_query_chars, description="Search words")
    limit_q = Query(settings.page_size, ge=1, le=settings.page_size)
    offset_q = Query(0, ge=0, le=MAX_OFFSET)

    @r.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(request: Request, kb: Knowledge, q: str = q_page, offset: int = offset_q) -> HTMLResponse:
        q = q.strip()
        results = await run_search(request, kb, q, settings.page_size, offset, settings.search_seconds) if q else None
        return page(request, "search.html", q=q, results=results,
                    groups=views.search_groups(results.hits) if results else ())

    @r.get(f"{API}/search", tags=["search"], responses=api_responses(SearchResults))
    async def api_search(request: Request, kb: Knowledge, q: str = q_api, limit: int = limit_q,
                         offset: int = offset_q) -> Response:
        """Substances named by `q` first, then statements holding every word of `q` (merged: one hit per
        substance, category, name and stance, with how many sources state it; grouped by substance), then
        documents; `statements` and `documents` count every match. Repeated words count once, common words
        are left out, at most eight are searched; `partial` is set when the time limit cut the search short."""
        return api_json(await run_search(request, kb, q, limit, offset, settings.search_seconds))

    return r
