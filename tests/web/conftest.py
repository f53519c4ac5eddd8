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
    # Markdown and a right-to-left override (U+202E, closed by U+202C) that would show "50 g a day" reversed;
    # an effect no seed names, so its statement quotes this sentence whatever order the sources sort in
    "**Oral:** L-glutamine may cause *tinnitus* in some people, at 1 g a day \u202eyad a g 05\u202c at most.\n"
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


STATIN_LABEL = ("Avoid LIPITOR with strong CYP3A4 inhibitors. "
                "Clarithromycin raised atorvastatin levels fourfold. "
                "Do not take <script>alert(1)</script> grapefruit juice with it.")


@pytest.fixture(scope="session")
def interactions_db(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A knowledge base of one label stating interactions by hand (a class, a drug, a hostile food sentence)
    and an article about zinc, which states none."""
    from materia.store import connect
    from materia.types import Document, Extraction, Interaction, Span

    root = tmp_path_factory.mktemp("interactions")
    settings = Settings.from_env(environ={}, db=str(root / "kb.sqlite"), page_size=20, max_query_chars=100)
    label = Document(source=str(root / "lipitor.xml"), sha256="1", text=STATIN_LABEL, kind="label", format="spl",
                     title="Lipitor (atorvastatin calcium) tablets")
    food = STATIN_LABEL.index("Do not")
    with connect(settings.db) as store:
        store.put(Extraction(document=label, substance="atorvastatin", interactions=(
            Interaction("atorvastatin", Span(6, 13), "strong CYP3A4 inhibitors", Span(19, 43), "advise", Span(0, 44),
                        "major", "class", ("CYP3A4",), "avoid"),
            Interaction("atorvastatin", Span(66, 78), "clarithromycin", Span(45, 59), "mechanism", Span(45, 96)),
            Interaction("atorvastatin", Span(food, food + 6), "grapefruit juice",
                        Span(STATIN_LABEL.index("grapefruit"), STATIN_LABEL.index(" with it")), "advise",
                        Span(food, len(STATIN_LABEL)), "moderate", "food"))))
        zinc = Document(source=str(root / "zinc.md"), sha256="2", text="Zinc notes.", kind="article", format="text")
        store.put(Extraction(document=zinc, substance="zinc"))
    return settings


@pytest.fixture(scope="session")
def interactions_client(interactions_db: Settings) -> TestClient:
    from materia.web import create_app

    with TestClient(create_app(interactions_db), raise_server_exceptions=False) as c:
        yield c  # type: ignore[misc]
