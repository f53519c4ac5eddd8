"""HTTP hygiene on every route: HEAD, Allow on 405, no Host reflection, 414, gzip, ETag and caching, favicon."""
from __future__ import annotations

import gzip
import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from materia.settings import Settings
from materia.web import create_app
from materia.web.middleware import MAX_URL_BYTES, STATIC_MAX_AGE

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _get_urls(client: TestClient) -> list[str]:
    """One URL per GET route of the app, its path parameters filled with values that exist."""
    mono = client.get("/api/v1/substances/glutamine").json()
    values = {"name": "glutamine", "doc_id": str(mono["sources"][0]["document_id"]), "part": "sources", "key": "usage"}
    routes = list(client.app.routes)  # type: ignore[attr-defined]
    urls = []
    while routes:
        route = routes.pop(0)
        if hasattr(route, "original_router"):  # an included router: its own routes
            routes += route.original_router.routes
        elif isinstance(route, APIRoute) and "GET" in route.methods:
            urls.append(re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), route.path))
    return urls


def test_middleware_head_answers_every_get_route_without_a_body(client: TestClient) -> None:
    urls = _get_urls(client)
    assert "/" in urls and "/docs" in urls and "/api/v1/substances/glutamine" in urls
    for url in urls:
        params = {"q": "glutamine"} if "search" in url else {"s": ["glutamine", "zinc"]} if "interactions" in url \
            else None
        get, head = client.get(url, params=params), client.head(url, params=params)
        assert get.status_code in (200, 301) and head.status_code == get.status_code, url
        assert head.content == b"", url
        assert head.headers.get("content-type") == get.headers.get("content-type"), url
    assert client.head("/static/site.css").status_code == 200


def test_middleware_405_says_what_is_allowed(client: TestClient) -> None:
    r = client.post("/api/v1/substances", json={})
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"
    assert r.json() == {"ok": False, "error": "Method Not Allowed", "status": 405}


def test_middleware_redirects_never_name_the_host(client: TestClient) -> None:
    r = client.get("/substances/glutamine/", headers={"host": "evil.example"}, follow_redirects=False)
    assert 300 <= r.status_code < 400
    assert r.headers["location"] == "/substances/glutamine"
    assert "evil" not in r.text
    icon = client.get("/favicon.ico", headers={"host": "evil.example"}, follow_redirects=False)
    assert icon.headers["location"] == "/static/favicon.svg"


def test_middleware_unknown_hosts_refused_when_the_settings_name_hosts(web_db: Settings) -> None:
    settings = Settings.from_env(environ={}, db=web_db.db, allowed_hosts="materia.example, testserver")
    with TestClient(create_app(settings)) as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "materia.example"}).status_code == 200
        refused = c.get("/", headers={"host": "evil.example"})
        assert refused.status_code == 400 and "evil" not in refused.text


def test_middleware_huge_url_is_414(client: TestClient) -> None:
    assert client.get("/search", params={"q": "a" * (MAX_URL_BYTES + 1)}).status_code == 414
    assert client.get("/" + "x" * (MAX_URL_BYTES + 1)).status_code == 414
    assert client.get("/search", params={"q": "a"}).status_code == 200


def test_middleware_gzips_pages_and_api(client: TestClient) -> None:
    for url in ("/substances/glutamine", "/api/v1/substances/glutamine"):
        r = client.get(url, headers={"accept-encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip", url
        assert "accept-encoding" in r.headers["vary"].lower()
        plain = client.get(url, headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers and r.content == plain.content  # httpx decodes gzip


def test_middleware_etag_from_the_data_version_and_304(client: TestClient) -> None:
    first = client.get("/substances/glutamine")
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "public, max-age=60"
    assert client.get("/api/v1/substances").headers["etag"] == etag  # one data version, one tag
    again = client.get("/substances/glutamine", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/substances/glutamine", headers={"if-none-match": 'W/"other"'}).status_code == 200
    missing = client.get("/substances/unobtainium")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_middleware_static_files_cached_long_when_versioned(client: TestClient) -> None:
    page = client.get("/").text
    [css] = re.findall(r'href="(/static/site\.css\?v=\w+)"', page)
    r = client.get(css)
    assert r.status_code == 200 and f"max-age={STATIC_MAX_AGE}" in r.headers["cache-control"]
    assert "immutable" not in client.get("/static/site.css").headers["cache-control"]


def test_middleware_favicon_linked_and_served(client: TestClient) -> None:
    page = client.get("/").text
    [icon] = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    r = client.get(icon)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/favicon.ico").status_code == 200  # followed to the SVG


def test_middleware_gzip_body_is_gzip(web_db: Settings) -> None:
    """On the wire (not decoded by the client) the body is a gzip stream of the page."""
    with TestClient(create_app(web_db)) as c:
        with c.stream("GET", "/substances/glutamine", headers={"accept-encoding": "gzip"}) as r:
            raw = b"".join(r.iter_raw())
        assert gzip.decompress(raw).decode().startswith("<!doctype html>")
