"""The interaction checker on the web: /interactions (a form, no JavaScript), /api/v1/interactions, and the
Interactions section of each monograph page."""
from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from materia.settings import Settings
from materia.web.resources.interactions import product_names

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

NOT_SAFE = "this does not mean the combination is safe"


def test_interactions_api_pairs_with_sources_and_nothing_known(interactions_client: TestClient) -> None:
    r = interactions_client.get("/api/v1/interactions", params=[("s", "Lipitor"), ("s", "biaxin"), ("s", "zinc")])
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert [(n["asked"], n["names"], n["known"]) for n in body["names"]] == [
        ("Lipitor", ["atorvastatin"], True), ("biaxin", ["clarithromycin"], True), ("zinc", ["zinc"], True)]
    pair = body["pairs"][0]
    assert (pair["a"], pair["b"], pair["severity"], pair["grade"]) == ("atorvastatin", "clarithromycin", "major",
                                                                        "high")
    assert [s["span"] for s in pair["sources"]] == [[0, 44], [45, 96]]
    assert pair["sources"][0]["via_class"]["class_name"] == "strong CYP3A4 inhibitors"
    assert body["nothing_known"] == [["Lipitor", "zinc"], ["biaxin", "zinc"]] and body["unknown"] == []


@pytest.mark.parametrize("params", [[("s", "lipitor")], [("s", "a")] + [("s", f"drug{n}") for n in range(12)],
                                    [("s", "x" * 201), ("s", "y")], [("s", ""), ("s", "y")]])
def test_interactions_api_refuses_what_it_cannot_check_in_the_error_shape(interactions_client: TestClient,
                                                                          params: list[tuple[str, str]]) -> None:
    r = interactions_client.get("/api/v1/interactions", params=params)
    assert r.status_code == 422
    assert r.json()["ok"] is False and r.json()["status"] == 422


def test_interactions_api_one_product_named_twice_makes_no_pair(interactions_client: TestClient) -> None:
    body = interactions_client.get("/api/v1/interactions", params=[("s", "lipitor"), ("s", "LIPITOR ")]).json()
    assert [n["asked"] for n in body["names"]] == ["lipitor"]
    assert body["pairs"] == [] and body["nothing_known"] == []


def test_interactions_api_is_typed_in_openapi(interactions_client: TestClient) -> None:
    spec = interactions_client.get("/openapi.json").json()
    answer = spec["paths"]["/api/v1/interactions"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/InteractionReport"}
    schemas = spec["components"]["schemas"]
    assert {"names", "pairs", "unknown", "nothing_known"} <= set(schemas["InteractionReport"]["properties"])
    assert {"a", "b", "type", "severity", "sources", "conflicts"} <= set(schemas["InteractionPair"]["properties"])
    assert "interactions" in schemas["Monograph"]["properties"]


def test_interactions_page_form_results_and_links_to_the_sentence(interactions_client: TestClient) -> None:
    r = interactions_client.get("/interactions", params=[("s", "lipitor, itraconazole"), ("s", "zinc")])
    assert r.status_code == 200
    page = r.text
    assert '<form class="checker-form" action="/interactions" method="get">' in page
    assert re.findall(r'<input id="s\d+" name="s" type="text" maxlength="100" value="([^"]*)">', page)[:3] == [
        "lipitor", "itraconazole", "zinc"]
    assert "<script" not in page.replace("&lt;script", "")  # no script of ours; the hostile one is text
    assert "materia informs; it does not advise" in page
    assert "That does not mean the combination is safe." in page
    text = unescape(re.sub(r"<[^>]+>", " ", page))
    assert "atorvastatin + itraconazole (lipitor + itraconazole)" in " ".join(text.split())
    assert "itraconazole is among the strong CYP3A4 inhibitors — class membership from US FDA" in text
    hrefs = re.findall(r'href="(/documents/\d+#span-0-44)"', page)
    assert hrefs, "a source links to its sentence"
    doc = interactions_client.get(hrefs[0].split("#")[0]).text
    assert 'id="span-0-44"' in doc
    assert f"lipitor and zinc in its sources; {NOT_SAFE}" in " ".join(text.split())
    assert interactions_client.get("/interactions").status_code == 200
    assert "Content-Security-Policy" in r.headers and "unsafe-inline" not in r.headers["Content-Security-Policy"]


def test_interactions_page_escapes_the_sources_text(interactions_client: TestClient) -> None:
    page = interactions_client.get("/interactions", params=[("s", "atorvastatin"), ("s", "grapefruit juice"),
                                                            ("s", '"><b>x</b>')]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_interactions_page_asks_for_two_products(interactions_client: TestClient) -> None:
    page = interactions_client.get("/interactions", params=[("s", "lipitor")]).text
    assert "Name at least two different products to check." in page and 'id="results"' not in page


def test_interactions_monograph_page_has_its_section(interactions_client: TestClient) -> None:
    page = interactions_client.get("/substances/lipitor").text
    section = page[page.index('<section id="interactions"'):]
    section = section[:section.index("</section>")]
    assert "strong CYP3A4 inhibitors" in section and "label · major" in section
    assert 'href="/documents/' in section and "#span-0-44" in section
    assert "not known to be safe" in section and 'href="/interactions?s=atorvastatin"' in section
    assert "&lt;script&gt;" in section


def test_interactions_monograph_page_shows_the_first_pairs_and_pages_the_rest(interactions_db: Settings,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A substance with many interactions: the page lists the first ones and links to their own pages,
    which list every pair with every source."""
    from materia.web import create_app, views

    monkeypatch.setitem(views.LIMITS, "statements", 1)
    monkeypatch.setattr(views, "STATEMENTS_PER_PAGE", 1)
    with TestClient(create_app(interactions_db)) as interactions_client:  # its own page cache
        _first_pairs_and_the_rest(interactions_client)


def _first_pairs_and_the_rest(interactions_client: TestClient) -> None:
    page = interactions_client.get("/substances/lipitor").text
    section = page[page.index('<section id="interactions"'):]
    section = section[:section.index("</section>")]
    n = section.count('<li class="statement">')
    assert n == 1 and 'href="/substances/atorvastatin/interactions"' in section and "All " in section
    first = interactions_client.get("/substances/atorvastatin/interactions")
    second = interactions_client.get("/substances/atorvastatin/interactions?page=2")
    assert first.status_code == second.status_code == 200
    assert 'rel="next"' in first.text and "not known to be safe" in second.text
    listed = [t for t in (first.text, second.text) if '<li class="statement">' in t]
    assert len(listed) == 2


def test_interactions_monograph_without_interactions_says_so(interactions_client: TestClient) -> None:
    page = interactions_client.get("/substances/zinc").text
    assert 'id="interactions"' in page and "No source about zinc states an interaction" in page


@pytest.mark.parametrize(("values", "names"), [
    (["lipitor", "biaxin"], ("lipitor", "biaxin")),
    (["lipitor, biaxin;zinc", ""], ("lipitor", "biaxin", "zinc")),
    (["lipitor\nLipitor", "  st  john's wort "], ("lipitor", "st john's wort")),
])
def test_interactions_product_names_split_and_deduplicate(values: list[str], names: tuple[str, ...]) -> None:
    assert product_names(values) == names
