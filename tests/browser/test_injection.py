"""Injection: HTML, script and Markdown from spreadsheets stay text in a real browser; downloads and slides carry no formulas."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard import downloads
from dashboard.db import Warehouse
from dashboard.navigation import PAGES
from etl.load import load_files
from tests.browser.conftest import CHROMIUM, chromium_page, shots
from tests.injection_data import DEAL, FORMULAS, HTML_PAYLOADS, HYPERLINK, write_injection_delivery

ROOT = Path(__file__).resolve().parents[2]
FORMULA_START = ("=", "+", "-", "@")
# where the payloads are shown: (page, what): bottlenecks (Knelpunt and Actie), meeting titles, survey text answers
SHOWN_ON = {"overzicht": "knelpunten", "bijeenkomsten": "titels", "enquete": "open antwoorden"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("injection")
    result = load_files([write_injection_delivery(d / "injectie.xlsx")], d / "stuurhut.duckdb")
    assert result.status == "loaded", [p.message for p in result.problems]
    return d / "stuurhut.duckdb"


# --- downloads ------------------------------------------------------------------------------------------------


def _frames(db: Path) -> dict[str, pl.DataFrame]:
    """Query results as the pages show them: bottlenecks, meetings, survey text answers and the budget carry-over."""
    wh = Warehouse(db)
    return {
        "knelpunten": wh.query("SELECT reported_on, issue, action FROM bottlenecks_open($deal, NULL)", deal=DEAL),
        "bijeenkomsten": wh.query("SELECT meeting_date, title FROM stg_meetings($deal, NULL)", deal=DEAL),
        "antwoorden": wh.query("SELECT answer FROM stg_survey($deal, NULL) WHERE question_code = 'V02'", deal=DEAL),
        "begroting": wh.query("SELECT year, cost_type, surplus FROM budget_carry_over($deal, NULL) "
                              "WHERE cost_type = 'ontwikkeling'", deal=DEAL),
        "posten": wh.query("SELECT post, budgeted FROM stg_budget($deal, NULL) ORDER BY post", deal=DEAL),
    }


def test_csv_downloads_neutralise_formulas_and_keep_negative_numbers(db: Path):
    frames = _frames(db)
    texts: list[str] = []
    for name, df in frames.items():
        rows = list(csv.reader(io.StringIO(downloads.to_csv(df).decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == df.height + 1, name
        texts += [cell for row in rows[1:] for cell in row]
    for payload in FORMULAS:
        assert "'" + payload in texts, payload
    assert not [t for t in texts if t.startswith(FORMULA_START) and not t.lstrip("-").replace(",", "").isdigit()]
    surplus = list(csv.reader(io.StringIO(downloads.to_csv(frames["begroting"]).decode("utf-8-sig")), delimiter=";"))
    assert surplus[1] == ["2022", "ontwikkeling", "-500,00"]  # overspent: a real negative number, no apostrophe
    assert set(HTML_PAYLOADS) <= set(texts)  # HTML stays as typed: a CSV is not rendered


def test_xlsx_downloads_have_no_formula_cells_and_numbers_stay_numbers(db: Path):
    frames = _frames(db)
    seen: list[str] = []
    for name, df in frames.items():
        ws = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(df, name))).active
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen.append(cell.value)
    for payload in FORMULAS:
        assert "'" + payload in seen, payload
    ws = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(frames["begroting"]))).active
    assert (ws["C2"].value, ws["C2"].data_type) == (-500, "n")
    ws = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(frames["posten"]))).active
    assert [(c.value, c.data_type) for c in ws[2]] == [("'" + HYPERLINK, "s"), (1000, "n")]


# --- slides ---------------------------------------------------------------------------------------------------


def _slides(db: Path, fmt: str, out: Path) -> Path:
    p = subprocess.run([sys.executable, "-m", "etl.cli", "slides", "--deal", DEAL, "--db", str(db), "--format", fmt,
                        "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    return out


def test_powerpoint_charts_embed_no_formulas_and_show_payloads_as_text(db: Path, tmp_path: Path):
    deck = zipfile.ZipFile(_slides(db, "pptx", tmp_path / "deck.pptx"))
    embedded = [n for n in deck.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
    assert embedded  # native charts, each with its data workbook
    strings, numbers = [], []
    for name in embedded:
        for ws in openpyxl.load_workbook(io.BytesIO(deck.read(name))):
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)  # the survey theme was one
                    (strings if cell.data_type == "s" else numbers).append(cell.value)
    assert HYPERLINK in strings  # the theme "=HYPERLINK(...)" is a category: written as text
    assert -500 in numbers  # the overspent budget stays a negative number
    xml = " ".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/slides/slide"))
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in xml  # a bottleneck, as literal text
    assert "<script" not in xml


def test_pdf_deck_shows_payloads_as_text(db: Path, tmp_path: Path):
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(_slides(db, "pdf", tmp_path / "deck.pdf")).pages)
    assert "window.__pwned=1" in text
    assert "**vet**" in text or "<b>vet</b>" in text


# --- SQL ------------------------------------------------------------------------------------------------------


def test_sql_is_only_built_with_bound_parameters():
    p = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "S608", "--no-cache", "."], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout[-3000:]


# --- the browser ----------------------------------------------------------------------------------------------



@pytest.fixture(scope="module")
def browser_page(db: Path):
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium)")
    with shots.serve(db) as base, chromium_page({"width": 1400, "height": 2400}) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield base, page, dialogs


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_no_script_runs_and_no_element_is_injected(browser_page, spec):
    base, page, dialogs = browser_page
    page.goto(f"{base}/{spec.url_path}?deal={DEAL}")
    shots.settle(page)
    # the data behind every chart too: opening one reruns the page (its table is drawn only while open), so one at a
    # time, last to first (no index shifts), each rerun awaited; a fixed pause after clicking them all in a row let a
    # click land on a page still rerunning, and the table with the titles was sometimes not drawn yet
    summaries = page.locator('[data-testid="stExpander"] summary')
    for i in reversed(range(summaries.count())):
        try:
            summaries.nth(i).click(timeout=2000)
        except Exception:  # noqa: BLE001 - an expander under an open dialog is inert; its page is checked anyway
            continue
        shots.settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("() => [...document.scripts].filter(s => s.textContent.includes('__pwned')).length") == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator('b:text-is("vet"), strong:text-is("vet")').count() == 0  # neither <b>vet</b> nor **vet** bold
    assert dialogs == []
    if spec.key in SHOWN_ON:  # shown as the literal text that was typed (a static table's text or a grid's cells)
        cells = page.eval_on_selector_all('td[role="gridcell"]', "els => els.map(e => e.textContent)")
        text = page.inner_text("body")
        missing = [p for p in HTML_PAYLOADS if p not in cells and p not in text]
        assert missing == [], (SHOWN_ON[spec.key], missing)
