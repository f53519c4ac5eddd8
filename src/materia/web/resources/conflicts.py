"""Where the sources about a substance disagree (/api/v1/substances/{name}/conflicts; the
monograph page shows the same conflicts, which its monograph carries)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from materia.knowledge import Conflict
from materia.web.public import public_conflicts
from materia.web.responses import API, Knowledge, api_json, api_responses


def router() -> APIRouter:
    r = APIRouter()

    @r.get(f"{API}/substances/{{name}}/conflicts", tags=["substances"], responses=api_responses(list[Conflict]))
    def api_conflicts(name: str, kb: Knowledge) -> Response:
        """Where sources disagree about this substance, with both sides (sources named by title)."""
        return api_json(public_conflicts(kb.conflicts(name), kb.monograph(name)))

    return r
