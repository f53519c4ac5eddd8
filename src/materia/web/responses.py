"""How the site answers: HTML from templates, JSON from typed values (materia.serialise),
errors in one shape, and the security headers every response carries.

Document text is untrusted: templates autoescape everything, and the Content-Security-Policy
forbids inline scripts (only /docs, FastAPI's Swagger UI, is relaxed).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel
from swagger_ui_bundle import swagger_ui_path

from materia.knowledge import KnowledgeBase
from materia.labels import label
from materia.serialise import dumps, to_json
from materia.settings import Settings
from materia.web import text, views

API = "/api/v1"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# One policy for every page, /docs included: scripts and styles only from this site, never inline.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def security_headers(path: str) -> dict[str, str]:
    """The headers every answer carries (`path` is kept for a page that would need its own policy)."""
    return {"Content-Security-Policy": CSP, **SECURITY_HEADERS}


def static_version() -> str:
    """A short digest of the templates and static files: it versions static URLs and page ETags."""
    digest = hashlib.sha256()
    for folder in (TEMPLATES, STATIC):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(str(swagger_ui_path).encode())  # its folder names the Swagger UI version
    return digest.hexdigest()[:12]


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


def templates(asset_version: str = "") -> Jinja2Templates:
    """The page templates: autoescaped, strict about undefined names, with the view helpers they call.
    `asset_version` is appended to static URLs, so they can be cached for long (static_version())."""
    # finalize: every printed string has its bidi controls shown, not applied (web/text.py)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, finalize=text.finalize)
    env.filters["script_json"] = script_json
    env.filters["source"] = text.inline_source  # a quote from a source: its emphasis kept, no other markup

    def static_url(path: str) -> str:
        return f"{path}?v={asset_version}" if asset_version else path

    env.globals["static_url"] = static_url
    env.globals.update(evidence_href=views.evidence_href, hit_href=views.hit_href, location_name=views.location_name,
                       snippet_parts=views.snippet_parts, stars=views.stars, label=label, claim_text=views.claim_text,
                       limits=views.LIMITS)
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


@dataclass(frozen=True, slots=True)
class Body:
    """A response body kept with its gzip form, compressed once (beside the cached page or JSON it is)
    rather than on every request: a large monograph costs milliseconds to compress."""

    raw: bytes
    gzipped: bytes

    @classmethod
    def of(cls, raw: bytes) -> Body:
        return cls(raw, gzip.compress(raw, compresslevel=6, mtime=0))


def send_body(request: Request, body: Body, media_type: str) -> Response:
    """`body` as the client accepts it: its gzip form when asked for (GZipMiddleware leaves it be)."""
    headers = {**security_headers(request.url.path), "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(body.gzipped, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})
    return Response(body.raw, media_type=media_type, headers=headers)


def api_json(value: Any) -> Response:
    """A typed value as the API's JSON body (a str is taken as JSON already serialised)."""
    return Response(value if isinstance(value, str) else dumps(value), media_type="application/json")


def error(request: Request, status: int, message: str) -> Response:
    """An error as JSON for the API, as an HTML page otherwise; never a traceback."""
    if request.url.path.startswith(API) or request.url.path == "/openapi.json":
        body = ErrorBody(error=message, status=status).model_dump()
        return JSONResponse(body, status_code=status, headers=security_headers(request.url.path))
    return page(request, "error.html", status_code=status, status=status, message=message)
