"""End-to-end in real headless Chromium: home -> monograph -> citation -> highlighted sentence."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from materia.settings import Settings

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("MATERIA_REQUIRE_BROWSER"),
                       reason="Chromium is not installed (set MATERIA_REQUIRE_BROWSER=1 to make this an error)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(web_db: Settings) -> Iterator[str]:
    import uvicorn

    from materia.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_browser_citation_lands_on_highlighted_sentence(base_url: str) -> None:
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), "MATERIA_REQUIRE_BROWSER is set but Chromium is missing"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base_url + "/")
            assert "materia informs; it does not advise" in page.content()
            page.click("a[href='/substances/glutamine']")
            page.wait_for_url("**/substances/glutamine")
            assert page.locator("h1").inner_text().lower() == "glutamine"
            assert page.locator("section#conflicts").count() == 1
            assert page.locator("section#doses").count() == 1
            assert page.locator("section#doses svg.dose-chart").is_visible()
            assert page.locator("svg.dose-chart rect").count() >= 1
            assert page.locator("svg.dose-chart .max-line").count() == 1
            page.screenshot(path=str(ARTIFACTS / "monograph.png"), full_page=True)
            badge = page.locator("section#usage a.badge").first
            href = badge.get_attribute("href") or ""
            anchor = href.split("#", 1)[1]
            badge.click()
            page.wait_for_url(f"**/documents/**#{anchor}")
            target = page.locator("mark:target")
            assert target.count() == 1
            assert target.get_attribute("id") == anchor
            assert target.is_visible()
            box = target.bounding_box()
            assert box is not None and 0 <= box["y"] < 900
            page.screenshot(path=str(ARTIFACTS / "document-target.png"))
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()


def test_browser_monograph_fits_a_phone(base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 740})
            page.goto(base_url + "/substances/glutamine")
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / "monograph-phone.png"))
            assert width <= 380
        finally:
            browser.close()
