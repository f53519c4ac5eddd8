"""The web site and JSON API: `create_app(settings)` builds it, `serve(...)` runs it with uvicorn."""
from __future__ import annotations

from materia.web.app import create_app, serve

__all__ = ["create_app", "serve"]
