"""In a real browser: a kernteam account logs in, uploads a workbook, clicks Laden and sees the figure change."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import write_workbook
from tests.etl.messy import xfd_claim
from tests.pages.conftest import MEETING_HEAD, build_page_db

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # as /work/shared/tools/browse.py
PASSWORD = "kernteam-wachtwoord-voor-de-test"  # test data only

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("Chromium ontbreekt (/usr/bin/chromium)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    """A dashboard on a free port over a fresh warehouse, with one kernteam account made by `stuurhut user add`."""
    db = build_page_db(tmp_path)
    env = {**os.environ, "STUURHUT_DB": str(db), "STUURHUT_ACCOUNTS": str(tmp_path / "accounts.json")}
    add = subprocess.run([str(ROOT / ".venv/bin/stuurhut"), "user", "add", "kern", "--role", "kernteam", "--deal", "CDTS",
                          "--password-stdin"], input=PASSWORD + "\n", text=True, env=env, capture_output=True, check=False)
    assert add.returncode == 0, add.stderr
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                             "--server.port", str(port), "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the dashboard did not start")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def settle(pg) -> None:
    pg.wait_for_selector('[data-testid="stApp"]', timeout=45000)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45000)
    pg.wait_for_timeout(800)


def tile(pg, label: str) -> str:
    metric = pg.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_kernteam_logs_in_uploads_and_sees_the_new_figure(server, tmp_path: Path) -> None:
    base, proc = server
    shots = Path(os.environ.get("STUURHUT_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    workbook = write_workbook(tmp_path / "CDTS_november.xlsx", {"Bijeenkomsten": [MEETING_HEAD] + [
        [f"K{i}", dt.date(2022, i, 10), "kernteam", f"Kernteam {i}", "gehouden"] for i in range(1, 8)]})

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.goto(base)
        settle(pg)
        # the first run of a fresh server reruns out of Streamlit's pages/ mode: wait for the login page itself
        pg.get_by_role("heading", name="Inloggen").wait_for(timeout=45000)
        settle(pg)
        pg.screenshot(path=str(shots / "1-inloggen.png"), full_page=True)
        pg.get_by_label("Naam").fill("kern")
        pg.get_by_label("Wachtwoord").fill(PASSWORD)
        pg.get_by_role("button", name="Inloggen").click()
        pg.get_by_text("Kernteamoverleggen gehouden").first.wait_for(timeout=45000)
        settle(pg)
        assert tile(pg, "Kernteamoverleggen gehouden") == "4 van 6"
        assert "Ingelogd als kern (kernteam, CDTS)" in pg.inner_text('[data-testid="stSidebar"]')

        # to the upload page through the menu: reloading the URL would start a new (logged-out) session
        pg.locator('[data-testid="stSidebarNav"] a', has_text="Gegevens aanleveren").click()
        pg.get_by_role("heading", name="Gegevens aanleveren").wait_for(timeout=45000)
        settle(pg)
        # a file that makes the native parser abort: parsed in a child process, so only a message comes back
        pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(xfd_claim(tmp_path, cells=True)))
        pg.get_by_text("Afgekeurd, er wordt niets geladen: 1 probleem.").wait_for(timeout=60000)
        settle(pg)
        pg.screenshot(path=str(shots / "2-vijandig-bestand.png"), full_page=True)
        assert proc.poll() is None
        pg.get_by_role("button", name="Remove xfd.xlsx").click()
        settle(pg)
        pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
        pg.get_by_text("In orde voor deal CDTS: 7 rijen Bijeenkomsten.").wait_for(timeout=60000)
        settle(pg)
        assert pg.get_by_text("+2 bijeenkomsten").is_visible()
        pg.screenshot(path=str(shots / "3-controle.png"), full_page=True)
        pg.get_by_role("button", name="Laden").click()
        pg.get_by_text("Geladen: 7 rijen Bijeenkomsten.").first.wait_for(timeout=60000)
        settle(pg)
        pg.screenshot(path=str(shots / "4-geladen.png"), full_page=True)

        pg.get_by_text("Bekijk de nieuwe cijfers in het Overzicht").click()
        pg.get_by_text("Kernteamoverleggen gehouden").first.wait_for(timeout=45000)
        settle(pg)
        assert tile(pg, "Kernteamoverleggen gehouden") == "7 van 6"
        pg.screenshot(path=str(shots / "5-overzicht.png"), full_page=True)
        assert not pg.locator('[data-testid="stException"]').count()
        browser.close()
    assert proc.poll() is None  # the server is still running
