"""create_app(settings): the server-rendered site and the read-only JSON API under /api/v1.

Pages work without JavaScript. Every response carries a strict Content-Security-Policy
(no inline scripts); errors are an HTML page for pages and one JSON shape for the API,
never a traceback.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Awaitable, Callable

import jinja2
from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from materia.errors import NotFoundError
from materia.settings import Settings
from materia.web import views
from materia.web.backend import KnowledgeBase, StoreKnowledgeBase
from materia.web.plain import script_json, to_plain

HERE = Path(__file__).parent
API = "/api/v1"
MAX_OFFSET = 100_000
log = logging.getLogger("materia.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# /docs is FastAPI's Swagger UI: it needs its inline bootstrap script and CDN assets.
# Only that page gets the relaxed policy; without network it still answers 200.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class ErrorBody(BaseModel):
    """The one JSON error shape of the API."""

    ok: bool = False
    error: str
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Not found"},
    422: {"model": ErrorBody, "description": "Invalid parameters"},
}


def _headers(path: str) -> dict[str, str]:
    csp = DOCS_CSP if path in ("/docs", "/docs/oauth2-redirect") else CSP
    return {"Content-Security-Policy": csp, **SECURITY_HEADERS}


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> FastAPI:
    """Build the app; `kb` defaults to the knowledge base at `settings.db`."""
    settings = settings or Settings.from_env()
    base: KnowledgeBase = kb if kb is not None else StoreKnowledgeBase(settings)
    app = FastAPI(title="materia", version="1", summary="Evidence-traced facts about supplements and medicines "
                  "(read-only). materia informs; it does not advise.")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.ChainableUndefined)
    templates = Jinja2Templates(env=env)
    templates.env.filters["script_json"] = script_json
    templates.env.globals["anchor"] = views.anchor_href
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.settings = settings
    app.state.kb = base

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        ctx = {"settings": settings, "max_query": settings.max_query_chars, **context}
        return templates.TemplateResponse(request, name, ctx, status_code=status, headers=_headers(request.url.path))

    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith(API) or request.url.path == "/openapi.json":
            body = ErrorBody(error=message, status=status).model_dump()
            return JSONResponse(body, status_code=status, headers=_headers(request.url.path))
        return page(request, "error.html", {"status": status, "message": message}, status=status)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in _headers(request.url.path).items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "No such page."
        return error(request, exc.status_code, message)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return error(request, 404, str(exc) or "Not found.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ())[1:]) or "request"
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return error(request, 422, "; ".join(parts) or "Invalid request.")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error(request, 500, "Internal error; the details are in the server log.")

    q_page = Query("", max_length=settings.max_query_chars, description="Search words")
    q_api = Query(..., min_length=1, max_length=settings.max_query_chars, description="Search words")
    limit_q = Query(settings.page_size, ge=1, le=settings.page_size)
    offset_q = Query(0, ge=0, le=MAX_OFFSET)
    doc_id_p = PathParam(..., ge=1, le=2**62)

    # ---- pages -----------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return page(request, "home.html", {"substances": to_plain(base.list_substances())})

    @app.get("/substances/{name}", response_class=HTMLResponse, include_in_schema=False)
    def monograph_page(request: Request, name: str) -> HTMLResponse:
        def render() -> bytes:
            return bytes(_monograph_page(request, name).body)
        cached = getattr(base, "cached", None)
        body = cached("monograph_html", name, render) if cached else render()
        return HTMLResponse(body, headers=_headers(request.url.path))

    def _monograph_page(request: Request, name: str) -> HTMLResponse:
        mono = to_plain(base.monograph(name))
        # The monograph already carries its conflicts; ask separately only if it does not.
        conflicts = mono.get("conflicts") if isinstance(mono, dict) and "conflicts" in mono else to_plain(
            base.conflicts(name))
        reports = base.reports(name) if hasattr(base, "reports") else []
        model = views.monograph_view(mono, conflicts, to_plain(reports))
        return page(request, "monograph.html", {"m": model, "jsonld": views.jsonld(model)})

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: int = doc_id_p) -> HTMLResponse:
        doc = to_plain(base.get_document(doc_id))
        evidence = base.evidence_spans(doc_id) if hasattr(base, "evidence_spans") else []
        return page(request, "document.html", {"d": views.document_view(doc, evidence)})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = q_page, offset: int = offset_q) -> HTMLResponse:
        q = q.strip()
        hits = to_plain(base.search(q, settings.page_size, offset)) if q else []
        return page(request, "search.html", {"q": q, "hits": views.hits_view(hits, q), "offset": offset,
                                             "page_size": settings.page_size})

    # ---- API -------------------------------------------------------------------
    @app.get(f"{API}/substances", tags=["substances"], responses=ERRORS)
    def api_substances() -> list[dict[str, Any]]:
        """Every substance with its counts of sources, statements and reports."""
        return to_plain(base.list_substances())  # type: ignore[no-any-return]

    @app.get(f"{API}/substances/{{name}}", tags=["substances"], responses=ERRORS)
    def api_monograph(name: str) -> dict[str, Any]:
        """The monograph of one substance: every statement with its sources and spans."""
        return to_plain(base.monograph(name))  # type: ignore[no-any-return]

    @app.get(f"{API}/substances/{{name}}/conflicts", tags=["substances"], responses=ERRORS)
    def api_conflicts(name: str) -> list[dict[str, Any]]:
        """Where sources disagree about this substance, with both sides."""
        return to_plain(base.conflicts(name))  # type: ignore[no-any-return]

    @app.get(f"{API}/documents/{{doc_id}}", tags=["documents"], responses=ERRORS)
    def api_document(doc_id: int = doc_id_p) -> dict[str, Any]:
        """One source document: its text and the items extracted from it, with spans."""
        return to_plain(base.get_document(doc_id))  # type: ignore[no-any-return]

    @app.get(f"{API}/search", tags=["search"], responses=ERRORS)
    def api_search(q: str = q_api, limit: int = limit_q, offset: int = offset_q) -> list[dict[str, Any]]:
        """Substances, statements and documents matching `q`."""
        return to_plain(base.search(q, limit, offset))  # type: ignore[no-any-return]

    return app


def serve(host: str = "127.0.0.1", port: int = 8000, db: str | None = None) -> None:
    """Run the site with uvicorn (the `materia serve` command)."""
    import uvicorn

    settings = Settings.from_env(db=db)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
