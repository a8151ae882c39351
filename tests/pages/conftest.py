"""A small warehouse for the page tests, built by the real loader from two deliveries of a test deal and one other deal."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from etl.load import load_files
from tests.conftest import write_workbook

ROOT = Path(__file__).resolve().parents[2]
APP = Path(__file__).with_name("entry.py")  # runs streamlit_app.py; see entry.py for why

MEETING_HEAD = ["ID", "Datum", "Soort", "Titel", "Status"]
BOTTLENECK_HEAD = ["Datum", "Knelpunt", "Ernst", "Status", "Actie"]


def _deal(code: str, name: str, peildatum: dt.date) -> list[list]:
    return [["Code", "Naam", "Start", "Einde", "Peildatum"],
            [code, name, dt.date(2022, 1, 1), dt.date(2023, 12, 31), peildatum]]


def build_page_db(tmp: Path) -> Path:
    """CDTS: June delivery with 3 kernteam meetings held, October delivery with 4 held (+1 planned);
    bottlenecks: June 1 open (hoog), October 2 open (hoog, middel) and 1 solved. CDXX: 1 meeting held."""
    db = tmp / "pages.duckdb"
    june = write_workbook(tmp / "CDTS_2022-06-30.xlsx", {
        "Deal": _deal("CDTS", "Testdeal Openbare Ruimte", dt.date(2022, 6, 30)),
        "Bijeenkomsten": [MEETING_HEAD,
                          ["K1", dt.date(2022, 1, 18), "kernteam", "Kernteam januari", "gehouden"],
                          ["K2", dt.date(2022, 3, 15), "kernteam", "Kernteam maart", "gehouden"],
                          ["K3", dt.date(2022, 5, 17), "kernteam", "Kernteam mei", "gehouden"]],
        "Knelpunten": [BOTTLENECK_HEAD,
                       [dt.date(2022, 2, 8), "Te weinig financieel strategen", "hoog", "open", "Directeuren vragen"]],
    })
    october = write_workbook(tmp / "CDTS_2022-10-31.xlsx", {
        "Deal": _deal("CDTS", "Testdeal Openbare Ruimte", dt.date(2022, 10, 31)),
        "Bijeenkomsten": [MEETING_HEAD,
                          ["K1", dt.date(2022, 1, 18), "kernteam", "Kernteam januari", "gehouden"],
                          ["K2", dt.date(2022, 3, 15), "kernteam", "Kernteam maart", "gehouden"],
                          ["K3", dt.date(2022, 5, 17), "kernteam", "Kernteam mei", "gehouden"],
                          ["K4", dt.date(2022, 9, 20), "kernteam", "Kernteam september", "gehouden"],
                          ["K5", dt.date(2022, 12, 13), "kernteam", "Kernteam december", "gepland"]],
        "Knelpunten": [BOTTLENECK_HEAD,
                       [dt.date(2022, 2, 8), "Te weinig financieel strategen", "hoog", "open", "Directeuren vragen"],
                       [dt.date(2022, 9, 6), "Eigenaar na 2023 onduidelijk", "middel", "in behandeling", None],
                       [dt.date(2022, 4, 5), "Casuseigenaren onbekend", "laag", "opgelost", None]],
    })
    other = write_workbook(tmp / "CDXX_2022-09-30.xlsx", {
        "Deal": _deal("CDXX", "Andere deal (fictief)", dt.date(2022, 9, 30)),
        "Bijeenkomsten": [MEETING_HEAD, ["X1", dt.date(2022, 4, 12), "kernteam", "Kernteam april", "gehouden"]],
    })
    for path in (june, october, other):
        result = load_files([path], db)
        assert result.status == "loaded", [p.message for p in result.problems]
    return db


@pytest.fixture(scope="session")
def page_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_page_db(tmp_path_factory.mktemp("pages"))


@pytest.fixture
def app_env(page_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """STUURHUT_DB pointing at the page warehouse; no accounts file, so the login layer runs in demo mode."""
    monkeypatch.setenv("STUURHUT_DB", str(page_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return page_db


_LAZY = re.compile(r"^\$\$ID-[0-9a-f]+-(.+)$")  # an expander with a key: it keeps its state, drawn only while open


def open_chart_data(at):
    """Open every expander whose content is drawn only while it is open ("Gegevens achter deze grafiek", the
    overview's "Als grafiek") and rerun, as clicks in the browser would; again for ones that appear inside.
    They stay open on later runs."""
    for _ in range(3):
        keys = [m.group(1) for e in at.expander if (m := _LAZY.match(e.proto.id))]
        closed = [k for k in keys if not at.session_state[k]]
        if not closed:
            break
        for key in closed:
            at.session_state[key] = True
        at.run()
    return at


def chart_findings(at) -> list[str]:
    """Each chart's finding: its Vega-Lite description, which the chart shows as its title and browsers give as its
    accessible name (components.chart writes it under the chart only when the chart does not show it)."""
    return [json.loads(c.proto.spec).get("description") or "" for c in at.get("vega_lite_chart")]
