"""Fixtures for the web tests: a temp SQLite knowledge base holding the seeds plus a hostile document."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette nags about httpx vs httpx2 on import; httpx is pinned
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from materia.settings import Settings

HOSTILE = (
    "L-Glutamine notes\n\n"
    "L-glutamine <script>alert(1)</script> may cause nausea and bloating in some people. "
    'Take 5 g a day "><img src=x onerror=alert(1)> with food.\n'
)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, seeds: dict[str, Path]) -> Settings:
    from materia.pipeline import ingest
    from materia.store import connect

    root = tmp_path_factory.mktemp("web")
    hostile = root / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    settings = Settings.from_env(environ={}, db=str(root / "kb.sqlite"), page_size=20, max_query_chars=100)
    store = connect(settings.db)
    try:
        ingest(store, [str(p) for p in seeds.values()] + [str(hostile)], settings)
    finally:
        store.close()
    return settings


@pytest.fixture(scope="session")
def client(web_db: Settings) -> TestClient:
    from materia.web import create_app

    with TestClient(create_app(web_db), raise_server_exceptions=False) as c:
        yield c  # type: ignore[misc]
