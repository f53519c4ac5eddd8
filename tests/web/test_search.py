"""The search resource (/search, /api/v1/search) and the paged monograph sections, against the seeds'
knowledge base; the time limit and the client leaving, with a knowledge base that waits."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import anyio
import pytest
from fastapi.testclient import TestClient

from materia.knowledge import KnowledgeBase, SearchResults
from materia.knowledge.summaries import HEAD_CLAIMS
from materia.settings import Settings
from materia.store import QueryBudget, connect
from materia.types import Document, Extraction
from materia.web import create_app
from materia.web.resources.search import Searches, run_search

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def test_search_page_groups_by_substance_and_links_the_sentence(client: TestClient) -> None:
    page = client.get("/search", params={"q": "diarrhoea"}).text
    assert re.search(r"\d+ statements? and \d+ documents? match", page)
    assert '<h2><a href="/substances/glutamine">glutamine</a></h2>' in page
    links = re.findall(r'<a href="/documents/(\d+)#(span-\d+-\d+)">', page)
    assert links, "statement hits lead to their sentence"
    doc_id, anchor = links[0]
    assert f'<mark id="{anchor}"' in client.get(f"/documents/{doc_id}").text
    assert re.search(r'<span class="count">\d+ sources?</span>', page)


def test_search_api_answers_one_shape(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "Diarrhoea diarrhoea DIARRHOEA"}).json()
    assert body["terms"] == ["diarrhoea"] and body["statements"] > 0 and body["partial"] is False
    assert {"kind", "title", "snippet", "substance", "document_id", "item_id", "span", "n_sources"} == set(body["hits"][0])
    keys = [(h["substance"], h["title"]) for h in body["hits"] if h["kind"] == "statement"]
    assert len(keys) == len(set(keys))  # merged: one hit per statement of a substance


@pytest.mark.parametrize("q", ["a a a a a a a a", "the the", "the " * 20])
def test_search_common_words_only_answer_at_once(client: TestClient, q: str) -> None:
    body = client.get("/api/v1/search", params={"q": q.strip()}).json()
    assert body["hits"] == [] and body["terms"] == [] and "common word" in body["note"]
    assert "common word" in client.get("/search", params={"q": q.strip()}).text


def test_search_past_the_time_limit_says_so(web_db: Settings) -> None:
    hurried = Settings.from_env(environ={}, db=web_db.db, search_seconds=1e-9)
    with TestClient(create_app(hurried)) as c:
        body = c.get("/api/v1/search", params={"q": "diarrhoea"}).json()
        assert body["partial"] is True and "longer than" in body["note"]
        assert 'class="note partial"' in c.get("/search", params={"q": "diarrhoea"}).text


def test_search_brand_name_leads_to_its_substance(tmp_path: Path) -> None:
    settings = Settings.from_env(environ={}, db=str(tmp_path / "kb.sqlite"))
    with connect(settings.db) as store:
        doc = Document(source="/kb/a.xml", sha256="1", text="Atorvastatin lowers LDL.", kind="label",
                       format="text", title="Atorvastatin calcium tablets")
        store.put(Extraction(document=doc, substance="atorvastatin"))
        KnowledgeBase(store).refresh_summaries()
    with TestClient(create_app(settings)) as c:
        first = c.get("/api/v1/search", params={"q": "Lipitor"}).json()["hits"][0]
        assert (first["kind"], first["substance"]) == ("substance", "atorvastatin")
        assert '<a href="/substances/atorvastatin">atorvastatin</a>' in c.get("/search", params={"q": "lipitor"}).text
        assert c.get("/substances/lipitor").status_code == 200


class _Waiting(KnowledgeBase):
    """A knowledge base whose search runs until its budget is cancelled (a query that would stall)."""

    def __init__(self) -> None:  # no store: only search is called
        self.budgets: list[QueryBudget] = []

    def search(self, query: str, limit: int = 20, offset: int = 0, budget: QueryBudget | None = None) -> SearchResults:
        assert budget is not None
        self.budgets.append(budget)
        while not budget.cancelled:
            budget._cancelled.wait(0.01)
        return SearchResults(query, (query,), (), 0, 0, partial=True, note="the search was stopped")


class _Leaving:
    """A request whose client goes away after a few looks."""

    def __init__(self, searches: Searches, looks: int) -> None:
        self.app = SimpleNamespace(state=SimpleNamespace(searches=searches))
        self.looks = looks

    async def is_disconnected(self) -> bool:
        self.looks -= 1
        return self.looks < 0


def test_search_client_leaving_stops_the_query() -> None:
    kb, searches = _Waiting(), Searches()

    async def main() -> SearchResults:
        return await run_search(_Leaving(searches, 3), kb, "headache", 20, 0, 3600)  # type: ignore[arg-type]

    results = anyio.run(main)
    assert results.partial and kb.budgets[0].cancelled
    assert not searches._running  # nothing left to stop


def test_search_server_stopping_stops_every_query() -> None:
    kb, searches = _Waiting(), Searches()

    async def main() -> list[SearchResults]:
        out: list[SearchResults] = []

        async def one() -> None:
            out.append(await run_search(_Leaving(searches, 10**9), kb, "x", 20, 0, 3600))  # type: ignore[arg-type]

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(one)
            tasks.start_soon(one)
            while len(kb.budgets) < 2:
                await anyio.sleep(0.01)
            searches.cancel_all()
        return out

    assert [r.partial for r in anyio.run(main)] == [True, True]


def test_sections_page_through_a_long_section(client: TestClient) -> None:
    mono = client.get("/api/v1/substances/glutamine").json()
    usage = next(s for s in mono["sections"] if s["key"] == "usage")
    assert usage["n_claims"] > HEAD_CLAIMS
    first = client.get("/api/v1/substances/glutamine/sections/usage", params={"limit": 5}).json()
    second = client.get("/api/v1/substances/glutamine/sections/usage", params={"limit": 5, "page": 2}).json()
    assert first["claims"] + second["claims"] == usage["claims"][:10] and first["n_claims"] == usage["n_claims"]
    paged = client.get("/api/v1/substances/glutamine", params={"limit": 3}).json()
    assert [len(s["claims"]) for s in paged["sections"]] == [min(3, s["n_claims"]) for s in mono["sections"]]
    assert client.get("/api/v1/substances/glutamine/sections/nonsense").status_code == 404
    assert client.get("/api/v1/substances/glutamine/sections/usage", params={"page": 0}).status_code == 422
