"""The Presentatie page in headless Chromium: arrow keys, PageUp/PageDown, Home/End move the counter; no sidebar."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import NEEDS_CHROMIUM, chromium_page, shots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    NEEDS_CHROMIUM,
]


@pytest.fixture(scope="module")
def presenting(demo_base: str):
    base = demo_base
    with chromium_page({"width": 1440, "height": 900}) as page:
        page.goto(f"{base}/presentatie?deal=CDOR")
        shots.settle(page)
        page.get_by_role("button", name="Presentatie starten").click()
        page.wait_for_function("() => location.search.includes('slide=1')")
        shots.settle(page)
        yield page


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
