"""create_app(settings): the server-rendered site and the read-only JSON API under /api/v1.

Pages work without JavaScript. The routes live in web/resources/, one module per resource;
this module wires them to a KnowledgeBase, the templates, the security headers and the
error handlers (an HTML page for pages, one JSON shape for the API, never a traceback).
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import FrameType

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from materia.errors import NotFoundError
from materia.knowledge import KnowledgeBase
from materia.settings import Settings
from materia.web import docs
from materia.web.middleware import Caching, HeadAsGet, RelativeRedirects, UrlLimit
from materia.web.resources import routers
from materia.web.resources.search import Searches
from materia.web.responses import STATIC, error, security_headers, static_version, templates

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

    # /docs is ours (docs.py, served offline); ReDoc is not offered
    app = FastAPI(title="materia", version="1", summary="Evidence-traced facts about supplements and medicines "
                  "(read-only). materia informs; it does not advise.", lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.kb = base
    app.state.searches = Searches()  # running searches, stopped together when the server stops
    code = static_version()  # pages change with the data and with the templates and code that draw them
    app.state.templates = templates(code)
    app.mount(docs.SWAGGER_URL, StaticFiles(directory=str(docs.swagger_files())), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for router in [*routers(settings), docs.router()]:
        app.include_router(router)
    _handle_errors(app)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:  # for clients that ask before reading the page's icon link
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.middleware("http")
    async def add_security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in security_headers(request.url.path).items():
            response.headers.setdefault(key, value)
        return response

    app.add_middleware(Caching, version=lambda: f"{code} {base.data_version()}")
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(RelativeRedirects)
    app.add_middleware(HeadAsGet)
    app.add_middleware(UrlLimit)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.host_names)  # outermost: checked first
    return app


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "No such page."
        response = error(request, exc.status_code, message)
        allow = (exc.headers or {}).get("Allow")
        if allow is not None:  # 405: what the route does answer; HEAD wherever GET is (HeadAsGet)
            methods = [m.strip() for m in allow.split(",")]
            response.headers["Allow"] = ", ".join([*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods
                                                  else methods)
        return response

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


SHUTDOWN_SECONDS = 3  # after SIGTERM, how long requests may still take before they are cancelled


def serve(host: str = "127.0.0.1", port: int = 8000, db: str | None = None) -> None:
    """Run the site with uvicorn (the `materia serve` command). On SIGTERM or Ctrl-C it stops taking
    requests, stops every running search at once and lets the others finish for SHUTDOWN_SECONDS at most."""
    import uvicorn

    app = create_app(Settings.from_env(db=db))

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            app.state.searches.cancel_all()
            super().handle_exit(sig, frame)

    Server(uvicorn.Config(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=SHUTDOWN_SECONDS,
                          h11_max_incomplete_event_size=MAX_REQUEST_HEAD)).run()


# uvicorn's h11 buffers a request head up to this size (its default, 16 KiB, cuts the connection on a
# longer URL); UrlLimit then answers an over-long URL 414. Larger heads still get h11's 400.
MAX_REQUEST_HEAD = 4 * 1024 * 1024
