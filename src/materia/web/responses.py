"""How the site answers: HTML from templates, JSON from typed values (materia.serialise),
errors in one shape, and the security headers every response carries.

Document text is untrusted: templates autoescape everything, and the Content-Security-Policy
forbids inline scripts (only /docs, FastAPI's Swagger UI, is relaxed).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel

from materia.knowledge import KnowledgeBase
from materia.serialise import dumps, to_json
from materia.settings import Settings
from materia.web import views

API = "/api/v1"
TEMPLATES = Path(__file__).parent / "templates"

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


def security_headers(path: str) -> dict[str, str]:
    csp = DOCS_CSP if path in ("/docs", "/docs/oauth2-redirect") else CSP
    return {"Content-Security-Policy": csp, **SECURITY_HEADERS}


class ErrorBody(BaseModel):
    """The one JSON error shape of the API."""

    ok: bool = False
    error: str
    status: int


def api_responses(model: Any) -> dict[int | str, dict[str, Any]]:
    """The documented answers of an API route: `model` (a typed value) or the error shape."""
    return {
        200: {"model": model, "description": "Successful Response"},
        404: {"model": ErrorBody, "description": "Not found"},
        422: {"model": ErrorBody, "description": "Invalid parameters"},
    }


_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> Markup:
    """JSON safe to embed in a <script> element: `</script>` and `<!--` cannot appear."""
    text = json.dumps(to_json(value), ensure_ascii=False, sort_keys=True)
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


def templates() -> Jinja2Templates:
    """The page templates: autoescaped, strict about undefined names, with the view helpers they call."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["script_json"] = script_json
    env.globals.update(evidence_href=views.evidence_href, hit_href=views.hit_href, location_name=views.location_name,
                       snippet_parts=views.snippet_parts, stars=views.stars)
    return Jinja2Templates(env=env)


async def knowledge(request: Request) -> KnowledgeBase:
    """The app's knowledge base (async only so FastAPI calls it inline, not in a worker thread)."""
    kb: KnowledgeBase = request.app.state.kb
    return kb


Knowledge = Annotated[KnowledgeBase, Depends(knowledge)]  # a route parameter: the app's knowledge base


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Template `name` rendered with `context` (plus the settings every page needs)."""
    settings: Settings = request.app.state.settings
    pages: Jinja2Templates = request.app.state.templates
    ctx = {"settings": settings, "max_query": settings.max_query_chars, **context}
    return pages.TemplateResponse(request, name, ctx, status_code=status_code,
                                  headers=security_headers(request.url.path))


def api_json(value: Any) -> Response:
    """A typed value as the API's JSON body (a str is taken as JSON already serialised)."""
    return Response(value if isinstance(value, str) else dumps(value), media_type="application/json")


def error(request: Request, status: int, message: str) -> Response:
    """An error as JSON for the API, as an HTML page otherwise; never a traceback."""
    if request.url.path.startswith(API) or request.url.path == "/openapi.json":
        body = ErrorBody(error=message, status=status).model_dump()
        return JSONResponse(body, status_code=status, headers=security_headers(request.url.path))
    return page(request, "error.html", status_code=status, status=status, message=message)
