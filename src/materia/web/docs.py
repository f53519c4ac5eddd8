"""The API documentation at /docs: Swagger UI served from the pinned `swagger-ui-bundle-v2` package
(its files under /static/swagger-ui/, its Apache-2.0 licence at /docs/LICENSE), started by
static/docs.js, so the page loads nothing from elsewhere and needs no inline script."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from swagger_ui_bundle import swagger_ui_path

from materia.web.responses import page

SWAGGER_DISTRIBUTION = "swagger-ui-bundle-v2"
SWAGGER_URL = "/static/swagger-ui"


def swagger_files() -> Path:
    """The folder of Swagger UI's dist files, as the package installs them."""
    return Path(str(swagger_ui_path))


def swagger_licence() -> str:
    """The licence Swagger UI is distributed under, as its package ships it."""
    dist = metadata.distribution(SWAGGER_DISTRIBUTION)
    for file in dist.files or ():
        if file.name.upper().startswith("LICEN"):
            return file.read_text(encoding="utf-8")
    raise RuntimeError(f"{SWAGGER_DISTRIBUTION} ships no licence file")  # pragma: no cover


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html", swagger=SWAGGER_URL)

    @r.get("/docs/LICENSE", response_class=PlainTextResponse, include_in_schema=False)
    def licence() -> PlainTextResponse:
        return PlainTextResponse(swagger_licence())

    return r
