"""The Presentatie page in headless Chromium: arrow keys, PageUp/PageDown, Home/End move the counter; no sidebar."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

_spec = importlib.util.spec_from_file_location("make_screenshots", ROOT / "docs" / "make_screenshots.py")
shots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shots)


@pytest.fixture(scope="module")
def presenting(tmp_path_factory: pytest.TempPathFactory):
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    db = shots.build_demo(tmp_path_factory.mktemp("presentatie"))
    with shots.serve(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=shots.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{base}/presentatie?deal=CDOR")
        shots.settle(page)
        page.get_by_role("button", name="Presentatie starten").click()
        page.wait_for_function("() => location.search.includes('slide=1')")
        shots.settle(page)
        yield page
        browser.close()


def counter(page) -> str:
    text = page.locator('[data-testid="stMarkdownContainer"] strong').filter(has_text=re.compile(r"^\d+ / \d+$"))
    return text.first.inner_text()


def press(page, key: str, expected: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function(
        """expected => [...document.querySelectorAll('[data-testid="stMarkdownContainer"] strong')]
             .some(e => e.innerText === expected)""", arg=expected, timeout=30000)
    shots.settle(page)


def test_presenting_hides_the_sidebar(presenting) -> None:
    page = presenting
    assert counter(page) == "1 / 12"
    assert page.locator("h1").first.inner_text() == "City Deal Openbare Ruimte"
    assert not page.locator('[data-testid="stSidebar"]').is_visible()


def test_keys_move_through_the_deck(presenting) -> None:
    page = presenting
    press(page, "ArrowRight", "2 / 12")
    assert page.locator("h1").first.inner_text().endswith("sturingsindicatoren op koers")
    assert "slide=2" in page.url
    press(page, "PageDown", "3 / 12")
    press(page, "ArrowLeft", "2 / 12")
    press(page, "PageUp", "1 / 12")
    press(page, "End", "12 / 12")
    assert page.locator("h1").first.inner_text().startswith("Tot 30 april 2023")
    press(page, "Home", "1 / 12")
    assert "slide=1" in page.url


def test_reload_keeps_the_place(presenting) -> None:
    page = presenting
    press(page, "ArrowRight", "2 / 12")
    page.reload()
    shots.settle(page)
    assert counter(page) == "2 / 12"
