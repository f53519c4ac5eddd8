"""End to end in real headless Chromium, at 1280 and 390 px, against uvicorn on loopback: the monograph
page (at a glance first, sources folded, readable on a phone), the source view (title, windows of a long
document, bidi shown not applied), offline /docs, and the HTTP answers a browser meets.

Screenshots go to tmp/artefacts/ (or $MATERIA_ARTEFACTS); they are test output, never committed.
"""
from __future__ import annotations

import http.client
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live import ARGS, ARTEFACTS, BROWSER_MARKS, CHROMIUM, serving

from materia.settings import Settings

WIDTHS = {"desktop": 1280, "phone": 390}
LONG_LINE = "Glutamine 5 g a day may cause mild nausea in some adults, and it is taken with food.\n"

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser_db(tmp_path_factory: pytest.TempPathFactory, web_db: Settings) -> Settings:
    """The web tests' knowledge base plus one long document (about 120,000 characters)."""
    from materia.pipeline import ingest
    from materia.store import connect

    root = tmp_path_factory.mktemp("browser")
    db = root / "kb.sqlite"
    shutil.copy(web_db.db, db)
    big = root / "long-glutamine-notes.txt"
    big.write_text("Long glutamine notes\n\n" + LONG_LINE * 1400, encoding="utf-8")
    settings = Settings.from_env(environ={}, db=str(db), page_size=20, max_query_chars=100)
    with connect(settings.db) as store:
        assert ingest(store, [str(big)], settings).ok
    return settings


@pytest.fixture(scope="module")
def base_url(browser_db: Settings) -> Iterator[str]:
    from materia.web.app import MAX_REQUEST_HEAD

    with serving(browser_db, h11_max_incomplete_event_size=MAX_REQUEST_HEAD) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "MATERIA_REQUIRE_BROWSER is set but Chromium is missing"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser: Any, width: int, base_url: str) -> tuple[Any, list[str], list[str]]:
    """A new page `width` px wide, with the console errors it logs and every URL it requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requested.append(r.url))
    return page, errors, requested


def _shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def _long_document_id(base_url: str) -> int:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/api/v1/substances/glutamine") as r:
        sources = json.loads(r.read())["sources"]
    return next(s["document_id"] for s in sources if s["source"] == "Long glutamine notes")


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_browser_monograph_glance_first_sources_folded_fits(browser: Any, base_url: str, device: str) -> None:
    page, errors, requested = _page(browser, WIDTHS[device], base_url)
    response = page.goto(base_url + "/substances/glutamine")
    assert response.status == 200 and response.headers.get("content-encoding") == "gzip"
    assert page.locator("h1").inner_text().lower() == "glutamine"
    glance = page.locator("section#at-a-glance")
    assert glance.is_visible() and "does not advise" in glance.inner_text()
    first_section = page.locator("section.section").first
    assert glance.bounding_box()["y"] < first_section.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[device]
    text = page.locator("main").inner_text()
    assert "**" not in text and "no_benefit" not in text and "long_term_safety" not in text
    _shoot(page, f"monograph-{device}")

    folded = page.locator("details.cited").first
    assert not folded.locator("ol.source-list").is_visible()
    folded.locator("summary").click()
    link = folded.locator("ol.source-list a.badge").first
    assert link.is_visible() and "/" not in (link.get_attribute("title") or "").split(" · ")[0]
    anchor = (link.get_attribute("href") or "").split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**/documents/**#{anchor}")
    target = page.locator("mark:target")
    assert target.count() == 1 and target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    _shoot(page, f"citation-target-{device}")
    assert all(u.startswith(base_url) for u in requested), requested
    assert not errors, errors
    page.close()


def test_browser_home_table_keeps_headings_whole_on_a_phone(browser: Any, base_url: str) -> None:
    page, errors, _ = _page(browser, WIDTHS["phone"], base_url)
    page.goto(base_url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    lines = page.evaluate("""() => [...document.querySelectorAll('table.substances thead th')].map(th => {
        const r = document.createRange(); r.selectNodeContents(th); return [th.innerText, r.getClientRects().length];
    })""")
    assert lines and all(n == 1 for _, n in lines), lines  # "Sources" on one line, not "Sourc / es"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(base_url + icon).status == 200
    _shoot(page, "home-phone")
    assert not errors, errors
    page.close()


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_browser_source_view_titled_windowed_and_bidi_safe(browser: Any, base_url: str, device: str) -> None:
    page, errors, _ = _page(browser, WIDTHS[device], base_url)
    doc_id = _long_document_id(base_url)
    page.goto(f"{base_url}/documents/{doc_id}")
    assert page.locator("h1").inner_text() == "Long glutamine notes"
    assert "/tmp" not in page.locator("main").inner_text()
    first = page.locator("nav.pager").first.inner_text()
    assert re.search(r"Characters 1–[\d,]+ of [\d,]+", first) and "Previous" not in first
    page.locator("nav.pager a[rel=next]").first.click()
    page.wait_for_url("**?at=*")
    assert "Previous part" in page.locator("nav.pager").first.inner_text()
    assert len(page.content()) < 1.5 * 1024 * 1024
    _shoot(page, f"document-window-{device}")

    from materia.web.views import WINDOW_CHARS
    far = LONG_LINE.index("nausea") + len("Long glutamine notes\n\n") + len(LONG_LINE) * (WINDOW_CHARS * 2 // len(LONG_LINE))
    page.goto(f"{base_url}/documents/{doc_id}?at={far}")
    assert page.locator("mark").count() > 0

    hostile = page.request.get(f"{base_url}/api/v1/substances/glutamine").json()["sources"]
    hostile_id = next(s["document_id"] for s in hostile if s["source"] == "L-Glutamine notes")
    page.goto(f"{base_url}/documents/{hostile_id}")
    shown = page.locator(".doc-text").inner_text()
    assert "\u202e" not in shown and "[U+202E]yad a g 05[U+202C]" in shown
    assert page.evaluate("document.querySelectorAll('script').length") == 0  # the hostile <script> is text
    _shoot(page, f"document-bidi-{device}")
    assert not errors, errors
    page.close()


def test_browser_docs_load_nothing_from_elsewhere(browser: Any, base_url: str) -> None:
    page, errors, requested = _page(browser, WIDTHS["desktop"], base_url)
    page.route(re.compile(r"^(?!" + re.escape(base_url) + r"|data:).*"), lambda route: route.abort())
    page.goto(base_url + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 5
    _shoot(page, "docs-desktop")
    outside = [u for u in requested if not u.startswith((base_url, "data:"))]
    assert not outside, outside
    assert not errors, errors  # no CSP violation: the init script is a file
    page.close()


def test_browser_http_answers(browser: Any, base_url: str) -> None:
    """HEAD, gzip, favicon through the browser's own client; Host reflection and a 2 MB URL on a raw connection."""
    page, _errors, _ = _page(browser, WIDTHS["desktop"], base_url)
    for url in ("/", "/substances/glutamine", "/api/v1/substances", "/docs", "/static/site.css"):
        head = page.request.head(base_url + url)
        assert head.status == 200 and head.body() == b"", url
    assert page.request.get(base_url + "/substances/glutamine").headers.get("etag", "").startswith('W/"')
    page.close()

    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", "/substances/glutamine/", headers={"Host": "evil.example"})
    r = conn.getresponse()
    r.read()
    assert 300 <= r.status < 400 and r.getheader("location") == "/substances/glutamine"
    conn.close()
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/search?q=" + "a" * (2 * 1024 * 1024))
    r = conn.getresponse()
    assert r.status == 414
    conn.close()
