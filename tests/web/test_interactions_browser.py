"""The interaction checker in real headless Chromium: fill the form, read the pair, follow a source to its
highlighted sentence (as test_browser.py does for the monograph)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from live import ARGS, ARTEFACTS, BROWSER_MARKS, CHROMIUM, serving

from materia.settings import Settings

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def checker_url(interactions_db: Settings) -> Iterator[str]:
    with serving(interactions_db) as url:
        yield url


def test_browser_interactions_form_to_highlighted_sentence(checker_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(checker_url + "/interactions")
            assert "materia informs; it does not advise" in page.content()
            page.fill("#s1", "Lipitor")
            page.fill("#s2", "biaxin, zinc")
            page.click("form.checker-form button[type=submit]")
            page.wait_for_url("**/interactions?s=Lipitor&s=biaxin*")
            pair = page.locator("ol.pairs > li").first
            assert pair.locator("h3").inner_text().startswith("atorvastatin + clarithromycin")
            assert pair.locator(".severity").inner_text() == "major"
            assert "clarithromycin is among the strong CYP3A4 inhibitors" in pair.inner_text()
            notes = page.locator("ul.nothing-known li").all_inner_texts()
            assert any("Lipitor and zinc" in n and "does not mean the combination is safe" in n for n in notes)
            assert page.locator("p.nothing-known-note").is_visible()
            assert page.locator("p.disclaimer").first.is_visible()
            page.screenshot(path=str(ARTEFACTS / "interactions.png"), full_page=True)
            badge = pair.locator("ol.pair-sources a.badge").first
            anchor = (badge.get_attribute("href") or "").split("#", 1)[1]
            badge.click()
            page.wait_for_url(f"**/documents/**#{anchor}")
            target = page.locator("mark:target")
            assert target.count() == 1 and target.is_visible()
            assert target.inner_text() == "Avoid LIPITOR with strong CYP3A4 inhibitors."
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()


def test_browser_interactions_fits_a_phone(checker_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 740})
            page.goto(checker_url + "/interactions?s=lipitor&s=itraconazole&s=zinc")
            page.screenshot(path=str(ARTEFACTS / "interactions-phone.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 380
        finally:
            browser.close()
