"""One source document with every extracted item marked (/documents/{id}, /api/v1/documents/{id})."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from materia.knowledge import StoredDocument
from materia.web import views
from materia.web.responses import API, Knowledge, api_json, api_responses, page

DocId = Annotated[int, Path(ge=1, le=2**62)]


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: DocId, kb: Knowledge) -> HTMLResponse:
        return page(request, "document.html", d=views.document_page(kb.document(doc_id)))

    @r.get(f"{API}/documents/{{doc_id}}", tags=["documents"], responses=api_responses(StoredDocument))
    def api_document(doc_id: DocId, kb: Knowledge) -> Response:
        """One source document: its text and the items extracted from it, with spans."""
        return api_json(kb.document(doc_id))

    return r
