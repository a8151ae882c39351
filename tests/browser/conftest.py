"""Shared browser-test harness: the screenshot script's helpers, one demo server per session, a Chromium page."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")

# docs/make_screenshots.py is a script, not a package module: load it once for every browser test
_spec = importlib.util.spec_from_file_location("make_screenshots", ROOT / "docs" / "make_screenshots.py")
shots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shots)


@contextmanager
def chromium_page(viewport: dict) -> Iterator:
    """A page in headless Chromium (Debian's binary, the flags this machine needs); closed afterwards."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=shots.CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport=viewport)
        finally:
            browser.close()


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One demo database and server for every read-only browser test (each test module opens its own page)."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium)")
    try:
        db = shots.build_demo(tmp_path_factory.mktemp("browser-demo"))
    except RuntimeError as first:  # seen once in CI under two busy workers, reason not kept then: say it, try again
        print(f"demo build failed once, building again: {first}")
        db = shots.build_demo(tmp_path_factory.mktemp("browser-demo"))
    with shots.serve(db) as base:
        yield base
