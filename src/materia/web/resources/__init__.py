"""One module per resource. Each route pair reads one typed value from the KnowledgeBase and
renders it twice: as an HTML page and, under /api/v1, as JSON (so page and API cannot drift)."""
from __future__ import annotations

from fastapi import APIRouter

from materia.settings import Settings
from materia.web.resources import conflicts, documents, interactions, search, substances


def routers(settings: Settings) -> list[APIRouter]:
    return [substances.router(), conflicts.router(), documents.router(), search.router(settings),
            interactions.router(settings)]
