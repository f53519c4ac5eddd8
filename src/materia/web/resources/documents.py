"""One source document with every extracted item marked (/documents/{id}, /api/v1/documents/{id}).
A long document's page shows a window of it (?at=<offset> picks the window around an offset)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from materia.knowledge import StoredDocument
from materia.web import views
from materia.web.public import public_document
from materia.web.responses import API, Knowledge, api_json, api_responses, page

DocId = Annotated[int, Path(ge=1, le=2**62)]
Offset = Annotated[int | None, Query(ge=0, le=2**62, description="Show the part of the text around this offset")]


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: DocId, kb: Knowledge, at: Offset = None) -> HTMLResponse:
        return page(request, "document.html", d=views.document_page(public_document(kb.document(doc_id)), at))

    @r.get(f"{API}/documents/{{doc_id}}", tags=["documents"], responses=api_responses(StoredDocument))
    def api_document(doc_id: DocId, kb: Knowledge) -> Response:
        """One source document: its text and the items extracted from it, with spans; `source` is its
        title (or file name), never a path on the server."""
        return api_json(public_document(kb.document(doc_id)))

    return r
