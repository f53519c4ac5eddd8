"""create_app(settings): the server-rendered site and the read-only JSON API under /api/v1.

Pages work without JavaScript. The routes live in web/resources/, one module per resource;
this module wires them to a KnowledgeBase, the templates, the security headers and the
error handlers (an HTML page for pages, one JSON shape for the API, never a traceback).
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from materia.errors import NotFoundError
from materia.knowledge import KnowledgeBase
from materia.settings import Settings
from materia.web.resources import routers
from materia.web.responses import error, security_headers, templates

log = logging.getLogger("materia.web")


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> FastAPI:
    """The app over `kb`, by default the knowledge base at `settings.db` (opened now, closed at shutdown)."""
    settings = settings or Settings.from_env()
    own = kb is None
    base = KnowledgeBase.open(settings.db) if kb is None else kb

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if own:  # a knowledge base handed in stays its owner's to close
            base.close()

    app = FastAPI(title="materia", version="1", summary="Evidence-traced facts about supplements and medicines "
                  "(read-only). materia informs; it does not advise.", lifespan=lifespan)
    app.state.settings = settings
    app.state.kb = base
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    for router in routers(settings):
        app.include_router(router)
    _handle_errors(app)

    @app.middleware("http")
    async def add_security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in security_headers(request.url.path).items():
            response.headers.setdefault(key, value)
        return response

    return app


def _handle_errors(app: FastAPI) -> None:
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


def serve(host: str = "127.0.0.1", port: int = 8000, db: str | None = None) -> None:
    """Run the site with uvicorn (the `materia serve` command)."""
    import uvicorn

    settings = Settings.from_env(db=db)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
